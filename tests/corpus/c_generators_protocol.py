def accumulator():
    total = 0
    while True:
        try:
            v = yield total
        except ValueError:
            total = -1
            continue
        if v is None:
            return total
        total += v

g = accumulator()
next(g)
for i in range(3000):
    g.send(i)
print("acc", g.send(0))
print("throw", g.throw(ValueError))
print("after throw", g.send(5))
try:
    g.send(None)
except StopIteration as e:
    print("stop value", e.value)

def inner():
    x = yield 1
    y = yield x * 2
    return x + y
def outer():
    r = yield from inner()
    yield "inner returned %d" % r
    return "outer done"
o = outer()
print(next(o), o.send(10), o.send(5))
try:
    next(o)
except StopIteration as e:
    print("outer stop", e.value)

fin = []
def guarded(n):
    try:
        for i in range(n):
            yield i
    finally:
        fin.append(n)
gen = guarded(100)
print(next(gen), next(gen))
gen.close()
print("closed", fin, gen.gi_frame is None)
for v in guarded(3):
    pass
print("exhausted", fin)
for v in guarded(10):
    if v == 2:
        break
print("break", fin)

def ignore_exit():
    try:
        yield 1
    except GeneratorExit:
        yield 2
ge = ignore_exit(); next(ge)
try:
    ge.close()
except RuntimeError as e:
    print("close ignored", type(e).__name__)

def fibgen():
    a, b = 0, 1
    while True:
        yield a
        a, b = b, a + b
import itertools
print(list(itertools.islice(fibgen(), 15)))
s = 0
for i, f in zip(range(3000), fibgen()):
    s += f % 1000
print("fibsum", s)

def delegate_throw():
    try:
        yield from inner()
    except KeyError:
        yield "caught in outer"
d = delegate_throw(); next(d)
print(d.throw(KeyError))
def stopper():
    yield 1
    return "rv"
print(list(stopper()), [x for x in (y * 2 for y in range(5))])
