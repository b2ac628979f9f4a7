# Exception handlers running in native code: a raise inside `try` continues at the
# handler without leaving compiled code. What a program can observe must not change:
# tracebacks (frames and lines), __context__, sys.exception(), finally blocks, handlers
# that deoptimize halfway, and exceptions that leave the function.
import sys


class Boom(Exception):
    pass


def tb_chain(exc):
    out = []
    tb = exc.__traceback__
    while tb is not None:
        out.append((tb.tb_frame.f_code.co_name, tb.tb_lineno))
        tb = tb.tb_next
    return out


def count_words(words, n):
    d = {}
    for i in range(n):
        w = words[i % len(words)]
        try:
            d[w] += 1
        except KeyError:
            d[w] = 1
    return d


def parse_all(xs):
    ok = bad = 0
    for x in xs:
        try:
            ok += int(x)
        except ValueError:
            bad += 1
        except (TypeError, AttributeError) as e:
            bad += 100
            last = type(e).__name__
    return ok, bad


def fail(i):
    if i % 3 == 0:
        raise Boom(i)
    return i


def calls_that_fail(n):
    # The exception comes from a callee: its traceback has the callee's entry first.
    got = []
    for i in range(n):
        try:
            got.append(fail(i))
        except Boom as e:
            got.append(tb_chain(e))
    return got


def raise_and_catch(n):
    seen = []
    for i in range(n):
        try:
            if i % 2:
                raise Boom("odd %d" % i)
            seen.append(i)
        except Boom as e:
            seen.append((str(e), tb_chain(e), sys.exception() is e))
    seen.append(sys.exception())
    return seen


def context_and_cause(n):
    out = []
    for i in range(n):
        try:
            try:
                {}[i]
            except KeyError as e:
                if i % 2:
                    raise ValueError("from") from e
                raise ValueError("during")
        except ValueError as v:
            out.append((str(v), repr(v.__context__), repr(v.__cause__), v.__suppress_context__))
    return out


def finally_runs(xs):
    log = []
    for x in xs:
        try:
            try:
                log.append(10 // x)
            finally:
                log.append("finally %r" % (x,))
        except ZeroDivisionError:
            log.append("zero")
    return log


def leaves_function(x):
    try:
        return [1, 2, 3][x]
    finally:
        print("  cleanup for", x)


def unmatched(x):
    try:
        return {"a": 1}[x]
    except IndexError:
        return "never"


def deopt_in_handler(xs):
    # `acc` is an int until a float arrives inside a handler: the guard fails there and
    # the handler finishes in the interpreter, with the exception still being handled.
    acc = 0
    for x in xs:
        try:
            acc += {"a": 1}[x]
        except KeyError:
            acc = acc + (0.5 if x == "f" else 1)
            print("  handling", x, type(sys.exception()).__name__)
    return acc, sys.exception()


def handler_raises_again(n):
    out = []
    for i in range(n):
        try:
            try:
                raise Boom(i)
            except Boom:
                if i == 2:
                    raise KeyError("inner %d" % i)
                out.append("handled %d" % i)
        except KeyError as e:
            out.append((repr(e), repr(e.__context__), tb_chain(e)[0][0]))
    return out


def not_an_exception_class(x):
    try:
        return 1 // x
    except int:
        return "int?"


class Suppress:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return exc[0] is Boom


def with_blocks(n):
    out = []
    for i in range(n):
        try:
            with Suppress():
                if i % 2:
                    raise Boom(i)
                if i == 4:
                    raise KeyError(i)
                out.append(i)
        except KeyError as e:
            out.append(("key", e.args, sys.exception() is e))
    out.append(sys.exception())
    return out


def gen_calls(n):
    # Native code called from a generator while the caller handles an exception: a new
    # exception's __context__ is the one being handled outside the generator.
    for i in range(n):
        yield raise_in_callee(i)


def raise_in_callee(i):
    try:
        raise Boom(i)
    except Boom as e:
        return repr(e.__context__)


words = ["w%d" % (i % 37) for i in range(50)]
d = count_words(words, 3000)
print(len(d), sum(d.values()), d["w0"])
print(parse_all(["1", "x", "22", None, "y", 3, "5"] * 300))
print(calls_that_fail(7))
print(raise_and_catch(5))
print(context_and_cause(4))
print(finally_runs([1, 0, 2, 0]))
for x in (1, 7):
    try:
        print(leaves_function(x))
    except IndexError as e:
        print("IndexError", e, tb_chain(e))
try:
    unmatched("b")
except KeyError as e:
    print("KeyError", e, tb_chain(e))
print(deopt_in_handler(["a", "b", "a", "f", "c"]))
print(handler_raises_again(4))
try:
    not_an_exception_class(0)
except TypeError as e:
    print("TypeError", e, type(e.__context__).__name__)
print(with_blocks(6))
try:
    raise Boom("outer")
except Boom:
    print(list(gen_calls(3)))
print(sys.exception())


def bare_reraise(n):
    # `raise` inside `except` re-raises to the outer handler without a new traceback entry.
    out = 0
    lines = []
    for i in range(n):
        try:
            try:
                if i % 2:
                    raise Boom(i)
                out += 1
            except Boom:
                out += 2
                raise
        except Boom as e:
            out += len(e.args)
            lines = tb_chain(e)
    return out, lines, sys.exception()


def bare_raise_without_exception():
    try:
        raise
    except RuntimeError as e:
        return str(e)


print(bare_reraise(50))
print(bare_raise_without_exception())
