# slice objects, indices(), custom __getitem__ receiving slices.
s = slice(1, 10, 2)
print(s, s.start, s.stop, s.step, slice(5), slice(None, None, -1), slice(1, 2) == slice(1, 2))
for sl in [slice(None), slice(2, None), slice(None, -2), slice(-3, None, -1), slice(10, 0, -3), slice(0, 100, 7), slice(-100, 100)]:
    print(sl, sl.indices(10), list(range(10))[sl], list(range(*sl.indices(10))))
print(slice(0, 5, None).indices(3), slice(None, None, -2).indices(5), slice(-1, -10, -1).indices(4))
try:
    slice(0, 1, 0).indices(5)
except ValueError:
    print("ValueError step 0")

class Seq:
    def __init__(self, n):
        self.n = n
    def __len__(self):
        return self.n
    def __getitem__(self, key):
        if isinstance(key, slice):
            return ("slice", key.indices(self.n), [i * i for i in range(*key.indices(self.n))])
        if isinstance(key, tuple):
            return ("tuple", key)
        if key < 0:
            key += self.n
        if not 0 <= key < self.n:
            raise IndexError("Seq index out of range")
        return key * key
sq = Seq(8)
print(sq[3], sq[-1], sq[1:5], sq[::-3], sq[1:2, 3], sq[..., 1], sq[::2, ::3])
print(list(sq), 49 in sq, 50 in sq)
try:
    sq[8]
except IndexError as e:
    print("IndexError", e)

class Rec:
    def __getitem__(self, k):
        return k
r = Rec()
print(r[1:2], r[:], r[::], r[1:2:3], r[:, 1], r[1:, :2], r["a":"b"])

# Hot: use slice objects in a loop
def window_slices(n):
    data = list(range(50))
    total = 0
    for i in range(n):
        sl = slice(i % 40, i % 40 + 10, 1 + i % 3)
        total += sum(data[sl])
    return total
print(window_slices(3000))

def manual_indices(n):
    acc = 0
    for i in range(n):
        start, stop, step = slice(-(i % 7) - 1, None, -1 - (i % 2)).indices(20)
        acc += start * 3 + stop + step
    return acc
print(manual_indices(3000))
