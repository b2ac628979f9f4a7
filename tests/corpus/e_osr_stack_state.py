# Hot inner loops entered by on-stack replacement while outer loops keep iterators, partial
# expressions and handler state alive: loops inside for-over-list/dict/generator loops,
# inside try blocks and with statements, inside a loop over zip/enumerate, and a loop
# whose body sits in an expression being evaluated.

class Ctx:
    def __init__(self, log):
        self.log = log
    def __enter__(self):
        self.log.append("enter")
        return self
    def __exit__(self, *exc):
        self.log.append("exit" if exc[0] is None else "exit:" + exc[0].__name__)
        return exc[0] is KeyError

def outer_iters(words):
    out = []
    for w in words:                       # list iterator on the stack
        for ch in w:                      # str iterator on the stack
            n = 0
            k = 0
            while k < 700:                # hot inner loop
                n += (ord(ch) * k) % 13
                k += 1
            out.append(n)
    return out

o = outer_iters(["ab", "xyz", "q"])
print(o, sum(o))

def in_try_and_with(n):
    log = []
    tot = 0
    rng = range(n)
    with Ctx(log) as c:
        try:
            for i in rng:
                tot += i * 3 % 7
                if i == n - 1:
                    {}["missing"]
        except KeyError:
            tot = -tot
        finally:
            log.append("finally")
        for j in rng:
            tot += j & 5
        raise KeyError("swallowed by __exit__")
    return tot, log, c is not None

print(in_try_and_with(3000))

def gen_source(n):
    steps = range(n)
    for i in steps:
        yield i * i

def over_generator(n):
    acc = 0
    count = 0
    gen = gen_source(n)
    for sq in gen:                        # generator on the stack during the hot loop
        acc += sq % 1000
        count += 1
        if count % 1000 == 0:
            acc //= 3
    return acc, count

print(over_generator(3500))

def over_dict_and_zip(n):
    d = {f"k{i}": i for i in range(40)}
    total = 0
    names = []
    items = d.items()
    for key, val in items:
        pairs = enumerate(zip(range(val, val + n), range(n, 0, -1)))
        for idx, (a, b) in pairs:
            total += a * b - idx
        names.append(key)
    return total, names[-2:]

print(over_dict_and_zip(80))

def in_expression(n):
    def body(m):
        s = 0
        qs = range(m)
        for q in qs:
            s += q % 11
        return s
    # hot loop in a call whose result is part of a partially evaluated expression
    return [1, 2, body(n), 4], (10 + body(n) * 2, "tail"), {"a": body(n // 2)}

print(in_expression(4000))

def list_mutated_while_iterating(n):
    L = list(range(10))
    seen = 0
    for v in L:
        if len(L) < n:
            L.append(v + 10)
        seen += v % 7
    return seen, len(L), L[-3:]

print(list_mutated_while_iterating(3000))

def deep_nesting(n):
    total = 0
    r3 = range(3)
    for a in r3:
        for b in [10, 20]:
            for c in "xy":
                i = 0
                while i < n:
                    total += (a + b + ord(c) + i) % 9
                    i += 1
                    if i == n // 2 and a == 2 and b == 20 and c == "y":
                        return total, a, b, c, i
    return total

print(deep_nesting(800))

# module-level nested loops with an outer list iterator and a hot while loop
results = []
for base in [3, 5, 7]:
    x = base
    steps = 0
    while x != 1 and steps < 5000:
        x = x // 2 if x % 2 == 0 else 3 * x + 1
        steps += 1
        if steps % 2 == 0:
            x = x + base * 2
            x = x % 1000 + 1
    results.append((base, x, steps))
print(results)

def early_exit_then_reenter(n):
    vals = []
    for round_ in range(4):
        total = 0
        for i in range(n):
            total += i ^ round_
            if round_ == 1 and i == n // 3:
                break
        vals.append(total)
    return vals

print(early_exit_then_reenter(2500))
