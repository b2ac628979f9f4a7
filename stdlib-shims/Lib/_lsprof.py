"""Fast profiler: CPython's C module `_lsprof`, which `cProfile` is built on, written for
rpyjit on `sys.setprofile` (RustPython 0.6 has no `_lsprof`).

`Profiler` keeps, per function called (a code object, or a string naming a builtin as
CPython's does), the number of calls, recursive calls, total time and time spent in the
function itself, and the same per caller/callee pair; `getstats()` returns them as
`profiler_entry` and `profiler_subentry` records. Only the thread that enabled the
profiler is profiled, as with CPython's `cProfile`.
"""

import sys
import time
from collections import namedtuple

__all__ = ["Profiler", "profiler_entry", "profiler_subentry"]

profiler_entry = namedtuple(
    "profiler_entry", "code callcount reccallcount totaltime inlinetime calls")
profiler_entry.__module__ = "_lsprof"
profiler_subentry = namedtuple(
    "profiler_subentry", "code callcount reccallcount totaltime inlinetime")
profiler_subentry.__module__ = "_lsprof"

_BUILTIN_FUNCTION = type(len)
_MODULE = type(sys)
_OWN_GLOBALS = globals()


def _builtin_label(fn):
    """The name CPython's profiler gives a builtin function or method."""
    name = fn.__name__
    owner = getattr(fn, "__self__", None)
    if owner is None or isinstance(owner, _MODULE):
        module = getattr(fn, "__module__", None)
        if module is None and owner is not None:
            module = owner.__name__
        if owner is None:
            return f"<{module}.{name}>" if module and module != "builtins" else f"<{name}>"
        return f"<built-in method {module}.{name}>" if module else f"<built-in method {name}>"
    for klass in type(owner).__mro__:
        if name in vars(klass):
            return repr(vars(klass)[name])
    return f"<built-in method {name}>"


class _Stats:
    __slots__ = ("callcount", "reccallcount", "totaltime", "inlinetime", "recursion")

    def __init__(self):
        self.callcount = self.reccallcount = self.recursion = 0
        self.totaltime = self.inlinetime = 0.0

    def stop(self, total, inline):
        self.recursion -= 1
        if self.recursion == 0:
            self.totaltime += total
        else:
            self.reccallcount += 1
        self.inlinetime += inline
        self.callcount += 1


class _Entry(_Stats):
    __slots__ = ("key", "code", "callees")

    def __init__(self, key, code):
        super().__init__()
        self.key, self.code, self.callees = key, code, {}


class _Context:
    """One running call: when it started and how long its callees took so far."""
    __slots__ = ("entry", "start", "subcalls", "callee_stats")

    def __init__(self, entry, start, callee_stats):
        self.entry, self.start, self.subcalls, self.callee_stats = entry, start, 0.0, callee_stats


class Profiler:
    """Profiler(timer=None, timeunit=0.0, subcalls=True, builtins=True)

    Builds a profiler object using the specified timer function. The default timer is
    a fast built-in one based on real time. For custom timer functions returning
    integers, timeunit can be a float specifying a scale (i.e. how long each integer
    unit is, in seconds).
    """

    def __init__(self, timer=None, timeunit=0.0, subcalls=True, builtins=True):
        self._timer = timer
        self._timeunit = timeunit
        self._subcalls = subcalls
        self._builtins = builtins
        self._entries = {}
        self._stack = []
        self._enabled = False

    def _now(self):
        if self._timer is None:
            return time.perf_counter()
        t = self._timer()
        return t * self._timeunit if self._timeunit else t

    def _entry(self, key, code):
        e = self._entries.get(key)
        if e is None:
            e = self._entries[key] = _Entry(key, code)
        return e

    def _start(self, key, code):
        entry = self._entry(key, code)
        entry.recursion += 1
        callee_stats = None
        if self._subcalls and self._stack:
            caller = self._stack[-1].entry
            callee_stats = caller.callees.get(key)
            if callee_stats is None:
                callee_stats = caller.callees[key] = _Stats()
            callee_stats.recursion += 1
        self._stack.append(_Context(entry, self._now(), callee_stats))

    def _stop(self, key, now):
        # A return without its call (the call began before the profiler did) is ignored.
        if not self._stack or self._stack[-1].entry.key != key:
            return
        ctx = self._stack.pop()
        total = now - ctx.start
        inline = total - ctx.subcalls
        if self._stack:
            self._stack[-1].subcalls += total
        ctx.entry.stop(total, inline)
        if ctx.callee_stats is not None:
            ctx.callee_stats.stop(total, inline)

    def _event(self, frame, event, arg):
        if frame.f_globals is _OWN_GLOBALS:
            return
        if event == "call":
            code = frame.f_code
            self._start(id(code), code)
        elif event == "return":
            self._stop(id(frame.f_code), self._now())
        elif self._builtins and isinstance(arg, _BUILTIN_FUNCTION):
            if event == "c_call":
                label = _builtin_label(arg)
                self._start(label, label)
            else:  # c_return, c_exception
                self._stop(_builtin_label(arg), self._now())

    def enable(self, subcalls=True, builtins=True):
        """Start collecting profiling information."""
        self._subcalls = subcalls
        self._builtins = builtins
        if sys.getprofile() is not None and not self._enabled:
            raise ValueError("Another profiling tool is already active")
        self._enabled = True
        sys.setprofile(self._event)

    def disable(self):
        """Stop collecting profiling information."""
        if not self._enabled:
            return
        sys.setprofile(None)
        self._enabled = False
        # Calls still running count until now, as in CPython.
        now = self._now()
        while self._stack:
            self._stop(self._stack[-1].entry.key, now)

    def clear(self):
        """Clear all profiling information collected so far."""
        self._entries.clear()
        self._stack.clear()

    def getstats(self):
        """list of profiler_entry objects: the statistics collected so far."""
        out = []
        for e in self._entries.values():
            calls = None
            if self._subcalls:
                calls = [
                    profiler_subentry(self._entries[k].code, s.callcount, s.reccallcount,
                                      s.totaltime, s.inlinetime)
                    for k, s in e.callees.items()
                ]
            out.append(profiler_entry(e.code, e.callcount, e.reccallcount, e.totaltime,
                                      e.inlinetime, calls))
        return out
