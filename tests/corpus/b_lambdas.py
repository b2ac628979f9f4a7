# Lambdas: as keys, in maps, immediately invoked, with defaults and varargs.

pairs = [(3, "c"), (1, "a"), (2, "b"), (1, "z"), (3, "a")]
print(sorted(pairs, key=lambda p: p[1]))
print(sorted(pairs, key=lambda p: (-p[0], p[1])))
print(list(map(lambda x: x ** 2, range(8))))
print(list(filter(lambda x: x % 3 == 0, range(20))))
print((lambda a, b=10, *rest, **kw: (a, b, rest, sorted(kw.items())))(1, 2, 3, 4, z=5, y=6))
print((lambda: "nothing")())
print((lambda *a: len(a))(*range(7)))

# Lambda returning lambda
adder = lambda a: lambda b: a + b
add5 = adder(5)
print(add5(10), adder("x")("y"))

# Conditional expression inside lambda
sign = lambda x: "neg" if x < 0 else ("zero" if x == 0 else "pos")
print([sign(v) for v in (-3, 0, 4)])

# Lambda names
f = lambda: 0
print(f.__name__, f.__qualname__)

# Hot lambda
sq = lambda x: x * x + 1
s = 0
for i in range(3000):
    s += sq(i)
print("hot", s)
assert s == sum(i * i + 1 for i in range(3000))

# Dispatch table of lambdas
ops = {
    "+": lambda a, b: a + b,
    "-": lambda a, b: a - b,
    "*": lambda a, b: a * b,
    "//": lambda a, b: a // b,
    "%": lambda a, b: a % b,
}
res = []
for op in sorted(ops):
    res.append((op, ops[op](17, 5)))
print(res)

# Evaluate an RPN expression with the table
def rpn(tokens):
    st = []
    for t in tokens.split():
        if t in ops:
            b = st.pop()
            a = st.pop()
            st.append(ops[t](a, b))
        else:
            st.append(int(t))
    return st[0]
print(rpn("3 4 + 2 * 7 -"), rpn("100 7 // 3 %"))
tot = 0
for i in range(1, 1200):
    tot += rpn(f"{i} 3 * 2 + 5 %")
print("rpn hot", tot)

# Lambda capturing a loop variable in a comprehension (late binding)
fns = [lambda: k for k in range(4)]
print([fn() for fn in fns])
fns = [lambda k=k: k for k in range(4)]
print([fn() for fn in fns])

# Lambda with keyword-only argument
kw = lambda a, *, scale=2: a * scale
print(kw(4), kw(4, scale=5))
try:
    kw(4, 5)
except TypeError as e:
    print("TypeError for positional kw-only")
