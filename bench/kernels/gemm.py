"""BLAS level 3 `gemm`: C = A B on row lists, in i-k-j order (the cache-friendly loop order
numeric Python code uses).

Stresses: triple nested loops, a scalar hoisted out of the inner loop, float multiply-add
into a list element, list subscripts by index.
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


def gemm(a, b):
    n = len(a)
    m = len(b[0])
    c = [[0.0] * m for _ in range(n)]
    for i in range(n):
        ai = a[i]
        ci = c[i]
        for k in range(len(b)):
            aik = ai[k]
            bk = b[k]
            for j in range(m):
                ci[j] += aik * bk[j]
    return c


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 120
    a = make_matrix(n, n, 7)
    b = make_matrix(n, n, 8)
    c = gemm(a, b)
    trace = 0.0
    for i in range(n):
        trace += c[i][i]
    print("gemm n=%d trace=%.9f c01=%.9f" % (n, trace, c[0][1]))


if __name__ == "__main__":
    main()
