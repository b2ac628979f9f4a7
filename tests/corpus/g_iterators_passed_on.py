# A call with int arguments followed by GET_ITER is usually `range(...)` in a loop, which
# native code runs unboxed. These are the other cases: the iterator is a generator's, or
# it is passed on to a generator expression, in loops hot enough to compile.


def countdown(x):
    while x > 0:
        yield x
        x -= 1


def generator_called_with_ints(n):
    total = 0
    for start in range(1, n):
        for v in countdown(start % 9):
            total += v
    return total


def generator_expressions_over_ranges(n):
    t = 0
    for i in range(n):
        t += sum(x for x in range(i % 5))
        t += max((x * 3 for x in range(1, i % 4 + 2)), default=-1)
    return t


def comprehensions_over_ranges(n):
    t = 0
    for i in range(n):
        t += len([x * x for x in range(i % 7)])
        t += sum({x: 1 for x in range(i % 3)}.values())
        t += len({x % 2 for x in range(i % 6)})
    return t


def range_rebound_to_a_generator(n):
    # `range` shadowed by a generator function midway: the speculation deopts.
    global range
    t = 0
    i = 0
    while i < n:
        for v in range(3):
            t += v
        if i == n // 2:
            range = countdown
        i += 1
    del range
    return t


print(generator_called_with_ints(3000))
print(generator_expressions_over_ranges(3000))
print(comprehensions_over_ranges(3000))
print(range_rebound_to_a_generator(3000))
