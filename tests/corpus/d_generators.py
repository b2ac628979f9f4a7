def counter():
    total = 0
    while True:
        x = yield total
        if x is None:
            break
        total += x
    return total
g = counter()
next(g)
for i in range(3000):
    g.send(i)
try:
    g.send(None)
except StopIteration as e:
    print("returned", e.value)
def inner():
    yield 1
    yield 2
    return "inner-done"
def outer():
    r = yield from inner()
    yield r
print(list(outer()))
def fin():
    try:
        yield 1
        yield 2
    finally:
        print("finalized")
f = fin()
print(next(f))
f.close()
def thrower():
    try:
        yield 1
    except ValueError:
        yield "handled"
t = thrower(); next(t)
print(t.throw(ValueError))
import itertools
print(list(itertools.islice((x * x for x in itertools.count()), 5, 10)))
print(sum(x for x in range(3000) if x % 3 == 0))
