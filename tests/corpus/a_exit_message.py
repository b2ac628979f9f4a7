# Ends with sys.exit("message"): message goes to stderr and the exit code is 1.
import sys

def collatz_max(limit):
    best, best_n = 0, 0
    for n in range(1, limit):
        steps, x = 0, n
        while x != 1:
            x = x // 2 if x % 2 == 0 else 3 * x + 1
            steps += 1
        if steps > best:
            best, best_n = steps, n
    return best_n, best

print(collatz_max(1000))
try:
    sys.exit(0)
except SystemExit as e:
    print("caught SystemExit code", e.code)
try:
    sys.exit()
except SystemExit as e:
    print("caught SystemExit code", e.code)
sys.stdout.flush()
sys.exit("fatal: giving up after %d checks" % 1000)
