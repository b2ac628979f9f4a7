# Keyword arguments, keyword-only and positional-only parameters.

def full(a, b, /, c, d=4, *, e, f=6):
    return (a, b, c, d, e, f)

print(full(1, 2, 3, e=5))
print(full(1, 2, c=3, d=40, e=5, f=60))
print(full(1, 2, 3, 4, e=5))

def try_call(desc, fn, *args, **kwargs):
    try:
        r = fn(*args, **kwargs)
        print(desc, "->", r)
    except TypeError:
        print(desc, "-> TypeError")

try_call("b as keyword", full, 1, b=2, c=3, e=5)
try_call("missing e", full, 1, 2, 3)
try_call("too many positional", full, 1, 2, 3, 4, 5)
try_call("unknown kw", full, 1, 2, 3, e=5, g=7)
try_call("duplicate", full, 1, 2, 3, c=3, e=5)

# Positional-only names can reappear in **kwargs
def po(a, /, **kw):
    return a, sorted(kw.items())
print(po(1, a=2, b=3))

# Keyword-only after *args
def kwonly(*args, sep="-", end="."):
    return sep.join(str(a) for a in args) + end
print(kwonly(1, 2, 3), kwonly(1, 2, 3, sep="+", end="!"))

# Bare * means keyword-only without varargs
def bare(x, *, y):
    return x - y
print(bare(10, y=3), bare(y=3, x=10))
try_call("bare positional y", bare, 10, 3)

# Keyword argument order does not matter
def kw4(w, x, y, z):
    return f"{w}{x}{y}{z}"
print(kw4(z=4, y=3, x=2, w=1), kw4(1, 2, z=4, y=3))

# dict unpacking for keyword args
params = {"y": "Y", "z": "Z"}
print(kw4("W", "X", **params))

# Hot call with keywords
def point(x, y=0, *, scale=1):
    return (x + y) * scale
acc = 0
for i in range(3000):
    acc += point(i, y=i % 7, scale=(i % 3) + 1)
    acc -= point(x=i)
print("hot kw", acc)

# Introspection of the code object
c = full.__code__
print(c.co_argcount, c.co_posonlyargcount, c.co_kwonlyargcount, c.co_varnames[:6])

# Keyword-only with no default must be given
def need(*, token):
    return token.upper()
print(need(token="ok"))
try_call("need missing", need)
