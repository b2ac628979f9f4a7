# A global value rebound while a hot loop that reads it is running.
SCALE = 1
OFFSET = 0

def step(i):
    return i * SCALE + OFFSET

def run(n):
    global SCALE, OFFSET
    total = 0
    marks = []
    for i in range(n):
        if i == 2000:
            SCALE = 3
        if i == 2500:
            OFFSET = -7
        if i == 2800:
            SCALE = 0.5
        total += step(i)
        if i % 250 == 0:
            marks.append((i, step(i)))
    return total, marks

total, marks = run(3000)
print(total)
print(marks)
expected = sum(range(2000)) + sum(3 * i for i in range(2000, 2500)) + sum(3 * i - 7 for i in range(2500, 2800)) + sum(0.5 * i - 7 for i in range(2800, 3000))
print(expected, total == expected)
assert total == expected

# Module-level loop reading a global that another function rebinds
LIMIT = 10
def bump():
    global LIMIT
    LIMIT += 5
hits = 0
for i in range(3000):
    if i % 100 == 0:
        bump()
    if i % LIMIT == 0:
        hits += 1
print("hits", hits, "LIMIT", LIMIT)

# Global deleted then re-created: NameError in between
G = 1
def read_g():
    return G
seen = []
for i in range(3000):
    if i == 1500:
        del G
    if i == 1600:
        G = "back"
    try:
        v = read_g()
    except NameError:
        v = None
    if i in (0, 1499, 1500, 1599, 1600, 2999):
        seen.append((i, v))
print(seen)

# Global via globals() dict mutation mid-loop
FACTOR = 2
def use_factor(x):
    return x * FACTOR
acc = 0
for i in range(3000):
    if i == 1200:
        globals()["FACTOR"] = 10
    acc += use_factor(1)
print("acc", acc)
assert acc == 1200 * 2 + 1800 * 10
