class Temp:
    __slots__ = ("_c",)
    def __init__(self, c):
        self._c = c
    @property
    def f(self):
        return self._c * 9 / 5 + 32
    @f.setter
    def f(self, v):
        self._c = (v - 32) * 5 / 9
    @f.deleter
    def f(self):
        self._c = 0
    @classmethod
    def freezing(cls):
        return cls(0)
    @staticmethod
    def scale():
        return "C"
t = Temp(100)
print(t.f, Temp.freezing().f, Temp.scale())
t.f = 212
print(round(t._c, 6))
del t.f
print(t._c)
try:
    t.other = 1
except AttributeError:
    print("slots forbid other")
acc = 0.0
for i in range(3000):
    t.f = i
    acc += t._c
print(round(acc, 3))
