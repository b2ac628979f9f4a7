# Frames report the line being executed, whatever runs the code: logging, inspect,
# traceback and warnings read f_lineno/f_code/f_back of running frames. Every function
# here runs hot (loops entered natively mid-run, functions called natively by compiled
# callers) and prints what it sees of itself and its callers.
import inspect
import io
import logging
import os
import sys
import traceback
import warnings

stream = io.StringIO()
handler = logging.StreamHandler(stream)
handler.setFormatter(logging.Formatter("%(funcName)s:%(lineno)d %(filename)s %(message)s"))
log = logging.getLogger("frames")
log.addHandler(handler)
log.setLevel(logging.INFO)
log.propagate = False


def logs_in_loop(n):
    total = 0
    for i in range(n):
        total += i
        if i % 1000 == 999:
            log.info("loop %d", i)
    return total


logs_in_loop(3000)


def logs_per_call(i):
    if i % 700 == 0:
        log.info("call %d", i)
    return i


def calls_logger(n):
    s = 0
    for i in range(n):
        s += logs_per_call(i)
    return s


calls_logger(2100)


class Worker:
    def step(self, i):
        if i == 1500:
            log.warning("method at %d", i)
        return i + 1

    def run(self, n):
        x = 0
        for i in range(n):
            x = self.step(i)
        return x


Worker().run(2000)


def make_closure():
    seen = []

    def inner(i):
        if i == 1200:
            log.info("closure %d", i)
            seen.append(i)
        return i

    return inner, seen


inner, seen = make_closure()
for i in range(1500):
    inner(i)

for line in stream.getvalue().splitlines():
    print("log:", line)


def stack_names(limit):
    return [(f.function, f.lineno) for f in inspect.stack()[1:limit]]


def walks_stack(n):
    found = None
    for i in range(n):
        if i == n - 1:
            found = stack_names(4)
    return found


def outer_caller():
    return walks_stack(2500)


print("inspect.stack:", outer_caller())


def frame_chain(depth):
    f = sys._getframe(1)
    out = []
    while f is not None and len(out) < depth:
        out.append((f.f_code.co_name, f.f_lineno))
        f = f.f_back
    return out


def leaf(i):
    if i == 1999:
        return frame_chain(4)
    return None


def middle(i):
    return leaf(i)


def top(n):
    r = None
    for i in range(n):
        v = middle(i)
        if v is not None:
            r = v
    return r


print("f_back chain:", top(2000))


def getframe_depths(i):
    if i == 1999:
        return [sys._getframe(d).f_code.co_name for d in range(3)]
    return None


def getframe_caller(n):
    r = None
    for i in range(n):
        v = getframe_depths(i)
        if v is not None:
            r = v
    return r


print("sys._getframe:", getframe_caller(2000))


def extract(i):
    if i == 1799:
        return [(fs.name, fs.lineno) for fs in traceback.extract_stack()[-3:]]
    return None


def extract_caller(n):
    r = None
    for i in range(n):
        v = extract(i)
        if v is not None:
            r = v
    return r


print("extract_stack:", extract_caller(1800))


def format_caller(n):
    r = None
    for i in range(n):
        if i == n - 1:
            r = traceback.format_stack(limit=2)[0].splitlines()[0]
    return r


print("format_stack:", format_caller(1600).split(", ", 1)[1])


def warns(i):
    if i == 1299:
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            warnings.warn("here", stacklevel=1)
            warnings.warn("caller", stacklevel=2)
        return [(os.path.basename(x.filename), x.lineno) for x in w]
    return None


def warn_caller(n):
    r = None
    for i in range(n):
        v = warns(i)
        if v is not None:
            r = v
    return r


print("warnings:", warn_caller(1300))


def after_handler(n):
    caught = 0
    line = None
    for i in range(n):
        try:
            if i % 400 == 0:
                raise ValueError(i)
        except ValueError:
            caught += 1
        if i == n - 1:
            line = sys._getframe().f_lineno
    return caught, line


print("after handler:", after_handler(2000))


def after_deopt(n):
    x = 0
    line = None
    for i in range(n):
        x += i
        if i == n - 1:
            x = "now a string"
            line = (sys._getframe(0).f_code.co_name, sys._getframe(0).f_lineno,
                    sys._getframe(1).f_code.co_name)
    return line


print("after deopt:", after_deopt(2000))


def deprecated_api(x):
    warnings.warn("old api", DeprecationWarning, stacklevel=2)
    return x


def uses_deprecated(i):
    return deprecated_api(i)


def deprecated_caller(n):
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        for i in range(n):
            if i % 600 == 0:
                uses_deprecated(i)
    return sorted({(x.lineno, str(x.message)) for x in w})


print("stacklevel=2 through a native call:", deprecated_caller(2400))


def module_of_caller(i):
    return globals()["__name__"], sys._getframe(1).f_code.co_name


def globals_caller(n):
    r = None
    for i in range(n):
        r = module_of_caller(i)
    return r


print("globals():", globals_caller(2000))


# f_locals of a frame running natively: the values as of the call that left native code.
def peek_locals():
    return dict(sys._getframe(1).f_locals)


def loop_locals(n):
    acc = 0
    label = "w"
    ratio = 1.5
    seen = None
    for i in range(n):
        acc += i
        if i == n - 1:
            seen = peek_locals()
    return seen


print("f_locals in a loop:", loop_locals(3000))


def callee_locals(a, b):
    c = a * 2
    return peek_locals()


def callee_caller(n):
    r = None
    for i in range(n):
        r = callee_locals(i, "s")
    return r


print("f_locals of a natively called function:", callee_caller(2000))


def closure_locals():
    cellv = [1]

    def inner(k):
        t = k + 1
        return peek_locals(), cellv

    r = None
    for i in range(1500):
        r = inner(i)
    return r[0]


print("f_locals with cells:", closure_locals())


def frame_info(i):
    frame = inspect.currentframe()
    info = inspect.getframeinfo(frame)
    caller = inspect.getframeinfo(frame.f_back)
    return (info.function, info.lineno, info.code_context[0].strip(),
            caller.function, caller.lineno)


def frame_info_caller(n):
    r = None
    for i in range(n):
        r = frame_info(i)
    return r


print("getframeinfo:", frame_info_caller(2000))
