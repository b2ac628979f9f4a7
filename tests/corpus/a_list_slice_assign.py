# list slicing with steps, slice assignment (grow/shrink, extended), del with slices.
L = list(range(10))
print(L[::2], L[1::3], L[::-1], L[-3:], L[:-7:-2], L[8:2:-2], L[100:], L[-100:2])
L[2:5] = ["a", "b"]
print(L)
L[1:1] = [100, 200, 300]
print(L)
L[-2:] = []
print(L)
L[::2] = list("WXYZ")[: len(L[::2])] + ["?"] * (len(L[::2]) - 4)
print(L)
try:
    L[::2] = [1, 2]
except ValueError:
    print("ValueError extended slice size")
M = list(range(20))
del M[::3]
print(M)
del M[2:5]
print(M)
del M[-1]
del M[:2]
print(M)
M[:] = (x * 10 for x in range(4))
print(M)
M[len(M):] = [99]
M[:0] = [-1]
print(M)
M[1:3] = "xy"
print(M)
N = list(range(8))
N[::-2] = ["r0", "r1", "r2", "r3"]
print(N)
N[5:1:-1] = "abcd"
print(N)
a = list(range(6))
a[1:4] = a
print(a)
b = [1, 2, 3]
b[1:2] = []
print(b)
c = list(range(10))
del c[8:2:-2]
print(c)
print(c[slice(1, None, 2)], c[slice(None)], c[slice(-2, None)])

# Hot loop: sliding window sums and rotating via slices
def windows(n, w):
    data = [(i * 13) % 29 for i in range(n)]
    best = -1
    best_at = -1
    for i in range(n - w + 1):
        s = sum(data[i:i + w])
        if s > best:
            best, best_at = s, i
    return best, best_at, data[best_at:best_at + w]
print(windows(3000, 5))

def rotate(n):
    r = list(range(7))
    for i in range(n):
        k = i % 7
        r = r[k:] + r[:k]
    return r
print(rotate(3000))

def reverse_inplace(n):
    arr = list(range(10))
    for i in range(n):
        lo = i % 5
        arr[lo:lo + 5] = arr[lo:lo + 5][::-1]
    return arr
print(reverse_inplace(3000))
