"""General constraint-satisfaction solver: AC-3 plus backtracking with MRV and forward checking.

Stresses: larger functions with several nested loops, dicts of lists keyed by
ints and tuples, binary constraints as lambdas and closures called through a
list, collections.deque work queue, list comprehensions that filter domains,
recursion with saved/restored state, any()/all() with generator expressions.
Instances: colouring of a generated planar map, a small job-shop style schedule
minimised by repeated solving, and N-queens (first solution and full count).
"""
import sys
from collections import deque


class CSP(object):
    def __init__(self, name):
        self.name = name
        self.variables = []
        self.domains = {}
        self.neighbors = {}
        self.constraints = {}
        self.checks = 0

    def add_variable(self, var, domain):
        self.variables.append(var)
        self.domains[var] = list(domain)
        self.neighbors[var] = []

    def add_constraint(self, x, y, pred):
        if (x, y) not in self.constraints:
            self.constraints[(x, y)] = []
            self.constraints[(y, x)] = []
            self.neighbors[x].append(y)
            self.neighbors[y].append(x)
        self.constraints[(x, y)].append(pred)
        self.constraints[(y, x)].append(lambda b, a: pred(a, b))

    def consistent(self, x, a, y, b):
        self.checks += 1
        for pred in self.constraints[(x, y)]:
            if not pred(a, b):
                return False
        return True


def revise(csp, domains, x, y):
    dy = domains[y]
    preds = csp.constraints[(x, y)]
    kept = []
    for a in domains[x]:
        supported = False
        for b in dy:
            csp.checks += 1
            ok = True
            for pred in preds:
                if not pred(a, b):
                    ok = False
                    break
            if ok:
                supported = True
                break
        if supported:
            kept.append(a)
    if len(kept) != len(domains[x]):
        domains[x] = kept
        return True
    return False


def ac3(csp, domains, arcs=None):
    if arcs is None:
        arcs = [(x, y) for x in csp.variables for y in csp.neighbors[x]]
    queue = deque(arcs)
    queued = set(arcs)
    revisions = 0
    while queue:
        arc = queue.popleft()
        queued.discard(arc)
        x, y = arc
        if revise(csp, domains, x, y):
            revisions += 1
            if not domains[x]:
                return False, revisions
            for z in csp.neighbors[x]:
                if z != y and (z, x) not in queued:
                    queued.add((z, x))
                    queue.append((z, x))
    return True, revisions


class Solver(object):
    def __init__(self, csp, count_all=False, limit=0, max_nodes=0):
        self.csp = csp
        self.count_all = count_all
        self.limit = limit
        self.max_nodes = max_nodes
        self.aborted = False
        self.nodes = 0
        self.solutions = 0
        self.first = None

    def select_variable(self, assignment, domains):
        best = None
        best_key = None
        for v in self.csp.variables:
            if v in assignment:
                continue
            degree = 0
            for w in self.csp.neighbors[v]:
                if w not in assignment:
                    degree += 1
            key = (len(domains[v]), -degree)
            if best_key is None or key < best_key:
                best_key = key
                best = v
        return best

    def forward_check(self, var, value, assignment, domains):
        csp = self.csp
        changed = []
        for w in csp.neighbors[var]:
            if w in assignment:
                continue
            dw = domains[w]
            kept = [b for b in dw if csp.consistent(var, value, w, b)]
            if len(kept) != len(dw):
                changed.append((w, dw))
                domains[w] = kept
                if not kept:
                    return changed, False
        return changed, True

    def search(self, assignment, domains):
        if len(assignment) == len(self.csp.variables):
            self.solutions += 1
            if self.first is None:
                self.first = dict(assignment)
            return not self.count_all or (self.limit and self.solutions >= self.limit)
        var = self.select_variable(assignment, domains)
        for value in list(domains[var]):
            self.nodes += 1
            if self.max_nodes and self.nodes > self.max_nodes:
                self.aborted = True
                return True
            assignment[var] = value
            saved = domains[var]
            domains[var] = [value]
            changed, ok = self.forward_check(var, value, assignment, domains)
            if ok and self.search(assignment, domains):
                return True
            for w, old in reversed(changed):
                domains[w] = old
            domains[var] = saved
            del assignment[var]
        return False

    def solve(self):
        domains = dict((v, list(d)) for v, d in self.csp.domains.items())
        ok, _ = ac3(self.csp, domains)
        if not ok:
            return False
        self.search({}, domains)
        return self.solutions > 0


def lcg(seed):
    x = seed
    while True:
        x = (x * 1103515245 + 12345) & 0x7FFFFFFF
        yield x


def map_colouring(width, height, colours, diag_mask, seed, max_nodes):
    csp = CSP("map")
    rnd = lcg(seed)
    for v in range(width * height):
        csp.add_variable(v, range(colours))
    ne = lambda a, b: a != b
    for r in range(height):
        for c in range(width):
            v = r * width + c
            if c + 1 < width:
                csp.add_constraint(v, v + 1, ne)
            if r + 1 < height:
                csp.add_constraint(v, v + width, ne)
                if c + 1 < width:
                    x = next(rnd)
                    if x & diag_mask:
                        continue
                    if x & 256:
                        csp.add_constraint(v, v + width + 1, ne)
                    else:
                        csp.add_constraint(v + 1, v + width, ne)
    # pre-colour a few regions (only the colour their grid position suggests,
    # so the instance stays satisfiable)
    for k in range(width * height // 10 if colours == 4 else 0):
        v = next(rnd) % (width * height)
        csp.domains[v] = [((v // width) * 2 + v % width) % colours]
    solver = Solver(csp, max_nodes=max_nodes)
    found = solver.solve() and not solver.aborted
    sig = 0
    if found:
        for v in sorted(solver.first):
            sig = (sig * 7 + solver.first[v]) % 1000000007
    status = "ok" if found else ("abort" if solver.aborted else "unsat")
    return status, sig, solver.nodes, csp.checks


def schedule(durations, precedences, shared, horizon):
    csp = CSP("sched")
    for t, d in enumerate(durations):
        csp.add_variable(t, range(0, horizon - d + 1))
    for a, b in precedences:
        da = durations[a]
        csp.add_constraint(a, b, lambda sa, sb, da=da: sa + da <= sb)
    for a, b in shared:
        da = durations[a]
        db = durations[b]
        csp.add_constraint(a, b, lambda sa, sb, da=da, db=db: sa + da <= sb or sb + db <= sa)
    solver = Solver(csp, max_nodes=1500)
    found = solver.solve() and not solver.aborted
    return found, solver.first, solver.nodes, csp.checks


def minimise_schedule(ntasks, seed):
    rnd = lcg(seed)
    durations = [1 + next(rnd) % 4 for _ in range(ntasks)]
    precedences = []
    shared = []
    for b in range(1, ntasks):
        for _ in range(2):
            a = next(rnd) % b
            if (a, b) not in precedences and next(rnd) % 3 == 0:
                precedences.append((a, b))
    machine = [next(rnd) % 3 for _ in range(ntasks)]
    for a in range(ntasks):
        for b in range(a + 1, ntasks):
            if machine[a] == machine[b] and (a, b) not in precedences:
                shared.append((a, b))
    horizon = sum(durations)
    best = None
    nodes = checks = 0
    while horizon > 0:
        found, starts, nd, ck = schedule(durations, precedences, shared, horizon)
        nodes += nd
        checks += ck
        if not found:
            break
        makespan = max(starts[t] + durations[t] for t in starts)
        best = (makespan, starts)
        horizon = makespan - 1
    makespan, starts = best
    sig = 0
    for t in range(ntasks):
        sig = sig * 31 + starts[t]
    return makespan, sig % 1000000007, nodes, checks


def queens(n, count_all):
    csp = CSP("queens")
    for r in range(n):
        csp.add_variable(r, range(n))
    for r1 in range(n):
        for r2 in range(r1 + 1, n):
            dist = r2 - r1
            csp.add_constraint(r1, r2, lambda a, b, dist=dist: a != b and abs(a - b) != dist)
    solver = Solver(csp, count_all=count_all)
    solver.solve()
    first = [solver.first[r] for r in range(n)] if solver.first else []
    return solver.solutions, first, solver.nodes, csp.checks


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 6
    status_counts = {}
    total_nodes = 0
    total_checks = 0
    h = 0
    for rnd in range(1, n + 1):
        results = [
            map_colouring(16, 12, 4, 0, rnd, 3000),
            map_colouring(16, 12, 3, 6144, rnd + 100, 3000),
        ]
        for status, sig, nd, ck in results:
            status_counts[status] = status_counts.get(status, 0) + 1
            h = (h * 1000003 + sig) % 1000000007
            total_nodes += nd
            total_checks += ck
        makespan, ssig, nd, ck = minimise_schedule(10 + rnd % 5, rnd * 7 + 3)
        h = (h * 1000003 + makespan * 7919 + ssig) % 1000000007
        total_nodes += nd
        total_checks += ck
        size = 6 + rnd % 3
        count, first, nd, ck = queens(size, True)
        h = (h * 1000003 + count) % 1000000007
        total_nodes += nd
        total_checks += ck
        size = 14 + 2 * rnd
        count, first, nd, ck = queens(size, False)
        for c in first:
            h = (h * 31 + c) % 1000000007
        total_nodes += nd
        total_checks += ck
    statuses = ",".join("%s:%d" % kv for kv in sorted(status_counts.items()))
    print("csp_solver n=%d maps=%s nodes=%d checks=%d h=%d" % (n, statuses, total_nodes, total_checks, h))


if __name__ == "__main__":
    main()
