class AppError(Exception):
    pass
class DbError(AppError):
    def __init__(self, table, code):
        super().__init__(f"{table}:{code}")
        self.table, self.code = table, code
def level3(i):
    if i % 5 == 0:
        raise KeyError(i)
    return i
def level2(i):
    try:
        return level3(i)
    except KeyError as e:
        raise DbError("t", i) from e
def level1(i):
    try:
        return level2(i)
    except AppError as e:
        return (type(e).__name__, type(e.__cause__).__name__, e.code)
r = [level1(i) for i in range(3000)]
print(r[:6], sum(1 for x in r if isinstance(x, tuple)))
try:
    try:
        {}["missing"]
    except KeyError:
        raise RuntimeError("during")
except RuntimeError as e:
    print(type(e.__context__).__name__, e.__cause__, e.__suppress_context__)
def reraiser():
    try:
        1 / 0
    except ZeroDivisionError:
        raise
try:
    reraiser()
except ArithmeticError as e:
    print("reraised", type(e).__name__)
try:
    raise ExceptionGroup("eg", [ValueError(1), TypeError(2)])
except* ValueError as g:
    print("vals", [type(x).__name__ for x in g.exceptions])
except* TypeError as g:
    print("types", [type(x).__name__ for x in g.exceptions])
