# Hot loops inside except blocks (with a bare raise afterwards), inside with blocks and
# finally blocks, with return from inside them; hot loops in generators, coroutines, class
# bodies and nested functions; a loop entered hot a second time with different kinds.
import asyncio
import sys

class Ctx:
    def __init__(self, log):
        self.log = log
    def __enter__(self):
        self.log.append("in")
        return self
    def __exit__(self, *a):
        self.log.append(("out", a[0].__name__ if a[0] else None))
        return False

def in_except(n):
    out = []
    try:
        try:
            raise KeyError("orig")
        except KeyError:
            k = 0
            while k < n:
                k += 1
                if k == n - 1:
                    out.append(sys.exc_info()[0].__name__)
            raise
    except KeyError as e:
        out.append(("reraised", e.args))
    return out

print(in_except(3000))

def in_with(n):
    log = []
    with Ctx(log):
        k = 0
        while k < n:
            k += 1
            if k == n - 10:
                return k, log

print(in_with(3000))

def in_with_raise(n):
    log = []
    try:
        with Ctx(log):
            k = 0
            while k < n:
                k += 1
                if k == n - 10:
                    {}[k]
    except KeyError as e:
        return e.args, log

print(in_with_raise(3000))

def in_finally(n):
    log = []
    try:
        log.append("try")
    finally:
        k = 0
        while k < n:
            k += 1
        log.append(k)
    return log

print(in_finally(3000))

def finally_return(n):
    log = []
    def g():
        try:
            k = 0
            while k < n:
                k += 1
                if k == n - 5:
                    return k
        finally:
            log.append("fin")
    return g(), log

print(finally_return(3000))

def loop_in_handler_each_time(n):
    total = 0
    for i in range(4):
        try:
            raise ValueError(i)
        except ValueError as e:
            k = 0
            while k < n:
                total += k % (i + 2)
                k += 1
            total += e.args[0]
    return total

print(loop_in_handler_each_time(1500))

def gen(n):
    k = 0
    s = 0
    while k < n:
        s += k
        k += 1
        if k % 1000 == 0:
            yield s
    yield "done"

print(list(gen(5000)))

async def co(n):
    k = 0
    s = 0.0
    while k < n:
        s += k / 2
        k += 1
        if k % 1500 == 0:
            await asyncio.sleep(0)
    return s

async def main():
    return await asyncio.gather(co(3000), co(4500))

print(asyncio.run(main()))

class Body:
    acc = 0
    k = 0
    while k < 3000:
        acc += k
        k += 1
    names = [n for n in ("a", "b") if n]
print(Body.acc, Body.k, Body.names)

def nested_def_loops(n):
    def inner(m):
        t = 0
        k = 0
        while k < m:
            t += k & 7
            k += 1
        return t
    return [inner(n), inner(n // 2), inner(n)]

print(nested_def_loops(3000))

def while_true_break(n):
    k = 0
    vals = []
    while True:
        k += 1
        if k % 1000 == 0:
            vals.append(k)
        if k >= n:
            break
    return vals, k

print(while_true_break(3500))
