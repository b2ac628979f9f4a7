# try/except/else/finally inside hot loops; exception types, custom exceptions, re-raise.
class AppError(Exception):
    def __init__(self, code, msg):
        super().__init__(msg)
        self.code = code

class NotFound(AppError):
    pass

def lookup(d, k):
    try:
        return d[k]
    except KeyError:
        raise NotFound(404, "missing %r" % (k,))

def run(n):
    d = {i: i * i for i in range(0, 100, 3)}
    found = missing = fin = elses = 0
    codes = 0
    for i in range(n):
        try:
            v = lookup(d, i % 100)
        except NotFound as e:
            missing += 1
            codes += e.code
        except AppError:
            raise
        else:
            found += v
            elses += 1
        finally:
            fin += 1
    return found, missing, fin, elses, codes
print(run(3000))

def convert_all(items):
    out = []
    errors = {}
    for it in items:
        try:
            out.append(int(it))
        except (ValueError, TypeError) as e:
            errors[type(e).__name__] = errors.get(type(e).__name__, 0) + 1
    return sum(out), sorted(errors.items())
items = [str(i) if i % 7 else ("x%d" % i if i % 2 else None) for i in range(3000)]
print(convert_all(items))

def finally_return(n):
    total = 0
    for i in range(n):
        try:
            if i % 3 == 0:
                continue
            total += i
        finally:
            total += 1
    return total
print(finally_return(3000))

def nested_try(n):
    log = []
    for i in range(n):
        try:
            try:
                if i % 1000 == 999:
                    raise ValueError(i)
                if i % 1000 == 500:
                    raise KeyError(i)
            except ValueError as e:
                log.append(("inner", e.args[0]))
                raise TypeError("converted") from e
        except TypeError as e:
            log.append(("outer", str(e), type(e.__cause__).__name__))
        except KeyError as e:
            log.append(("key", e.args[0]))
    return log
print(nested_try(3000))

def gen_exc():
    try:
        raise IndexError("idx")
    except IndexError:
        import sys
        return sys.exc_info()[0].__name__
print(gen_exc())
try:
    raise ExceptionGroup("grp", [ValueError(1), TypeError(2)])
except* ValueError as eg:
    print("except* ValueError", [str(x) for x in eg.exceptions])
except* TypeError as eg:
    print("except* TypeError", [str(x) for x in eg.exceptions])
print(issubclass(NotFound, Exception), NotFound.__mro__[1].__name__, isinstance(NotFound(1, "m"), AppError))
e = AppError(5, "msg")
print(e.args, str(e), repr(e), e.code)
try:
    assert 1 == 2, "math broke"
except AssertionError as e:
    print("AssertionError", e)
