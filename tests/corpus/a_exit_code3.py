# Ends with sys.exit(3) after some work; finally blocks and atexit-free cleanup still run.
import sys

def work(n):
    s = 0
    for i in range(n):
        s += i * i % 13
    return s

result = work(3000)
print("result", result)
try:
    if result > 0:
        sys.exit(3)
finally:
    print("finally before exit")
print("unreachable")
