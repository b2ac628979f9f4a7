import sys
def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)
def is_even(n):
    return True if n == 0 else is_odd(n - 1)
def is_odd(n):
    return False if n == 0 else is_even(n - 1)
def ack(m, n):
    if m == 0:
        return n + 1
    if n == 0:
        return ack(m - 1, 1)
    return ack(m - 1, ack(m, n - 1))
print(fib(18), is_even(300), is_odd(301), ack(2, 3))
def down(n):
    return down(n + 1)
try:
    down(0)
except RecursionError:
    print("RecursionError caught")
print(fib(10))
