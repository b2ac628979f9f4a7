class Positive:
    def __set_name__(self, owner, name):
        self.name = "_" + name
    def __get__(self, obj, objtype=None):
        return getattr(obj, self.name) if obj else self
    def __set__(self, obj, value):
        if value <= 0:
            raise ValueError(self.name)
        setattr(obj, self.name, value)
class Item:
    qty = Positive()
    def __init__(self, q): self.qty = q
class Proxy:
    def __init__(self, target): object.__setattr__(self, "_t", target); object.__setattr__(self, "log", [])
    def __getattr__(self, name):
        self.log.append(name)
        return getattr(self._t, name)
    def __setattr__(self, name, value):
        self.log.append("set " + name)
        setattr(self._t, name, value)
it = Item(3)
p = Proxy(it)
t = 0
for i in range(3000):
    p.qty = i % 7 + 1
    t += p.qty
print(t, len(p.log), p.log[:3])
try:
    it.qty = -1
except ValueError as e:
    print("ValueError", e)
print(type(Item.__dict__["qty"]).__name__)
