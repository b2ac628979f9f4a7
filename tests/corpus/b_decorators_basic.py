# Decorators with and without arguments, functools.wraps, stacking order.
import functools

trace = []

def plain(fn):
    def wrapper(*a, **k):
        trace.append("plain:" + fn.__name__)
        return fn(*a, **k)
    return wrapper

def wrapped(fn):
    @functools.wraps(fn)
    def wrapper(*a, **k):
        trace.append("wrapped:" + fn.__name__)
        return fn(*a, **k)
    return wrapper

@plain
def one():
    """doc of one"""
    return 1

@wrapped
def two():
    """doc of two"""
    return 2

print(one(), one.__name__, one.__doc__)
print(two(), two.__name__, two.__doc__, two.__wrapped__.__name__)
print(trace)

# Decorator with arguments
def repeat(times, joiner=""):
    def deco(fn):
        @functools.wraps(fn)
        def wrapper(*a, **k):
            return joiner.join(fn(*a, **k) for _ in range(times))
        return wrapper
    return deco

@repeat(3)
def ab():
    return "ab"

@repeat(2, joiner="|")
def hello(name):
    return "hi " + name
print(ab(), hello("bob"), hello.__name__)

# Stacking: applied bottom-up, run top-down
order = []
def tag(label):
    def deco(fn):
        order.append("apply " + label)
        def wrapper(*a):
            order.append("enter " + label)
            r = fn(*a)
            order.append("exit " + label)
            return r
        return wrapper
    return deco

@tag("outer")
@tag("middle")
@tag("inner")
def core(x):
    order.append("core")
    return x
core(0)
print(order)

# Decorator that returns the same function (registration)
registry = {}
def register(name):
    def deco(fn):
        registry[name] = fn
        return fn
    return deco

@register("sq")
def sq(x):
    return x * x
@register("neg")
def neg(x):
    return -x
print(sorted(registry), registry["sq"](7), registry["neg"](7), sq is registry["sq"])

# Class decorator
def add_describe(cls):
    def describe(self):
        return cls.__name__ + "(" + ", ".join(f"{k}={v!r}" for k, v in sorted(vars(self).items())) + ")"
    cls.describe = describe
    return cls

@add_describe
class P:
    def __init__(self, x, y):
        self.x = x
        self.y = y
print(P(1, "b").describe())

# Hot decorated function
def checked(fn):
    @functools.wraps(fn)
    def wrapper(n):
        if n < 0:
            raise ValueError("negative")
        return fn(n)
    return wrapper

@checked
def tri(n):
    return n * (n + 1) // 2
s = 0
errors = 0
for i in range(-5, 2995):
    try:
        s += tri(i)
    except ValueError:
        errors += 1
print("hot decorated", s, errors)
assert errors == 5

# Decorator usable with or without parentheses
def flexible(fn=None, *, prefix=">"):
    def deco(f):
        @functools.wraps(f)
        def w(*a):
            return prefix + str(f(*a))
        return w
    if fn is not None:
        return deco(fn)
    return deco

@flexible
def a1():
    return 1
@flexible(prefix="#")
def a2():
    return 2
print(a1(), a2(), a1.__name__, a2.__name__)
