# ExceptionGroup and except* (simple cases).

def describe(eg, indent=0):
    pad = "  " * indent
    lines = [f"{pad}{type(eg).__name__}: {eg.args[0] if isinstance(eg, BaseExceptionGroup) else eg}"]
    if isinstance(eg, BaseExceptionGroup):
        for sub in eg.exceptions:
            lines.extend(describe(sub, indent + 1))
    return lines

eg = ExceptionGroup("batch", [ValueError("v1"), TypeError("t1"), ValueError("v2"),
                              ExceptionGroup("inner", [KeyError("k"), ValueError("v3")])])
print("\n".join(describe(eg)))

try:
    raise eg
except* ValueError as g:
    print("ValueErrors:", sorted(str(e) for e in g.exceptions if not isinstance(e, ExceptionGroup)),
          type(g).__name__, len(g.exceptions))
except* TypeError as g:
    print("TypeErrors:", [str(e) for e in g.exceptions])
except* KeyError as g:
    print("KeyErrors via nested:", [type(e).__name__ for e in g.exceptions])

# Unhandled remainder propagates as a group
try:
    try:
        raise ExceptionGroup("two", [ValueError(1), OSError(2)])
    except* ValueError:
        print("handled ValueError part")
except ExceptionGroup as rest:
    print("remaining:", [type(e).__name__ for e in rest.exceptions], rest.message)

# subgroup / split
g = ExceptionGroup("g", [ValueError(1), TypeError(2), ValueError(3)])
match, rest = g.split(ValueError)
print([e.args[0] for e in match.exceptions], [e.args[0] for e in rest.exceptions])
print(g.subgroup(TypeError).exceptions, g.subgroup(KeyError))

# except* with a plain (non-group) exception wraps it
try:
    raise KeyError("plain")
except* KeyError as g:
    print("wrapped:", type(g).__name__, [type(e).__name__ for e in g.exceptions])

# BaseExceptionGroup for BaseException members
bg = BaseExceptionGroup("base", [KeyboardInterrupt(), ValueError()])
print(type(bg).__name__, isinstance(bg, Exception))
eg2 = BaseExceptionGroup("only exc", [ValueError()])
print(type(eg2).__name__, isinstance(eg2, Exception))

# Collecting errors in a hot loop and raising them as a group
def validate(items):
    errors = []
    for i, x in enumerate(items):
        if x < 0:
            errors.append(ValueError(f"item {i} negative"))
        elif x > 100:
            errors.append(OverflowError(f"item {i} too big"))
    if errors:
        raise ExceptionGroup("validation", errors)
    return len(items)

data = [(i * 53) % 130 - 10 for i in range(3000)]
neg = big = 0
try:
    validate(data)
except* ValueError as g:
    neg = len(g.exceptions)
except* OverflowError as g:
    big = len(g.exceptions)
print("hot validation", neg, big)
print(validate([1, 2, 3]))

# Many small groups handled in a loop
handled = 0
for i in range(1500):
    try:
        raise ExceptionGroup("x", [ValueError(i)] if i % 2 else [TypeError(i)])
    except* ValueError:
        handled += 1
    except* TypeError:
        handled += 100
print("loop groups", handled)
