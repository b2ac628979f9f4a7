# cProfile counts the calls of a program's functions (recursive calls after the slash),
# whether they are hot or not; pstats reads the result. Times vary, so only counts print.
import cProfile
import io
import pstats

def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)

def leaf(x):
    return x * 2

def work(n):
    total = 0
    for i in range(n):
        total += leaf(i)
    return total + fib(10)

for _ in range(200):  # hot before profiling starts
    work(3)

profile = cProfile.Profile()
with profile:
    for _ in range(5):
        work(50)
    sorted([3, 1, 2])

stats = pstats.Stats(profile, stream=io.StringIO())
for (filename, line, name), (cc, nc, tt, ct, callers) in sorted(stats.stats.items(), key=str):
    if filename.endswith("e_cprofile_counts.py") or name.startswith("<built-in method builtins.sorted"):
        who = sorted(f"{c[2]}:{v[0]}" for c, v in callers.items())
        print(f"{name}: {nc} calls, {cc} primitive; called from {who}")

buf = io.StringIO()
pstats.Stats(profile, stream=buf).sort_stats("calls").print_stats("fib")
print("fib" in buf.getvalue(), "function calls" in buf.getvalue())
