import contextlib
class CM:
    def __init__(self, name, suppress=False):
        self.name, self.suppress = name, suppress
    def __enter__(self):
        log.append("enter " + self.name)
        return self
    def __exit__(self, t, v, tb):
        log.append(f"exit {self.name} {t.__name__ if t else None}")
        return self.suppress
log = []
with CM("a") as a, CM("b", suppress=True):
    raise ValueError
with CM("c", suppress=True):
    with CM("d"):
        raise KeyError
print(log)
@contextlib.contextmanager
def tag(n):
    seen.append(n)
    try:
        yield n * 2
    finally:
        seen.append(-n)
seen = []
t = 0
for i in range(3000):
    with tag(i) as v:
        t += v
print(t, len(seen), seen[:4])
try:
    with tag(7):
        raise IndexError
except IndexError:
    print("propagated", seen[-2:])
