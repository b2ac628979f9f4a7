# Custom exception hierarchies: catching by base class, attributes, __str__, isinstance checks.

class AppError(Exception):
    code = 1
    def __init__(self, msg, *, detail=None):
        super().__init__(msg)
        self.detail = detail
    def __str__(self):
        base = super().__str__()
        return f"[{self.code}] {base}" + (f" ({self.detail})" if self.detail else "")

class DbError(AppError):
    code = 10
class ConnError(DbError):
    code = 11
class QueryError(DbError):
    code = 12
    def __init__(self, query, msg):
        super().__init__(msg, detail="query=" + query)
        self.query = query
class NetError(AppError, OSError):
    code = 20

print([c.__name__ for c in ConnError.__mro__])
print([c.__name__ for c in NetError.__mro__])

errors = [ConnError("refused"), QueryError("SELECT 1", "syntax"), NetError("timeout", detail="5s"),
          AppError("generic"), ValueError("not ours")]

def handle(exc):
    try:
        raise exc
    except ConnError as e:
        return "conn: " + str(e)
    except DbError as e:
        return "db: " + str(e)
    except OSError as e:
        return "os: " + str(e) + " isApp=" + str(isinstance(e, AppError))
    except AppError as e:
        return "app: " + str(e)
    except Exception as e:
        return "other: " + type(e).__name__ + " " + str(e)

for e in errors:
    print(handle(e))

# Tuple of exception types, built dynamically
catchable = tuple(t for t in (KeyError, DbError))
def try_tuple(exc):
    try:
        raise exc
    except catchable as e:
        return "caught " + type(e).__name__
    except BaseException as e:
        return "fallback " + type(e).__name__
print([try_tuple(x) for x in (KeyError(), QueryError("q", "m"), IndexError(), SystemExit(3))])

# Exceptions carrying data, pickling-free
class ValidationError(Exception):
    def __init__(self, field, problems):
        self.field = field
        self.problems = problems
        super().__init__(field, problems)
try:
    raise ValidationError("age", ["negative", "not int"])
except ValidationError as e:
    print(e.field, e.problems, e.args)

# BaseException subclasses bypass `except Exception`
class Abort(BaseException):
    pass
def guarded():
    try:
        raise Abort("stop")
    except Exception:
        return "caught by Exception"
try:
    guarded()
except Abort as a:
    print("Abort escaped except Exception:", a)

# Builtin hierarchy facts
print(issubclass(KeyError, LookupError), issubclass(ZeroDivisionError, ArithmeticError),
      issubclass(FileNotFoundError, OSError), issubclass(StopIteration, Exception),
      issubclass(KeyboardInterrupt, Exception), issubclass(RecursionError, RuntimeError),
      issubclass(ModuleNotFoundError, ImportError), issubclass(UnicodeDecodeError, ValueError))

# Hot: classify exceptions of the hierarchy thousands of times
counts = {}
kinds = [ConnError, QueryError, NetError, AppError]
for i in range(3000):
    k = kinds[i % 4]
    try:
        if k is QueryError:
            raise k("q%d" % i, "bad")
        raise k("e%d" % i)
    except DbError as e:
        key = "db" + str(e.code)
    except AppError as e:
        key = "app" + str(e.code)
    counts[key] = counts.get(key, 0) + 1
print("hot", sorted(counts.items()))

# Exception equality is identity-based; args compare
a1, a2 = ValueError(1), ValueError(1)
print(a1 == a2, a1.args == a2.args)
