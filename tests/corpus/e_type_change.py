# Values whose type changes after thousands of iterations: int -> float -> str -> list ->
# None, arguments of hot functions changing kind between calls, bool/int/float mixing.

def drift(n):
    v = 0
    kinds = []
    steps = range(n)
    for i in steps:
        if i < 1500:
            v += i
        elif i < 2500:
            v = v + 0.5
        elif i < 2800:
            v = str(v) if not isinstance(v, str) else v + "x"
        elif i < 2900:
            v = [v] if not isinstance(v, list) else v + [i]
        else:
            v = None if i % 2 else i
        k = type(v).__name__
        if not kinds or kinds[-1][0] != k:
            kinds.append([k, i])
    return v, kinds

v, kinds = drift(3001)
print(v, kinds[:6], len(kinds))
print(drift(2550)[0][:40], drift(2850)[0][:1][0][-5:], len(drift(2850)[0]))

def add(a, b):
    return a + b

def mul(a, b):
    return a * b

res = []
for i in range(4000):
    if i < 1200:
        a, b = i, i + 1
    elif i < 2000:
        a, b = i * 0.5, i
    elif i < 2600:
        a, b = str(i), "-"
    elif i < 3000:
        a, b = True, i % 2 == 0
    elif i < 3500:
        a, b = [i], [i + 1]
    else:
        a, b = (i,), ()
    res.append((add(a, b), mul(a, 2)))
print(res[0], res[1199], res[1200], res[1999], res[2000], res[2599], res[2600], res[2601], res[3000], res[3999])

def compare_mix(n):
    lt = eq = 0
    steps = range(n)
    for i in steps:
        x = i if i % 3 == 0 else (i + 0.0 if i % 3 == 1 else (i % 2 == 0))
        y = 1000 - i * 0.5 if i % 2 else 1000 - i
        if x < y:
            lt += 1
        if x == y or x == True:
            eq += 1
    return lt, eq

print(compare_mix(3000))

def floaty(n):
    t = 0
    steps = range(1, n)
    for i in steps:
        t += i
        t /= 2 if i % 100 == 0 else 1
        t = t // 1 if i % 250 == 0 else t
        if i == 2000:
            t = int(t) * 10**18
    return t, type(t).__name__

print(floaty(1999), floaty(2001), floaty(3000))

def neg_zero_and_nan(n):
    z = 0.0
    out = []
    steps = range(n)
    for i in steps:
        z = -z if i % 2 else z * -1.0
        w = float("nan") if i == n - 1 else z
        out.append(w == w)
    return str(z), out.count(False), 1 / float("inf"), (-0.0).hex()

print(neg_zero_and_nan(2001))

def int_float_boundary(n):
    big = 2**53
    hits = 0
    steps = range(n)
    for i in steps:
        f = float(big + i)
        if f == big + i:
            hits += 1
        if int(f) != big + i:
            hits += 1000
    return hits

print(int_float_boundary(3000))

def boolmath(n):
    s = 0
    steps = range(n)
    for i in steps:
        b = i % 4 == 0
        s += b + (b * 2) - (not b) + (b << 3) + (b ** 2) + (b & True) + (b | False)
    return s, True + True, True * 3.5, -True, True / 2, False ** 0

print(boolmath(3000))
