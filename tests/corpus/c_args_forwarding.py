# *args / **kwargs forwarding
def target(a, b=0, *rest, key=None, **kw):
    return a + b + sum(rest) + (key or 0) + sum(kw.values())

def forward(*args, **kwargs):
    return target(*args, **kwargs)

def forward2(*args, **kwargs):
    return forward(*args, **kwargs)

t = 0
for i in range(3000):
    t += forward2(i, 1, 2, 3, key=i % 4, extra=1)
print("total", t)

def show(*args, **kwargs):
    return "args=%r kwargs=%r" % (args, sorted(kwargs.items()))
print(show())
print(show(1, 2))
print(show(*[1, 2], *(3,), x=1, **{"y": 2}))
print(show(**{"b": 1, "a": 2}))

def merge(**kw):
    return kw
d1 = {"a": 1}
d2 = {"b": 2}
print(sorted(merge(**d1, **d2).items()))
try:
    merge(**d1, **{"a": 3})
except TypeError as e:
    print("dup kw", type(e).__name__)

def wrapper(f):
    def inner(*a, **k):
        return ("wrapped", f(*a, **k))
    return inner

@wrapper
def add(x, y=10):
    return x + y
print(add(1), add(1, 2), add(x=5, y=5))
args = (1, 2, 3)
print("unpack first", (lambda a, *b: (a, b))(*args))
first, *middle, last = range(10)
print(first, middle, last)
cnt = 0
for i in range(3000):
    cnt += len(show(i, k=i)) > 0
print("cnt", cnt)
