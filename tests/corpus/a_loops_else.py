# for/while with else, break, continue; nested break semantics.
def find(seq, target):
    for i, v in enumerate(seq):
        if v == target:
            print("found", target, "at", i)
            break
    else:
        print("not found", target)
        return -1
    return i
print(find([5, 3, 8], 8), find([5, 3, 8], 9), find([], 1))

n = 0
while n < 5:
    n += 1
    if n == 3:
        continue
    print("while", n)
else:
    print("while else ran, n =", n)

n = 0
while True:
    n += 1
    if n > 4:
        break
else:
    print("never")
print("after infinite while", n)

while False:
    pass
else:
    print("while False else")
for _ in []:
    pass
else:
    print("empty for else")

# Nested loops: break only exits the inner loop
pairs = []
for i in range(5):
    for j in range(5):
        if j > i:
            break
        if (i + j) % 2:
            continue
        pairs.append((i, j))
    else:
        pairs.append(("no-break", i))
print(pairs)

# Primes with for-else
primes = []
for cand in range(2, 60):
    for d in range(2, cand):
        if d * d > cand:
            primes.append(cand)
            break
        if cand % d == 0:
            break
    else:
        primes.append(cand)
print(primes)

# continue in try/finally, break in try/finally
log = []
for i in range(4):
    try:
        if i == 1:
            continue
        if i == 3:
            break
        log.append("body%d" % i)
    finally:
        log.append("fin%d" % i)
print(log)

# Hot loop with break/continue/else
def hot(n):
    skipped = broke = elsed = 0
    total = 0
    for i in range(n):
        if i % 4 == 0:
            skipped += 1
            continue
        for j in range(i % 6):
            if j == 3:
                broke += 1
                break
            total += j
        else:
            elsed += 1
        k = i
        while k > 0:
            k //= 3
            if k == 7:
                total += 1000
                break
        else:
            total += 1
    return skipped, broke, elsed, total
print(hot(3000))
r = hot(3000)
assert r[0] == 750

def count_down(n):
    steps = 0
    while n:
        n -= 1
        if n % 1000 == 0:
            continue
        steps += 1
    else:
        steps = -steps
    return steps
print(count_down(3000))
