# dict methods, insertion order, deletion, update and merging.
d = {"b": 2, "a": 1}
d["c"] = 3
d["b"] = 20
print(d, len(d), list(d), d.get("a"), d.get("zz"), d.get("zz", 0), "a" in d, "zz" not in d)
print(d.pop("a"), d.pop("zz", "dflt"), d, d.setdefault("e", 5), d.setdefault("b", 99), d)
print(d.popitem(), d)
d.update({"x": 1}, y=2)
d.update([("z", 3)])
print(d)
del d["b"]
d["b"] = 7
print(d, list(d.keys()), list(d.values()), list(d.items()))
print({**d, "x": 100}, d | {"q": 0}, {"a": 1} | {"a": 2})
e = dict(d)
e |= {"w": 9}
print(e, e == d, dict.fromkeys("abc", 0), dict.fromkeys([1, 2]), dict(zip("xyz", range(3))), dict(a=1, b=2))
try:
    d["missing"]
except KeyError as err:
    print("KeyError", err)
try:
    {}.popitem()
except KeyError:
    print("KeyError popitem")
try:
    {[1]: 2}
except TypeError:
    print("TypeError unhashable")
c = d.copy()
c.clear()
print(c, d == {"c": 3, "e": 5, "x": 1, "y": 2, "z": 3, "b": 7}, {1: 1} == {1.0: 1}, {1: 2, 3: 4} == {3: 4, 1: 2})
print(list(reversed(d)), list(reversed(d.items()))[:2], {1: "int", 1.0: "float", True: "bool"})

class Counter(dict):
    def __missing__(self, key):
        return 0
cnt = Counter()
for ch in "mississippi":
    cnt[ch] = cnt[ch] + 1
print(sorted(cnt.items()), cnt["z"])
from collections import defaultdict, OrderedDict, Counter as C
dd = defaultdict(list)
for i, w in enumerate("the quick brown fox jumps over the lazy dog".split()):
    dd[len(w)].append(w)
print(sorted(dd.items()))
print(sorted(C("abracadabra").items()), C("abracadabra").most_common(2))
od = OrderedDict([("a", 1), ("b", 2)])
od.move_to_end("a")
print(list(od.items()))

# Hot loop: dict as counter and memo
def count_mod(n):
    counts = {}
    for i in range(n):
        k = (i * i) % 23
        if k in counts:
            counts[k] += 1
        else:
            counts[k] = 1
    return sorted(counts.items())
print(count_mod(3000))

memo = {}
def collatz_len(n):
    if n == 1:
        return 1
    if n in memo:
        return memo[n]
    r = 1 + collatz_len(n // 2 if n % 2 == 0 else 3 * n + 1)
    memo[n] = r
    return r
best = max(range(1, 3000), key=collatz_len)
print(best, collatz_len(best), len(memo) > 3000)

def churn(n):
    d = {}
    for i in range(n):
        d[i % 50] = i
        if i % 7 == 0:
            d.pop((i * 3) % 50, None)
    return len(d), list(d.items())[:5], sum(d.values())
print(churn(3000))
