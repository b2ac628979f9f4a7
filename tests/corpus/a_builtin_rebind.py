# builtins.len / builtins.abs rebound after 2000 iterations of a hot loop, then restored.
import builtins

orig_len = builtins.len
orig_abs = builtins.abs

def measure(items):
    return len(items)

def run(n):
    total = 0
    for i in range(n):
        if i == 2000:
            builtins.len = lambda x: 100
        if i == 2500:
            builtins.len = orig_len
        total += measure("abc")
    return total

r = run(3000)
print(r)
assert r == 2000 * 3 + 500 * 100 + 500 * 3
print(len("abcd"), builtins.len is orig_len)

def absum(n):
    s = 0
    for i in range(n):
        if i == 2000:
            builtins.abs = lambda v: 0
        s += abs(i - 1500)
    return s
r2 = absum(3000)
builtins.abs = orig_abs
print(r2, abs(-5))
assert r2 == sum(orig_abs(i - 1500) for i in range(2000))

# Module-level shadow of a builtin shadows builtins; deletion restores the builtin.
def use_max(a, b):
    return max(a, b)

def run2(n):
    global max
    s = 0
    for i in range(n):
        if i == 2000:
            max = lambda a, b: -1
        if i == 2600:
            del max
        s += use_max(i, 10)
    return s
r3 = run2(3000)
print(r3)
assert r3 == sum(max(i, 10) for i in range(2000)) - 600 + sum(max(i, 10) for i in range(2600, 3000))
print("max" in globals(), max(3, 4))

# print itself rebound for a while (capturing into a list)
captured = []
orig_print = builtins.print
for i in range(3000):
    if i == 2000:
        builtins.print = lambda *a, **k: captured.append(a)
    if i == 2003:
        builtins.print = orig_print
    if i % 1000 == 0 or 2000 <= i < 2003:
        print("tick", i)
print("captured", captured)

# isinstance / str shadowed at module level, then removed
def kind(v):
    return str(v) + "!"
out = []
for i in range(3000):
    if i == 2000:
        str = lambda v: "S"
    if i == 2100:
        del str
    if i in (1999, 2000, 2099, 2100):
        out.append(kind(i))
print(out)
