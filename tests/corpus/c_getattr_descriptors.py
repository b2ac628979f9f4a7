class Typed:
    def __init__(self, kind):
        self.kind = kind
    def __set_name__(self, owner, name):
        self.name = "_" + name
    def __get__(self, obj, objtype=None):
        if obj is None:
            return self
        return getattr(obj, self.name)
    def __set__(self, obj, value):
        if not isinstance(value, self.kind):
            raise TypeError("bad type")
        setattr(obj, self.name, value)

class NonData:
    def __get__(self, obj, objtype=None):
        return "nondata"

class Point:
    x = Typed(int)
    y = Typed(int)
    nd = NonData()
    def __init__(self, x, y):
        self.x = x; self.y = y

p = Point(1, 2)
s = 0
for i in range(3000):
    p.x = i
    s += p.x + p.y
print("sum", s)
try:
    p.x = 1.5
except TypeError as e:
    print("typed", type(e).__name__)
print("nd", p.nd)
p.__dict__["nd"] = "instance wins"
print("nd2", p.nd)
print("class access", type(Point.x).__name__, Point.x.name)

class Dyn:
    def __init__(self):
        object.__setattr__(self, "store", {})
        object.__setattr__(self, "log", [])
    def __getattr__(self, name):
        if name.startswith("auto_"):
            return name[5:].upper()
        raise AttributeError(name)
    def __setattr__(self, name, value):
        self.log.append(name)
        self.store[name] = value
        object.__setattr__(self, name, value)
    def __delattr__(self, name):
        self.log.append("del " + name)
        object.__delattr__(self, name)

d = Dyn()
print(d.auto_hello)
try:
    d.missing
except AttributeError as e:
    print("missing", type(e).__name__)
print(getattr(d, "nope", "default"), hasattr(d, "auto_x"), hasattr(d, "zzz"))
for i in range(3000):
    d.val = i
print("val", d.val, len(d.log), sorted(d.store))
del d.val
print("log tail", d.log[-2:])

class GA:
    def __getattribute__(self, name):
        if name == "magic":
            return 7
        return object.__getattribute__(self, name)
g = GA()
g.other = 3
print("getattribute", g.magic, g.other)
