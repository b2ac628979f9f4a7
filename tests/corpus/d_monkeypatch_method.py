class Shape:
    def __init__(self, s):
        self.s = s
    def area(self):
        return self.s * self.s
shapes = [Shape(i % 10) for i in range(30)]
total = 0
for i in range(3000):
    if i == 1000:
        Shape.area = lambda self: self.s * 4
    if i == 2000:
        shapes[0].area = lambda: -1
    total += shapes[i % 30].area()
print(total, shapes[0].area(), shapes[1].area())
def make():
    k = 1
    def add(x):
        return x + k
    def bump():
        nonlocal k
        k += 10
    return add, bump
add, bump = make()
t = 0
for i in range(3000):
    if i % 1000 == 999:
        bump()
    t += add(i)
print(t)
