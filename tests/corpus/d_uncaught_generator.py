def gen(n):
    for i in range(n):
        if i == 2500:
            raise LookupError("generator broke at %d" % i)
        yield i
total = 0
for v in gen(3000):
    total += v
print(total)
