# list methods and behaviour.
L = [3, 1, 4, 1, 5, 9, 2, 6]
L.append(5)
L.extend([3, 5])
L.insert(0, 0)
L.insert(100, 99)
L.insert(-1, 98)
print(L, len(L), L.count(5), L.index(1), L.index(1, 3))
print(L.pop(), L.pop(0), L.pop(2), L)
L.remove(5)
print(L)
L.reverse()
print(L)
L2 = L.copy()
L2.clear()
print(L, L2, L + [7], L * 2 == L + L, [0] * 3, [[1]] * 2)
print(sorted(L), sorted(L, reverse=True), L.sort() is None, L)
print(min(L), max(L), sum(L), 5 in L, 7 not in L, L == sorted(L), [1, 2] < [1, 3], [1, 2] < [1, 2, 0], [] < [0])
a = [1, 2]
b = a
b += [3]
print(a, a is b)
b = b + [4]
print(a, b, a is b)
try:
    [].pop()
except IndexError as e:
    print("IndexError", e)
try:
    [1].remove(2)
except ValueError:
    print("ValueError remove")
try:
    [1].index(2)
except ValueError:
    print("ValueError index")
try:
    [1, 2][5]
except IndexError as e:
    print("IndexError", e)
nested = [[0] * 3 for _ in range(3)]
nested[1][1] = 5
shared = [[0] * 3] * 3
shared[1][1] = 5
print(nested, shared)
print(list("abc"), list(range(3)), list((1, 2)), list({"a": 1}), list(x * 2 for x in range(3)))

# Hot loop: stack/queue operations
def stack_sim(n):
    st = []
    mx = 0
    for i in range(n):
        if i % 3 == 2 and st:
            st.pop()
        else:
            st.append(i)
        if len(st) > mx:
            mx = len(st)
    return len(st), mx, st[-3:], sum(st)
print(stack_sim(3000))

def append_sum(n):
    out = []
    for i in range(n):
        out.append(i * i % 97)
    out.sort()
    return out[:5], out[-5:], sum(out), out.count(0)
print(append_sum(3000))

def josephus(n, k):
    people = list(range(1, n + 1))
    idx = 0
    while len(people) > 1:
        idx = (idx + k - 1) % len(people)
        people.pop(idx)
    return people[0]
print(josephus(1500, 3), josephus(7, 2))
