"""Allocation-heavy binary trees: complete trees of several depths, and a binary search tree with deletes.

Stresses: allocation of many short-lived `__slots__` objects, recursion
(build/check/height/size), None checks, attribute reads/writes, an in-order
traversal generator with `yield from`, BST insert/search/delete (iterative and
recursive), `min`/`max`-style walks, LCG keys.
"""
import sys

MASK = 0xFFFFFFFF


class Node(object):
    __slots__ = ("left", "right", "value")

    def __init__(self, left, right, value):
        self.left = left
        self.right = right
        self.value = value


# ------------------------------------------------------ complete trees
def build_complete(depth, value):
    if depth == 0:
        return Node(None, None, value)
    return Node(build_complete(depth - 1, 2 * value - 1),
                build_complete(depth - 1, 2 * value), value)


def check(node):
    """Sum of values with alternating signs by side, plus node count."""
    if node.left is None:
        return node.value
    return node.value + check(node.left) - check(node.right)


def count_nodes(node):
    if node is None:
        return 0
    return 1 + count_nodes(node.left) + count_nodes(node.right)


def run_complete(max_depth):
    min_depth = 4
    long_lived = build_complete(max_depth, 0)
    h = 0
    for depth in range(min_depth, max_depth + 1, 2):
        iterations = 1 << (max_depth - depth + 2)
        acc = 0
        for i in range(1, iterations + 1):
            acc += check(build_complete(depth, i))
            acc += check(build_complete(depth, -i))
        h = (h * 31 + acc + iterations) & MASK
    return (h + check(long_lived) + count_nodes(long_lived)) & MASK


# ------------------------------------------------------ binary search tree
class BST(object):
    def __init__(self):
        self.root = None
        self.size = 0

    def insert(self, key):
        if self.root is None:
            self.root = Node(None, None, key)
            self.size = 1
            return True
        node = self.root
        while True:
            if key < node.value:
                if node.left is None:
                    node.left = Node(None, None, key)
                    break
                node = node.left
            elif key > node.value:
                if node.right is None:
                    node.right = Node(None, None, key)
                    break
                node = node.right
            else:
                return False
        self.size += 1
        return True

    def contains(self, key):
        node = self.root
        while node is not None:
            v = node.value
            if key == v:
                return True
            node = node.left if key < v else node.right
        return False

    def delete(self, key):
        self.root, removed = _delete(self.root, key)
        if removed:
            self.size -= 1
        return removed

    def items(self):
        return _inorder(self.root)

    def height(self):
        return _height(self.root)

    def minimum(self):
        node = self.root
        while node.left is not None:
            node = node.left
        return node.value


def _delete(node, key):
    if node is None:
        return None, False
    if key < node.value:
        node.left, removed = _delete(node.left, key)
        return node, removed
    if key > node.value:
        node.right, removed = _delete(node.right, key)
        return node, removed
    if node.left is None:
        return node.right, True
    if node.right is None:
        return node.left, True
    # two children: replace by in-order successor
    succ = node.right
    while succ.left is not None:
        succ = succ.left
    node.value = succ.value
    node.right, _ = _delete(node.right, succ.value)
    return node, True


def _inorder(node):
    if node is not None:
        yield from _inorder(node.left)
        yield node.value
        yield from _inorder(node.right)


def _height(node):
    if node is None:
        return 0
    lh = _height(node.left)
    rh = _height(node.right)
    return 1 + (lh if lh > rh else rh)


def run_bst(nkeys):
    t = BST()
    x = 4242
    keys = []
    for _ in range(nkeys):
        x = (x * 1103515245 + 12345) & 0x7FFFFFFF
        k = (x >> 8) % (nkeys * 4)
        keys.append(k)
        t.insert(k)
    h1 = t.height()
    hits = 0
    for k in range(0, nkeys * 4, 3):
        if t.contains(k):
            hits += 1
    removed = 0
    for i in range(0, len(keys), 3):
        if t.delete(keys[i]):
            removed += 1
    prev = -1
    ordered = True
    h = 0
    n = 0
    for v in t.items():
        if v <= prev:
            ordered = False
        prev = v
        h = (h * 1000003 + v) & MASK
        n += 1
    return (h + hits * 7 + removed * 13 + h1 + t.height() + t.minimum()) & MASK, n, ordered


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 12
    c1 = run_complete(n)
    c2, size, ordered = run_bst(n * 2500)
    print("binary_trees n=%d complete=%d bst=%d size=%d ordered=%s checksum=%d" % (
        n, c1, c2, size, ordered, (c1 * 7 + c2) & MASK))


if __name__ == "__main__":
    main()
