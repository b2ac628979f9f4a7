import functools

calls = []
def trace(tag):
    def deco(fn):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            calls.append(tag)
            return fn(*args, **kwargs)
        return wrapper
    return deco

def count_calls(fn):
    @functools.wraps(fn)
    def w(*a, **k):
        w.calls += 1
        return fn(*a, **k)
    w.calls = 0
    return w

@trace("outer")
@count_calls
def work(x):
    """Doubles x."""
    return 2 * x

s = 0
for i in range(3000):
    s += work(i)
print("sum", s)
print("name", work.__name__, "doc", work.__doc__)
print("calls", work.__wrapped__.calls, len(calls), calls[:2])
assert work.__wrapped__.calls == 3000

def memo(fn):
    cache = {}
    @functools.wraps(fn)
    def w(n):
        if n not in cache:
            cache[n] = fn(n)
        return cache[n]
    w.cache = cache
    return w

@memo
def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)
print("fib80", fib(80), len(fib.cache))

class Register:
    def __init__(self):
        self.items = {}
    def __call__(self, name):
        def deco(fn):
            self.items[name] = fn
            return fn
        return deco
reg = Register()
@reg("sq")
def sq(x): return x * x
@reg("neg")
def neg(x): return -x
print("registry", sorted(reg.items), [reg.items[k](3) for k in sorted(reg.items)])

def class_deco(cls):
    cls.tagged = True
    return cls
@class_deco
class C:
    pass
print("class deco", C.tagged)

def repeat(n):
    def deco(fn):
        def w(*a):
            return [fn(*a) for _ in range(n)]
        return w
    return deco
@repeat(3)
def hello(x):
    return "hi %s" % x
print(hello("bob"))
