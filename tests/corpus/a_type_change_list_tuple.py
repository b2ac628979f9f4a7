# A container operand whose type changes mid-loop: list -> tuple -> str -> range -> dict.
def total_len(n):
    data = [1, 2, 3]
    total = 0
    kinds = []
    for i in range(n):
        if i == 2000:
            data = (4, 5, 6, 7)
        if i == 2300:
            data = "abcde"
        if i == 2600:
            data = range(10)
        if i == 2800:
            data = {"x": 1, "y": 2}
        total += len(data)
        first = data[0] if not isinstance(data, dict) else data["x"]
        if i % 300 == 0:
            kinds.append((i, type(data).__name__, first))
    return total, kinds
print(total_len(3000))

def iterate(n):
    seq = [1, 2, 3]
    s = 0
    for i in range(n):
        if i == 2000:
            seq = (10, 20)
        if i == 2500:
            seq = {5, 6, 7}
        for v in seq:
            s += v
    return s
r = iterate(3000)
print(r)
assert r == 2000 * 6 + 500 * 30 + 500 * 18

def subscript(n):
    c = [0, 1, 2, 3]
    out = 0
    for i in range(n):
        if i == 2000:
            c = (0, 10, 20, 30)
        if i == 2500:
            c = b"\x00\x05\x06\x07"
        out += c[i % 4] + c[-1]
    return out
print(subscript(3000))

def concat(n):
    acc = []
    for i in range(n):
        if i == 2000:
            acc = tuple(acc)
        if i == 2600:
            acc = list(acc)
        acc = acc + ((i,) if isinstance(acc, tuple) else [i])
        if len(acc) > 50:
            acc = acc[25:]
    return type(acc).__name__, acc[:3], len(acc)
print(concat(3000))

def attr_kind(n):
    x = []
    res = 0
    for i in range(n):
        if i == 2000:
            x = ()
        if hasattr(x, "append"):
            x.append(i)
            if len(x) > 10:
                x.clear()
        else:
            x = x + (i,)
            if len(x) > 10:
                x = ()
        res += len(x)
    return res
print(attr_kind(3000))
