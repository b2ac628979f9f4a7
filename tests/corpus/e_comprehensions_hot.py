# List/set/dict comprehensions and generator expressions inside hot loops and as call
# arguments f(x, [y for y in z]); comprehension variables shadowing loop variables; nested
# comprehensions and conditions.

def f(x, ys):
    return x + sum(ys)

def g(*parts, key=None):
    return len(parts), sum(len(p) for p in parts), key

def hot(n):
    z = [1, 2, 3, 4]
    total = 0
    steps = range(n)
    for i in steps:
        total += f(i, [y * i for y in z])
        total += f(i % 3, (y for y in z if y > i % 4))
        total -= len({y % 3 for y in z})
        total += sum({y: y * 2 for y in z}.values())
    return total

print(hot(3000))
acc = 0
for k in range(1500):
    acc += hot(2)
print(acc)

def shadow(n):
    x = "outer"
    out = []
    steps = range(n)
    for x in steps:
        sq = [x for x in range(x % 5)]
        out.append(len(sq))
    return x, sum(out), out[:7]

print(shadow(3000))

def nested(n):
    res = 0
    steps = range(n)
    for i in steps:
        m = [[r * c for c in range(i % 4)] for r in range(3)]
        flat = [v for row in m for v in row if v % 2 == 0]
        res += sum(flat) + len(m[0])
        d = {(r, c): v for r, row in enumerate(m) for c, v in enumerate(row)}
        res += len(d)
    return res

print(nested(3000))

def calls_with_comps(n):
    out = []
    steps = range(n)
    for i in steps:
        r = g([j for j in range(i % 3)], {j for j in range(i % 5)}, key=[i for _ in range(2)][0])
        out.append(r)
    return out[-3:], sum(a + b for a, b, _ in out)

print(calls_with_comps(3000))

def genexpr_consumers(n):
    s = 0
    steps = range(n)
    for i in steps:
        s += max((j * 7) % 11 for j in range(i % 9 + 1))
        s += any(j == i % 6 for j in range(4))
        s += all(j < i for j in range(3))
        s += len(list(zip(range(i % 4), (c for c in "abcdef"))))
        s += sorted((i * j) % 13 for j in range(5))[2]
        s += dict((j, j) for j in range(i % 3)).get(1, -1)
    return s

print(genexpr_consumers(3000))

def comp_with_outer_cells(n):
    total = 0
    steps = range(n)
    for i in steps:
        mult = i % 7
        fs = [lambda v, m=m: v * m for m in range(3)]
        total += sum(fn(mult) for fn in fs)
        total += sum([mult * k for k in range(3)])
    return total

print(comp_with_outer_cells(2000))

def set_dict_order(n):
    d = {}
    steps = range(n)
    for i in steps:
        d = {k: v for k, v in d.items() if v % 3 != 0}
        d[i % 50] = i
    s = sorted({v % 97 for v in d.values()})
    return list(d.items())[:5], len(d), s[:8]

print(set_dict_order(3000))

# module-level hot loop with comprehensions referencing module globals
scale = 3
rows = []
for i in range(2000):
    rows.append(sum([scale * v for v in range(i % 6)]) + len([c for c in str(i) if c in "13579"]))
    if i == 1000:
        scale = 0.5
print(sum(rows), rows[999:1003])

# comprehension that raises mid-iteration in a hot loop
caught = 0
for i in range(2000):
    try:
        vals = [10 // (4 - j) for j in range(i % 6)]
    except ZeroDivisionError:
        caught += 1
print(caught)
