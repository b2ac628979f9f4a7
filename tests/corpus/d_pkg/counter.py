calls = 0
def bump(n=1):
    global calls
    calls += n
    return calls
