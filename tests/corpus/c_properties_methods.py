class Temp:
    count = 0
    def __init__(self, c=0.0):
        self._c = c
        Temp.count += 1
    @property
    def celsius(self):
        return self._c
    @celsius.setter
    def celsius(self, v):
        if v < -273.15:
            raise ValueError("too cold")
        self._c = v
    @celsius.deleter
    def celsius(self):
        self._c = None
    @property
    def fahrenheit(self):
        return self._c * 9 / 5 + 32
    @classmethod
    def from_f(cls, f):
        return cls((f - 32) * 5 / 9)
    @staticmethod
    def valid(v):
        return v >= -273.15

t = Temp(10)
acc = 0.0
for i in range(3000):
    t.celsius = i % 100
    acc += t.fahrenheit
print("acc", acc)
try:
    t.celsius = -300
except ValueError as e:
    print("ValueError", e)
del t.celsius
print("deleted", t.celsius)
u = Temp.from_f(212)
print("from_f", u.celsius, type(u).__name__)
print("valid", Temp.valid(-1), t.valid(-500))
try:
    u.fahrenheit = 3
except AttributeError as e:
    print("readonly", type(e).__name__)

class SubTemp(Temp):
    @classmethod
    def zero(cls):
        return cls(0)
z = SubTemp.from_f(32)
print("sub from_f", type(z).__name__, z.celsius, type(SubTemp.zero()).__name__)
print("count", Temp.count)

class Lazy:
    def __init__(self):
        self.computed = 0
    @property
    def value(self):
        self.computed += 1
        return 42
l = Lazy()
for i in range(3000):
    l.value
print("computed", l.computed)
p = Temp.__dict__["celsius"]
print(type(p).__name__, p.fget.__name__, p.fset is not None, p.fdel is not None)
