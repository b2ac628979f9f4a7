def f(i):
    try:
        if i % 4 == 0:
            raise ValueError(i)
        if i % 4 == 1:
            return "ret"
    except ValueError:
        return "caught"
    else:
        return "else"
    finally:
        log.append(i % 4)
log = []
res = [f(i) for i in range(3000)]
print(res[:8], len(log), sum(log))
def g():
    for i in range(5):
        try:
            if i == 1:
                continue
            if i == 3:
                break
        finally:
            out.append(i)
    return out
out = []
print(g())
