# enumerate, zip (incl. strict), reversed, iter/next, map, filter.
names = ["ann", "bob", "cid", "dee"]
ages = [31, 25, 47]
for i, n in enumerate(names, start=1):
    print(i, n)
print(list(enumerate("ab", -2)), list(zip(names, ages)), list(zip(names, ages, "xyzw")), list(zip()))
try:
    list(zip(names, ages, strict=True))
except ValueError:
    print("ValueError strict zip")
print(list(zip(*[(1, "a"), (2, "b")])), dict(zip(names, ages)), list(reversed(names)), list(reversed("abc")))
print(list(reversed([])), list(reversed((1, 2))), list(reversed({"a": 1, "b": 2})), list(reversed(range(3))))
print(list(map(len, names)), list(map(lambda a, b: a * b, [1, 2, 3], [4, 5])), list(filter(None, [0, 1, "", "a"])), list(filter(lambda v: v > 30, ages)))
it = iter(names)
print(next(it), next(it), list(it), next(it, "default"))

class Rev:
    def __init__(self, data):
        self.data = data
    def __len__(self):
        return len(self.data)
    def __getitem__(self, i):
        return self.data[i]
    def __reversed__(self):
        return iter(["custom"] + self.data[::-1])
print(list(reversed(Rev([1, 2]))), list(Rev([3, 4])))

class Countdown:
    def __init__(self, n):
        self.n = n
    def __iter__(self):
        return self
    def __next__(self):
        if self.n <= 0:
            raise StopIteration
        self.n -= 1
        return self.n
print(list(Countdown(5)), sum(Countdown(100)))
for i, (a, b) in enumerate(zip("xyz", reversed(range(3)))):
    print(i, a, b)

# Hot loops using enumerate/zip/reversed
def dot(n):
    xs = [i % 13 for i in range(n)]
    ys = [(i * 7) % 11 for i in range(n)]
    s = 0
    for a, b in zip(xs, ys):
        s += a * b
    return s
print(dot(3000))

def weighted(n):
    s = 0
    for idx, v in enumerate(range(n, 0, -1)):
        s += idx * v % 17
    return s
print(weighted(3000))

def rev_hot(n):
    data = list(range(n))
    acc = 0
    for i, v in enumerate(reversed(data)):
        if i % 2:
            acc += v
        else:
            acc -= v
    return acc
print(rev_hot(3000))

def pairwise_diff(n):
    vals = [(i * i) % 101 for i in range(n)]
    return sum(abs(b - a) for a, b in zip(vals, vals[1:]))
print(pairwise_diff(3000))
