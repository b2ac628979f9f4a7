# Closure factories: accumulators, composed functions, memo tables in cells.

def accumulator():
    items = []
    def add(x):
        items.append(x)
        return len(items)
    add.items = items
    return add

acc = accumulator()
for w in ["a", "bb", "ccc"]:
    acc(w)
print(acc.items)

def compose(*fs):
    def run(x):
        for f in reversed(fs):
            x = f(x)
        return x
    return run

inc = lambda x: x + 1
dbl = lambda x: x * 2
sq = lambda x: x * x
h = compose(inc, dbl, sq)  # inc(dbl(sq(x)))
print([h(i) for i in range(6)])
assert h(3) == 19

def memoize_closure(fn):
    cache = {}
    hits = 0
    def wrapper(n):
        nonlocal hits
        if n in cache:
            hits += 1
            return cache[n]
        r = fn(n)
        cache[n] = r
        return r
    def stats():
        return hits, len(cache)
    return wrapper, stats

def slow_square(n):
    return n * n

fast, st = memoize_closure(slow_square)
tot = 0
for i in range(3000):
    tot += fast(i % 50)
print("memo", tot, st())
assert st() == (2950, 50)

# Generator of closures: each with its own cell
def multipliers():
    return [lambda x, k=k: x * k for k in range(1, 5)]
print([m(10) for m in multipliers()])

# Closure over a class instance vs over a variable rebound
class Box:
    def __init__(self, v):
        self.v = v

def watcher():
    b = Box(1)
    def look():
        return b.v
    b.v = 2
    r1 = look()
    b = Box(3)
    r2 = look()
    return r1, r2
print("watch", watcher())
assert watcher() == (2, 3)

# Closures that modify nonlocal lists without nonlocal declaration
def collector():
    data = []
    def push(x):
        data.append(x)
    def pop():
        return data.pop()
    def size():
        return len(data)
    return push, pop, size
push, pop, size = collector()
for i in range(3000):
    push(i)
    if i % 3 == 0:
        pop()
print("collector size", size())
assert size() == 2000

# A closure that rebinds a name used by a sibling closure
def siblings():
    mode = "add"
    def set_mode(m):
        nonlocal mode
        mode = m
    def apply(a, b):
        if mode == "add":
            return a + b
        if mode == "mul":
            return a * b
        return None
    return set_mode, apply
set_mode, apply = siblings()
out = []
for i in range(3000):
    if i == 1500:
        set_mode("mul")
    out.append(apply(i, 2))
print("siblings", out[1498:1503], sum(out))
assert out[1499] == 1501 and out[1500] == 3000

# Recursion through a closure
def make_fact():
    def fact(n):
        return 1 if n <= 1 else n * fact(n - 1)
    return fact
f = make_fact()
print("fact", [f(i) for i in range(10)])
print("fact 25", f(25))
