# Globals, builtins and functions rebound while hot loops use them: `len` shadowed by a global
# and through the builtins module, a global constant changed mid-loop, a called function
# redefined from inside the loop, a global deleted so the builtin shows again.
import builtins

FACTOR = 2

def scaled(x):
    return x * FACTOR

def use_len(seq):
    return len(seq)

def loop_factor(n):
    global FACTOR
    out = 0
    steps = range(n)
    for i in steps:
        if i == 1000:
            FACTOR = 3
        if i == 2000:
            FACTOR = 0.5
        out += scaled(i)
    return out

print(loop_factor(3000), FACTOR)

def loop_len(n):
    global len
    total = 0
    steps = range(n)
    for i in steps:
        if i == 1500:
            len = lambda s: -1
        if i == 2500:
            del len
        total += use_len("abc")
    return total

print(loop_len(3000), len("abcd"))

orig_len = builtins.len
def loop_builtins(n):
    total = 0
    steps = range(n)
    for i in steps:
        if i == 1200:
            builtins.len = lambda s: 100
        if i == 1800:
            builtins.len = orig_len
        total += len([1, 2])
    return total

print(loop_builtins(3000), len([1]))

def helper(x):
    return x + 1

def loop_redefine(n):
    global helper
    total = 0
    steps = range(n)
    for i in steps:
        total += helper(i)
        if i == 1000:
            def helper(x):
                return x * 2
        if i == 2000:
            helper = str
            total = str(total)
            continue
        if isinstance(total, str):
            total = total[-4:] + helper(i)[-1]
    return total

print(loop_redefine(2500))

# module-level loop calling a function that is rebound at module level
def step(v):
    return v + 1
acc = 0
for i in range(4000):
    acc = step(acc)
    if i == 999:
        def step(v):
            return v - 1
    elif i == 1999:
        step = abs
    elif i == 2999:
        step = lambda v: v + 0.25
print(acc)

# rebind print/range/isinstance builtins in module globals mid-loop
log = []
real_print = print
real_range = range
for i in real_range(3000):
    if i == 1000:
        print = lambda *a: log.append(a)
    if i == 2000:
        del print
    if i == 2500:
        range = lambda n: [n]
    if i % 500 == 0:
        print("tick", i, list(range(2)))
del range
real_print(log)

# a method cached on a class rebound while a loop calls it on instances
class K:
    def val(self):
        return 1
ks = [K() for _ in range(5)]
tot = 0
for i in range(3000):
    tot += ks[i % 5].val()
    if i == 1500:
        K.val = lambda self: 10
    if i == 2200:
        ks[0].val = lambda: 1000
print(tot)

# globals() dict mutated directly
def gdict(n):
    s = 0
    steps = range(n)
    for i in steps:
        if i == 700:
            globals()["FACTOR"] = 7
        s += FACTOR
    return s
print(gdict(1500))
