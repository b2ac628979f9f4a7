log = []
def f(mode):
    try:
        log.append("try")
        if mode == 1:
            raise ValueError("v")
        if mode == 2:
            raise KeyError("k")
        if mode == 3:
            return "early"
    except ValueError:
        log.append("exc-v")
        return "from-except"
    else:
        log.append("else")
        return "from-else"
    finally:
        log.append("finally")

for m in range(3):
    try:
        print(m, f(m), log)
    except KeyError as e:
        print(m, "propagated", type(e).__name__, log)
    log.clear()
print(3, f(3), log); log.clear()

def loop_finally():
    out = []
    for i in range(10):
        try:
            if i % 3 == 0:
                continue
            if i == 8:
                break
            out.append(i)
        finally:
            out.append("f%d" % i)
    else:
        out.append("else")
    return out
print(loop_finally())

def nested(n):
    r = []
    try:
        try:
            r.append("inner")
            if n:
                1 // 0
        finally:
            r.append("inner-finally")
    except ZeroDivisionError:
        r.append("caught")
    else:
        r.append("no-exc")
    finally:
        r.append("outer-finally")
    return r
print(nested(0)); print(nested(1))

def count(n):
    c = 0
    for i in range(n):
        try:
            if i % 5 == 0:
                raise ValueError
            c += 1
        except ValueError:
            c += 100
        else:
            c += 2
        finally:
            c += 1000
    return c
r = count(3000)
print("count", r)
assert r == 600 * 100 + 2400 * 3 + 3000 * 1000

def ret_in_try():
    x = [1]
    try:
        return x
    finally:
        x.append(2)
print(ret_in_try())

def while_finally():
    i = 0
    res = []
    while True:
        try:
            i += 1
            if i > 4:
                break
            if i == 2:
                continue
            res.append(i)
        finally:
            res.append(-i)
    return res
print(while_finally())

try:
    try:
        raise TypeError("a")
    except TypeError:
        raise ValueError("b")
    finally:
        print("finally runs during handling")
except ValueError as e:
    print("outer got", type(e).__name__, type(e.__context__).__name__)
