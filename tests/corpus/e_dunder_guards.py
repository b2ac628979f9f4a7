# Hot functions specialized on ints/floats receiving bools and int/float subclasses with
# overridden operators; loops whose start values change kind between calls; custom
# iterators, __bool__, __eq__ and __index__ that raise or misbehave inside hot loops.

class MyInt(int):
    def __add__(self, o):
        return "MyInt.add"
    def __lt__(self, o):
        return "lt!"
    def __mul__(self, o):
        return MyInt(int(self) * 10)

class MyFloat(float):
    def __sub__(self, o):
        return "MyFloat.sub"
    def __repr__(self):
        return "MyFloat(%s)" % float.__repr__(self)

class Idx:
    def __init__(self, v):
        self.v = v
    def __index__(self):
        return self.v

def ident(a):
    return a

def add(a, b):
    return a + b

def lt(a, b):
    return a < b

def fsub(a, b):
    return a - b

def mul(a, b):
    c = a * b
    return c

for i in range(2000):
    ident(i); add(i, i); lt(i, 3); fsub(1.5, 0.5); mul(i, 3)
print(repr(ident(True)), repr(ident(MyInt(5))), type(ident(MyInt(5))).__name__, repr(ident(-0.0)))
print(add(MyInt(1), 2), add(True, True), repr(add(True, 0)), lt(MyInt(1), 2), fsub(MyFloat(2.0), 1.0),
      repr(fsub(2.0, MyFloat(1.0))), add("a", "b"), add([1], [2]), add(2**64, 1), lt(2.5, 3))
print(repr(mul(MyInt(2), 3)), type(mul(MyInt(2), 3)).__name__, repr(mul(True, 1)), repr(mul(2, True)), mul("ab", 2))

def loop_add(xs):
    out = []
    for x in xs:
        out.append(x + 1)
    return out

xs = list(range(1500)) + [MyInt(7), True, 2.5, MyFloat(1.0), 2**63 - 1]
print(loop_add(xs)[-6:])

def run_from(n, start, step):
    a = start
    k = 0
    while k < n:
        a = a + step
        k += 1
    return a

print(run_from(3000, 0, 1), run_from(3000, 0.5, 1), run_from(3000, 0, 0.25))
s = run_from(3000, "s", "t")
print(s[:10], len(s), run_from(3000, 2**70, 1), run_from(3000, 2**63 - 2000, 1))
print(run_from(3000, True, True), run_from(3000, [], [1])[-3:], run_from(3000, 0, 1), run_from(3000, 1.0, -0.5))
print(run_from(10, MyFloat(2.0), 1.0), run_from(1, MyInt(3), 1), run_from(3000, 3, MyInt(2)))

def range_index(n):
    s = 0
    for i in range(Idx(n)):
        s += i
    for i in range(MyInt(3), Idx(n), Idx(7)):
        s -= i
    return s

print(range_index(3000), [range_index(k) for k in (0, 1, 10)])

class Boom:
    def __init__(self, n):
        self.n = n
        self.i = 0
    def __iter__(self):
        return self
    def __next__(self):
        self.i += 1
        if self.i == self.n:
            raise ValueError("boom at %d" % self.i)
        if self.i > self.n:
            raise StopIteration
        return self.i

class Truthy:
    def __init__(self, k):
        self.k = k
    def __bool__(self):
        if self.k == 2500:
            raise RuntimeError("bool %d" % self.k)
        return self.k % 2 == 0

class BadEq:
    def __eq__(self, o):
        raise TypeError("eq")
    __hash__ = object.__hash__

def misbehaving(n):
    out = []
    s = 0
    b = Boom(n)
    try:
        for x in b:
            s += x
    except ValueError as e:
        out.append((str(e), s, x))
    d = {i: i for i in range(50)}
    dd = d
    k = 0
    try:
        for key in dd:
            k += 1
            if k == 40:
                d[1000] = 1
    except RuntimeError as e:
        out.append((str(e), k))
    t = 0
    ts = [Truthy(k) for k in range(3000)]
    try:
        for tr in ts:
            if tr:
                t += 1
            elif not tr:
                t += 2
    except RuntimeError as e:
        out.append((str(e), t))
    lst = [1, 2, BadEq(), 4]
    hits = 0
    j = 0
    while j < n:
        try:
            if (j % 5) in lst:
                hits += 1
        except TypeError:
            hits += 100
        j += 1
    out.append(hits)
    return out

print(misbehaving(3000))
print(misbehaving(1500))

class Weird:
    def __init__(self, v):
        self.v = v
    def __lt__(self, o):
        return self.v < o
    def __radd__(self, o):
        return o + self.v * 1000
    def __rsub__(self, o):
        return Weird(o)

def mixed_ops(n):
    acc = 0
    k = 0
    w = Weird(1)
    while k < n:
        acc = acc + (w if k % 500 == 0 else 1)
        if w < k:
            acc += 1
        k += 1
    r = 5 - w
    return acc, type(r).__name__, r.v

print(mixed_ops(3000))
