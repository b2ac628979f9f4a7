class AppError(Exception):
    pass
class DBError(AppError):
    def __init__(self, table, code):
        super().__init__(table, code)
        self.table = table
        self.code = code
class NotFound(DBError):
    pass
class Timeout(AppError):
    pass

def level3(i):
    if i % 3 == 0:
        raise NotFound("users", i)
    if i % 3 == 1:
        raise Timeout("slow")
    return {}["missing"]
def level2(i):
    try:
        return level3(i)
    except KeyError as e:
        raise DBError("kv", -1) from e
def level1(i):
    try:
        return level2(i)
    except Timeout:
        raise
counts = {}
for i in range(3000):
    try:
        level1(i)
    except NotFound as e:
        counts["NotFound"] = counts.get("NotFound", 0) + 1
        last_nf = e
    except DBError as e:
        counts["DBError"] = counts.get("DBError", 0) + 1
        last_db = e
    except AppError as e:
        counts[type(e).__name__] = counts.get(type(e).__name__, 0) + 1
print(sorted(counts.items()))
print("nf", last_nf.table, last_nf.code, last_nf.args, isinstance(last_nf, AppError))
print("db cause", type(last_db.__cause__).__name__, last_db.__suppress_context__)
print("db context", type(last_db.__context__).__name__)

try:
    try:
        raise ValueError("x")
    except ValueError:
        raise TypeError("y")
except TypeError as e:
    print("implicit", type(e.__context__).__name__, e.__cause__, e.__suppress_context__)

try:
    try:
        raise ValueError("x")
    except ValueError:
        raise TypeError("y") from None
except TypeError as e:
    print("from None", type(e.__context__).__name__, e.__cause__, e.__suppress_context__)

def reraiser():
    try:
        raise NotFound("t", 5)
    except DBError:
        raise
try:
    reraiser()
except AppError as e:
    print("bare reraise", type(e).__name__, e.args)

try:
    raise ExceptionGroup("eg", [ValueError(1), TypeError(2)]) if False else KeyError("k")
except LookupError as e:
    print("lookup", type(e).__name__, e.args)

e = ValueError("msg", 2)
print(e.args, str(ValueError("hello")), repr(KeyError("kk")))
try:
    raise AppError
except AppError as e:
    print("class raised", type(e).__name__, e.args)
print("mro", [c.__name__ for c in NotFound.__mro__])
def cleanup():
    try:
        raise ValueError
    except ValueError as e:
        pass
    try:
        return e
    except NameError as ne:
        return "unbound:" + type(ne).__name__
print(cleanup())
