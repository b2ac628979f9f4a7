"""Float point objects: many small instances of a Point class with float math.

Stresses: object allocation, __init__, attribute access, method calls,
math.sin/cos/sqrt, iteration over a list of objects, max() with a key function.
"""
import sys
from math import sin, cos, sqrt


class Point(object):
    __slots__ = ("x", "y", "z")

    def __init__(self, i):
        self.x = x = sin(i)
        self.y = cos(i) * 3.0
        self.z = (x * x) / 2.0

    def __repr__(self):
        return "<Point %.6f %.6f %.6f>" % (self.x, self.y, self.z)

    def normalize(self):
        x = self.x
        y = self.y
        z = self.z
        norm = sqrt(x * x + y * y + z * z)
        self.x = x / norm
        self.y = y / norm
        self.z = z / norm

    def maximize(self, other):
        if other.x > self.x:
            self.x = other.x
        if other.y > self.y:
            self.y = other.y
        if other.z > self.z:
            self.z = other.z
        return self

    def dot(self, other):
        return self.x * other.x + self.y * other.y + self.z * other.z


def maximize(points):
    nxt = points[0]
    for p in points[1:]:
        nxt = nxt.maximize(p)
    return nxt


def run(n):
    points = [Point(i) for i in range(n)]
    for p in points:
        p.normalize()
    m = maximize(points)
    best = max(points, key=lambda p: p.dot(m))
    total = 0.0
    for i in range(1, n):
        total += points[i].dot(points[i - 1])
    return m, best, total


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 80000
    reps = 3
    acc = 0.0
    for _ in range(reps):
        m, best, total = run(n)
        acc += total
    print("float_points n=%d max=%r best=%r acc=%.6f" % (n, m, best, acc))


if __name__ == "__main__":
    main()
