# Bit operations and shifts on small, negative and big ints.
vals = [0, 1, -1, 5, -5, 255, -256, 2**31 - 1, -(2**31), 2**63 - 1, -(2**63), 2**64, -(2**64) - 3, 2**100 + 12345]
for v in vals:
    print(v, ~v, v & 0xFF, v | 0x0F, v ^ 0x5A5A, v >> 3, v << 3, bin(v), hex(v), oct(v))

for a in (12, -12, 2**70, -(2**70)):
    for b in (10, -10, 2**65 + 1, -(2**66)):
        print(a & b, a | b, a ^ b)

print(1 << 200, -1 << 200, (1 << 200) >> 199, -1 >> 100, -(2**200) >> 190)
print((-1) >> 1, (-2) >> 1, (-3) >> 1, 3 >> 5, -3 >> 5)
try:
    1 << -1
except ValueError:
    print("ValueError negative shift")
try:
    1 >> -1
except ValueError:
    print("ValueError negative shift right")

# popcount via loop, hot
def popcount(n):
    c = 0
    while n:
        n &= n - 1
        c += 1
    return c

tot = 0
for i in range(3000):
    tot += popcount(i * 2654435761 & 0xFFFFFFFF)
print("popcount total", tot)
assert tot == sum(bin(i * 2654435761 & 0xFFFFFFFF).count("1") for i in range(3000))

# xorshift RNG on 64-bit masked ints
MASK = (1 << 64) - 1
x = 88172645463325252
outs = []
for i in range(3000):
    x ^= (x << 13) & MASK
    x ^= x >> 7
    x ^= (x << 17) & MASK
    if i % 500 == 0:
        outs.append(x)
print(outs)
print(x, x.bit_length() <= 64)

# bit_length / int.from_bytes / to_bytes
for v in (0, 1, 255, 256, -1, -129, 2**64):
    print(v, v.bit_length())
print((1024).to_bytes(2, "big"), (1024).to_bytes(4, "little"), (-2).to_bytes(2, "big", signed=True))
print(int.from_bytes(b"\x01\x00", "big"), int.from_bytes(b"\x01\x00", "little"), int.from_bytes(b"\xff\xfe", "big", signed=True))
