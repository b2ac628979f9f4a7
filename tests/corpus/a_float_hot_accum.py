# Float accumulation in hot loops; results exactly as CPython because IEEE double ops are deterministic.
def accum(n):
    s = 0.0
    for i in range(n):
        s += 0.1
    return s
print(repr(accum(3000)), repr(accum(10)))

def kahan(n):
    s = 0.0
    c = 0.0
    for i in range(n):
        y = 0.1 - c
        t = s + y
        c = (t - s) - y
        s = t
    return s
print(repr(kahan(3000)))

def poly(n):
    out = []
    for i in range(n):
        x = i / n
        y = ((3.0 * x - 2.0) * x + 1.5) * x - 0.25
        if i % 500 == 0:
            out.append(repr(y))
    return out
print(poly(3000))

def logistic(n):
    x = 0.4
    r = 3.7
    trace = []
    for i in range(n):
        x = r * x * (1.0 - x)
        if i % 750 == 0:
            trace.append(x)
    return x, trace
print(logistic(3000))

def mandel_row(y, w):
    row = []
    for px in range(w):
        cr = -2.0 + 2.5 * px / w
        ci = y
        zr = zi = 0.0
        it = 0
        while it < 50 and zr * zr + zi * zi <= 4.0:
            zr, zi = zr * zr - zi * zi + cr, 2.0 * zr * zi + ci
            it += 1
        row.append(it)
    return row

for y in (-1.0, -0.5, 0.0, 0.3):
    r = mandel_row(y, 60)
    print("".join(" .:-=+*#%@"[min(v // 5, 9)] for v in r))

def mean_var(n):
    total = 0.0
    sq = 0.0
    for i in range(n):
        v = (i * 37 % 101) / 7.0
        total += v
        sq += v * v
    mean = total / n
    return mean, sq / n - mean * mean
m, v = mean_var(3000)
print(repr(m), repr(v))
assert abs(accum(3000) - 300.0) < 1e-9
