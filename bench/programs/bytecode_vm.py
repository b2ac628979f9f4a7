"""A small stack-machine interpreter written in Python: assembler, two dispatch loops, call frames.

Stresses: text parsing (`split`, `strip`, `endswith`, dict lookups) in a
two-pass assembler, lists of (opcode, arg) tuples, a hot dispatch loop with a
long `if/elif` chain on small ints, a second VM dispatching through a dict of
bound methods, small frame objects with `__slots__` and locals lists, list
push/pop as an operand stack, recursion inside the guest program.
"""
import sys

MASK = 0xFFFFFFFF

OPNAMES = ["PUSH", "LOAD", "STORE", "ADD", "SUB", "MUL", "DIV", "MOD", "LT", "EQ",
           "JMP", "JZ", "JNZ", "CALL", "RET", "PRINT", "DUP", "POP", "INC", "HALT"]
(PUSH, LOAD, STORE, ADD, SUB, MUL, DIV, MOD, LT, EQ,
 JMP, JZ, JNZ, CALL, RET, PRINT, DUP, POP, INC, HALT) = range(len(OPNAMES))
OPCODES = dict((name, i) for i, name in enumerate(OPNAMES))

GUEST_SOURCE = """
; fib(n): naive recursion
func fib 1
    load 0
    push 2
    lt
    jz recurse
    load 0
    ret
recurse:
    load 0
    push 1
    sub
    call fib 1
    load 0
    push 2
    sub
    call fib 1
    add
    ret
end

; gcd(a, b): Euclid with a loop
func gcd 3
top:
    load 1
    jz done
    load 0
    load 1
    mod
    store 2
    load 1
    store 0
    load 2
    store 1
    jmp top
done:
    load 0
    ret
end

; is_prime(n): trial division, returns 0/1
func is_prime 2
    load 0
    push 2
    lt
    jz check
    push 0
    ret
check:
    push 2
    store 1
loop:
    load 1
    load 1
    mul
    load 0
    push 1
    add
    lt
    jz yes
    load 0
    load 1
    mod
    jz no
    inc 1
    jmp loop
yes:
    push 1
    ret
no:
    push 0
    ret
end

; collatz(n): number of steps to reach 1
func collatz 2
    push 0
    store 1
again:
    load 0
    push 1
    eq
    jnz fin
    inc 1
    load 0
    push 2
    mod
    jz even
    load 0
    push 3
    mul
    push 1
    add
    store 0
    jmp again
even:
    load 0
    push 2
    div
    store 0
    jmp again
fin:
    load 1
    ret
end

func main 3
    push FIBN
    call fib 1
    print
    push 0
    store 0
    push 0
    store 2
mloop:
    load 0
    push LIMIT
    lt
    jz mdone
    load 0
    call is_prime 1
    load 2
    add
    store 2
    load 0
    push 7919
    mul
    push 1000
    add
    load 0
    push 97
    add
    call gcd 2
    print
    load 0
    push 16
    mod
    jnz skip
    load 0
    push 1
    add
    call collatz 1
    print
skip:
    inc 0
    jmp mloop
mdone:
    load 2
    print
    halt
end
"""


class Function(object):
    __slots__ = ("name", "nlocals", "code")

    def __init__(self, name, nlocals):
        self.name = name
        self.nlocals = nlocals
        self.code = []


class Frame(object):
    __slots__ = ("func", "code", "pc", "locals", "stack")

    def __init__(self, func, args):
        self.func = func
        self.code = func.code
        self.pc = 0
        self.locals = args + [0] * (func.nlocals - len(args))
        self.stack = []


class AsmError(Exception):
    pass


def assemble(text, consts):
    """Two passes: collect functions and labels, then resolve operands."""
    funcs = {}
    pending = []
    current = None
    labels = None
    for lineno, raw in enumerate(text.split("\n"), 1):
        line = raw.split(";", 1)[0].strip()
        if not line:
            continue
        parts = line.split()
        head = parts[0].lower()
        if head == "func":
            current = Function(parts[1], int(parts[2]))
            labels = {}
            funcs[current.name] = current
            continue
        if head == "end":
            for idx, op, operand in pending:
                if operand in labels:
                    current.code[idx] = (op, labels[operand])
                else:
                    raise AsmError("line %d: unknown label %s" % (lineno, operand))
            pending = []
            current = None
            continue
        if line.endswith(":"):
            labels[line[:-1]] = len(current.code)
            continue
        op = OPCODES[head.upper()]
        arg = None
        if op in (JMP, JZ, JNZ):
            pending.append((len(current.code), op, parts[1]))
        elif op == CALL:
            arg = (parts[1], int(parts[2]))
        elif len(parts) > 1:
            tok = parts[1]
            arg = consts[tok] if tok in consts else int(tok)
        current.code.append((op, arg))
    # link calls to Function objects
    for f in funcs.values():
        f.code = [(op, (funcs[arg[0]], arg[1]) if op == CALL else arg) for op, arg in f.code]
    return funcs


def run_switch(funcs, entry):
    """Dispatch with an if/elif chain; returns printed output and steps."""
    out = []
    frames = []
    frame = Frame(funcs[entry], [])
    code = frame.code
    stack = frame.stack
    loc = frame.locals
    steps = 0
    while True:
        op, arg = code[frame.pc]
        frame.pc += 1
        steps += 1
        if op == LOAD:
            stack.append(loc[arg])
        elif op == PUSH:
            stack.append(arg)
        elif op == STORE:
            loc[arg] = stack.pop()
        elif op == ADD:
            b = stack.pop()
            stack[-1] += b
        elif op == SUB:
            b = stack.pop()
            stack[-1] -= b
        elif op == MUL:
            b = stack.pop()
            stack[-1] *= b
        elif op == DIV:
            b = stack.pop()
            stack[-1] //= b
        elif op == MOD:
            b = stack.pop()
            stack[-1] %= b
        elif op == LT:
            b = stack.pop()
            stack[-1] = 1 if stack[-1] < b else 0
        elif op == EQ:
            b = stack.pop()
            stack[-1] = 1 if stack[-1] == b else 0
        elif op == JMP:
            frame.pc = arg
        elif op == JZ:
            if stack.pop() == 0:
                frame.pc = arg
        elif op == JNZ:
            if stack.pop() != 0:
                frame.pc = arg
        elif op == INC:
            loc[arg] += 1
        elif op == CALL:
            func, nargs = arg
            args = stack[len(stack) - nargs:]
            del stack[len(stack) - nargs:]
            frames.append(frame)
            frame = Frame(func, args)
            code = frame.code
            stack = frame.stack
            loc = frame.locals
        elif op == RET:
            result = stack.pop()
            frame = frames.pop()
            code = frame.code
            stack = frame.stack
            loc = frame.locals
            stack.append(result)
        elif op == PRINT:
            out.append(stack.pop())
        elif op == DUP:
            stack.append(stack[-1])
        elif op == POP:
            stack.pop()
        elif op == HALT:
            return out, steps
        else:
            raise RuntimeError("bad opcode %r" % (op,))


class MethodVM(object):
    """Same semantics, dispatching through a table of bound methods."""

    def __init__(self, funcs):
        self.funcs = funcs
        self.out = []
        self.frames = []
        self.frame = None
        self.running = False
        self.table = {}
        for name in OPNAMES:
            self.table[OPCODES[name]] = getattr(self, "op_" + name.lower())

    def run(self, entry):
        self.frame = Frame(self.funcs[entry], [])
        self.running = True
        table = self.table
        steps = 0
        while self.running:
            frame = self.frame
            op, arg = frame.code[frame.pc]
            frame.pc += 1
            table[op](arg)
            steps += 1
        return self.out, steps

    def binop(self):
        stack = self.frame.stack
        b = stack.pop()
        return stack, stack.pop(), b

    def op_push(self, arg):
        self.frame.stack.append(arg)

    def op_load(self, arg):
        f = self.frame
        f.stack.append(f.locals[arg])

    def op_store(self, arg):
        f = self.frame
        f.locals[arg] = f.stack.pop()

    def op_add(self, arg):
        s, a, b = self.binop()
        s.append(a + b)

    def op_sub(self, arg):
        s, a, b = self.binop()
        s.append(a - b)

    def op_mul(self, arg):
        s, a, b = self.binop()
        s.append(a * b)

    def op_div(self, arg):
        s, a, b = self.binop()
        s.append(a // b)

    def op_mod(self, arg):
        s, a, b = self.binop()
        s.append(a % b)

    def op_lt(self, arg):
        s, a, b = self.binop()
        s.append(1 if a < b else 0)

    def op_eq(self, arg):
        s, a, b = self.binop()
        s.append(1 if a == b else 0)

    def op_jmp(self, arg):
        self.frame.pc = arg

    def op_jz(self, arg):
        f = self.frame
        if f.stack.pop() == 0:
            f.pc = arg

    def op_jnz(self, arg):
        f = self.frame
        if f.stack.pop() != 0:
            f.pc = arg

    def op_call(self, arg):
        func, nargs = arg
        stack = self.frame.stack
        args = [stack.pop() for _ in range(nargs)]
        args.reverse()
        self.frames.append(self.frame)
        self.frame = Frame(func, args)

    def op_ret(self, arg):
        result = self.frame.stack.pop()
        self.frame = self.frames.pop()
        self.frame.stack.append(result)

    def op_print(self, arg):
        self.out.append(self.frame.stack.pop())

    def op_dup(self, arg):
        s = self.frame.stack
        s.append(s[-1])

    def op_pop(self, arg):
        self.frame.stack.pop()

    def op_inc(self, arg):
        self.frame.locals[arg] += 1

    def op_halt(self, arg):
        self.running = False


def disassemble(funcs):
    lines = []
    for name in sorted(funcs):
        f = funcs[name]
        lines.append("func %s %d" % (name, f.nlocals))
        for pc, (op, arg) in enumerate(f.code):
            if op == CALL:
                lines.append("  %3d %s %s/%d" % (pc, OPNAMES[op], arg[0].name, arg[1]))
            elif arg is None:
                lines.append("  %3d %s" % (pc, OPNAMES[op]))
            else:
                lines.append("  %3d %s %d" % (pc, OPNAMES[op], arg))
    return "\n".join(lines)


def digest(values):
    h = len(values)
    for v in values:
        h = (h * 1000003 + v) & MASK
    return h


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 2400
    listing_len = 0
    funcs = None
    for i in range(20):
        funcs = assemble(GUEST_SOURCE, {"LIMIT": n + i, "FIBN": 12})
        listing_len += len(disassemble(funcs))
    funcs = assemble(GUEST_SOURCE, {"LIMIT": n, "FIBN": 18})
    out1, steps1 = run_switch(funcs, "main")
    funcs2 = assemble(GUEST_SOURCE, {"LIMIT": n // 2, "FIBN": 16})
    out2, steps2 = MethodVM(funcs2).run("main")
    out3, steps3 = run_switch(funcs2, "main")
    same = out2 == out3 and steps2 == steps3
    print("bytecode_vm n=%d fib=%d primes=%d steps=%d/%d same=%s listing=%d checksum=%d" % (
        n, out1[0], out1[-1], steps1, steps2, same, listing_len,
        (digest(out1) * 3 + digest(out2)) & MASK))


if __name__ == "__main__":
    main()
