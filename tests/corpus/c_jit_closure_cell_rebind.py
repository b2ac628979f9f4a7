# A closure cell is rebound mid-loop.
def make():
    factor = 2
    def scaled(x):
        return x * factor
    def set_factor(f):
        nonlocal factor
        factor = f
    return scaled, set_factor

scaled, set_factor = make()
out = []
total = 0
for i in range(3000):
    r = scaled(i)
    total += r
    if i == 2000:
        set_factor(2.5)
    if i == 2500:
        set_factor("ab")
        break
print("total", total)
print(scaled(3), scaled(1))

def outer():
    fn = lambda v: v + 1
    def call(v):
        return fn(v)
    acc = 0
    for i in range(3000):
        acc += call(i)
        if i == 1800:
            fn = lambda v: v * 0
        if i == 2700:
            fn = abs
    return acc
print("outer", outer())

def counter_cell():
    n = 0
    def bump():
        nonlocal n
        n += 1
        return n
    vals = []
    for i in range(3000):
        vals.append(bump())
        if i == 2000:
            n = 10**20
        if i == 2500:
            n = 0.5
    return vals[1999:2003], vals[2499:2503], vals[-1]
print(counter_cell())
