from collections import Counter, deque, defaultdict, namedtuple, OrderedDict, ChainMap
words = ("the quick brown fox jumps over the lazy dog the end " * 3).split()
c = Counter(words)
print(sorted(c.items()))
print(c.most_common(1), c["missing"], sum(c.values()))
c2 = Counter(i % 7 for i in range(3000))
print(sorted(c2.items()))
print(sorted((c2 + Counter({0: 1})).items())[:2], sorted((c - Counter(the=5)).items())[:3])
d = deque(maxlen=5)
for i in range(3000):
    d.append(i)
print(list(d), d.maxlen)
d.appendleft(-1); d.rotate(2)
print(list(d), d.popleft(), d.pop())
dd = defaultdict(list)
for i in range(3000):
    dd[i % 4].append(i)
print(sorted((k, len(v), v[:3]) for k, v in dd.items()))
di = defaultdict(int)
for ch in "mississippi":
    di[ch] += 1
print(sorted(di.items()))
Pt = namedtuple("Pt", "x y z", defaults=[0])
p = Pt(1, 2)
print(p, p._asdict(), p._replace(z=9), p.x + p.y, Pt._fields)
x, y, z = p
print(x, y, z, isinstance(p, tuple), p == (1, 2, 0))
od = OrderedDict()
for k in "banana":
    od[k] = od.get(k, 0) + 1
od.move_to_end("b")
print(list(od.items()))
cm = ChainMap({"a": 1}, {"a": 2, "b": 3})
print(cm["a"], cm["b"], sorted(cm))
s = 0
q = deque(range(100))
for i in range(3000):
    q.append(q.popleft() + 1)
    s += q[0]
print("deque sum", s)
