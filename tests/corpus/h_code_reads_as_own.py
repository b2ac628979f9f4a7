# A compiled function's __code__ reads like its own code where programs look, and a
# program that assigns __code__ gets exactly that code run.
import marshal


def scaled(a, b=2, *rest, c, **kw):
    x = a + b
    for i in range(3):
        x += i * c
    return x


def describe(code):
    return (code.co_name, code.co_qualname, code.co_filename, code.co_firstlineno,
            code.co_argcount, code.co_posonlyargcount, code.co_kwonlyargcount,
            code.co_nlocals, code.co_varnames, code.co_cellvars, code.co_freevars,
            code.co_flags, list(code.co_lines()), list(code.co_positions()))


# The function's own code as written (marshal writes it without any instrumentation).
reference = describe(marshal.loads(marshal.dumps(scaled.__code__)))

total = 0
for n in range(3000):
    total += scaled(n, c=1)
print("result:", total)
now = describe(scaled.__code__)
for name, want, got in zip(("name", "qualname", "filename", "firstlineno", "argcount",
                            "posonlyargcount", "kwonlyargcount", "nlocals", "varnames",
                            "cellvars", "freevars", "flags", "co_lines", "co_positions"),
                           reference, now):
    print(name, "reads as written:", want == got)


def replacement(a, b=2, *rest, c, **kw):
    return ("replacement", a, b, c)


scaled.__code__ = replacement.__code__
print("assigned:", scaled(1, c=3), [scaled(n, c=n) for n in range(3)][-1])
