# Methods and attribute updates on objects in hot loops: instance and class attributes,
# properties, __slots__, attributes changing type, getattr/setattr/hasattr/delattr,
# inheritance and super(), __getattr__ fallbacks, dunder operators.

class Point:
    count = 0
    def __init__(self, x, y):
        self.x = x
        self.y = y
        Point.count += 1
    def move(self, dx, dy):
        self.x += dx
        self.y += dy
        return self
    def norm1(self):
        return abs(self.x) + abs(self.y)
    def __add__(self, o):
        return Point(self.x + o.x, self.y + o.y)
    def __eq__(self, o):
        return isinstance(o, Point) and (self.x, self.y) == (o.x, o.y)
    __hash__ = None

class P3(Point):
    __slots__ = ()
    def norm1(self):
        return super().norm1() + 1

class Slotted:
    __slots__ = ("a", "b")
    def __init__(self):
        self.a = 0

class Temp:
    def __init__(self):
        self._c = 0.0
    @property
    def f(self):
        return self._c * 9 / 5 + 32
    @f.setter
    def f(self, v):
        self._c = (v - 32) * 5 / 9

class Lazy:
    def __getattr__(self, name):
        return len(name)

def walk(n):
    p = Point(0, 0)
    q = P3(1, 1)
    s = Slotted()
    t = Temp()
    lz = Lazy()
    tot = 0
    steps = range(n)
    for i in steps:
        p.move(1, -1 if i % 2 else 2)
        q = q.move(i % 3, 0)
        tot += p.norm1() + q.norm1()
        if i == 1500:
            p.x = float(p.x)
        if i == 2500:
            p.y = 10**20
        try:
            tot += s.b
        except AttributeError:
            s.b = 1
        if i % 1000 == 999:
            del s.b
        s.a += 1
        t.f = i
        tot += int(t._c)
        tot += lz.abc + getattr(lz, "x" * (i % 4 + 1))
        if i % 600 == 0:
            tot += (p + q).norm1()
    return p.x, p.y, q.x, q.y, s.a, round(t.f, 6), tot

print(walk(3000))
print(Point.count)

def dyn_attrs(n):
    class Bag:
        pass
    b = Bag()
    names = ["alpha", "beta", "gamma"]
    out = 0
    steps = range(n)
    for i in steps:
        nm = names[i % 3]
        setattr(b, nm, getattr(b, nm, 0) + i)
        if i % 500 == 0 and hasattr(b, "beta"):
            delattr(b, "beta")
        out += len(vars(b))
    return sorted(vars(b).items()), out

print(dyn_attrs(3000))

def class_attr_shadow(n):
    class C:
        k = 1
    objs = [C() for _ in range(4)]
    s = 0
    steps = range(n)
    for i in steps:
        o = objs[i % 4]
        s += o.k
        if i == 1000:
            objs[1].k = 100
        if i == 2000:
            C.k = 5
        if i == 2500:
            del objs[1].k
    return s

print(class_attr_shadow(3000))

class Vec:
    __slots__ = ("v",)
    def __init__(self, v):
        self.v = v
    def __iadd__(self, o):
        self.v = [a + b for a, b in zip(self.v, o.v)]
        return self
    def __len__(self):
        return len(self.v)
    def __getitem__(self, i):
        return self.v[i]
    def __lt__(self, o):
        return sum(self.v) < sum(o.v)

acc = Vec([0, 0, 0])
one = Vec([1, 2, 3])
for i in range(3000):
    acc += one
    if acc[i % 3] % 1000 == 0:
        acc.v[0] -= 1
print(acc.v, len(acc), acc < one, one < acc, sorted([Vec([3]), Vec([1]), Vec([2])])[0].v)

def method_swap(n):
    class W:
        def m(self):
            return 1
    w = W()
    s = 0
    steps = range(n)
    for i in steps:
        s += w.m()
        if i == 1000:
            W.m = lambda self: 2
        if i == 2000:
            w.m = lambda: 3
        if i == 2500:
            del w.m
            del W.m
            W.m = staticmethod(lambda: 4)
    return s

print(method_swap(3000))
