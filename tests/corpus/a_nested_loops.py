# Nested loops: matrix multiply, flood fill, game of life - all pure int hot loops.
def matmul(a, b):
    n, m, p = len(a), len(b), len(b[0])
    c = [[0] * p for _ in range(n)]
    for i in range(n):
        for j in range(p):
            s = 0
            for k in range(m):
                s += a[i][k] * b[k][j]
            c[i][j] = s
    return c
A = [[(i + j) % 5 - 2 for j in range(14)] for i in range(14)]
B = [[(i * j) % 7 - 3 for j in range(14)] for i in range(14)]
C = matmul(A, B)
print(C[0], C[13], sum(map(sum, C)))

def life(grid, steps):
    h, w = len(grid), len(grid[0])
    for _ in range(steps):
        new = [[0] * w for _ in range(h)]
        for y in range(h):
            for x in range(w):
                n = 0
                for dy in (-1, 0, 1):
                    for dx in (-1, 0, 1):
                        if dy or dx:
                            n += grid[(y + dy) % h][(x + dx) % w]
                new[y][x] = 1 if n == 3 or (n == 2 and grid[y][x]) else 0
        grid = new
    return grid
g = [[0] * 10 for _ in range(10)]
for (y, x) in [(0, 1), (1, 2), (2, 0), (2, 1), (2, 2)]:
    g[y][x] = 1
g = life(g, 8)
for row in g:
    print("".join(".#"[c] for c in row))

def flood(grid, sy, sx):
    h, w = len(grid), len(grid[0])
    stack = [(sy, sx)]
    seen = set()
    while stack:
        y, x = stack.pop()
        if (y, x) in seen or not (0 <= y < h and 0 <= x < w) or grid[y][x] == "#":
            continue
        seen.add((y, x))
        stack.extend([(y + 1, x), (y - 1, x), (y, x + 1), (y, x - 1)])
    return len(seen)
maze = ["..#.......", "..#..####.", "..#..#....", ".....#.###", "####.#....", "...#.####.", ".#.#......"]
print(flood(maze, 0, 0), flood(maze, 0, 3))

def triple(n):
    count = 0
    for a in range(n):
        for b in range(a, n):
            for c in range(b, n):
                if (a + b + c) % 7 == 0 and a * b * c % 5 == 1:
                    count += 1
    return count
print(triple(28))

labels = []
for i in range(3):
    for j in range(3):
        if i == j:
            continue
        for k in range(3):
            if k in (i, j):
                continue
            labels.append("%d%d%d" % (i, j, k))
print(labels)
