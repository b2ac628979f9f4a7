"""Graph algorithms on a generated weighted graph: BFS, DFS, Dijkstra, union-find, topological sort.

Stresses: dict of lists of (neighbor, weight) tuples, tuple unpacking in `for`,
`collections.deque` (BFS queue), explicit-stack DFS with lists, `heapq`
push/pop of tuples (Dijkstra), a small union-find class with path compression
and union by rank, Kahn's topological sort with in-degree dicts, min/max/sum.
"""
import sys
import heapq
from collections import deque

MASK = 0xFFFFFFFF
INF = float("inf")


class Lcg(object):
    def __init__(self, seed):
        self.x = seed

    def next(self):
        self.x = (self.x * 1103515245 + 12345) & 0x7FFFFFFF
        return self.x >> 4

    def below(self, n):
        return self.next() % n


def make_graph(nodes, extra_edges, rnd):
    """Undirected weighted graph: a few long chains plus random edges (several components)."""
    adj = {i: [] for i in range(nodes)}
    edges = []

    def add(a, b, w):
        adj[a].append((b, w))
        adj[b].append((a, w))
        edges.append((w, a, b))

    # a sparse backbone: most nodes attach to an earlier node in their "region"
    region = max(1, nodes // 7)
    for i in range(1, nodes):
        if i % region == 0:
            continue  # region starts: separate components unless random edges join them
        if rnd.below(10) < 9:
            j = i - 1 - rnd.below(min(i % region, 20) or 1)
            if j >= 0:
                add(i, j, 1 + rnd.below(50))
    for _ in range(extra_edges):
        a = rnd.below(nodes)
        b = rnd.below(nodes)
        if a != b and (a // region == b // region or rnd.below(50) == 0):
            add(a, b, 1 + rnd.below(100))
    return adj, edges


def make_dag(nodes, edges_per, rnd):
    """Directed acyclic graph: edges only from lower to higher rank under a shuffled order."""
    order = list(range(nodes))
    for i in range(nodes - 1, 0, -1):
        j = rnd.below(i + 1)
        order[i], order[j] = order[j], order[i]
    succ = {v: [] for v in range(nodes)}
    for pos in range(nodes - 1):
        for _ in range(edges_per):
            span = 1 + rnd.below(min(40, nodes - 1 - pos))
            succ[order[pos]].append(order[pos + span])
    return succ


def bfs_levels(adj, start):
    level = {start: 0}
    q = deque([start])
    while q:
        v = q.popleft()
        lv = level[v] + 1
        for w, _ in adj[v]:
            if w not in level:
                level[w] = lv
                q.append(w)
    return level


def dfs_order(adj, start):
    seen = set()
    order = []
    stack = [start]
    while stack:
        v = stack.pop()
        if v in seen:
            continue
        seen.add(v)
        order.append(v)
        nbrs = adj[v]
        for i in range(len(nbrs) - 1, -1, -1):
            w = nbrs[i][0]
            if w not in seen:
                stack.append(w)
    return order


def dijkstra(adj, source):
    dist = {source: 0}
    prev = {}
    heap = [(0, source)]
    done = set()
    while heap:
        d, v = heapq.heappop(heap)
        if v in done:
            continue
        done.add(v)
        for w, wt in adj[v]:
            nd = d + wt
            if nd < dist.get(w, INF):
                dist[w] = nd
                prev[w] = v
                heapq.heappush(heap, (nd, w))
    return dist, prev


def path_to(prev, source, target):
    path = [target]
    while path[-1] != source:
        path.append(prev[path[-1]])
    path.reverse()
    return path


class UnionFind(object):
    def __init__(self, n):
        self.parent = list(range(n))
        self.rank = [0] * n
        self.count = n

    def find(self, x):
        root = x
        parent = self.parent
        while parent[root] != root:
            root = parent[root]
        while parent[x] != root:
            parent[x], x = root, parent[x]
        return root

    def union(self, a, b):
        ra = self.find(a)
        rb = self.find(b)
        if ra == rb:
            return False
        if self.rank[ra] < self.rank[rb]:
            ra, rb = rb, ra
        self.parent[rb] = ra
        if self.rank[ra] == self.rank[rb]:
            self.rank[ra] += 1
        self.count -= 1
        return True


def components(nodes, edges):
    uf = UnionFind(nodes)
    for _, a, b in edges:
        uf.union(a, b)
    sizes = {}
    for v in range(nodes):
        r = uf.find(v)
        sizes[r] = sizes.get(r, 0) + 1
    return uf.count, sorted(sizes.values(), reverse=True)


def kruskal(nodes, edges):
    uf = UnionFind(nodes)
    total = 0
    used = 0
    for w, a, b in sorted(edges):
        if uf.union(a, b):
            total += w
            used += 1
    return total, used


def topo_sort(succ):
    indeg = {v: 0 for v in succ}
    for v in succ:
        for w in succ[v]:
            indeg[w] += 1
    ready = [v for v in succ if indeg[v] == 0]
    heapq.heapify(ready)
    out = []
    while ready:
        v = heapq.heappop(ready)
        out.append(v)
        for w in succ[v]:
            indeg[w] -= 1
            if indeg[w] == 0:
                heapq.heappush(ready, w)
    return out


def longest_path(succ, order):
    best = {v: 0 for v in order}
    for v in order:
        b = best[v] + 1
        for w in succ[v]:
            if best[w] < b:
                best[w] = b
    return max(best.values())


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 6000
    rnd = Lcg(2024)
    adj, edges = make_graph(n, n * 5, rnd)
    h = 0
    reach = 0
    for src in (0, n // 3, n // 2, n - 1):
        level = bfs_levels(adj, src)
        reach += len(level)
        h = (h * 31 + sum(level.values()) + max(level.values())) & MASK
        order = dfs_order(adj, src)
        for v in order[::5]:
            h = (h * 7 + v) & MASK
    dist_sum = 0
    for src in range(0, n, max(1, n // 6)):
        dist, prev = dijkstra(adj, src)
        far = max(dist, key=lambda v: (dist[v], -v))
        p = path_to(prev, src, far)
        dist_sum += sum(dist.values())
        h = (h * 131 + dist[far] + len(p) + len(dist)) & MASK
    ncomp, sizes = components(n, edges)
    mst, used = kruskal(n, edges)
    dag = make_dag(n, 3, rnd)
    order = topo_sort(dag)
    pos = {v: i for i, v in enumerate(order)}
    ok = all(pos[v] < pos[w] for v in dag for w in dag[v])
    lp = longest_path(dag, order)
    for v in order[::3]:
        h = (h * 17 + v) & MASK
    print("graph_paths n=%d edges=%d reach=%d dist=%d comps=%d big=%d mst=%d/%d topo=%s lp=%d checksum=%d" % (
        n, len(edges), reach, dist_sum, ncomp, sizes[0], mst, used, ok, lp, h))


if __name__ == "__main__":
    main()
