class Base:
    kind = "base"
    def __init__(self, x):
        self.x = x
    def value(self):
        return self.x
    def describe(self):
        return f"{self.kind}:{self.value()}"
class Double(Base):
    kind = "double"
    def value(self):
        return super().value() * 2
class Triple(Double):
    kind = "triple"
    def value(self):
        return super().value() + self.x
class A:
    def who(self): return "A"
class B(A):
    def who(self): return "B" + super().who()
class C(A):
    def who(self): return "C" + super().who()
class D(B, C):
    def who(self): return "D" + super().who()
print([k.__name__ for k in D.__mro__], D().who())
objs = [Base(1), Double(2), Triple(3)]
print([o.describe() for o in objs])
t = 0
for i in range(3000):
    t += objs[i % 3].value()
print(t, isinstance(objs[2], Base), issubclass(Triple, Double))
