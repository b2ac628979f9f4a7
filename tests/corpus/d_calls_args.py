def f(a, b=2, *args, c, d=4, **kw):
    return (a, b, args, c, d, sorted(kw.items()))
def g(x, y, /, z=0, *, w=1):
    return x * 1000 + y * 100 + z * 10 + w
print(f(1, c=3))
print(f(1, 2, 3, 4, c=5, e=6, a2=7))
args = (1, 2, 3)
kw = {"c": 9, "zz": 1}
print(f(*args, **kw))
t = 0
for i in range(3000):
    t += g(i % 10, 1, z=2, w=i % 3)
print(t)
try:
    g(x=1, y=2)
except TypeError:
    print("TypeError positional-only")
def mutable_default(x, acc=[]):
    acc.append(x)
    return len(acc)
print([mutable_default(i) for i in range(5)])
def fwd(*a, **k):
    return f(*a, **k)
print(fwd(0, c=1, q=2))
