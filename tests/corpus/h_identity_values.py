# Unboxing is invisible: an int or float that native code holds unboxed is the same
# object when it comes back out, so `is`, `id()` and identity-first containment (`in`,
# `list.index`, `list.count`, dict lookups) see what the interpreter sees. Floats (NaN
# included, which only identity finds), big ints, strings and tuples go through locals,
# arguments, returns, containers, unpacking and deopts.
NAN = float("nan")
BIG = 10**12 + 7
HUGE = 2**80 + 1
F = 6.02e23


def find(items, v):
    # `e is v or e == v`: only identity finds a NaN.
    n = 0
    for e in items:
        if e is v or e == v:
            n += 1
    return n


def passthrough(a):
    return a


def through_locals(a):
    b = a
    c = b
    return c is a, id(c) == id(a)


def through_containers(a):
    box = [a]
    pair = (a, a)
    d = {"k": a}
    return box[0] is a, pair[1] is a, d["k"] is a, a in box, box.count(a), box.index(a)


def through_unpacking(a, b):
    x, y = a, b
    (p, q), r = (y, x), a
    return x is a, y is b, p is b, q is a, r is a


def computed(a, b):
    # A value made here boxes to one object, however many times it is boxed.
    y = a * b + 1
    same = [y, y, y]
    z = y
    return same[0] is same[2], z is y, y in same, same.count(y)


def aliased(n, flip):
    # `y = x` binds the same object: a value computed here is one object under both
    # names, in a loop whose values change type half way.
    same = 0
    for i in range(n):
        x = (10**6 + i) if i < flip else (10**6 + i) * 1.5
        y = x
        z = y
        if y is x and not (y is not x) and [x, z][0] is [z][0] and x is z:
            same += 1
    return same


def arithmetic_then_identity(a):
    # `a` is unboxed for the arithmetic and still itself afterwards.
    t = a + a
    t = t * 2
    return a is passthrough(a), t == 4 * a


def deopt_keeps(a, flip):
    # The type of `t` changes after many calls: native code deoptimizes with `a` held
    # unboxed, and the interpreter continues with the same object.
    t = a * 2
    if flip:
        t = "now a string"
    return a, t


def constant_is_constant():
    c = 2.75
    return c


counts = [0] * 8
for i in range(3000):
    counts[0] += find([1.0, NAN, 2.0], NAN)
    counts[1] += passthrough(NAN) is NAN
    counts[2] += passthrough(BIG) is BIG and passthrough(F) is F and passthrough(HUGE) is HUGE
    counts[3] += all(through_locals(v) == (True, True) for v in (F, BIG, "s" * 3, (1, 2)))
    counts[4] += through_containers(F) == (True, True, True, True, 1, 0)
    counts[5] += all(through_unpacking(F, BIG))
    counts[6] += arithmetic_then_identity(F)[0] and arithmetic_then_identity(BIG)[0]
    counts[7] += constant_is_constant() is constant_is_constant()
print(counts)

print(computed(1.5, 2.0), computed(3, 4))
print(sum(all(computed(float(i), 0.5)[:3]) for i in range(2000)))
print(sum(all(computed(i, 7)[:3]) for i in range(2000)))

print(aliased(1237, 558), aliased(10, 5))

kept = 0
for i in range(3000):
    a, t = deopt_keeps(F if i % 2 else BIG, i > 2000)
    kept += a is (F if i % 2 else BIG)
print(kept)

# NaN in containers: membership and dict keys go by identity first.
nans = [NAN, float("nan")]
print(NAN in nans, nans.count(NAN), {NAN: 1}.get(NAN), [find(nans, NAN) for _ in range(3)])
