# Instructions compiled natively through helpers: globals, functions, imports,
# `with`, super(), raise, starred unpacking, unary plus, all/any on generators.
import builtins

counter = 0

def bump(n):
    global counter
    for i in range(n):
        counter += i
    return counter

print("store_global", bump(10), bump(5), counter)

def make_and_delete():
    global temp
    temp = 5
    v = temp * 2
    del temp
    return v, "temp" in globals()

print("delete_global", make_and_delete())

def delete_unbound():
    global never_bound
    try:
        del never_bound
    except NameError as e:
        return type(e).__name__, str(e)

print("delete_unbound", delete_unbound())

class Box:
    pass

def del_attr(b):
    b.x = 1
    del b.x
    try:
        del b.x
    except AttributeError as e:
        return "gone", type(e).__name__
    return "still"

print("delete_attr", del_attr(Box()))

def closures(a, b=2):
    def g(x, y=a, *, z=b) -> int:
        return x + a + y + z
    h = lambda: b
    k = lambda q, r=3: q * r + a
    return g(1), g(1, 2, z=3), h(), k(2), k(2, 4), g.__defaults__, g.__kwdefaults__, g.__name__, g.__qualname__

for i in range(3):
    print("closures", closures(i))

def make_adders(n):
    return [lambda x, i=i: x + i for i in range(n)]

print("adders", [f(10) for f in make_adders(4)])

def counter_factory():
    count = 0
    def inc():
        nonlocal count
        count += 1
        return count
    return inc

c = counter_factory()
print("nonlocal", c(), c(), c())

class CM:
    def __init__(self, name, suppress=False):
        self.name = name
        self.suppress = suppress
    def __enter__(self):
        print("enter", self.name)
        return self.name.upper()
    def __exit__(self, t, v, tb):
        print("exit", self.name, t.__name__ if t else None)
        return self.suppress

def with_normal(n):
    total = 0
    for i in range(n):
        with CM("a%d" % i) as v:
            total += len(v)
    return total

print("with_normal", with_normal(3))

def with_raise():
    try:
        with CM("r"):
            raise ValueError("boom")
    except ValueError as e:
        return "caught", e.args

print("with_raise", with_raise())

def with_suppress():
    with CM("s", suppress=True):
        1 / 0
    return "after"

print("with_suppress", with_suppress())

def with_nested():
    with CM("x") as a, CM("y") as b:
        return a + b

print("with_nested", with_nested())

def with_not_cm():
    try:
        with 42:
            pass
    except TypeError as e:
        return type(e).__name__

print("with_not_cm", with_not_cm())

class Base:
    def __init__(self, v):
        self.v = v
    def describe(self):
        return "Base(%r)" % self.v
    @classmethod
    def make(cls, v):
        return cls(v)
    @staticmethod
    def twice(x):
        return 2 * x
    label = "base-label"

class Derived(Base):
    def __init__(self, v):
        super().__init__(v * 10)
    def describe(self):
        return "Derived<" + super().describe() + ">"
    @classmethod
    def make(cls, v):
        return super().make(v + 1)
    def twice(self, x):
        return super().twice(x) + 1
    def label_of(self):
        return super().label

for i in range(3):
    d = Derived(i)
    print("super", d.describe(), Derived.make(i).v, d.twice(i), d.label_of())

class MyDict(dict):
    def __init__(self, *a):
        super().__init__(*a)
    def __setitem__(self, k, v):
        super().__setitem__(k, v * 2)
    @classmethod
    def fk(cls, keys):
        return super().fromkeys(keys, 0)

m = MyDict([(1, 2)])
m[3] = 4
print("super_builtin", sorted(m.items()), sorted(MyDict.fk([1, 2]).items()), type(MyDict.fk([1])).__name__)

def imports():
    import math
    from os import path as p
    from collections import OrderedDict, defaultdict
    import os.path
    return math.floor(2.5), p.basename("/a/b.txt"), OrderedDict.__name__, defaultdict.__name__, os.path.sep

print("imports", imports(), imports())

def bad_import():
    try:
        import no_such_module_xyz
    except ImportError as e:
        return type(e).__name__, e.name
print("bad_import", bad_import())

def bad_from():
    try:
        from math import no_such_name
    except ImportError as e:
        return type(e).__name__, str(e)[:33]
print("bad_from", bad_from())

class MyErr(Exception):
    pass

def raiser(kind):
    if kind == 0:
        raise MyErr
    if kind == 1:
        raise MyErr("one")
    if kind == 2:
        raise MyErr("two") from KeyError("k")
    if kind == 3:
        raise MyErr("three") from None
    if kind == 4:
        raise 42
    return "no raise"

for kind in range(6):
    try:
        print("raise", raiser(kind))
    except Exception as e:
        print("raise", kind, type(e).__name__, e.args if kind < 4 else "", type(e.__cause__).__name__, e.__suppress_context__)

def raise_in_loop(n):
    caught = 0
    for i in range(n):
        try:
            if i % 3 == 0:
                raise ValueError(i)
        except ValueError as e:
            caught += e.args[0]
    return caught

print("raise_loop", raise_in_loop(30))

def unpack(seq):
    a, *b, c = seq
    *d, e = seq
    f, *g = seq
    return a, b, c, d, e, f, g

print("unpack_ex", unpack([1, 2, 3, 4]), unpack("xy"), unpack(range(3)))
try:
    unpack([1])
except ValueError as e:
    print("unpack_short", e)
try:
    unpack(5)
except TypeError as e:
    print("unpack_bad", e)

class Pos:
    def __pos__(self):
        return "positive!"

def plus(x):
    return +x

print("unary_plus", plus(3), plus(-2.5), plus(True), plus(Pos()))

def alls(xs):
    return all(x > 0 for x in xs), any(x > 5 for x in xs), tuple(x * 2 for x in xs), list(x for x in xs), sorted(set(x % 2 for x in xs))

print("all_any", alls([1, 2, 3]), alls([0, 7]))
real_all = builtins.all
builtins.all = lambda it: "rebound"
print("all_rebound", alls([1, 2]))
builtins.all = real_all
print("all_restored", alls([1, 2]))

def asserting(x):
    assert x > 0, "must be positive"
    return x

print("assert", asserting(1))
try:
    asserting(-1)
except AssertionError as e:
    print("assert_failed", e)

def kw_target(a, b=0, **rest):
    return a, b, sorted(rest.items())

class Mapping:
    def keys(self):
        return ["b", "z"]
    def __getitem__(self, k):
        return k * 2

def kw_calls(extra):
    out = [kw_target(1, **extra), kw_target(**{"a": 5}, **extra), kw_target(0, **Mapping())]
    try:
        kw_target(1, b=2, **{"b": 3})
    except TypeError as e:
        out.append(type(e).__name__)
    try:
        kw_target(1, **[1])
    except TypeError as e:
        out.append(type(e).__name__)
    return out

for extra in ({}, {"b": 7}, {"q": 1, "r": 2}):
    print("dict_merge", kw_calls(extra))

# Hot loops (compiled at the default threshold too), with assumptions that change
# mid-loop: a context manager whose __enter__ is not a plain method, a closure attribute
# set after creation, a `super` that is rebound.
class Tracked:
    entered = 0
    def __enter__(self):
        Tracked.entered += 1
        return self
    def __exit__(self, *exc):
        return False

class CallableEnter:
    def __call__(self, owner):
        return owner

class OddEnter(Tracked):
    # A descriptor that is not a function: the special-method lookup must bind it.
    __enter__ = property(lambda self: (lambda: "odd"))

hot_total = 0

def hot(n):
    global hot_total
    seen = []
    for i in range(n):
        cm = OddEnter() if i == n - 3 else Tracked()
        with cm as v:
            hot_total += 1
        first, *middle, last = (i, i + 1, i + 2, i + 3)
        hot_total += len(middle) + last - first
        f = lambda y, i=i: y + i
        hot_total += f(1)
        if i % 1000 == 999:
            seen.append((hot_total, Tracked.entered, type(v).__name__))
    seen.append((hot_total, Tracked.entered, v if isinstance(v, str) else type(v).__name__))
    return seen

print("hot_with", hot(3000))

class P:
    def val(self):
        return 1

class Q(P):
    def val(self):
        return super().val() + 1

def hot_super(n):
    global super
    t = 0
    q = Q()
    for i in range(n):
        if i == n // 2:
            super = lambda *a: P()
        t += q.val()
    del super
    return t

print("hot_super", hot_super(3000))
