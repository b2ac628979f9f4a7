# Integer hot loops: collatz, digit sums, gcd, primes by trial division, integer sqrt.
def collatz_steps(n):
    steps = 0
    while n != 1:
        if n & 1:
            n = 3 * n + 1
        else:
            n >>= 1
        steps += 1
    return steps

tot = 0
longest = (0, 0)
for i in range(1, 3000):
    s = collatz_steps(i)
    tot += s
    if s > longest[1]:
        longest = (i, s)
print(tot, longest)

def digit_sum(n):
    s = 0
    while n:
        s += n % 10
        n //= 10
    return s
print(sum(digit_sum(i) for i in range(3000)), digit_sum(2**200), digit_sum(-0))

def gcd(a, b):
    while b:
        a, b = b, a % b
    return a
coprime = 0
for a in range(1, 80):
    for b in range(1, 40):
        if gcd(a, b) == 1:
            coprime += 1
print("coprime pairs", coprime)

def is_prime(n):
    if n < 2:
        return False
    if n % 2 == 0:
        return n == 2
    d = 3
    while d * d <= n:
        if n % d == 0:
            return False
        d += 2
    return True
pc = [n for n in range(3000) if is_prime(n)]
print(len(pc), pc[-5:])
print(is_prime(2**31 - 1), is_prime(1000003), is_prime(1000001))

def isqrt(n):
    if n < 2:
        return n
    x = n
    y = (x + 1) // 2
    while y < x:
        x = y
        y = (x + n // x) // 2
    return x
import math
for v in (0, 1, 15, 16, 17, 10**12, 10**30 + 7, 2**127 - 1):
    assert isqrt(v) == math.isqrt(v)
    print(v, isqrt(v))

def tri_numbers(n):
    t = 0
    out = []
    for i in range(n):
        t += i
        if t % 1000 == 0:
            out.append(t)
    return out
print(tri_numbers(3000)[:8])

def signed_mix(n):
    a = 0
    for i in range(n):
        a = (a - i * 7) if i % 2 else (a + i * 5)
        a = -a if a > 10000 else a
    return a
print(signed_mix(3000))
