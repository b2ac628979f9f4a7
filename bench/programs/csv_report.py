"""Sales report from CSV text: hand-written CSV parsing, grouping, aggregates, formatting.

Stresses: str.split/find/join, a char-by-char quoted-field state machine,
int()/float() conversion, date strings split on '-', dicts of lists keyed by
str and tuple, sorted() with key functions, sum/min/max, median via sorted,
%-formatting, str.format, f-strings, ljust/rjust/center, one pass through the
csv module on io.StringIO for cross-checking.
"""
import csv
import io
import sys

REGIONS = ["North", "South", "East", "West", "Central"]
PRODUCTS = ["Widget", "Gadget, large", 'Bolt "M8"', "Nut", "Cable, 2m", "Lamp",
            "Desk", 'Chair "Ergo", black', "Pen", "Paper"]
REPS = ["alice", "bob", "carol", "dan", "erin", "frank", "grace"]
HEADER = "id,date,region,rep,product,qty,unit_price,discount,comment"


def quote(field):
    if "," in field or '"' in field or "\n" in field:
        return '"' + field.replace('"', '""') + '"'
    return field


def generate(nrows, seed):
    x = seed
    lines = [HEADER]
    for i in range(nrows):
        x = (x * 1103515245 + 12345) & 0x7FFFFFFF
        y = 2021 + (x >> 3) % 3
        m = 1 + (x >> 6) % 12
        d = 1 + (x >> 10) % 28
        qty = 1 + (x >> 14) % 40
        price = "%d.%02d" % (1 + (x >> 4) % 300, (x >> 9) % 100)
        disc = "" if (x >> 12) % 3 else "%d" % ((x >> 7) % 25)
        comment = "" if (x >> 13) % 4 else "rush, call \"%s\" first" % REPS[x % 7]
        fields = [str(1000 + i), "%04d-%02d-%02d" % (y, m, d), REGIONS[(x >> 5) % 5],
                  REPS[(x >> 8) % 7], PRODUCTS[(x >> 11) % 10], str(qty), price, disc, comment]
        lines.append(",".join(quote(f) for f in fields))
    return "\n".join(lines) + "\n"


def parse_line(line):
    if '"' not in line:
        return line.split(",")
    fields = []
    buf = []
    i = 0
    n = len(line)
    in_quotes = False
    while i < n:
        c = line[i]
        if in_quotes:
            if c == '"':
                if i + 1 < n and line[i + 1] == '"':
                    buf.append('"')
                    i += 1
                else:
                    in_quotes = False
            else:
                buf.append(c)
        elif c == '"':
            in_quotes = True
        elif c == ",":
            fields.append("".join(buf))
            buf = []
        else:
            buf.append(c)
        i += 1
    fields.append("".join(buf))
    return fields


def parse_text(text):
    lines = text.split("\n")
    header = parse_line(lines[0])
    rows = []
    for line in lines[1:]:
        if line:
            rows.append(parse_line(line))
    return header, rows


def day_of_week(y, m, d):
    # Zeller-style congruence, 0 = Monday
    if m < 3:
        m += 12
        y -= 1
    k = y % 100
    j = y // 100
    h = (d + (13 * (m + 1)) // 5 + k + k // 4 + j // 4 + 5 * j) % 7
    return (h + 5) % 7


class Sale(object):
    __slots__ = ("id", "year", "month", "day", "weekday", "region", "rep", "product",
                 "qty", "price", "discount", "rush", "total")

    def __init__(self, rec):
        self.id = int(rec["id"])
        y, m, d = rec["date"].split("-")
        self.year, self.month, self.day = int(y), int(m), int(d)
        self.weekday = day_of_week(self.year, self.month, self.day)
        self.region = rec["region"]
        self.rep = rec["rep"].title()
        self.product = rec["product"]
        self.qty = int(rec["qty"])
        self.price = float(rec["unit_price"])
        self.discount = int(rec["discount"]) if rec["discount"] else 0
        self.rush = rec["comment"].startswith("rush")
        whole, frac = rec["unit_price"].split(".")
        cents = int(whole) * 100 + int(frac)
        self.total = self.qty * cents * (100 - self.discount) // 100 / 100.0


def group_by(sales, keyfn):
    groups = {}
    for s in sales:
        k = keyfn(s)
        lst = groups.get(k)
        if lst is None:
            groups[k] = lst = []
        lst.append(s)
    return groups


def stats(values):
    vs = sorted(values)
    n = len(vs)
    total = sum(vs)
    if n % 2:
        med = vs[n // 2]
    else:
        med = (vs[n // 2 - 1] + vs[n // 2]) / 2.0
    return {"n": n, "sum": total, "mean": total / n, "median": med, "min": vs[0], "max": vs[-1]}


DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]


def report(sales):
    out = []
    out.append("SALES REPORT".center(60, "="))
    by_region = group_by(sales, lambda s: s.region)
    out.append("%-10s %6s %14s %10s %10s" % ("region", "n", "total", "mean", "median"))
    for region in sorted(by_region):
        st = stats([s.total for s in by_region[region]])
        out.append("%-10s %6d %14.2f %10.2f %10.2f" % (
            region, st["n"], st["sum"], st["mean"], st["median"]))
    out.append("-" * 60)
    by_month = group_by(sales, lambda s: (s.year, s.month))
    for key in sorted(by_month):
        st = stats([s.qty for s in by_month[key]])
        out.append("{0:04d}-{1:02d} qty={2:>7} mean={3:8.3f} med={4:>6} range=[{5}..{6}]".format(
            key[0], key[1], st["sum"], st["mean"], st["median"], st["min"], st["max"]))
    out.append("-" * 60)
    by_rep = group_by(sales, lambda s: s.rep)
    grand = sum(s.total for s in sales)
    ranking = sorted(by_rep.items(), key=lambda kv: (-sum(s.total for s in kv[1]), kv[0]))
    for rank, (rep, lst) in enumerate(ranking, 1):
        total = sum(s.total for s in lst)
        rush = sum(1 for s in lst if s.rush)
        out.append(f"{rank:>2}. {rep:<8} {total:>14,.2f} rush={rush:<4d} share={total / grand:.4f}")
    out.append("-" * 60)
    by_prod = group_by(sales, lambda s: (s.product, s.weekday))
    best = {}
    for (prod, wd), lst in by_prod.items():
        q = sum(s.qty for s in lst)
        if prod not in best or q > best[prod][1] or (q == best[prod][1] and wd < best[prod][0]):
            best[prod] = (wd, q)
    for prod in sorted(best):
        wd, q = best[prod]
        out.append(prod.ljust(22, ".") + DAYS[wd].rjust(5) + str(q).rjust(8))
    return "\n".join(out)


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 15000
    text = generate(n, 314159)
    header, rows = parse_text(text)
    # cross-check against the csv module
    std_rows = list(csv.reader(io.StringIO(text)))
    agree = std_rows[0] == header and std_rows[1:] == rows
    sales = []
    for row in rows:
        rec = dict(zip(header, row))
        sales.append(Sale(rec))
    rep = report(sales)
    # a second report over a filtered subset (weekdays, no big discounts)
    sub = [s for s in sales if s.weekday < 5 and s.discount < 20]
    rep2 = report(sub)
    h = 0
    for line in (rep + "\n" + rep2).split("\n"):
        for ch in line[::3]:
            h = (h * 131 + ord(ch)) % 1000000007
    last = rep.split("\n")[-1].replace(" ", "_")
    print("csv_report n=%d rows=%d agree=%s sub=%d lines=%d h=%d last=%s" % (
        n, len(rows), agree, len(sub), rep.count("\n") + rep2.count("\n") + 2, h, last))


if __name__ == "__main__":
    main()
