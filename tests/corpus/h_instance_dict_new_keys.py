# Attribute stores that add keys to instance dicts from hot code (`__init__` filling a
# fresh instance, objects growing past the size where the VM keeps inline values, a
# replaced `__dict__`, a class that later gains a property or a `__setattr__`): the same
# attributes, dict order, `vars()` and errors as in the interpreter.


class Point:
    def __init__(self, x, y):
        self.x = x
        self.y = y
        self.tag = None


class Wide:
    # Far more attributes than an instance keeps inline: stores past that go to the VM.
    def __init__(self, n):
        for i in range(n):
            setattr(self, "a%d" % i, i)

    def fill(self, v):
        self.b0 = v
        self.b1 = v
        self.b2 = v
        self.b3 = v
        self.b4 = v
        self.b5 = v
        self.b6 = v
        self.b7 = v
        self.b8 = v
        self.b9 = v


class Later:
    def __init__(self, v):
        self.v = v
        self.w = v * 2


def build(n):
    pts = [Point(i, -i) for i in range(n)]
    last = pts[-1]
    return len(pts), vars(last), list(last.__dict__)


def grow(n):
    out = []
    for i in range(n):
        w = Wide(i % 40)
        w.fill(i)
        out.append((len(vars(w)), w.b9, list(vars(w))[-3:]))
    return out[-1], out[13], sum(x[0] for x in out)


def replaced_dict(n):
    seen = []
    for i in range(n):
        p = Point(i, i)
        if i % 3 == 0:
            p.__dict__ = {"old": i}
        p.extra = i
        seen.append(sorted(vars(p)))
    return seen[-3:]


def class_changes(n):
    log = []
    for i in range(n):
        if i == n // 3:
            # A data descriptor for `w`: stores of `w` go through its setter from now on.
            Later.w = property(lambda self: self.__dict__["_w"], lambda self, v: log.append(v) or self.__dict__.__setitem__("_w", v))
        if i == 2 * n // 3:
            def __setattr__(self, name, value):
                object.__setattr__(self, name, ("set", value))
            Later.__setattr__ = __setattr__
        o = Later(i)
    return len(log), log[-1], vars(o)


for rep in range(3):
    print(build(3000))
    print(grow(1500))
    print(replaced_dict(1500))
    print(class_changes(3000))

# The JIT's start-up checks leave no module imported that the program did not import.
import sys

print(sorted(m for m in ("_testinternalcapi", "_testcapi") if m in sys.modules))
