PREFIX = "pkg:"
def normalize(name):
    return PREFIX + name.strip().lower()
def scale(x, k=3):
    return x * k
