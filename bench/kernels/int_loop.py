"""Tight integer loop: while-loop, local-variable int arithmetic, bitwise ops, modulo."""
import sys


def work(n):
    acc = 0
    x = 12345
    i = 0
    while i < n:
        x = (x * 1103515245 + 12345) & 0x7FFFFFFF
        if x & 1:
            acc += x % 1000
        else:
            acc -= (x >> 7) % 97
        acc ^= i & 0xFF
        i += 1
    return acc


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1500000
    print("int_loop n=%d acc=%d" % (n, work(n)))


if __name__ == "__main__":
    main()
