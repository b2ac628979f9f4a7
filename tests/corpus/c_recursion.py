import sys
def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)
print("fib", [fib(i) for i in range(15)], fib(18))

def is_even(n):
    return True if n == 0 else is_odd(n - 1)
def is_odd(n):
    return False if n == 0 else is_even(n - 1)
print("even/odd", is_even(300), is_odd(301), is_even(7))

def ackermann(m, n):
    if m == 0:
        return n + 1
    if n == 0:
        return ackermann(m - 1, 1)
    return ackermann(m - 1, ackermann(m, n - 1))
print("ack", ackermann(2, 3))

def hanoi(n, a, b, c, moves):
    if n:
        hanoi(n - 1, a, c, b, moves)
        moves.append((a, c))
        hanoi(n - 1, b, a, c, moves)
    return moves
m = hanoi(10, "A", "B", "C", [])
print("hanoi", len(m), m[:3])

def flatten(x):
    if isinstance(x, list):
        out = []
        for y in x:
            out.extend(flatten(y))
        return out
    return [x]
print("flatten", flatten([1, [2, [3, [4, [5]]], 6], [[7]]]))

def perms(s):
    if len(s) <= 1:
        return [s]
    return [s[i] + p for i in range(len(s)) for p in perms(s[:i] + s[i + 1:])]
print("perms", perms("abcd")[:6], len(perms("abcde")))

def unbounded(n):
    return unbounded(n + 1) + 1
try:
    unbounded(0)
except RecursionError:
    print("RecursionError caught")
print("still works", fib(10))

class Node:
    def __init__(self, v, kids=()):
        self.v = v; self.kids = list(kids)
    def total(self):
        return self.v + sum(k.total() for k in self.kids)
tree = Node(1, [Node(2, [Node(4), Node(5)]), Node(3, [Node(6, [Node(7)])])])
print("tree", tree.total())
def gcd(a, b):
    return a if b == 0 else gcd(b, a % b)
g = 0
for i in range(1, 3000):
    g += gcd(i * 7, 3003)
print("gcd sum", g)
