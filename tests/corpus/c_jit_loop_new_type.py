# Hot for-loops over list / generator / dict items where a new-typed value appears after 2000 iterations.
def over_list(xs):
    s = 0
    for x in xs:
        if x is None:
            print("found None, breaking")
            break
        s += x
    else:
        print("list loop completed")
    return s

ints = list(range(3000))
print(over_list(ints))
print(over_list(ints[:2000] + [2.5] + ints[2001:]))
print(over_list(ints[:2000] + [None] + ints[2001:]))
print(over_list(ints[:2000] + [True, 10**30] + ints[2002:]))

def gen(n, bad_at, bad):
    for i in range(n):
        yield bad if i == bad_at else i

def over_gen(g):
    s = 0
    kinds = set()
    for v in g:
        kinds.add(type(v).__name__)
        s = s + v
    else:
        print("gen loop completed", sorted(kinds))
    return s
print(over_gen(gen(3000, 2000, 0.25)))
print(over_gen(gen(3000, 2000, 1 << 70)))
try:
    over_gen(gen(3000, 2000, "oops"))
except TypeError as e:
    print("gen TypeError", type(e).__name__)

def over_dict(d):
    acc = 0
    n = 0
    for k, v in d.items():
        n += 1
        if isinstance(v, str):
            acc += len(v)
            continue
        acc += k * v
    else:
        print("dict loop completed", n)
    return acc
d = {i: i % 5 for i in range(3000)}
print(over_dict(d))
d[2000] = "hello"
d[2001] = 1.5
print(over_dict(d))
d2 = {str(i) if i == 2000 else i: 1 for i in range(3000)}
try:
    over_dict(d2)
except TypeError as e:
    print("dict TypeError", type(e).__name__)
