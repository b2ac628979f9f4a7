def h():
    try:
        return "try"
    finally:
        return "finally"
print(h())
