# Multiple inheritance, C3 MRO, cooperative super() in diamonds.

def mro(cls):
    return " > ".join(c.__name__ for c in cls.__mro__)

class A:
    def who(self):
        return ["A"]
    def __init__(self, **kw):
        self.trail = getattr(self, "trail", []) + ["A"]

class B(A):
    def who(self):
        return ["B"] + super().who()
    def __init__(self, b=None, **kw):
        super().__init__(**kw)
        self.trail.append("B")
        self.b = b

class C(A):
    def who(self):
        return ["C"] + super().who()
    def __init__(self, c=None, **kw):
        super().__init__(**kw)
        self.trail.append("C")
        self.c = c

class D(B, C):
    def who(self):
        return ["D"] + super().who()
    def __init__(self, d=None, **kw):
        super().__init__(**kw)
        self.trail.append("D")
        self.d = d

print(mro(D))
d = D(b=1, c=2, d=3)
print(d.who(), d.trail, d.b, d.c, d.d)
assert d.who() == ["D", "B", "C", "A"]

# A more complex hierarchy
class O: pass
class X(O): pass
class Y(O): pass
class Z(O): pass
class K1(X, Y): pass
class K2(Y, Z): pass
class K3(X, Z): pass
class Top(K1, K2, K3): pass
print(mro(Top))

# Inconsistent MRO raises TypeError
try:
    class Bad(X, K1):
        pass
except TypeError:
    print("inconsistent MRO -> TypeError")

# Mixins
class JsonMixin:
    def to_pairs(self):
        return sorted(vars(self).items())
class EqMixin:
    def __eq__(self, other):
        return type(self) is type(other) and vars(self) == vars(other)
    __hash__ = None
class Point(JsonMixin, EqMixin):
    def __init__(self, x, y):
        self.x, self.y = x, y
p, q = Point(1, 2), Point(1, 2)
print(p.to_pairs(), p == q, p != Point(2, 1), Point.__hash__ is None)

# super() with explicit arguments skips classes
class S1:
    def f(self): return "S1"
class S2(S1):
    def f(self): return "S2"
class S3(S2):
    def f(self): return "S3"
    def skip(self): return super(S2, self).f()
print(S3().f(), S3().skip())

# Attribute lookup order along the MRO, hot
class L1:
    val = 1
class L2(L1):
    pass
class L3(L2):
    pass
class R1:
    val = 100
    other = 7
class Mix(L3, R1):
    pass
m = Mix()
tot = 0
for i in range(3000):
    tot += m.val + m.other
print("lookup", tot)
L2.val = 2
print("after set", m.val)
del L1.val
del L2.val
print("after delete", m.val)

# super() in a method calling a method overridden further down
class Base:
    def template(self):
        return "<" + self.part() + ">"
    def part(self):
        return "base"
class Left(Base):
    def part(self):
        return "left+" + super().part()
class Right(Base):
    def part(self):
        return "right+" + super().part()
class Both(Left, Right):
    pass
print(Both().template(), mro(Both))

# Hot cooperative call chain
n = 0
for i in range(3000):
    n += len(d.who())
print("hot who", n)
assert n == 12000
