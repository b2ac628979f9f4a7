class Countdown:
    def __init__(self, n): self.n = n
    def __iter__(self): return self
    def __next__(self):
        if self.n <= 0:
            raise StopIteration
        self.n -= 1
        return self.n
print(list(Countdown(5)), sum(Countdown(3000)))
class Seq:
    def __getitem__(self, i):
        if i >= 4:
            raise IndexError
        return i * i
print(list(Seq()), 9 in Seq())
it = iter(range(3))
print(next(it), next(it), next(it), next(it, "done"))
total = 0
for k, v in dict(zip("abc", range(3))).items():
    total += v
for i, (a, b) in enumerate(zip(range(3000), reversed(range(3000)))):
    total += (a - b) * (i % 2)
print(total)
