# An int operand that becomes a bool or a custom class with __add__/__radd__ after 2000 iterations.
class Money:
    def __init__(self, cents):
        self.cents = cents
    def __add__(self, other):
        if isinstance(other, Money):
            return Money(self.cents + other.cents)
        return Money(self.cents + other * 100)
    def __radd__(self, other):
        return Money(other * 100 + self.cents)
    def __mul__(self, k):
        return Money(self.cents * k)
    def __lt__(self, other):
        return self.cents < (other.cents if isinstance(other, Money) else other * 100)
    def __eq__(self, other):
        return isinstance(other, Money) and self.cents == other.cents
    def __repr__(self):
        return "Money(%d)" % self.cents

def run(n):
    acc = 0
    for i in range(n):
        if i == 2000:
            acc = Money(acc)
        acc = acc + 1
    return acc
print(run(3000))

def run_radd(n):
    total = 0
    inc = 1
    for i in range(n):
        if i == 2000:
            inc = Money(5)
        total = total + inc
    return total
print(run_radd(3000))

def bool_switch(n):
    a = 0
    v = 3
    for i in range(n):
        if i == 2000:
            v = True
        if i == 2500:
            v = False
        a += v * 2 - 1
    return a
r = bool_switch(3000)
print(r)
assert r == 2000 * 5 + 500 * 1 + 500 * -1

class Weird(int):
    def __add__(self, other):
        return Weird(int(self) + int(other) + 1000)
    def __repr__(self):
        return "Weird(%d)" % int(self)

def int_subclass(n):
    x = 0
    for i in range(n):
        if i == 2000:
            x = Weird(x)
        x = x + 1
    return x, type(x).__name__
print(int_subclass(3000))

def compare_switch(n):
    lo = 0
    hi = 10
    hits = 0
    for i in range(n):
        if i == 2000:
            lo = Money(0)
        if lo < i % 20:
            hits += 1
    return hits
print(compare_switch(3000))

class Vec:
    __slots__ = ("x", "y")
    def __init__(self, x, y):
        self.x, self.y = x, y
    def __add__(self, o):
        return Vec(self.x + o.x, self.y + o.y)
    def __iadd__(self, o):
        self.x += o.x
        self.y += o.y
        return self
    def __repr__(self):
        return "Vec(%r, %r)" % (self.x, self.y)

def iadd_switch(n):
    v = 0
    one = 1
    for i in range(n):
        if i == 2000:
            v = Vec(v, 0)
            one = Vec(1, 2)
        v += one
    return v
print(iadd_switch(3000))
