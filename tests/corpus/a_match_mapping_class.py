# match/case mapping patterns and class patterns (positional via __match_args__, keyword).
from dataclasses import dataclass

@dataclass
class Point:
    x: int
    y: int

@dataclass
class Circle:
    center: Point
    r: int

class Rect:
    __match_args__ = ("w", "h")
    def __init__(self, w, h):
        self.w = w
        self.h = h

def describe(obj):
    match obj:
        case Point(x=0, y=0):
            return "origin"
        case Point(0, y):
            return "on y axis at %d" % y
        case Point(x, 0):
            return "on x axis at %d" % x
        case Point(x, y) if x == y:
            return "diagonal %d" % x
        case Point():
            return "point %d,%d" % (obj.x, obj.y)
        case Circle(Point(0, 0), r):
            return "centered circle r=%d" % r
        case Circle(center=Point(x=cx), r=r) if r > 10:
            return "big circle at x=%d" % cx
        case Circle():
            return "circle"
        case Rect(w, h) if w == h:
            return "square %d" % w
        case Rect(w, h=h):
            return "rect %dx%d" % (w, h)
        case int() | float() as num:
            return "number %r" % num
        case bool():
            return "bool unreachable"
        case str(s):
            return "string " + s
        case {"type": "user", "name": str(name), **rest}:
            return "user %s extra=%s" % (name, sorted(rest))
        case {"type": "admin"}:
            return "admin"
        case {"x": x, "y": y}:
            return "mapping point %r,%r" % (x, y)
        case {}:
            return "some mapping"
        case _:
            return "unknown"

objs = [Point(0, 0), Point(0, 5), Point(3, 0), Point(4, 4), Point(1, 2), Circle(Point(0, 0), 3), Circle(Point(7, 1), 20),
        Circle(Point(1, 1), 2), Rect(3, 3), Rect(2, 5), 7, 2.5, True, "txt",
        {"type": "user", "name": "ann", "age": 3, "zip": 1}, {"type": "user", "name": 5}, {"type": "admin", "x": 1},
        {"x": 1, "y": 2, "z": 3}, {"q": 1}, {}, [1], None]
for o in objs:
    print(describe(o))

class NoArgs:
    pass
try:
    match NoArgs():
        case NoArgs(1):
            pass
except TypeError:
    print("TypeError too many positional")

# Hot: class/mapping patterns in a loop
def tally(n):
    pts = [Point(i % 3, i % 2) for i in range(6)]
    maps = [{"k": i, "v": i * 2} if i % 2 else {"k": i} for i in range(4)]
    a = b = c = d = 0
    for i in range(n):
        match pts[i % 6]:
            case Point(0, _):
                a += 1
            case Point(x, 1):
                b += x
        match maps[i % 4]:
            case {"k": k, "v": v}:
                c += k + v
            case {"k": k}:
                d += k
    return a, b, c, d
print(tally(3000))
