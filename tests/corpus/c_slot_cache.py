"""`__slots__` attributes in hot loops, loaded and stored through native code's inline
caches while classes change under them: subclasses put their own slots at other offsets,
an empty slot raises AttributeError, a property replacing a slot takes over, a
`__setattr__` added later sees every store, `__class__` assignment between layouts, and
a class attribute shadowed by nothing once the slot is deleted."""


class V:
    __slots__ = ("x", "y")

    def __init__(self, x, y):
        self.x = x
        self.y = y


class W(V):
    __slots__ = ("z",)

    def __init__(self, x, y, z):
        V.__init__(self, x, y)
        self.z = z


class Other:
    __slots__ = ("y", "x")   # same names, swapped offsets

    def __init__(self, x, y):
        self.x = x
        self.y = y


def sum_xy(objs, n):
    t = 0
    for i in range(n):
        o = objs[i % len(objs)]
        t += o.x * 3 + o.y
    return t


def bump(objs, n):
    for i in range(n):
        o = objs[i % len(objs)]
        o.x = o.x + 1
        o.y = o.y - 1
    return [(o.x, o.y) for o in objs]


def empty_slot(n):
    v = V(1, 2)
    caught = 0
    for i in range(n):
        if i % 7 == 3:
            del v.y
        try:
            v.y
        except AttributeError as e:
            caught += 1
            last = str(e)
            v.y = i
    return caught, last, v.y


def slot_then_property(n):
    vs = [V(i, -i) for i in range(4)]
    t = 0
    for i in range(n):
        t += vs[i % 4].x
        if i == n // 2:
            V.x = property(lambda self: 100)
    return t


logged = []


class S:
    __slots__ = ("a",)


def store_then_setattr(n):
    s = S()
    for i in range(n):
        s.a = i
        if i == n // 2:
            S.__setattr__ = lambda self, k, v: (logged.append((k, v)), object.__setattr__(self, k, v))
    return s.a, len(logged), logged[:2], logged[-1]


class A:
    __slots__ = ("p", "q")


class B:
    __slots__ = ("p", "q")


def switch_layout(n):
    o = A()
    o.p, o.q = 1, 2
    out = []
    for i in range(n):
        out.append(o.p - o.q)
        o.q = i
        if i == 4:
            o.__class__ = B
    return out


def readonly_member(n):
    # A member descriptor of a builtin type, read-only: stores must raise every time.
    errors = 0
    f = (lambda: 0)
    for i in range(n):
        try:
            f.__closure__ = None
        except (AttributeError, TypeError):
            errors += 1
    return errors


objs = [V(1, 2), W(3, 4, 5), Other(6, 7), V(8, 9)]
print(sum_xy(objs, 4000))
print(bump(objs, 4003))
print(sum_xy(objs, 4000))
print(empty_slot(2000))
print(slot_then_property(3000))
print(store_then_setattr(2000))
print(switch_layout(10))
print(readonly_member(100))

class U(Other):
    __slots__ = ("z",)


u = U(1, 2)
u.z = 3
for _ in range(3000):
    u.z = u.z + u.x
print(u.z, U.z.__get__(u), type(V.x).__name__, type(Other.x).__name__)
