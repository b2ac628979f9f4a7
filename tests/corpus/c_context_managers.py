import contextlib
log = []
class CM:
    def __init__(self, name, suppress=False):
        self.name = name; self.suppress = suppress
    def __enter__(self):
        log.append("enter " + self.name)
        return self
    def __exit__(self, et, ev, tb):
        log.append("exit %s %s" % (self.name, et.__name__ if et else None))
        return self.suppress

with CM("a") as a, CM("b", suppress=True) as b:
    log.append("body %s %s" % (a.name, b.name))
    raise ValueError
log.append("after")
print(log); log.clear()
try:
    with CM("x"):
        with CM("y"):
            raise KeyError("k")
except KeyError as e:
    log.append("caught " + type(e).__name__)
print(log); log.clear()

@contextlib.contextmanager
def tag(name):
    log.append("<%s>" % name)
    try:
        yield name.upper()
    except ZeroDivisionError:
        log.append("swallowed")
    finally:
        log.append("</%s>" % name)

with tag("p") as t:
    with tag("b"):
        log.append(t)
print(log); log.clear()
with tag("q"):
    1 / 0
log.append("continued")
print(log); log.clear()

total = 0
class Counter:
    def __init__(self): self.n = 0
    def __enter__(self):
        self.n += 1
        return self.n
    def __exit__(self, *a):
        return False
c = Counter()
for i in range(3000):
    with c as k:
        total += k
print("total", total)
assert total == 3000 * 3001 // 2

with contextlib.suppress(KeyError, IndexError):
    [][1]
print("suppressed")
with contextlib.ExitStack() as st:
    for n in "xyz":
        st.enter_context(CM(n))
    log.append("stack body")
print(log); log.clear()
def in_func():
    with CM("r"):
        return "returned"
print(in_func(), log); log.clear()
for i in range(3):
    with CM(str(i)):
        if i == 1:
            continue
        if i == 2:
            break
print(log)
