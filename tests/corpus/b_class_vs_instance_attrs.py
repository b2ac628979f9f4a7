# Class attributes vs instance attributes: shadowing, shared mutable class attrs, lookup order.

class Config:
    debug = False
    tags = []           # shared mutable class attribute (a classic pitfall)
    limit = 10
    def enable(self):
        self.debug = True   # creates an instance attribute
    def tag(self, t):
        self.tags.append(t)  # mutates the shared list

c1, c2 = Config(), Config()
c1.enable()
print(c1.debug, c2.debug, Config.debug)
c1.tag("x")
c2.tag("y")
print(c1.tags, c2.tags, Config.tags, c1.tags is c2.tags)
assert Config.tags == ["x", "y"]

# Rebinding the class attribute is seen by instances that do not shadow it
Config.limit = 20
c2.limit = 5
print(c1.limit, c2.limit, Config.limit)
del c2.limit
print(c2.limit)
try:
    del c2.limit
except AttributeError:
    print("nothing left to delete -> AttributeError")

# vars() and __dict__ show only instance attributes
print(sorted(vars(c1)), "limit" in Config.__dict__, "limit" in vars(c1))

# Augmented assignment on instance reads class attr, writes instance attr
class Counter:
    n = 0
c = Counter()
c.n += 1
c.n += 1
print(c.n, Counter.n)

# Class attribute changed inside a hot loop
class Rate:
    factor = 1
r = Rate()
tot = 0
for i in range(3000):
    if i == 1000:
        Rate.factor = 2
    elif i == 2000:
        r.factor = 3        # instance shadows class from here on
    tot += r.factor
print("hot factor", tot, Rate.factor, r.factor)
assert tot == 1000 * 1 + 1000 * 2 + 1000 * 3

# Class attribute used as a default that instances override lazily
class Node:
    children = ()
    def add(self, ch):
        if self.children == ():
            self.children = []
        self.children.append(ch)
n1, n2 = Node(), Node()
n1.add("a")
print(n1.children, n2.children, Node.children)

# Class-level counter vs per-instance id assignment
class Ticket:
    next_id = 1
    def __init__(self):
        self.id = Ticket.next_id
        Ticket.next_id += 1
ts = [Ticket() for _ in range(5)]
print([t.id for t in ts], Ticket.next_id)

# Inherited class attribute modified on the subclass only
class Base:
    color = "red"
class Sub(Base):
    pass
Sub.color = "blue"
print(Base.color, Sub.color, Base().color, Sub().color)
del Sub.color
print(Sub.color)

# Functions stored as class attributes become methods; staticmethod/instance function do not
def helper(*a):
    return len(a)
class Holder:
    as_method = helper
    as_static = staticmethod(helper)
hh = Holder()
hh.on_instance = helper
print(hh.as_method(), hh.as_static(), hh.on_instance())

# Hot loop reading a mix of class and instance attributes
class Shape:
    sides = 4
    def __init__(self, size):
        self.size = size
    def perimeter(self):
        return self.sides * self.size
shapes = [Shape(i % 10) for i in range(30)]
shapes[5].sides = 3
acc = 0
for k in range(100):
    for s in shapes:
        acc += s.perimeter()
print("perimeters", acc)
