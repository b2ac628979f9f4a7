# int(str), str(int), bases, underscores, whitespace.
cases = ["0", "-0", "+17", "  42  ", "1_000_000", "-123456789012345678901234567890", "007"]
for s in cases:
    print(repr(s), int(s))
for s, base in [("ff", 16), ("FF", 16), ("0xff", 16), ("0xff", 0), ("0o17", 0), ("0b1011", 0),
                ("z", 36), ("Zz", 36), ("777", 8), ("-1010", 2), ("1_0", 0), ("10", 3)]:
    print(s, base, int(s, base))
for bad in ["", "abc", "1.5", "1__0", "_1", "0x", "12a"]:
    try:
        int(bad)
        print("no error", bad)
    except ValueError:
        print("ValueError", repr(bad))
try:
    int("08", 0)
except ValueError:
    print("ValueError 08 base 0")
print(int(3.99), int(-3.99), int(True), int(False), int(1e20))
print(str(0), str(-5), repr(10**30), format(255, "x"), format(255, "#o"), format(-255, "b"))
print(hex(-1), oct(8), bin(-8))

# Round trip hot loop
def roundtrip(n):
    total = 0
    for i in range(n):
        v = i * i * 7919 - 5000000
        s = str(v)
        back = int(s)
        assert back == v
        total += len(s)
    return total

print("len total", roundtrip(3000))

# Base conversions by hand
def to_base(n, b):
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    if n == 0:
        return "0"
    neg = n < 0
    n = abs(n)
    out = []
    while n:
        n, r = divmod(n, b)
        out.append(digits[r])
    return ("-" if neg else "") + "".join(reversed(out))

for n in (0, 1, -1, 35, 36, 12345, -99999, 2**70):
    for b in (2, 7, 16, 36):
        s = to_base(n, b)
        assert int(s, b) == n
    print(n, to_base(n, 2), to_base(n, 36))

big = 7 ** 300
s = str(big)
print(len(s), s[:20], s[-20:])
assert int(s) == big
print(int("1" * 50) + 1)
