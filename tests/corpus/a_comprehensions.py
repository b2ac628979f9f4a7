# List/set/dict comprehensions: nested, conditions, scoping, walrus.
print([x * x for x in range(10) if x % 2 == 0])
print([(x, y) for x in range(4) for y in range(x) if (x + y) % 2])
print([[x * y for y in range(4)] for x in range(4)])
print([y for row in [[1, 2], [3], [], [4, 5, 6]] for y in row])
print([x if x % 3 else "fizz" for x in range(1, 10)])
print([c.upper() for c in "hello" if c not in "l"])
print(sorted({x % 7 for x in range(50) if x % 2}), {x: x ** 2 for x in range(5)}, {c: i for i, c in enumerate("abca")})
print([i for i in range(30) if i % 2 if i % 3], [(a, b, c) for a in range(1, 20) for b in range(a, 20) for c in range(b, 20) if a * a + b * b == c * c])
x = "outer"
r = [x for x in range(3)]
print(x, r)
print([(lambda v: v * 2)(v) for v in range(4)], [f() for f in [lambda i=i: i * 10 for i in range(3)]])
fs = [lambda: i for i in range(3)]
print([f() for f in fs])
print([y := 5, y ** 2], [last := n for n in range(4)], last)
vals = [1, 7, 3, 9, 2]
print([m for v in vals if (m := v * 2) > 5])
matrix = [[1, 2, 3], [4, 5, 6], [7, 8, 9]]
print([list(col) for col in zip(*matrix)], [row[::-1] for row in matrix[::-1]], [matrix[i][i] for i in range(3)])
print(sum([[1], [2, 3]], []), [[c for c in w] for w in ["ab", "c"]])

class K:
    base = 10
    items = [base + i for i in range(3)] if False else None
    try:
        bad = [base + i for i in range(3)]
    except NameError:
        bad = "NameError"
print(K.bad)

# Hot comprehensions inside a loop
def hot(n):
    total = 0
    for i in range(n):
        sq = [j * j for j in range(i % 10)]
        ev = {j for j in sq if j % 2 == 0}
        total += sum(sq) + len(ev)
    return total
print(hot(3000))

def pythagorean(limit):
    return [(a, b, c) for c in range(1, limit) for b in range(1, c) for a in range(1, b) if a * a + b * b == c * c]
trip = pythagorean(45)
print(len(trip), trip[:6])

def dict_comp(n):
    out = 0
    for i in range(n // 10):
        d = {k: k * i for k in range(10) if k != i % 10}
        out += sum(d.values())
    return out
print(dict_comp(3000))
flat = [(i, j) for i in range(60) for j in range(50) if (i * j) % 97 == 1]
print(len(flat), flat[:4])
