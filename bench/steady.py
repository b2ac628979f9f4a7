"""Steady-state runner: import a bench program once, then call its main() several times.

Usage: python steady.py PROGRAM.py ITERATIONS [SIZE...]

The program is loaded as a module (not as __main__), so its functions and classes are
created once and stay warm across iterations, as in a long-running process. Each
iteration's output is captured; every iteration must print the same checksum line.
Prints `steady-times: t1 t2 ...` (seconds per iteration) and then the checksum line last.
"""
import io
import sys
import time


def load(path):
    namespace = {"__name__": "bench_program", "__file__": path, "__builtins__": __builtins__}
    with open(path) as f:
        source = f.read()
    exec(compile(source, path, "exec"), namespace)
    return namespace


def last_line(text):
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1] if lines else ""


def main():
    if len(sys.argv) < 3:
        sys.stderr.write("usage: steady.py PROGRAM.py ITERATIONS [SIZE...]\n")
        sys.exit(2)
    path, iterations = sys.argv[1], int(sys.argv[2])
    sys.argv = [path] + sys.argv[3:]
    program_main = load(path)["main"]
    times = []
    checksum = None
    real_stdout = sys.stdout
    for _ in range(iterations):
        sys.stdout = captured = io.StringIO()
        try:
            start = time.perf_counter()
            program_main()
            times.append(time.perf_counter() - start)
        finally:
            sys.stdout = real_stdout
        line = last_line(captured.getvalue())
        if checksum is None:
            checksum = line
        elif line != checksum:
            sys.stderr.write("iteration %d printed %r, the first printed %r\n" % (len(times), line, checksum))
            sys.exit(1)
    print("steady-times: " + " ".join("%.6f" % t for t in times))
    print(checksum)


main()
