# f-strings: format specs, conversions, nesting, = specifier, expressions, escapes.
name = "World"
pi = 3.14159265
n = 255
items = ["a", "b"]
print(f"Hello {name}!", f"{name!r}", f"{name!s:>8}", f"{name!a}", f"{'é'!a}", f"{name:*^11}", f"{name[::-1]}")
print(f"{pi:.2f} {pi:10.4f}| {pi:<10.1f}| {pi:e} {pi:.3g} {pi:%} {-pi:+.1f} {pi:08.3f}")
print(f"{n:x} {n:X} {n:#o} {n:b} {n:#010b} {n:,} {10**9:_} {n:>6d} {n:<6d}| {n:^7}| {n:+}")
width, prec = 12, 3
print(f"{pi:{width}.{prec}f}|", f"{pi:>{width}}|", f"{name:{'^'}{width}}|", f"{f'{n:x}':>5}")
print(f"{n=}", f"{pi=:.2f}", f"{name=!r}", f"{ n + 1 = }", f"{items[0]=}", f"{len(items)=}")
print(f"{{}} {{{n}}}", f"{'quoted'}", f'{"double"}', f"{items}", f"{ {'k': 1}['k'] }", f"{(lambda v: v * 2)(4)}")
print(f"{3 if n > 100 else 4}", f"{[x * 2 for x in range(3)]}", f"{'-'.join(items)}", f"{n // 16}r{n % 16}")
d = {"key": "val"}
print(f"{d['key']}", f"{d!r}", f"{len(d):03}", f"{True!s}", f"{None}", f"{1e100:.3}", f"{-0.0}", f"{2**70}")
multi = (f"a{1}"
         f"b{2}"
         "c")
print(multi, f"""tri
{name}""")
class Obj:
    def __format__(self, spec):
        return "Obj<" + spec + ">"
    def __repr__(self):
        return "Obj()"
    def __str__(self):
        return "obj-str"
o = Obj()
print(f"{o}", f"{o:abc}", f"{o!r}", f"{o!s}", f"{o!r:>8}", format(o, "x"))
import datetime
dt = datetime.date(2024, 2, 29)
print(f"{dt:%Y/%m/%d}", f"{dt}", f"{dt!r}")
nested_q = f"{f'{f"{1 + 1}"}'}"
print(nested_q)
tab = "\t"
print(f"{tab!r}", f"a{tab}b", f"{'x':{'<'}3}|")

# Hot loop with f-strings
def build(n):
    h = 0
    last = ""
    for i in range(n):
        last = f"{i:05d}|{i * 0.5:8.2f}|{i:x}|{i % 7 = }|{'odd' if i % 2 else 'even':>5}"
        h = (h * 131 + sum(map(ord, last[-6:]))) % 1000000007
    return h, last
print(build(3000))
assert f"{255:x}" == "ff" and f"{1:03}" == "001"
