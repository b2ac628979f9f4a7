"""Tiny template engine: parse {{ }} / {% %} templates, render pages from context data.

Stresses: str.find/slicing/split/strip while parsing, a node tree of small
classes with a render() method per class, dotted-name lookup through dicts and
object attributes (getattr), filter functions in a dict, HTML escaping with
str.replace, output built with list.append + "".join, nested scopes as dicts.
"""
import sys


class TemplateError(Exception):
    pass


def html_escape(s):
    return (s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;").replace("'", "&#39;"))


def f_truncate(v, n="20"):
    n = int(n)
    return v if len(v) <= n else v[:n - 3].rstrip() + "..."


def f_join(v, sep=", "):
    return sep.join(str(x) for x in v)


FILTERS = {
    "upper": lambda v: str(v).upper(),
    "lower": lambda v: str(v).lower(),
    "title": lambda v: str(v).title(),
    "truncate": lambda v, n="20": f_truncate(str(v), n),
    "join": f_join,
    "length": lambda v: len(v),
    "default": lambda v, d="": d if v is None or v == "" else v,
    "money": lambda v: "%d.%02d" % divmod(v, 100),
    "safe": lambda v: v,
}


class Missing(object):
    pass


MISSING = Missing()


def lookup(path, scope):
    names = path.split(".")
    v = scope.get(names[0], MISSING)
    if v is MISSING:
        return None
    for name in names[1:]:
        if isinstance(v, dict):
            v = v.get(name)
        else:
            v = getattr(v, name, None)
        if v is None:
            return None
    return v


class Text(object):
    def __init__(self, text):
        self.text = text

    def render(self, scope, out):
        out.append(self.text)


class Var(object):
    def __init__(self, source):
        parts = [p.strip() for p in source.split("|")]
        self.path = parts[0]
        self.filters = []
        self.safe = False
        for p in parts[1:]:
            if ":" in p:
                name, arg = p.split(":", 1)
                args = (arg.strip().strip('"'),)
            else:
                name, args = p, ()
            if name not in FILTERS:
                raise TemplateError("unknown filter %s" % name)
            if name == "safe":
                self.safe = True
            self.filters.append((FILTERS[name], args))

    def render(self, scope, out):
        v = lookup(self.path, scope)
        for fn, args in self.filters:
            v = fn(v, *args)
        s = "" if v is None else str(v)
        out.append(s if self.safe else html_escape(s))


class For(object):
    def __init__(self, header, body):
        words = header.split()
        if len(words) != 3 or words[1] != "in":
            raise TemplateError("bad for: %s" % header)
        self.var = words[0]
        self.path = words[2]
        self.body = body

    def render(self, scope, out):
        items = lookup(self.path, scope) or []
        inner = dict(scope)
        n = len(items)
        for i, item in enumerate(items):
            inner[self.var] = item
            inner["loop"] = {"index": i + 1, "first": i == 0, "last": i == n - 1}
            for node in self.body:
                node.render(inner, out)


class If(object):
    def __init__(self, cond, body, orelse):
        words = cond.split()
        self.negate = words[0] == "not"
        if self.negate:
            words = words[1:]
        self.path = words[0]
        self.op = words[1] if len(words) > 1 else None
        self.rhs = words[2] if len(words) > 2 else None
        self.body = body
        self.orelse = orelse

    def test(self, scope):
        v = lookup(self.path, scope)
        if self.op is None:
            r = bool(v)
        else:
            rhs = self.rhs
            if rhs.isdigit():
                rhs = int(rhs)
            elif rhs[0] == '"':
                rhs = rhs.strip('"')
            else:
                rhs = lookup(rhs, scope)
            if self.op == "==":
                r = v == rhs
            elif self.op == "!=":
                r = v != rhs
            elif self.op == ">":
                r = v is not None and v > rhs
            elif self.op == "<":
                r = v is not None and v < rhs
            else:
                raise TemplateError("bad op %s" % self.op)
        return not r if self.negate else r

    def render(self, scope, out):
        for node in (self.body if self.test(scope) else self.orelse):
            node.render(scope, out)


def tokenize(src):
    toks = []
    pos = 0
    while True:
        a = src.find("{{", pos)
        b = src.find("{%", pos)
        if a < 0 and b < 0:
            if pos < len(src):
                toks.append(("text", src[pos:]))
            return toks
        start = a if b < 0 or (0 <= a < b) else b
        if start > pos:
            toks.append(("text", src[pos:start]))
        if start == a:
            end = src.find("}}", start)
            toks.append(("var", src[start + 2:end].strip()))
        else:
            end = src.find("%}", start)
            toks.append(("tag", src[start + 2:end].strip()))
        if end < 0:
            raise TemplateError("unclosed tag at %d" % start)
        pos = end + 2


def parse(toks, i, stop):
    nodes = []
    while i < len(toks):
        kind, val = toks[i]
        if kind == "text":
            nodes.append(Text(val))
        elif kind == "var":
            nodes.append(Var(val))
        else:
            word = val.split(None, 1)[0]
            rest = val[len(word):].strip()
            if word in stop:
                return nodes, i, word
            if word == "for":
                body, i, _ = parse(toks, i + 1, ("endfor",))
                nodes.append(For(rest, body))
            elif word == "if":
                body, i, end = parse(toks, i + 1, ("else", "endif"))
                orelse = []
                if end == "else":
                    orelse, i, _ = parse(toks, i + 1, ("endif",))
                nodes.append(If(rest, body, orelse))
            else:
                raise TemplateError("unknown tag %s" % word)
        i += 1
    if stop:
        raise TemplateError("missing %s" % "/".join(stop))
    return nodes, i, None


def compile_template(src):
    nodes, _, _ = parse(tokenize(src), 0, ())
    return nodes


def render(nodes, ctx):
    out = []
    for node in nodes:
        node.render(ctx, out)
    return "".join(out)


PAGE = """<html><head><title>{{ site.name | title }} - {{ page.title | upper }}</title></head>
<body>
<h1>{{ page.title }}</h1>
{% if user %}<p>Welcome back, {{ user.name | title }}!{% if user.admin %} [admin]{% endif %}</p>
{% else %}<p>Please log in.</p>{% endif %}
<ul class="products">
{% for p in products %}  <li class="{% if loop.first %}first{% else %}item{% endif %}">
    <a href="/p/{{ p.sku }}">{{ p.name | truncate:24 }}</a> ${{ p.price | money }}
    {% if p.stock == 0 %}<b>sold out</b>{% else %}{{ p.stock }} left{% endif %}
    tags: {{ p.tags | join:" / " }} {% if p.note %}<i>{{ p.note }}</i>{% endif %}
  </li>
{% endfor %}</ul>
<p>{{ products | length }} products, footer: {{ site.footer | default:"(none)" }}</p>
</body></html>
"""

ROW = """{% for o in orders %}<tr><td>{{ loop.index }}</td><td>{{ o.customer.name | upper }}</td>\
<td>{{ o.items | join }}</td><td>{{ o.total | money }}</td>\
<td>{% if o.total > 5000 %}big{% else %}small{% endif %}</td></tr>
{% endfor %}"""

EMAIL = """Dear {{ name | title }},
{% if not paid %}Your invoice #{{ invoice }} is overdue.{% else %}Thanks for paying #{{ invoice }}.{% endif %}
{% for line in lines %} - {{ line.desc | truncate:30 }}: {{ line.cents | money }}
{% endfor %}Regards, {{ sender | default:"The Team" }}
"""


class Customer(object):
    def __init__(self, name, email):
        self.name = name
        self.email = email


WORDS = ["deluxe", "tiny", "smart", "<b>bold</b>", "eco", "rock & roll", "turbo",
         "o'clock", "widget", "lamp", "chair", "\"quoted\"", "kettle", "cable"]


def make_products(seed, count):
    x = seed
    out = []
    for i in range(count):
        x = (x * 1103515245 + 12345) & 0x7FFFFFFF
        name = " ".join(WORDS[(x >> s) % len(WORDS)] for s in (3, 7, 11, 15))
        out.append({"sku": "SKU%05d" % (x % 100000), "name": name, "price": x % 20000,
                    "stock": (x >> 5) % 4, "tags": [WORDS[(x >> s) % 5] for s in range((x >> 9) % 4)],
                    "note": "limited" if x % 5 == 0 else ""})
    return out


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 480
    page = compile_template(PAGE)
    rows = compile_template(ROW)
    email = compile_template(EMAIL)
    customers = [Customer("cust%d o'hara" % i, "c%d@x.org" % i) for i in range(10)]
    total_len = 0
    h = 0
    for k in range(n):
        products = make_products(k, 12 + k % 7)
        ctx = {"site": {"name": "the shop & co", "footer": "" if k % 2 else "(c) shop"},
               "page": {"title": "catalog page %d" % k},
               "user": {"name": "ann lee", "admin": k % 3 == 0} if k % 4 else None,
               "products": products}
        html = render(page, ctx)
        orders = [{"customer": customers[(k + j) % 10], "items": [p["sku"] for p in products[j:j + 3]],
                   "total": products[j]["price"]} for j in range(len(products))]
        table = render(rows, {"orders": orders})
        mail = render(email, {"name": "dr. who %d" % k, "paid": k % 3 == 0, "invoice": 1000 + k,
                              "lines": [{"desc": p["name"], "cents": p["price"]} for p in products],
                              "sender": None})
        for text in (html, table, mail):
            total_len += len(text)
            h = (h * 1000003 + len(text) * 31 + text.count("&") * 7 + text.count("<b>")) % 1000000007
    # reparsing cost: compile fresh templates too
    recompiled = 0
    for k in range(n):
        recompiled += len(compile_template(PAGE + ROW * (1 + k % 3) + EMAIL))
    print("template_render n=%d bytes=%d nodes=%d h=%d last=%s" % (
        n, total_len, recompiled, h, mail.splitlines()[-2].strip()))


if __name__ == "__main__":
    main()
