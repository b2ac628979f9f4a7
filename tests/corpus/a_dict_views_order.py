# dict views: dynamic, set operations on keys/items, ordering after deletes, comprehensions.
d = {k: k * k for k in range(6)}
keys, vals, items = d.keys(), d.values(), d.items()
print(keys, vals, items)
d[10] = 100
del d[0]
print(list(keys), list(vals), len(items), 10 in keys, (10, 100) in items, 100 in vals)
print(sorted(keys & {1, 2, 99}), sorted(keys | {50}), sorted(keys - {1, 2}), sorted(keys ^ {1, 77}))
print(sorted(items & {(1, 1), (2, 5)}), keys == {1, 2, 3, 4, 5, 10}, keys.isdisjoint({42}))
try:
    for k in d:
        d[k + 1000] = 0
except RuntimeError:
    print("RuntimeError changed size")
d = {k: v for k, v in d.items() if k < 1000}
print(len(d), sorted(d))
order = {}
for k in ["z", "a", "m"]:
    order[k] = 1
del order["a"]
order["a"] = 2
order["z"] = 3
print(list(order), list(order.items()))
inv = {v: k for k, v in {"a": 1, "b": 2, "c": 1}.items()}
print(inv)
sq = {x: [y for y in range(x)] for x in range(4) if x != 2}
print(sq)
print({k: v for k, v in zip("abc", [1, 2, 3]) if v % 2}, dict(sorted({"b": 1, "a": 2}.items())))
nested = {"outer": {"inner": {"leaf": 1}}}
nested["outer"]["inner"]["leaf2"] = 2
print(nested, nested["outer"]["inner"].get("leaf2"))
mv = iter(d.values())
print(next(mv), next(mv))
print(list(zip(d.keys(), d.values())) == list(d.items()), type(keys).__name__, type(items).__name__)

# Hot loop: iterate items many times and rebuild
def group(n):
    g = {}
    for i in range(n):
        key = "k" + str(i % 17)
        g.setdefault(key, []).append(i)
    total = 0
    for k, v in g.items():
        total += len(v) * int(k[1:])
    return total, list(g)[:5], [len(v) for v in g.values()][:5]
print(group(3000))

def view_sum(n):
    d2 = {i: i * 2 for i in range(30)}
    s = 0
    for i in range(n // 30):
        for k, v in d2.items():
            s += k ^ v
        d2[i % 30] = d2[i % 30] + 1
    return s
print(view_sum(3000))
