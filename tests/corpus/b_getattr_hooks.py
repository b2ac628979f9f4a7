# __getattr__ (fallback), __getattribute__ (every access), __setattr__, __delattr__.

class Fallback:
    def __init__(self):
        self.real = "real value"
    def __getattr__(self, name):
        if name.startswith("dyn_"):
            return name[4:].upper()
        raise AttributeError(name)

f = Fallback()
print(f.real, f.dyn_hello, getattr(f, "dyn_x"), hasattr(f, "missing"), getattr(f, "missing", "dflt"))

# __getattribute__ intercepts everything, including existing attributes
class Logged:
    def __init__(self):
        object.__setattr__(self, "log", [])
        object.__setattr__(self, "value", 10)
    def __getattribute__(self, name):
        if name != "log":
            object.__getattribute__(self, "log").append(name)
        return object.__getattribute__(self, name)
lg = Logged()
lg.value
lg.value
try:
    lg.nothing
except AttributeError:
    pass
print(lg.log)

# __getattribute__ raising AttributeError falls back to __getattr__
class Both:
    def __getattribute__(self, name):
        if name == "hidden":
            raise AttributeError(name)
        return object.__getattribute__(self, name)
    def __getattr__(self, name):
        return "fallback for " + name
    def shown(self):
        return "shown"
b = Both()
print(b.hidden, b.shown(), b.other)

# __setattr__ validation and __delattr__ protection
class Strict:
    allowed = {"a", "b"}
    def __setattr__(self, name, v):
        if name not in self.allowed:
            raise AttributeError("cannot set " + name)
        if not isinstance(v, int):
            raise TypeError(name + " must be int")
        super().__setattr__(name, v * 2)
    def __delattr__(self, name):
        if name == "a":
            raise AttributeError("a is permanent")
        super().__delattr__(name)
s = Strict()
s.a = 1
s.b = 5
print(s.a, s.b, sorted(vars(s).items()))
for name, val in (("c", 1), ("a", "x")):
    try:
        setattr(s, name, val)
    except (AttributeError, TypeError) as e:
        print(type(e).__name__, e)
try:
    del s.a
except AttributeError as e:
    print("AttributeError", e)
del s.b
print(sorted(vars(s)))

# Proxy forwarding via __getattr__, hot
class Proxy:
    def __init__(self, target):
        object.__setattr__(self, "_target", target)
        object.__setattr__(self, "_hits", {})
    def __getattr__(self, name):
        hits = self._hits
        hits[name] = hits.get(name, 0) + 1
        return getattr(self._target, name)
    def __setattr__(self, name, v):
        setattr(self._target, name, v)
class Target:
    def __init__(self):
        self.n = 0
    def bump(self, k):
        self.n += k
        return self.n
t = Target()
px = Proxy(t)
for i in range(3000):
    px.bump(i % 3)
px.n = px.n + 1000
print("proxy", t.n, sorted(px._hits.items()))
assert t.n == 3000 + 1000

# Attribute-style dict
class AttrDict(dict):
    def __getattr__(self, k):
        try:
            return self[k]
        except KeyError:
            raise AttributeError(k) from None
    def __setattr__(self, k, v):
        self[k] = v
    def __delattr__(self, k):
        del self[k]
ad = AttrDict(x=1)
ad.y = 2
print(ad.x, ad.y, sorted(ad.items()))
del ad.x
print(sorted(ad), hasattr(ad, "x"))

# __getattr__ is not used for dunder lookups by operators
class NoLen:
    def __getattr__(self, name):
        return lambda: 5
n = NoLen()
print(n.__len__())
try:
    len(n)
except TypeError:
    print("len() ignores __getattr__ -> TypeError")

# dir-free introspection of instance state
class Bag:
    pass
bg = Bag()
for i in range(5):
    setattr(bg, f"attr{i}", i * i)
print(sorted(vars(bg).items()))
delattr(bg, "attr2")
print(sorted(vars(bg)))
