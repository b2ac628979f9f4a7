"""Cellular automata: Conway's Life on a sparse set and on a wrapping grid, plus elementary rule 110.

Stresses: sets of (x, y) tuples, neighbour counting in a dict keyed by tuples
(`get`), tuple construction and unpacking, set comprehension, 2D list-of-lists
indexing with modulo wraparound, list comprehensions building new generations,
1D rule lookup via bit arithmetic on a list of ints, `sum`/`min`/`max` on generators.
"""
import sys

MASK = 0xFFFFFFFF
OFFSETS = [(-1, -1), (0, -1), (1, -1), (-1, 0), (1, 0), (-1, 1), (0, 1), (1, 1)]

# a few classic patterns, placed at several positions
GLIDER = [(1, 0), (2, 1), (0, 2), (1, 2), (2, 2)]
R_PENTOMINO = [(1, 0), (2, 0), (0, 1), (1, 1), (1, 2)]
ACORN = [(1, 0), (3, 1), (0, 2), (1, 2), (4, 2), (5, 2), (6, 2)]
LWSS = [(1, 0), (4, 0), (0, 1), (0, 2), (4, 2), (0, 3), (1, 3), (2, 3), (3, 3)]


def place(cells, pattern, ox, oy):
    for x, y in pattern:
        cells.add((x + ox, y + oy))


def sparse_step(live):
    counts = {}
    for x, y in live:
        for dx, dy in OFFSETS:
            key = (x + dx, y + dy)
            counts[key] = counts.get(key, 0) + 1
    new = set()
    for cell, c in counts.items():
        if c == 3 or (c == 2 and cell in live):
            new.add(cell)
    return new


def bounding_box(live):
    xs = [x for x, _ in live]
    ys = [y for _, y in live]
    return min(xs), min(ys), max(xs), max(ys)


def cell_hash(live):
    # order independent: sum of per-cell mixes
    h = 0
    for x, y in live:
        h += ((x * 73856093) ^ (y * 19349663)) & 0xFFFFF
    return h & MASK


def run_sparse(gens):
    live = set()
    place(live, R_PENTOMINO, 0, 0)
    place(live, ACORN, 40, -30)
    place(live, GLIDER, -30, 20)
    place(live, LWSS, -60, -10)
    checksum = 0
    for g in range(gens):
        live = sparse_step(live)
        checksum = (checksum * 31 + len(live) + cell_hash(live)) & MASK
    x0, y0, x1, y1 = bounding_box(live)
    return checksum, len(live), (x1 - x0 + 1) * (y1 - y0 + 1)


class Grid(object):
    def __init__(self, width, height):
        self.width = width
        self.height = height
        self.rows = [[0] * width for _ in range(height)]

    def seed(self, state):
        for y in range(self.height):
            row = self.rows[y]
            for x in range(self.width):
                state = (state * 1103515245 + 12345) & 0x7FFFFFFF
                row[x] = 1 if (state >> 16) % 100 < 30 else 0
        return state

    def neighbours(self, x, y):
        w = self.width
        h = self.height
        xl = (x - 1) % w
        xr = (x + 1) % w
        up = self.rows[(y - 1) % h]
        mid = self.rows[y]
        dn = self.rows[(y + 1) % h]
        return up[xl] + up[x] + up[xr] + mid[xl] + mid[xr] + dn[xl] + dn[x] + dn[xr]

    def step(self):
        new_rows = []
        for y in range(self.height):
            row = self.rows[y]
            new = []
            for x in range(self.width):
                n = self.neighbours(x, y)
                if row[x]:
                    new.append(1 if n == 2 or n == 3 else 0)
                else:
                    new.append(1 if n == 3 else 0)
            new_rows.append(new)
        self.rows = new_rows

    def population(self):
        return sum(sum(row) for row in self.rows)

    def row_signature(self):
        h = 0
        for row in self.rows:
            v = 0
            for c in row:
                v = (v << 1) | c
            h = (h * 1000003 + v) & MASK
        return h


def run_grid(width, height, gens):
    grid = Grid(width, height)
    grid.seed(987654)
    checksum = 0
    pops = []
    for g in range(gens):
        grid.step()
        p = grid.population()
        pops.append(p)
        checksum = (checksum * 31 + p) & MASK
    return (checksum + grid.row_signature()) & MASK, pops[-1], max(pops), min(pops)


def rule_table(rule):
    return [(rule >> i) & 1 for i in range(8)]


def run_elementary(width, gens, rule):
    table = rule_table(rule)
    cells = [0] * width
    cells[width - 1] = 1
    cells[width // 3] = 1
    checksum = 0
    total = 0
    for g in range(gens):
        left = cells[-1:] + cells[:-1]
        right = cells[1:] + cells[:1]
        cells = [table[(l << 2) | (c << 1) | r] for l, c, r in zip(left, cells, right)]
        live = sum(cells)
        total += live
        checksum = (checksum * 131 + live) & MASK
    return checksum, total


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 280
    c1, live, area = run_sparse(n)
    c2, last_pop, max_pop, min_pop = run_grid(48, 40, n // 2)
    c3, total = run_elementary(400, n * 3, 110)
    c4, total30 = run_elementary(257, n, 30)
    checksum = (c1 ^ (c2 * 3) ^ (c3 * 7) ^ (c4 * 11)) & MASK
    print("game_of_life n=%d sparse=%d/%d grid=%d/%d/%d r110=%d r30=%d checksum=%d" % (
        n, live, area, last_pop, max_pop, min_pop, total, total30, checksum))


if __name__ == "__main__":
    main()
