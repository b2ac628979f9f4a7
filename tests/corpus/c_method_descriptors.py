"""Method calls on builtin types from hot loops: the method form of an attribute load
leaves builtin method descriptors unbound, while class methods (dict.fromkeys,
int.from_bytes), static methods (str.maketrans), instance attributes that shadow a
method, and subclasses overriding a method bind as Python says."""


class Tally(list):
    def append(self, x):
        super().append(x * 10)


class Shadow(list):
    pass


def work(n, out, sh):
    seen = set()
    d = {}
    t = Tally()
    for i in range(n):
        out.append(i)
        seen.add(i % 7)
        d.setdefault(i % 3, []).append(i)
        t.append(i)
        if i % 50 == 0:
            sh.append(i)
        keys = d.fromkeys("ab", i)
        table = "".maketrans("ab", "xy")
        v = (0).from_bytes(b"\x01\x02", "big")
    s = "a-b-c"
    parts = []
    for i in range(n):
        parts.extend(s.split("-"))
        parts.append(s.upper().lower())
    return (len(out), sorted(seen), {k: len(v) for k, v in d.items()}, t[:3], len(sh),
            out[-2:], keys, "abc".translate(table), v, len(parts), parts[:4])


for _ in range(3):
    out = []
    sh = Shadow()
    sh.append = lambda x, out=out: out.append(("shadowed", x))
    r = work(300, out, sh)
print(r)
try:
    list.append(set(), 1)
except TypeError as e:
    print("TypeError:", e)
m = [].append
print(type(m).__name__, m.__self__)
