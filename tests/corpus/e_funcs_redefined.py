# Functions redefined, re-coded and re-defaulted while hot loops call them: def inside the
# loop, __code__ swapped, __defaults__/__kwdefaults__ changed, function attributes, code
# object introspection of functions that have become hot, recursion through rebound names.

def poly(x, a=1, b=0):
    s = 0
    for k in range(3):
        s += a * x ** k + b
    return s

def other(x, a=5, b=5):
    t = 0
    for k in range(2):
        t -= x * a + b
    return t

total = 0
for i in range(4000):
    total += poly(i % 13)
    if i == 1200:
        poly.__defaults__ = (2, 1)
    if i == 2000:
        saved = poly.__code__
        poly.__code__ = other.__code__
    if i == 3000:
        poly.__code__ = saved
        poly.__defaults__ = (1, 0)
print(total, poly(2), poly.__name__, poly.__code__.co_name, poly.__code__.co_argcount,
      poly.__code__.co_varnames[:4], poly.__defaults__)

def kwd(x, *, scale=1):
    n = 0
    for _ in range(2):
        n += x * scale
    return n

s = 0
for i in range(3000):
    s += kwd(i)
    if i == 1500:
        kwd.__kwdefaults__ = {"scale": -3}
print(s, kwd.__kwdefaults__)

def loop_with_defs(n):
    out = []
    for i in range(n):
        if i % 1000 == 0:
            def fn(v, mult=i // 1000 + 1):
                acc = 0
                for j in range(2):
                    acc += v * mult
                return acc
        out.append(fn(i))
    return sum(out), out[999:1002], fn.__defaults__

print(loop_with_defs(3500))

def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)

vals = [fib(k) for k in range(18)]
real_fib = fib
memo = {}
def fib(n):
    if n not in memo:
        memo[n] = real_fib(n)
    return memo[n]
print(vals[-3:], real_fib(25), len(memo), fib.__name__, real_fib.__code__.co_argcount)

def counted(x):
    counted.calls += 1
    y = 0
    for k in range(2):
        y += x
    return y
counted.calls = 0
for i in range(2500):
    counted(i)
print(counted.calls, counted.__dict__, counted.__code__.co_varnames, counted.__code__.co_nlocals)

# introspection of a hot function's signature and code
import inspect
def sig_target(a, b=2, *args, c, d=4, **kw):
    total = a + b + c + d
    for v in args:
        total += v
    return total + len(kw)
r = 0
for i in range(2000):
    r += sig_target(i, c=1) + sig_target(1, 2, 3, 4, c=5, z=6)
print(r, str(inspect.signature(sig_target)), sig_target.__code__.co_kwonlyargcount,
      sig_target.__code__.co_flags & 0x0C, sig_target.__qualname__, sig_target.__module__)

# a function object replaced by a callable instance mid-loop
class Callable:
    def __init__(self):
        self.n = 0
    def __call__(self, x):
        self.n += 1
        return -x

def target(x):
    return x * 2

agg = 0
for i in range(3000):
    agg += target(i)
    if i == 1999:
        target = Callable()
print(agg, target.n)

# closures generated in a loop and called in another hot loop
makers = []
for i in range(20):
    def mk(k=i):
        def inner(x):
            return x + k
        return inner
    makers.append(mk())
z = 0
for i in range(3000):
    z += makers[i % 20](i)
print(z)
