# __slots__: no __dict__, AttributeError on unknown attrs, inheritance, slots with defaults via class.

class P:
    __slots__ = ("x", "y")
    def __init__(self, x, y):
        self.x = x
        self.y = y

p = P(1, 2)
print(p.x, p.y, hasattr(p, "__dict__"), P.__slots__)
try:
    p.z = 3
except AttributeError:
    print("unknown slot -> AttributeError")

# Unset slot raises AttributeError on read
class Lazy:
    __slots__ = ("v",)
lz = Lazy()
try:
    lz.v
except AttributeError:
    print("unset slot -> AttributeError")
lz.v = 10
print(lz.v)
del lz.v
print(hasattr(lz, "v"))

# Subclass without __slots__ gets a __dict__
class Free(P):
    pass
f = Free(1, 2)
f.z = 3
print(f.z, sorted(vars(f)))

# Subclass with its own slots
class P3(P):
    __slots__ = ("z",)
    def __init__(self, x, y, z):
        super().__init__(x, y)
        self.z = z
q = P3(1, 2, 3)
print(q.x, q.y, q.z, hasattr(q, "__dict__"))
try:
    q.w = 0
except AttributeError:
    print("P3 unknown -> AttributeError")

# Slot descriptors live on the class
print(type(P.__dict__["x"]).__name__)

# __dict__ in slots allows dynamic attributes
class Hybrid:
    __slots__ = ("a", "__dict__")
h = Hybrid()
h.a = 1
h.b = 2
print(h.a, h.b, sorted(vars(h)))

# Class attribute with the same name as a slot is an error
try:
    class Clash:
        __slots__ = ("v",)
        v = 5
except ValueError:
    print("slot/class attribute clash -> ValueError")

# Hot loop over slotted objects
class Particle:
    __slots__ = ("pos", "vel")
    def __init__(self, pos, vel):
        self.pos = pos
        self.vel = vel
    def step(self):
        self.pos += self.vel
        if self.pos < 0 or self.pos > 100:
            self.vel = -self.vel
ps = [Particle(i * 10, (i % 5) - 2) for i in range(10)]
for _ in range(300):
    for pt in ps:
        pt.step()
print("hot", [pt.pos for pt in ps], [pt.vel for pt in ps])

# Slots and getattr/setattr builtins
for name in ("x", "y"):
    setattr(p, name, getattr(p, name) * 100)
print(p.x, p.y)
print(getattr(p, "nope", "default"))

# Slotted class with __eq__ and namedtuple-like repr
class Pair:
    __slots__ = ("a", "b")
    def __init__(self, a, b):
        self.a, self.b = a, b
    def __eq__(self, o):
        return (self.a, self.b) == (o.a, o.b)
    def __hash__(self):
        return hash((self.a, self.b))
    def __repr__(self):
        return f"Pair({self.a}, {self.b})"
print(sorted({Pair(1, 2), Pair(1, 2), Pair(0, 5)}, key=lambda pr: pr.a))
