# A global is rebound mid-loop inside a with block whose __exit__ prints.
class Watch:
    def __init__(self, name):
        self.name = name
    def __enter__(self):
        print("enter", self.name)
        return self
    def __exit__(self, et, ev, tb):
        print("exit", self.name, et.__name__ if et else None, "SCALE=%r" % SCALE)
        return et is KeyError

SCALE = 2
def step(i):
    return i * SCALE

def main():
    global SCALE
    total = 0
    with Watch("outer"):
        for i in range(3000):
            total += step(i) + SCALE
            if i == 1500:
                SCALE = 3
            if i == 2200:
                SCALE = 0.5
    print("total", total)
    with Watch("suppressing"):
        for i in range(3000):
            total += SCALE
            if i == 2000:
                SCALE = "x"
                raise KeyError("stop")
    print("after suppress", total, SCALE)
    SCALE = 1
    try:
        with Watch("propagating"):
            for i in range(3000):
                total = total + step(1)
                if i == 2100:
                    SCALE = None
    except TypeError as e:
        print("caught", type(e).__name__, "i=%d" % i)
    return total
print("result", main())
