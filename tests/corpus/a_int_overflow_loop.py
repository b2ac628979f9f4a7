# Accumulators that overflow 64 bits inside hot loops and must become big ints.
def mul_acc(n):
    acc = 1
    for i in range(n):
        acc = acc * 3 + i
    return acc

r = mul_acc(3000)
print(r % 10**20, r.bit_length())

def add_acc(n):
    acc = 2**62
    for i in range(n):
        acc += 2**52 + i
    return acc

v = add_acc(3000)
print(v, v > 2**63 - 1)
assert v == 2**62 + 3000 * 2**52 + 3000 * 2999 // 2

def sub_acc(n):
    acc = -(2**62)
    for i in range(n):
        acc -= 2**53
    return acc

w = sub_acc(3000)
print(w, w < -(2**63))

# Doubling crosses 2**63 exactly at iteration 63
def doubling(n):
    x = 1
    crossings = []
    for i in range(n):
        x *= 2
        if x == 2**63:
            crossings.append(i)
        if i % 1000 == 999:
            x = 1
    return x, crossings

print(doubling(3000))

# Negation of most negative int64
def neg_loop(n):
    out = 0
    for i in range(n):
        m = -(2**63) + (i % 3)
        out += -m
    return out

print(neg_loop(3000))

# Multiplication overflow boundary
def mulb(n):
    hits = 0
    for i in range(n):
        a = 3037000499 + (i % 3)   # sqrt(2**63) ~ 3037000499.97
        p = a * a
        if p > 2**63 - 1:
            hits += 1
    return hits

print("mul hits", mulb(3000))

# Mixed: accumulate, then wrap with modulo
def lcg(n):
    s = 12345
    seen = []
    for i in range(n):
        s = (s * 6364136223846793005 + 1442695040888963407) % 2**64
        if i % 600 == 0:
            seen.append(s)
    return s, seen

print(lcg(3000))

# Sum of squares big
print(sum(i * i * i * i * i for i in range(3000)))
# Abs of big negative; comparison chains crossing the boundary
print(abs(-(2**63)), -(2**63) < 2**63 - 1 < 2**63 < 2**64)
