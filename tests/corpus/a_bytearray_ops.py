# bytearray mutation: item/slice assignment, append, extend, del, methods.
ba = bytearray(b"hello world")
ba[0] = ord("H")
ba[6:11] = b"WORLD!!"
print(ba, len(ba))
ba.append(33)
ba.extend(b"xyz")
ba.extend([1, 2])
print(ba)
del ba[-2:]
del ba[0]
print(ba, ba.pop(), ba.pop(0), ba)
ba.insert(0, 72)
ba.remove(ord("o"))
print(ba, ba.find(b"W"), ba.index(b"L"), ba.count(b"!"))
ba.reverse()
print(ba, bytes(ba), ba[::2], ba[1:4])
ba[::2] = bytes(len(ba[::2]))
print(ba)
ba2 = bytearray(5)
ba2[1:3] = b"abcdef"
print(ba2, bytearray(b"abc") + b"def", bytearray(b"ab") * 2, bytearray(range(3)), bytearray("é", "utf-8"))
ba3 = bytearray(b"abc")
ba3 += b"def"
ba3 *= 2
print(ba3, ba3 == b"abcdefabcdef", ba3.upper(), ba3.replace(b"a", b"A"), ba3.decode())
ba3.clear()
print(ba3, len(ba3), bytearray.fromhex("0a 0b"), bytearray(b"xyz").hex())
for bad in (lambda: bytearray(b"a").__setitem__(0, 256), lambda: bytearray(b"a").__setitem__(0, -1)):
    try:
        bad()
    except ValueError:
        print("ValueError")
try:
    bytearray().pop()
except IndexError:
    print("IndexError pop")
try:
    hash(bytearray(b"a"))
except TypeError:
    print("TypeError unhashable")

# Hot loop: sieve of Eratosthenes in a bytearray
def sieve(n):
    flags = bytearray([1]) * (n + 1)
    flags[0] = flags[1] = 0
    i = 2
    while i * i <= n:
        if flags[i]:
            for j in range(i * i, n + 1, i):
                flags[j] = 0
        i += 1
    return flags
f = sieve(5000)
primes = [i for i in range(len(f)) if f[i]]
print(len(primes), primes[:10], primes[-5:], sum(primes))
assert len(primes) == 669

def rle(d):
    out = bytearray()
    i = 0
    while i < len(d):
        j = i
        while j < len(d) and d[j] == d[i] and j - i < 255:
            j += 1
        out.append(j - i)
        out.append(d[i])
        i = j
    return out
src = bytearray(b"a" * 10 + b"b" * 300 + b"c" + b"d" * 2000)
enc = rle(src)
print(len(enc), list(enc[:8]))
dec = bytearray()
for k in range(0, len(enc), 2):
    dec.extend(bytes([enc[k + 1]]) * enc[k])
assert dec == src
print("rle ok", len(dec))
