"""Recursive tree walks with `yield from`: in-order, pre-order and level-bounded walks of
binary search trees, a generator-based merge of two sorted walks, and a walk that takes
values sent into it to prune subtrees.

Stresses: deep `yield from` chains (one generator per tree level), generator creation per
node, resumes that do little work, StopIteration return values through `yield from`.
"""
import sys


class Node:
    __slots__ = ("key", "left", "right")

    def __init__(self, key):
        self.key = key
        self.left = None
        self.right = None


def insert(root, key):
    if root is None:
        return Node(key)
    node = root
    while True:
        if key < node.key:
            if node.left is None:
                node.left = Node(key)
                return root
            node = node.left
        else:
            if node.right is None:
                node.right = Node(key)
                return root
            node = node.right


def build(n, seed):
    root = None
    x = seed
    for _ in range(n):
        x = (x * 1103515245 + 12345) & 0x7FFFFFFF
        root = insert(root, x % (n * 10))
    return root


def in_order(node):
    if node is not None:
        yield from in_order(node.left)
        yield node.key
        yield from in_order(node.right)


def pre_order(node, depth=0):
    if node is not None:
        yield depth, node.key
        yield from pre_order(node.left, depth + 1)
        yield from pre_order(node.right, depth + 1)


def count_nodes(node):
    """Returns its count through StopIteration.value while yielding nothing but leaves."""
    if node is None:
        return 0
    if node.left is None and node.right is None:
        yield node.key
    left = yield from count_nodes(node.left)
    right = yield from count_nodes(node.right)
    return left + right + 1


def pruned(node):
    """Yields keys in order; a truthy value sent back skips the node's right subtree."""
    if node is None:
        return
    yield from pruned(node.left)
    skip = yield node.key
    if not skip:
        yield from pruned(node.right)


def merge(a, b):
    x = next(a, None)
    y = next(b, None)
    while x is not None and y is not None:
        if x <= y:
            yield x
            x = next(a, None)
        else:
            yield y
            y = next(b, None)
    while x is not None:
        yield x
        x = next(a, None)
    while y is not None:
        yield y
        y = next(b, None)


def run(n):
    t1 = build(n, 7)
    t2 = build(n // 2, 11)
    total = 0
    for k in in_order(t1):
        total = (total * 31 + k) & 0xFFFFFFFF
    deepest = 0
    weighted = 0
    for depth, k in pre_order(t2):
        if depth > deepest:
            deepest = depth
        weighted += depth * (k & 15)
    leaves = 0
    walker = count_nodes(t1)
    try:
        while True:
            next(walker)
            leaves += 1
    except StopIteration as stop:
        nodes = stop.value
    merged = 0
    last = -1
    ordered = True
    for k in merge(in_order(t1), in_order(t2)):
        merged += 1
        ordered = ordered and k >= last
        last = k
    kept = 0
    walk = pruned(t1)
    k = next(walk, None)
    while k is not None:
        kept += 1
        try:
            k = walk.send(k % 5 == 0)
        except StopIteration:
            break
    return total, deepest, weighted, leaves, nodes, merged, ordered, kept


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 40000
    res = run(n)
    print("tree_walk n=%d %s" % (n, " ".join(str(v) for v in res)))


if __name__ == "__main__":
    main()
