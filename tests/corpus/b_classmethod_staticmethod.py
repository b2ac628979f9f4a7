# classmethod and staticmethod: alternative constructors, subclass-aware factories, registries.

class Date:
    created = 0
    def __init__(self, y, m, d):
        self.y, self.m, self.d = y, m, d
        type(self).created += 1
    @classmethod
    def from_string(cls, s):
        y, m, d = (int(p) for p in s.split("-"))
        return cls(y, m, d)
    @staticmethod
    def is_leap(y):
        return y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)
    def __repr__(self):
        return f"{type(self).__name__}({self.y:04d}-{self.m:02d}-{self.d:02d})"

class EuroDate(Date):
    @classmethod
    def from_string(cls, s):
        d, m, y = (int(p) for p in s.split("."))
        return cls(y, m, d)

print(Date.from_string("2024-02-29"), EuroDate.from_string("01.12.1999"))
print(Date.is_leap(2000), Date.is_leap(1900), Date(1, 1, 1).is_leap(2024))
print(Date.created, EuroDate.created)

# Called via instance and via class
d = Date(2020, 5, 17)
print(type(d).from_string("1970-01-01"), d.from_string("1980-06-15"))

# Descriptor types
print(type(Date.__dict__["from_string"]).__name__, type(Date.__dict__["is_leap"]).__name__)
print(Date.__dict__["is_leap"].__func__(2024))

# Hot static and class method calls
leaps = 0
for y in range(1, 3001):
    if Date.is_leap(y):
        leaps += 1
print("leap years 1..3000:", leaps)
assert leaps == 727

class Registry:
    _items = {}
    @classmethod
    def add(cls, k, v):
        cls._items[k] = v
        return len(cls._items)
    @classmethod
    def get(cls, k):
        return cls._items.get(k)
for i in range(3000):
    Registry.add(i % 97, i)
print(Registry.get(0), Registry.get(96), len(Registry._items))

# classmethod sees the subclass
class Shape:
    sides = 0
    @classmethod
    def describe(cls):
        return f"{cls.__name__} with {cls.sides} sides"
class Tri(Shape):
    sides = 3
class Sq(Shape):
    sides = 4
print([k.describe() for k in (Shape, Tri, Sq)])

# Counting instances per class with a classmethod
class Tracked:
    instances = 0
    def __init__(self):
        type(self).bump()
    @classmethod
    def bump(cls):
        cls.instances += 1
class TA(Tracked):
    instances = 0
class TB(Tracked):
    pass
for _ in range(3): TA()
for _ in range(2): TB()
Tracked()
print(Tracked.instances, TA.instances, TB.instances)

# staticmethod objects are callable directly (3.10+)
sm = staticmethod(lambda x: x + 1)
print(sm(1))
