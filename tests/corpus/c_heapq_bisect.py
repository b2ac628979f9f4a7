import heapq, bisect
h = []
for i in range(3000):
    heapq.heappush(h, (i * 7919) % 3001)
print("smallest", [heapq.heappop(h) for _ in range(10)])
print("len", len(h))
print(heapq.nlargest(3, [5, 1, 9, 3, 7]), heapq.nsmallest(2, [5, 1, 9, 3, 7]))
data = [9, 4, 7, 1, 8]
heapq.heapify(data)
print(data[0], heapq.heappushpop(data, 0), heapq.heapreplace(data, 10), sorted(data))
print(list(heapq.merge([1, 4, 7], [2, 5, 8], [3, 6])))
tasks = []
for pr, name in [(3, "c"), (1, "a"), (2, "b"), (1, "aa")]:
    heapq.heappush(tasks, (pr, name))
print([heapq.heappop(tasks) for _ in range(4)])
a = list(range(0, 100, 5))
print(bisect.bisect_left(a, 25), bisect.bisect_right(a, 25), bisect.bisect(a, 26))
bisect.insort(a, 26)
print(a[4:8])
def grade(score, bps=[60, 70, 80, 90], grades="FDCBA"):
    return grades[bisect.bisect(bps, score)]
print([grade(s) for s in [33, 99, 77, 70, 89, 90, 100]])
srt = []
for i in range(3000):
    bisect.insort(srt, (i * 37) % 1000)
print(srt[:5], srt[-5:], len(srt))
print(bisect.bisect_left([1, 2, 3], 2, key=None), bisect.bisect_left(["a", "bb", "ccc"], 2, key=len))
