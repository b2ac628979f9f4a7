"""Hand-written lexer for a small C-like language over generated source text.

Stresses: char-by-char scanning with str indexing, str.isalpha/isdigit/isalnum,
`in` on short strings, slicing, small Token class allocation, dict lookups for
keywords and operators, line/column bookkeeping, escape handling in strings.
"""
import sys

KEYWORDS = {
    "fn": "FN", "let": "LET", "if": "IF", "else": "ELSE", "while": "WHILE",
    "return": "RETURN", "for": "FOR", "in": "IN", "true": "TRUE",
    "false": "FALSE", "nil": "NIL", "struct": "STRUCT", "break": "BREAK",
}

OPS3 = {"<<=": "SHLEQ", ">>=": "SHREQ", "...": "ELLIPSIS", "**=": "POWEQ"}
OPS2 = {"==": "EQ", "!=": "NE", "<=": "LE", ">=": "GE", "&&": "AND", "||": "OR",
        "->": "ARROW", "+=": "PLUSEQ", "-=": "MINUSEQ", "*=": "STAREQ",
        "<<": "SHL", ">>": "SHR", "**": "POW", "..": "RANGE", "::": "PATH"}
OPS1 = {"+": "PLUS", "-": "MINUS", "*": "STAR", "/": "SLASH", "%": "PERCENT",
        "=": "ASSIGN", "<": "LT", ">": "GT", "!": "NOT", "&": "AMP", "|": "PIPE",
        "(": "LPAREN", ")": "RPAREN", "{": "LBRACE", "}": "RBRACE",
        "[": "LBRACK", "]": "RBRACK", ",": "COMMA", ";": "SEMI", ":": "COLON",
        ".": "DOT", "^": "CARET"}
OP_START = "".join(sorted(set("".join(OPS1) + "".join(OPS2) + "".join(OPS3))))
ESCAPES = {"n": "\n", "t": "\t", "\\": "\\", '"': '"', "r": "\r", "0": "\0"}


class Token(object):
    __slots__ = ("kind", "text", "value", "line", "col")

    def __init__(self, kind, text, value, line, col):
        self.kind = kind
        self.text = text
        self.value = value
        self.line = line
        self.col = col


class LexError(Exception):
    pass


class Lexer(object):
    def __init__(self, src):
        self.src = src
        self.pos = 0
        self.line = 1
        self.col = 1
        self.n = len(src)

    def advance(self, k):
        src = self.src
        for i in range(self.pos, self.pos + k):
            if src[i] == "\n":
                self.line += 1
                self.col = 1
            else:
                self.col += 1
        self.pos += k

    def skip_space_and_comments(self):
        src = self.src
        n = self.n
        while self.pos < n:
            c = src[self.pos]
            if c == "\n":
                self.pos += 1
                self.line += 1
                self.col = 1
            elif c == " " or c == "\t" or c == "\r":
                self.pos += 1
                self.col += 1
            elif c == "/" and src[self.pos + 1:self.pos + 2] == "/":
                end = src.find("\n", self.pos)
                if end < 0:
                    end = n
                self.col += end - self.pos
                self.pos = end
            elif c == "/" and src[self.pos + 1:self.pos + 2] == "*":
                end = src.find("*/", self.pos + 2)
                if end < 0:
                    raise LexError("unterminated comment at line %d" % self.line)
                self.advance(end + 2 - self.pos)
            else:
                return

    def lex_ident(self):
        src = self.src
        start = self.pos
        p = start + 1
        while p < self.n and (src[p].isalnum() or src[p] == "_"):
            p += 1
        text = src[start:p]
        kind = KEYWORDS.get(text, "IDENT")
        tok = Token(kind, text, text, self.line, self.col)
        self.col += p - start
        self.pos = p
        return tok

    def lex_number(self):
        src = self.src
        start = self.pos
        p = start
        n = self.n
        if src.startswith("0x", p):
            p += 2
            while p < n and src[p] in "0123456789abcdefABCDEF_":
                p += 1
            text = src[start:p]
            tok = Token("INT", text, int(text[2:].replace("_", ""), 16), self.line, self.col)
        else:
            while p < n and (src[p].isdigit() or src[p] == "_"):
                p += 1
            is_float = False
            if p + 1 < n and src[p] == "." and src[p + 1].isdigit():
                is_float = True
                p += 1
                while p < n and src[p].isdigit():
                    p += 1
            if p < n and src[p] in "eE":
                q = p + 1
                if q < n and src[q] in "+-":
                    q += 1
                if q < n and src[q].isdigit():
                    is_float = True
                    p = q
                    while p < n and src[p].isdigit():
                        p += 1
            text = src[start:p]
            clean = text.replace("_", "")
            if is_float:
                tok = Token("FLOAT", text, float(clean), self.line, self.col)
            else:
                tok = Token("INT", text, int(clean), self.line, self.col)
        self.col += p - start
        self.pos = p
        return tok

    def lex_string(self):
        src = self.src
        start = self.pos
        p = start + 1
        parts = []
        while True:
            if p >= self.n or src[p] == "\n":
                raise LexError("unterminated string at line %d" % self.line)
            c = src[p]
            if c == '"':
                p += 1
                break
            if c == "\\":
                e = src[p + 1]
                if e in ESCAPES:
                    parts.append(ESCAPES[e])
                    p += 2
                elif e == "u":
                    parts.append(chr(int(src[p + 2:p + 6], 16)))
                    p += 6
                else:
                    raise LexError("bad escape \\%s" % e)
            else:
                parts.append(c)
                p += 1
        text = src[start:p]
        tok = Token("STRING", text, "".join(parts), self.line, self.col)
        self.col += p - start
        self.pos = p
        return tok

    def lex_op(self):
        src = self.src
        p = self.pos
        for table, width in ((OPS3, 3), (OPS2, 2), (OPS1, 1)):
            text = src[p:p + width]
            kind = table.get(text)
            if kind is not None:
                tok = Token(kind, text, None, self.line, self.col)
                self.pos += width
                self.col += width
                return tok
        raise LexError("bad char %r at %d:%d" % (src[p], self.line, self.col))

    def tokens(self):
        out = []
        src = self.src
        while True:
            self.skip_space_and_comments()
            if self.pos >= self.n:
                out.append(Token("EOF", "", None, self.line, self.col))
                return out
            c = src[self.pos]
            if c.isalpha() or c == "_":
                out.append(self.lex_ident())
            elif c.isdigit():
                out.append(self.lex_number())
            elif c == '"':
                out.append(self.lex_string())
            elif c in OP_START:
                out.append(self.lex_op())
            else:
                raise LexError("unexpected %r" % c)


NAMES = ["count", "total", "buf", "node", "left", "right", "acc", "idx", "item",
         "value", "key", "head", "tail", "size", "tmp", "x", "y", "zeta"]
BINOPS = ["+", "-", "*", "/", "%", "==", "!=", "<=", ">=", "&&", "||", "<<",
          ">>", "**", "<", ">", "&", "|", "^"]
STRS = ['"hello\\n"', '"tab\\there"', '"quote \\"x\\""', '"uni \\u00e9t\\u00e9"',
        '"plain text, with commas"', '"back\\\\slash"']


def gen_source(nlines, seed):
    x = seed
    lines = []
    depth = 0
    for i in range(nlines):
        x = (x * 1103515245 + 12345) & 0x7FFFFFFF
        r = (x >> 8) % 16
        ind = "    " * depth
        a = NAMES[(x >> 3) % len(NAMES)]
        b = NAMES[(x >> 11) % len(NAMES)]
        op = BINOPS[(x >> 15) % len(BINOPS)]
        num = (x >> 5) % 100000
        if r == 0 and depth < 4:
            lines.append("%sfn %s_%d(%s, %s) -> int {" % (ind, a, i, a, b))
            depth += 1
        elif r == 1 and depth < 4:
            lines.append("%sif %s %s %d {" % (ind, a, op, num))
            depth += 1
        elif r == 2 and depth < 4:
            lines.append("%swhile %s < %d.%d {" % (ind, b, num, x % 97))
            depth += 1
        elif r == 3 and depth > 0:
            depth -= 1
            lines.append("    " * depth + "}")
        elif r == 4:
            lines.append("%s// comment %d about %s and %s" % (ind, i, a, b))
        elif r == 5:
            lines.append("%slet %s = %s;" % (ind, a, STRS[x % len(STRS)]))
        elif r == 6:
            lines.append("%s%s <<= 0x%X; /* shift %d */" % (ind, a, num, i))
        elif r == 7:
            lines.append("%sreturn %s(%s, %d.5e-3, [1, 2, 3]);" % (ind, a, b, num))
        elif r == 8:
            lines.append("%sfor %s in 0..%d { %s += %s; }" % (ind, a, num, b, a))
        else:
            lines.append("%slet %s = %s %s %s * (%d - %s.%s);" % (
                ind, a, b, op, a, num, b, a))
    while depth > 0:
        depth -= 1
        lines.append("    " * depth + "}")
    return "\n".join(lines) + "\n"


def summarize(toks):
    kinds = {}
    idents = {}
    int_sum = 0
    float_sum = 0.0
    str_chars = 0
    max_col = 0
    for t in toks:
        kinds[t.kind] = kinds.get(t.kind, 0) + 1
        k = t.kind
        if k == "IDENT":
            idents[t.value] = idents.get(t.value, 0) + 1
        elif k == "INT":
            int_sum += t.value
        elif k == "FLOAT":
            float_sum += t.value
        elif k == "STRING":
            for ch in t.value:
                str_chars += ord(ch)
        if t.col > max_col:
            max_col = t.col
    return kinds, idents, int_sum, float_sum, str_chars, max_col


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10000
    src = gen_source(n, 12345)
    toks = Lexer(src).tokens()
    kinds, idents, int_sum, float_sum, str_chars, max_col = summarize(toks)
    h = 0
    for t in toks:
        h = (h * 131 + t.line * 7 + t.col + len(t.text)) % 1000000007
    top = sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0]))[:6]
    top_id = sorted(idents.items(), key=lambda kv: (-kv[1], kv[0]))[0]
    print("tokenizer n=%d tokens=%d lines=%d kinds=%d top=%s id=%s:%d ints=%d floats=%.6f str=%d col=%d h=%d" % (
        n, len(toks), toks[-1].line, len(kinds), ",".join("%s:%d" % kv for kv in top),
        top_id[0], top_id[1], int_sum, float_sum, str_chars, max_col, h))


if __name__ == "__main__":
    main()
