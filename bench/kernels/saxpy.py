"""BLAS level 1 `saxpy` on lists of floats: y[i] = a * x[i] + y[i], written as a loop.

Stresses: float list subscripts (load and store) by a range index, float multiply-add,
a loop that does nothing else.
"""
import sys


def make_vector(n, seed):
    v = [0.0] * n
    state = seed
    for i in range(n):
        state = (state * 1103515245 + 12345) & 0x7FFFFFFF
        v[i] = (state % 2000) / 1000.0 - 1.0
    return v


def saxpy(a, x, y):
    for i in range(len(x)):
        y[i] = a * x[i] + y[i]


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 200000
    reps = 6
    x = make_vector(n, 1)
    y = make_vector(n, 2)
    for r in range(reps):
        saxpy(0.5 if r % 2 else -0.25, x, y)
    print("saxpy n=%d reps=%d y0=%.9f ymid=%.9f ysum=%.6f" % (n, reps, y[0], y[n // 2], sum(y)))


if __name__ == "__main__":
    main()
