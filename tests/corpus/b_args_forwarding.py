# *args / **kwargs forwarding through several layers.

def target(a, b=2, *rest, c=3, **kw):
    return {"a": a, "b": b, "rest": rest, "c": c, "kw": sorted(kw.items())}

def layer1(*args, **kwargs):
    return target(*args, **kwargs)

def layer2(*args, **kwargs):
    kwargs.setdefault("c", 30)
    return layer1(*args, **kwargs)

def layer3(first, *args, **kwargs):
    return layer2(first * 2, *args, extra="L3", **kwargs)

print(layer1(1))
print(layer1(1, 2, 3, 4, c=5, d=6))
print(layer2(1, b=7))
print(layer3(5, 6, 7, z=0))

# Multiple unpackings in one call
xs = [1, 2]
ys = (3, 4)
d1 = {"p": 1}
d2 = {"q": 2}
def show(*a, **k):
    return a, sorted(k.items())
print(show(*xs, 0, *ys, **d1, r=3, **d2))

# Duplicate keyword through merging is a TypeError
try:
    show(**{"p": 1}, **{"p": 2})
except TypeError:
    print("duplicate keyword -> TypeError")

# Forwarding keeps identity of passed objects
sentinel = []
def ident(*a, **k):
    return a[0] is sentinel and k["s"] is sentinel
print("identity kept", layer_ok := ident(sentinel, s=sentinel))
assert layer_ok

# args is a tuple, kwargs a fresh dict
def kinds(*a, **k):
    return type(a).__name__, type(k).__name__
print(kinds(1, x=2))
orig = {"x": 1}
def mutate(**k):
    k["x"] = 99
    return k
mutate(**orig)
print("orig untouched", orig)

# Hot forwarding chain
def add3(a, b, c):
    return a + b + c
def fwd(*a, **k):
    return add3(*a, **k)
def fwd2(*a, **k):
    return fwd(*a, **k)
total = 0
for i in range(3000):
    if i % 3 == 0:
        total += fwd2(i, 1, 2)
    elif i % 3 == 1:
        total += fwd2(i, b=1, c=2)
    else:
        total += fwd2(a=i, b=1, c=2)
print("hot forward", total)
assert total == sum(range(3000)) + 3 * 3000

# Generic wrapper that records calls
calls = []
def recording(fn):
    def w(*a, **k):
        calls.append((fn.__name__, a, tuple(sorted(k.items()))))
        return fn(*a, **k)
    return w
@recording
def power(base, exp=2):
    return base ** exp
print(power(3), power(2, 10), power(base=5, exp=3))
print(calls)

# Unpacking a generator and a string in a call
print(show(*(i * i for i in range(4)), *"ab"))
# Starred assignment interplay
first, *middle, last = range(7)
print(first, middle, last)
print(*middle, sep=",")
