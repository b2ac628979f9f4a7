# match/case compiled natively: class, keyword, sequence, mapping and value patterns,
# subjects whose type changes inside a hot loop, and every error the interpreter raises.
from collections.abc import Mapping
import enum

class Point:
    __match_args__ = ("x", "y")
    def __init__(self, x, y):
        self.x = x
        self.y = y

class Point3(Point):
    __match_args__ = ("x", "y", "z")
    def __init__(self, x, y, z):
        super().__init__(x, y)
        self.z = z

class Lazy:
    @property
    def x(self):
        raise AttributeError("x is missing")

class FrozenMap(Mapping):
    def __init__(self, d):
        self._d = dict(d)
    def __getitem__(self, k):
        return self._d[k]
    def __iter__(self):
        return iter(self._d)
    def __len__(self):
        return len(self._d)

class Color(enum.Enum):
    RED = 1
    GREEN = 2

def classify(v):
    match v:
        case Point3(0, 0, z):
            return "origin-z", z
        case Point(x=0, y=y):
            return "y-axis", y
        case Point(x, y) if x == y:
            return "diagonal", x
        case Point(x, y):
            return "point", x, y
        case int(n) if n < 0:
            return "negative", n
        case int() | float() as num:
            return "number", num
        case str(s):
            return "str", s.upper()
        case [a, b, *rest]:
            return "seq", a, b, len(rest)
        case []:
            return "empty"
        case {"kind": "circle", "r": r, **others}:
            return "circle", r, sorted(others)
        case {"kind": k}:
            return "kind", k
        case Color.RED:
            return "red"
        case Lazy(x=x):
            return "lazy", x
        case None:
            return "none"
        case _:
            return "other", type(v).__name__

samples = [Point3(0, 0, 5), Point(0, 7), Point(3, 3), Point(1, 2), -4, 9, 2.5, True, "hi",
           [1, 2, 3, 4], (5, 6), [], {"kind": "circle", "r": 2, "a": 1}, {"kind": "sq"},
           FrozenMap({"kind": "frozen"}), FrozenMap({"r": 1}), Color.RED, Color.GREEN, Lazy(),
           None, {1, 2}, b"xy", range(3)]
for s in samples:
    print(classify(s))

def hot(n):
    counts = {}
    for i in range(n):
        if i < n // 2:
            v = i
        elif i < 3 * n // 4:
            v = Point(i % 3, i % 2)
        else:
            v = [i, i + 1] if i % 2 else {"kind": i % 5}
        r = classify(v)[0]
        counts[r] = counts.get(r, 0) + 1
    return sorted(counts.items())

print("hot", hot(4000))

class BadArgs:
    __match_args__ = ["x"]
    x = 1

class TooFew:
    __match_args__ = ("x",)
    x = 1

class Dup:
    __match_args__ = ("x",)
    x = 1

def errors(case):
    try:
        match case:
            case 0:
                match BadArgs():
                    case BadArgs(x):
                        return x
            case 1:
                match TooFew():
                    case TooFew(a, b):
                        return a
            case 2:
                match Dup():
                    case Dup(x, x=y):
                        return y
            case 3:
                notaclass = 5
                match 1:
                    case notaclass():
                        return "?"
            case 4:
                match {"RED": 1}:
                    case {Color.RED.name: 1, Color.RED.name: 2}:
                        return "dup"
            case 5:
                match 1.5:
                    case int(a, b):
                        return a
        return "no error"
    except (TypeError, ValueError) as e:
        return type(e).__name__

for case in range(7):
    print("error", case, errors(case))

def lengths(seqs):
    out = []
    for s in seqs:
        match s:
            case [x]:
                out.append(("one", x))
            case [x, y, z]:
                out.append(("three", x + y + z))
            case (first, *_, last):
                out.append(("ends", first, last))
            case _:
                out.append("none")
    return out

print("lengths", lengths([[1], (1, 2, 3), [1, 2], "abc", [1, 2, 3, 4, 5], 7]))
