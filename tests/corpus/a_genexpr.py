# Generator expressions and generators: laziness, exhaustion, nesting, send, yield from.
g = (x * 2 for x in range(5))
print(next(g), next(g), list(g), list(g))
print(sum(x for x in range(100) if x % 3 == 0), max((len(w), w) for w in ["aa", "b", "ccc"]), any(x > 3 for x in [1, 5]), all(x for x in []))
print(sorted(c for c in "generator"), "".join(str(i) for i in range(5)), tuple(i for i in "ab"), dict((i, i) for i in range(2)))
log = []
def src():
    for i in range(3):
        log.append("yield %d" % i)
        yield i
lazy = (v * 10 for v in src())
log.append("created")
first = next(lazy)
log.append("got %d" % first)
print(log, list(lazy), log)
nested = ((i, j) for i in range(3) for j in (i * 10 for _ in range(2)))
print(list(nested))

def countdown(n):
    while n > 0:
        received = yield n
        if received:
            n -= received
        else:
            n -= 1
    return "done"
c = countdown(10)
print(next(c), c.send(3), next(c), c.send(4))
try:
    while True:
        next(c)
except StopIteration as e:
    print("StopIteration value", e.value)

def chain(*its):
    for it in its:
        yield from it
print(list(chain([1, 2], "ab", range(2))))
def inner():
    yield 1
    return "inner-result"
def outer():
    r = yield from inner()
    yield r
print(list(outer()))
def gen_close():
    try:
        yield 1
        yield 2
    finally:
        print("finally ran")
gc_ = gen_close()
print(next(gc_))
gc_.close()
def gen_throw():
    try:
        yield 1
    except ValueError as e:
        yield "caught " + str(e)
gt = gen_throw()
next(gt)
print(gt.throw(ValueError("boom")))
it = iter([1, 2, 3])
print(list(zip(it, it)), list(it))

# Hot: generators consumed in loops
def primes():
    found = []
    n = 2
    while True:
        if all(n % p for p in found if p * p <= n):
            found.append(n)
            yield n
        n += 1
pg = primes()
ps = [next(pg) for _ in range(300)]
print(ps[-3:], sum(ps))

def gen_sum(n):
    total = 0
    for i in range(n):
        total += sum(j for j in range(i % 8))
    return total
print(gen_sum(3000))

def fib():
    a, b = 0, 1
    while True:
        yield a
        a, b = b, a + b
import itertools
print(list(itertools.islice(fib(), 10)), next(itertools.islice(fib(), 3000, None)) % 10**12)
print(list(itertools.takewhile(lambda v: v < 50, (x * x for x in itertools.count()))))
