# Huge ints, pow, pow with modulus, modular inverse.
a = 3 ** 200
print(a)
print(len(str(a)), a % 1000000007, a.bit_length())
b = -(7 ** 123)
print(b)
print(b // 10**50, b % 10**50)
print(2 ** 64, 2 ** 64 - 1, -(2 ** 63), 2 ** 63 - 1)
print(pow(2, 10), pow(2, -1), pow(-2, 3), pow(0, 0))
print(pow(3, 1000, 1000007), pow(7, 10**20, 13), pow(-3, 5, 7), pow(3, 5, -7))
print(pow(3, -1, 7), pow(10, -2, 17), pow(123456789, -1, 1000000007))
assert (pow(3, -1, 7) * 3) % 7 == 1
try:
    pow(2, -1, 4)
except ValueError as e:
    print("ValueError")
try:
    pow(2, 3, 0)
except ValueError:
    print("ValueError mod 0")

# Fast modular exponentiation by hand, hot loop
def modexp(base, exp, mod):
    result = 1
    base %= mod
    while exp > 0:
        if exp & 1:
            result = result * base % mod
        base = base * base % mod
        exp >>= 1
    return result

M = 1000000007
s = 0
for i in range(1, 1500):
    v = modexp(i, i * 31 + 7, M)
    assert v == pow(i, i * 31 + 7, M)
    s = (s + v) % M
print("modexp sum", s)

# Big factorial and digit sums
f = 1
for i in range(1, 301):
    f *= i
print(len(str(f)), sum(int(c) for c in str(f)), str(f)[:30])
print(f % (2**61 - 1))
# Trailing zeros
tz = 0
g = f
while g % 10 == 0:
    g //= 10
    tz += 1
print("trailing zeros", tz)
assert tz == 300 // 5 + 300 // 25 + 300 // 125

# Fibonacci into big ints
x, y = 0, 1
for _ in range(500):
    x, y = y, x + y
print(x)
print(x.bit_length(), (-x).bit_length(), x.bit_count() if hasattr(x, "bit_count") else bin(x).count("1"))
print(abs(-x) == x, -(-x) == x, +x == x)
print((x * x) // x == x, (x << 100) >> 100 == x)
