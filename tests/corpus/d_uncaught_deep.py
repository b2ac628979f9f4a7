class ValidationError(Exception):
    pass
def check(v):
    if v > 2990:
        raise ValidationError(f"bad value {v}")
    return v
def level3(v):
    return check(v)
def level2(v):
    return level3(v) + 1
def level1(n):
    t = 0
    for i in range(n):
        t += level2(i)
    return t
print(level1(100))
print(level1(3000))
