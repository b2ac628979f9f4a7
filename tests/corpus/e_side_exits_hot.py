# Instructions the JIT leaves to the interpreter (raise, import, with, closures/cells,
# nonlocal/global, match, assert, del, yield in nested generators, lambda creation, class
# definitions) inside hot loops, so that side exits happen mid-loop with many live values.
import math

def matcher(n):
    tally = {"int": 0, "pair": 0, "str": 0, "dict": 0, "other": 0}
    steps = range(n)
    for i in steps:
        v = [i, (i, -i), str(i), {"k": i}, None][i % 5]
        match v:
            case int(x) if x % 2 == 0:
                tally["int"] += x
            case (a, b):
                tally["pair"] += a + b + 1
            case str() as s if s.endswith("7"):
                tally["str"] += 1
            case {"k": k}:
                tally["dict"] += k % 3
            case _:
                tally["other"] += 1
    return tally

print(matcher(3000))

def with_imports(n):
    acc = 0.0
    steps = range(n)
    for i in steps:
        import math as m
        from math import sqrt
        acc += sqrt(i) + m.floor(i / 3)
        if i % 1000 == 0:
            import collections
            acc += len(collections.Counter("abca"))
    return round(acc, 6)

print(with_imports(3000))

def cells(n):
    total = 0
    count = 0
    def bump(k):
        nonlocal count
        count += k
        return count
    steps = range(n)
    for i in steps:
        total += bump(i % 3)
        f = lambda: total + i
        if i % 1000 == 0:
            total += f() % 7
    return total, count

print(cells(3000))

G = 0
def global_stmt(n):
    global G
    steps = range(n)
    for i in steps:
        G += i % 4
        assert G >= 0, "negative"
        if i % 999 == 0:
            class Local:
                val = i
            G += Local.val % 5
    return G

print(global_stmt(3000))

def raise_and_cells(n):
    errors = []
    x = 0
    steps = range(n)
    for i in steps:
        x += 1
        def check():
            if x % 700 == 0:
                raise ArithmeticError(x)
            return x
        try:
            check()
        except ArithmeticError as e:
            errors.append(e.args[0])
        try:
            assert i % 1234 != 0, f"assert {i}"
        except AssertionError as e:
            errors.append(str(e))
    return errors

print(raise_and_cells(3000))

def gen_inside(n):
    total = 0
    steps = range(n)
    for i in steps:
        def g():
            yield i
            yield i * 2
        a, b = g()
        total += a + b
        total += sum(x for x in (i, 1))
    return total

print(gen_inside(3000))

def many_live(n):
    a, b, c, d = 0, 1.5, "s", [0]
    e, f, g, h = None, True, (1, 2), {"x": 1}
    steps = range(n)
    for i in steps:
        a += 1
        b *= 1.0001
        if i % 300 == 0:
            with open(__file__) as fh:       # side exit with everything live
                c = fh.readline()[:3]
            d.append(i)
            e = i if e is None else None
            f = not f
            g = g[1:] + g[:1]
            h[str(i % 3)] = i
        match i % 4:
            case 0:
                a += 2
            case _:
                pass
    return a, round(b, 6), c, d[-3:], e, f, g, sorted(h.items())

print(many_live(3000))

def fstr_math(n):
    out = []
    steps = range(n)
    for i in steps:
        v = math.sqrt(i) if i % 2 else math.pi * i
        try:
            if i % 777 == 0:
                raise ValueError(f"bad {i}")
        except ValueError as err:
            out.append(f"{err}:{v:.3f}")
    return out

print(fstr_math(3000))
