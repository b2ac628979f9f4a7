"""Deep-copying a scene/document model with copy.deepcopy and a hand-written clone.

Stresses: copy.deepcopy over dicts, lists, tuples and user classes (memo dict,
__reduce_ex__ for plain and __slots__ objects, custom __deepcopy__/__copy__),
shared substructure and a parent cycle, copy.copy, user __eq__ called via ==
on nested containers, recursive isinstance-dispatched cloning with a memo.
"""
import copy
import sys


class Point(object):
    __slots__ = ("x", "y")

    def __init__(self, x, y):
        self.x = x
        self.y = y

    def __eq__(self, other):
        return isinstance(other, Point) and self.x == other.x and self.y == other.y

    def __ne__(self, other):
        return not self.__eq__(other)


class Style(object):
    """Immutable-by-convention: deepcopy shares it, copy makes a new one."""

    def __init__(self, color, width):
        self.color = color
        self.width = width

    def __deepcopy__(self, memo):
        return self

    def __copy__(self):
        return Style(self.color, self.width)

    def __eq__(self, other):
        return isinstance(other, Style) and (self.color, self.width) == (other.color, other.width)


class Matrix(object):
    def __init__(self, rows):
        self.rows = rows

    def __deepcopy__(self, memo):
        m = Matrix([list(r) for r in self.rows])
        memo[id(self)] = m
        return m

    def __eq__(self, other):
        return isinstance(other, Matrix) and self.rows == other.rows


class Shape(object):
    def __init__(self, name, points, style, transform, tags):
        self.name = name
        self.points = points
        self.style = style
        self.transform = transform
        self.tags = tags
        self.meta = {"z": len(points), "bbox": self.bbox()}

    def bbox(self):
        xs = [p.x for p in self.points]
        ys = [p.y for p in self.points]
        return (min(xs), min(ys), max(xs), max(ys))

    def __eq__(self, other):
        return (isinstance(other, Shape) and self.name == other.name
                and self.points == other.points and self.style == other.style
                and self.transform == other.transform and self.tags == other.tags
                and self.meta == other.meta)


class Group(object):
    def __init__(self, name, parent):
        self.name = name
        self.parent = parent
        self.children = []
        self.props = {}

    def __eq__(self, other):
        if not isinstance(other, Group):
            return False
        pn = self.parent.name if self.parent is not None else None
        po = other.parent.name if other.parent is not None else None
        return (self.name == other.name and pn == po and self.props == other.props
                and self.children == other.children)


class Lcg(object):
    def __init__(self, seed):
        self.s = seed

    def __call__(self, k):
        self.s = (self.s * 1103515245 + 12345) & 0x7FFFFFFF
        return (self.s >> 8) % k


COLORS = ["red", "green", "blue", "black", "teal"]


def build_scene(rng, ngroups):
    styles = [Style(c, 1 + i) for i, c in enumerate(COLORS)]
    shared_palette = [("bg", "white"), ("fg", "black"), ("accent", "teal")]
    root = Group("root", None)
    root.props = {"palette": shared_palette, "version": (1, 2, 3)}
    for g in range(ngroups):
        grp = Group("g%d" % g, root)
        grp.props = {"palette": shared_palette, "index": g, "visible": g % 3 != 0,
                     "origin": Point(rng(100), rng(100))}
        for s in range(2 + rng(4)):
            pts = [Point(rng(1000), rng(1000)) for _ in range(3 + rng(5))]
            tf = Matrix([[1.0, 0.0, float(rng(10))], [0.0, 1.0, float(rng(10))], [0.0, 0.0, 1.0]])
            tags = tuple("t%d" % rng(8) for _ in range(rng(3)))
            shape = Shape("s%d_%d" % (g, s), pts, styles[rng(len(styles))], tf, tags)
            grp.children.append(shape)
        if g % 4 == 3:
            sub = Group("sub%d" % g, grp)
            sub.children.append(grp.children[0])  # shared shape
            sub.props = {"nested": [[rng(9) for _ in range(4)] for _ in range(3)]}
            grp.children.append(sub)
        root.children.append(grp)
    return root


def clone(obj, memo):
    """Hand-written structural deep clone (same semantics as deepcopy here)."""
    key = id(obj)
    if key in memo:
        return memo[key]
    if isinstance(obj, (int, float, str, bool)) or obj is None:
        return obj
    if isinstance(obj, list):
        out = []
        memo[key] = out
        for x in obj:
            out.append(clone(x, memo))
        return out
    if isinstance(obj, tuple):
        out = tuple([clone(x, memo) for x in obj])
        memo[key] = out
        return out
    if isinstance(obj, dict):
        out = {}
        memo[key] = out
        for k, v in obj.items():
            out[k] = clone(v, memo)
        return out
    if isinstance(obj, Point):
        out = Point(obj.x, obj.y)
    elif isinstance(obj, Style):
        return obj
    elif isinstance(obj, Matrix):
        out = Matrix([list(r) for r in obj.rows])
    else:
        out = obj.__class__.__new__(obj.__class__)
        memo[key] = out
        for k, v in obj.__dict__.items():
            setattr(out, k, clone(v, memo))
        return out
    memo[key] = out
    return out


def mutate(root, rng):
    changed = 0
    for grp in root.children:
        if rng(3) == 0:
            for child in grp.children:
                if isinstance(child, Shape):
                    p = child.points[rng(len(child.points))]
                    p.x += 1
                    child.transform.rows[0][2] += 0.5
                    changed += 1
        if rng(5) == 0:
            grp.props["index"] = -1
            changed += 1
    root.props["palette"].append(("new", "color"))
    return changed


def check_structure(orig, cp):
    ok = 0
    for go, gc in zip(orig.children, cp.children):
        if gc.parent is cp:
            ok += 1
        if gc.props["palette"] is cp.props["palette"]:
            ok += 1
        if go.props["palette"] is not gc.props["palette"]:
            ok += 1
        for co, c in zip(go.children, gc.children):
            if isinstance(c, Group) and c.children[0] is gc.children[0]:
                ok += 1
            if isinstance(c, Shape) and c.style is co.style and c.points is not co.points:
                ok += 1
    return ok


def fingerprint(root):
    h = 0
    for grp in root.children:
        for c in grp.children:
            if isinstance(c, Shape):
                for p in c.points:
                    h = (h * 31 + p.x * 7 + p.y) % 1000000007
                h = (h + int(c.transform.rows[0][2] * 2)) % 1000000007
    return h


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    rng = Lcg(5)
    scene = build_scene(rng, n)
    equal_count = 0
    diff_count = 0
    struct_ok = 0
    changed = 0
    fp = 0
    for rep in range(6):
        c1 = copy.deepcopy(scene)
        c2 = clone(scene, {})
        struct_ok += check_structure(scene, c1) + check_structure(scene, c2)
        if c1 == scene and c2 == scene and c1 == c2:
            equal_count += 1
        changed += mutate(c1, rng)
        changed += mutate(c2, rng)
        for go, g1, g2 in zip(scene.children, c1.children, c2.children):
            if go != g1:
                diff_count += 1
            if g1 != g2:
                diff_count += 1
        fp = (fp * 17 + fingerprint(c1) + fingerprint(c2)) % 1000000007
        shallow = [copy.copy(ch.style) for grp in c1.children for ch in grp.children
                   if isinstance(ch, Shape)]
        equal_count += sum(1 for s in shallow if s == scene.children[0].children[0].style)
    print("deep_copy n=%d equal=%d diff=%d struct=%d changed=%d orig=%d fp=%d" % (
        n, equal_count, diff_count, struct_ok, changed, fingerprint(scene), fp))


if __name__ == "__main__":
    main()
