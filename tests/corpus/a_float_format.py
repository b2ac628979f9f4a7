# format() / str.format / f-string format specs on floats and ints.
vals = [0.0, -0.0, 1.0, -1.5, 3.14159265358979, 1234567.891, 1e-7, 6.02e23, float("inf"), float("nan"), 0.5, 2.5]
specs = ["", ".2f", ".0f", "10.3f", "<10.2f", ">10.2f", "^10.2f", "+.3f", " .1f", "e", ".3e", "E",
         "g", ".3g", "G", "%", ".1%", ",.2f", "_.1f", "012.3f", "+012.2f", "=+10.1f", "#.0f", ".10g", "n" if False else "r" if False else ""]
for v in vals:
    print(repr(v), "|".join(format(v, s) for s in specs))
for v in (0, 1, -1, 42, -42, 1234567, 2**70, 255):
    print(v, "|".join(format(v, s) for s in ["", "d", "5d", "<5d", "^7d", "+d", ",", "_", "x", "X", "#x", "o", "#o", "b", "#b", "08b", ".2f", "e", "%", "c" if 32 <= v < 127 else "d", "_x", "#_b"]))
print("{:*^20}".format("mid"), "{:>8.3}".format("abcdef"), "{:<6}|".format("ab"), "{!r:>10}".format("q"))
print("{0:{1}.{2}f}".format(3.14159, 10, 3), "{:{fill}{align}{width}}".format(7, fill="-", align=">", width=6))
print(format(1e16, ".17g"), format(0.1, ".20f"), format(1 / 3, ".30f"), format(2**0.5, ".50g"))
print(format(123.456, "08.2f"), format(-123.456, "08.2f"), format(-5, "08d"), format(5, "+08d"))
print(format(0.000123456, "g"), format(123456789.0, "g"), format(1e-5, "g"), format(1e-4, "g"), format(1e16, "g"))
print(format(1.0, "g"), format(10.0, "#g"), format(100000.0, "g"), format(1000000.0, "g"))
try:
    format(1.5, "d")
except ValueError:
    print("ValueError float d")
try:
    format("s", "d")
except ValueError:
    print("ValueError str d")

# Hot loop of formatting
def table(n):
    h = 0
    last = ""
    for i in range(n):
        x = i * 1.37 - 1000.0
        s = f"{x:10.3f}|{x:e}|{i:05d}|{x:+.1%}"
        h = (h * 31 + len(s) + ord(s[3])) % 1000003
        last = s
    return h, last

print(table(3000))
print("%5.2f|%-8.3e|%g|%+d|%05d|%x|%o|%%|%s|%r" % (3.14159, 12345.678, 0.0001, 7, -42, 255, 8, "s", "r"))
print("%(a)s-%(b)05.1f" % {"a": "x", "b": 2.25}, "%c%c" % (65, "z"), "%.3s" % "abcdef", "%*d" % (6, 42), "%-*d|" % (6, 42))
