"""CPython's own test suite as a conformance harness for rpyjit's JIT.

Runs test modules of CPython 3.13's `test` package under rpyjit in every JIT mode
(`-X jit=off`, the default, `-X jit-threshold=0`) and compares them per test case.
RustPython 0.6 passes only part of CPython's tests, so the oracle is `-X jit=off`: every
case that passes there must pass in both JIT modes. The status of every case in every
mode is recorded in `tests/cpython/expected/<module>.txt`; a case whose status differs
from the record (one that starts passing, or stops) fails the run, so the record cannot
go stale. Regenerate a record after a deliberate change with `--record`.

    python3 tests/cpython/run.py [--record] [--jobs N] [--timeout S]
                                 [--results FILE [--resume]]
                                 [--modules-file FILE | --all | module ...]

With no module given, the bounded selection in `tests/cpython/modules.txt` runs (what CI
runs); `--all` runs every `test_*` module and package of the package (the packages in
`tests/cpython/split.txt`, too big for one run's time limit, child by child). Needs CPython 3.13 (its test
package; found with pyenv or $CPYTHON313) and a built rpyjit ($RPYJIT, or
target/release/rpyjit).
"""

import argparse
import concurrent.futures
import json
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
MODES = {
    "off": ["-X", "jit=off"],
    "default": [],
    "t0": ["-X", "jit-threshold=0"],
}
# One line of `unittest -v`: "name (module.Class.name) ... status". A docstring line may
# come between the name and the dots, and output the test wrote to stderr (asyncio's
# debug-mode "Executing <Task ...> took 0.102 seconds") between the dots and a status
# then on a line of its own.
CASE = re.compile(
    r"^(?P<name>\S+) \((?P<id>[\w.]+)\)(?:\n[^\n]*?)? \.\.\. (?:[^\n]*\n)??"
    r"(?P<status>ok|FAIL|ERROR|skipped|expected failure|unexpected success)",
    re.MULTILINE,
)
STATUS = {
    "ok": "pass",
    "FAIL": "fail",
    "ERROR": "error",
    "skipped": "skip",
    "expected failure": "xfail",
    "unexpected success": "xpass",
}


def cpython_test_dir():
    py = os.environ.get("CPYTHON313")
    if not py:
        root = subprocess.run(["pyenv", "root"], capture_output=True, text=True).stdout.strip()
        py = os.path.join(root, "versions", "3.13.0", "bin", "python3.13")
    out = subprocess.run(
        [py, "-c", "import os, test; print(os.path.dirname(test.__file__))"],
        capture_output=True, text=True, check=True,
    )
    return out.stdout.strip()


def test_path():
    """A directory holding only CPython's `test` package (RustPython's own stdlib serves
    everything else)."""
    d = os.path.join(tempfile.gettempdir(), "rpyjit-cpython-tests")
    os.makedirs(d, exist_ok=True)
    link = os.path.join(d, "test")
    if not os.path.islink(link):
        os.symlink(cpython_test_dir(), link)
    return d


def run_module(rpyjit, path, module, mode, timeout):
    """{test id: status} of one module in one mode ({} plus a note if it did not finish)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "RPYJIT_"))}
    env["PYTHONPATH"] = path
    env["PYTHONHASHSEED"] = "0"
    cmd = [rpyjit, *MODES[mode], "-m", "unittest", "-v", f"test.{module}"]
    try:
        p = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=timeout,
                           cwd=tempfile.gettempdir(), stdin=subprocess.DEVNULL)
        out, note = p.stderr + p.stdout, ""
        if p.returncode not in (0, 1):
            note = f"exit status {p.returncode}"
    except subprocess.TimeoutExpired as e:
        out = (e.stderr or b"").decode(errors="replace") if isinstance(e.stderr, bytes) else (e.stderr or "")
        note = f"timed out after {timeout} s"
    cases = {}
    for m in CASE.finditer(out):
        status = STATUS[m.group("status")]
        # A case with subtests can report twice; the worst status wins.
        prev = cases.get(m.group("id"))
        if prev is None or prev == "pass":
            cases[m.group("id")] = status
    return cases, note


def read_split():
    """The test packages `--all` runs child by child (tests/cpython/split.txt)."""
    with open(os.path.join(HERE, "split.txt")) as f:
        return {l.split("#")[0].strip() for l in f if l.split("#")[0].strip()}


def test_modules(test_dir, name, split=None):
    """What `--all` runs for the entry `name` of the test package: a test module, a test
    package, or, for a package too big for one run's time limit (split.txt), each of its
    test modules and subpackages."""
    split = read_split() if split is None else split
    path = os.path.join(test_dir, name)
    if name.endswith(".py"):
        return [name[:-3]]
    if not os.path.isfile(os.path.join(path, "__init__.py")):
        return []
    if name not in split:
        return [name]
    return [f"{name}.{child}" for n in sorted(os.listdir(path))
            if (n.startswith("test_") and n.endswith(".py")) or (
                os.path.isfile(os.path.join(path, n, "__init__.py")) and n != "__pycache__")
            for child in [n[:-3] if n.endswith(".py") else n]]


def module_table(results, module):
    """{test id: (status with jit=off, default, threshold 0)} of one module."""
    ids = set()
    for mode in MODES:
        ids |= set(results[(module, mode)][0])
    return {t: tuple(results[(module, mode)][0].get(t, "missing") for mode in MODES)
            for t in ids}


def module_entry(results, module):
    """One module's notes and statuses, as --results writes them."""
    return {"notes": {mode: results[(module, mode)][1] for mode in MODES},
            "cases": {t: list(s) for t, s in sorted(module_table(results, module).items())}}


def record_path(module):
    return os.path.join(HERE, "expected", f"{module}.txt")


def read_record(module):
    rec = {}
    try:
        with open(record_path(module)) as f:
            for line in f:
                if line.startswith("#") or not line.strip():
                    continue
                test_id, off, default, t0 = line.split()
                rec[test_id] = (off, default, t0)
    except FileNotFoundError:
        return None
    return rec


def write_record(module, table):
    os.makedirs(os.path.join(HERE, "expected"), exist_ok=True)
    with open(record_path(module), "w") as f:
        f.write(f"# test.{module} under rpyjit: status per JIT mode (jit=off, default, threshold 0)\n")
        f.write("# regenerate: python3 tests/cpython/run.py --record " + module + "\n")
        for test_id in sorted(table):
            f.write(" ".join([test_id, *table[test_id]]) + "\n")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("modules", nargs="*")
    ap.add_argument("--record", action="store_true", help="write the statuses as the record")
    ap.add_argument("--all", action="store_true", help="every test_* module of the package")
    ap.add_argument("--modules-file", default=os.path.join(HERE, "modules.txt"))
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--timeout", type=int, default=600, help="seconds per module and mode")
    ap.add_argument("--results", help="write every case's statuses and each run's note as JSON")
    ap.add_argument("--resume", action="store_true",
                    help="with --results: keep the modules that file has, run the others")
    args = ap.parse_args()
    rpyjit = os.environ.get("RPYJIT") or os.path.join(ROOT, "target", "release", "rpyjit")
    path = test_path()
    if args.all:
        test_dir = os.path.join(path, "test")
        # Test modules and test packages (test_asyncio/, test_json/, ...).
        split = read_split()
        modules = sorted(m for n in os.listdir(test_dir) if n.startswith("test_")
                         for m in test_modules(test_dir, n, split))
    elif args.modules:
        modules = args.modules
    else:
        with open(args.modules_file) as f:
            modules = [l.split("#")[0].strip() for l in f if l.split("#")[0].strip()]

    # A long run keeps what it has: with --results, every module is written there as soon
    # as its three modes are done, and --resume skips the modules the file already has.
    results, done = {}, {}
    if args.resume and args.results and os.path.exists(args.results):
        with open(args.results) as f:
            done = json.load(f)
        for m, entry in done.items():
            for i, mode in enumerate(MODES):
                cases = {t: s[i] for t, s in entry["cases"].items() if s[i] != "missing"}
                results[(m, mode)] = (cases, entry["notes"][mode])
    jobs = [(m, mode) for m in modules if m not in done for mode in MODES]
    with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        futures = {pool.submit(run_module, rpyjit, path, m, mode, args.timeout): (m, mode)
                   for m, mode in jobs}
        for fut in concurrent.futures.as_completed(futures):
            m, _ = futures[fut]
            results[futures[fut]] = fut.result()
            if args.results and all((m, mode) in results for mode in MODES):
                done[m] = module_entry(results, m)
                with open(args.results + ".tmp", "w") as f:
                    json.dump(done, f, indent=1)
                os.replace(args.results + ".tmp", args.results)

    problems, totals = [], {"cases": 0, "pass_off": 0, "jit_regressions": 0}
    dump = {}
    for m in modules:
        for mode in MODES:
            note = results[(m, mode)][1]
            if note:
                print(f"test.{m} [{mode}]: {note}", file=sys.stderr)
        table = module_table(results, m)
        totals["cases"] += len(table)
        totals["pass_off"] += sum(1 for s in table.values() if s[0] == "pass")
        regress = [t for t, s in table.items() if s[0] == "pass" and (s[1] != "pass" or s[2] != "pass")]
        totals["jit_regressions"] += len(regress)
        dump[m] = module_entry(results, m)
        if args.record:
            write_record(m, table)
            continue
        rec = read_record(m)
        if rec is None:
            problems.append(f"test.{m}: no record (run with --record)")
            # Without a record the JIT's regressions are the news: name each one.
            for t in sorted(regress):
                problems.append(f"  passes with -X jit=off, not in a JIT mode: {t} {table[t]}")
            continue
        for test_id in sorted(set(rec) | set(table)):
            want, got = rec.get(test_id), table.get(test_id, ("missing",) * 3)
            if want != got:
                problems.append(f"{test_id}: recorded {want}, now {got}")
    if args.results:
        with open(args.results, "w") as f:
            json.dump(dump, f, indent=1)
    print(f"{len(modules)} modules, {totals['cases']} test cases; {totals['pass_off']} pass with "
          f"-X jit=off; {totals['jit_regressions']} of those fail in a JIT mode")
    for p in problems:
        print("  " + p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
