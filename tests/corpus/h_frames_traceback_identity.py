# A function's frame is one object from its first instruction to its last: a traceback
# names the frame the exception was caught in (`tb.tb_frame is sys._getframe()` in the
# handler's function), `inspect.currentframe()` is the same object, and a frame the
# program keeps reads as finished once the function is over, whether it returned, raised
# or left native code half-way (a deopt): its `f_lineno` is its last line and its
# `f_locals` the last values.
import inspect
import sys


def raiser(n):
    raise ValueError(n)


def caught_frame_is_running_frame(n):
    try:
        raiser(n)
    except Exception as exc:
        tb = exc.__traceback__
    same = tb.tb_frame is sys._getframe()
    also = tb.tb_frame is inspect.currentframe()
    inner = tb.tb_next.tb_frame.f_code.co_name
    return same, also, inner, tb.tb_next.tb_next is None


def frame_stays_put(n):
    first = sys._getframe()
    total = 0
    for i in range(n):
        total += i
    second = sys._getframe()
    return first is second, second.f_lineno - first.f_lineno, second.f_back.f_code.co_name


def reads_caller(n):
    return sys._getframe(1).f_code.co_name, sys._getframe(1).f_lineno > 0


def calls_reader(n):
    # The reader runs with a frame of its own or natively called by this function.
    a = reads_caller(n)
    b = reads_caller(n + 1)
    return a == b, a


def frame_locals_in_comprehension(n):
    # `f_locals` is a live view: a comprehension's variable is there while it runs.
    seen = [sys._getframe().f_locals["a"] for a in [n]][0]
    gone = "a" in [sys._getframe().f_locals for a in [n]][0]
    return seen == n, gone


kept = []


def keeps_frame_and_returns(x, y):
    kept.append(inspect.currentframe())
    p = x * 2
    return p + y


def keeps_frame_and_loops(n):
    kept.append(sys._getframe())
    t = 0
    for i in range(n):
        t += i
    return t


def keeps_frame_and_raises(x, y):
    kept.append(inspect.currentframe())
    p = x
    q = y // (x - x)
    return q


def keeps_frame_and_leaves_native_code(x):
    kept.append(sys._getframe())
    a = x * 3
    try:
        b = a // (x % 2)
    except ZeroDivisionError:
        b = -1
    return a + b


def finished(frame):
    names = tuple(sorted(frame.f_locals))
    return frame.f_code.co_name, frame.f_lineno, names


def main():
    results = set()
    for n in range(300):
        results.add(caught_frame_is_running_frame(n))
        results.add(frame_stays_put(n % 7 + 1))
        results.add(calls_reader(n))
        results.add(frame_locals_in_comprehension(n))
    for n in range(200):
        kept.clear()
        keeps_frame_and_returns(n, 1)
        keeps_frame_and_loops(n % 5 + 40)
        try:
            keeps_frame_and_raises(n, 2)
        except ZeroDivisionError as e:
            results.add(("raised in kept frame", e.__traceback__.tb_next.tb_frame is kept[-1]))
        keeps_frame_and_leaves_native_code(n)
        for f in kept:
            results.add(finished(f))
        results.add(("last values", kept[0].f_locals["p"] == 2 * n, kept[1].f_locals["t"]))
    for r in sorted(results, key=repr):
        print(r)


main()
