# __eq__/__lt__/__hash__ with total_ordering; sorting custom objects; dict/set membership.
import functools

@functools.total_ordering
class Version:
    def __init__(self, s):
        self.parts = tuple(int(p) for p in s.split("."))
    def __eq__(self, o):
        if not isinstance(o, Version):
            return NotImplemented
        return self.parts == o.parts
    def __lt__(self, o):
        if not isinstance(o, Version):
            return NotImplemented
        return self.parts < o.parts
    def __hash__(self):
        return hash(self.parts)
    def __repr__(self):
        return "v" + ".".join(map(str, self.parts))

vs = [Version(s) for s in ["1.10", "1.2", "1.2.1", "0.9", "2.0", "1.2"]]
print(sorted(vs))
print(max(vs), min(vs))
print(Version("1.2") <= Version("1.2.1"), Version("2.0") >= Version("2.0"), Version("3") > Version("2.9.9"))
print(len(set(vs)), Version("1.2") in set(vs), vs.index(Version("2.0")), vs.count(Version("1.2")))
print(sorted(set(vs)))
try:
    Version("1") < 5
except TypeError:
    print("Version < int -> TypeError")
print(Version("1") == 5, Version("1") != "1")

# __eq__ without __hash__ makes instances unhashable
class NoHash:
    def __eq__(self, o):
        return True
try:
    {NoHash()}
except TypeError:
    print("unhashable -> TypeError")
print(NoHash.__hash__ is None)

# Equal objects collapse as dict keys
class Key:
    def __init__(self, k):
        self.k = k
    def __eq__(self, o):
        return isinstance(o, Key) and self.k.lower() == o.k.lower()
    def __hash__(self):
        return hash(self.k.lower())
d = {}
for w in ["Apple", "apple", "APPLE", "Pear", "pear", "plum"]:
    d[Key(w)] = d.get(Key(w), 0) + 1
print(sorted((k.k, v) for k, v in d.items()))

# Sorting with key, reverse and a custom __lt__ in a hot loop
class Rec:
    __slots__ = ("name", "score")
    def __init__(self, name, score):
        self.name, self.score = name, score
    def __lt__(self, o):
        return (self.score, self.name) < (o.score, o.name)
recs = [Rec("n%03d" % ((i * 37) % 300), (i * 7919) % 50) for i in range(300)]
recs.sort()
print([(r.name, r.score) for r in recs[:5]])
print([(r.name, r.score) for r in recs[-3:]])
ok = all(not (recs[i + 1] < recs[i]) for i in range(len(recs) - 1))
print("sorted ok", ok)
assert ok

# Comparisons counted in a hot loop
class Counted:
    comparisons = 0
    def __init__(self, v):
        self.v = v
    def __lt__(self, o):
        Counted.comparisons += 1
        return self.v < o.v
items = [Counted((i * 31) % 1000) for i in range(1000)]
best = items[0]
for it in items * 3:
    if best < it:
        best = it
print("max", best.v, "comparisons", Counted.comparisons)
assert Counted.comparisons == 3000

# Reflected comparison: a.__lt__ returns NotImplemented, b.__gt__ is used
class Left:
    def __lt__(self, o):
        return NotImplemented
class Right:
    def __gt__(self, o):
        return "Right.__gt__ used"
print(Left() < Right())

# Tuple comparison uses element __eq__ and __lt__
print((Version("1.0"), 2) < (Version("1.0"), 3), [Version("1")] == [Version("1.0")])

# sort stability with equal keys under custom __lt__
class ByLen:
    def __init__(self, s):
        self.s = s
    def __lt__(self, o):
        return len(self.s) < len(o.s)
words = ["ccc", "a", "bb", "dd", "e", "fff", "gg"]
print([w.s for w in sorted(ByLen(w) for w in words)])
