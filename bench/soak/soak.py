# Creates and drops code the way long-running programs do: per round a function made by
# exec (with a loop), a closure, and every tenth round a namedtuple, a dataclass and a
# class with a method, each used and then dropped. Prints the resident memory after the
# first tenth of the rounds (warm-up) and at the end, and the process's peak.
#
#   rpyjit [-X jit=off | -X jit-threshold=0] bench/soak/soak.py ROUNDS [CALLS]
#
# CALLS (default 1) is how often each exec'd function is called: 1 leaves it to the
# interpreter at the default threshold; at -X jit-threshold=0 every function is compiled.
import collections
import dataclasses
import gc
import sys


def status(field):
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return 0.0


def one_round(i, calls):
    ns = {}
    exec(
        f"def f{i}(n):\n    t = 0\n    for k in range(n):\n        t += k * {i % 7}\n    return t\n",
        ns,
    )
    f = ns[f"f{i}"]
    total = 0
    for _ in range(calls):
        total += f(3)

    def make(j=i):
        x = [j]

        def g():
            return x[0] + 1

        return g

    total += make()()
    if i % 10 == 0:
        P = collections.namedtuple(f"P{i}", "a b c")
        D = dataclasses.make_dataclass(f"D{i}", [("a", int), ("b", int, 0)])

        class C:
            def m(self):
                return self

        total += sum(P(1, 2, 3)) + D(1).a + (C().m() is not None)
    return total


def main():
    rounds = int(sys.argv[1])
    calls = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    warm = max(rounds // 10, 1)
    check = 0
    for i in range(rounds):
        check += one_round(i, calls)
        if i + 1 == warm:
            gc.collect()
            after_warmup = status("VmRSS")
    gc.collect()
    print(f"rounds {rounds} warmup_rss_mb {after_warmup:.1f} final_rss_mb {status('VmRSS'):.1f} "
          f"peak_rss_mb {status('VmHWM'):.1f} check {check}")


main()
