# Regression (fuzz seed 425): a value whose kind is generalized at a join (a float on one
# path, an int on the other) and then specialized again by the interpreter's profile; the
# loop is entered natively mid-way and must keep accumulating.
import math


def soup(n):
    l5 = [0]
    f2 = 0
    for i in range(n):
        for x1 in l5[:4]:
            if (10**20) <= x1:
                pass
            else:
                f2 = abs(math.floor(1e-3)) + f2
        f2 = (((-3.5) if (-3.5) == 3 else f2) + math.floor((i * -0.25)))
    return f2


def join_float_int(n, k):
    f2 = 0
    for i in range(n):
        t = (-3.5 if n == 3 else f2)
        f2 = t + k
    return f2


def join_str_int(n, k):
    f2 = 0
    for i in range(n):
        t = ("x" if n == 3 else f2)
        f2 = t + k
    return f2


def join_then_swap(n, k):
    f2 = 0
    for i in range(n):
        t = (-3.5 if n == 3 else f2)
        f2 = k + t
    return f2


print(soup(1207))
for f in (join_float_int, join_then_swap):
    print(f.__name__, [f(m, 2) for m in (2, 3, 6, 1500)])
print("join_str_int", [join_str_int(m, 2) for m in (2, 6, 1500)])
