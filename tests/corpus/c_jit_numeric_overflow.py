# A hot small numeric function with ints that overflow 64 bits, then floats, then zero divisors.
def f(a, b):
    return a * b + a // 3 - b % 7

def fd(a, b):
    return a * b + a // b - a % b

results = []
total = 0
errors = 0
a = 1
for i in range(3000):
    if i < 1000:
        b = i + 1
    elif i < 2000:
        a = a * 3 + 1 if a < 10**40 else a  # grows past 64 bits
        b = i
    elif i < 2600:
        a = float(i) / 7.0
        b = i * 0.5
    else:
        a = i
        b = 7 if i % 2 else 0
    try:
        r = f(a, b)
        r = r + fd(a, b) % 5
    except ZeroDivisionError as e:
        errors += 1
        r = 0
    if i % 250 == 0 or i in (1001, 1040, 1999, 2000, 2001, 2599, 2600, 2601):
        results.append((i, r))
    if isinstance(r, int):
        total += r % 1000003
    else:
        total += int(r) % 1000003
for item in results:
    print(item)
print("total", total, "errors", errors)

def g(a, b):
    return a * b + a // 3 - b % 7
big = 2**62
print(g(big, 4), g(-big, 3), g(big, big), g(2.5, 3), g(-7, -1))
for a, b in [(1, 0), (0, 0.0), (5.0, 0), (10**30, 0), (3, 2)]:
    try:
        fd(a, b)
        print("no error", a, b)
    except ZeroDivisionError as e:
        print("ZeroDivisionError for", a, b)
acc = 0
for i in range(3000):
    acc += g(i, 9223372036854775807 - i)
print("acc", acc)
