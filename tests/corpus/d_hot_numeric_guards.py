def mix(a, b):
    c = a * b - a // 7 + b % 5
    if c > 1000:
        c = c - 1000
    return c
def fdiv(x, y):
    return x / y + x * 0.5
def neg(a):
    return -a
out = []
for i in range(3000):
    a = i if i < 2000 else i * 2**60
    b = (i % 9) - 4
    out.append(mix(a, b))
print(sum(out) % 1000000007, out[:5], out[1999:2002])
fs = []
for i in range(3000):
    y = (i % 10) - 5
    try:
        fs.append(fdiv(float(i), float(y)))
    except ZeroDivisionError:
        fs.append("zero")
print(fs[:6], len([f for f in fs if f == "zero"]))
print(neg(5), neg(-2**63), neg(2.5), neg(True))
print(mix(7.5, 2), mix(True, 3), mix(-7, 2), mix(7, -2))
