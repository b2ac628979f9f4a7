# A method is monkey-patched on the class mid-loop.
class Shape:
    def __init__(self, k):
        self.k = k
    def area(self):
        return self.k * self.k

class Square(Shape):
    pass

def new_area(self):
    return self.k * 100

def run(objs):
    total = 0
    for i in range(3000):
        o = objs[i % len(objs)]
        total += o.area()
        if i == 2000:
            Shape.area = new_area
        if i == 2500:
            Square.area = lambda self: -1
    return total

objs = [Shape(2), Square(3)]
print("total", run(objs))
print([o.area() for o in objs])
del Square.area
print("after del", [o.area() for o in objs])

class Counter:
    def __init__(self):
        self.n = 0
    def bump(self):
        self.n += 1
        return self.n
c = Counter()
vals = []
for i in range(3000):
    vals.append(c.bump())
    if i == 2000:
        c.bump = lambda: -5  # instance attribute shadows method
    if i == 2600:
        del c.bump
print(vals[1999:2003], vals[2599:2603], vals[-1], c.n)

class P:
    @property
    def v(self):
        return 1
p = P()
s = 0
for i in range(3000):
    s += p.v
    if i == 2200:
        P.v = property(lambda self: 1000)
print("property swap", s)
