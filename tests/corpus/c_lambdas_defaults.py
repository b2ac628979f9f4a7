# lambdas, defaults incl. mutable default, kw-only, pos-only
def append_to(x, acc=[]):
    acc.append(x)
    return len(acc)
for i in range(3000):
    n = append_to(i)
print("mutable default len", n)
assert n == 3000

def safe_append(x, acc=None):
    if acc is None:
        acc = []
    acc.append(x)
    return acc
print(safe_append(1), safe_append(2))

def posonly(a, b, /, c, *, d=4, e):
    return (a, b, c, d, e)
print(posonly(1, 2, 3, e=5))
print(posonly(1, 2, c=3, d=0, e=5))
try:
    posonly(1, b=2, c=3, e=5)
except TypeError as ex:
    print("TypeError posonly", type(ex).__name__)
try:
    posonly(1, 2, 3, 4, 5)
except TypeError as ex:
    print("TypeError kwonly", type(ex).__name__)

def kwonly(*, x=1, y=2):
    return x * 10 + y
tot = 0
for i in range(3000):
    tot += kwonly(x=i % 3, y=i % 5) + kwonly()
print("kwonly total", tot)

sq = lambda v: v * v
comp = lambda f, g: lambda v: f(g(v))
inc = lambda v: v + 1
h = comp(sq, inc)
print("compose", [h(i) for i in range(6)])
print("sorted by lambda", sorted(["pear", "fig", "banana", "kiwi"], key=lambda s: (len(s), s)))
print("lambda defaults", (lambda a, b=2, *c, d=4, **e: (a, b, c, d, sorted(e.items())))(1, 9, 8, 7, z=1, d=0))
print("defaults attr", posonly.__kwdefaults__, append_to.__defaults__[0][:3])
s = 0
f = lambda a, b=3: a * b
for i in range(3000):
    s += f(i) - f(i, 2)
print("lambda loop", s)
assert s == sum(range(3000))
