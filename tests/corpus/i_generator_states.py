# Generators seen from outside while suspended: the frame of a suspended generator shows
# the line of its `yield` and its locals; send, throw and close reach it in every kind of
# block; unfinished generators are finalized (their `finally` runs) when dropped; a
# `yield from` chain shows its delegate. Lines are printed relative to the function's
# first line.
import gc
import inspect
import traceback
import sys


def rel(gen):
    f = gen.gi_frame
    return None if f is None else f.f_lineno - gen.gi_code.co_firstlineno


def state(gen):
    return inspect.getgeneratorstate(gen)


def blocks():
    total = 0
    for i in range(3):                       # +2
        got = yield ("loop", i, total)       # +3
        total += got or 0
    try:
        got = yield ("try", total)           # +6
        total += got
    except KeyError as e:
        total = -100
        yield ("handled", repr(e))           # +10
    finally:
        print("  blocks finally", total)
    with Ctx("w") as c:
        got = yield ("with", c)              # +14
    try:
        raise OSError("inner")
    except OSError as e:
        got = yield ("in except", str(e), sys.exception() is e)  # +18
    return total


class Ctx:
    def __init__(self, name):
        self.name = name
    def __enter__(self):
        print("  enter", self.name)
        return self.name
    def __exit__(self, *exc):
        print("  exit", self.name, exc[0].__name__ if exc[0] else None)
        return False


# send all the way through
g = blocks()
print(state(g), rel(g))
v = next(g)
while True:
    print(v, state(g), rel(g), sorted(inspect.getgeneratorlocals(g)))
    try:
        v = g.send(10)
    except StopIteration as stop:
        print("returned", stop.value, state(g), g.gi_frame)
        break

# throw into the try block: handled, then close in the handler's yield
g = blocks()
for _ in range(4):
    v = next(g)
print(v, rel(g))
print("throw ->", g.throw(KeyError("k")), rel(g))
g.close()
print("closed", state(g))

# throw into the with block: __exit__ sees it, the exception escapes
g = blocks()
for _ in range(4):
    next(g)
print(g.send(1), rel(g))
try:
    g.throw(ValueError("into with"))
except ValueError as e:
    print("escaped", e, state(g))

# close while suspended in the except block (exception context kept across the yield)
g = blocks()
for _ in range(4):
    next(g)
g.send(1)
print(g.send(2), rel(g))
g.close()
print("closed in except", state(g))


# A generator running sees itself running; one dropped unfinished is finalized at once.
def selfish():
    me = yield
    print("  running inside:", me.gi_running, state(me))
    try:
        yield "suspended"
        yield "never"
    finally:
        print("  selfish finally")


g = selfish()
next(g)
print(g.send(g), g.gi_running, g.gi_suspended)
del g
print("after del")
gc.collect()


# A yield from chain: the outer generator's gi_yieldfrom is the inner one.
def inner(n):
    for i in range(n):
        x = yield i
        if x:
            print("  inner got", x)
    return "inner done"


def outer():
    r = yield from inner(3)
    print("  outer got", r)
    yield "outer tail"


g = outer()
print(next(g), g.gi_yieldfrom.__name__, rel(g), rel(g.gi_yieldfrom))
print(g.send("hello"))
print(next(g), next(g), g.gi_yieldfrom)
try:
    next(g)
except StopIteration:
    print("outer finished")

# throw through the chain lands in the inner generator
g = outer()
next(g)
try:
    g.throw(IndexError("deep"))
except IndexError as e:
    names = [f.name for f in traceback.extract_tb(e.__traceback__)]
    print("through chain", names)


# Hot generators: many short ones consumed by builtins, genexps, and a deep pipeline.
def numbers(n):
    i = 0
    while i < n:
        yield i
        i += 1


def scaled(src, k):
    for x in src:
        yield x * k


total = 0
for rnd in range(200):
    total += sum(scaled(numbers(50), rnd % 3))
print("pipeline", total)
print("genexp", sum(x * x for x in numbers(1000) if x % 3), max((y % 17, y) for y in range(500)))
squares = (q * q for q in range(4))
print("genexp frame", squares.gi_frame.f_code.co_name, next(squares), list(squares))
