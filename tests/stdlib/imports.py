"""Imports every top-level module of CPython 3.13's stdlib and compares the result with
the known absences (tests/stdlib/absent.txt). Prints one line per mismatch and exits 1
if there is any.

    rpyjit tests/stdlib/imports.py tests/stdlib/cpython313_modules.txt tests/stdlib/absent.txt
"""
import importlib
import io
import sys


def names(path, section=None):
    """The first word of each line of `path` (of the lines after the comment line that
    starts with `section`, if given)."""
    out, inside = [], section is None
    with open(path) as f:
        for line in f:
            if line.startswith("#"):
                inside = inside or line.startswith(section)
            elif line.strip() and inside:
                out.append(line.split()[0])
    return out


def main(modules_file, absent_file):
    absent = set(names(absent_file))
    not_imported = set(names(absent_file, "# Not imported by the test"))
    problems, imported = [], 0
    for name in names(modules_file):
        if name in not_imported:
            continue
        saved = sys.stdout, sys.stderr
        sys.stdout = sys.stderr = io.StringIO()  # some modules print when imported
        try:
            importlib.import_module(name)
            error = None
        except BaseException as e:  # SystemExit, too: a module must not end the run
            error = f"{type(e).__name__}: {e}"
        finally:
            sys.stdout, sys.stderr = saved
        if error is None:
            imported += 1
            if name in absent:
                problems.append(f"{name}: imports now; remove it from absent.txt")
        elif name not in absent:
            problems.append(f"{name}: {error}")
    print(f"{imported} stdlib modules import; {len(absent)} known absences")
    for p in problems:
        print("  " + p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
