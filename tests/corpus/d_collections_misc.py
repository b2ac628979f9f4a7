from collections import Counter, deque, defaultdict, namedtuple, OrderedDict
import heapq, bisect, json, re
words = [("w%d" % (i % 17)) for i in range(3000)]
c = Counter(words)
print(sorted(c.items())[:4], c.most_common(1)[0][1])
d = deque(maxlen=5)
for i in range(3000):
    d.append(i)
print(list(d), d[0])
dd = defaultdict(list)
for i in range(30):
    dd[i % 4].append(i)
print(sorted((k, len(v)) for k, v in dd.items()))
Pt = namedtuple("Pt", "x y")
print(Pt(1, 2), Pt(1, 2)._replace(y=5), Pt._fields)
h = []
for i in range(3000):
    heapq.heappush(h, (i * 7919) % 1000)
print([heapq.heappop(h) for _ in range(5)])
xs = sorted((i * 31) % 997 for i in range(3000))
print(bisect.bisect_left(xs, 500), bisect.bisect_right(xs, 500))
obj = {"a": [1, 2.5, None, True], "b": {"c": "d"}}
s = json.dumps(obj, sort_keys=True)
print(s, json.loads(s) == obj)
print(re.findall(r"\d+", "a1b22c333"), re.sub(r"(\w)(\d)", r"\2\1", "a1 b2"), bool(re.match(r"^w\d+$", "w12")))
od = OrderedDict.fromkeys("cab")
od.move_to_end("c")
print(list(od))
