# Loops in functions called once (entered mid-loop by on-stack replacement) with many live
# locals of mixed types: int, float, bool, str, list, tuple, None, and locals that are unbound
# until some iteration. Every local is printed after the loop.

def once(n):
    i_acc = 0
    f_acc = 0.0
    flag = False
    text = ""
    items = []
    nothing = None
    pair = (0, 0.0)
    big = 1
    steps = range(n)
    for i in steps:
        i_acc += i * 3 - (i % 7)
        f_acc += i / 8.0
        flag = not flag if i % 3 == 0 else flag
        if i % 500 == 0:
            text += str(i)[0]
            items.append(i)
        if i == 1234:
            late = "bound at 1234"      # unbound until then
        if i > 2000:
            later = i * 1.5             # rebound every iteration after 2000
        if i % 1000 == 999:
            nothing = i if nothing is None else None
        pair = (pair[0] + 1, pair[1] + 0.25)
        if i % 61 == 0:
            big = big * 3 + i
    return i_acc, f_acc, flag, text, items, nothing, pair, big, late, later, i

r = once(3000)
for v in r:
    print(type(v).__name__, v)

def unbound_probe(n):
    seen = []
    steps = range(n)
    for i in steps:
        try:
            seen.append(maybe)
        except UnboundLocalError as e:
            if i % 400 == 0:
                seen.append("unbound")
        if i == 1500:
            maybe = i
        if i == 2600:
            del maybe
    return seen

s = unbound_probe(3200)
print(len(s), s[:4], s[s.index(1500) - 1: s.index(1500) + 2], s[-3:], s.count(1500))

def while_state(limit):
    a, b = 0, 1
    k = 0
    ratio = 0.0
    last_str = None
    while k < limit:
        a, b = b, (a + b) % 1000003
        if b:
            ratio = a / b
        k += 1
        if k % 777 == 0:
            last_str = f"{k}:{a}"
    else:
        done = True
    return a, b, k, round(ratio, 9), last_str, done

print(while_state(4000))

# module-level hot loop with mixed globals
g_int = 0
g_float = 1.0
g_list = []
g_str = "x"
for j in range(2500):
    g_int += j ^ (j >> 2)
    g_float = g_float * 1.0001 + (j % 3)
    if j % 250 == 0:
        g_list.append((j, g_str))
        g_str = g_str + chr(97 + (j // 250) % 26)
print(g_int, round(g_float, 6), g_list[-2:], g_str, j)

# a second call of the same function after it was OSR-entered once
r2 = once(2100)
print(r2[0], r2[1], r2[2], r2[3], r2[8], r2[10])
try:
    once(10)
except UnboundLocalError as e:
    print("UnboundLocalError", "late" in str(e))
