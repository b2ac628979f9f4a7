"""A small ray tracer: spheres and a plane, diffuse + specular shading, shadows, reflection.

Stresses: a Vec class with operator overloading (__add__, __sub__, __mul__),
many short-lived objects, method calls, float math, recursion (reflection rays),
isinstance-free polymorphism via duck typing.
"""
import sys
from math import sqrt


class Vec(object):
    __slots__ = ("x", "y", "z")

    def __init__(self, x, y, z):
        self.x = x
        self.y = y
        self.z = z

    def __add__(self, o):
        return Vec(self.x + o.x, self.y + o.y, self.z + o.z)

    def __sub__(self, o):
        return Vec(self.x - o.x, self.y - o.y, self.z - o.z)

    def __mul__(self, k):
        return Vec(self.x * k, self.y * k, self.z * k)

    def dot(self, o):
        return self.x * o.x + self.y * o.y + self.z * o.z

    def length(self):
        return sqrt(self.x * self.x + self.y * self.y + self.z * self.z)

    def norm(self):
        l = self.length()
        return Vec(self.x / l, self.y / l, self.z / l)

    def mulv(self, o):
        return Vec(self.x * o.x, self.y * o.y, self.z * o.z)


class Ray(object):
    __slots__ = ("origin", "dir")

    def __init__(self, origin, direction):
        self.origin = origin
        self.dir = direction


class Material(object):
    def __init__(self, color, diffuse, specular, reflect):
        self.color = color
        self.diffuse = diffuse
        self.specular = specular
        self.reflect = reflect

    def color_at(self, p):
        return self.color


class Checker(Material):
    def __init__(self, c1, c2, diffuse, specular, reflect):
        Material.__init__(self, c1, diffuse, specular, reflect)
        self.c2 = c2

    def color_at(self, p):
        if (int(p.x + 1000.0) + int(p.z + 1000.0)) & 1:
            return self.c2
        return self.color


class Sphere(object):
    def __init__(self, center, radius, material):
        self.center = center
        self.radius = radius
        self.material = material

    def intersect(self, ray):
        oc = ray.origin - self.center
        b = oc.dot(ray.dir)
        c = oc.dot(oc) - self.radius * self.radius
        disc = b * b - c
        if disc < 0.0:
            return None
        sq = sqrt(disc)
        t = -b - sq
        if t > 1e-6:
            return t
        t = -b + sq
        if t > 1e-6:
            return t
        return None

    def normal_at(self, p):
        return (p - self.center).norm()


class Plane(object):
    def __init__(self, point, normal, material):
        self.point = point
        self.normal = normal.norm()
        self.material = material

    def intersect(self, ray):
        d = self.normal.dot(ray.dir)
        if abs(d) < 1e-9:
            return None
        t = (self.point - ray.origin).dot(self.normal) / d
        if t > 1e-6:
            return t
        return None

    def normal_at(self, p):
        return self.normal


class Scene(object):
    def __init__(self):
        self.objects = [
            Plane(Vec(0.0, -1.0, 0.0), Vec(0.0, 1.0, 0.0),
                  Checker(Vec(0.9, 0.9, 0.9), Vec(0.1, 0.1, 0.1), 0.8, 0.1, 0.3)),
            Sphere(Vec(0.0, 0.0, 5.0), 1.0, Material(Vec(0.9, 0.2, 0.2), 0.7, 0.5, 0.4)),
            Sphere(Vec(-2.2, 0.3, 6.5), 1.3, Material(Vec(0.2, 0.9, 0.3), 0.8, 0.3, 0.2)),
            Sphere(Vec(2.0, -0.4, 4.2), 0.6, Material(Vec(0.2, 0.3, 0.95), 0.6, 0.8, 0.5)),
        ]
        self.lights = [(Vec(-5.0, 6.0, -2.0), 0.8), (Vec(4.0, 3.0, 0.0), 0.5)]
        self.ambient = 0.08

    def closest(self, ray):
        best_t = 1e30
        best = None
        for obj in self.objects:
            t = obj.intersect(ray)
            if t is not None and t < best_t:
                best_t = t
                best = obj
        return best, best_t

    def shadowed(self, p, light_pos):
        to_light = light_pos - p
        dist = to_light.length()
        ray = Ray(p, to_light * (1.0 / dist))
        for obj in self.objects:
            t = obj.intersect(ray)
            if t is not None and t < dist:
                return True
        return False

    def trace(self, ray, depth):
        obj, t = self.closest(ray)
        if obj is None:
            k = 0.5 * (ray.dir.y + 1.0)
            return Vec(0.2, 0.3, 0.5) * k + Vec(0.05, 0.05, 0.1)
        p = ray.origin + ray.dir * t
        n = obj.normal_at(p)
        mat = obj.material
        base = mat.color_at(p)
        color = base * self.ambient
        for light_pos, intensity in self.lights:
            if self.shadowed(p, light_pos):
                continue
            l = (light_pos - p).norm()
            lam = n.dot(l)
            if lam > 0.0:
                color = color + base * (lam * mat.diffuse * intensity)
                h = (l - ray.dir).norm()
                s = n.dot(h)
                if s > 0.0:
                    s = s ** 32
                    color = color + Vec(1.0, 1.0, 1.0) * (s * mat.specular * intensity)
        if depth < 3 and mat.reflect > 0.0:
            r = ray.dir - n * (2.0 * ray.dir.dot(n))
            refl = self.trace(Ray(p, r.norm()), depth + 1)
            color = color + refl * mat.reflect
        return color


def clamp_byte(v):
    if v <= 0.0:
        return 0
    if v >= 1.0:
        return 255
    return int(v * 255.0)


def render(width, height):
    scene = Scene()
    eye = Vec(0.0, 0.5, -1.5)
    aspect = width / float(height)
    checksum = 0
    hist = [0, 0, 0]
    for j in range(height):
        y = 1.0 - 2.0 * (j + 0.5) / height
        for i in range(width):
            x = (2.0 * (i + 0.5) / width - 1.0) * aspect
            d = Vec(x, y - 0.2, 1.5).norm()
            c = scene.trace(Ray(eye, d), 0)
            r = clamp_byte(c.x)
            g = clamp_byte(c.y)
            b = clamp_byte(c.z)
            checksum = (checksum * 31 + r * 65536 + g * 256 + b) % 1000000007
            hist[0] += r
            hist[1] += g
            hist[2] += b
    return checksum, hist


def main():
    size = int(sys.argv[1]) if len(sys.argv) > 1 else 120
    checksum, hist = render(size, size * 3 // 4)
    print("raytrace size=%d checksum=%d rgb=%d,%d,%d" % (size, checksum, hist[0], hist[1], hist[2]))


if __name__ == "__main__":
    main()
