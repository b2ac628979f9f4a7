import d_pkg
from d_pkg import Square, area_sum, counter
from d_pkg.util import clamp
print(d_pkg.VERSION, d_pkg.__name__, Square.__module__)
shapes = [Square(i % 120 - 5) for i in range(3000)]
print(area_sum(shapes))
for i in range(3000):
    counter.bump()
print(counter.calls, d_pkg.counter.calls, clamp(-3, 0, 9), clamp(30, 0, 9))
import d_pkg.counter as c2
assert c2 is counter
