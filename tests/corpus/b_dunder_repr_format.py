# __repr__, __str__, __format__ and how str(), repr(), format(), f-strings and str.format use them.

class Money:
    def __init__(self, cents, cur="EUR"):
        self.cents = cents
        self.cur = cur
    def __repr__(self):
        return f"Money({self.cents!r}, {self.cur!r})"
    def __str__(self):
        return f"{self.cents // 100}.{self.cents % 100:02d} {self.cur}"
    def __format__(self, spec):
        if spec == "":
            return str(self)
        if spec == "short":
            return f"{self.cents / 100:.0f}{self.cur[0]}"
        if spec.startswith("w"):
            return str(self).rjust(int(spec[1:]), ".")
        return format(self.cents / 100, spec)

m = Money(123456)
print(str(m))
print(repr(m))
print(f"{m}|{m!r}|{m!s}|{m:short}|{m:w15}|{m:>12.3f}")
print("{0}|{0!r}|{0:short}|{1:w12}".format(m, Money(5, "USD")))
print(format(m, ",.2f"), format(m))
print([m], (m,), {"k": m})
print("%s and %r" % (m, m))

# Only __repr__: str() falls back to it
class OnlyRepr:
    def __repr__(self):
        return "<OnlyRepr>"
print(str(OnlyRepr()), repr(OnlyRepr()), f"{OnlyRepr()}", "{}".format(OnlyRepr()))

# Only __str__: repr() is the default (contains an address, so do not print it)
class OnlyStr:
    def __str__(self):
        return "only-str"
o = OnlyStr()
print(str(o), f"{o}", repr(o).startswith("<__main__.OnlyStr object at"))

# Non-empty format spec on an object without __format__ raises TypeError
try:
    format(o, "10")
except TypeError:
    print("format spec on plain object -> TypeError")

# __str__ returning a non-string raises TypeError
class BadStr:
    def __str__(self):
        return 42
try:
    str(BadStr())
except TypeError:
    print("__str__ returned non-string -> TypeError")

# Recursive reprs of containers use element reprs
class Node:
    def __init__(self, v, kids=()):
        self.v = v
        self.kids = list(kids)
    def __repr__(self):
        if self.kids:
            return f"Node({self.v}, {self.kids!r})"
        return f"Node({self.v})"
tree = Node(1, [Node(2), Node(3, [Node(4)])])
print(tree)
print(str(tree) == repr(tree))

# Hot formatting
class P:
    __slots__ = ("x", "y")
    def __init__(self, x, y):
        self.x, self.y = x, y
    def __format__(self, spec):
        return f"({self.x:{spec}},{self.y:{spec}})"
total_len = 0
last = ""
for i in range(3000):
    last = f"{P(i, -i):05d}"
    total_len += len(last)
print("hot format", last, total_len)

# Format specs on builtins via str.format
print("{:>8}|{:<8}|{:^8}|{:*^9}".format("r", "l", "c", "s"))
print("{:+d} {:+d} {: d} {:x} {:X} {:o} {:b} {:#x} {:#b}".format(5, -5, 5, 255, 255, 8, 5, 255, 5))
print("{:,} {:_} {:.3e} {:.2%} {:g} {:g}".format(1234567, 1234567, 12345.678, 0.4567, 1e-7, 123456789.0))
print("{0[1]} {0[0]} {1[key]} {2.real}".format(["a", "b"], {"key": "v"}, 3 + 4j))
