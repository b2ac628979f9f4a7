# Container dunders: __len__, __getitem__ (incl. slices), __setitem__, __delitem__,
# __contains__, __iter__, __reversed__, __bool__, __missing__.

class Grid:
    def __init__(self, w, h, fill=0):
        self.w, self.h = w, h
        self.cells = [fill] * (w * h)
    def __len__(self):
        return self.w * self.h
    def __getitem__(self, key):
        if isinstance(key, tuple):
            x, y = key
            if not (0 <= x < self.w and 0 <= y < self.h):
                raise IndexError("out of grid")
            return self.cells[y * self.w + x]
        if isinstance(key, slice):
            return self.cells[key]
        return self.cells[key]
    def __setitem__(self, key, v):
        x, y = key
        self.cells[y * self.w + x] = v
    def __delitem__(self, key):
        x, y = key
        self.cells[y * self.w + x] = 0
    def __contains__(self, v):
        return v in self.cells
    def __iter__(self):
        for y in range(self.h):
            yield [self.cells[y * self.w + x] for x in range(self.w)]
    def __bool__(self):
        return any(self.cells)

g = Grid(4, 3)
print(len(g), bool(g), 5 in g)
for i in range(3000):
    g[i % 4, (i // 4) % 3] = g[i % 4, (i // 4) % 3] + i % 7
print(list(g))
print(g[1, 1], g[2:6], g[-1], 5 in g, 99 in g, bool(g))
del g[0, 0]
print(g[0, 0])
try:
    g[4, 0]
except IndexError as e:
    print("IndexError:", e)

# Sequence protocol via __getitem__ only: iteration and `in` fall back to it
class Squares:
    def __init__(self, n):
        self.n = n
    def __getitem__(self, i):
        if i >= self.n:
            raise IndexError(i)
        return i * i
sq = Squares(6)
print(list(sq), 16 in sq, 17 in sq, sorted(sq, reverse=True))

# __len__ drives bool when no __bool__
class Sized:
    def __init__(self, n):
        self.n = n
    def __len__(self):
        return self.n
print(bool(Sized(0)), bool(Sized(3)), "yes" if Sized(2) else "no")

# __reversed__ and __iter__
class Span:
    def __init__(self, a, b):
        self.a, self.b = a, b
    def __iter__(self):
        return iter(range(self.a, self.b))
    def __reversed__(self):
        return iter(range(self.b - 1, self.a - 1, -1))
    def __len__(self):
        return self.b - self.a
s = Span(3, 8)
print(list(s), list(reversed(s)), len(s), sum(s))

# A dict subclass with __missing__
class Default0(dict):
    def __missing__(self, k):
        return 0
d = Default0(a=1)
print(d["a"], d["zzz"], "zzz" in d, len(d))

# Mapping-like class used with ** unpacking
class Mapping:
    def __init__(self, data):
        self.data = data
    def keys(self):
        return sorted(self.data)
    def __getitem__(self, k):
        return self.data[k] * 10
def f(**kw):
    return sorted(kw.items())
print(f(**Mapping({"b": 2, "a": 1})))
print(dict(Mapping({"x": 3})))

# __contains__ hot loop
class EvenSet:
    def __contains__(self, x):
        return x % 2 == 0
ev = EvenSet()
c = 0
for i in range(3000):
    if i in ev:
        c += 1
    if i not in ev:
        c -= 2
print("contains hot", c)
assert c == -1500

# __setitem__ with slices
class Recorder:
    def __init__(self):
        self.log = []
    def __setitem__(self, k, v):
        if isinstance(k, slice):
            self.log.append(("slice", k.start, k.stop, k.step, v))
        else:
            self.log.append(("key", k, v))
    def __getitem__(self, k):
        if isinstance(k, slice):
            return (k.start, k.stop, k.step)
        return k
r = Recorder()
r[1:5] = "x"
r[::2] = "y"
r["k"] = 1
r[1, 2] = 3
print(r.log)
print(r[1:2], r[::-1], r[..., 1], r[:])
