# An uncaught exception raised deep inside hot loops: four calls below a loop that has run
# thousands of iterations, after finally blocks and handlers for other exception types have
# run. The program ends with the traceback (exit status 1); everything printed before must
# be intact.

class LedgerError(Exception):
    pass

def level4(book, i):
    if i == 2750:
        raise LedgerError(f"entry {i} rejected: balance {book['bal']}")
    book["bal"] += i % 17 - 8
    return book["bal"]

def level3(book, i):
    try:
        return level4(book, i) * 2
    except KeyError:
        return -1

def level2(book, i):
    try:
        return level3(book, i) + 1
    finally:
        book["fin"] += 1

def level1(book, n):
    total = 0
    steps = range(n)
    for i in steps:
        try:
            total += level2(book, i)
        except (ValueError, TypeError):
            total = 0
        if i % 500 == 0:
            print("at", i, total, book["bal"], book["fin"])
    return total

def warmup():
    b = {"bal": 0, "fin": 0}
    s = 0
    for k in range(1500):
        s += level2(b, k % 2000)
    return s, b

print("warm", warmup())
book = {"bal": 100, "fin": 0}
try:
    level1(book, 2000)
finally:
    print("first pass done", book)
print("second pass")
level1(book, 3000)
print("not reached")
