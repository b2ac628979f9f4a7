"""Per-family micro-benchmarks: nanoseconds per operation, one line per operation.

Usage: python micro.py [--quick] [--family NAME] [SUBSTRING...]
       python micro.py --families

Each case is a statement repeated UNROLL times in the body of a `for _ in range(n)` loop
inside a freshly made function (so a JIT sees one hot loop); the time of the same loop with
an empty body is subtracted, and the result is divided by the number of operations. The
function is called a few times first (warm-up: a JIT compiles it), then n is grown until one
call takes at least TARGET seconds, and the best of REPEATS calls is kept.

Output lines: `family<TAB>operation<TAB>ns per operation`. Runs on CPython 3.9+ and PyPy.
"""
import sys
import time

UNROLL = 8
TARGET = 0.03
REPEATS = 5

# (family, operation, setup statements, the statement measured, operations per statement)
CASES = [
    ("subscript", "list[i] load", "l = [1, 2, 3, 4]; i = 2", "x = l[i]", 1),
    ("subscript", "list[i] store", "l = [1, 2, 3, 4]; i = 2", "l[i] = i", 1),
    ("subscript", "list[-1] load", "l = [1, 2, 3, 4]", "x = l[-1]", 1),
    ("subscript", "tuple[i] load", "t = (1, 2, 3, 4); i = 1", "x = t[i]", 1),
    ("subscript", "str[i] load", "s = 'abcdef'; i = 3", "x = s[i]", 1),
    ("subscript", "dict[str] load", "d = {'a': 1, 'b': 2, 'c': 3}; k = 'b'", "x = d[k]", 1),
    ("subscript", "dict[str] store", "d = {'a': 1, 'b': 2, 'c': 3}; k = 'b'", "d[k] = 5", 1),
    ("subscript", "list[a:b] slice", "l = [1, 2, 3, 4, 5, 6]", "x = l[1:4]", 1),
    ("attribute", "instance attr load", "o = Plain(1, 2)", "x = o.a", 1),
    ("attribute", "instance attr store", "o = Plain(1, 2)", "o.a = 3", 1),
    ("attribute", "__slots__ attr load", "o = Slotted(1, 2)", "x = o.a", 1),
    ("attribute", "class attr via instance", "o = Plain(1, 2)", "x = o.KIND", 1),
    ("attribute", "property load", "o = Plain(1, 2)", "x = o.total", 1),
    ("attribute", "module attr load", "", "x = math.pi", 1),
    ("global", "module global load", "", "x = COUNT", 1),
    ("global", "builtin load", "", "x = len", 1),
    ("call", "python function f(x)", "i = 3", "x = double(i)", 1),
    ("call", "python function, keyword f(x, k=1)", "i = 3", "x = scaled(i, k=2)", 1),
    ("call", "closure g(x)", "g = make_adder(2); i = 3", "x = g(i)", 1),
    ("call", "method o.m(x)", "o = Plain(1, 2); i = 3", "x = o.add(i)", 1),
    ("call", "class with __init__ P(a, b)", "", "x = Plain(1, 2)", 1),
    ("call", "operator dunder v + w", "v = Vec(1.0, 2.0); w = Vec(0.5, 0.5)", "x = v + w", 1),
    ("call", "builtin len(l)", "l = [1, 2, 3]", "x = len(l)", 1),
    ("call", "builtin one arg abs(i)", "i = -3", "x = abs(i)", 1),
    ("call", "builtin two args max(a, b)", "a = 3; b = 4", "x = max(a, b)", 1),
    ("call", "isinstance(x, int)", "i = 3", "x = isinstance(i, int)", 1),
    ("call", "type(x)", "i = 3", "x = type(i)", 1),
    ("call", "str(i)", "i = 37", "x = str(i)", 1),
    ("call", "list.append + list.pop", "l = []", "l.append(1); l.pop()", 2),
    ("call", "str method s.startswith(p)", "s = 'hello'", "x = s.startswith('he')", 1),
    ("call", "dict.get(k)", "d = {'a': 1}", "x = d.get('a')", 1),
    ("compare", "int < int", "a = 3; b = 4", "x = a < b", 1),
    ("compare", "float < float", "a = 3.5; b = 4.5", "x = a < b", 1),
    ("compare", "str == str", "a = 'spam'; b = 'spam!'[:4]", "x = a == b", 1),
    ("compare", "x is None", "a = None", "x = a is None", 1),
    ("compare", "key in dict", "d = {'a': 1, 'b': 2}; k = 'b'", "x = k in d", 1),
    ("compare", "x in small list", "l = [1, 2, 3, 4]; i = 3", "x = i in l", 1),
    ("iteration", "for x in list (per item)", "l = [1, 2, 3, 4, 5, 6, 7, 8]", "for y in l: pass", 8),
    ("iteration", "for i in range (per item)", "", "for y in range(8): pass", 8),
    ("iteration", "for x in tuple (per item)", "t = (1, 2, 3, 4, 5, 6, 7, 8)", "for y in t: pass", 8),
    ("iteration", "for k, v in dict.items() (per item)", "d = {'a': 1, 'b': 2, 'c': 3, 'd': 4}", "for k, v in d.items(): pass", 4),
    ("iteration", "for i, x in enumerate(list) (per item)", "l = [1, 2, 3, 4]", "for j, y in enumerate(l): pass", 4),
    ("iteration", "generator expression sum (per item)", "l = [1, 2, 3, 4]", "x = sum(y for y in l)", 4),
    ("unpacking", "a, b = two-tuple", "t = (1, 2)", "a, b = t", 1),
    ("unpacking", "a, b = b, a", "a = 1; b = 2", "a, b = b, a", 1),
    ("unpacking", "a, b, c = list", "l = [1, 2, 3]", "a, b, c = l", 1),
    ("truth", "if list", "l = [1]", "if l: pass", 1),
    ("truth", "if int", "i = 7", "if i: pass", 1),
    ("truth", "if str", "s = 'a'", "if s: pass", 1),
    ("truth", "if x is not None", "a = 5", "if a is not None: pass", 1),
    ("truth", "not x", "i = 0", "x = not i", 1),
    ("arithmetic", "int + int", "a = 12345; b = 678", "x = a + b", 1),
    ("arithmetic", "int * int", "a = 12345; b = 678", "x = a * b", 1),
    ("arithmetic", "int // int", "a = 12345; b = 678", "x = a // b", 1),
    ("arithmetic", "float * float", "a = 1.5; b = 2.25", "x = a * b", 1),
    ("arithmetic", "float + int", "a = 1.5; b = 2", "x = a + b", 1),
]

PRELUDE = '''
import math

COUNT = 10


class Plain(object):
    KIND = "plain"

    def __init__(self, a, b):
        self.a = a
        self.b = b

    def add(self, x):
        return self.a + x

    @property
    def total(self):
        return self.a + self.b


class Slotted(object):
    __slots__ = ("a", "b")

    def __init__(self, a, b):
        self.a = a
        self.b = b


class Vec(object):
    __slots__ = ("x", "y")

    def __init__(self, x, y):
        self.x = x
        self.y = y

    def __add__(self, other):
        return Vec(self.x + other.x, self.y + other.y)


def double(x):
    return x + x


def scaled(x, k=1):
    return x * k


def make_adder(n):
    def add(x):
        return x + n
    return add
'''


def make_loop(setup, statement):
    """A function running `statement` UNROLL times per iteration of a range loop."""
    lines = ["def loop(n):"]
    if setup:
        lines.append("    " + setup)
    lines.append("    for _ in range(n):")
    body = statement if statement else "pass"
    lines.extend(["        " + body] * UNROLL)
    namespace = {}
    exec(PRELUDE, namespace)
    exec("\n".join(lines) + "\n", namespace)
    return namespace["loop"]


def best_time(fn, n):
    best = None
    for _ in range(REPEATS):
        start = time.perf_counter()
        fn(n)
        elapsed = time.perf_counter() - start
        if best is None or elapsed < best:
            best = elapsed
    return best


def calibrate(fn):
    """Warm the function up, then find an n for which one call takes TARGET seconds."""
    for _ in range(3):
        fn(200)
    n = 1000
    while True:
        start = time.perf_counter()
        fn(n)
        elapsed = time.perf_counter() - start
        if elapsed >= TARGET:
            return n
        n *= 2 if elapsed < TARGET / 4 else 1 + int(TARGET / max(elapsed, 1e-9))


def main():
    global TARGET, REPEATS
    args = sys.argv[1:]
    if "--families" in args:
        for family in sorted(set(c[0] for c in CASES), key=[c[0] for c in CASES].index):
            print(family)
        return
    if "--quick" in args:
        args.remove("--quick")
        TARGET, REPEATS = 0.005, 2
    family = None
    if "--family" in args:
        at = args.index("--family")
        family = args[at + 1]
        del args[at:at + 2]
    cases = [c for c in CASES if (family is None or c[0] == family)
             and (not args or any(a in c[0] + " " + c[1] for a in args))]
    empty = make_loop("", "")
    n = calibrate(empty)
    for family, name, setup, statement, per in cases:
        fn = make_loop(setup, statement)
        n = calibrate(fn)
        base = best_time(empty, n)
        t = best_time(fn, n)
        ns = max(t - base, 0.0) / (n * UNROLL * per) * 1e9
        sys.stdout.write("%s\t%s\t%.2f\n" % (family, name, ns))
        sys.stdout.flush()


if __name__ == "__main__":
    main()
