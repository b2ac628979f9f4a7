# bool arithmetic, bool as int, None semantics, truthiness.
print(True + True, True * 10, True - False, -True, ~int(True), ~int(False), -False, True / 2, True // 2, True % 2)
print(True & False, True | False, True ^ True, type(True & False).__name__, type(True + 0).__name__)
print(True == 1, False == 0, True is True, 1.0 == True, hash(True) == hash(1))
print(sum([True, False, True, True]), max(False, True), min([True, False]))
print(int(True), float(False), str(True), repr(False), bool("x"), bool(""), bool([]), bool([0]))
print(bool(0.0), bool(-0.0), bool(float("nan")), bool(0j), bool(None), bool(()), bool({}), bool(range(0)))
print(None is None, None == None, None != 0, repr(None), str(None), type(None).__name__)
d = {True: "a", 1: "b", 1.0: "c"}
print(d, len(d))
print([i for i in range(5) if i], [x or "empty" for x in ["", "a", None, 0, "b"]])
print(0 or None, None or 0, [] and 1, 1 and [], "a" and "b", "" or "z")
print(not None, not 0, not "a", not not [1])

class Falsy:
    def __bool__(self):
        return False
class LenZero:
    def __len__(self):
        return 0
class Plain:
    pass
print(bool(Falsy()), bool(LenZero()), bool(Plain()))

try:
    None + 1
except TypeError:
    print("TypeError None + 1")
try:
    len(None)
except TypeError:
    print("TypeError len(None)")

# Counting with bool arithmetic in a hot loop
def count_even(n):
    c = 0
    for i in range(n):
        c += (i % 2 == 0)
        c += (i % 3 == 0) * 2
    return c

r = count_even(3000)
print(r, type(r).__name__)
assert r == 1500 + 2 * 1000

def bool_chain(n):
    flag = False
    flips = 0
    for i in range(n):
        new = (i % 7 == 0) or (i % 11 == 0) and not (i % 13 == 0)
        if new != flag:
            flips += 1
        flag = new
    return flips, flag

print(bool_chain(3000))

def none_default(n):
    acc = None
    for i in range(n):
        if acc is None:
            acc = 0
        acc += i
        if i % 1000 == 999:
            acc = None
    return acc

print(none_default(3000))
print(none_default(2500))
print(isinstance(True, int), issubclass(bool, int), True.real, True.imag, True.numerator)
print(True.bit_length(), (5).__bool__(), (0).__bool__())
