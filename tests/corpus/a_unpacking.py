# Unpacking: tuple, starred, nested, in for loops, in calls, dict unpacking.
a, b = 1, 2
a, b = b, a
print(a, b)
x, *rest = [1, 2, 3, 4]
*init, last = "hello"
first, *mid, end = range(6)
p, *q = [9]
print(x, rest, init, last, first, mid, end, p, q)
(m, n), o = (1, 2), 3
[u, (v, w)], z = [4, (5, 6)], 7
print(m, n, o, u, v, w, z)
a1, (b1, *c1), *d1 = 1, (2, 3, 4), 5, 6
print(a1, b1, c1, d1)
for i, (name, score) in enumerate([("a", 1), ("b", 2)]):
    print(i, name, score)
for k, *vs in [(1, 2, 3), (4,), (5, 6)]:
    print(k, vs)
print(*[1, 2], *"ab", *range(2))
print([*range(3), *"xy"], (*[1], *[2]), {*[1, 2], *[2, 3]} == {1, 2, 3}, {**{"a": 1}, **{"b": 2}, "a": 0})
def f(a, b, c=0, *args, **kw):
    return a, b, c, args, sorted(kw.items())
print(f(*[1, 2]), f(1, *[2, 3, 4]), f(**{"a": 1, "b": 2}), f(1, 2, 3, 4, x=1, **{"y": 2}))
try:
    a, b = [1, 2, 3]
except ValueError:
    print("ValueError too many")
try:
    a, b, c = [1, 2]
except ValueError:
    print("ValueError not enough")
try:
    a, *b, c = [1]
except ValueError:
    print("ValueError starred")
try:
    f(1, 2, a=3)
except TypeError:
    print("TypeError multiple values")
d = {"x": 1, "y": 2}
(k1, v1), (k2, v2) = d.items()
print(k1, v1, k2, v2)
s1, s2 = {"only"}, "ab"
(e,) = s1
print(e, s2)
lst = [0] * 3
lst[0], lst[2] = "a", "c"
print(lst)
i = 0
i, lst[i] = 1, "X"
print(i, lst)

# Hot: swapping and starred unpacking in loops
def swap_loop(n):
    a, b, c = 1, 2, 3
    for i in range(n):
        a, b, c = c, a, b + i % 5
    return a, b, c
print(swap_loop(3000))

def star_loop(n):
    tot = 0
    rows = [(i, i * 2, i * 3, i * 4) for i in range(10)]
    for i in range(n):
        head, *body, tail = rows[i % 10]
        tot += head + sum(body) - tail
    return tot
print(star_loop(3000))

def gcd_loop(n):
    s = 0
    for i in range(1, n):
        a, b = i, 3000
        while b:
            a, b = b, a % b
        s += a
    return s
print(gcd_loop(3000))
