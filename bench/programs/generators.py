"""Generator pipeline: chained generator functions, generator expressions,
yield from, sum()/any() over generators, zip() of generators.

Stresses: generator creation, frame suspend/resume, for-loops over iterators,
the iterator protocol across builtins.
"""
import sys


def numbers(n):
    i = 0
    while i < n:
        yield i
        i += 1


def scale(src, k):
    for x in src:
        yield x * k


def keep_odd_digits(src):
    for x in src:
        if (x // 10) % 2:
            yield x


def windows(src, size):
    buf = []
    for x in src:
        buf.append(x)
        if len(buf) == size:
            yield tuple(buf)
            del buf[0]


def flatten(chunks):
    for chunk in chunks:
        yield from chunk


def collatz_len(x):
    steps = 0
    while x != 1:
        if x & 1:
            x = 3 * x + 1
        else:
            x >>= 1
        steps += 1
        yield x


def run(n):
    pipeline = windows(keep_odd_digits(scale(numbers(n), 3)), 3)
    total = 0
    count = 0
    for a, b, c in pipeline:
        total += a - 2 * b + c * 3
        count += 1
    squares = sum(x * x for x in numbers(n // 2) if x % 3 != 1)
    flat = sum(flatten(range(k % 7) for k in range(n // 8)))
    pairs = 0
    for x, y in zip(numbers(n // 4), scale(numbers(n // 4), 2)):
        pairs += (x ^ y) & 0xFF
    steps = 0
    peak = 0
    for start in range(1, n // 100 + 2):
        for v in collatz_len(start):
            steps += 1
            if v > peak:
                peak = v
    return total, count, squares, flat, pairs, steps, peak


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 500000
    res = run(n)
    print("generators n=%d %s" % (n, " ".join(str(v) for v in res)))


if __name__ == "__main__":
    main()
