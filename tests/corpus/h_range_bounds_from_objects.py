# `for i in range(...)` whose bounds are objects to native code (an attribute, a shift's
# result, a call's result) counts with unboxed ints when they are ints; any other bound
# behaves as in the interpreter: big ints, __index__, floats (TypeError), bools.
class Grid:
    def __init__(self, w, h):
        self.w = w
        self.h = h

    def total(self):
        t = 0
        for y in range(self.h):
            for x in range(self.w):
                t += x * y
        return t


g = Grid(300, 200)
print("attribute bounds:", g.total())


def shifted(depth):
    acc = 0
    for d in range(2, depth, 2):
        n = 1 << (depth - d)
        for i in range(1, n + 1):
            acc += i % 7
    return acc


print("shift bounds:", shifted(16))


class Five:
    def __index__(self):
        return 5


g.w = Five()
print("__index__ bound:", g.total())
g.w = True
print("bool bound:", g.total())
g.w = 2.5
try:
    g.total()
except TypeError as e:
    print("float bound:", e)


def first_of_huge(h):
    n = 0
    for y in range(h):
        n += y
        if y > 100000:
            break
    return n


print("huge bound:", first_of_huge(10 ** 30))
print("negative step:", sum(i for i in range(g.h, -1, -3)))
