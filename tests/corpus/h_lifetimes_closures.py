# Objects die when the program lets go of them, whether the functions that hold them run
# natively or not: a closure's cells die with the closure, a natively called closure does
# not keep its function (and so its cells) alive, and weakref callbacks run at that point.
import gc
import weakref


class Tracked:
    alive = 0

    def __init__(self):
        Tracked.alive += 1

    def __del__(self):
        Tracked.alive -= 1


def call_closure():
    x = Tracked()

    def read():
        return x

    read()


def return_closure_result():
    x = Tracked()

    def read():
        return x

    return read() is x


def closure_in_loop(n):
    kept = 0
    for i in range(n):
        y = Tracked()

        def read(k):
            return y if k else None

        if read(i % 2) is not None:
            kept += 1
    return kept


for i in range(3000):
    call_closure()
print("after calling closures:", Tracked.alive)

print("identity through a closure:", all(return_closure_result() for i in range(2000)))
print("after returning through closures:", Tracked.alive)

print("closures made in a loop:", closure_in_loop(2500), "alive:", Tracked.alive)

fired = []


def watched(n):
    x = Tracked()
    w = weakref.ref(x, lambda ref: fired.append(n))

    def read():
        return x

    read()
    return w


for i in range(1500):
    watched(i)
gc.collect()
print("weakref callbacks:", len(fired), "alive:", Tracked.alive)
