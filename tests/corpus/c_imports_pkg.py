import c_pkg
from c_pkg import register, Registry
from c_pkg.sub import triple_bump
import c_pkg.core as core
import c_pkg.util
import sys

@register(" Square ")
def square(x):
    return x * x
@register("CUBE")
def cube(x):
    return x ** 3

print("names", Registry.names())
print("get", Registry.get("square")(7), Registry.get("cube")(3))
print("version", c_pkg.VERSION, c_pkg.init_count)
s = 0
for i in range(3000):
    s += triple_bump(i)
print("sum", s, "calls", core.calls)
assert core.calls == 3000
import c_pkg as again
print("same module", again is c_pkg, sys.modules["c_pkg.util"] is c_pkg.util)
c_pkg.util.PREFIX = "new:"
@register("late")
def late(): return 1
print("after prefix change", Registry.names())
print("module names", c_pkg.__name__, core.__name__, c_pkg.sub.__name__)
print("all", c_pkg.__all__)
from c_pkg.util import *
print("star", scale(4), normalize("X"))
try:
    from c_pkg import nonexistent
except ImportError as e:
    print("ImportError", type(e).__name__)
try:
    import c_pkg_missing_module
except ModuleNotFoundError as e:
    print("ModuleNotFoundError", e.name)
