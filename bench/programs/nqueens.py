"""N-queens: count all solutions by backtracking.

Stresses: recursion, list indexing and mutation, boolean logic, small-int
arithmetic; a second pass uses set membership to cross-check the count.
"""
import sys


def count_lists(n):
    cols = [False] * n
    diag1 = [False] * (2 * n)
    diag2 = [False] * (2 * n)
    placement = [0] * n
    first_solution = []

    def place(row):
        if row == n:
            if not first_solution:
                first_solution.extend(placement)
            return 1
        total = 0
        for c in range(n):
            d1 = row + c
            d2 = row - c + n
            if cols[c] or diag1[d1] or diag2[d2]:
                continue
            cols[c] = diag1[d1] = diag2[d2] = True
            placement[row] = c
            total += place(row + 1)
            cols[c] = diag1[d1] = diag2[d2] = False
        return total

    return place(0), first_solution


def count_sets(n, row, cols, d1, d2):
    if row == n:
        return 1
    total = 0
    for c in range(n):
        if c in cols or (row + c) in d1 or (row - c) in d2:
            continue
        cols.add(c)
        d1.add(row + c)
        d2.add(row - c)
        total += count_sets(n, row + 1, cols, d1, d2)
        cols.remove(c)
        d1.remove(row + c)
        d2.remove(row - c)
    return total


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 11
    a, first = count_lists(n)
    b = count_sets(n, 0, set(), set(), set())
    print("nqueens n=%d solutions=%d/%d first=%s" % (n, a, b, ",".join(str(c) for c in first)))


if __name__ == "__main__":
    main()
