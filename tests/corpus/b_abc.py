# abc: abstract base classes, abstractmethod, abstract properties, register, isinstance with ABCs.
from abc import ABC, ABCMeta, abstractmethod
import collections.abc as cabc

class Shape(ABC):
    @abstractmethod
    def area(self):
        ...
    @property
    @abstractmethod
    def name(self):
        ...
    def describe(self):
        return f"{self.name} with area {self.area()}"

try:
    Shape()
except TypeError:
    print("abstract class -> TypeError")

class Partial(Shape):
    def area(self):
        return 0
try:
    Partial()
except TypeError:
    print("missing abstract property -> TypeError")
print(sorted(Partial.__abstractmethods__), sorted(Shape.__abstractmethods__))

class Square(Shape):
    def __init__(self, s):
        self.s = s
    def area(self):
        return self.s * self.s
    @property
    def name(self):
        return "square"
class Circle(Shape):
    def __init__(self, r):
        self.r = r
    def area(self):
        return 3 * self.r * self.r
    @property
    def name(self):
        return "circle"

shapes = [Square(2), Circle(1), Square(5)]
print([s.describe() for s in shapes])
print(isinstance(shapes[0], Shape), issubclass(Circle, Shape), Square.__abstractmethods__ == frozenset())

# Abstract method can have an implementation reached via super()
class Base(ABC):
    @abstractmethod
    def greet(self):
        return "base greeting"
class Impl(Base):
    def greet(self):
        return "impl + " + super().greet()
print(Impl().greet())

# Virtual subclasses via register
class Duck(ABC):
    @abstractmethod
    def quack(self): ...
class Robot:
    def quack(self):
        return "beep quack"
Duck.register(Robot)
print(isinstance(Robot(), Duck), issubclass(Robot, Duck), Robot in Duck.__mro__)

# __subclasshook__
class HasLen(ABC):
    @classmethod
    def __subclasshook__(cls, C):
        if cls is HasLen:
            return any("__len__" in B.__dict__ for B in C.__mro__)
        return NotImplemented
print(isinstance([], HasLen), isinstance(5, HasLen), isinstance("s", HasLen))

# collections.abc checks
print(isinstance([], cabc.Sequence), isinstance({}, cabc.Mapping), isinstance({}, cabc.MutableMapping),
      isinstance((x for x in []), cabc.Generator), isinstance(iter([]), cabc.Iterator),
      isinstance(set(), cabc.Set), isinstance(len, cabc.Callable), isinstance(5, cabc.Hashable))

# Implementing a collections.abc mixin
class Range3(cabc.Sequence):
    def __init__(self, n):
        self.n = n
    def __len__(self):
        return self.n
    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(self.n))]
        if i < 0:
            i += self.n
        if not 0 <= i < self.n:
            raise IndexError(i)
        return i * 3
r = Range3(6)
print(list(r), r.index(9), r.count(3), 12 in r, list(reversed(r)), r[1:4])

# Hot polymorphic calls through the abstract interface
total = 0
for i in range(3000):
    total += shapes[i % 3].area()
print("hot area", total)
assert total == 1000 * (4 + 3 + 25)

# Metaclass directly
class Plugin(metaclass=ABCMeta):
    @abstractmethod
    def run(self): ...
class P1(Plugin):
    def run(self):
        return "p1"
print(type(Plugin).__name__, P1().run())
