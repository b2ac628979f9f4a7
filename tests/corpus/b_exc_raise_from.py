# raise ... from ..., implicit chaining (__context__), __suppress_context__, bare re-raise.

def chain_desc(e):
    parts = []
    while e is not None:
        how = ""
        if e.__cause__ is not None:
            nxt, how = e.__cause__, "cause"
        elif e.__context__ is not None and not e.__suppress_context__:
            nxt, how = e.__context__, "context"
        else:
            nxt = None
        parts.append(f"{type(e).__name__}({e})" + (f" -{how}->" if how else ""))
        e = nxt
    return " ".join(parts)

class ConfigError(Exception):
    pass

def parse(s):
    try:
        return int(s)
    except ValueError as e:
        raise ConfigError(f"bad number {s!r}") from e

try:
    parse("x1")
except ConfigError as e:
    print(chain_desc(e))
    print(type(e.__cause__).__name__, e.__suppress_context__, e.__context__ is e.__cause__)

# Implicit chaining
def implicit():
    try:
        {}["missing"]
    except KeyError:
        raise RuntimeError("while handling")
try:
    implicit()
except RuntimeError as e:
    print(chain_desc(e), e.__cause__ is None)

# from None suppresses the context display
def suppressed():
    try:
        [][1]
    except IndexError:
        raise LookupError("clean") from None
try:
    suppressed()
except LookupError as e:
    print(chain_desc(e), e.__suppress_context__, type(e.__context__).__name__)

# Bare raise re-raises the current exception unchanged
def reraiser(log):
    try:
        raise ValueError("orig")
    except ValueError:
        log.append("logged")
        raise
log = []
try:
    reraiser(log)
except ValueError as e:
    print("re-raised", e, log, e.__context__)

# raise e (with a name) from inside another handler sets __context__
def raise_saved():
    saved = None
    try:
        raise ValueError("saved")
    except ValueError as e:
        saved = e
    try:
        raise KeyError("k")
    except KeyError:
        raise saved
try:
    raise_saved()
except ValueError as e:
    print(chain_desc(e))

# Three-level chain with mixed cause/context
def level3():
    raise ZeroDivisionError("root")
def level2():
    try:
        level3()
    except ZeroDivisionError as e:
        raise ValueError("mid") from e
def level1():
    try:
        level2()
    except ValueError:
        raise TypeError("top")
try:
    level1()
except TypeError as e:
    print(chain_desc(e))

# raise from a non-exception is a TypeError
try:
    try:
        raise ValueError("x") from 5
    except TypeError as e:
        print("raise from int ->", type(e).__name__)
except ValueError:
    print("unexpected")

# Exception args and attributes
e = ConfigError("a", 2, [3])
print(e.args, str(e), repr(e))
print(str(ValueError()), repr(KeyError("k")), str(KeyError("k")))

# with_traceback and add_note (3.11+)
try:
    try:
        raise ValueError("noted")
    except ValueError as err:
        err.add_note("first note")
        err.add_note("second note")
        raise
except ValueError as err:
    print(err.__notes__)

# Hot loop with chaining: count causes
n_cause = 0
for i in range(3000):
    try:
        try:
            if i % 2:
                raise KeyError(i)
            raise IndexError(i)
        except LookupError as inner:
            if i % 4 == 1:
                raise ValueError(i) from inner
            raise ValueError(i)
    except ValueError as outer:
        if outer.__cause__ is not None:
            n_cause += 1
        assert outer.__context__ is not None
print("hot causes", n_cause)
assert n_cause == 750
