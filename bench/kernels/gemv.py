"""BLAS level 2 `gemv`: y = alpha * A x + beta * y with A a list of row lists.

Stresses: nested loops, a row list fetched once per outer iteration, float
accumulation, list subscripts by index.
"""
import sys


def make_matrix(rows, cols, seed):
    state = seed
    m = []
    for _ in range(rows):
        row = [0.0] * cols
        for j in range(cols):
            state = (state * 1103515245 + 12345) & 0x7FFFFFFF
            row[j] = (state % 2000) / 1000.0 - 1.0
        m.append(row)
    return m


def gemv(alpha, a, x, beta, y):
    n = len(x)
    for i in range(len(a)):
        row = a[i]
        s = 0.0
        for j in range(n):
            s += row[j] * x[j]
        y[i] = alpha * s + beta * y[i]


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 450
    reps = 6
    a = make_matrix(n, n, 5)
    x = make_matrix(1, n, 6)[0]
    y = [0.0] * n
    for _ in range(reps):
        gemv(1.0 / n, a, x, 0.5, y)
    print("gemv n=%d reps=%d y0=%.9f ysum=%.9f" % (n, reps, y[0], sum(y)))


if __name__ == "__main__":
    main()
