# frozensets as dict keys / set members, set algebra in hot loops; printed sorted.
def key(fs):
    return tuple(sorted(fs))

edges = [(i, (i * 7 + 3) % 40) for i in range(40)] + [(i, (i + 1) % 40) for i in range(0, 40, 2)]
undirected = {frozenset(e) for e in edges if e[0] != e[1]}
print(len(undirected), sorted(key(e) for e in undirected)[:8])
adj = {}
for e in undirected:
    a, b = sorted(e)
    adj.setdefault(a, set()).add(b)
    adj.setdefault(b, set()).add(a)
print(sorted((k, sorted(v)) for k, v in adj.items())[:5])

def components(adj):
    seen = set()
    comps = []
    for start in sorted(adj):
        if start in seen:
            continue
        comp = set()
        stack = [start]
        while stack:
            v = stack.pop()
            if v in comp:
                continue
            comp.add(v)
            stack.extend(adj[v] - comp)
        seen |= comp
        comps.append(frozenset(comp))
    return comps
comps = components(adj)
print(len(comps), [len(c) for c in comps], sorted(comps[0])[:10])

def subsets_hot(n):
    counts = {}
    base = list(range(6))
    for i in range(n):
        fs = frozenset(x for x in base if (i >> x) & 1)
        counts[fs] = counts.get(fs, 0) + 1
    return len(counts), counts[frozenset()], counts[frozenset(base)], counts[frozenset({0, 5})]
print(subsets_hot(3000))

def jaccard(n):
    acc = 0.0
    for i in range(n):
        a = frozenset(range(i % 10, i % 10 + 5))
        b = frozenset(range(i % 7, i % 7 + 6))
        acc += len(a & b) / len(a | b)
    return round(acc, 9)
print(jaccard(3000))
fs = frozenset("hello")
print(sorted(fs), sorted(fs | frozenset("world")), sorted(fs - {"l"}), fs.issubset("helloworld"), fs.issuperset("he"), frozenset() == set())
print(sorted(key(x) for x in frozenset([frozenset([1]), frozenset([1]), frozenset([2, 1])])))
print(repr(frozenset()), repr(frozenset([3])), repr(set([2])))
