def make_counter(start):
    n = start
    def inc(k=1):
        nonlocal n
        n += k
        return n
    def get():
        return n
    return inc, get

inc, get = make_counter(10)
for i in range(3000):
    inc(i % 3)
print(get())
fs = [lambda x, i=i: x + i for i in range(5)]
gs = [lambda x: x + i for i in range(5)]
print([f(10) for f in fs], [g(10) for g in gs])
def outer():
    x = 1
    def mid():
        def inner():
            nonlocal x
            x *= 2
            return x
        return inner
    f = mid()
    return [f() for _ in range(10)], x
print(outer())
