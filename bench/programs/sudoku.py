"""Sudoku solver: constraint propagation + depth-first search with the
minimum-remaining-values heuristic, on deterministically generated puzzles.

Stresses: bitmask integer ops, list indexing, recursion with backtracking
(copying state lists), nested loops over precomputed peer lists.
"""
import sys

# Precomputed geometry: for each cell its 20 peers.
PEERS = []
for _cell in range(81):
    _r, _c = divmod(_cell, 9)
    _br, _bc = 3 * (_r // 3), 3 * (_c // 3)
    _p = set()
    for _k in range(9):
        _p.add(_r * 9 + _k)
        _p.add(_k * 9 + _c)
    for _dr in range(3):
        for _dc in range(3):
            _p.add((_br + _dr) * 9 + _bc + _dc)
    _p.discard(_cell)
    PEERS.append(sorted(_p))

UNITS = []
for _i in range(9):
    UNITS.append([_i * 9 + _k for _k in range(9)])
    UNITS.append([_k * 9 + _i for _k in range(9)])
    _br, _bc = 3 * (_i // 3), 3 * (_i % 3)
    UNITS.append([(_br + _dr) * 9 + _bc + _dc for _dr in range(3) for _dc in range(3)])

ALL = 0x1FF
POPCOUNT = [bin(_m).count("1") for _m in range(512)]
LOWBIT_DIGIT = {}
for _d in range(9):
    LOWBIT_DIGIT[1 << _d] = _d


class Rng(object):
    def __init__(self, seed):
        self.state = seed

    def next(self, n):
        self.state = (self.state * 6364136223846793005 + 1442695040888963407) & 0xFFFFFFFFFFFFFFFF
        return (self.state >> 33) % n


def make_puzzle(rng, clues):
    # Start from a valid pattern grid, then permute digits, rows within bands, columns within stacks.
    grid = [((r * 3 + r // 3 + c) % 9) for r in range(9) for c in range(9)]
    digits = list(range(9))
    for i in range(8, 0, -1):
        j = rng.next(i + 1)
        digits[i], digits[j] = digits[j], digits[i]
    grid = [digits[v] for v in grid]
    for _ in range(20):
        band = rng.next(3) * 3
        a = band + rng.next(3)
        b = band + rng.next(3)
        if rng.next(2):
            for c in range(9):
                grid[a * 9 + c], grid[b * 9 + c] = grid[b * 9 + c], grid[a * 9 + c]
        else:
            for r in range(9):
                grid[r * 9 + a], grid[r * 9 + b] = grid[r * 9 + b], grid[r * 9 + a]
    cells = list(range(81))
    for i in range(80, 0, -1):
        j = rng.next(i + 1)
        cells[i], cells[j] = cells[j], cells[i]
    puzzle = [-1] * 81
    for k in range(clues):
        puzzle[cells[k]] = grid[cells[k]]
    return puzzle


class Solver(object):
    def __init__(self):
        self.nodes = 0

    def assign(self, cand, cell, d):
        other = cand[cell] & ~(1 << d)
        while other:
            low = other & -other
            other ^= low
            if not self.eliminate(cand, cell, LOWBIT_DIGIT[low]):
                return False
        return True

    def eliminate(self, cand, cell, d):
        bit = 1 << d
        m = cand[cell]
        if not m & bit:
            return True
        m &= ~bit
        cand[cell] = m
        if m == 0:
            return False
        if POPCOUNT[m] == 1:
            d2 = LOWBIT_DIGIT[m]
            for p in PEERS[cell]:
                if not self.eliminate(cand, p, d2):
                    return False
        return True

    def search(self, cand):
        self.nodes += 1
        best = -1
        best_count = 10
        for cell in range(81):
            n = POPCOUNT[cand[cell]]
            if 1 < n < best_count:
                best = cell
                best_count = n
                if n == 2:
                    break
        if best < 0:
            return cand
        m = cand[best]
        while m:
            low = m & -m
            m ^= low
            trial = cand[:]
            if self.assign(trial, best, LOWBIT_DIGIT[low]):
                res = self.search(trial)
                if res is not None:
                    return res
        return None

    def solve(self, puzzle):
        cand = [ALL] * 81
        for cell in range(81):
            d = puzzle[cell]
            if d >= 0 and not self.assign(cand, cell, d):
                return None
        return self.search(cand)


def check(sol):
    for unit in UNITS:
        seen = 0
        for cell in unit:
            seen |= sol[cell]
        if seen != ALL:
            return False
    return True


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 160
    rng = Rng(20240607)
    solver = Solver()
    solved = 0
    digest = 0
    for _ in range(n):
        puzzle = make_puzzle(rng, 22 + rng.next(6))
        sol = solver.solve(puzzle)
        if sol is not None and check(sol):
            solved += 1
            for cell in range(81):
                digest = (digest * 10 + LOWBIT_DIGIT[sol[cell]] + 1) % 1000000007
    print("sudoku puzzles=%d solved=%d nodes=%d digest=%d" % (n, solved, solver.nodes, digest))


if __name__ == "__main__":
    main()
