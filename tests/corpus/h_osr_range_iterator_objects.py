# Functions called once whose hot inner loop is entered mid-run (on-stack replacement)
# while outer `for ... in range(...)` loops are running, their range arguments not known
# to be ints when compiled (`range(len(x))`, a bound from a list): the loops continue
# natively with the same iteration, break/continue/else and step behaviour.


def matmul(a, b):
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


def stepped(bounds):
    total = 0
    seen = []
    for lo in range(bounds[0], bounds[1], bounds[2]):
        for hi in range(lo, len(seen), -3):
            if hi % 7 == 0:
                continue
            total += hi
            if total > 10 ** 9:
                break
        else:
            seen.append(lo)
    return total, len(seen), seen[-3:]


def nested_with_exit(rows):
    found = None
    for r in range(len(rows)):
        for c in range(len(rows[r])):
            for x in range(rows[r][c]):
                if x * (r + 1) * (c + 1) == 63 * 777_777:
                    found = (r, c, x)
                    break
            if found:
                break
        if found:
            break
    return found


a = [[float(i * 3 + j) for j in range(60)] for i in range(60)]
c = matmul(a, a)
print(sum(sum(row) for row in c), c[7][11])
print(stepped([10, 3000, 7]))
print(nested_with_exit([[100] * 20 for _ in range(20)] + [[1_000_000] * 3]))
