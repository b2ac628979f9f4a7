# Mixed int/float arithmetic and comparisons, including big ints vs floats.
print(1 + 2.0, 3 * 0.5, 7 / 2, 8 / 2, type(8 / 2).__name__, 7 // 2.0, 7 % 2.5, -7 // 2.0, -7 % 2.5, divmod(7.5, 2))
print(2 ** 0.5, 2 ** -1, 10 ** -2, (-8) ** 2, 4 ** 0.5, type(2 ** -1).__name__)
print(1 == 1.0, 2**53 == 2.0**53, 2**53 + 1 == 2.0**53, 2**53 + 1 > 2.0**53, 10**400 > 1e308, -10**400 < -1e308)
print(10**400 < float("inf"), -10**400 > float("-inf"), 0.1 + 0.2 == 0.3, 0.5 + 0.25 == 0.75)
print(1 < 1.5 < 2, 3 > 2.9999999999 > 2, float(10**16) == 10**16, 10**16 + 1 == float(10**16 + 1))
nan = float("nan")
print(nan == 1, 1 == nan, nan < 10**400, nan > -10**400, sorted([3, 1.5, 2, -0.0, 0]))
print(max(1, 1.0), max(1.0, 1), min(0, -0.0), min(-0.0, 0), max(2**64, 1.8e19), max(2**64, 1.9e19))
try:
    float(10**400)
except OverflowError:
    print("OverflowError")
try:
    10**400 / 1
except OverflowError:
    print("OverflowError int/int")
print(10**400 // 10**399, (10**30) / (10**28), 2**1000 / 2**999)
print(int(2.5) + 0.5, round(7 / 3, 4), abs(-2) * 1.5, 5 - 5.0, -(0) * 1.0, 0 * -1.0)

# Hot loop mixing int and float
def mix(n):
    i_acc = 0
    f_acc = 0.0
    both = 0.0
    for i in range(n):
        i_acc += i
        f_acc += i * 0.25
        both += i_acc / (i + 1)
        if i % 3 == 0:
            both -= f_acc * 0.001
    return i_acc, f_acc, round(both, 4)

print(mix(3000))

def cmp_count(n):
    lt = eq = gt = 0
    for i in range(n):
        a = i / 4
        b = i // 4
        if a < b:
            lt += 1
        elif a == b:
            eq += 1
        else:
            gt += 1
    return lt, eq, gt
print(cmp_count(3000))

# Compare big int and float around 2**63
base = 2**63
for d in (-2, -1, 0, 1, 2):
    v = base + d
    f = float(base)
    print(d, v == f, v < f, v > f, v <= f, v >= f)
