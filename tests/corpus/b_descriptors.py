# Descriptors: data vs non-data, __set_name__, precedence, typed/validated fields.

class Typed:
    def __init__(self, kind, default=None):
        self.kind = kind
        self.default = default
    def __set_name__(self, owner, name):
        self.name = name
        self.slot = "_" + name
    def __get__(self, obj, objtype=None):
        if obj is None:
            return self
        return getattr(obj, self.slot, self.default)
    def __set__(self, obj, value):
        if not isinstance(value, self.kind):
            raise TypeError(f"{self.name} must be {self.kind.__name__}")
        setattr(obj, self.slot, value)
    def __delete__(self, obj):
        delattr(obj, self.slot)

class Item:
    name = Typed(str, "?")
    qty = Typed(int, 0)
    def __init__(self, name, qty):
        self.name = name
        self.qty = qty

it = Item("bolt", 5)
print(it.name, it.qty, sorted(vars(it).items()))
try:
    it.qty = "many"
except TypeError as e:
    print("TypeError:", e)
del it.qty
print(it.qty)
print(type(Item.name).__name__, Item.name.name, Item.qty.slot)

# Non-data descriptor (only __get__): instance dict wins
class NonData:
    def __get__(self, obj, objtype=None):
        return "from descriptor"
class Data:
    def __get__(self, obj, objtype=None):
        return "from data descriptor"
    def __set__(self, obj, v):
        raise AttributeError("read-only")
class Host:
    nd = NonData()
    d = Data()
h = Host()
print(h.nd, h.d)
h.__dict__["nd"] = "from instance"
h.__dict__["d"] = "from instance"
print(h.nd, h.d)
try:
    h.d = 1
except AttributeError as e:
    print("AttributeError:", e)

# Functions are non-data descriptors
def free(self):
    return "bound to " + type(self).__name__
Host.method = free
print(h.method(), Host.method(h), free.__get__(h)())

# A descriptor that counts accesses, hot
class Counting:
    def __init__(self):
        self.gets = 0
        self.sets = 0
    def __set_name__(self, owner, name):
        self.attr = "__" + name
    def __get__(self, obj, objtype=None):
        if obj is None:
            return self
        self.gets += 1
        return obj.__dict__.get(self.attr, 0)
    def __set__(self, obj, v):
        self.sets += 1
        obj.__dict__[self.attr] = v
class Acc:
    total = Counting()
a = Acc()
for i in range(3000):
    a.total = a.total + i
print("hot descriptor", a.total, Acc.total.gets, Acc.total.sets)
assert Acc.total.sets == 3000

# Descriptor on the class level accessed via the class
class ClassAware:
    def __get__(self, obj, objtype=None):
        return ("instance" if obj is not None else "class") + " access via " + objtype.__name__
class UseIt:
    x = ClassAware()
class SubUse(UseIt):
    pass
print(UseIt.x, UseIt().x, SubUse.x, SubUse().x)

# Validated ranges via a descriptor subclass
class Ranged(Typed):
    def __init__(self, lo, hi):
        super().__init__(int, lo)
        self.lo, self.hi = lo, hi
    def __set__(self, obj, value):
        super().__set__(obj, value)
        if not (self.lo <= value <= self.hi):
            delattr(obj, self.slot)
            raise ValueError(f"{self.name}={value} out of [{self.lo}, {self.hi}]")
class Pixel:
    r = Ranged(0, 255)
    g = Ranged(0, 255)
px = Pixel()
px.r = 200
for v in (256, -1, "x"):
    try:
        px.g = v
    except (ValueError, TypeError) as e:
        print(type(e).__name__, e)
print(px.r, px.g)

# __set_name__ order and owner
class Recorder:
    seen = []
    def __set_name__(self, owner, name):
        Recorder.seen.append((owner.__name__, name))
class Owner:
    first = Recorder()
    second = Recorder()
print(Recorder.seen)
