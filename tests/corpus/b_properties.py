# Properties with getters, setters and deleters; validation; computed attributes.

class Temperature:
    def __init__(self, c=0.0):
        self.celsius = c
    @property
    def celsius(self):
        return self._c
    @celsius.setter
    def celsius(self, v):
        if v < -273.15:
            raise ValueError("below absolute zero")
        self._c = v
    @celsius.deleter
    def celsius(self):
        print("deleting celsius")
        del self._c
    @property
    def fahrenheit(self):
        return self._c * 9 / 5 + 32
    @fahrenheit.setter
    def fahrenheit(self, f):
        self.celsius = (f - 32) * 5 / 9

t = Temperature(100)
print(t.celsius, t.fahrenheit)
t.fahrenheit = 32
print(t.celsius, t.fahrenheit)
try:
    t.celsius = -300
except ValueError as e:
    print("ValueError:", e)
print(t.celsius)
del t.celsius
print(hasattr(t, "_c"))
try:
    t.celsius
except AttributeError:
    print("AttributeError after delete")

# Read-only property
class Circle:
    def __init__(self, r):
        self._r = r
    @property
    def area(self):
        return 3 * self._r * self._r
c = Circle(2)
print(c.area)
try:
    c.area = 5
except AttributeError:
    print("read-only -> AttributeError")
try:
    del c.area
except AttributeError:
    print("no deleter -> AttributeError")

# property() called directly, with doc
class Legacy:
    def __init__(self):
        self._x = 1
    def getx(self):
        return self._x
    def setx(self, v):
        self._x = v * 2
    x = property(getx, setx, None, "the x value")
lg = Legacy()
lg.x = 5
print(lg.x, Legacy.x.__doc__, type(Legacy.x).__name__)

# Lazy cached property pattern
class Lazy:
    computed = 0
    @property
    def data(self):
        if not hasattr(self, "_data"):
            Lazy.computed += 1
            self._data = list(range(5))
        return self._data
lz = Lazy()
for _ in range(10):
    lz.data
print(lz.data, Lazy.computed)

# Hot property access and assignment
class Counter:
    def __init__(self):
        self._n = 0
        self.sets = 0
    @property
    def n(self):
        return self._n
    @n.setter
    def n(self, v):
        self.sets += 1
        self._n = v
cnt = Counter()
for i in range(3000):
    cnt.n = cnt.n + i % 5
print("hot property", cnt.n, cnt.sets)
assert cnt.n == sum(i % 5 for i in range(3000))

# Property overridden in subclass, extending the parent's via fget
class Base:
    @property
    def label(self):
        return "base"
class Sub(Base):
    @property
    def label(self):
        return Base.label.fget(self) + "+sub"
print(Sub().label)

# Instance dict cannot shadow a data descriptor (property)
class Shadow:
    @property
    def p(self):
        return "property wins"
sh = Shadow()
sh.__dict__["p"] = "instance value"
print(sh.p, sh.__dict__["p"])

# functools.cached_property
import functools
class Expensive:
    calls = 0
    @functools.cached_property
    def value(self):
        Expensive.calls += 1
        return 42
e = Expensive()
print(e.value, e.value, Expensive.calls, "value" in vars(e))
del e.value
print(e.value, Expensive.calls)
