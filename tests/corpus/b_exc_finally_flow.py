# finally interacting with return, break and continue that happen in the try body
# (control flow leaving try/except passes through finally).

def ret_in_try(trace):
    try:
        trace.append("try")
        return "from try"
    finally:
        trace.append("finally")

t = []
print(ret_in_try(t), t)

def ret_in_except(trace):
    try:
        raise ValueError
    except ValueError:
        trace.append("except")
        return "from except"
    finally:
        trace.append("finally")
t = []
print(ret_in_except(t), t)

# break inside try runs finally before leaving the loop
def break_loop():
    trace = []
    for i in range(10):
        try:
            if i == 3:
                break
            trace.append(i)
        finally:
            trace.append("f%d" % i)
    return trace
print(break_loop())

# continue inside try runs finally each time
def continue_loop():
    trace = []
    for i in range(5):
        try:
            if i % 2:
                continue
            trace.append(i)
        finally:
            trace.append("f")
    return trace
print(continue_loop())

# continue/break inside except
def except_flow():
    trace = []
    i = 0
    while True:
        i += 1
        try:
            if i % 2:
                raise ValueError(i)
            trace.append("even %d" % i)
        except ValueError as e:
            if i > 6:
                trace.append("break at %s" % e)
                break
            trace.append("odd %s" % e)
            continue
        finally:
            trace.append("fin")
    return trace
print(except_flow())

# Nested finally blocks with return: all finally blocks run innermost first
def nested():
    trace = []
    def inner():
        try:
            try:
                return "value"
            finally:
                trace.append("inner finally")
        finally:
            trace.append("outer finally")
    return inner(), trace
print(nested())

# Return value computed before finally runs
def order():
    x = 1
    try:
        return x
    finally:
        x = 2
print(order())

# Generator with return inside try/finally
def gen():
    try:
        yield 1
        return
    finally:
        print("  gen finally")
print(list(gen()))

# Hot loop: break/continue through finally thousands of times
def hot(n):
    fin = 0
    kept = 0
    for i in range(n):
        for j in range(5):
            try:
                if j == 1:
                    continue
                if j == 3:
                    break
                kept += 1
            finally:
                fin += 1
    return kept, fin
print("hot", hot(3000))
assert hot(3000) == (6000, 12000)

# while/else with break inside try/finally
def search(items, target):
    trace = []
    i = 0
    while i < len(items):
        try:
            if items[i] == target:
                break
        finally:
            i += 1
    else:
        trace.append("not found")
        return trace, i
    trace.append("found")
    return trace, i
print(search([1, 2, 3], 2), search([1, 2, 3], 9))
