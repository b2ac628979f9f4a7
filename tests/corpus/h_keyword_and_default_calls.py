# Calls from hot code that bind keyword arguments and defaults (`f(x, k=1)`, `f(x)` with
# `def f(x, k=2)`, `obj.m(key=v)`): the callee runs natively with the same bindings as
# the interpreter's, and every call the binding rejects raises the interpreter's error.
# Defaults are the function's own objects (a mutable default accumulates), and follow
# `__defaults__` when it is reassigned.
import gc
import sys
import weakref


def scale(x, k=2, bias=0):
    return x * k + bias


def collect(x, into=[]):
    into.append(x)
    return len(into)


def posonly(a, b=10, /, c=100):
    return a + b + c


def kwonly(a, *, k=1):
    return a - k


def star(a, *rest, k=0, **kw):
    return a + len(rest) + k + len(kw)


def caller_name(x, depth=1):
    return sys._getframe(depth).f_code.co_name, x


class Account:
    def __init__(self, owner, balance=0, limit=100):
        self.owner = owner
        self.balance = balance
        self.limit = limit

    def deposit(self, amount, note=None):
        self.balance += amount
        return note

    def withdraw(self, amount, force=False):
        if amount > self.balance + self.limit and not force:
            return False
        self.balance -= amount
        return True


def bindings(n):
    total = 0
    notes = 0
    last = None
    for i in range(n):
        total += scale(i)
        total += scale(i, 3)
        total += scale(i, bias=1)
        total += scale(bias=2, x=i)
        total += scale(i, bias=i, k=0)
        total += posonly(i)
        total += posonly(i, 1, c=2)
        total += kwonly(i, k=2)
        total += star(i, 1, 2, k=3, extra=4)
        a = Account("ann", limit=i)
        if a.deposit(i, note="n") == "n":
            notes += 1
        a.withdraw(amount=i // 2)
        a.withdraw(i * 3, force=(i % 2 == 0))
        last = (a.owner, a.balance, a.limit)
    return total, notes, last, collect(n), caller_name(1), caller_name(x=2, depth=0)


def rejected(n):
    errors = []
    calls = [
        lambda i: scale(i, x=i),  # repeated
        lambda i: scale(i, z=1),  # unknown
        lambda i: scale(),  # missing
        lambda i: scale(i, 1, 2, 3),  # too many
        lambda i: posonly(a=i),  # positional-only by keyword
        lambda i: kwonly(i, 2),  # keyword-only positionally
        lambda i: Account(balance=i),  # missing owner through __init__
    ]
    for i in range(n):
        for call in calls:
            try:
                call(i)
            except TypeError as e:
                if i == n - 1:
                    errors.append(str(e))
    return errors


def changing_defaults(n):
    out = []
    for i in range(n):
        if i == n // 2:
            scale.__defaults__ = (5, 7)
        out.append(scale(1))
    scale.__defaults__ = (2, 0)
    return out[0], out[-1], out.count(2)


class Default:
    pass


def make_with_default():
    d = Default()

    def f(x, k=d):
        return k is d

    return f, weakref.ref(d)


def defaults_die_with_their_function(n):
    # Calls that use a default from hot code do not keep the default alive once the
    # function is gone.
    f, ref = make_with_default()
    hits = 0
    for i in range(n):
        hits += f(i)
    del f
    gc.collect()
    return hits, ref() is None


for rep in range(3):
    print(bindings(2000))
    print(rejected(600))
    print(changing_defaults(3000))
    print(defaults_die_with_their_function(3000))
