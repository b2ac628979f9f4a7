# The frames of a traceback read as the interpreter's once the exception has left them:
# each frame's `f_lineno` is its raising line (as `tb_lineno` says), whether the function
# ran natively in its own frame, was called natively by native code, raised in a
# context manager's `__exit__`, or kept its locals alive with the traceback.
import weakref


class ExitFails:
    def __enter__(self):
        return self

    def __exit__(self, *args):
        raise ValueError("exit")


def raises_in_exit():
    with ExitFails():
        1 / 0


def raises_plainly(n):
    x = n * 2
    raise KeyError(x)


class Kept:
    pass


def keeps_locals(n):
    c = Kept()
    if n >= 0:
        raise IndexError(n)


def inner_calls(n):
    return raises_plainly(n) if n % 2 else keeps_locals(n)


def frames_of(tb):
    out = []
    while tb is not None:
        f = tb.tb_frame
        out.append((f.f_code.co_name, f.f_lineno == tb.tb_lineno))
        tb = tb.tb_next
    return out


summary = {}
for i in range(600):
    for f in (raises_in_exit, lambda: raises_plainly(i), lambda: inner_calls(i)):
        try:
            f()
        except Exception as e:
            key = (type(e).__name__, tuple(frames_of(e.__traceback__)))
            summary[key] = summary.get(key, 0) + 1
for key in sorted(summary):
    print(key, summary[key])

try:
    keeps_locals(3)
except IndexError as e:
    tb = e.__traceback__.tb_next
    print(tb.tb_frame.f_code.co_name, sorted(k for k in tb.tb_frame.f_locals))
