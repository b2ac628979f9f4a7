# Default arguments: evaluated once, the mutable default pitfall, None sentinels.

def append_bad(x, acc=[]):
    acc.append(x)
    return acc

r1 = append_bad(1)
r2 = append_bad(2)
print(r1, r2, r1 is r2)
assert r1 is r2 and r1 == [1, 2]
print("defaults tuple", append_bad.__defaults__)

def append_good(x, acc=None):
    if acc is None:
        acc = []
    acc.append(x)
    return acc
print(append_good(1), append_good(2))

# Default evaluated at definition time
counter = 0
def next_val():
    global counter
    counter += 1
    return counter
def f(x=next_val()):
    return x
print(f(), f(), f(99), counter)
assert (f(), counter) == (1, 1)

# Default dict accumulating across hot calls
def tally(word, seen={}):
    seen[word] = seen.get(word, 0) + 1
    return seen[word]
words = ["alpha", "beta", "gamma", "beta", "alpha", "alpha"]
for i in range(3000):
    tally(words[i % len(words)])
print(sorted(tally.__defaults__[0].items()))
assert tally.__defaults__[0]["alpha"] == 1500

# Replacing __defaults__ at run time
def greet(name="world", punct="!"):
    return "hello " + name + punct
print(greet())
greet.__defaults__ = ("there", "?")
print(greet(), greet("you"))

# Keyword-only defaults
def kwd(a, *, b=2, c=[0]):
    c[0] += 1
    return a + b + c[0]
print(kwd(1), kwd(1, b=10), kwd(1, c=[100]))
print(sorted(kwd.__kwdefaults__.keys()), kwd.__kwdefaults__["c"])

# Defaults referencing earlier module state
BASE = 10
def scaled(x, base=BASE):
    return x * base
BASE = 1000
print(scaled(3), scaled(3, BASE))

# Many calls mixing defaults and explicit arguments
def combo(a, b=1, c=2, d=3):
    return a * 1000 + b * 100 + c * 10 + d
s = 0
for i in range(3000):
    m = i % 4
    if m == 0:
        s += combo(i)
    elif m == 1:
        s += combo(i, 5)
    elif m == 2:
        s += combo(i, d=9)
    else:
        s += combo(i, c=0, b=0)
print("combo sum", s)

# A default that is a class instance mutated via methods
class Log:
    def __init__(self):
        self.lines = []
    def add(self, s):
        self.lines.append(s)
        return self
def record(msg, log=Log()):
    return log.add(msg)
record("a")
record("b")
print(record("c").lines)
