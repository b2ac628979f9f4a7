# range with negative steps, empty ranges, big ranges, range objects' features.
print(list(range(10, 0, -1)), list(range(10, 0, -3)), list(range(0, 10, -1)), list(range(-5, 5, 2)), list(range(5, -5, -2)))
print(list(range(0)), list(range(-3)), list(range(3, 3)), list(range(0, -10, -4)))
r = range(100, -100, -7)
print(len(r), r[0], r[-1], r[5], r[2:6], r[::-1][:3], 2 in r, 100 in r, -96 in r, r.index(-96), r.count(2))
print(range(0, 10, 2) == range(0, 9, 2), range(0) == range(5, 2), repr(range(1, 5)), repr(range(0, -5, -1)))
big = range(0, 10**20, 3)
print(big[10**18], 10**19 + 1 in big, big[-1])
try:
    range(1, 2, 0)
except ValueError:
    print("ValueError step 0")
try:
    range(5)[10]
except IndexError as e:
    print("IndexError", e)
for i in range(3, -4, -3):
    print("i", i)
for i in range(-1, -8, -2):
    print("neg", i, end=";")
print()

# Hot loops over negative-step ranges
def down_sum(n):
    s = 0
    for i in range(n, 0, -1):
        s += i * (i % 3)
    return s
print(down_sum(3000))

def down_step(n):
    s = 0
    for i in range(n, -n, -7):
        s += i
    return s
print(down_step(3000))

def bubble(arr):
    a = list(arr)
    for end in range(len(a) - 1, 0, -1):
        swapped = False
        for k in range(end):
            if a[k] > a[k + 1]:
                a[k], a[k + 1] = a[k + 1], a[k]
                swapped = True
        if not swapped:
            break
    return a
data = [(i * 7919) % 97 for i in range(80)]
print(bubble(data) == sorted(data), bubble(data)[:10])

def countdown_with_while(n):
    i = n
    acc = 0
    while i > -n:
        acc += i % 11
        i -= 2
    return acc
print(countdown_with_while(3000))
print(sum(range(3000, 0, -1)), sum(range(-1, -3001, -1)), max(range(10, -10, -3)), min(range(10, -10, -3)))
print(list(reversed(range(0, 20, 5))), list(reversed(range(20, 0, -6))))
