"""String building: concatenation with +=, str.join over lists, %-formatting,
str.format, f-strings, slicing, str methods (upper, replace, split, find).

Stresses: string allocation and copying, formatting machinery, list append.
"""
import sys

WORDS = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf",
         "hotel", "india", "juliet", "kilo", "lima", "mike", "november"]


def hash_str(s, h):
    for ch in s:
        h = (h * 131 + ord(ch)) & 0xFFFFFFFF
    return h


def build_concat(n):
    # += on short strings (one line at a time); lines are joined at the end so the
    # program stays linear on runtimes without CPython's in-place concat trick.
    lines = []
    s = ""
    for i in range(n):
        s += WORDS[i % len(WORDS)]
        s += str(i % 97)
        if i % 10 == 9:
            lines.append(s)
            s = ""
    lines.append(s)
    return "\n".join(lines)


def build_join(n):
    parts = []
    for i in range(n):
        w = WORDS[(i * 7) % len(WORDS)]
        parts.append("%s-%04d" % (w, i % 10000))
        parts.append("{0}:{1:.2f}".format(w[:3], i / 7.0))
        parts.append(f"<{w.upper()}|{i & 255:x}>")
    return ",".join(parts)


def transform(text):
    out = []
    for line in text.split("\n"):
        if not line:
            continue
        line = line.replace("a", "4").replace("e", "3")
        k = line.find("lim")
        if k >= 0:
            line = line[:k] + line[k:].upper()
        out.append(line[::-1] if len(line) % 2 else line)
    return "\n".join(out)


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 80000
    a = build_concat(n)
    b = build_join(n)
    c = transform(a)
    h = hash_str(c[:200000], 7)
    h = hash_str(b[-100000:], h)
    print("string_build n=%d len=%d,%d,%d hash=%d count=%d" % (
        n, len(a), len(b), len(c), h, c.count("4")))


if __name__ == "__main__":
    main()
