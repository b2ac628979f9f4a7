# Exceptions raised and caught inside loops that run thousands of times.

# 1. EAFP dict access in a hot loop
def count_words(words):
    counts = {}
    for w in words:
        try:
            counts[w] += 1
        except KeyError:
            counts[w] = 1
    return counts
words = [("w%d" % (i % 37)) for i in range(3000)]
c = count_words(words)
print(len(c), c["w0"], c["w36"])
assert sum(c.values()) == 3000

# 2. int() conversions that sometimes fail
def parse_all(tokens):
    good, bad = 0, 0
    for t in tokens:
        try:
            good += int(t)
        except ValueError:
            bad += 1
    return good, bad
toks = [str(i) if i % 7 else "x%d" % i for i in range(3000)]
print("parse", parse_all(toks))

# 3. Division guarded by try/except inside a hot loop, with else and finally
def safe_div(n):
    ok = zero = fin = 0
    acc = 0
    for i in range(n):
        d = i % 10
        try:
            q = 1000 // d
        except ZeroDivisionError:
            zero += 1
        else:
            ok += 1
            acc += q
        finally:
            fin += 1
    return ok, zero, fin, acc
print("div", safe_div(3000))

# 4. StopIteration caught manually from next()
def manual_iter(n):
    it = iter(range(n))
    total = 0
    while True:
        try:
            total += next(it)
        except StopIteration:
            break
    return total
print("manual next", manual_iter(3000))

# 5. Attribute errors on heterogeneous objects
class HasV:
    def __init__(self, v):
        self.v = v
class NoV:
    pass
objs = [HasV(i) if i % 4 else NoV() for i in range(3000)]
s = missing = 0
for o in objs:
    try:
        s += o.v
    except AttributeError:
        missing += 1
print("attrs", s, missing)

# 6. An exception raised on the very last iterations only (the loop is hot before the first raise)
def late_fail(n):
    seen = 0
    errs = []
    for i in range(n):
        try:
            if i >= n - 3:
                raise RuntimeError("late %d" % i)
            seen += 1
        except RuntimeError as e:
            errs.append(str(e))
    return seen, errs
print("late", late_fail(3000))

# 7. Exception raised in a hot helper, caught by the loop, and the loop continues with state intact
def checked_sqrt(x):
    if x < 0:
        raise ValueError(x)
    r = 0
    while (r + 1) * (r + 1) <= x:
        r += 1
    return r
vals = [(i * 37) % 200 - 50 for i in range(3000)]
roots = 0
negs = []
for v in vals:
    try:
        roots += checked_sqrt(v)
    except ValueError as e:
        if len(negs) < 5:
            negs.append(e.args[0])
print("roots", roots, negs)

# 8. Nested try in a hot loop: inner re-raises some, outer counts
inner_c = outer_c = 0
for i in range(3000):
    try:
        try:
            if i % 3 == 0:
                raise KeyError(i)
            if i % 3 == 1:
                raise IndexError(i)
        except KeyError:
            inner_c += 1
            if i % 2 == 0:
                raise
    except LookupError:
        outer_c += 1
print("nested", inner_c, outer_c)
assert inner_c == 1000 and outer_c == 500 + 1000
