# String indexing, slicing with steps, negative indices, join and concatenation in loops.
s = "abcdefghijklmnopqrstuvwxyz"
print(s[0], s[-1], s[5:10], s[:3], s[23:], s[-3:], s[::2], s[1::2], s[::-1], s[::-3], s[20:5:-2])
print(s[100:], s[-100:3], s[3:1], s[5:-5:4], s[-1:-10:-1], repr(s[10:10]), s[::26], s[len(s):])
for i in range(-5, 6, 2):
    for j in range(-6, 7, 3):
        print(i, j, repr(s[i:j]), repr(s[i:j:-1]), repr(s[j:i:2]))
try:
    s[26]
except IndexError as e:
    print("IndexError", e)
try:
    s[::0]
except ValueError as e:
    print("ValueError", e)
try:
    s[0] = "x"
except TypeError:
    print("TypeError immutable")

# Hot loop of concatenation
def build(n):
    out = ""
    for i in range(n):
        out += s[i % 26]
        if len(out) > 100:
            out = out[50:]
    return out
print(build(3000))

def build_join(n):
    parts = []
    for i in range(n):
        parts.append(s[(i * 7) % 26:(i * 7) % 26 + 2])
    return "".join(parts)
j = build_join(3000)
print(len(j), j[:40], j[-40:], j.count("ab"))

def palindromes(n):
    c = 0
    for i in range(n):
        t = str(i)
        if t == t[::-1]:
            c += 1
    return c
print("palindromes", palindromes(3000))

def rotations(word, n):
    seen = []
    for i in range(n):
        k = i % len(word)
        r = word[k:] + word[:k]
        if i < len(word):
            seen.append(r)
    return seen, r
print(rotations("rotate", 3000))
print("|".join(["a", "", "b"]), "".join(reversed("hello")), " ".join("a  b".split(" ")))
print(s[slice(2, 8, 3)], s[slice(None, None, -5)], s.__getitem__(slice(-4, None)))
