"""In-memory record store ("mini ORM") running an inventory/order workload.

Stresses: classes with and without __slots__, records built from dict rows
through setattr, getattr by field name, classmethods, a chainable query object
(filter by predicates/lambdas, group-by into dicts, order-by with
sorted(key=attrgetter/lambda), limit), dict indexes maintained on update,
hash joins between tables, closures, generator expressions, str formatting.
"""
import sys
from operator import attrgetter


class Model(object):
    __slots__ = ()
    fields = ()

    @classmethod
    def from_row(cls, row):
        obj = cls()
        for f in cls.fields:
            setattr(obj, f, row[f])
        return obj

    def to_row(self):
        return dict((f, getattr(self, f)) for f in self.fields)

    def __repr__(self):
        return "%s(%s)" % (type(self).__name__,
                           ", ".join("%s=%r" % (f, getattr(self, f)) for f in self.fields))


class Product(Model):
    __slots__ = ("id", "sku", "category", "price", "weight")
    fields = __slots__


class StockItem(Model):
    __slots__ = ("id", "product_id", "warehouse_id", "qty", "reorder_level")
    fields = __slots__


class Warehouse(Model):
    # no __slots__ here: instances get a __dict__
    fields = ("id", "name", "region", "capacity")


class Order(Model):
    fields = ("id", "customer", "day", "status")

    def __init__(self):
        self.lines = []

    def total(self):
        return sum(line.qty * line.unit_price for line in self.lines)


class OrderLine(Model):
    fields = ("id", "order_id", "product_id", "qty", "unit_price")


class Table(object):
    def __init__(self, model):
        self.model = model
        self.rows = []
        self.by_id = {}
        self.indexes = {}

    def insert(self, row):
        rec = self.model.from_row(row)
        self.rows.append(rec)
        self.by_id[rec.id] = rec
        for field, index in self.indexes.items():
            index.setdefault(getattr(rec, field), []).append(rec)
        return rec

    def create_index(self, field):
        index = {}
        for rec in self.rows:
            index.setdefault(getattr(rec, field), []).append(rec)
        self.indexes[field] = index
        return index

    def lookup(self, field, value):
        index = self.indexes.get(field)
        if index is not None:
            return index.get(value, [])
        return [r for r in self.rows if getattr(r, field) == value]

    def update(self, rec, **changes):
        for field, value in changes.items():
            index = self.indexes.get(field)
            if index is not None:
                old = getattr(rec, field)
                index[old].remove(rec)
                index.setdefault(value, []).append(rec)
            setattr(rec, field, value)

    def query(self):
        return Query(self.rows)


class Query(object):
    def __init__(self, rows):
        self._rows = rows
        self._preds = []
        self._order = None
        self._reverse = False
        self._limit = None

    def where(self, pred):
        q = self._copy()
        q._preds.append(pred)
        return q

    def where_eq(self, field, value):
        return self.where(lambda r: getattr(r, field) == value)

    def where_between(self, field, lo, hi):
        return self.where(lambda r: lo <= getattr(r, field) <= hi)

    def order_by(self, key, reverse=False):
        q = self._copy()
        q._order = attrgetter(key) if isinstance(key, str) else key
        q._reverse = reverse
        return q

    def limit(self, k):
        q = self._copy()
        q._limit = k
        return q

    def _copy(self):
        q = Query(self._rows)
        q._preds = list(self._preds)
        q._order = self._order
        q._reverse = self._reverse
        q._limit = self._limit
        return q

    def all(self):
        preds = self._preds
        out = []
        for r in self._rows:
            for p in preds:
                if not p(r):
                    break
            else:
                out.append(r)
        if self._order is not None:
            out.sort(key=self._order, reverse=self._reverse)
        if self._limit is not None:
            out = out[:self._limit]
        return out

    def count(self):
        return len(self.all())

    def sum(self, field):
        return sum(getattr(r, field) for r in self.all())

    def group_by(self, field, agg):
        groups = {}
        for r in self.all():
            groups.setdefault(getattr(r, field), []).append(r)
        return dict((k, agg(v)) for k, v in groups.items())


def join(left_rows, left_field, right_table, right_field):
    index = right_table.indexes.get(right_field)
    if index is None:
        index = right_table.create_index(right_field)
    for l in left_rows:
        for r in index.get(getattr(l, left_field), ()):
            yield l, r


CATEGORIES = ("tools", "garden", "kitchen", "toys", "books", "audio", "sport")
REGIONS = ("north", "south", "east", "west")
STATUSES = ("new", "paid", "shipped", "returned")


def generate(nproducts, norders, seed):
    x = [seed]

    def rnd(k):
        x[0] = (x[0] * 1103515245 + 12345) & 0x7FFFFFFF
        return (x[0] >> 5) % k

    products = Table(Product)
    for i in range(nproducts):
        products.insert({"id": i, "sku": "SKU-%05d" % (i * 7919 % 100000),
                         "category": CATEGORIES[rnd(len(CATEGORIES))],
                         "price": 199 + rnd(20000), "weight": 1 + rnd(500)})
    warehouses = Table(Warehouse)
    for i in range(12):
        warehouses.insert({"id": i, "name": "WH%02d" % i, "region": REGIONS[i % 4],
                           "capacity": 5000 + rnd(20000)})
    stock = Table(StockItem)
    stock.create_index("product_id")
    stock.create_index("warehouse_id")
    sid = 0
    for p in products.rows:
        for k in range(1 + rnd(3)):
            stock.insert({"id": sid, "product_id": p.id, "warehouse_id": rnd(12),
                          "qty": rnd(150), "reorder_level": 10 + rnd(30)})
            sid += 1
    orders = Table(Order)
    lines = Table(OrderLine)
    lines.create_index("order_id")
    lid = 0
    for i in range(norders):
        o = orders.insert({"id": i, "customer": "c%04d" % rnd(norders // 4 + 1),
                           "day": rnd(365), "status": STATUSES[rnd(4)]})
        for k in range(1 + rnd(5)):
            pid = rnd(nproducts)
            ln = lines.insert({"id": lid, "order_id": i, "product_id": pid, "qty": 1 + rnd(6),
                               "unit_price": products.by_id[pid].price})
            o.lines.append(ln)
            lid += 1
    return products, warehouses, stock, orders, lines


def fulfil(orders, lines, stock, products):
    """Ship paid orders from the warehouse holding the most stock; returns shipped count."""
    shipped = 0
    backorders = 0
    for o in orders.query().where_eq("status", "paid").order_by("day").all():
        ok = True
        for ln in lines.lookup("order_id", o.id):
            items = sorted(stock.lookup("product_id", ln.product_id), key=lambda s: (-s.qty, s.id))
            if not items or items[0].qty < ln.qty:
                ok = False
                break
        if not ok:
            backorders += 1
            continue
        for ln in lines.lookup("order_id", o.id):
            best = max(stock.lookup("product_id", ln.product_id), key=lambda s: (s.qty, -s.id))
            stock.update(best, qty=best.qty - ln.qty)
        orders.update(o, status="shipped")
        shipped += 1
    return shipped, backorders


def restock(stock, warehouses):
    moved = 0
    low = stock.query().where(lambda s: s.qty < s.reorder_level).order_by(
        lambda s: (s.warehouse_id, s.qty, s.id)).all()
    for s in low:
        wh = warehouses.by_id[s.warehouse_id]
        amount = s.reorder_level * 2 - s.qty
        if amount > wh.capacity // 100:
            amount = wh.capacity // 100
        stock.update(s, qty=s.qty + amount)
        moved += amount
    return len(low), moved


def reports(products, warehouses, stock, orders, lines):
    out = []
    rev = {}
    for ln, p in join(lines.rows, "product_id", products, "id"):
        rev[p.category] = rev.get(p.category, 0) + ln.qty * ln.unit_price
    out.append(" ".join("%s=%d" % kv for kv in sorted(rev.items())))
    value_by_region = {}
    for s, w in join(stock.rows, "warehouse_id", warehouses, "id"):
        p = products.by_id[s.product_id]
        value_by_region[w.region] = value_by_region.get(w.region, 0) + s.qty * p.price
    out.append(" ".join("%s=%d" % kv for kv in sorted(value_by_region.items())))
    counts = orders.query().group_by("status", len)
    out.append(" ".join("%s=%d" % kv for kv in sorted(counts.items())))
    heavy = products.query().where_eq("category", "tools").where_between("weight", 100, 400) \
        .order_by("price", reverse=True).limit(5).all()
    out.append(",".join(p.sku for p in heavy))
    spend = {}
    for o in orders.query().where(lambda o: o.status != "returned").all():
        spend[o.customer] = spend.get(o.customer, 0) + o.total()
    top = sorted(spend.items(), key=lambda kv: (-kv[1], kv[0]))[:3]
    out.append(",".join("%s:%d" % kv for kv in top))
    avg_price = products.query().group_by("category", lambda ps: sum(p.price for p in ps) // len(ps))
    out.append(" ".join("%s=%d" % kv for kv in sorted(avg_price.items())))
    sample = stock.by_id[len(stock.rows) // 2]
    out.append(repr(sample) + repr(sorted(warehouses.by_id[3].to_row().items())))
    return out


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 5500
    products, warehouses, stock, orders, lines = generate(n // 3, n, 2718)
    products.create_index("category")
    total_shipped = total_back = total_low = total_moved = 0
    h = 0
    text = []
    for rnd in range(6):
        shipped, back = fulfil(orders, lines, stock, products)
        low, moved = restock(stock, warehouses)
        total_shipped += shipped
        total_back += back
        total_low += low
        total_moved += moved
        # some shipped orders get paid again (re-orders) so later rounds have work
        for o in orders.query().where_eq("status", "shipped").where(lambda o: o.id % 5 == rnd % 5).all():
            orders.update(o, status="paid")
        text = reports(products, warehouses, stock, orders, lines)
        for line in text:
            for ch in line:
                h = (h * 131 + ord(ch)) & 0xFFFFFFFF
    print("inventory_orm n=%d shipped=%d back=%d low=%d moved=%d rev=[%s] h=%d" % (
        n, total_shipped, total_back, total_low, total_moved, text[0], h))


if __name__ == "__main__":
    main()
