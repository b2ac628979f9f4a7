# Ends with an uncaught exception raised inside a generator consumed by a for-loop (exit 1).
def produce(n):
    for i in range(n):
        if i == 2500:
            raise LookupError("generator gave up at %d" % i)
        yield i * i

total = 0
for v in produce(3000):
    total += v
    if v % 1000 == 0:
        print("seen", v, total)
print("unreachable", total)
