# inheritance, multiple inheritance, MRO, zero-arg super in deep chains
class Base:
    def __init__(self):
        self.log = ["Base"]
    def who(self):
        return "Base"
    def chain(self, n):
        return n

class A(Base):
    def __init__(self):
        super().__init__()
        self.log.append("A")
    def who(self):
        return "A>" + super().who()
    def chain(self, n):
        return super().chain(n) + 1

class B(Base):
    def __init__(self):
        super().__init__()
        self.log.append("B")
    def who(self):
        return "B>" + super().who()
    def chain(self, n):
        return super().chain(n) * 2

class C(A, B):
    def __init__(self):
        super().__init__()
        self.log.append("C")
    def who(self):
        return "C>" + super().who()
    def chain(self, n):
        return super().chain(n) - 3

class D(C):
    def chain(self, n):
        return super().chain(n) + 100

print("mro", [k.__name__ for k in D.__mro__])
d = D()
print("log", d.log)
print("who", d.who())
t = 0
for i in range(3000):
    t += d.chain(i)
print("chain total", t)
assert d.chain(5) == (5 * 2 + 1 - 3) + 100
print(isinstance(d, B), issubclass(D, A), issubclass(A, B))

class L1:
    def f(self): return 1
class L2(L1):
    def f(self): return super().f() + 1
class L3(L2):
    def f(self): return super().f() + 1
class L4(L3):
    def f(self): return super().f() + 1
class L5(L4):
    def f(self): return super().f() + 1
x = L5()
s = 0
for i in range(3000):
    s += x.f()
print("deep super", s)

try:
    class Bad(A, Base, B):
        pass
except TypeError as e:
    print("mro conflict", type(e).__name__)

class Meta(type):
    def __new__(mcs, name, bases, ns):
        ns["made_by"] = "Meta"
        return super().__new__(mcs, name, bases, ns)
class WithMeta(metaclass=Meta):
    pass
print(WithMeta.made_by, type(WithMeta).__name__)
class Sub(WithMeta):
    pass
print(Sub.made_by)
