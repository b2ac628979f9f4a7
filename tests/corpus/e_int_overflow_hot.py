# Integer arithmetic crossing 2**63 inside hot loops: add, sub, mul, neg, abs, shifts, floor
# division and modulo near the 64-bit limits, and values going back to small.

LIM = 2**63

def grow(n):
    x = 1
    trace = []
    steps = range(n)
    for i in steps:
        x = x * 3 + i
        if i % 10 == 9:
            trace.append(x.bit_length())
    return x, trace

x, tr = grow(60)
print(x, tr)

def sum_squares(n, base):
    s = 0
    steps = range(n)
    for i in steps:
        s += (base + i) * (base + i)
    return s

acc = []
for k in range(1500):
    acc.append(sum_squares(3, k * 2**20))
print(acc[0], acc[-1], sum(acc) % 1000000007, max(acc).bit_length())
print(sum_squares(2000, 2**31), sum_squares(10, 3037000499), sum_squares(5, -3037000500))

def edges(v):
    return (v + 1, v - 1, -v, abs(v), v * 2, v * -1, v // -1, v % -7, v // 7,
            v << 1, v >> 63, ~v, v * v)

for v in (LIM - 1, -LIM, -LIM + 1, LIM, -LIM - 1, 0, -1):
    print(v, edges(v))
hot = 0
for i in range(3000):
    v = (LIM - 1 - i) if i % 2 else (-LIM + i)
    e = edges(v)
    hot = (hot + e[0] + e[2] + e[6] + e[7] + e[9] + e[12]) % (2**61 - 1)
print(hot)

def countdown_to_min(start, n):
    v = start
    steps = range(n)
    for _ in steps:
        v -= 2**61
    return v

print(countdown_to_min(0, 3), countdown_to_min(0, 4), countdown_to_min(0, 5), countdown_to_min(LIM - 1, 8))

def oscillate(n):
    v = LIM - 2
    out = []
    steps = range(n)
    for i in steps:
        v += 1 if i % 2 == 0 else -1
        v2 = v + 1
        out.append(v2 - LIM)
    return out

o = oscillate(3001)
print(o[:6], o[-3:], sum(o))

def fact_mod(n, m):
    f = 1
    steps = range(1, n + 1)
    for i in steps:
        f *= i
    return f % m, f.bit_length()

print([fact_mod(n, 1000000007) for n in (20, 21, 25, 170, 1000)])

def mixed_pow(n):
    t = 0
    steps = range(n)
    for i in steps:
        t += 2 ** (i % 70) - 3 ** (i % 41)
        t ^= i << (i % 66)
    return t

print(mixed_pow(3000) % 10**18, mixed_pow(3000).bit_length())

# loop counter itself overflowing via while
c = LIM - 1500
steps = 0
while c < LIM + 1500:
    c += 1
    steps += c & 1
print(c, steps, c - LIM)
print(int("9" * 25) // (LIM - 1), divmod(-LIM, -1), divmod(LIM, 3), (-LIM) // 1, -LIM % LIM)
