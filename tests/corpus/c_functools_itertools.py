import functools, itertools, operator
print(functools.reduce(operator.add, range(3000)))
print(functools.reduce(lambda a, b: a * b, range(1, 15), 1))
pow2 = functools.partial(pow, 2)
print([pow2(i) for i in range(10)])
p = functools.partial(int, base=16)
print(p("ff"), p.keywords, p.func is int)

@functools.lru_cache(maxsize=None)
def paths(r, c):
    if r == 0 or c == 0:
        return 1
    return paths(r - 1, c) + paths(r, c - 1)
print("paths", paths(16, 16))
info = paths.cache_info()
print("cache", info.hits, info.misses, info.currsize)
paths.cache_clear()
print("cleared", paths.cache_info().currsize)

@functools.lru_cache(maxsize=2)
def sq(x):
    return x * x
for i in range(3000):
    sq(i % 3)
print("lru2", sq.cache_info().hits, sq.cache_info().misses)

print(list(itertools.chain([1, 2], (3,), "ab")))
print(list(itertools.accumulate([1, 2, 3, 4, 5])), list(itertools.accumulate([3, 1, 4, 1, 5], max)))
print(list(itertools.combinations("abcd", 2)))
print(list(itertools.permutations([1, 2, 3]))[:4])
print(list(itertools.product("ab", repeat=2)))
print([(k, len(list(g))) for k, g in itertools.groupby("aaabbcaa")])
print(list(itertools.islice(itertools.count(10, 3), 5)), list(itertools.repeat("x", 3)))
print(list(itertools.zip_longest([1, 2, 3], "ab", fillvalue="-")))
print(list(itertools.takewhile(lambda x: x < 4, range(10))), list(itertools.dropwhile(lambda x: x < 7, range(10))))
print(list(itertools.starmap(operator.mul, [(2, 3), (4, 5)])), list(itertools.compress("abcdef", [1, 0, 1, 0, 1, 1])))
print(list(itertools.pairwise(range(5))), list(itertools.filterfalse(lambda x: x % 2, range(8))))
cyc = itertools.cycle("xyz")
print("".join(next(cyc) for _ in range(3000))[-6:])
a, b = itertools.tee(range(4))
print(list(a), list(b))
t = 0
for x, y in itertools.product(range(60), range(50)):
    t += x ^ y
print("product xor", t)
@functools.singledispatch
def kind(x): return "obj"
@kind.register
def _(x: int): return "int"
@kind.register(list)
def _(x): return "list"
print(kind(1), kind([]), kind("s"))
print(sorted([3, 1, 2], key=functools.cmp_to_key(lambda a, b: b - a)))
