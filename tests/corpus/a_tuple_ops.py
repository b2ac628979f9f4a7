# tuples: construction, immutability, comparison, hashing, methods, namedtuple-like usage.
t = (1, 2, 3, 2, 1)
print(t, len(t), t[1], t[-1], t[1:4], t[::-1], t.count(2), t.index(3), t + (4,), t * 2, (), (1,), tuple("ab"))
print((1, 2) < (1, 3), (1, 2) < (1, 2, 0), (2,) > (1, 99), (1, "a") == (1, "a"), () < (0,), (1, 2) == [1, 2])
print(hash((1, 2)) == hash((1, 2)), {(1, 2): "x"}[(1, 2)], (1, [2])[1], 3 in t, 9 not in t, min(t), max(t), sum(t))
try:
    t[0] = 5
except TypeError:
    print("TypeError immutable")
try:
    hash((1, [2]))
except TypeError:
    print("TypeError unhashable")
try:
    t.index(9)
except ValueError:
    print("ValueError")
inner = ([1], [2])
inner[0].append(10)
print(inner)
x = (1, 2)
y = x
x += (3,)
print(x, y, x is y)
from collections import namedtuple
Point = namedtuple("Point", ["x", "y"])
p = Point(3, 4)
print(p, p.x, p[1], p._replace(x=10), p._asdict(), Point._fields, tuple(p), p == (3, 4), isinstance(p, tuple))
a, b = p
print(a, b)
nested = ((1, 2), (3, (4, 5)))
print(nested[1][1][0], len(nested), sorted([(2, "b"), (1, "z"), (2, "a"), (1, "a")]))

# Hot loop: tuple building, packing/unpacking and hashing
def pairs(n):
    seen = {}
    for i in range(n):
        key = (i % 10, (i * 3) % 7)
        seen[key] = seen.get(key, 0) + 1
    return len(seen), seen[(0, 0)], seen[(9, 6)]
print(pairs(3000))

def fib_pairs(n):
    a, b = 0, 1
    acc = ()
    for i in range(n):
        a, b = b, (a + b) % 1000003
        if i % 500 == 0:
            acc = acc + ((i, a),)
    return acc
print(fib_pairs(3000))

def vec_add(n):
    v = (0, 0, 0)
    d = (1, -2, 3)
    for i in range(n):
        v = tuple(a + b for a, b in zip(v, d)) if i % 2 else (v[0] + d[0], v[1] + d[1], v[2] + d[2])
    return v
print(vec_add(3000))
