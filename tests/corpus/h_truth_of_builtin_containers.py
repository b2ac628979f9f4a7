# Truth tests of exact strs, lists, tuples and dicts in hot code are their emptiness;
# subclasses keep their own __len__/__bool__, and other objects the generic test.
class Blank(str):
    def __len__(self):
        return 0


class Always(list):
    def __bool__(self):
        return True


class Sized:
    def __init__(self, n):
        self.n = n

    def __len__(self):
        return self.n


def count_true(n):
    values = ("", "a", [], [1], (), (1,), {}, {1: 2}, Blank("abc"), Always(), Sized(0), Sized(2), 0, None)
    hits = [0] * len(values)
    for _ in range(n):
        for i, x in enumerate(values):
            if x:
                hits[i] += 1
    return hits


def growing(n):
    # The same list object turns truthy and falsy again while the loop runs.
    items = []
    seen = 0
    for i in range(n):
        if items:
            seen += 1
            items.pop()
        else:
            items.append(i)
    return seen, items


for rep in range(3):
    print(count_true(2000))
    print(growing(3001))
