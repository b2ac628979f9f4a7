# dataclasses: generated __init__/__repr__/__eq__, order, frozen, default_factory, field(), asdict, replace.
from dataclasses import dataclass, field, asdict, astuple, replace, fields, FrozenInstanceError
from typing import List

@dataclass
class Point:
    x: int
    y: int = 0

p = Point(1, 2)
print(p, Point(5), p == Point(1, 2), p != Point(2, 1))
print(asdict(p), astuple(p), [f.name for f in fields(Point)])

@dataclass(order=True)
class Version:
    major: int
    minor: int = 0
    patch: int = 0
vs = [Version(1, 2), Version(0, 9, 9), Version(1, 2, 1), Version(1)]
print(sorted(vs))
print(max(vs), Version(1) < Version(1, 0, 1))

@dataclass(frozen=True)
class Coord:
    lat: float
    lon: float
c = Coord(1.5, 2.5)
try:
    c.lat = 0.0
except FrozenInstanceError:
    print("frozen -> FrozenInstanceError")
print(hash(c) == hash(Coord(1.5, 2.5)), len({c, Coord(1.5, 2.5), Coord(0.0, 0.0)}))
print(replace(c, lon=9.0), c)

@dataclass
class Inventory:
    owner: str
    items: List[str] = field(default_factory=list)
    count: int = field(default=0, repr=False)
    secret: str = field(default="s", compare=False)
a = Inventory("ann")
b = Inventory("bob")
a.items.append("apple")
print(a, b, a.items is b.items)
print(Inventory("x", secret="1") == Inventory("x", secret="2"))

# Mutable default without default_factory is rejected
try:
    @dataclass
    class Bad:
        items: list = []
except ValueError:
    print("mutable default -> ValueError")

# __post_init__ and init=False fields
@dataclass
class Rect:
    w: int
    h: int
    area: int = field(init=False)
    def __post_init__(self):
        self.area = self.w * self.h
print(Rect(3, 4), Rect(3, 4).area)

# Inheritance of dataclasses
@dataclass
class Base:
    a: int
    b: str = "b"
@dataclass
class Child(Base):
    c: float = 1.0
print(Child(1), Child(1, "x", 2.5), [f.name for f in fields(Child)])

# Hot: creating, comparing and hashing many dataclass instances
@dataclass(frozen=True, order=True)
class Cell:
    r: int
    c: int
seen = set()
for i in range(3000):
    seen.add(Cell(i % 13, (i * 7) % 11))
print("distinct cells", len(seen), min(seen), max(seen))
cells = sorted(seen)
print(cells[:3], cells[-2:])

total = 0
pts = [Point(i, -i) for i in range(50)]
for i in range(3000):
    q = pts[i % 50]
    total += q.x - q.y
    if q == Point(0, 0):
        total += 1000
print("point total", total)

# slots=True and kw_only
@dataclass(slots=True, kw_only=True)
class Opts:
    verbose: bool = False
    level: int = 1
o = Opts(level=3)
print(o, hasattr(o, "__dict__"))
try:
    Opts(True)
except TypeError:
    print("kw_only positional -> TypeError")

# Nested asdict
@dataclass
class Line:
    start: Point
    end: Point
print(asdict(Line(Point(0, 0), Point(3, 4))))
