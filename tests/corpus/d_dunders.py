class V:
    def __init__(self, x, y): self.x, self.y = x, y
    def __add__(self, o): return V(self.x + o.x, self.y + o.y) if isinstance(o, V) else V(self.x + o, self.y + o)
    def __radd__(self, o): return self + o
    def __iadd__(self, o):
        self.x += o.x; self.y += o.y
        return self
    def __eq__(self, o): return isinstance(o, V) and (self.x, self.y) == (o.x, o.y)
    def __hash__(self): return hash((self.x, self.y))
    def __lt__(self, o): return (self.x, self.y) < (o.x, o.y)
    def __repr__(self): return f"V({self.x}, {self.y})"
    def __bool__(self): return bool(self.x or self.y)
    def __len__(self): return 2
    def __getitem__(self, i): return (self.x, self.y)[i]
    def __iter__(self): return iter((self.x, self.y))
    def __call__(self, k): return V(self.x * k, self.y * k)
    def __format__(self, spec): return f"<{self.x:{spec}},{self.y:{spec}}>"
    def __contains__(self, v): return v in (self.x, self.y)
acc = V(0, 0)
for i in range(3000):
    acc += V(i, 1)
print(acc, 5 + V(1, 2), sum([V(1, 1), V(2, 2)], V(0, 0)))
print(sorted([V(2, 1), V(1, 5), V(1, 2)]), len(acc), acc[1], list(acc), acc(2), f"{V(1, 2):03d}")
print(bool(V(0, 0)), 3 in V(3, 4), V(1, 2) == V(1, 2), len({V(1, 2), V(1, 2)}))
