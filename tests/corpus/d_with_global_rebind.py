class Guard:
    def __enter__(self):
        return self
    def __exit__(self, t, v, tb):
        print("exit", t.__name__ if t else None)
        return False
def scale(x):
    return x * 2
def run():
    global scale
    total = 0
    with Guard():
        for i in range(3000):
            if i == 1700:
                def scale(x):
                    return x * 3
            total += scale(i)
    return total
print(run())
