# A tiny stack machine interpreter driven by match/case; runs thousands of instructions.
def run(program, limit=100000):
    stack = []
    pc = 0
    steps = 0
    out = []
    env = {}
    while pc < len(program) and steps < limit:
        steps += 1
        match program[pc]:
            case ("push", v):
                stack.append(v)
            case ("load", name):
                stack.append(env[name])
            case ("store", name):
                env[name] = stack.pop()
            case ("add",):
                b, a = stack.pop(), stack.pop()
                stack.append(a + b)
            case ("sub",):
                b, a = stack.pop(), stack.pop()
                stack.append(a - b)
            case ("mul",):
                b, a = stack.pop(), stack.pop()
                stack.append(a * b)
            case ("mod",):
                b, a = stack.pop(), stack.pop()
                stack.append(a % b)
            case ("jz", target):
                if stack.pop() == 0:
                    pc = target
                    continue
            case ("jmp", target):
                pc = target
                continue
            case ("print",):
                out.append(stack.pop())
            case ("halt",):
                break
            case other:
                raise ValueError("bad instruction %r" % (other,))
        pc += 1
    return out, steps, env

# Assembler: resolves string labels to instruction indices (itself uses match).
def assemble(src):
    labels = {}
    pc = 0
    for ins in src:
        if isinstance(ins, str):
            labels[ins] = pc
        else:
            pc += 1
    out = []
    for ins in src:
        if isinstance(ins, str):
            continue
        match ins:
            case (("jz" | "jmp") as op, str(lbl)):
                out.append((op, labels[lbl]))
            case _:
                out.append(ins)
    return out

# sum of i*i for i in 0..399 where i % 3 != 0
src = [
    ("push", 0), ("store", "i"), ("push", 0), ("store", "acc"),
    "top",
    ("load", "i"), ("push", 400), ("sub",), ("jz", "end"),
    ("load", "i"), ("push", 3), ("mod",), ("jz", "next"),
    ("load", "acc"), ("load", "i"), ("load", "i"), ("mul",), ("add",), ("store", "acc"),
    "next",
    ("load", "i"), ("push", 1), ("add",), ("store", "i"), ("jmp", "top"),
    "end",
    ("load", "acc"), ("print",), ("halt",),
]
out, steps, env = run(assemble(src))
print(out, steps, sorted(env.items()))
assert out == [sum(i * i for i in range(400) if i % 3)]

fact_src = [
    ("push", 1), ("store", "r"), ("push", 25), ("store", "n"),
    "loop",
    ("load", "n"), ("jz", "done"),
    ("load", "r"), ("load", "n"), ("mul",), ("store", "r"),
    ("load", "n"), ("push", 1), ("sub",), ("store", "n"), ("jmp", "loop"),
    "done",
    ("load", "r"), ("print",),
]
out, steps, env = run(assemble(fact_src))
print(out, steps)
try:
    run([("push", 1), ("frobnicate",)])
except ValueError as e:
    print("ValueError", e)
print(run([("push", 1), ("jmp", 0)], limit=3000)[1])
