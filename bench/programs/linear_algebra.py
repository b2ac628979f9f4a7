"""Dense linear algebra on lists of lists of floats: LU solve, inverse, Gram-Schmidt, power iteration.

Stresses: float arithmetic in small helper functions (dot, axpy, norm, scale)
called from loops, list comprehensions over `zip`, `zip(*rows)` transposition,
row swaps and in-place updates of nested lists, `abs`, `math.sqrt`, index
loops with `range`; results printed with %.6f.
"""
import sys
import math


class Lcg(object):
    def __init__(self, seed):
        self.x = seed

    def uniform(self):
        """Float in [-1, 1) built from 24 random bits (exact in binary)."""
        self.x = (self.x * 1103515245 + 12345) & 0x7FFFFFFF
        return ((self.x >> 7) & 0xFFFFFF) / 8388608.0 - 1.0


def dot(a, b):
    s = 0.0
    for x, y in zip(a, b):
        s += x * y
    return s


def axpy(alpha, x, y):
    return [yi + alpha * xi for xi, yi in zip(x, y)]


def scale(alpha, x):
    return [alpha * xi for xi in x]


def norm(x):
    return math.sqrt(dot(x, x))


def fsum_plain(values):
    # explicit left-to-right summation (builtin sum() of floats differs across versions)
    s = 0.0
    for v in values:
        s += v
    return s


def random_matrix(n, rnd, diag_boost=0.0):
    m = [[rnd.uniform() for _ in range(n)] for _ in range(n)]
    for i in range(n):
        m[i][i] += diag_boost
    return m


def transpose(a):
    return [list(col) for col in zip(*a)]


def mat_mul(a, b):
    bt = transpose(b)
    return [[dot(row, col) for col in bt] for row in a]


def mat_vec(a, x):
    return [dot(row, x) for row in a]


def lu_decompose(a):
    """Doolittle LU with partial pivoting; returns (lu, perm, sign)."""
    n = len(a)
    lu = [row[:] for row in a]
    perm = list(range(n))
    sign = 1
    for k in range(n):
        p = k
        best = abs(lu[k][k])
        for i in range(k + 1, n):
            v = abs(lu[i][k])
            if v > best:
                best = v
                p = i
        if best == 0.0:
            raise ZeroDivisionError("singular matrix")
        if p != k:
            lu[k], lu[p] = lu[p], lu[k]
            perm[k], perm[p] = perm[p], perm[k]
            sign = -sign
        pivot_row = lu[k]
        pivot = pivot_row[k]
        for i in range(k + 1, n):
            row = lu[i]
            f = row[k] / pivot
            row[k] = f
            for j in range(k + 1, n):
                row[j] -= f * pivot_row[j]
    return lu, perm, sign


def lu_solve(lu, perm, b):
    n = len(lu)
    y = [b[p] for p in perm]
    for i in range(1, n):
        row = lu[i]
        s = y[i]
        for j in range(i):
            s -= row[j] * y[j]
        y[i] = s
    x = [0.0] * n
    for i in range(n - 1, -1, -1):
        row = lu[i]
        s = y[i]
        for j in range(i + 1, n):
            s -= row[j] * x[j]
        x[i] = s / row[i]
    return x


def determinant_log(lu, sign):
    logabs = 0.0
    neg = sign < 0
    for i in range(len(lu)):
        d = lu[i][i]
        if d < 0:
            neg = not neg
        logabs += math.log(abs(d))
    return neg, logabs


def inverse(a):
    n = len(a)
    lu, perm, _ = lu_decompose(a)
    cols = []
    for j in range(n):
        e = [0.0] * n
        e[j] = 1.0
        cols.append(lu_solve(lu, perm, e))
    return transpose(cols)


def identity_error(a, ainv):
    prod = mat_mul(a, ainv)
    err = 0.0
    for i, row in enumerate(prod):
        for j, v in enumerate(row):
            d = abs(v - (1.0 if i == j else 0.0))
            if d > err:
                err = d
    return err


def gram_schmidt(vectors):
    """Modified Gram-Schmidt: returns orthonormal basis Q and the diagonal of R."""
    q = []
    rdiag = []
    for v in vectors:
        w = v[:]
        for u in q:
            w = axpy(-dot(u, w), u, w)
        nw = norm(w)
        rdiag.append(nw)
        q.append(scale(1.0 / nw, w))
    return q, rdiag


def orthogonality_error(q):
    err = 0.0
    for i in range(len(q)):
        for j in range(i, len(q)):
            d = dot(q[i], q[j]) - (1.0 if i == j else 0.0)
            if abs(d) > err:
                err = abs(d)
    return err


def power_iteration(a, iters):
    n = len(a)
    x = [1.0 / (i + 1) for i in range(n)]
    lam = 0.0
    for _ in range(iters):
        y = mat_vec(a, x)
        ny = norm(y)
        x = scale(1.0 / ny, y)
        lam = dot(x, mat_vec(a, x))
    return lam, x


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 110
    rnd = Lcg(31337)
    a = random_matrix(n, rnd, diag_boost=2.0)
    x_true = [rnd.uniform() for _ in range(n)]
    b = mat_vec(a, x_true)
    lu, perm, sign = lu_decompose(a)
    x = lu_solve(lu, perm, b)
    sol_err = norm(axpy(-1.0, x_true, x))
    neg, logdet = determinant_log(lu, sign)
    ainv = inverse(a)
    inv_err = identity_error(a, ainv)
    inv_trace = fsum_plain(ainv[i][i] for i in range(n))

    m = n // 2
    vecs = [[rnd.uniform() for _ in range(n)] for _ in range(m)]
    q, rdiag = gram_schmidt(vecs)
    orth_err = orthogonality_error(q)
    rsum = fsum_plain(rdiag)

    c = random_matrix(n, rnd)
    # symmetric noise plus a rank-one term 0.5*ones*ones^T: a well separated dominant eigenvalue
    sym = [[c[i][j] + c[j][i] + 0.5 for j in range(n)] for i in range(n)]
    lam, vec = power_iteration(sym, 60)
    resid = norm(axpy(-lam, vec, mat_vec(sym, vec)))

    ok = sol_err < 1e-9 and inv_err < 1e-9 and orth_err < 1e-9 and resid < 1e-3
    print("linear_algebra n=%d ok=%s logdet=%.6f neg=%s trace_inv=%.6f rsum=%.6f lambda=%.6f v0=%.6f" % (
        n, ok, logdet, neg, inv_trace, rsum, lam, abs(vec[0])))


if __name__ == "__main__":
    main()
