# Tuple unpacking in loop headers (for a, (b, c) in ...; star targets), is / is not / in
# tests, slicing and slice assignment with steps, del of locals, items and slices in loops.

def unpack(n):
    data = [(i, (i * 2, str(i))) for i in range(n)]
    s = 0
    t = ""
    for a, (b, c) in data:
        s += a + b
        if a % 500 == 0:
            t += c
    for k, (x, y), *rest in [(i, (i, -i), i, i) for i in range(n)]:
        s += k + x + y + len(rest)
    for first, *mid, last in ["abc", "defg", "hi"] * (n // 3):
        s += len(mid) + (first < last)
    for (p, q), r in zip(enumerate("xyz" * (n // 3)), range(n)):
        s += p - r + (q == "y")
    return s, t, a, b, c, first, mid, last

print(unpack(3000))

def identity(n):
    none_cnt = same = contains = 0
    sentinel = object()
    pool = [None, sentinel, 0, "", [], None, sentinel]
    steps = range(n)
    for i in steps:
        v = pool[i % len(pool)]
        if v is None:
            none_cnt += 1
        if v is not sentinel and v is not None:
            same += 1
        if i % 10 in (1, 3, 7) and str(i % 10) in "137" and i not in range(100, 200):
            contains += 1
        if "b" in {"a": 1, "b": 2} and 3 not in [1, 2]:
            contains += 1
        if (i % 4, "x") in [(0, "x"), (3, "x")]:
            contains += 1
    return none_cnt, same, contains

print(identity(3000))

def slicing(n):
    L = list(range(20))
    acc = 0
    steps = range(n)
    for i in steps:
        a = i % 7
        b = 20 - i % 5
        acc += sum(L[a:b]) + sum(L[::-(a + 1)]) + len(L[b:a]) + sum(L[-a:])
        acc += L[a:b:2][-1] if L[a:b:2] else 0
    s = "abcdefghijklmnop"
    parts = [s[i % 5: i % 11: 1 + i % 3] for i in range(n)]
    return acc, parts[:8], len("".join(parts))

print(slicing(3000))

def slice_assign(n):
    L = list(range(10))
    steps = range(n)
    for i in steps:
        k = i % 4
        if k == 0:
            L[2:5] = [i, i + 1]
        elif k == 1:
            L[1:1] = ["x"] * (i % 3)
        elif k == 2:
            L[::3] = L[::3][::-1]
        else:
            del L[: len(L) // 4]
        if len(L) > 30:
            L[10:] = []
        if len(L) < 5:
            L[len(L):] = range(5)
    try:
        L[::2] = [1]
    except ValueError as e:
        err = str(e)[:30]
    return L, err

print(slice_assign(3000))

def del_locals(n):
    count = 0
    names = 0
    steps = range(n)
    for i in steps:
        tmp = i * 2
        if i % 3 == 0:
            del tmp
        try:
            count += tmp
        except UnboundLocalError:
            names += 1
        x = [i, i + 1, i + 2]
        del x[1]
        del x[-1:]
        count += len(x)
        d = {"a": 1, "b": i}
        del d["a"]
        count += d["b"] % 5
    return count, names

print(del_locals(3000))

def swap_rotate(n):
    a, b, c = 1, 2.0, "3"
    steps = range(n)
    for i in steps:
        a, b, c = c, a, b
        if i % 1000 == 0:
            a, *b = [a, i, i]
            b = b[0]
    return a, b, c

print(swap_rotate(3000), swap_rotate(3001), swap_rotate(3002))

def nested_unpack_errors(n):
    bad = 0
    steps = range(n)
    for i in steps:
        seq = list(range(i % 4))
        try:
            x, y = seq
        except ValueError as e:
            bad += 1
            msg = str(e).split(" (")[0]
    return bad, msg

print(nested_unpack_errors(3000))

# module level: unpack in header with dict items, enumerate start
tot = 0
d = {str(k): (k, k * k) for k in range(50)}
for rep in range(60):
    for idx, (key, (v1, v2)) in enumerate(d.items(), start=rep):
        tot += idx + v1 - v2 + len(key)
print(tot)
