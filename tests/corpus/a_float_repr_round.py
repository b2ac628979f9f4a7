# Float repr (shortest round-trip), str, round() with ndigits.
vals = [0.1, 0.2, 0.1 + 0.2, 1 / 3, 2 / 3, 1e16, 1e17, 1.5e-7, 123456789.123456789, 1e22, 1e23,
        0.3, 100.0, 1e-5, 0.0001, 12345678901234567890.0, 2.5e-300, 3.141592653589793, -1.0, 9.999999999999999e22]
for v in vals:
    print(repr(v), str(v), v == float(repr(v)))
for v in (2.675, 0.125, 0.375, 1.005, -1.5, 2.5, 1234.5678, -0.0001234, 15.0, 1e20):
    print(v, round(v), round(v, 2), round(v, 1), round(v, 0), round(v, -1), round(v, -2))
print(round(123456, -2), round(-123456, -3), round(150, -2), round(250, -2), round(5, -1), round(15, -1))
print(type(round(2.5)).__name__, type(round(2.5, 0)).__name__, type(round(5, 1)).__name__)
print(float("1e500"), float("-1e500"), float("0x1p3") if False else float.fromhex("0x1p3"), (0.1).hex(), (1.5).hex(), (-0.0).hex())
print(float.fromhex("0x1.8p1"), (3.0).is_integer(), (3.5).is_integer(), (0.75).as_integer_ratio(), (-2.5).as_integer_ratio())
print(1e15, 1e16, 123e-20, 0.000001, 0.0000001, 1.0e15 + 0.3)

# Hot loop: repr round trip of many floats
def rt(n):
    bad = 0
    total = 0
    x = 0.0
    for i in range(n):
        x = x + 0.1 + i * 1e-7
        s = repr(x)
        if float(s) != x:
            bad += 1
        total += len(s)
    return bad, total, repr(x)

print(rt(3000))

def rounding(n):
    out = 0.0
    for i in range(n):
        out += round(i / 7.0, 3)
    return round(out, 6)
print(rounding(3000))
seq = [i / 8 for i in range(-20, 21)]
print([round(x) for x in seq])
print([round(x, 1) for x in seq[:10]])
