# The instruction forms the interpreter quickens (list/tuple/str/dict subscripts and stores,
# str equality, truth tests of True/False/None,
# len, isinstance, type/str/tuple of one argument, list.append, instance-dict attribute
# stores, module attributes, builtins) run natively on the types they were quickened for,
# and behave exactly like the generic operation when other types, errors or rebound names
# come along later.
import builtins
import math
import sys


class MyList(list):
    def __getitem__(self, i):
        return ("sub", list.__getitem__(self, i))

    def append(self, x):
        list.append(self, ("appended", x))


class MyDict(dict):
    def __missing__(self, key):
        return "missing " + key


class Sized:
    # A Python __len__ sees the caller's locals, as from the interpreter.
    def __len__(self):
        return sys._getframe(1).f_locals.get("marker", -1)


class Meta(type):
    def __instancecheck__(cls, obj):
        return obj == "duck"


class Duck(metaclass=Meta):
    pass


class Point:
    def __init__(self, x, y):
        self.x = x
        self.y = y


def subscripts(xs, t, d, i, key):
    # list[int], tuple[int], dict[key], with an unboxed index computed here
    return xs[i], xs[i - 1], t[i % 3], d[key], xs[-1]


def stores(xs, d, i, value):
    xs[i] = value
    xs[i - 1] = value * 2
    d[i] = value
    return xs, d


def builtin_calls(xs, obj):
    marker = 42
    xs.append(len(xs))
    return (len(xs), isinstance(obj, int), isinstance(obj, (str, float)), type(obj).__name__,
            str(obj), tuple(xs[:2]), len(Sized()))


def attribute_stores(p, n):
    for k in range(n):
        p.x = k
        p.y = p.x + 1
    return p.x, p.y, sorted(getattr(p, "__dict__", {"(slots)": 0}))


def text(s, i, words):
    # str[int], str == str / != str, truth tests of flags and optional values
    ch = s[i]
    found = None
    for w in words:
        if w == ch or w != w:
            found = w
    flag = found is not None
    truthy = 0
    for w in words:
        if w:
            truthy += 1
    return ch, s[-1], found, (1 if flag else 0), (not found), (2 if found else 3), truthy


def method_calls(s, d, xs):
    # builtin method descriptors and builtin functions, called directly
    xs.extend([len(s)])
    return s.startswith("he"), d.get("a"), s.upper(), xs.pop(), abs(-len(xs)), max(1, len(s))


def module_attrs(m):
    return m.pi, m.floor(2.5), m.__name__


def call(fn, a):
    # Positional calls (a call with *args does not make its callee hot).
    if len(a) == 1:
        return fn(a[0])
    if len(a) == 2:
        return fn(a[0], a[1])
    if len(a) == 3:
        return fn(a[0], a[1], a[2])
    if len(a) == 4:
        return fn(a[0], a[1], a[2], a[3])
    return fn(a[0], a[1], a[2], a[3], a[4])


def drive(fn, hot_args, other_args):
    """Calls fn from a hot loop until it is compiled for the types of hot_args, then with
    each of other_args from the same native code: other types, errors."""
    for r in range(5000):
        result = call(fn, hot_args)
    out = [result]
    for args in other_args:
        try:
            out.append(call(fn, args))
        except (IndexError, KeyError, TypeError, AttributeError) as exc:
            out.append("%s: %s" % (type(exc).__name__, exc))
    return out


def show(results):
    for r in results:
        print(" ", r)


class Slotted:
    __slots__ = ("x", "y")


print("subscripts")
show(drive(subscripts, ([1, 2, 3, 4], (5, 6, 7), {"k": 8}, 2, "k"), [
    (MyList([1, 2, 3, 4]), [5, 6, 7], MyDict(k=1), 2, "k"),
    ([1, 2, 3, 4], (5, 6, 7), MyDict(), 1, "absent"),
    ("abcd", "xyz", {"k": [1]}, 3, "k"),
    ([1, 2, 3, 4], (5, 6, 7), {"k": 1}, 2 ** 70, "k"),
    ([1], (5, 6, 7), {"k": 1}, 5, "k"),
    ([1, 2, 3], (5,), {"k": 1}, 2, "k"),
    ([1, 2, 3], (5, 6, 7), {}, 1, "k"),
    ([1], (1,), {}, "x", "k"),
]))
print("stores")
show(drive(stores, ([0, 0, 0], {}, 2, 1.5), [
    (bytearray(3), {}, 2, 7),
    ([1], {}, 5, 1),
    ((1, 2, 3), {}, 2, 1),
    ([1, 2, 3], {}, 2, []),
    ([1, 2, 3], MyDict(), -1, "v"),
]))
print("builtin calls")
show(drive(builtin_calls, ([1, 2], 7), [
    (MyList([9]), "duck"),
    ([], 2.5),
    ((1, 2), 1),
]))
print(isinstance("duck", Duck), isinstance(3, Duck))
print("text")


class MyStr(str):
    def __eq__(self, other):
        return True

    __hash__ = str.__hash__


show(drive(text, ("héllo", 1, ["a", "é", "z", True, False, None]), [
    ("abc", 0, [MyStr("q")]),
    ("abc", 5, []),
    ("abc", -4, []),
    (b"abc", 1, [98]),
    ("abc", 1, [1, 2.5, None]),
    ("x\udcff", 1, ["\udcff", True]),
    ("abc", 2, ["c", 0, ""]),
    ("abc", 2, [True, False, None, [], [0], 0.0, 3, MyStr("")]),
]))
print("method calls")


class Shouty(str):
    def upper(self):
        return "shouty"


class Defaulting(dict):
    def get(self, key, default=None):
        return "Defaulting.get"


show(drive(method_calls, ("hello", {"a": 1}, []), [
    (Shouty("hello"), Defaulting(), []),
    ("hello", {"a": 1}, ()),
    (b"hello", {"a": 1}, [0]),
]))
try:
    str.upper(5)
except TypeError as exc:
    print("TypeError", exc)
print("attribute stores")
p = Point(1, 2)
p.z = 3
show(drive(attribute_stores, (Point(0, 0), 3), [(p, 2), (Slotted(), 2)]))

# Rebinding the builtins the fast paths recognise, then restoring them.
original_len, original_isinstance = builtins.len, builtins.isinstance
builtins.len = lambda x: "len rebound"
builtins.isinstance = lambda o, c: "isinstance rebound"
try:
    print(builtin_calls([1], 3))
finally:
    builtins.len, builtins.isinstance = original_len, original_isinstance
print(builtin_calls([1], 3))

class FakeModule:
    pi = "not math"
    __name__ = "fake"

    def floor(self, x):
        return "floor"


lazy = type(sys)("lazy")
lazy.pi = 3
lazy.floor = abs
lazy.__getattr__ = lambda name: "from __getattr__ " + name
print("module attributes")
show(drive(module_attrs, (math,), [(FakeModule(),), (lazy,), (sys,)]))
print(lazy.missing)
