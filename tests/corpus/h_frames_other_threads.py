# Another thread's frames, as sys._current_frames() and the tracebacks of
# sys._current_exceptions() show them, name every function it is in, with the line it
# is at, and walk back to where the thread started: also when those functions run as
# native code called by native code (hot functions calling hot functions).
import sys
import threading
import traceback

HERE = __file__


def own_frames(frame):
    """(function, line, source) of this file's frames from `frame` outwards."""
    return [
        (name, line, src)
        for filename, line, name, src in reversed(traceback.extract_stack(frame))
        if filename == HERE
    ]


entered = threading.Event()
leave = threading.Event()


def outer(block):
    return middle(block) + 1


def middle(block):
    return inner(block) * 2


def inner(block):
    if block:
        entered.set()
        leave.wait()
    return 3


# Hot before the thread runs them: compiled, each calling the next natively.
for _ in range(3000):
    outer(False)


def blocked_in(target, *args):
    """Runs `target(*args)` on a thread until it blocks; the thread's frames then."""
    entered.clear()
    leave.clear()
    t = threading.Thread(target=target, args=args)
    t.start()
    entered.wait()
    frames = sys._current_frames()
    seen = own_frames(frames[t.ident])
    leave.set()
    t.join()
    return seen


for name, line, src in blocked_in(outer, True):
    print("blocked:", name, line, src)


# The bottom of a thread's view has no f_back; every frame on the way has a code.
def chain_ends(frame):
    n = 0
    while frame is not None:
        assert frame.f_code.co_name
        frame = frame.f_back
        n += 1
    return n > 3


entered.clear()
leave.clear()
t = threading.Thread(target=outer, args=(True,))
t.start()
entered.wait()
print("chain ends:", chain_ends(sys._current_frames()[t.ident]))
leave.set()
t.join()
print("thread gone:", t.ident not in sys._current_frames())


# The main thread seen from another one: down to the module's own frame.
main_ident = threading.get_ident()
seen_from_watcher = []


def watcher():
    entered.wait()
    seen_from_watcher.extend(own_frames(sys._current_frames()[main_ident]))
    leave.set()


entered.clear()
leave.clear()
w = threading.Thread(target=watcher)
w.start()
outer(True)
w.join()
for name, line, src in seen_from_watcher:
    print("main thread:", name, line, src)


# A function whose loop deoptimized (an int became a float) continues in the
# interpreter: once, where it is now.
def deopting(n):
    t = 0
    step = 1
    for i in range(n):
        if i == n // 2:
            step = 0.5
        t = t + step
    entered.set()
    leave.wait()
    return t


for name, line, src in blocked_in(deopting, 100000):
    print("after deopt:", name, line, src)


# An exception a function is handling, seen from another thread (natively called at
# threshold 0; the interpreter shows a function called this way right too).
raised = threading.Event()


def catcher(block):
    return handler(block)


def handler(block):
    while block:
        try:
            raise ValueError("oops")
        except ValueError:
            raised.set()
            if leave.wait(timeout=60):
                return 2


leave.clear()
t = threading.Thread(target=catcher, args=(True,))
t.start()
raised.wait()
excs = sys._current_exceptions()
exc = excs[t.ident]
print("exception:", repr(exc), "main thread handles:", excs[threading.get_ident()])
for name, line, src in own_frames(exc.__traceback__.tb_frame):
    print("handling:", name, line, src)
leave.set()
t.join()


# The calling thread's own entry is the frame sys._getframe() shows, also from a
# natively called function.
def own_entry():
    return sys._current_frames()[threading.get_ident()] is sys._getframe()


def calls_own_entry():
    return own_entry()


print("own entry:", all(calls_own_entry() for _ in range(3000)))
