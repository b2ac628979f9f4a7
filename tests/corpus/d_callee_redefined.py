def step(n):
    return n + 1
def walk(depth, acc):
    global step
    if depth == 0:
        return acc
    if depth == 50:
        def step(n):
            return n + 100
    return walk(depth - 1, step(acc))
total = 0
for i in range(30):
    total += walk(100, 0)
print(total)
def calc(a, b):
    return a * b + a // 3 - b % 7
results = []
x = 1
for i in range(3000):
    if i == 1500:
        x = 2**62
    if i == 2000:
        x = 0.5
    try:
        results.append(calc(x + i, (i % 11) - 5 if i < 2800 else 0))
    except ZeroDivisionError:
        results.append("zero")
print(results[:3], results[1500:1502], results[2000:2002], results[-2:])
print(sum(r for r in results if isinstance(r, int)) % 1000003, len([r for r in results if r == "zero"]))
