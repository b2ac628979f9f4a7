# Hot loop inside try/except; an operand's type changes after 2000 iterations, later raising.
def run(values):
    total = 0
    log = []
    try:
        for i, v in enumerate(values):
            total = total + v * 2 - (v // 1 if i < 2500 else 0)
            if i % 1000 == 999:
                log.append((i, type(total).__name__))
    except TypeError as e:
        log.append(("TypeError at", i, type(e).__name__))
    return total, log

vals = list(range(2000)) + [x + 0.5 for x in range(2000, 2800)] + ["str"] + [1] * 199
t, log = run(vals)
print("total", t)
for entry in log:
    print(entry)

def run2(n):
    acc = 0
    caught = 0
    for i in range(n):
        x = i if i < 2000 else (float(i) if i < 2600 else (None if i % 2 else "s"))
        try:
            acc += x % 97
        except TypeError as e:
            caught += 1
            last = type(e).__name__
    return acc, caught, last
acc, caught, last = run2(3000)
print("run2", acc, caught, last)
assert caught == 400

def run3():
    d = 1
    out = 0
    i = 0
    try:
        while True:
            i += 1
            if i == 2000:
                d = 1.0
            if i == 2500:
                d = 0
            out += 100 // d
    except ZeroDivisionError as e:
        return "caught %s at %d out=%r" % (type(e).__name__, i, out)
print(run3())
