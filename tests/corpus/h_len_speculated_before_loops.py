# `len` and `isinstance` called by code that runs once before a hot loop (which the JIT
# enters mid-loop) are taken for the builtins behind a guard: a module that defines its
# own `len`, or rebinds `builtins.len` or `builtins.isinstance`, still gets its own.
import builtins


def total(rows):
    n = len(rows)
    s = 0.0
    for i in range(n):
        row = rows[i]
        for j in range(len(row)):
            s += row[j] * (i + 1)
    return s, n


rows = [[float(i * j % 7) for j in range(300)] for i in range(300)]
print("builtin len:", total(rows))


def len(x):  # a module global shadows the builtin from now on
    return 2


print("global len:", total(rows))
del len

real_len = builtins.len
builtins.len = lambda x: 3
print("rebound builtins.len:", total(rows))
builtins.len = real_len
print("restored:", total(rows))


def count_ints(values):
    ok = isinstance(values, list)
    hits = 0
    for v in values:
        if v % 3 == 0:
            hits += 1
    return ok, hits


print("isinstance:", count_ints(list(range(100000))))
real_isinstance = builtins.isinstance
builtins.isinstance = lambda obj, cls: "rebound"
print("rebound isinstance:", count_ints(list(range(100000))))
builtins.isinstance = real_isinstance
