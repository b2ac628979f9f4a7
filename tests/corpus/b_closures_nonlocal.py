# Closures with nonlocal: counters, closures created in loops, cells modified after capture.

def make_counter(start=0, step=1):
    count = start
    def inc():
        nonlocal count
        count += step
        return count
    def get():
        return count
    def reset(v=0):
        nonlocal count
        count = v
    return inc, get, reset

inc, get, reset = make_counter(10, 3)
print(inc(), inc(), get())
reset(100)
print(get(), inc())

# hot: a closure called many times
inc2, get2, reset2 = make_counter()
total = 0
for i in range(3000):
    total += inc2()
print("hot counter", get2(), total)
assert get2() == 3000
assert total == 3000 * 3001 // 2

# Two independent counters do not share state
a_inc, a_get, _ = make_counter()
b_inc, b_get, _ = make_counter(1000)
for _ in range(5):
    a_inc()
b_inc()
print("independent", a_get(), b_get())
assert (a_get(), b_get()) == (5, 1001)

# Late binding: closures in a loop all see the final value of the loop variable
fs = []
for i in range(5):
    fs.append(lambda: i * 10)
print("late", [f() for f in fs])
assert [f() for f in fs] == [40] * 5

# Early binding via default argument
fs = []
for i in range(5):
    fs.append(lambda i=i: i * 10)
print("early", [f() for f in fs])

# Early binding via a factory
def mk(k):
    return lambda: k * 10
fs = [mk(i) for i in range(5)]
print("factory", [f() for f in fs])

# Cell modified after capture: the closure sees the new value
def outer():
    x = 1
    def show():
        return x
    first = show()
    x = 2
    second = show()
    x = "three"
    return first, second, show()
print("after capture", outer())
assert outer() == (1, 2, "three")

# Nested nonlocal across three levels
def level1():
    v = []
    n = 0
    def level2():
        nonlocal n
        def level3(k):
            nonlocal n
            n += k
            v.append(n)
            return n
        return level3
    l3 = level2()
    for k in range(1, 6):
        l3(k)
    return n, v
print("three levels", level1())
assert level1() == (15, [1, 3, 6, 10, 15])

# Closures sharing one cell
def shared():
    val = 0
    def setter(x):
        nonlocal val
        val = x
    def getter():
        return val
    return setter, getter
s, g = shared()
s(42)
print("shared cell", g())
s("changed")
print("shared cell", g())

# Closure cell that is a loop variable in the enclosing function
def loop_closure():
    results = []
    for j in range(3):
        def peek():
            return j
        results.append(peek)
    j = 99
    return [f() for f in results]
print("loop var cell", loop_closure())
assert loop_closure() == [99, 99, 99]

# Closure contents introspection (cell values, not ids)
def cc():
    a = 5
    b = "x"
    def inner():
        return a, b
    return inner
inner = cc()
print("freevars", inner.__code__.co_freevars)
print("cells", [c.cell_contents for c in inner.__closure__])

# Hot accumulating closure with nonlocal and a conditional
def running_stats():
    n = 0
    total = 0
    mx = None
    def add(x):
        nonlocal n, total, mx
        n += 1
        total += x
        if mx is None or x > mx:
            mx = x
        return n, total, mx
    return add
add = running_stats()
for i in range(3000):
    r = add((i * 7919) % 1009)
print("stats", r)
assert r[0] == 3000
