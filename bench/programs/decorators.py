"""Closures and decorators as application code uses them: memoization, tracing, events.

Stresses: closures capturing and updating `nonlocal` state, decorators with
`functools.wraps`, decorator factories with arguments, `functools.partial`,
`functools.reduce`, `sorted(key=lambda)`, `map`/`filter` with lambdas,
callbacks stored in dicts and lists (an event emitter), `*args/**kwargs` forwarding.
"""
import sys
import functools

MASK = 0xFFFFFFFF


def memoize(func):
    cache = {}

    @functools.wraps(func)
    def wrapper(*args):
        if args in cache:
            return cache[args]
        result = func(*args)
        cache[args] = result
        return result

    wrapper.cache = cache
    wrapper.cache_clear = cache.clear
    return wrapper


def trace(func):
    """Counts calls and accumulated result into the wrapper's attributes."""
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        wrapper.calls += 1
        result = func(*args, **kwargs)
        wrapper.total = (wrapper.total + (result if isinstance(result, int) else 1)) & MASK
        return result

    wrapper.calls = 0
    wrapper.total = 0
    return wrapper


def retry_clamp(lo, hi):
    """Decorator factory: clamps the result into [lo, hi]."""
    def decorate(func):
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            r = func(*args, **kwargs)
            if r < lo:
                return lo
            if r > hi:
                return hi
            return r
        return wrapper
    return decorate


def scaled(factor, offset=0):
    def decorate(func):
        @functools.wraps(func)
        def wrapper(x):
            return func(x) * factor + offset
        return wrapper
    return decorate


@memoize
def partitions(n, k):
    """Number of partitions of n into parts of size at most k."""
    if n == 0:
        return 1
    if n < 0 or k == 0:
        return 0
    return (partitions(n - k, k) + partitions(n, k - 1)) % 1000000007


@memoize
def grid_paths(r, c):
    if r == 0 or c == 0:
        return 1
    return (grid_paths(r - 1, c) + grid_paths(r, c - 1)) % 1000000007


@trace
@retry_clamp(0, 5000)
def score(a, b, weight=3):
    return (a * weight - b) % 6007


@scaled(3, offset=1)
@scaled(2)
def base(x):
    return x ^ (x >> 3)


def make_counter(start=0, step=1):
    count = start

    def incr():
        nonlocal count
        count += step
        return count

    def get():
        return count

    def reset():
        nonlocal count
        count = start

    return incr, get, reset


def make_accumulator():
    total = 0
    items = 0

    def add(x):
        nonlocal total, items
        total = (total + x) & MASK
        items += 1
        return total

    def stats():
        return items, total

    return add, stats


class EventEmitter(object):
    def __init__(self):
        self.handlers = {}
        self.once_handlers = {}
        self.emitted = 0

    def on(self, name, handler):
        self.handlers.setdefault(name, []).append(handler)
        return handler

    def once(self, name, handler):
        self.once_handlers.setdefault(name, []).append(handler)

    def off(self, name, handler):
        lst = self.handlers.get(name)
        if lst and handler in lst:
            lst.remove(handler)

    def emit(self, name, *args):
        self.emitted += 1
        n = 0
        for h in self.handlers.get(name, ()):
            h(*args)
            n += 1
        pending = self.once_handlers.pop(name, None)
        if pending:
            for h in pending:
                h(*args)
                n += 1
        return n


def lcg(seed):
    x = seed

    def nxt():
        nonlocal x
        x = (x * 1103515245 + 12345) & 0x7FFFFFFF
        return x

    return nxt


def run_events(n, rnd):
    em = EventEmitter()
    incr, get, reset = make_counter(0, 1)
    add, stats = make_accumulator()
    log = []
    em.on("tick", lambda v: incr())
    em.on("tick", add)
    em.on("data", lambda k, v: add(k * v))
    em.on("data", lambda k, v: log.append(k ^ v) if (k & 7) == 0 else None)
    big = em.on("big", lambda v: add(v * 7))
    resets = 0
    for i in range(n):
        r = rnd()
        kind = r % 5
        if kind < 2:
            em.emit("tick", r & 0xFFF)
        elif kind < 4:
            em.emit("data", r & 0xFF, (r >> 8) & 0xFF)
        else:
            em.once("tick", lambda v, i=i: add(i))
            em.emit("big", r & 0xFF)
        if i % 1000 == 999:
            if get() > 300:
                reset()
                resets += 1
            if i % 3000 == 2999:
                em.off("big", big)
                big = em.on("big", lambda v: add(v * 5))
    items, total = stats()
    return (get() + resets * 1000 + items + total + sum(log[-50:]) + em.emitted) & MASK


def run_functional(n, rnd):
    data = [rnd() % 10000 for _ in range(n)]
    evens = list(filter(lambda v: v % 2 == 0, data))
    squares = list(map(lambda v: (v * v) % 65521, evens))
    s = functools.reduce(lambda a, b: (a * 31 + b) & MASK, squares, 7)
    pairs = [(v % 97, v) for v in data[: n // 2]]
    pairs.sort(key=lambda p: (p[0], -p[1]))
    h = 0
    for k, v in pairs[::7]:
        h = (h * 131 + k * 7 + v) & MASK
    words = ["w%d" % (v % 523) for v in data[: n // 4]]
    ordered = sorted(set(words), key=lambda w: (len(w), w))
    h2 = functools.reduce(lambda a, w: (a * 33 + ord(w[-1]) + len(w)) & MASK, ordered, 5)
    mod = functools.partial(pow, 3, mod=1000003)
    p = sum(map(mod, data[:200])) & MASK
    shift = functools.partial(lambda a, b, c: (a << b) ^ c, c=0x5A5A)
    q = functools.reduce(lambda a, v: (a + shift(v & 0xFFFF, v & 7)) & MASK, data, 0)
    return (s + h + h2 + p + q) & MASK


def run_decorated(n, rnd):
    partitions.cache_clear()
    grid_paths.cache_clear()
    score.calls = 0
    score.total = 0
    acc = 0
    for k in range(1, 61):
        acc = (acc + partitions(k * 3, k)) & MASK
    for r in range(0, 40, 3):
        acc = (acc + grid_paths(r, 40 - r)) & MASK
    for i in range(n):
        r = rnd()
        acc = (acc + score(r & 0xFFFF, (r >> 16) & 0xFFF, weight=(r & 3) + 1)) & MASK
        acc = (acc + base(r & 0xFFFFF)) & MASK
    sizes = len(partitions.cache) + len(grid_paths.cache)
    return (acc + score.calls + score.total + sizes) & MASK, partitions.__name__


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 65000
    rnd = lcg(12345)
    a = run_events(n, rnd)
    b = run_functional(n, rnd)
    c, name = run_decorated(n, rnd)
    checksum = (a * 3 + b * 5 + c * 7) & MASK
    print("decorators n=%d events=%d functional=%d decorated=%d name=%s checksum=%d" % (
        n, a, b, c, name, checksum))


if __name__ == "__main__":
    main()
