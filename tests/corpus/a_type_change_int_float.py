# An int accumulator that becomes a float mid-loop, then a big int, then a bool operand.
def acc_float(n):
    acc = 0
    types = []
    for i in range(n):
        if i == 2000:
            acc = acc + 0.5
        acc += i
        if i % 500 == 0 or i == 2000:
            types.append((i, type(acc).__name__))
    return acc, types
print(acc_float(3000))

def step_changes(n):
    step = 1
    x = 0
    for i in range(n):
        if i == 1000:
            step = 1.25
        if i == 2000:
            step = 10**20
        if i == 2500:
            step = True
        x += step
    return x, type(x).__name__
print(step_changes(3000))
r = step_changes(3000)[0]
assert abs(r - (1000 + 1000 * 1.25 + 500 * 10**20 + 500)) / r < 1e-12

def ratio(n):
    # Same operation, operand types alternate every iteration after 2000
    s = 0
    for i in range(n):
        d = 2 if i < 2000 or i % 2 else 2.0
        s += i // d
    return s
print(ratio(3000))

def cmp_types(n):
    hits = 0
    for i in range(n):
        v = i if i < 1500 else i * 1.0 if i < 2500 else (i > 2700)
        if v > 2000:
            hits += 1
        elif v == 1:
            hits += 100
    return hits
print(cmp_types(3000))

def mixed_mul(n):
    p = 1
    for i in range(1, n):
        if i == 2000:
            p = float(p % 1000)
        p = p * 3 % 1000003 if isinstance(p, int) else (p * 1.5) % 1000.0
    return p
print(mixed_mul(3000))

def neg_zero(n):
    v = 0
    for i in range(n):
        if i == 2000:
            v = -0.0
        v = v * 1
    return repr(v)
print(neg_zero(3000))
