# A loop that continues natively mid-way (on-stack replacement) takes over the frame's
# values: the interpreter frame it left keeps none of them, so an object rebound or
# deleted in native code dies right then, not when the function returns.
events = []


class Noisy:
    def __init__(self, tag):
        self.tag = tag

    def __del__(self):
        events.append("del " + self.tag)


def rebound_each_iteration(n):
    for i in range(n):
        events.clear()
        o = Noisy("loop")
    events.append("loop done")
    return len(events)


def held_from_before_the_loop(n):
    keep = Noisy("before")
    total = 0
    for i in range(n):
        total += i
        if i == n - 1:
            del keep
            events.append("deleted")
    events.append("returning")
    return total


def argument_dropped_in_loop(arg, n):
    for i in range(n):
        if i == n - 1:
            arg = None
            events.append("dropped")
    events.append("returning")


for n in (10, 3000):
    events.clear()
    print(rebound_each_iteration(n), events)
    events.clear()
    held_from_before_the_loop(n)
    print(events)
    events.clear()
    argument_dropped_in_loop(Noisy("arg"), n)
    print(events)
