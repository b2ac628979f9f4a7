# Module-level `len = ...` assigned after 2000 iterations, then deleted again; the loop body
# and a helper function both must see the change immediately.
import builtins

def helper(s):
    return len(s)

words = ["a", "bb", "ccc", "dddd"]
direct = 0
via_helper = 0
log = []
for i in range(3000):
    if i == 2000:
        len = lambda obj: -1
    if i == 2400:
        del len
    w = words[i % 4]
    direct += len(w)
    via_helper += helper(w)
    if i in (1999, 2000, 2399, 2400):
        log.append((i, len(w), helper(w)))
print(direct, via_helper, log)
exp = sum(builtins.len(words[i % 4]) for i in range(3000) if not 2000 <= i < 2400) - 400
assert direct == exp and via_helper == exp, (direct, via_helper, exp)
print("len" in globals(), len("xyz"))

# Rebinding through builtins.__dict__ (the dict the VM consults)
bd = builtins.__dict__
orig_sum = bd["sum"]
def totals(n):
    t = 0
    for i in range(n):
        if i == 2000:
            bd["sum"] = lambda it: 1000
        if i == 2200:
            bd["sum"] = orig_sum
        t += sum((i, 1))
    return t
r = totals(3000)
print(r)
assert r == sum(i + 1 for i in range(3000) if not 2000 <= i < 2200) + 200 * 1000

# A local variable shadowing a builtin in one function does not affect others
def local_shadow(n):
    len = 7
    acc = 0
    for i in range(n):
        acc += len
    return acc
def no_shadow(n):
    acc = 0
    for i in range(n):
        acc += len("ab")
    return acc
print(local_shadow(3000), no_shadow(3000))

# Shadowing `range` itself at module level mid-loop (the loop's iterator is already created)
count = 0
for i in range(3000):
    if i == 2500:
        range = lambda *a: [0]
    count += 1
print(count, list(range(5)))
del range
print(list(range(3)))
# NameError after deleting a module-level name that shadowed nothing
x_only = 1
del x_only
try:
    x_only
except NameError as e:
    print("NameError", e)
