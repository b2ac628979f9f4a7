import math
# math module functions with exactly representable or well-defined results.
print(math.sqrt(16.0), math.sqrt(2.0), math.isqrt(10**20 + 1), math.isqrt(99))
print(math.floor(3.7), math.ceil(3.2), math.floor(-3.7), math.ceil(-3.2), math.trunc(-3.9))
print(type(math.floor(3.7)).__name__, math.floor(10**20 + 0.0) == 10**20)
print(math.fabs(-3), math.fmod(7.0, -3.0), math.fmod(-7.0, 3.0), -7.0 % 3.0, 7.0 % -3.0)
print(math.gcd(12, 18), math.gcd(0, 0), math.gcd(-12, 18), math.gcd(2**100, 2**60 * 3), math.lcm(4, 6), math.lcm(3, 5, 7))
print(math.factorial(20), math.factorial(25), math.comb(10, 3), math.perm(10, 3), math.comb(100, 50))
print(math.pi, math.e, math.tau, math.inf, -math.inf)
print(math.log(1.0), math.log(math.e), math.log2(1024), math.log10(1000), math.log(8, 2), math.exp(0))
print(math.sin(0.0), math.cos(0.0), math.atan2(0.0, -1.0), math.atan2(-0.0, -1.0), math.hypot(3, 4))
print(math.degrees(math.pi), math.radians(180.0), math.copysign(3, -0.0), math.ldexp(1.5, 4), math.frexp(24.0))
print(math.modf(3.5), math.modf(-3.5), math.fsum([0.1] * 10), sum([0.5] * 10), sum([0.25, 0.5, 1]), math.prod([1, 2, 3, 4]), math.prod([0.5, 4]))
print(math.isclose(0.1 + 0.2, 0.3), math.isclose(1.0, 1.1), math.isclose(1e-10, 0.0, abs_tol=1e-9))
print(math.dist((0, 0), (3, 4)), math.pow(2, 10), math.pow(2.0, -2))
for bad in (lambda: math.sqrt(-1), lambda: math.log(0), lambda: math.log(-1.0), lambda: math.factorial(-1)):
    try:
        bad()
    except ValueError:
        print("ValueError")
try:
    math.exp(1000)
except OverflowError:
    print("OverflowError")
print(round(math.sin(math.pi / 6), 12), round(math.cos(math.pi / 3), 12), round(math.tan(math.pi / 4), 12))

# Hot loop: Newton sqrt and series sums
def newton_sqrt(x):
    g = x / 2.0 if x > 1 else 1.0
    for _ in range(60):
        ng = 0.5 * (g + x / g)
        if ng == g:
            break
        g = ng
    return g

maxerr = 0.0
for i in range(1, 3000):
    v = float(i)
    err = abs(newton_sqrt(v) - math.sqrt(v))
    if err > maxerr:
        maxerr = err
print("maxerr <= 1ulp-ish", maxerr < 1e-9)

def leibniz(n):
    s = 0.0
    sign = 1.0
    for k in range(n):
        s += sign / (2 * k + 1)
        sign = -sign
    return 4 * s

p = leibniz(3000)
print(round(p, 6), abs(p - math.pi) < 1e-3)

def harmonic(n):
    h = 0.0
    for k in range(1, n + 1):
        h += 1.0 / k
    return h
print(round(harmonic(3000), 10))
print(math.isqrt(3000 ** 4) == 3000 ** 2)
