# return/break/continue *inside* a finally block (PEP 765 makes these a SyntaxWarning in 3.14).

def swallow():
    try:
        raise ValueError("lost")
    finally:
        return "finally wins"
print(swallow())

def override():
    try:
        return "try"
    finally:
        return "finally"
print(override())

def loop_break():
    out = []
    for i in range(5):
        try:
            if i == 2:
                raise KeyError(i)
            out.append(i)
        finally:
            if i == 2:
                break
    return out
print(loop_break())

def loop_continue():
    out = []
    for i in range(4):
        try:
            raise ValueError(i)
        finally:
            out.append(i)
            continue
    return out
print(loop_continue())

total = 0
for i in range(3000):
    total += len(override())
print(total)
