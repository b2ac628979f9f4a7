# Hot loops in functions with cells and free variables: the loop continues in native
# code (on-stack replacement) holding the frame's cells, so closures made before, during
# and after the loop share them with the native code.


def counter_in_closure(n):
    # `nonlocal` writes from the closure are seen by the loop, and the other way round.
    count = 0

    def bump(by):
        nonlocal count
        count += by

    for i in range(n):
        bump(i % 3)
        if count > 5000:
            count -= 5000
    return count


def cell_changes_type_mid_loop(n):
    # The captured value turns from int to float, then to str: the loop's guards fail
    # and the interpreter continues with the same cell.
    scale = 2
    get = lambda: scale
    total = 0
    for i in range(n):
        total += get()
        if i == n // 2:
            scale = 0.5
    scale = "done"
    return total, get()


def argument_is_a_cell(a, n):
    # An argument captured by a closure lives in a cell from the first instruction.
    read = lambda: a
    s = 0
    for i in range(n):
        s += read()
        if i == 1500:
            a = -1
    return s, a


def free_variable_in_inner_loop(base):
    def inner(n):
        s = 0
        for i in range(n):
            s += base * i
        return s

    return inner(3000), inner(10)


def closures_made_in_the_loop(n):
    # Each closure gets the cell as it is when it is called, not when it was made.
    fs = []
    x = 0
    for i in range(n):
        x = i
        if i % 1000 == 0:
            fs.append(lambda: x)
    return [f() for f in fs]


def iterator_on_the_stack(words):
    # A for-loop iterator and a cell at once; the loop body raises and catches.
    seen = set()
    note = lambda w: seen.add(w)
    bad = 0
    for _ in range(3):
        for w in words:
            try:
                note(int(w))
            except ValueError:
                bad += 1
    return len(seen), bad


def while_loop_deleting_a_cell(n):
    # A cell emptied with `del` mid-loop: reading it raises NameError, as interpreted.
    v = 1
    f = lambda: v
    i = 0
    errors = 0
    while i < n:
        try:
            f()
        except NameError as e:
            errors += 1
            msg = str(e)
            v = i
        if i == n - 10:
            del v
        i += 1
    return errors, msg


def nested_loops_with_comprehension(n):
    # The comprehension is a closure over `limit` (a cell) in a nested loop.
    limit = 7
    rows = 0
    for i in range(n):
        row = [j for j in range(i % 20) if j < limit]
        rows += len(row)
        if i == n // 3:
            limit = 3
    return rows


print(counter_in_closure(6000))
print(cell_changes_type_mid_loop(4000))
print(argument_is_a_cell(2, 3000))
print(free_variable_in_inner_loop(3))
print(free_variable_in_inner_loop(1.5))
print(closures_made_in_the_loop(5000))
print(iterator_on_the_stack([str(i) for i in range(800)] + ["x", "y", "1.5"]))
print(while_loop_deleting_a_cell(3000))
print(nested_loops_with_comprehension(3000))
