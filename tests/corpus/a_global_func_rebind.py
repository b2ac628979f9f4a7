# A global function reassigned while the loop calling it is hot.
def f(x):
    return x + 1

def driver(n):
    total = 0
    for i in range(n):
        total += f(i)
    return total

print(driver(1500))

def g_double(x):
    return x * 2

# Rebind f between calls to the (now compiled) driver
f = g_double
print(driver(1500))
f = lambda x: -x
print(driver(1500))

# Rebind f from inside the hot loop itself
def f(x):
    return x + 1

def driver2(n):
    global f
    total = 0
    for i in range(n):
        if i == 2000:
            f = lambda x: x * 1000
        total += f(i)
    return total

r = driver2(3000)
print(r)
assert r == sum(i + 1 for i in range(2000)) + sum(i * 1000 for i in range(2000, 3000))

# Rebind to a callable object, then to a class, then to a builtin
class Adder:
    def __init__(self, k):
        self.k = k
    def __call__(self, x):
        return x + self.k

def h(x):
    return x

def driver3(n):
    global h
    out = []
    total = 0
    for i in range(n):
        if i == 1000:
            h = Adder(100)
        elif i == 2000:
            h = abs
        elif i == 2500:
            h = str
        v = h(i - 2200)
        if isinstance(v, str):
            total += len(v)
        else:
            total += v
        if i % 500 == 0:
            out.append(v)
    return total, out
print(driver3(3000))

# Recursive function whose global name is rebound to a wrapper mid-run
def fact(n):
    return 1 if n <= 1 else n * fact(n - 1)
calls = 0
orig = fact
def counting(n):
    global calls
    calls += 1
    return orig(n)
s = 0
for i in range(3000):
    if i == 2000:
        fact = counting
    s += fact(i % 12)
print(s, calls)

# Method rebound on the class mid-loop
class Shape:
    def area(self):
        return 1
sh = Shape()
tot = 0
for i in range(3000):
    if i == 1000:
        Shape.area = lambda self: 2
    if i == 2000:
        sh.area = lambda: 3
    tot += sh.area()
print("method", tot)
assert tot == 1000 + 2000 + 3000
