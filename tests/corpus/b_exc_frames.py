# Exceptions crossing several frames: propagation, cleanup in every frame, tracebacks frame count.
import traceback

cleanup = []

def f4(x):
    try:
        if x < 0:
            raise ValueError(f"negative: {x}")
        return 100 // x
    finally:
        cleanup.append("f4")

def f3(x):
    try:
        return f4(x) + 1
    finally:
        cleanup.append("f3")

def f2(x):
    r = f3(x)
    cleanup.append("f2-after")
    return r * 2

def f1(x):
    try:
        return f2(x)
    except ZeroDivisionError:
        cleanup.append("f1-handled")
        return -1

print(f1(5), cleanup)
cleanup.clear()
print(f1(0), cleanup)
cleanup.clear()
try:
    f1(-3)
except ValueError as e:
    print("top caught:", e, cleanup)
    tb = e.__traceback__
    names = []
    while tb is not None:
        names.append(tb.tb_frame.f_code.co_name)
        tb = tb.tb_next
    print("frames:", names)
    print("extract:", [fs.name for fs in traceback.extract_tb(e.__traceback__)])

# Exception through a recursive chain, caught at a chosen depth
def dive(n, fail_at, catch_at):
    try:
        if n == fail_at:
            raise LookupError(n)
        return dive(n + 1, fail_at, catch_at)
    except LookupError as e:
        if n == catch_at:
            return f"caught at {n} (raised at {e.args[0]})"
        raise
print(dive(0, 8, 3), dive(0, 5, 5), dive(0, 12, 0))

# Exception crossing through a method, a lambda, map() and a comprehension
class Parser:
    def parse(self, s):
        return [int(tok) for tok in s.split(",")]
conv = lambda s: Parser().parse(s)
try:
    list(map(conv, ["1,2", "3,x", "5"]))
except ValueError as e:
    print("ValueError through map/lambda/method/listcomp")

# Exception crossing a generator frame
def gen(items):
    for it in items:
        yield 10 // it
def consume(items):
    total = 0
    for v in gen(items):
        total += v
    return total
try:
    consume([1, 2, 0, 5])
except ZeroDivisionError as e:
    print("from generator:", type(e).__name__)

# Hot: an exception raised 3 frames deep, caught by the caller, thousands of times
def d3(i):
    if i % 5 == 0:
        raise KeyError(i)
    return i
def d2(i):
    return d3(i) * 2
def d1(i):
    return d2(i) + 1
ok = err = 0
for i in range(3000):
    try:
        ok += d1(i)
    except KeyError as e:
        err += e.args[0]
print("hot", ok, err)
assert err == sum(range(0, 3000, 5))

# traceback.format_exception_only gives the final line
try:
    raise IndexError("idx 7")
except IndexError as e:
    print(traceback.format_exception_only(type(e), e))
