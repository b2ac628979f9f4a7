"""Exceptions as control flow, the way everyday Python uses them.

Stresses: try/except in hot loops (EAFP dict counting with KeyError, int() parsing with
ValueError, a custom exception to leave a recursive search, StopIteration from next(),
try/finally bookkeeping), exception objects with arguments, isinstance-free matching.
"""
import sys


class Found(Exception):
    pass


def count(words):
    d = {}
    for w in words:
        try:
            d[w] += 1
        except KeyError:
            d[w] = 1
    return d


def parse(tokens):
    total = bad = 0
    for t in tokens:
        try:
            total += int(t)
        except ValueError:
            bad += 1
    return total, bad


def search(node, target, depth):
    # Leaves the recursion with an exception once the target is found.
    if node == target:
        raise Found(depth)
    if depth < 12:
        search(node * 2, target, depth + 1)
        search(node * 2 + 1, target, depth + 1)


def find_all(targets):
    acc = 0
    for t in targets:
        try:
            search(1, t, 0)
        except Found as f:
            acc += f.args[0]
    return acc


def drain(n):
    acc = 0
    opened = closed = 0
    for i in range(n):
        it = iter((i, i + 1))
        try:
            opened += 1
            while True:
                acc += next(it)
        except StopIteration:
            pass
        finally:
            closed += 1
    return acc, opened - closed


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 60000
    words = ["w%d" % (i * 7919 % (n // 10 + 1)) for i in range(n)]
    d = count(words)
    tokens = [str(i) if i % 3 else "x%d" % i for i in range(n)]
    total, bad = parse(tokens)
    found = find_all([(i * 37) % 2000 + 1 for i in range(n // 300)])
    drained, unbalanced = drain(n)
    checksum = (len(d) * 31 + sum(d.values()) + total + bad + found + drained + unbalanced) % 1000000007
    print("exceptions n=%d checksum=%d" % (n, checksum))


if __name__ == "__main__":
    main()
