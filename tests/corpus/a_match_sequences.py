# match/case sequence patterns: fixed length, starred, nested, type distinctions.
def shape(v):
    match v:
        case []:
            return "empty"
        case [x]:
            return "one:%r" % (x,)
        case [[a, b], [c, d]]:
            return "2x2:%r" % (a * d - b * c,)
        case [x, y] if x == y:
            return "pair-same:%r" % (x,)
        case [x, y]:
            return "pair:%r,%r" % (x, y)
        case [first, *_, last] if first == last:
            return "bookends:%r" % (first,)
        case [0, *rest]:
            return "zero-then:%r" % (rest,)
        case [*init, "end"]:
            return "ends-with-end:%d" % len(init)
        case (1, 2, 3, *more):
            return "123+%d" % len(more)
        case _:
            return "other"

tests = [[], [5], (5,), [3, 3], [3, 4], (1, 2, 1), [0, 5, 6], [[1, 2], [3, 4]], ["a", "b", "end"],
         (1, 2, 3, 4, 5), [9, 8, 7], "ab", b"ab", range(2), [[1, 2], [3]], {"a": 1}]
for t in tests:
    print(repr(t), shape(t))

def tokens(cmd):
    match cmd.split():
        case ["go", ("north" | "south" | "east" | "west") as d]:
            return "move " + d
        case ["go", *_]:
            return "bad direction"
        case ["take", item, "and", other]:
            return "take two: %s %s" % (item, other)
        case ["take", *items] if items:
            return "take: " + ",".join(items)
        case ["quit" | "exit"]:
            return "bye"
        case _:
            return "?"
for c in ["go north", "go up", "take lamp and key", "take a b c", "take", "quit", "exit", "dance"]:
    print(c, "=>", tokens(c))

# Hot: sequence match in a loop
def run(n):
    acc = [0, 0, 0, 0]
    for i in range(n):
        item = [i] * (i % 4)
        match item:
            case []:
                acc[0] += 1
            case [a]:
                acc[1] += a
            case [a, b]:
                acc[2] += a + b
            case [a, *rest]:
                acc[3] += len(rest)
    return acc
print(run(3000))

def points(n):
    out = 0
    for i in range(n):
        p = (i % 3, i % 5) if i % 2 else [i % 3, i % 5, 1]
        match p:
            case (0, 0):
                out += 100
            case (x, 0):
                out += x
            case (0, y, z):
                out += y * z
            case (x, y, *_):
                out += 1
    return out
print(points(3000))
