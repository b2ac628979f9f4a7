class Range2:
    def __init__(self, start, stop, step=1):
        self.start, self.stop, self.step = start, stop, step
    def __iter__(self):
        return Range2Iter(self)
    def __len__(self):
        return max(0, (self.stop - self.start + self.step - 1) // self.step)
    def __reversed__(self):
        cur = self.start + (len(self) - 1) * self.step
        while cur >= self.start:
            yield cur
            cur -= self.step
class Range2Iter:
    def __init__(self, r):
        self.cur = r.start; self.r = r
    def __iter__(self):
        return self
    def __next__(self):
        if self.cur >= self.r.stop:
            raise StopIteration
        v = self.cur
        self.cur += self.r.step
        return v
r = Range2(0, 3000)
print("sum", sum(r), len(r))
total = 0
for v in r:
    total += v * 2
print("loop", total)
print("rev", list(reversed(Range2(0, 10, 3))), list(Range2(0, 10, 3)))
it = iter(Range2(0, 3))
print(next(it), next(it), next(it), next(it, "done"))
print("zip", list(zip(Range2(0, 4), "abcd")), "enum", list(enumerate(Range2(5, 8))))
print("in", 7 in Range2(0, 10), 11 in Range2(0, 10))
print("unpack", *Range2(0, 4), sep="|")
a, b, *rest = Range2(10, 15)
print(a, b, rest)
print(sorted(Range2(0, 5), reverse=True), max(Range2(3, 9)), min(Range2(3, 9)), any(Range2(0, 1)), all(Range2(1, 4)))
print(dict(zip(Range2(0, 3), Range2(10, 13))), set(Range2(0, 3)) == {0, 1, 2})

class Fib:
    def __init__(self, limit):
        self.a, self.b, self.limit = 0, 1, limit
    def __iter__(self):
        return self
    def __next__(self):
        if self.a > self.limit:
            raise StopIteration
        r = self.a
        self.a, self.b = self.b, self.a + self.b
        return r
print(list(Fib(100)))
sentinel_src = iter([3, 2, 1, 0, 5, 6])
print(list(iter(lambda: next(sentinel_src), 0)))
print(list(map(lambda x, y: x * y, Range2(0, 5), Range2(1, 6))), list(filter(None, Range2(0, 4))))
