# Module-level code: loops at the top level, in `exec`'d code and in class bodies, with
# names resolved through the namespace as the interpreter does. Every store is visible
# where it happens: to `globals()`, to functions reading the global, to `del`.
import sys

# An int loop and a float loop at the top level.
s = 0
for i in range(200_000):
    s += i * i % 7
print("int loop", s, i)

f = 0.0
k = 0
while k < 100_000:
    f += k * 0.5 - f * 1e-6
    k += 1
print("float loop", round(f, 6), k)

# A function reading the global the loop updates sees every store.
def current():
    return total

seen = []
total = 0
for j in range(1000):
    total += j
    if j % 250 == 0:
        seen.append((current(), globals()["total"]))
print("seen", seen)

# Stores release the old value at the store: __del__ runs there.
class Noisy:
    def __init__(self, n):
        self.n = n
    def __del__(self):
        print("  del", self.n)

for n in range(3):
    holder = Noisy(n)
    print("stored", n)
del holder
print("after del")
try:
    holder
except NameError as e:
    print("NameError", e)

# A name missing everywhere, and a builtin shadowed then unshadowed at module level.
for attempt in range(2):
    try:
        missing_name
    except NameError as e:
        print("missing", attempt, e)
len = lambda x: -1
print("shadowed len", len([1, 2]))
del len
print("builtin len", len([1, 2]))

# exec of a loop in a fresh namespace, and with a separate locals mapping.
ns = {}
exec("acc = 0\nfor q in range(50_000):\n    acc += q & 3\n", ns)
print("exec fresh", ns["acc"], ns["q"])

g = {"base": 10}
l = {}
exec("out = []\nfor q in range(5):\n    out.append(base + q)\nlast = q\n", g, l)
print("exec locals", l["out"], l["last"], sorted(k for k in g if not k.startswith("__")))

# A locals mapping that is not a dict: every load and store goes through it.
class Logging(dict):
    def __init__(self):
        super().__init__()
        self.log = []
    def __getitem__(self, k):
        self.log.append(("get", k))
        return super().__getitem__(k)
    def __setitem__(self, k, v):
        self.log.append(("set", k))
        super().__setitem__(k, v)

m = Logging()
exec("t = 0\nfor r in range(3):\n    t = t + r\n", {}, m)
log = list(m.log)
print("mapping", sorted(m.items()), log)

# A class body with a loop; its names end up in the class.
class Table:
    squares = {}
    for v in range(6):
        squares[v] = v * v
    del v
    total = sum(squares.values())
print("class body", Table.squares, Table.total, hasattr(Table, "v"))

# A traceback from a module-level loop names the module frame and the line.
def fail_at(x):
    if x == 3:
        raise ValueError("at three")
    return x

try:
    for x in range(5):
        fail_at(x)
except ValueError as e:
    tb = e.__traceback__
    lines = []
    while tb:
        lines.append((tb.tb_frame.f_code.co_name, tb.tb_lineno - tb.tb_frame.f_code.co_firstlineno))
        tb = tb.tb_next
    print("traceback", lines[0][0], lines[-1])
print("frame", sys._getframe().f_code.co_name)
