# The standard library reads its caller's frame: typing.Protocol checks, the __module__
# of classes made by namedtuple, Enum and make_dataclass (and so pickling them), all
# called from hot code.
import collections
import dataclasses
import enum
import pickle
import sys
import threading
import typing


@typing.runtime_checkable
class HasName(typing.Protocol):
    name: str


class Named:
    name = "n"


def count_protocol(n):
    hits = 0
    for i in range(n):
        if isinstance(Named(), HasName):
            hits += 1
    return hits


print("protocol hits:", count_protocol(2500))


def make_classes(n):
    made = None
    for i in range(n):
        if i == n - 1:
            made = (
                collections.namedtuple("Point", "x y"),
                enum.Enum("Color", "RED GREEN"),
                dataclasses.make_dataclass("Pair", ["a", "b"]),
            )
    return made


Point, Color, Pair = make_classes(2000)
print("modules:", Point.__module__, Color.__module__, Pair.__module__)
print("pickled:", pickle.loads(pickle.dumps(Point(1, 2))), pickle.loads(pickle.dumps(Color.RED)))


def nt_factory(i):
    return collections.namedtuple("Row", "a b")


def nt_many(n):
    last = None
    for i in range(n):
        if i % 500 == 0:
            last = nt_factory(i)
    return last


Row = nt_many(2000)
print("natively called factory:", Row.__module__, pickle.loads(pickle.dumps(Row(3, 4))))


def modulename(i):
    return sys._getframemodulename(0), sys._getframe(0).f_globals["__name__"]


def modulename_caller(n):
    r = None
    for i in range(n):
        r = modulename(i)
    return r


print("frame module:", modulename_caller(2000))

# Another thread's frames while it runs natively: its line is one of its function's.
ready = threading.Event()
stop = threading.Event()


def spin():
    first = spin.__code__.co_firstlineno
    x = 0
    i = 0
    while not stop.is_set():
        i += 1
        x += i % 7
        if i == 5000:
            ready.set()
    return x


spin_lines = {line for _, _, line in spin.__code__.co_lines() if line is not None}
t = threading.Thread(target=spin)
t.start()
ready.wait()
frame = sys._current_frames()[t.ident]
while frame is not None and frame.f_code.co_name != "spin":
    frame = frame.f_back  # it may be inside Event.is_set
ok = frame is not None and isinstance(frame.f_lineno, int) and frame.f_lineno in spin_lines
stop.set()
t.join()
print("other thread:", ok)

# Several threads, each with natively called functions reading their callers' frames.
def where(i):
    f = sys._getframe(1)
    return f.f_code.co_name, f.f_lineno


def thread_worker(tag, n, out):
    last = None
    for i in range(n):
        last = where(i)
    out[tag] = last


results = {}
workers = [threading.Thread(target=thread_worker, args=(k, 3000, results)) for k in range(3)]
for w in workers:
    w.start()
for w in workers:
    w.join()
print("threads:", sorted(results.items()))
