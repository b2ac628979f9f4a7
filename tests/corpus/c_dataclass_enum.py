from dataclasses import dataclass, field, asdict, replace
import enum

@dataclass(order=True)
class Item:
    priority: int
    name: str = field(compare=False)
    tags: list = field(default_factory=list, compare=False)

@dataclass(frozen=True)
class P:
    x: int
    y: int = 0
    def norm1(self):
        return abs(self.x) + abs(self.y)

items = [Item(i % 7, "n%d" % i) for i in range(3000)]
items.sort()
print("first", items[0].priority, "last", items[-1].priority)
print(repr(Item(1, "a", ["t"])))
print(Item(1, "a") == Item(1, "b"), Item(1, "a") < Item(2, "a"))
print(sorted(asdict(Item(3, "z", [1])).items()))
p = P(3, -4)
print(p, p.norm1(), replace(p, y=1), hash(P(1, 2)) == hash(P(1, 2)))
try:
    p.x = 9
except Exception as e:
    print("frozen", type(e).__name__)
tot = 0
for i in range(3000):
    tot += P(i, -i).norm1()
print("tot", tot)

class Color(enum.Enum):
    RED = 1
    GREEN = 2
    BLUE = 3
class Perm(enum.IntFlag):
    R = 4
    W = 2
    X = 1
class Num(enum.IntEnum):
    ONE = 1
    TWO = 2

print(Color.RED, repr(Color.GREEN), Color(3).name, Color["BLUE"].value)
print([c.name for c in Color], len(Color), Color.RED in Color)
print(Num.TWO + 1, Num.ONE < Num.TWO, int(Num.TWO))
rw = Perm.R | Perm.W
print(int(rw), Perm.R in rw, Perm.X in rw)
cnt = {c: 0 for c in Color}
for i in range(3000):
    cnt[Color(i % 3 + 1)] += 1
print(sorted((c.name, n) for c, n in cnt.items()))
try:
    Color(7)
except ValueError as e:
    print("bad enum", type(e).__name__)

class Shape(enum.Enum):
    SQ = enum.auto()
    CI = enum.auto()
    def describe(self):
        return "%s=%d" % (self.name, self.value)
print([s.describe() for s in Shape])
