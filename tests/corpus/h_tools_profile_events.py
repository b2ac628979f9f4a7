# A profiler sees the calls the program makes, and only those: the same `call`, `return`
# and `c_call` events whether the code is hot (counted, compiled, looping) or not.
# Kept: events in this program's functions. Left out, because RustPython differs from
# CPython there with or without the JIT: calls of classes like `range` (RustPython reports
# them, CPython does not) and of `len` and `list.append` (RustPython's specialized calls
# report nothing).
import sys
import types

events = []
OURS = {"total", "square", "warm_under_profiler", "<module>"}
UNREPORTED_BY_RUSTPYTHON = {"len", "append"}

def profiler(frame, event, arg):
    if frame.f_code.co_name not in OURS:
        return
    if event.startswith("c_"):
        if isinstance(arg, types.BuiltinFunctionType) and arg.__name__ not in UNREPORTED_BY_RUSTPYTHON:
            events.append((event, frame.f_code.co_name, arg.__name__))
    else:
        events.append((event, frame.f_code.co_name))

def square(x):
    return x * x

def total(n):
    s = 0
    for i in range(n):
        s += square(i)
    return s + len([s])

# Hot before the profiler starts (compiled), and code that only gets hot under it.
for _ in range(300):
    total(5)

def warm_under_profiler(n):
    acc = []
    for i in range(n):
        acc.append(abs(-i))
    return sum(acc)

sys.setprofile(profiler)
results = [total(3), warm_under_profiler(4)]
for _ in range(3):
    warm_under_profiler(2)
sys.setprofile(None)

print(results)

print(sys.getprofile())
for e in events:
    print(e)

# getprofile hands back the function the program installed.
sys.setprofile(profiler)
same = sys.getprofile() is profiler
sys.setprofile(None)
print("getprofile is the installed function:", same)

# sys.monitoring's CALL events: the calls the program makes, hot or not.
mon = sys.monitoring
TOOL = 4
mon.use_tool_id(TOOL, "call-watcher")
calls = []

def on_call(code, offset, callable, arg0):
    if code.co_name in OURS and getattr(callable, "__name__", "") not in UNREPORTED_BY_RUSTPYTHON:
        calls.append((code.co_name, getattr(callable, "__name__", type(callable).__name__)))

print("previous callback:", mon.register_callback(TOOL, mon.events.CALL, on_call))
mon.set_events(TOOL, mon.events.CALL)
for _ in range(2):
    total(2)
    warm_under_profiler(2)
mon.set_events(TOOL, 0)
print("registered callback given back:", mon.register_callback(TOOL, mon.events.CALL, None) is on_call)
mon.free_tool_id(TOOL)
for c in calls:
    print(c)
