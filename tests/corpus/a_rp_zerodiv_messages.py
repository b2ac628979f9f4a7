# The messages of VM-raised ZeroDivisionError differ by operand type in CPython 3.13.
def msg(f):
    try:
        f()
    except ZeroDivisionError as e:
        return str(e)
    return "no error"

print(msg(lambda: 1 // 0))
print(msg(lambda: 1 % 0))
print(msg(lambda: divmod(1, 0)))
print(msg(lambda: 1 / 0))
print(msg(lambda: 1.0 / 0))
print(msg(lambda: 1.0 // 0.0))
print(msg(lambda: 1.0 % 0.0))
print(msg(lambda: 0.0 ** -1))
# A hot loop that divides by a value hitting zero at the very end
def run(n):
    acc = 0
    for i in range(n):
        acc += 100000 // (n - 1 - i) if i < n - 1 else 0
    return acc
print(run(3000))
print(msg(lambda: run(3000) // (run(3000) - run(3000))))
