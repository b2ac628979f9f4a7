# str.format and % formatting.
print("{} {} {}".format(1, "a", 2.5), "{2}{1}{0}".format("a", "b", "c"), "{x}-{y}".format(x=1, y=2))
print("{0[1]} {0[0]} {1[k]}".format([10, 20], {"k": "v"}), "{.real}".format(3), "{{literal}}".format())
print("{:>6}|{:<6}|{:^6}|{:06.2f}|{:x}|{:,}".format("r", "l", "c", 3.14159, 255, 1234567))
print("{!s} {!r} {!a}".format("é", "é", "é"), "{0!r:>8}".format("x"))
print("%d %i %5d %-5d| %05d %+d % d" % (1, 2, 3, 4, 5, 6, 7))
print("%s %r %a" % ("é", "é", "é"), "%.2f %10.3f %-10.1f|" % (1.005, 2.5, 3.25), "%e %E %g %G" % (1234.5, 0.00012, 1e20, 1e-20))
print("%x %X %#x %o %#o" % (255, 255, 255, 8, 8), "%c" % 9731, "%%", "%5s|%-5s|" % ("ab", "cd"))
print("%(name)s is %(age)d" % {"name": "Ann", "age": 30}, "%s" % (1,), "%s" % [1, 2], "%s %s" % (None, True))
print("%.0f %.0f %.0f %.0f" % (0.5, 1.5, 2.5, -0.5), "%d" % 3.99, "%d" % -3.99, "%i" % True)
for bad in [lambda: "%d" % "x", lambda: "%s %s" % (1,), lambda: "%s" % (1, 2), lambda: "{0}".format()]:
    try:
        bad()
    except (TypeError, IndexError) as e:
        print(type(e).__name__)
try:
    "{}".format
    "{:d}".format("x")
except ValueError:
    print("ValueError")

# Hot loop: building a report with %
def report(n):
    lines = []
    tot = 0
    for i in range(n):
        line = "%04d:%-6s:%8.2f:%x" % (i, "x" * (i % 5), i / 3.0, i * 17)
        tot += len(line)
        if i % 600 == 0:
            lines.append(line)
    return tot, lines
print(report(3000))

def report2(n):
    tot = 0
    last = None
    for i in range(n):
        last = "{0:>5}|{1:<4}|{2:.3e}|{3:+}".format(i, chr(65 + i % 26), i * 1.5, -i)
        tot += len(last)
    return tot, last
print(report2(3000))
fmt = "{name:<10}{score:>6.1f}"
for name, score in [("alice", 93.25), ("bob", 7.0), ("christopher", 100.0)]:
    print(fmt.format(name=name, score=score) + "|")
print(format("text", "^10"), format("text", "*>10"), format(12, "*<5"), format(3.5, "=^9"))
