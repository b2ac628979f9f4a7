# Exceptions raised and caught inside hot loops: try/except/else/finally, raise in a called
# function, StopIteration from next(), re-raise, exception groups of handlers, exceptions in
# comprehension bodies, `except ... as e` unbinding e.

class Odd(Exception):
    pass

class VeryOdd(Odd):
    def __init__(self, n):
        super().__init__(f"very odd {n}")
        self.n = n

def check(i):
    if i % 7 == 0:
        raise VeryOdd(i)
    if i % 2:
        raise Odd(i)
    return i

def run(n):
    ok = odd = very = fin = els = 0
    steps = range(n)
    for i in steps:
        try:
            v = check(i)
        except VeryOdd as e:
            very += e.n
        except Odd as e:
            odd += e.args[0]
        else:
            ok += v
            els += 1
        finally:
            fin += 1
    return ok, odd, very, fin, els

print(run(3000))
print([run(k)[3] for k in (0, 1, 7)])
acc = (0, 0, 0, 0, 0)
for j in range(1200):
    r = run(j % 11)
    acc = tuple(a + b for a, b in zip(acc, r))
print(acc)

def drain(n):
    it = iter(range(n))
    got = 0
    rounds = 0
    while True:
        try:
            x = next(it)
        except StopIteration:
            break
        got += x
        rounds += 1
    return got, rounds, next(it, "dflt")

print(drain(3000), drain(0))

def lookups(n):
    d = {i: i * i for i in range(0, n, 3)}
    miss = hit = 0
    steps = range(n)
    for i in steps:
        try:
            hit += d[i]
        except KeyError as e:
            miss += e.args[0]
        try:
            [1, 2, 3][i]
        except IndexError:
            pass
        try:
            hit += int("12" if i % 5 else "x")
        except ValueError as e:
            miss += 1
    return hit, miss

print(lookups(3000))

def reraise(n):
    log = []
    steps = range(n)
    for i in steps:
        try:
            try:
                if i % 100 == 0:
                    raise ValueError(i)
                if i % 150 == 0:
                    raise TypeError(i)
            except ValueError:
                if i % 200 == 0:
                    raise
                log.append(("v", i))
        except ValueError as e:
            log.append(("re", e.args[0]))
        except TypeError as e:
            log.append(("t", str(e)))
    return log

lg = reraise(3000)
print(len(lg), lg[:5], lg[-3:])

def zero_div(n):
    s = 0.0
    bad = 0
    steps = range(n)
    for i in steps:
        try:
            s += 100 / (i % 10 - 5)
            s += 7 // (i % 4 - 2)
            s += 3 % (i % 3)
        except ZeroDivisionError:
            bad += 1
    return round(s, 6), bad

print(zero_div(3000))

def finally_flow(n):
    out = []
    steps = range(n)
    for i in steps:
        try:
            if i % 3 == 0:
                continue
            if i == n - 5:
                break
            out.append(i)
        finally:
            if i % 997 == 0:
                out.append(-i)
    return len(out), out[:4], out[-3:]

print(finally_flow(3000))

def ret_in_try(i):
    try:
        if i % 2:
            return "odd"
        raise KeyError(i)
    except KeyError:
        return "even"
    finally:
        ret_in_try.count += 1

ret_in_try.count = 0
print(sum(1 for i in range(2500) if ret_in_try(i) == "even"), ret_in_try.count)

def exc_var_cleared(n):
    hits = 0
    steps = range(n)
    for i in steps:
        try:
            raise Odd(i)
        except Odd as e:
            hits += 1
        try:
            e
        except NameError:
            hits += 1
    return hits

print(exc_var_cleared(2000))

def chained(n):
    causes = 0
    steps = range(n)
    for i in steps:
        try:
            try:
                {}[i]
            except KeyError as k:
                raise RuntimeError("wrapped") from k
        except RuntimeError as r:
            if isinstance(r.__cause__, KeyError) and r.__cause__.args == (i,):
                causes += 1
    return causes

print(chained(2000))

def comp_raises(n):
    good = 0
    steps = range(n)
    for i in steps:
        try:
            vals = [10 // (x - i % 5) for x in range(5)]
        except ZeroDivisionError:
            good += 1
        else:
            good += 1000
    return good

print(comp_raises(1500))

def gen_stops(n):
    def g(k):
        for j in range(k):
            yield j
        return "ret"
    total = 0
    steps = range(n)
    for i in steps:
        it = g(i % 4)
        while True:
            try:
                total += next(it)
            except StopIteration as s:
                total += len(s.value)
                break
    return total

print(gen_stops(2000))
