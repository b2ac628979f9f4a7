# try/except/else/finally in every combination; the order in which clauses run.

log = []

def run(kind, handle=True):
    """kind: 'ok' | 'value' | 'key' | 'type'"""
    log.clear()
    try:
        log.append("try")
        if kind == "value":
            raise ValueError("v")
        if kind == "key":
            raise KeyError("k")
        if kind == "type":
            raise TypeError("t")
        log.append("try-end")
    except ValueError as e:
        log.append("except ValueError " + str(e))
    except (KeyError, IndexError) as e:
        log.append("except Lookup " + type(e).__name__)
    else:
        log.append("else")
    finally:
        log.append("finally")
    log.append("after")
    return list(log)

for k in ("ok", "value", "key"):
    print(k, run(k))
try:
    run("type")
except TypeError:
    print("type", log, "-> propagated")

# try/finally only
def tf(fail):
    out = []
    try:
        out.append("body")
        if fail:
            1 // 0
    finally:
        out.append("cleanup")
        print("  tf cleanup ran, fail =", fail, out)
    return out
print(tf(False))
try:
    tf(True)
except ZeroDivisionError as e:
    print("tf raised", type(e).__name__)

# try/except/else without finally
def tee(x):
    try:
        r = 10 // x
    except ZeroDivisionError:
        return "div by zero"
    else:
        return "ok " + str(r)
print(tee(2), tee(0))

# Exception raised inside else is not caught by the same try's excepts
def else_raises():
    try:
        try:
            pass
        except ValueError:
            return "inner except"
        else:
            raise ValueError("from else")
        finally:
            print("  inner finally")
    except ValueError as e:
        return "outer caught " + str(e)
print(else_raises())

# Exception raised inside except replaces; finally still runs
def except_raises():
    try:
        try:
            raise KeyError("a")
        except KeyError:
            raise IndexError("b")
        finally:
            print("  finally after except raised")
    except IndexError as e:
        return type(e).__name__ + " context=" + type(e.__context__).__name__
print(except_raises())

# Exception raised in finally replaces the original
def finally_raises():
    try:
        try:
            raise ValueError("original")
        finally:
            raise RuntimeError("from finally")
    except RuntimeError as e:
        return f"{type(e).__name__}({e}) context={type(e.__context__).__name__}"
print(finally_raises())

# Return value from try with finally that does not return
def ret_try():
    x = []
    try:
        x.append(1)
        return x
    finally:
        x.append(2)   # mutates the object being returned
print(ret_try())

# Nested try blocks and the matching order of except clauses
def classify(exc):
    try:
        try:
            raise exc
        except LookupError:
            return "inner LookupError " + type(exc).__name__
    except ArithmeticError:
        return "outer ArithmeticError " + type(exc).__name__
    except Exception:
        return "outer Exception " + type(exc).__name__
for exc in (KeyError(), IndexError(), ZeroDivisionError(), OverflowError(), ValueError()):
    print(classify(exc))

# Hot loop with every combination
counts = {"try": 0, "except": 0, "else": 0, "finally": 0}
for i in range(3000):
    try:
        counts["try"] += 1
        if i % 3 == 0:
            raise ValueError
    except ValueError:
        counts["except"] += 1
    else:
        counts["else"] += 1
    finally:
        counts["finally"] += 1
print("hot", sorted(counts.items()))
assert counts == {"try": 3000, "except": 1000, "else": 2000, "finally": 3000}

# The exception variable is deleted after the except block
try:
    raise ValueError("gone")
except ValueError as err:
    pass
try:
    err
except NameError:
    print("except target unbound afterwards -> NameError")
