# Stateful decorators: call counters, decorator classes, method decorators, memoization.
import functools

class CountCalls:
    def __init__(self, fn):
        functools.update_wrapper(self, fn)
        self.fn = fn
        self.calls = 0
    def __call__(self, *a, **k):
        self.calls += 1
        return self.fn(*a, **k)

@CountCalls
def work(x):
    return x + 1

for i in range(3000):
    work(i)
print("count", work.calls, work.__name__)
assert work.calls == 3000

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
print("fib", fib(90), len(fib.cache))

# Method decorator that sees self
def logged(method):
    @functools.wraps(method)
    def w(self, *a):
        self.log.append(method.__name__ + str(a))
        return method(self, *a)
    return w

class Account:
    def __init__(self):
        self.log = []
        self.balance = 0
    @logged
    def deposit(self, amt):
        self.balance += amt
    @logged
    def withdraw(self, amt):
        if amt > self.balance:
            raise ValueError("insufficient")
        self.balance -= amt

acct = Account()
acct.deposit(100)
acct.withdraw(30)
try:
    acct.withdraw(1000)
except ValueError as e:
    print("error:", e)
print(acct.balance, acct.log)

# Decorator with state shared across decorated functions
def tracked(registry):
    def deco(fn):
        @functools.wraps(fn)
        def w(*a):
            registry[fn.__name__] = registry.get(fn.__name__, 0) + 1
            return fn(*a)
        return w
    return deco

reg = {}
@tracked(reg)
def f1():
    return 1
@tracked(reg)
def f2():
    return 2
for i in range(3000):
    if i % 3:
        f1()
    else:
        f2()
print(sorted(reg.items()))

# Decorators on staticmethod / classmethod / property
def upper_result(fn):
    @functools.wraps(fn)
    def w(*a, **k):
        return str(fn(*a, **k)).upper()
    return w

class Thing:
    name = "thing"
    @staticmethod
    @upper_result
    def s(x):
        return "static " + x
    @classmethod
    @upper_result
    def c(cls):
        return "class " + cls.name
    @property
    @upper_result
    def p(self):
        return "prop " + self.name
t = Thing()
print(t.s("a"), Thing.c(), t.p)

# Timing-free "retry" decorator
def retry(times):
    def deco(fn):
        @functools.wraps(fn)
        def w(*a):
            last = None
            for attempt in range(times):
                try:
                    return fn(attempt, *a)
                except RuntimeError as e:
                    last = e
            raise last
        return w
    return deco

@retry(4)
def flaky(attempt, x):
    if attempt < 2:
        raise RuntimeError("attempt %d failed" % attempt)
    return x * attempt
print("retry", flaky(21))

@retry(2)
def always_bad(attempt):
    raise RuntimeError("bad %d" % attempt)
try:
    always_bad()
except RuntimeError as e:
    print("gave up:", e)

# __wrapped__ chain
@upper_result
@upper_result
def nested():
    return "n"
print(nested(), nested.__wrapped__.__wrapped__())
