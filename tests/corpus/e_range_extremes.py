# range() loops with negative and large steps, bounds beyond 64 bits, empty and one-element
# ranges, and loop variables that stay observable after the loop.

def total(r):
    s = 0
    cnt = 0
    last = None
    for x in r:
        s += x
        cnt += 1
        last = x
    return s, cnt, last

cases = [
    range(0), range(5, 5), range(5, 0), range(0, 5, -1),
    range(3000), range(-3000, 3000, 7), range(3000, -3000, -7),
    range(10, -10, -1), range(0, 10**6, 333), range(10**6, 0, -997),
    range(2**62, 2**62 + 2500), range(2**63 - 1200, 2**63 + 1200),
    range(-2**63 - 1000, -2**63 + 1000), range(2**64, 2**64 - 3000, -3),
    range(0, 2**70, 2**59), range(2**70, 0, -(2**61)), range(10**20, 10**20 + 5, 2),
    range(-1, -2**62, -(2**52)), range(1, 2, 10**30), range(9, 8, -(10**30)),
    range(2**63 - 5, 2**63 + 5, 3), range(-2**63 + 3, -2**63 - 3, -2),
]
for r in cases:
    print(r, total(r))

# the same function becomes hot with small ranges, then gets a huge one
acc = 0
for k in range(2000):
    acc += total(range(k % 17, k % 31, (k % 5) - 2 if k % 5 != 2 else 1))[0]
print(acc)
print(total(range(2**64 - 2000, 2**64 + 2000)))

def inner_steps(n):
    out = 0
    for step in range(-5, 6):
        if step == 0:
            continue
        for x in range(n, -n, -step) if step > 0 else range(-n, n, -step):
            out += x * step
    return out

print([inner_steps(n) for n in (0, 1, 7, 300)])
s = 0
for q in range(1500):
    s += inner_steps(q % 9)
print(s)

def loop_var_after(n, step):
    i = "untouched"
    for i in range(0, n, step):
        pass
    return i

print([loop_var_after(n, st) for n, st in [(0, 1), (10, 3), (-10, -3), (2**65, 2**63), (5, -1)]])

# range bounds coming from floats converted, bools and negatives
print(total(range(True, 10 * True)), total(range(int(2.9e3))), total(range(-int(1e3), 0, 2)))

# len and indexing of huge ranges inside a hot loop
hr = range(-2**80, 2**80, 3)
probe = 0
for i in range(3000):
    probe ^= hr[i * 1000003] & 0xFFFF
    probe += len(range(0, i * 2**60, 2**59 + i + 1)) % 7
print(probe, hr.index(hr[-1]) + 1 == (2**81 + 2) // 3, hr[-1], (2**79) in hr, (2**79 + 1) in hr)

try:
    range(0, 10, 0)
except ValueError as e:
    print("ValueError", e)
