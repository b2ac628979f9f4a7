# A long function whose first statement reads an argument: its counting code cannot be
# appended (the entry jump would cover that instruction) and goes in front. A frame
# running it still reports a line, while it runs natively and while it runs its
# counting code.
import inspect


def where():
    return [(f.function, isinstance(f.lineno, int)) for f in inspect.stack()[1:3]]


def long_function(result, n):
    if result is None:
        result = []
    total = 0
    total += n * 0 + (n // 1) - (n % 2)
    total += n * 1 + (n // 2) - (n % 3)
    total += n * 2 + (n // 3) - (n % 4)
    total += n * 3 + (n // 4) - (n % 5)
    total += n * 4 + (n // 5) - (n % 6)
    total += n * 5 + (n // 6) - (n % 7)
    total += n * 6 + (n // 7) - (n % 8)
    total += n * 7 + (n // 8) - (n % 9)
    total += n * 8 + (n // 9) - (n % 10)
    total += n * 9 + (n // 10) - (n % 11)
    total += n * 10 + (n // 11) - (n % 12)
    total += n * 11 + (n // 12) - (n % 13)
    total += n * 12 + (n // 13) - (n % 14)
    total += n * 13 + (n // 14) - (n % 15)
    total += n * 14 + (n // 15) - (n % 16)
    total += n * 15 + (n // 16) - (n % 17)
    total += n * 16 + (n // 17) - (n % 18)
    total += n * 17 + (n // 18) - (n % 19)
    total += n * 18 + (n // 19) - (n % 20)
    total += n * 19 + (n // 20) - (n % 21)
    total += n * 20 + (n // 21) - (n % 22)
    total += n * 21 + (n // 22) - (n % 23)
    total += n * 22 + (n // 23) - (n % 24)
    total += n * 23 + (n // 24) - (n % 25)
    total += n * 24 + (n // 25) - (n % 26)
    total += n * 25 + (n // 26) - (n % 27)
    total += n * 26 + (n // 27) - (n % 28)
    total += n * 27 + (n // 28) - (n % 29)
    total += n * 28 + (n // 29) - (n % 30)
    total += n * 29 + (n // 30) - (n % 31)
    total += n * 30 + (n // 31) - (n % 32)
    total += n * 31 + (n // 32) - (n % 33)
    total += n * 32 + (n // 33) - (n % 34)
    total += n * 33 + (n // 34) - (n % 35)
    total += n * 34 + (n // 35) - (n % 36)
    total += n * 35 + (n // 36) - (n % 37)
    total += n * 36 + (n // 37) - (n % 38)
    total += n * 37 + (n // 38) - (n % 39)
    total += n * 38 + (n // 39) - (n % 40)
    total += n * 39 + (n // 40) - (n % 41)
    total += n * 40 + (n // 41) - (n % 42)
    total += n * 41 + (n // 42) - (n % 43)
    total += n * 42 + (n // 43) - (n % 44)
    total += n * 43 + (n // 44) - (n % 45)
    total += n * 44 + (n // 45) - (n % 46)
    total += n * 45 + (n // 46) - (n % 47)
    total += n * 46 + (n // 47) - (n % 48)
    total += n * 47 + (n // 48) - (n % 49)
    total += n * 48 + (n // 49) - (n % 50)
    total += n * 49 + (n // 50) - (n % 51)
    total += n * 50 + (n // 51) - (n % 52)
    total += n * 51 + (n // 52) - (n % 53)
    total += n * 52 + (n // 53) - (n % 54)
    total += n * 53 + (n // 54) - (n % 55)
    total += n * 54 + (n // 55) - (n % 56)
    total += n * 55 + (n // 56) - (n % 57)
    total += n * 56 + (n // 57) - (n % 58)
    total += n * 57 + (n // 58) - (n % 59)
    total += n * 58 + (n // 59) - (n % 60)
    total += n * 59 + (n // 60) - (n % 61)
    for i in range(n):
        total += i
        if i == n - 1:
            result.append(where())
    result.append(total)
    return result


out = None
for k in range(30):
    out = long_function(None, 1200 + k)
print(out)
