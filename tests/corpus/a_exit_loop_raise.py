# Raises an uncaught exception inside a hot loop after many iterations (IndexError from a
# list subscript that goes out of range at iteration 2500).
def pick(table, i):
    return table[i - 2500] if i >= 2500 else table[i % len(table)]

def run(n):
    table = [3, 1, 4, 1, 5, 9, 2, 6]
    acc = 0
    for i in range(n):
        if i == 2500:
            table = []
        acc += pick(table, i) * (i % 7)
        if i % 500 == 0:
            print("progress", i, acc)
    return acc

print("start")
run(3000)
print("unreachable")
