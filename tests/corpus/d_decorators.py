import functools
def trace(tag):
    def deco(fn):
        @functools.wraps(fn)
        def wrapper(*a, **k):
            wrapper.calls += 1
            return fn(*a, **k)
        wrapper.calls = 0
        wrapper.tag = tag
        return wrapper
    return deco
@trace("sq")
def square(x):
    "square a number"
    return x * x
s = 0
for i in range(3000):
    s += square(i)
print(s, square.calls, square.tag, square.__name__, square.__doc__)
@functools.lru_cache(maxsize=None)
def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)
print(fib(80), fib.cache_info().hits > 0)
p = functools.partial(pow, 2)
print([p(i) for i in range(10)], functools.reduce(lambda a, b: a * b, range(1, 15)))
