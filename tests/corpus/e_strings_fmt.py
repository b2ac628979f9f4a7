# String building and f-strings with format specs in hot loops: width, precision, alignment,
# sign, thousands separators, bases, nested specs, !r/!s/!a conversions, = specifier,
# %-formatting and str.format, join and slicing of built strings.

def fmt_row(i):
    x = i / 7
    return (f"{i:>5}|{i:<5}|{i:^7}|{i:+d}|{i:05d}|{i:,}|{i * 12345:_}|{i:x}|{i:#o}|{i:08b}|"
            f"{x:.3f}|{x:10.2e}|{x:%}|{x:g}|{-x:+.1f}|{i % 3 == 0!s}|{str(i)!r}|{'é' * (i % 2)!a}")

rows = [fmt_row(i) for i in range(3000)]
print(rows[0])
print(rows[7])
print(rows[2999])
print(sum(len(r) for r in rows))

def nested_specs(n):
    out = []
    steps = range(n)
    for i in steps:
        w = 4 + i % 6
        p = i % 4
        v = i * 1.0625
        out.append(f"[{v:{w}.{p}f}][{i:{'<' if i % 2 else '>'}{w}}][{'ab':{'*'}^{w}}]")
    return out

ns = nested_specs(3000)
print(ns[0], ns[1], ns[5], ns[-1], len("".join(ns)))

def builder(n):
    s = ""
    parts = []
    steps = range(n)
    for i in steps:
        s += chr(65 + i % 26)
        if i % 100 == 99:
            parts.append(s[-5:])
            s = s[:50]
        parts.append("%d:%s" % (i % 10, s[-1])) if i % 333 == 0 else None
    return s, len(parts), "-".join(parts[:6])

print(builder(3000))

def fmt_methods(n):
    total = 0
    last = None
    steps = range(n)
    for i in steps:
        a = "{0}-{1:>3}-{0}".format(i % 10, i % 100)
        b = "{name}:{val:.2f}".format(name="n" + str(i % 3), val=i / 3)
        c = "%-6s|%6.2f|%x|%r" % ("ab" * (i % 3), i / 9, i, None)
        d = format(i, ",") + format(i / 11, ".1e")
        total += len(a) + len(b) + len(c) + len(d)
        last = (a, b, c, d)
    return total, last

print(fmt_methods(3000))

def debug_eq(n):
    items = []
    steps = range(n)
    for i in steps:
        val = i * 2
        if i % 1000 == 0:
            items.append(f"{val=}, {i % 7 = }, {val/3=:.2f}")
    return items

print(debug_eq(3000))

def str_ops(n):
    words = []
    steps = range(n)
    for i in steps:
        w = str(i)
        w = w.zfill(5).replace("0", "o")[::-1]
        if w.startswith("o") and "1" in w:
            words.append(w.upper())
        elif w.endswith("o"):
            words.append(w.center(7, "."))
    joined = ",".join(words)
    return len(words), joined[:60], joined[-30:], joined.count("O"), joined.find("1O")

print(str_ops(3000))

def types_in_fstrings(n):
    out = []
    vals = [None, True, 3, 2.5, "s", [1], (2,), {"k": 1}, b"by", 1 + 2j, 10**25, float("inf")]
    steps = range(n)
    for i in steps:
        v = vals[i % len(vals)]
        out.append(f"{v}|{v!r}|{v!s:>6}")
    return out[:12], len("".join(out))

r = types_in_fstrings(3000)
for line in r[0]:
    print(line)
print(r[1])

# float formatting edge cases in a hot loop
acc = []
for i in range(2000):
    v = (i - 1000) / 8.0
    acc.append(f"{v:.0f}{round(v)}{v:.1f}")
print(acc[996:1005], len("".join(acc)))
print(f"{1e16:.3f}", f"{123456789.125:,.2f}", f"{-0.0:.1f}", f"{0.5:.0f}", f"{1.5:.0f}", f"{2.675:.2f}")
