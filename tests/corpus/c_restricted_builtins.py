"""Functions that run with restricted builtins (a globals dict whose `__builtins__` is
empty, as sandboxes, `namedtuple` and template engines do): copies of hot, compiled and
deoptimizing functions, and code compiled by `exec` under such globals, behave as in
CPython, including NameError for the builtins they lack."""
import types
from collections import namedtuple


def total(items):
    t = 0
    for x in items:
        t += x
    return t


def grow(n):
    x = 1
    for i in range(n):
        x = x * 3
    return x


for _ in range(40):
    total([1, 2, 3])
    grow(10)

bare = {"__builtins__": {}}
t2 = types.FunctionType(total.__code__, bare)
g2 = types.FunctionType(grow.__code__, {"__builtins__": {"range": range}})
print(t2([4, 5, 6]), g2(50))       # grow overflows 64 bits mid-loop
for _ in range(30):
    t2([1]); g2(45)
print(t2(range(10)), g2(60) % 1000007)

g3 = types.FunctionType(grow.__code__, bare)
try:
    g3(3)
except NameError as e:
    print("NameError:", e)

ns = {"__builtins__": {"range": range, "len": len}}
exec("def count(xs):\n    n = 0\n    for i in range(len(xs)):\n        n += i\n    return n\n", ns)
for _ in range(30):
    ns["count"]([0] * 20)
print(ns["count"]([0] * 100))
try:
    exec("print('hi')", {"__builtins__": {}})
except NameError as e:
    print("NameError:", e)

Pt = namedtuple("Pt", "x y")
pts = [Pt(i, i * 2) for i in range(300)]
print(sum(p.x + p.y for p in pts), pts[5], Pt._make([1, 2])._replace(y=9))
