# Calls with *args, **kwargs, keyword arguments, defaults and keyword-only parameters from hot
# loops; bound methods, lambdas, builtins with keyword arguments, argument errors caught.

def pos(a, b, c=10, *rest, kw=1, **extra):
    return a + b * 2 + c * 3 + sum(rest) * 5 + kw * 7 + sum(extra.values()) * 11

def only_kw(*, x, y=2):
    return x * 100 + y

def collect(*args, **kwargs):
    return len(args), tuple(sorted(kwargs))

def run(n):
    t = 0
    names = ["p", "q", "r"]
    steps = range(n)
    for i in steps:
        args = (i, i + 1, i + 2, i + 3)[: i % 5]
        kwargs = {names[j]: j for j in range(i % 4)}
        try:
            t += pos(*args, **kwargs)
        except TypeError:
            t -= 1
        t += pos(1, 2, kw=i % 3)
        t += pos(i, b=i)
        t += pos(*[1, 2, 3, 4], *(5,), kw=0, **{"z": i % 2})
        t += only_kw(x=i % 10) + only_kw(y=i, x=1)
        c = collect(*range(i % 6), a=1, **{"b": 2, "c": i})
        t += c[0] + len(c[1])
    return t

print(run(3000))
acc = 0
for i in range(2000):
    acc += run(1)
print(acc)

def errors(n):
    kinds = {}
    steps = range(n)
    for i in steps:
        try:
            if i % 4 == 0:
                only_kw(1)
            elif i % 4 == 1:
                pos(1)
            elif i % 4 == 2:
                pos(1, 2, a=3)
            else:
                only_kw(x=1, z=2)
        except TypeError as e:
            key = str(e).split("(")[0].split(" got")[0][:30]
            kinds[i % 4] = kinds.get(i % 4, 0) + 1
    return sorted(kinds.items())

print(errors(2000))

class Acc:
    def __init__(self):
        self.v = 0
    def add(self, *xs, scale=1):
        self.v += sum(xs) * scale
        return self
    @staticmethod
    def s(a, b=3):
        return a * b
    @classmethod
    def c(cls, **kw):
        return len(kw)

a = Acc()
m = a.add
for i in range(3000):
    m(i, i % 3, scale=2 if i % 2 else 1)
    a.add(*(i,) * (i % 3))
    a.v += Acc.s(i) + a.s(b=i % 4, a=1) + Acc.c(**{"k" + str(i % 3): 1}) + a.c()
print(a.v)

def builtin_kw(n):
    s = 0
    steps = range(n)
    for i in steps:
        words = ["pear", "Fig", "apple", "kiwi"][: i % 4 + 1]
        s += len(sorted(words, key=str.lower, reverse=i % 2 == 0)[0])
        s += int("1" + "0" * (i % 3), base=2 + i % 8)
        s += max([3, 1, 2], key=lambda v: -v)
        s += len(" ".join(map(str, range(i % 5))).split(maxsplit=1))
        s += round(i / 7, ndigits=1) > 10
        s += sum(range(i % 4), start=1)
    return s

print(builtin_kw(3000))

def deep_default(n, cache=[]):
    cache.append(n)
    return len(cache)

for i in range(1500):
    deep_default(i)
print(deep_default(-1))

lam = lambda x, *ys, k=5, **kw: x + len(ys) + k + len(kw)
print(sum(lam(i, *range(i % 3), **({"k": 1} if i % 2 else {})) for i in range(3000)))

def fwd(*a, **k):
    return pos(*a, **k)
print(sum(fwd(i, i, c=1, kw=2, extra=i % 5) for i in range(3000)))
