# bytes: literals, indexing (ints), slicing, methods, hex, comparisons.
b = b"Hello, bytes\x00\xff!"
print(b, len(b), b[0], b[-1], b[1:5], b[::-1], b[::3], type(b[0]).__name__, type(b[0:1]).__name__)
print(b.upper(), b.lower(), b.split(b","), b.replace(b"l", b"L"), b.find(b"by"), b.count(b"l"), b.startswith(b"He"))
print(b.hex(), bytes.fromhex("de ad be ef"), b"abc".hex("-"), bytes(3), bytes([65, 66, 67]), bytes("é", "utf-8"), bytes(range(5)))
print(b"a" + b"b", b"ab" * 3, b"x" in b"xyz", 120 in b"xyz", b"abc" < b"abd", b"" == bytes(), b"ab".join([b"1", b"2", b"3"]))
print(b"  pad  ".strip(), b"a-b-c".rsplit(b"-", 1), b"abc".center(7, b"*"), b"12".zfill(5), b"ab\ncd".splitlines())
print(b"hello".title(), b"Hello".swapcase(), b"abc".isalpha(), b"123".isdigit(), b"a1".isalnum(), b" ".isspace())
print(list(b"abc"), tuple(b"\x01\x02"), sorted(b"cab"), max(b"hello"), sum(b"\x01\x02\x03"))
print(repr(b"'"), repr(b'"'), repr(b"'\""), repr(b"\t\n\r\x7f\x80"), b"%d-%s-%x" % (5, b"s", 255), b"%c" % 65)
print(b"abc".partition(b"b"), b"abcabc".rindex(b"c"), b"a,b".split(b",", maxsplit=1), b"x".ljust(3, b"."), b"x".rjust(3))
print(b"ab".decode(), b"\xc3\xa9".decode("utf-8"), memoryview(b"abc")[1], bytes(memoryview(b"xyz")[::2]))
print(b"abc".translate(bytes.maketrans(b"abc", b"xyz")), b"aXbXc".translate(None, b"X"), hash(b"ab") == hash(b"ab"))
try:
    b"abc"[0] = 1
except TypeError:
    print("TypeError immutable")
try:
    b"a" + "b"
except TypeError:
    print("TypeError bytes + str")
try:
    bytes([256])
except ValueError:
    print("ValueError range")
try:
    b"abc"[10]
except IndexError as e:
    print("IndexError", e)

# Hot loop: checksum over bytes
data = bytes((i * 31 + 7) % 256 for i in range(3000))
def adler32(d):
    a, b2 = 1, 0
    for byte in d:
        a = (a + byte) % 65521
        b2 = (b2 + a) % 65521
    return (b2 << 16) | a
print(adler32(data), adler32(b"Wikipedia"))
def crc8(d):
    crc = 0
    for byte in d:
        crc ^= byte
        for _ in range(8):
            if crc & 0x80:
                crc = ((crc << 1) ^ 0x07) & 0xFF
            else:
                crc = (crc << 1) & 0xFF
    return crc
print(crc8(data[:800]), crc8(b"123456789"))
def count_slices(d, n):
    c = 0
    for i in range(n):
        if d[i:i + 2] == b"\x07&":
            c += 1
        c += d[i % len(d)] & 1
    return c
print(count_slices(data, 3000))
