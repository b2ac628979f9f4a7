import math
# inf, nan, -0.0 and their arithmetic.
inf = float("inf")
nan = float("nan")
print(inf, -inf, nan, repr(-inf), float("-inf"), float("Infinity"), float("-nan"), float("  inf "))
print(inf + 1, inf - inf, inf * 0, inf * -1, 1 / inf, -1 / inf, inf / inf)
print(nan == nan, nan != nan, nan < 1, nan > 1, nan <= nan, inf == inf, -inf < inf)
print(math.isnan(nan), math.isinf(-inf), math.isfinite(1e308), math.isfinite(nan))
print(-0.0, 0.0 == -0.0, repr(-0.0), str(-0.0), math.copysign(1, -0.0), math.copysign(1, 0.0))
print(-0.0 + 0.0, -0.0 - 0.0, -0.0 * 5, 0.0 * -5, abs(-0.0), -(0.0))
print(1e308 * 10, -1e308 * 10, 1e-320, 5e-324, 5e-324 / 2, 2.2250738585072014e-308)
print(max(1.0, nan), max(nan, 1.0), min(nan, 1.0), sorted([3.0, 1.0, 2.0]))
print(int(1e18), float(2**53), float(2**53 + 1), float(10**20), float(-(2**63)))
for bad in (inf, -inf, nan):
    try:
        int(bad)
    except (OverflowError, ValueError) as e:
        print(type(e).__name__)
print(round(2.5), round(3.5), round(-2.5), round(0.5), round(-0.5))
print(math.floor(-0.5), math.ceil(-0.5), math.trunc(-2.7), math.floor(2.7))
print(nan in [nan], [nan] == [nan], nan is nan)
x = nan
print(x in [x], [x] == [x])
print(hash(inf), hash(-inf), hash(0.0) == hash(-0.0), hash(1.0) == hash(1))
try:
    1.0 / 0
except ZeroDivisionError as e:
    print("ZeroDivisionError", type(e).__name__)
try:
    1.0 // 0.0
except ZeroDivisionError as e:
    print("ZeroDivisionError", type(e).__name__)
try:
    5.0 % 0.0
except ZeroDivisionError as e:
    print("ZeroDivisionError", type(e).__name__)
try:
    0.0 ** -1
except ZeroDivisionError as e:
    print("ZeroDivisionError", type(e).__name__)
try:
    10.0 ** 400
except OverflowError as e:
    print("OverflowError", type(e).__name__)
print(2.0 ** 0.5, (-8.0) ** (1 / 3) if False else "skip", (-2.0) ** 2, 2.0 ** -1)
print(inf ** 0, nan ** 0, 1 ** nan, 0.0 ** 0.0)

# Hot loop: propagate nan and inf, detect them
def scan(vals, n):
    nans = infs = negz = 0
    s = 0.0
    for i in range(n):
        v = vals[i % len(vals)]
        if v != v:
            nans += 1
        elif v in (inf, -inf):
            infs += 1
        elif v == 0.0 and math.copysign(1.0, v) < 0:
            negz += 1
        else:
            s += v
    return nans, infs, negz, s

print(scan([1.5, nan, -0.0, inf, 2.25, -inf, 0.0], 3000))

def grow(n):
    x = 1.0
    steps = 0
    for i in range(n):
        if x == inf:
            break
        x *= 1.5
        steps += 1
    return steps, x

print(grow(3000))
def shrink(n):
    x = 1.0
    steps = 0
    for i in range(n):
        if x == 0.0:
            break
        x /= 3.0
        steps += 1
    return steps, x
print(shrink(3000))
