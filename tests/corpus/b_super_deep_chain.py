# Zero-argument super() through deep chains, in classmethods, __init__ and properties.

class L0:
    def __init__(self):
        self.path = ["L0"]
    def depth(self):
        return 0
    def name(self):
        return "L0"
    @classmethod
    def make(cls):
        return cls.__name__ + ":made"


class L1(L0):
    def __init__(self):
        super().__init__()
        self.path.append("L1")
    def depth(self):
        return super().depth() + 1
    def name(self):
        return super().name() + ">L1"
    @classmethod
    def make(cls):
        return "L1(" + super().make() + ")"

class L2(L1):
    def __init__(self):
        super().__init__()
        self.path.append("L2")
    def depth(self):
        return super().depth() + 1
    def name(self):
        return super().name() + ">L2"

class L3(L2):
    def __init__(self):
        super().__init__()
        self.path.append("L3")
    def depth(self):
        return super().depth() + 1
    def name(self):
        return super().name() + ">L3"
    @classmethod
    def make(cls):
        return "L3(" + super().make() + ")"

class L4(L3):
    def __init__(self):
        super().__init__()
        self.path.append("L4")
    def depth(self):
        return super().depth() + 1
    def name(self):
        return super().name() + ">L4"

class L5(L4):
    def __init__(self):
        super().__init__()
        self.path.append("L5")
    def depth(self):
        return super().depth() + 1
    def name(self):
        return super().name() + ">L5"

class L6(L5):
    def depth(self):
        return super().depth() + 1

o = L6()
print(o.path)
print(o.depth(), o.name())
print(L6.make(), L2.make(), L0.make())
assert o.depth() == 6

# Hot: deep super chain invoked many times
tot = 0
for i in range(3000):
    tot += o.depth()
print("hot depth", tot)
assert tot == 18000

# super() inside a property getter and setter
class PBase:
    def __init__(self):
        self._v = 0
    @property
    def v(self):
        return self._v
    @v.setter
    def v(self, x):
        self._v = x

class PChild(PBase):
    @property
    def v(self):
        return super().v * 10
    @v.setter
    def v(self, x):
        PBase.v.fset(self, x + 1)

pc = PChild()
pc.v = 4
print("prop via super", pc.v, pc._v)

# super() in __init_subclass__-free chain with __new__
class NBase:
    def __new__(cls, *a):
        inst = super().__new__(cls)
        inst.created_by = cls.__name__
        return inst
    def __init__(self, x):
        self.x = x
class NChild(NBase):
    def __new__(cls, x):
        inst = super().__new__(cls, x)
        inst.extra = x * 2
        return inst
nc = NChild(5)
print(nc.created_by, nc.x, nc.extra)

# super() inside a nested function needs explicit arguments; inside a comprehension in 3.12+ works
class Outer(L2):
    def names(self):
        return [super().name() + str(i) for i in range(2)]
print(Outer().names())

# super() returns bound methods; calling super().__repr__-like builtins
class R:
    def __str__(self):
        return "R-str"
class R2(R):
    def __str__(self):
        return "R2(" + super().__str__() + ")"
print(str(R2()))

# Diamond with deep super and argument passing
class Root:
    def collect(self, acc):
        acc.append("Root")
        return acc
class DA(Root):
    def collect(self, acc):
        acc.append("DA")
        return super().collect(acc)
class DB(Root):
    def collect(self, acc):
        acc.append("DB")
        return super().collect(acc)
class DC(DA, DB):
    def collect(self, acc):
        acc.append("DC")
        return super().collect(acc)
class DD(DC):
    def collect(self, acc):
        acc.append("DD")
        return super().collect(acc)
print(DD().collect([]))
cnt = 0
dd = DD()
for i in range(1500):
    cnt += len(dd.collect([]))
print("diamond hot", cnt)
