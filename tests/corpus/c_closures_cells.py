# closures, nonlocal counters, closures in loops, cells rebound after capture
def make_counter(start=0):
    n = start
    def inc(step=1):
        nonlocal n
        n += step
        return n
    def get():
        return n
    return inc, get

inc, get = make_counter(10)
for i in range(3000):
    inc()
print("counter", get())
assert get() == 3010

fs = [lambda: i for i in range(5)]
print("late binding", [f() for f in fs])
fs2 = [lambda i=i: i for i in range(5)]
print("default binding", [f() for f in fs2])

def outer():
    x = 1
    def read():
        return x
    r1 = read()
    x = "rebound"
    r2 = read()
    x = 3.5
    return r1, r2, read()
print("rebound", outer())

def accum():
    total = 0
    items = []
    def add(v):
        nonlocal total
        total += v
        items.append(v)
        return total
    return add, items
add, items = accum()
s = 0
for i in range(3000):
    s = add(i % 7)
print("accum", s, len(items), items[:10])
assert s == sum(i % 7 for i in range(3000))

def nested3():
    a = 0
    def l1():
        def l2():
            nonlocal a
            a += 1
            return a
        return l2
    f = l1()
    for _ in range(100):
        f()
    return a
print("nested3", nested3())

def make_adders():
    return [ (lambda k: (lambda x: x + k))(k) for k in range(4)]
print("adders", [f(10) for f in make_adders()])
print("freevars", sorted(inc.__code__.co_freevars))
