# Unicode strings: lengths, code points, encoding, normalization-free operations.
words = ["café", "naïve", "日本語", "Ελληνικά", "emoji😀🎉", "русский", "ß", "ﬁ", "A\u0301"]
for w in words:
    print(w, len(w), [hex(ord(c)) for c in w][:4], w.upper(), w.lower(), w[::-1], len(w.encode("utf-8")), w.encode("utf-8")[:6])
print("日本語".encode("utf-8"), b"\xe6\x97\xa5".decode("utf-8"), "é".encode("latin-1"), "é".encode("utf-16-le"))
print("abc€".encode("ascii", errors="replace"), "abc€".encode("ascii", errors="ignore"), "abc€".encode("ascii", errors="backslashreplace"), "abc€".encode("ascii", errors="xmlcharrefreplace"))
print(b"ab\xffcd".decode("utf-8", errors="replace"), b"ab\xffcd".decode("utf-8", errors="ignore"), b"ab\xffcd".decode("latin-1"), b"ab\xffcd".decode("utf-8", "backslashreplace"))
try:
    "€".encode("ascii")
except UnicodeEncodeError as e:
    print("UnicodeEncodeError", e.start, e.end)
try:
    b"\xff".decode("utf-8")
except UnicodeDecodeError as e:
    print("UnicodeDecodeError", e.start, e.end)
print(ascii("café😀"), repr("café\n\t\x00\x7f"), repr("\u200b"), repr("'\""), repr("'"), repr('"'))
print("\N{GREEK SMALL LETTER ALPHA}", "\u03b2", "\U0001F600" == "😀", len("\U0001F600"), "x\x41y")
print(sorted(["b", "A", "é", "a", "Z", "日", "ä"]), max("héllo"), min("héllo"))
print("Straße".upper(), "ǈ".lower(), "ǈ".upper(), "ﬃ".upper(), "ΣΑΣ".lower(), "İ".casefold() == "i̇")
print("١٢٣".isdigit(), int("١٢٣"), float("٣.٥"), "²".isdigit(), "²".isdecimal(), "Ⅷ".isnumeric())
print("日本語テキスト".find("テ"), "日本語テキスト"[3:5], "à la carte".split(), "e\u0301" == "é")
print(" ".isspace(), "\u3000".isspace(), "\u3000a\u3000".strip(), "a\u2028b".splitlines())

# Hot loop: count code points by category of utf-8 length
def utf8_hist(n):
    hist = [0, 0, 0, 0, 0]
    text = "".join(words)
    for i in range(n):
        ch = text[i % len(text)]
        hist[len(ch.encode("utf-8"))] += 1
    return hist
print(utf8_hist(3000))

def chr_range(n):
    s = 0
    for i in range(n):
        cp = 0x3B1 + (i % 25)
        c = chr(cp)
        s += ord(c.upper()) - cp
    return s
print(chr_range(3000))
encoded = "".join(chr(0x4E00 + (i * 37) % 500) for i in range(300))
b = encoded.encode("utf-8")
print(len(encoded), len(b), b.decode("utf-8") == encoded, encoded[:5])
