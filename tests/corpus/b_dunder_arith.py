# Arithmetic dunders: __add__/__radd__/__iadd__/__sub__/__mul__/__rmul__/__neg__/__eq__/__hash__.

class Vec:
    __slots__ = ("x", "y")
    def __init__(self, x, y):
        self.x = x
        self.y = y
    def __add__(self, o):
        if isinstance(o, Vec):
            return Vec(self.x + o.x, self.y + o.y)
        if isinstance(o, (int, float)):
            return Vec(self.x + o, self.y + o)
        return NotImplemented
    def __radd__(self, o):
        if o == 0:          # makes sum() work
            return self
        return self.__add__(o)
    def __sub__(self, o):
        if not isinstance(o, Vec):
            return NotImplemented
        return Vec(self.x - o.x, self.y - o.y)
    def __mul__(self, k):
        if isinstance(k, (int, float)):
            return Vec(self.x * k, self.y * k)
        if isinstance(k, Vec):
            return self.x * k.x + self.y * k.y
        return NotImplemented
    __rmul__ = __mul__
    def __neg__(self):
        return Vec(-self.x, -self.y)
    def __abs__(self):
        return self.x * self.x + self.y * self.y
    def __eq__(self, o):
        return isinstance(o, Vec) and (self.x, self.y) == (o.x, o.y)
    def __hash__(self):
        return hash((self.x, self.y))
    def __repr__(self):
        return f"Vec({self.x}, {self.y})"

a, b = Vec(1, 2), Vec(3, 4)
print(a + b, a - b, a * 3, 3 * a, a * b, -a, abs(b))
print(a + 1, 1 + a, sum([a, b, Vec(10, 10)]))
print(a == Vec(1, 2), a != b, a == (1, 2))
print(len({Vec(1, 2), Vec(1, 2), Vec(2, 1)}))
try:
    a - 1
except TypeError:
    print("Vec - int -> TypeError")
try:
    "s" + a
except TypeError:
    print("str + Vec -> TypeError")

# __iadd__ mutating in place vs falling back to __add__
class Acc:
    def __init__(self):
        self.items = []
    def __iadd__(self, x):
        self.items.append(x)
        return self
acc = Acc()
ref = acc
for i in range(5):
    acc += i
print(acc.items, acc is ref)

v = Vec(0, 0)
ref = v
v += Vec(1, 1)        # no __iadd__: rebinding via __add__
print(v, ref, v is ref)

# Hot loop using the dunders
pos = Vec(0, 0)
vel = Vec(1, -1)
for i in range(3000):
    pos = pos + vel * (i % 3)
    if i % 1000 == 999:
        vel = -vel
print("hot", pos)

# Reflected operations priority: subclass reflected method wins
class Base:
    def __add__(self, o):
        return "Base.add"
    def __radd__(self, o):
        return "Base.radd"
class Derived(Base):
    def __radd__(self, o):
        return "Derived.radd"
print(Base() + Derived(), Derived() + Base())

# Rich comparisons and reflection
class Money:
    def __init__(self, c):
        self.c = c
    def __lt__(self, o):
        return self.c < o.c
    def __le__(self, o):
        return self.c <= o.c
    def __eq__(self, o):
        return self.c == o.c
    def __hash__(self):
        return hash(self.c)
    def __repr__(self):
        return f"${self.c}"
ms = [Money(5), Money(1), Money(3)]
print(sorted(ms), max(ms), min(ms), Money(2) > Money(1), Money(2) >= Money(3))

# Other numeric dunders
class Num:
    def __init__(self, v):
        self.v = v
    def __floordiv__(self, o): return Num(self.v // o)
    def __mod__(self, o): return Num(self.v % o)
    def __pow__(self, o): return Num(self.v ** o)
    def __rpow__(self, o): return Num(o ** self.v)
    def __truediv__(self, o): return Num(self.v / o)
    def __int__(self): return int(self.v)
    def __float__(self): return float(self.v)
    def __index__(self): return int(self.v)
    def __round__(self, n=None): return round(self.v, n)
    def __lshift__(self, o): return Num(self.v << o)
    def __and__(self, o): return Num(self.v & o)
    def __invert__(self): return Num(~self.v)
n = Num(17)
print((n // 5).v, (n % 5).v, (n ** 2).v, (2 ** Num(5)).v, (n / 4).v)
print(int(n), float(n), [10, 20, 30, 40][Num(2)], round(Num(2.567), 2), (n << 2).v, (n & 5).v, (~n).v)
print(bin(Num(5)), hex(Num(255)), list(range(10))[Num(1):Num(4)])
