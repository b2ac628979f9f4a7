# match/case with literals, captures, wildcards, guards, or-patterns, value patterns.
import enum

class Color(enum.Enum):
    RED = 1
    GREEN = 2
    BLUE = 3

def classify(v):
    match v:
        case 0:
            return "zero"
        case 1 | 2 | 3:
            return "small"
        case True:
            return "true?"
        case "hello" | "hi":
            return "greeting"
        case None:
            return "none"
        case 1.5:
            return "one and a half"
        case -1:
            return "minus one"
        case Color.RED:
            return "red"
        case Color.GREEN | Color.BLUE as c:
            return "color " + c.name
        case int(n) if n > 100:
            return "big int %d" % n
        case str() as s if len(s) > 5:
            return "long str " + s
        case x:
            return "other " + repr(x)

for v in [0, 1, 3, True, False, "hi", "hello", None, 1.5, -1, Color.RED, Color.BLUE, 500, 50, "abcdefg", "abc", 2.0, b"x"]:
    print(repr(v), "->", classify(v))

def http(status):
    match status:
        case 200 | 201 | 204:
            return "ok"
        case 301 | 302 as code:
            return "redirect %d" % code
        case n if 400 <= n < 500:
            return "client error"
        case n if n >= 500:
            return "server error"
        case _:
            return "unknown"
print([http(s) for s in (200, 204, 301, 302, 404, 418, 500, 503, 100)])

# Hot loop: match on ints
def fizz(n):
    counts = {"fizz": 0, "buzz": 0, "fizzbuzz": 0, "num": 0}
    for i in range(1, n + 1):
        match (i % 3, i % 5):
            case (0, 0):
                counts["fizzbuzz"] += 1
            case (0, _):
                counts["fizz"] += 1
            case (_, 0):
                counts["buzz"] += 1
            case _:
                counts["num"] += 1
    return counts
print(fizz(3000))

def lit_hot(n):
    total = 0
    for i in range(n):
        match i % 7:
            case 0:
                total += 10
            case 1 | 2:
                total += 1
            case k if k > 4:
                total += k * 100
            case _:
                total -= 1
    return total
print(lit_hot(3000))
