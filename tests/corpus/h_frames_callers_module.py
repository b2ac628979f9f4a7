# Builtins that name the calling module from the running frame's globals: a class made
# by type(name, bases, dict) and a TypeVar take the module of the function that calls
# them, also when that function is hot, called by a hot function of another module
# (here: code run by exec with its own globals, as a module of its own would be).
import typing

OTHER = {"__name__": "other_module"}
exec(
    """
def run(f, n):
    out = None
    for i in range(n):
        out = f(i)
    return out

def call(f):
    return f()
""",
    OTHER,
)
run, call = OTHER["run"], OTHER["call"]


def make_class(i):
    return type("Made%d" % (i % 3), (), {"i": i})


def make_typevar(i):
    return typing.TypeVar("T%d" % (i % 3))


def make_bound(i):
    class Local:
        pass
    return Local


C = run(make_class, 3000)
print("type():", C.__name__, C.__module__, C.i)
T = run(make_typevar, 3000)
print("TypeVar:", T.__name__, T.__module__)
L = run(make_bound, 3000)
print("class statement:", L.__qualname__, L.__module__)
print("called once:", call(lambda: type("Once", (), {})).__module__)
print("lambda in a hot loop:", run(lambda i: type("X", (), {}), 3000).__module__)
