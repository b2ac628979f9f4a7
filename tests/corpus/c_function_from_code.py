"""Functions made from another function's code object (types.FunctionType(f.__code__,
globals, ...)), as annotationlib, copy-with-globals tricks and test frameworks do: each
function runs with its own globals and closure, whether or not the original is compiled,
and whichever way it is called (from the interpreter or from compiled code)."""
import types

SCALE = 1


def total(n):
    t = 0
    for i in range(n):
        t += SCALE * i
    return t


def make_adder(k):
    def add_k(xs):
        s = 0
        for x in xs:
            s += x + k
        return s
    return add_k


def call_many(fn, arg, times):
    out = 0
    for _ in range(times):
        out += fn(arg)
    return out


for _ in range(30):
    total(20)

other = types.FunctionType(total.__code__, {"SCALE": 1000, "range": range}, "other")
print(total(10), other(10))
print(call_many(total, 5, 40), call_many(other, 5, 40))

# A copy made before the original got hot, called after.
early = types.FunctionType(total.__code__, {"SCALE": -1, "range": range})
for _ in range(30):
    total(5)
print(early(6), total(6))

# Closures: the copy takes another cell.
add3 = make_adder(3)
for _ in range(30):
    add3([1, 2, 3])
cell = types.CellType(100)
add100 = types.FunctionType(add3.__code__, add3.__globals__, "add100", None, (cell,))
print(add3([1, 2, 3]), add100([1, 2, 3]))
print(call_many(add3, [1, 2], 25), call_many(add100, [1, 2], 25))

# A later change to the copy's globals is seen by the copy only.
g = other.__globals__
g["SCALE"] = 7
print(other(4), total(4), call_many(other, 4, 30))
