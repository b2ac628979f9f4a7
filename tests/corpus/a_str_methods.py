# str methods.
s = "  Hello, World! hello again.  "
print(repr(s.strip()), repr(s.lstrip()), repr(s.rstrip()), repr(s.strip(" .H")))
print(s.lower(), s.upper(), s.swapcase(), s.title(), "hello world".capitalize())
print(s.count("l"), s.count("hello"), s.find("o"), s.rfind("o"), s.find("zz"), s.index("W"), s.rindex("l"))
print(s.startswith("  He"), s.endswith(".  "), s.startswith(("x", "  ")), "abc".endswith(("c", "d"), 1, 3))
print("a,b,,c".split(","), "a b  c ".split(), "a b c".split(" ", 1), "a,b,c".rsplit(",", 1), "".split(","), "".split())
print("line1\nline2\r\nline3\n".splitlines(), "x\ny\n".splitlines(True), "a\tb".expandtabs(4))
print("k=v=w".partition("="), "k=v=w".rpartition("="), "kvw".partition("="), "kvw".rpartition("="))
print("abc".center(9, "*"), "abc".ljust(6, "-"), "abc".rjust(6), "42".zfill(5), "-42".zfill(6), "+7".zfill(4))
print("abc".isalpha(), "abc1".isalnum(), "123".isdigit(), "12.3".isdigit(), " \t".isspace(), "Ab Cd".istitle(), "abc".islower(), "ABC".isupper(), "".isalpha())
print("x_1".isidentifier(), "1x".isidentifier(), "١٢".isdecimal(), "½".isnumeric(), "½".isdigit())
print("aaa".replace("a", "b", 2), "abcabc".replace("bc", ""), "abc".replace("", "-"), "mississippi".replace("ss", "SS"))
print("-".join(["a", "b", "c"]), "".join([]), ", ".join(str(i) for i in range(5)), "ab".join("xyz"))
print("prefix_name".removeprefix("prefix_"), "name.py".removesuffix(".py"), "name".removesuffix("zz"))
print("Hello".casefold(), "straße".casefold(), "ß".upper(), "İ".lower() == "i̇", "ǅ".title())
print("abc" * 3, 3 * "ab", "" * 10, "a" < "b", "abc" < "abd", "Z" < "a", "abc" < "ab", "abc" == "abc")
print("%s" % "x", "{}{}".format(1, 2), "a{0}b{0}".format("-"), str.maketrans("ab", "xy"), "aabbcc".translate(str.maketrans("ab", "xy", "c")))
print(ord("a"), chr(97), ord("€"), chr(8364), hex(ord("😀")), len("😀"), "abc"[::-1])
try:
    "abc".index("z")
except ValueError:
    print("ValueError index")
try:
    "a" + 1
except TypeError:
    print("TypeError str + int")

# Hot loop: build and parse strings
def words(n):
    counts = {}
    for i in range(n):
        w = ("ab" if i % 3 else "cd") + str(i % 7)
        w = w.upper() if i % 5 == 0 else w
        counts[w] = counts.get(w, 0) + 1
    return sorted(counts.items())
print(words(3000))

def caesar(text, k):
    out = []
    for ch in text:
        if "a" <= ch <= "z":
            out.append(chr((ord(ch) - 97 + k) % 26 + 97))
        elif "A" <= ch <= "Z":
            out.append(chr((ord(ch) - 65 + k) % 26 + 65))
        else:
            out.append(ch)
    return "".join(out)

msg = "The Quick Brown Fox Jumps Over The Lazy Dog! " * 70
enc = caesar(msg, 13)
print(len(msg), enc[:45])
assert caesar(enc, 13) == msg
print(msg.count("o"), enc.count("b"), msg.split()[:5], len(msg.split()))
