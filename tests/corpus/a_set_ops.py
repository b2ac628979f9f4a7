# sets and frozensets (always printed sorted to avoid hash order dependence).
def S(s):
    return sorted(s)
a = {1, 2, 3, 4}
b = {3, 4, 5}
print(S(a | b), S(a & b), S(a - b), S(b - a), S(a ^ b), a <= b, {3} < b, a >= {1}, a.isdisjoint({9}))
print(S(a.union([7], (8,))), S(a.intersection(range(3))), S(a.difference({1}, {2})), S(a.symmetric_difference([1, 99])))
c = set()
c.add(5)
c.add(5)
c.update([1, 2], {3})
c.discard(99)
c.remove(1)
print(S(c), len(c), 2 in c, 1 not in c)
try:
    c.remove(42)
except KeyError as e:
    print("KeyError", e)
p = c.pop()
print(p in {2, 3, 5}, len(c))
c.clear()
print(c, set(), frozenset(), type({}).__name__, S(set("hello")), S(frozenset([3, 1, 2])))
f = frozenset({1, 2})
g = frozenset({2, 1})
print(f == g, hash(f) == hash(g), {f: "x"}[g], S(f | {3}), type(f | {3}).__name__, type({3} | f).__name__, f == {1, 2})
try:
    f.add(3)
except AttributeError:
    print("AttributeError frozenset add")
try:
    {[1]}
except TypeError:
    print("TypeError unhashable")
s1 = {1, 2, 3}
s1 &= {2, 3, 4}
s1 |= {10}
s1 -= {3}
s1 ^= {2, 20}
print(S(s1))
print({1, 1.0, True}, len({0, False, 0.0}), S({x % 5 for x in range(20)}), S({"b", "a", "c"}))
print(set([1, 2]) == frozenset([1, 2]), {1, 2} == [1, 2], S({(1, 2), (1, 2), (2, 1)}))
words = "the cat sat on the mat with the hat".split()
print(S(set(words)), len(set(words)), S({w[0] for w in words}))
nested = {frozenset({1, 2}), frozenset({2, 1}), frozenset()}
print(len(nested), sorted(sorted(x) for x in nested))

# Hot loop: set membership and dedupe
def dedupe(n):
    seen = set()
    out = []
    for i in range(n):
        v = (i * 7) % 1009
        if v not in seen:
            seen.add(v)
            out.append(v)
    return len(out), out[:10], sum(seen)
print(dedupe(3000))

def happy(n):
    count = 0
    for start in range(1, n):
        seen = set()
        x = start
        while x != 1 and x not in seen:
            seen.add(x)
            x = sum(int(d) ** 2 for d in str(x))
        if x == 1:
            count += 1
    return count
print("happy", happy(400))
primes = set(range(2, 3000))
for i in range(2, 55):
    primes -= set(range(i * i, 3000, i))
print(len(primes), S(primes)[-3:])
