# A global function is rebound while a caller is recursing several levels deep.
def helper(x):
    return x + 1

def helper_v2(x):
    return x * 10

trace = []
def descend(depth, i):
    global helper
    before = helper(i)
    if depth > 0:
        inner = descend(depth - 1, i)
    else:
        inner = 0
        if i == 2000:
            helper = helper_v2
            trace.append("rebound at depth 0, i=%d" % i)
    after = helper(i)
    return before + after + inner

total = 0
results = []
for i in range(3000):
    r = descend(5, i)
    total += r
    if i in (0, 1999, 2000, 2001, 2999):
        results.append((i, r))
print(trace)
for item in results:
    print(item)
print("total", total)
assert results[2] == (2000, 6 * 2001 + 6 * 20000)
assert results[3] == (2001, 12 * 20010)

def rebind_mid(n):
    global helper
    acc = []
    for k in range(n):
        acc.append(helper(k))
        if k == 2500:
            helper = lambda x: -x
    return acc
helper = lambda x: x + 1
a = rebind_mid(3000)
print(a[2499:2503], sum(a))
