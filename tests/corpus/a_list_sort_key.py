# Sorting: key functions, reverse, stability, tuples, custom __lt__.
words = ["banana", "Apple", "cherry", "date", "Elderberry", "fig", "grape", "apple", "Banana"]
print(sorted(words))
print(sorted(words, key=str.lower))
print(sorted(words, key=len))
print(sorted(words, key=lambda w: (len(w), w)))
print(sorted(words, key=len, reverse=True))
print(sorted(words, key=lambda w: w[-1]))
recs = [("bob", 25, 3.5), ("alice", 30, 3.9), ("carol", 25, 3.9), ("dave", 30, 3.1), ("eve", 25, 3.5)]
print(sorted(recs, key=lambda r: r[1]))
print(sorted(recs, key=lambda r: (-r[2], r[0])))
by_age = sorted(recs, key=lambda r: r[1], reverse=True)
print(by_age)
# Stability with reverse: equal keys keep original order
print(sorted([(1, "a"), (0, "b"), (1, "c"), (0, "d")], key=lambda t: t[0], reverse=True))
print(sorted([3, -1, 2, -5, 0], key=abs), sorted([1.5, -0.5, float("inf"), -2.0]), sorted("hello"), sorted((3, 1, 2)))
print(sorted({"b": 1, "a": 2}), sorted([[2, 1], [1, 2], [1], []]), sorted([True, False, 0, 1]))

class Ver:
    def __init__(self, s):
        self.parts = tuple(int(p) for p in s.split("."))
        self.s = s
    def __lt__(self, other):
        return self.parts < other.parts
    def __repr__(self):
        return "Ver(%s)" % self.s
print(sorted([Ver("1.10"), Ver("1.2"), Ver("1.2.1"), Ver("0.9"), Ver("1.1")]))
print(max([Ver("2.0"), Ver("10.0"), Ver("9.9")]), min(words, key=len), max(words, key=len))
try:
    sorted([1, "a"])
except TypeError:
    print("TypeError mixed sort")
L = [5, 2, 8]
L.sort(key=lambda x: -x)
print(L)

# Hot: many sorts of small lists + a big sort with key
def many_sorts(n):
    acc = 0
    for i in range(n):
        small = [(i * 7) % 11, (i * 3) % 5, i % 13, (i * i) % 17]
        small.sort()
        acc += small[0] * 1 + small[-1] * 3
    return acc
print(many_sorts(3000))
big = [((i * 7919) % 3001, i) for i in range(3000)]
big.sort(key=lambda p: (p[0] % 10, -p[1]))
print(big[:5], big[-5:])
calls = 0
def keyf(x):
    global calls
    calls += 1
    return x % 100
res = sorted(range(3000), key=keyf)
print(calls, res[:5], res[-5:])
# insertion sort by hand
def insertion(seq):
    a = list(seq)
    for i in range(1, len(a)):
        k = a[i]
        j = i - 1
        while j >= 0 and a[j] > k:
            a[j + 1] = a[j]
            j -= 1
        a[j + 1] = k
    return a
data = [(i * 37) % 101 for i in range(200)]
assert insertion(data) == sorted(data)
print(insertion(data)[:20])
