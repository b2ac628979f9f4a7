"""Attribute loads in hot loops while classes change under them: a data descriptor
(property) added to the class later takes over from the instance dict, a class attribute
is found when the instance lacks one, `__class__` assignment switches types, a
`__getattr__` added later answers missing names, and `__getattribute__` overrides win."""


class P:
    def __init__(self, x):
        self.x = x
        self.y = x * 2


class Q(P):
    pass


def read_x(objs, n):
    t = 0
    for i in range(n):
        o = objs[i % len(objs)]
        t += o.x
        if i == n // 2:
            # From now on `x` is a property on P (a data descriptor beats the dict).
            P.x = property(lambda self: 1000)
    return t


def read_class_attr(o, n):
    t = 0
    for i in range(n):
        t += o.y
        if i == 10:
            del o.y          # now found on the class
            P.y = 7
        if i == 20:
            P.y = 8
    return t


def switch_class(o, n):
    out = []
    for i in range(n):
        out.append(o.x)
        if i == 5:
            o.__class__ = Q
        if i == 8:
            Q.x = property(lambda self: "q")
    return out


class Lazy:
    def __init__(self):
        self.a = 1


def missing(o, n):
    out = []
    for i in range(n):
        try:
            out.append(o.b)
        except AttributeError:
            out.append("no b")
        if i == 3:
            Lazy.__getattr__ = lambda self, name: "got " + name
    return out


class Loud:
    def __init__(self):
        self.v = 1

    def __getattribute__(self, name):
        if name == "v":
            return object.__getattribute__(self, name) + 100
        return object.__getattribute__(self, name)


def loud(o, n):
    t = 0
    for _ in range(n):
        t += o.v
    return t


objs = [P(i) for i in range(5)] + [Q(10)]
print(read_x(objs, 2000))
del P.x
p = P(3)
print(read_class_attr(p, 40), p.y)
del P.y
print(switch_class(P(4), 12))
del Q.x
print(missing(Lazy(), 8))
print(loud(Loud(), 50))
for _ in range(3):
    print(read_x([P(1), P(2)], 300))
    del P.x
