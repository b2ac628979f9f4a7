"""Naive recursive Fibonacci: function-call overhead, small-int arithmetic, comparisons."""
import sys


def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 31
    print("fib(%d) = %d" % (n, fib(n)))


if __name__ == "__main__":
    main()
