# Native code reads a closure's cells in place (under the cell's own lock): what it reads
# is always the cell's current contents, whoever wrote them (the closure, its maker,
# `cell_contents` from outside, another thread), an emptied cell raises NameError, and
# the objects in cells keep their identity and die when the cell lets go of them.
import threading


def maker():
    total = 0
    box = []

    def add(n):
        nonlocal total
        for i in range(n):
            total += i
            box.append(total)
        return total

    def read(n):
        t = 0
        for _ in range(n):
            t += total + len(box)
        return t

    return add, read


add, read = maker()
print("add", [add(50) for _ in range(40)][-1])
print("read", read(3000))

# Written from outside through cell_contents: the next read sees it.
read.__closure__[1].cell_contents = 7
print("after cell_contents", read(10), read.__closure__[1].cell_contents)


# Written by the maker after the closure was made.
def late():
    x = 1

    def get(n):
        s = 0
        for _ in range(n):
            s += x
        return s

    first = get(2000)
    x = 1000
    return first, get(3)


print("late", late())


# An emptied cell: NameError at the read, every time.
def emptied():
    z = 5

    def g():
        return z

    before = g()
    del z
    out = []
    for _ in range(3):
        try:
            g()
        except NameError as e:
            out.append(type(e).__name__)
    return before, out


print("emptied", [emptied() for _ in range(300)][-1])


# Identity: the cell holds the object itself.
def ident():
    obj = object()
    nan = float("nan")

    def same(o, f):
        hits = 0
        for _ in range(1000):
            hits += (o is obj) + (f is nan)
        return hits

    return same(obj, nan)


print("identity", ident())


# Lifetimes: an object in a cell dies when the cell is rebound.
class Noisy:
    def __init__(self, name):
        self.name = name

    def __del__(self):
        print("del", self.name)


def lifetimes():
    held = Noisy("first")

    def peek(n):
        s = 0
        for _ in range(n):
            s += len(held.name)
        return s

    print("peek", peek(2000))
    held = Noisy("second")
    print("rebound")
    print("peek", peek(2))
    held = None
    print("cleared")


lifetimes()


# Another thread writes the cell while native code reads it: every value read is one
# that was written (never torn), and the reader ends on the last one.
def threaded():
    value = 0
    started = threading.Event()
    done = threading.Event()

    def reader():
        seen = set()
        while True:
            seen.add(value % 2)
            started.set()
            if done.is_set():
                break
        seen.add(value)
        return seen

    def writer():
        nonlocal value
        started.wait()
        for i in range(1, 20001):
            value = 2 * i
        done.set()

    result = []
    t = threading.Thread(target=lambda: result.append(reader()))
    t.start()
    writer()
    t.join()
    return sorted(result[0])


print("threaded", threaded())
