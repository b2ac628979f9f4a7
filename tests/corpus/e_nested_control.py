# Nested for/while loops with break, continue and else clauses, and return from deep inside
# nested loops, in functions that become hot (called many times) and in ones called once.

def find_pair(nums, target):
    for i in range(len(nums)):
        for j in range(i + 1, len(nums)):
            s = nums[i] + nums[j]
            if s > target:
                continue
            if s == target:
                return i, j
        else:
            continue
    return None

def classify(n):
    # returns how the loops ended
    out = []
    k = 0
    while k < n:
        k += 1
        for d in range(2, k):
            if k % d == 0:
                out.append("c")
                break
        else:
            out.append("p" if k > 1 else "1")
            if k > 40:
                break
            continue
        if k % 10 == 0:
            continue
    else:
        out.append("E")
    return "".join(out)

def triple(n):
    count = 0
    steps = range(n)
    for a in steps:
        b = 0
        while True:
            b += 1
            if b > a:
                break
            if (a + b) % 3 == 0:
                continue
            c = a
            while c > 0:
                c -= b
                if c == 7:
                    return ("found", a, b, count)
            count += 1
    return ("none", count)

nums = [5, 12, 7, 3, 19, 8, 1, 14, 2, 11]
res = []
for t in range(3000):
    res.append(find_pair(nums, t % 40))
print(res[:12], res[-5:], sum(1 for r in res if r is None))

cl = [classify(n) for n in range(1200)]
print(cl[1], cl[5], cl[12], cl[60], len(set(cl)))

tr = [triple(n) for n in range(1100)]
print(tr[3], tr[12], tr[30], tr[-1], sum(1 for t in tr if t[0] == "found"))

def once_deep(limit):
    total = 0
    steps = range(limit)
    for i in steps:
        for j in range(i % 13):
            if j == 11:
                break
            total += j
        else:
            total -= 1
            if total > 10**6:
                return ("early", i, j, total)
        if i % 3 == 0:
            continue
        total += 1
    return ("end", total)

print(once_deep(5000))
print(once_deep(50000))

def search_grid(grid, want):
    for r, row in enumerate(grid):
        for c, v in enumerate(row):
            if v == want:
                return r, c
    return -1, -1

grid = [[(r * 31 + c * 17) % 97 for c in range(20)] for r in range(20)]
hits = [search_grid(grid, w) for w in range(1500)]
print(hits[:6], hits[96:99], hits.count((-1, -1)))

# while/else with the else skipped by break after thousands of iterations
n = 0
while n < 100000:
    n += 3
    if n % 4999 == 0:
        break
else:
    n = -1
print(n)
