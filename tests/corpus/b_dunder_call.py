# __call__: callable objects, stateful functors, callable() checks, callables as keys.

class Multiplier:
    def __init__(self, k):
        self.k = k
        self.calls = 0
    def __call__(self, x):
        self.calls += 1
        return x * self.k

triple = Multiplier(3)
print(triple(5), callable(triple), callable(Multiplier), callable(5), callable(len))
print(list(map(triple, range(5))), triple.calls)

# Hot calls of a callable object
s = 0
for i in range(3000):
    s += triple(i)
print("hot", s, triple.calls)
assert triple.calls == 3006

# Callable used as sort key and in max
class ByIndex:
    def __init__(self, i):
        self.i = i
    def __call__(self, t):
        return t[self.i]
rows = [(1, "b", 3.0), (2, "a", 1.0), (0, "c", 2.0)]
print(sorted(rows, key=ByIndex(1)), max(rows, key=ByIndex(2)))

# __call__ with *args/**kwargs
class Recorder:
    def __init__(self):
        self.seen = []
    def __call__(self, *a, **k):
        self.seen.append((a, sorted(k.items())))
        return len(self.seen)
rec = Recorder()
rec()
rec(1, 2)
rec(x=1)
print(rec.seen)

# __call__ defined on the class, not the instance
class Plain:
    pass
p = Plain()
p.__call__ = lambda: "instance attr"
try:
    p()
except TypeError:
    print("instance __call__ ignored -> TypeError")
Plain.__call__ = lambda self: "class attr"
print(p())

# Class objects are callable via metaclass __call__
class Meta(type):
    created = 0
    def __call__(cls, *a, **k):
        Meta.created += 1
        inst = super().__call__(*a, **k)
        inst.tag = "made by Meta"
        return inst
class Widget(metaclass=Meta):
    def __init__(self, n):
        self.n = n
w = Widget(4)
print(w.n, w.tag, Meta.created, type(Widget).__name__)

# Chained callables: a pipeline
class Pipeline:
    def __init__(self, *steps):
        self.steps = steps
    def __call__(self, x):
        for st in self.steps:
            x = st(x)
        return x
    def __or__(self, other):
        return Pipeline(*self.steps, other)
pipe = Pipeline(Multiplier(2)) | (lambda v: v + 1) | Multiplier(10) | str
print(pipe(4), [pipe(i) for i in range(4)])
tot = 0
for i in range(3000):
    tot += len(pipe(i))
print("pipeline hot", tot)

# Bound methods are callables too
class Greeter:
    def __init__(self, g):
        self.g = g
    def greet(self, n):
        return f"{self.g}, {n}"
bm = Greeter("Hi").greet
print(bm("ann"), bm.__name__, bm.__self__.g, callable(bm))
