import functools

@functools.total_ordering
class Vec:
    __slots__ = ("x", "y")
    def __init__(self, x, y):
        self.x = x; self.y = y
    def __add__(self, o):
        if isinstance(o, Vec):
            return Vec(self.x + o.x, self.y + o.y)
        if isinstance(o, (int, float)):
            return Vec(self.x + o, self.y + o)
        return NotImplemented
    def __radd__(self, o):
        if o == 0:
            return self
        return self.__add__(o)
    def __iadd__(self, o):
        self.x += o.x; self.y += o.y
        return self
    def __eq__(self, o):
        return isinstance(o, Vec) and (self.x, self.y) == (o.x, o.y)
    def __lt__(self, o):
        return (self.x, self.y) < (o.x, o.y)
    def __hash__(self):
        return hash((self.x, self.y))
    def __repr__(self):
        return "Vec(%r, %r)" % (self.x, self.y)
    def __format__(self, spec):
        if spec == "p":
            return "<%s;%s>" % (self.x, self.y)
        return format(repr(self), spec)
    def __bool__(self):
        return bool(self.x or self.y)
    def __neg__(self):
        return Vec(-self.x, -self.y)

v = Vec(0, 0)
for i in range(3000):
    v += Vec(1, 2)
print(v, repr(v))
print("sum", sum([Vec(1, 1), Vec(2, 2)]), 5 + Vec(1, 1), Vec(1, 1) + 0.5)
print("bool", bool(Vec(0, 0)), bool(Vec(0, 1)))
print("fmt", f"{Vec(3, 4):p}", f"[{Vec(1, 2):>12}]")
print("cmp", Vec(1, 2) < Vec(1, 3), Vec(2, 0) >= Vec(1, 9), Vec(1, 1) == Vec(1, 1), Vec(1, 1) != Vec(1, 2))
print("set", sorted({Vec(1, 1), Vec(1, 1), Vec(0, 5)}))
print("neg", -Vec(1, -2))
try:
    Vec(1, 1) + "s"
except TypeError as e:
    print("add str", type(e).__name__)
try:
    v.z = 1
except AttributeError as e:
    print("slots", type(e).__name__)

class Bag:
    def __init__(self):
        self.d = {}
    def __len__(self):
        return sum(self.d.values())
    def __getitem__(self, k):
        return self.d.get(k, 0)
    def __setitem__(self, k, v):
        self.d[k] = v
    def __delitem__(self, k):
        del self.d[k]
    def __contains__(self, k):
        return self.d.get(k, 0) > 0
    def __iter__(self):
        for k in sorted(self.d):
            for _ in range(self.d[k]):
                yield k
    def __call__(self, k):
        self[k] = self[k] + 1
        return self
b = Bag()
for i in range(3000):
    b(i % 5)
print("len", len(b), b[3], 3 in b, 9 in b)
del b[0]
print("after del", len(b), 0 in b, list(b)[:3], bool(b))
b2 = Bag()
print("empty bool", bool(b2), len(b2))

class Seq:
    def __getitem__(self, i):
        if i >= 5:
            raise IndexError(i)
        return i * i
print("old-style iter", list(Seq()), 16 in Seq())
