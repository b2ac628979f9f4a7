# Floor division and modulo semantics for ints, including negatives and big ints.

pairs = [(7, 2), (-7, 2), (7, -2), (-7, -2), (0, 3), (0, -3), (1, 1), (-1, 1),
         (6, 3), (-6, 3), (6, -3), (2**70 + 5, 3), (-(2**70) - 5, 3), (5, 2**65),
         (-5, 2**65), (2**100, -(2**40) - 1)]
for a, b in pairs:
    q, r = a // b, a % b
    dq, dr = divmod(a, b)
    assert (q, r) == (dq, dr), (a, b)
    assert q * b + r == a
    if b > 0:
        assert 0 <= r < b
    else:
        assert b < r <= 0
    print(a, b, q, r)

# Truncation vs floor
print(int(-7 / 2), -7 // 2, -(7 // 2))
print(divmod(-1, 10), divmod(1, -10), divmod(-10, 10))

# Hot loop: floor-div/mod of negative numbers; JIT should compile this.
def fold(n):
    acc = 0
    for i in range(-n, n):
        acc += (i // 7) * 3 + (i % 7) - (i // -5) + (i % -5)
    return acc

total = 0
for rep in range(3):
    total += fold(1000)
print("fold", total)
assert total == 3 * fold(1000)

# Reference computation by hand
def slow_floordiv(a, b):
    q = 0
    if (a >= 0) == (b > 0):
        while abs(b) * (q + 1) <= abs(a):
            q += 1
    else:
        q = 0
        while abs(b) * q < abs(a):
            q += 1
        q = -q
    return q

for a in range(-20, 21):
    for b in (-6, -3, -1, 1, 2, 5):
        assert a // b == slow_floordiv(a, b), (a, b)
print("slow_floordiv ok")

try:
    1 // 0
except ZeroDivisionError as e:
    print("ZeroDivisionError", type(e).__name__)
try:
    1 % 0
except ZeroDivisionError as e:
    print("ZeroDivisionError", type(e).__name__)
try:
    divmod(5, 0)
except ZeroDivisionError as e:
    print("ZeroDivisionError", type(e).__name__)
