"""Expression language: recursive-descent parser, AST, visitor evaluator, constant folder.

Stresses: recursion, many small node classes, getattr-based visitor dispatch
(`"visit_" + type(node).__name__`), dict environments, isinstance checks,
tree rebuilding, bound-method caching, int/bool arithmetic, str scanning.
"""
import sys


class Node(object):
    __slots__ = ()


class Num(Node):
    __slots__ = ("value",)

    def __init__(self, value):
        self.value = value


class Var(Node):
    __slots__ = ("name",)

    def __init__(self, name):
        self.name = name


class BinOp(Node):
    __slots__ = ("op", "left", "right")

    def __init__(self, op, left, right):
        self.op = op
        self.left = left
        self.right = right


class UnaryOp(Node):
    __slots__ = ("op", "operand")

    def __init__(self, op, operand):
        self.op = op
        self.operand = operand


class Call(Node):
    __slots__ = ("func", "args")

    def __init__(self, func, args):
        self.func = func
        self.args = args


class Cond(Node):
    __slots__ = ("test", "then", "other")

    def __init__(self, test, then, other):
        self.test = test
        self.then = then
        self.other = other


# precedence climbing table: operator -> (precedence, right-assoc)
BINARY = {
    "or": (1, False), "and": (2, False),
    "==": (3, False), "!=": (3, False), "<": (4, False), "<=": (4, False),
    ">": (4, False), ">=": (4, False),
    "+": (5, False), "-": (5, False),
    "*": (6, False), "/": (6, False), "%": (6, False),
    "^": (7, True),
}


def tokenize(text):
    toks = []
    i = 0
    n = len(text)
    while i < n:
        c = text[i]
        if c == " ":
            i += 1
        elif c.isdigit():
            j = i
            while j < n and text[j].isdigit():
                j += 1
            toks.append(("num", int(text[i:j])))
            i = j
        elif c.isalpha():
            j = i
            while j < n and (text[j].isalnum() or text[j] == "_"):
                j += 1
            word = text[i:j]
            if word in ("and", "or", "not", "if", "then", "else"):
                toks.append(("op", word))
            else:
                toks.append(("name", word))
            i = j
        elif text[i:i + 2] in ("==", "!=", "<=", ">="):
            toks.append(("op", text[i:i + 2]))
            i += 2
        else:
            toks.append(("op", c))
            i += 1
    toks.append(("eof", None))
    return toks


class Parser(object):
    def __init__(self, text):
        self.toks = tokenize(text)
        self.pos = 0

    def peek(self):
        return self.toks[self.pos]

    def next(self):
        t = self.toks[self.pos]
        self.pos += 1
        return t

    def expect(self, value):
        t = self.next()
        if t[1] != value:
            raise SyntaxError("expected %r got %r" % (value, t[1]))

    def parse(self):
        e = self.expr(0)
        if self.peek()[0] != "eof":
            raise SyntaxError("trailing input")
        return e

    def expr(self, min_prec):
        if self.peek() == ("op", "if"):
            self.next()
            test = self.expr(0)
            self.expect("then")
            then = self.expr(0)
            self.expect("else")
            other = self.expr(0)
            return Cond(test, then, other)
        left = self.unary()
        while True:
            kind, val = self.peek()
            if kind != "op" or val not in BINARY:
                return left
            prec, right_assoc = BINARY[val]
            if prec < min_prec:
                return left
            self.next()
            right = self.expr(prec if right_assoc else prec + 1)
            left = BinOp(val, left, right)

    def unary(self):
        kind, val = self.peek()
        if kind == "op" and val in ("-", "not"):
            self.next()
            return UnaryOp(val, self.unary())
        return self.atom()

    def atom(self):
        kind, val = self.next()
        if kind == "num":
            return Num(val)
        if kind == "name":
            if self.peek() == ("op", "("):
                self.next()
                args = []
                if self.peek() != ("op", ")"):
                    args.append(self.expr(0))
                    while self.peek() == ("op", ","):
                        self.next()
                        args.append(self.expr(0))
                self.expect(")")
                return Call(val, args)
            return Var(val)
        if val == "(":
            e = self.expr(0)
            self.expect(")")
            return e
        raise SyntaxError("unexpected %r" % (val,))


class Visitor(object):
    def visit(self, node):
        return getattr(self, "visit_" + type(node).__name__)(node)


def idiv(a, b):
    if b == 0:
        return 0
    q = abs(a) // abs(b)
    return q if (a >= 0) == (b >= 0) else -q


def imod(a, b):
    if b == 0:
        return 0
    return a - b * idiv(a, b)


ARITH = {
    "+": lambda a, b: a + b,
    "-": lambda a, b: a - b,
    "*": lambda a, b: (a * b) % 1000000007,
    "/": idiv,
    "%": imod,
    "^": lambda a, b: pow(a, b % 8, 1000003) if b >= 0 else 0,
    "==": lambda a, b: int(a == b),
    "!=": lambda a, b: int(a != b),
    "<": lambda a, b: int(a < b),
    "<=": lambda a, b: int(a <= b),
    ">": lambda a, b: int(a > b),
    ">=": lambda a, b: int(a >= b),
}

FUNCS = {
    "max": lambda *a: max(a),
    "min": lambda *a: min(a),
    "abs": lambda a: abs(a),
    "clamp": lambda x, lo, hi: lo if x < lo else (hi if x > hi else x),
    "sq": lambda a: a * a,
}


class Evaluator(Visitor):
    def __init__(self, env):
        self.env = env
        self.calls = 0

    def visit_Num(self, node):
        return node.value

    def visit_Var(self, node):
        return self.env[node.name]

    def visit_UnaryOp(self, node):
        v = self.visit(node.operand)
        if node.op == "-":
            return -v
        return int(not v)

    def visit_BinOp(self, node):
        op = node.op
        left = self.visit(node.left)
        if op == "and":
            return self.visit(node.right) if left else 0
        if op == "or":
            return left if left else self.visit(node.right)
        return ARITH[op](left, self.visit(node.right))

    def visit_Call(self, node):
        self.calls += 1
        return FUNCS[node.func](*[self.visit(a) for a in node.args])

    def visit_Cond(self, node):
        if self.visit(node.test):
            return self.visit(node.then)
        return self.visit(node.other)


class Folder(Visitor):
    """Rebuilds the tree, replacing constant subtrees by Num nodes."""

    def __init__(self):
        self.folded = 0

    def visit_Num(self, node):
        return node

    def visit_Var(self, node):
        return node

    def visit_UnaryOp(self, node):
        operand = self.visit(node.operand)
        if isinstance(operand, Num):
            self.folded += 1
            return Num(-operand.value if node.op == "-" else int(not operand.value))
        return UnaryOp(node.op, operand)

    def visit_BinOp(self, node):
        left = self.visit(node.left)
        right = self.visit(node.right)
        if isinstance(left, Num) and isinstance(right, Num):
            self.folded += 1
            return Num(Evaluator({}).visit(BinOp(node.op, left, right)))
        if node.op == "+" and isinstance(right, Num) and right.value == 0:
            return left
        if node.op == "-" and isinstance(right, Num) and right.value == 0:
            return left
        return BinOp(node.op, left, right)

    def visit_Call(self, node):
        args = [self.visit(a) for a in node.args]
        if all(isinstance(a, Num) for a in args):
            self.folded += 1
            return Num(FUNCS[node.func](*[a.value for a in args]))
        return Call(node.func, args)

    def visit_Cond(self, node):
        test = self.visit(node.test)
        if isinstance(test, Num):
            self.folded += 1
            return self.visit(node.then) if test.value else self.visit(node.other)
        return Cond(test, self.visit(node.then), self.visit(node.other))


class Printer(Visitor):
    def visit_Num(self, node):
        if node.value < 0:
            return "(-%d)" % -node.value
        return str(node.value)

    def visit_Var(self, node):
        return node.name

    def visit_UnaryOp(self, node):
        sep = " " if node.op == "not" else ""
        return "(%s%s%s)" % (node.op, sep, self.visit(node.operand))

    def visit_BinOp(self, node):
        return "(%s %s %s)" % (self.visit(node.left), node.op, self.visit(node.right))

    def visit_Call(self, node):
        return "%s(%s)" % (node.func, ", ".join(self.visit(a) for a in node.args))

    def visit_Cond(self, node):
        return "(if %s then %s else %s)" % (
            self.visit(node.test), self.visit(node.then), self.visit(node.other))


VARS = ["a", "b", "c", "x", "y", "z", "width", "height"]
GEN_OPS = ["+", "-", "*", "/", "%", "^", "<", ">=", "==", "!=", "and", "or"]


class Gen(object):
    def __init__(self, seed):
        self.x = seed

    def rnd(self, k):
        self.x = (self.x * 1103515245 + 12345) & 0x7FFFFFFF
        return (self.x >> 7) % k

    def expr(self, depth):
        r = self.rnd(12)
        if depth <= 0 or r < 2:
            if self.rnd(3) == 0:
                return str(self.rnd(50))
            return VARS[self.rnd(len(VARS))]
        if r < 7:
            op = GEN_OPS[self.rnd(len(GEN_OPS))]
            return "%s %s %s" % (self.expr(depth - 1), op, self.expr(depth - 1))
        if r == 7:
            return "(%s)" % self.expr(depth - 1)
        if r == 8:
            return "-" + self.expr(depth - 1) if self.rnd(2) else "not " + self.expr(depth - 1)
        if r == 9:
            f = ["max", "min", "clamp", "abs", "sq"][self.rnd(5)]
            nargs = {"max": 2 + self.rnd(2), "min": 2, "clamp": 3, "abs": 1, "sq": 1}[f]
            return "%s(%s)" % (f, ", ".join(self.expr(depth - 1) for _ in range(nargs)))
        if r == 10:
            return "(if %s then %s else %s)" % (
                self.expr(depth - 1), self.expr(depth - 1), self.expr(depth - 1))
        return "(%d %s %d)" % (self.rnd(20), GEN_OPS[self.rnd(6)], 1 + self.rnd(9))


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 380
    gen = Gen(2024)
    sources = [gen.expr(6) for _ in range(n)]
    trees = [Parser(s).parse() for s in sources]
    folder = Folder()
    folded = [folder.visit(t) for t in trees]
    printer = Printer()
    # printing and re-parsing the folded tree must be a fixed point
    reparsed_ok = 0
    for t in folded:
        text = printer.visit(t)
        if printer.visit(Parser(text).parse()) == text:
            reparsed_ok += 1
    total = 0
    calls = 0
    mismatches = 0
    for k in range(40):
        env = {}
        for i, v in enumerate(VARS):
            env[v] = (k * 7 + i * 13) % 23 - 9
        ev = Evaluator(env)
        for t, f in zip(trees, folded):
            r1 = ev.visit(t)
            r2 = ev.visit(f)
            if r1 != r2:
                mismatches += 1
            total = (total * 31 + r1) % 1000000007
        calls += ev.calls
    src_len = sum(len(s) for s in sources)
    print("expr_eval n=%d srclen=%d folded=%d reparsed=%d calls=%d mismatches=%d checksum=%d" % (
        n, src_len, folder.folded, reparsed_ok, calls, mismatches, total))


if __name__ == "__main__":
    main()
