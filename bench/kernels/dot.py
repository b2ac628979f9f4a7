"""BLAS level 1 dot product of two lists of floats, in the two ways Python code writes it.

Stresses: a float accumulator kept across iterations, list subscripts by index,
`zip` over two lists.
"""
import sys


def make_vector(n, seed):
    v = [0.0] * n
    state = seed
    for i in range(n):
        state = (state * 1103515245 + 12345) & 0x7FFFFFFF
        v[i] = (state % 2000) / 1000.0 - 1.0
    return v


def dot_indexed(x, y):
    s = 0.0
    for i in range(len(x)):
        s += x[i] * y[i]
    return s


def dot_zip(x, y):
    s = 0.0
    for a, b in zip(x, y):
        s += a * b
    return s


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 200000
    reps = 4
    x = make_vector(n, 3)
    y = make_vector(n, 4)
    total = 0.0
    for _ in range(reps):
        total += dot_indexed(x, y)
        total += dot_zip(x, y)
    print("dot n=%d reps=%d total=%.6f" % (n, reps, total))


if __name__ == "__main__":
    main()
