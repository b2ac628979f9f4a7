# Operators on instances of Python classes (`a + b` reaching `Vector.__add__`, `a < b`
# reaching `__lt__`), bound methods called from a table (`handlers[kind](ev)`), and an
# ordinary attribute named `locals`, all in hot code: the methods run as calls from native
# code, and every case the VM's operator dispatch decides otherwise (NotImplemented,
# reflected methods, subclasses, in-place methods, errors, identity fallback of `==`)
# behaves exactly as in the interpreter, tracebacks and frames included.
import builtins
import sys
import traceback


class Vec:
    __slots__ = ("x", "y")

    def __init__(self, x, y):
        self.x = x
        self.y = y

    def __add__(self, other):
        if not isinstance(other, Vec):
            return NotImplemented
        return Vec(self.x + other.x, self.y + other.y)

    def __sub__(self, other):
        return Vec(self.x - other.x, self.y - other.y)

    def __mul__(self, other):
        if isinstance(other, Vec):
            return self.x * other.x + self.y * other.y
        return Vec(self.x * other, self.y * other)

    def __rmul__(self, k):
        return Vec(self.x * k, self.y * k)

    def __truediv__(self, other):
        # A Python error inside the method: its frame is in the traceback.
        return Vec(self.x / other.x, self.y / other.y)

    def __eq__(self, other):
        if not isinstance(other, Vec):
            return NotImplemented
        return self.x == other.x and self.y == other.y

    def __lt__(self, other):
        return (self.x, self.y) < (other.x, other.y)

    def __repr__(self):
        return "Vec(%r, %r)" % (self.x, self.y)


class Vec3(Vec):
    # A subclass operand: the VM tries the subclass's reflected method first.
    __slots__ = ("z",)

    def __init__(self, x, y, z=0):
        Vec.__init__(self, x, y)
        self.z = z

    def __radd__(self, other):
        return "Vec3.__radd__"


class Counter:
    # An in-place method that mutates, one that gives up (NotImplemented), no plain one.
    def __init__(self, n):
        self.n = n

    def __iadd__(self, other):
        self.n += other.n
        return self

    def __isub__(self, other):
        return NotImplemented

    def __sub__(self, other):
        return Counter(self.n - other.n)


class OnlyEq:
    # `<` between instances: `__lt__` is object's (not Python): the generic path.
    def __init__(self, v):
        self.v = v

    def __eq__(self, other):
        return NotImplemented


class Ordered:
    # `__lt__` gives up; the reflected `__gt__` answers.
    def __init__(self, v):
        self.v = v

    def __lt__(self, other):
        return NotImplemented

    def __gt__(self, other):
        return ("gt", self.v, other.v)


class Defaults:
    # Operator methods whose signature is not exactly (self, other) still work.
    def __add__(self, other, extra=1):
        return extra

    def __sub__(self, *args):
        return len(args)


class Probe:
    # An operator method sees its caller's frame and line, as from the interpreter.
    def __add__(self, other):
        caller = sys._getframe(1)
        return caller.f_code.co_name, caller.f_lineno - caller.f_code.co_firstlineno

    def __lt__(self, other):
        return [f.name for f in traceback.extract_stack(limit=3)]


def vector_loop(n):
    acc = Vec(0, 0)
    step = Vec(1, 2)
    small = 0
    for i in range(n):
        acc = acc + step
        acc -= Vec(0, 1)
        if Vec(i, 0) < Vec(i, 1):
            small += 1
        if acc == Vec(i + 1, i + 1):
            small += 1
    return acc, small, acc * step, 2 * step, step * 3


def odd_cases(n):
    out = []
    for i in range(n):
        v = Vec(i, i)
        r = [
            v + Vec3(1, 1),  # subclass operand: Vec3.__radd__ first
            Vec3(1, 1) + v,
            v == "text",  # NotImplemented both ways: identity
            v != v,
            v == v,
            Ordered(i) < Ordered(i + 1),
            OnlyEq(1) == OnlyEq(1),
            Defaults() + Defaults(),
            Defaults() - Defaults(),
            Probe() + Probe(),
            Probe() < Probe(),
        ]
        c = Counter(i)
        same = c
        c += Counter(1)
        r.append((c is same, c.n))
        c -= Counter(1)
        r.append((c is same, c.n))
        for bad in (lambda: v + 1, lambda: Counter(1) + Counter(2), lambda: OnlyEq(1) < OnlyEq(2)):
            try:
                bad()
            except TypeError as e:
                r.append(str(e))
        out.append(r)
    return out


def failing_method(n):
    # The error raised inside `__truediv__` leaves through the operator's line.
    for i in range(n):
        try:
            Vec(1, 1) / Vec(i % 2, 1)
        except ZeroDivisionError:
            tb = traceback.extract_tb(sys.exc_info()[2])
            last = [(f.name, f.line) for f in tb]
    return last


class Machine:
    def __init__(self):
        self.frame = Frame()
        self.log = []
        self.table = {"push": self.op_push, "add": self.op_add, "where": self.op_where}

    def op_push(self, arg):
        self.frame.stack.append(arg)

    def op_add(self, arg):
        stack = self.frame.stack
        b = stack.pop()
        stack[-1] += b + arg

    def op_where(self, arg):
        # The callee sees its caller's frame, as when the interpreter calls it.
        caller = sys._getframe(1)
        self.log.append((caller.f_code.co_name, caller.f_locals.get("op")))

    def run(self, program):
        table = self.table
        for op, arg in program:
            table[op](arg)
        return self.frame.stack


class Frame:
    def __init__(self):
        self.stack = []
        self.locals = {"hits": 0}


def dispatch(n):
    m = Machine()
    program = [("push", 1)] + [("push", i) if i % 3 else ("add", i) for i in range(1, n)]
    program.append(("where", None))
    stack = m.run(program)
    # Other bound callables in a table: a builtin's bound method, a classmethod.
    out = []
    table = [out.append, dict.fromkeys, m.op_push]
    for i in range(n):
        table[i % 3]((i,))
    return stack[:5], len(stack), m.log, len(out), m.frame.stack[-1]


def locals_attribute(n):
    f = Frame()
    t = None
    for i in range(n):
        loc = f.locals  # an ordinary attribute called `locals`
        loc["hits"] += 1
        if i == n - 1:
            seen = builtins.locals()  # the builtin: the running frame's locals
            t = sorted(k for k in seen if k in ("f", "i", "loc"))
    return f.locals, t


class Log:
    def __init__(self):
        self.lines = []

    def warn(self, msg):  # not warnings.warn
        self.lines.append(msg)


class Parser:
    # `stack` and `warn` are ordinary attributes here, not inspect.stack/warnings.warn.
    def __init__(self):
        self.stack = []
        self.log = Log()

    def shift(self, tok):
        self.stack.append(tok)
        if len(self.stack) > 3:
            self.log.warn("deep")
            self.stack.pop(0)

    def where(self):
        import inspect

        return [f.function for f in inspect.stack()[:3]]

    def where_sys(self, sys):  # a module passed in as a parameter
        return sys._getframe(1).f_code.co_name, sys._getframe(0).f_lineno


def parse(n):
    p = Parser()
    for i in range(n):
        p.shift(i)
        if i == n - 1:
            names = p.where()
            caller = p.where_sys(sys)
    return p.stack, len(p.log.lines), names, caller


for rep in range(3):
    print(vector_loop(3000))
    print(odd_cases(1200)[-1])
    print(failing_method(1500))
    print(dispatch(3000))
    print(locals_attribute(3000))
    print(parse(3000))
