# `__del__` and weakref callbacks run at the same point of the program whether the code
# runs natively or not: when the last reference goes (a local rebound or deleted, a
# function returning, a handler ending, a closure or generator dropped), never later
# because native code kept a reference, never earlier.
import gc
import weakref

log = []


class Noisy:
    def __init__(self, name):
        self.name = name

    def __del__(self):
        log.append("del " + self.name)


def rebind(n):
    x = Noisy("first%d" % n)
    log.append("made")
    x = Noisy("second%d" % n)
    log.append("rebound")
    del x
    log.append("deleted")


def returned_object_lives(n):
    x = Noisy("kept%d" % n)
    y = Noisy("dropped%d" % n)
    log.append("returning")
    return x


def closure_keeps(n):
    x = Noisy("cell%d" % n)

    def get():
        return x.name

    log.append("closure " + get())
    return get


def handler_ends(n):
    try:
        raise ValueError(Noisy("exc%d" % n))
    except ValueError as e:
        log.append("caught")
    log.append("after handler")


def generator_dropped(n):
    def gen():
        held = Noisy("gen%d" % n)
        yield held.name
        yield "more"

    g = gen()
    log.append(next(g))
    del g
    log.append("generator gone")


def deopt_in_between(n, flip):
    x = Noisy("deopt%d" % n)
    t = n * 2
    if flip:
        t = "str"
    log.append("before drop %s" % (t,))
    x = None
    log.append("after drop")


def weak_callback(n):
    obj = Noisy("weak%d" % n)
    r = weakref.ref(obj, lambda ref: log.append("callback"))
    log.append("alive %s" % (r() is obj))
    del obj
    log.append("dead %s" % (r() is None))


def run(n):
    rebind(n)
    kept = returned_object_lives(n)
    log.append("got " + kept.name)
    del kept
    get = closure_keeps(n)
    log.append("closure returned")
    del get
    handler_ends(n)
    generator_dropped(n)
    deopt_in_between(n, n > 250)
    weak_callback(n)


for n in range(300):
    run(n)
    if n in (0, 150, 299):
        print("\n".join(log))
        print("---")
    log.clear()
gc.collect()
print(log)
