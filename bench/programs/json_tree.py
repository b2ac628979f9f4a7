"""JSON-like document processing: build records, encode, parse back, transform.

Stresses: nested dict/list construction, isinstance dispatch in a recursive
encoder, string escaping char by char, a recursive-descent parser over a str
(indexing, slicing, find, int()/float() conversion), tree walks that rename
keys and filter lists, one round trip through the json module.
"""
import json
import sys

FIRST = ["Ada", "Bo", "Chlo\u00e9", "Dmitri", "Eve", "Farid", "G\u00fcl", "Hiro",
         "Ines", "Jon \"JJ\"", "Kai", "Lena"]
LAST = ["Smith", "O'Neil", "Nakamura", "Garc\u00eda", "Ng", "Back\\slash", "Tab\tby"]
ITEMS = ["widget", "gadget", "doohickey", "sprocket", "gizmo", "thingamajig"]
CITIES = ["Oslo", "Lima", "Pune", "Kyiv", "Perth", "Quito", "Accra"]


class Rng(object):
    def __init__(self, seed):
        self.x = seed

    def next(self, k):
        self.x = (self.x * 6364136223846793005 + 1442695040888963407) & 0xFFFFFFFFFFFFFFFF
        return (self.x >> 33) % k


def make_user(rng, uid):
    orders = []
    for j in range(rng.next(6)):
        lines = []
        for _ in range(1 + rng.next(4)):
            lines.append({"sku": ITEMS[rng.next(len(ITEMS))], "qty": 1 + rng.next(5),
                          "price": rng.next(10000) / 100.0})
        orders.append({"id": uid * 100 + j, "lines": lines, "paid": rng.next(3) != 0,
                       "coupon": None if rng.next(4) else "SAVE%d" % rng.next(50)})
    return {
        "id": uid,
        "name": "%s %s" % (FIRST[rng.next(len(FIRST))], LAST[rng.next(len(LAST))]),
        "age": 18 + rng.next(60),
        "active": rng.next(5) != 0,
        "address": {"city": CITIES[rng.next(len(CITIES))], "zip": "%05d" % rng.next(100000),
                    "geo": [rng.next(18000) / 100.0 - 90.0, rng.next(36000) / 100.0 - 180.0]},
        "tags": ["t%d" % rng.next(20) for _ in range(rng.next(4))],
        "orders": orders,
        "note": "line1\nline2 \u2603" if uid % 7 == 0 else "",
    }


ESC = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t",
       "\b": "\\b", "\f": "\\f"}


def encode_str(s, out):
    out.append('"')
    for ch in s:
        e = ESC.get(ch)
        if e is not None:
            out.append(e)
        elif ch < " " or ch > "~":
            out.append("\\u%04x" % ord(ch))
        else:
            out.append(ch)
    out.append('"')


def encode(v, out):
    if v is None:
        out.append("null")
    elif v is True:
        out.append("true")
    elif v is False:
        out.append("false")
    elif isinstance(v, str):
        encode_str(v, out)
    elif isinstance(v, int):
        out.append(str(v))
    elif isinstance(v, float):
        out.append(repr(v))
    elif isinstance(v, dict):
        out.append("{")
        first = True
        for k, x in v.items():
            if not first:
                out.append(",")
            first = False
            encode_str(k, out)
            out.append(":")
            encode(x, out)
        out.append("}")
    elif isinstance(v, (list, tuple)):
        out.append("[")
        for i, x in enumerate(v):
            if i:
                out.append(",")
            encode(x, out)
        out.append("]")
    else:
        raise TypeError("cannot encode %r" % type(v).__name__)


def dumps(v):
    out = []
    encode(v, out)
    return "".join(out)


class ParseError(Exception):
    pass


UNESC = {'"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n",
         "r": "\r", "t": "\t"}


class Parser(object):
    def __init__(self, text):
        self.s = text
        self.i = 0

    def ws(self):
        s = self.s
        i = self.i
        while i < len(s) and s[i] in " \t\n\r":
            i += 1
        self.i = i

    def value(self):
        self.ws()
        c = self.s[self.i]
        if c == "{":
            return self.obj()
        if c == "[":
            return self.arr()
        if c == '"':
            return self.string()
        if self.s.startswith("null", self.i):
            self.i += 4
            return None
        if self.s.startswith("true", self.i):
            self.i += 4
            return True
        if self.s.startswith("false", self.i):
            self.i += 5
            return False
        return self.number()

    def obj(self):
        self.i += 1
        d = {}
        self.ws()
        if self.s[self.i] == "}":
            self.i += 1
            return d
        while True:
            self.ws()
            k = self.string()
            self.ws()
            if self.s[self.i] != ":":
                raise ParseError("expected : at %d" % self.i)
            self.i += 1
            d[k] = self.value()
            self.ws()
            c = self.s[self.i]
            self.i += 1
            if c == "}":
                return d
            if c != ",":
                raise ParseError("expected , or } at %d" % self.i)

    def arr(self):
        self.i += 1
        a = []
        self.ws()
        if self.s[self.i] == "]":
            self.i += 1
            return a
        while True:
            a.append(self.value())
            self.ws()
            c = self.s[self.i]
            self.i += 1
            if c == "]":
                return a
            if c != ",":
                raise ParseError("expected , or ] at %d" % self.i)

    def string(self):
        s = self.s
        i = self.i + 1
        parts = []
        while True:
            j = i
            while s[j] != '"' and s[j] != "\\":
                j += 1
            parts.append(s[i:j])
            if s[j] == '"':
                self.i = j + 1
                return "".join(parts)
            e = s[j + 1]
            if e == "u":
                parts.append(chr(int(s[j + 2:j + 6], 16)))
                i = j + 6
            else:
                parts.append(UNESC[e])
                i = j + 2

    def number(self):
        s = self.s
        start = self.i
        i = start
        if s[i] == "-":
            i += 1
        while i < len(s) and s[i] in "0123456789.eE+-":
            i += 1
        self.i = i
        text = s[start:i]
        if "." in text or "e" in text or "E" in text:
            return float(text)
        return int(text)


def loads(text):
    p = Parser(text)
    v = p.value()
    p.ws()
    if p.i != len(text):
        raise ParseError("trailing data")
    return v


def rename_keys(v, mapping):
    if isinstance(v, dict):
        return {mapping.get(k, k): rename_keys(x, mapping) for k, x in v.items()}
    if isinstance(v, list):
        return [rename_keys(x, mapping) for x in v]
    return v


def count_nodes(v):
    if isinstance(v, dict):
        return 1 + sum(count_nodes(x) for x in v.values())
    if isinstance(v, list):
        return 1 + sum(count_nodes(x) for x in v)
    return 1


def revenue_by_city(users):
    totals = {}
    for u in users:
        if not u["active"]:
            continue
        city = u["address"]["city"]
        for o in u["orders"]:
            if not o["paid"]:
                continue
            cents = 0
            for line in o["lines"]:
                cents += line["qty"] * int(round(line["price"] * 100))
            if o["coupon"] is not None:
                cents = cents * 9 // 10
            totals[city] = totals.get(city, 0) + cents
    return totals


def filter_users(users):
    out = []
    for u in users:
        big = [o for o in u["orders"] if len(o["lines"]) >= 3]
        if big:
            v = dict(u)
            v["orders"] = big
            v["tags"] = sorted(set(u["tags"]))
            out.append(v)
    return out


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 550
    rng = Rng(99)
    doc = {"version": 3, "generated": "bench", "users": [make_user(rng, i) for i in range(n)]}
    text = dumps(doc)
    back = loads(text)
    same = back == doc
    text2 = dumps(back)
    renamed = rename_keys(back, {"qty": "quantity", "sku": "item", "zip": "postcode"})
    nodes = count_nodes(renamed)
    rev = revenue_by_city(back["users"])
    filtered = filter_users(back["users"])
    ftext = dumps({"users": filtered})
    # stdlib round trip once; compare structurally with our parser's result
    std = json.loads(json.dumps(doc))
    std_same = std == back and json.loads(ftext) == loads(ftext)
    h = 0
    for ch in text2[::7]:
        h = (h * 131 + ord(ch)) % 1000000007
    revs = ",".join("%s:%d" % kv for kv in sorted(rev.items()))
    print("json_tree n=%d len=%d same=%s std=%s nodes=%d filtered=%d flen=%d rev=%s h=%d" % (
        n, len(text), same and text == text2, std_same, nodes, len(filtered), len(ftext), revs, h))


if __name__ == "__main__":
    main()
