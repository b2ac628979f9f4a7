//! `rpyjit` behaves like CPython's `python3` on the command line: run modes, argv, exit
//! statuses and the messages for bad input.

mod common;
use common::{exited_like_sigint, rpyjit, run, send_sigint, stderr, stdout};

use std::io::Write;
use std::process::{Output, Stdio};

fn run_stdin(args: &[&str], input: &str) -> Output {
    let mut child = rpyjit()
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn rpyjit");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

fn temp_script(name: &str, body: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("rpyjit-cli-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(format!("{name}.py"));
    std::fs::write(&p, body).unwrap();
    p
}

/// Starts rpyjit with `args`, waits for it to print `ready`, sends SIGINT (Ctrl-C) and
/// returns what it did.
fn interrupt_when_ready(args: &[&str]) -> Output {
    let mut child = rpyjit()
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut out = child.stdout.take().unwrap();
    let mut buf = [0u8; 6];
    std::io::Read::read_exact(&mut out, &mut buf).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(300));
    send_sigint(child.id());
    child.wait_with_output().unwrap()
}

/// `-V` prints a CPython-like version and `-VV` names rpyjit.
#[test]
fn version_looks_like_cpythons() {
    let o = run(&["-V"]);
    assert!(o.status.success());
    assert!(stdout(&o).starts_with("Python 3."), "{}", stdout(&o));
    let o = run(&["-VV"]);
    assert!(stdout(&o).contains("rpyjit"), "{}", stdout(&o));
}

/// `-h` documents the JIT's `-X` options and environment variables.
#[test]
fn help_lists_the_jit_flags() {
    let o = run(&["-h"]);
    assert!(o.status.success());
    let s = stdout(&o);
    for flag in [
        "-X jit=on|off",
        "-X jit-threshold=N",
        "-X jit-stats",
        "-X jit-exclude=PAT",
        "-X jit-dump=DIR",
        "-X perf",
        "RPYJIT_JIT",
        "RPYJIT_THRESHOLD",
        "RPYJIT_STATS",
        "RPYJIT_EXCLUDE",
        "RPYJIT_DUMP",
        "RPYJIT_PERF",
    ] {
        assert!(s.contains(flag), "help lacks {flag}");
    }
}

/// `-c` programs see `sys.argv` as CPython sets it.
#[test]
fn command_sees_its_argv() {
    let o = run(&["-c", "import sys; print(sys.argv)", "a", "-b"]);
    assert_eq!(stdout(&o), "['-c', 'a', '-b']\n");
    assert!(o.status.success());
}

/// A script sees its arguments, its directory as `sys.path[0]` and `__name__ == '__main__'`.
#[test]
fn script_sees_its_argv_and_path0() {
    let p = temp_script(
        "argv",
        r#"import sys, os
print(sys.argv[1:])
print(sys.path[0] == os.path.dirname(os.path.realpath(__file__)))
print(__name__)
"#,
    );
    let o = run(&[p.to_str().unwrap(), "x", "--y"]);
    assert_eq!(
        stdout(&o),
        "['x', '--y']\nTrue\n__main__\n",
        "{}",
        stderr(&o)
    );
}

/// `sys.exit` and `SystemExit` set the exit status as in CPython.
#[test]
fn sys_exit_sets_the_status() {
    assert_eq!(
        run(&["-c", "import sys; sys.exit(3)"]).status.code(),
        Some(3)
    );
    let o = run(&["-c", "import sys; sys.exit('bye')"]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(stderr(&o), "bye\n");
    assert_eq!(run(&["-c", "raise SystemExit"]).status.code(), Some(0));
}

/// An uncaught exception prints a traceback naming every frame and exits with status 1.
#[test]
fn uncaught_exception_prints_a_traceback_and_exits_1() {
    let p = temp_script(
        "boom",
        r#"def f():
    return 1 // 0

def g():
    f()

g()
"#,
    );
    let o = run(&[p.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let e = stderr(&o);
    assert!(e.starts_with("Traceback (most recent call last):"), "{e}");
    assert!(e.contains(", line 7, in <module>"), "{e}");
    assert!(e.contains(", line 5, in g"), "{e}");
    assert!(e.contains(", line 2, in f"), "{e}");
    assert!(
        e.trim_end()
            .ends_with("ZeroDivisionError: integer division or modulo by zero")
            || e.trim_end()
                .ends_with("ZeroDivisionError: division by zero"),
        "{e}"
    );
}

/// A syntax error is reported and exits with status 1.
#[test]
fn syntax_error_exits_1() {
    let o = run(&[
        "-c",
        r#"def f(:
  pass"#,
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("SyntaxError"), "{}", stderr(&o));
}

/// A missing script exits with status 2 and CPython's message.
#[test]
fn missing_script_exits_2_with_cpythons_message() {
    let o = run(&["/nonexistent/dir/missing.py"]);
    assert_eq!(o.status.code(), Some(2));
    let e = stderr(&o);
    assert!(
        e.contains(
            "can't open file '/nonexistent/dir/missing.py': [Errno 2] No such file or directory"
        ),
        "{e}"
    );
}

/// Bad options exit with status 2, a message and the usage line.
#[test]
fn bad_command_lines_exit_2_with_usage() {
    for (args, msg) in [
        (&["--frobnicate"][..], "unknown option --frobnicate"),
        (&["-Z"][..], "Unknown option: -Z"),
        (&["-c"][..], "Argument expected for the -c option"),
        (
            &["-X", "jit=maybe", "-c", "pass"][..],
            "-X jit=maybe: expected on or off",
        ),
        (
            &["-X", "jit-threshold=lots", "-c", "pass"][..],
            "-X jit-threshold=lots",
        ),
        (
            &["-X", "jit-dump", "-c", "pass"][..],
            "-X jit-dump: expected a directory",
        ),
    ] {
        let o = run(args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        let e = stderr(&o);
        assert!(e.contains(msg), "{args:?}: {e}");
        assert!(e.contains("usage: "), "{args:?}: {e}");
    }
}

/// A bad `RPYJIT_*` variable exits with status 2, unless `-E` ignores it.
#[test]
fn bad_jit_environment_variable_exits_2() {
    let o = rpyjit()
        .env("RPYJIT_THRESHOLD", "-1")
        .args(["-c", "pass"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("RPYJIT_THRESHOLD=-1"));
    // -E ignores RPYJIT_* like PYTHON* variables.
    let o = rpyjit()
        .env("RPYJIT_THRESHOLD", "-1")
        .args(["-E", "-c", "pass"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
}

/// Options after `-c PROG` go to the program's `sys.argv`.
#[test]
fn options_after_the_script_belong_to_the_script() {
    let o = run(&[
        "-c",
        "import sys; print(sys.argv[1:])",
        "-h",
        "-V",
        "--bogus",
    ]);
    assert_eq!(stdout(&o), "['-h', '-V', '--bogus']\n");
}

/// A program piped on stdin (or `-`) runs with CPython's `sys.argv`.
#[test]
fn program_on_stdin() {
    let o = run_stdin(
        &[],
        r#"import sys
print('piped', sys.argv)
"#,
    );
    assert_eq!(stdout(&o), "piped ['']\n", "{}", stderr(&o));
    let o = run_stdin(
        &["-", "arg"],
        r#"import sys
print(sys.argv)
"#,
    );
    assert_eq!(stdout(&o), "['-', 'arg']\n", "{}", stderr(&o));
}

/// `-m` runs library modules and reports missing ones.
#[test]
fn dash_m_runs_library_modules() {
    let o = run_stdin(&["-m", "json.tool"], "{\"b\": [1, 2], \"a\": null}");
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        stdout(&o),
        "{\n    \"b\": [\n        1,\n        2\n    ],\n    \"a\": null\n}\n"
    );
    let o = run(&["-m", "no_such_module_xyz"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("No module named no_such_module_xyz"),
        "{}",
        stderr(&o)
    );
}

/// `sys.executable` is the rpyjit binary.
#[test]
fn sys_executable_is_rpyjit() {
    let o = run(&["-c", "import sys; print(sys.executable)"]);
    let exe = std::fs::canonicalize(env!("CARGO_BIN_EXE_rpyjit")).unwrap();
    let got = std::fs::canonicalize(stdout(&o).trim()).unwrap();
    assert_eq!(got, exe);
}

/// The JIT's `-X` options show in `sys._xoptions`.
#[test]
fn jit_options_reach_sys_xoptions() {
    let o = run(&[
        "-X",
        "jit=off",
        "-X",
        "jit-threshold=7",
        "-c",
        "import sys; print(sorted(sys._xoptions.items()))",
    ]);
    assert_eq!(
        stdout(&o),
        "[('jit', 'off'), ('jit-threshold', '7')]\n",
        "{}",
        stderr(&o)
    );
}

/// `PYTHONPATH` extends `sys.path`, and `-I` ignores it.
#[test]
fn pythonpath_and_isolation() {
    let dir = temp_script("modx", "VALUE = 42\n");
    let dir = dir.parent().unwrap();
    let o = rpyjit()
        .env("PYTHONPATH", dir)
        .args(["-c", "import modx; print(modx.VALUE)"])
        .output()
        .unwrap();
    assert_eq!(stdout(&o), "42\n", "{}", stderr(&o));
    let o = rpyjit()
        .env("PYTHONPATH", dir)
        .args(["-I", "-c", "import modx"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("ModuleNotFoundError"));
}

/// `-O` removes `assert` statements.
#[test]
fn optimize_removes_asserts() {
    assert_eq!(run(&["-c", "assert False"]).status.code(), Some(1));
    assert_eq!(run(&["-O", "-c", "assert False"]).status.code(), Some(0));
}

/// `-W error` turns warnings into errors.
#[test]
fn warnings_option_turns_warnings_into_errors() {
    let o = run(&["-W", "error", "-c", "import warnings; warnings.warn('w')"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("UserWarning: w"), "{}", stderr(&o));
}

/// Unbounded recursion raises a catchable RecursionError.
#[test]
fn deep_recursion_raises_recursion_error() {
    let o = run(&[
        "-c",
        r#"def f(n): return f(n + 1)
try:
    f(0)
except RecursionError:
    print('caught')
"#,
    ]);
    assert_eq!(stdout(&o), "caught\n", "{}", stderr(&o));
    let o = run(&[
        "-c",
        r#"def f(n): return f(n + 1)
f(0)
"#,
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("RecursionError"), "{}", stderr(&o));
}

/// An uncaught KeyboardInterrupt exits the way SIGINT does.
#[test]
fn uncaught_keyboard_interrupt_exits_like_sigint() {
    let o = run(&["-c", "raise KeyboardInterrupt"]);
    // CPython re-raises SIGINT on itself so the shell sees 130 (128 + SIGINT).
    assert!(exited_like_sigint(&o), "{:?}", o.status);
    assert!(stderr(&o).contains("KeyboardInterrupt"));
}

/// Ctrl-C interrupts an interpreted loop with KeyboardInterrupt.
#[test]
fn ctrl_c_interrupts_a_running_loop() {
    let o = interrupt_when_ready(&[
        "-u",
        "-c",
        r#"import sys
print('ready', flush=True)
i = 0
while True:
    i += 1
"#,
    ]);
    assert!(exited_like_sigint(&o), "{:?}", o.status);
    assert!(stderr(&o).contains("KeyboardInterrupt"), "{}", stderr(&o));
}

/// A traceback through compiled code is the interpreter's.
#[test]
fn tracebacks_through_compiled_code_match_the_interpreters() {
    let p = temp_script(
        "jit_tb",
        r#"import rpyjit
def g(a, b):
    return a // b

def main():
    for k in range(5):
        g(10, 3)
    g(1, 0)

rpyjit.compile(g)
main()
"#,
    );
    let off = run(&["-X", "jit=off", p.to_str().unwrap()]);
    let on = run(&["-X", "jit-threshold=0", p.to_str().unwrap()]);
    assert_eq!(on.status.code(), Some(1));
    assert_eq!(stderr(&on), stderr(&off));
    assert!(stderr(&on).contains("line 3, in g"), "{}", stderr(&on));
}

/// The `-X jit-stats` text lists compiled functions and deopt sites, and gives compile time
/// in the one line tools parse, `compile time: T ms for N bytecode instructions (X ms per
/// 100)` with X = 100 T / N, and by phase (the one summary-text test).
#[test]
fn jit_stats_report_compiled_functions_and_deopts() {
    let o = run(&[
        "-X",
        "jit-threshold=0",
        "-X",
        "jit-stats",
        "-c",
        r#"def f(n):
    x = 1
    i = 0
    while i < n:
        x = x * 7
        i += 1
    return x
print(f(3), f(40), f(2))"#,
    ]);
    let e = stderr(&o);
    assert!(o.status.success(), "{e}");
    // At threshold 0 the function is compiled before its first execution: every call
    // runs natively, and the overflowing one continues in the interpreter. (The stdlib
    // functions start-up runs are compiled and listed too.)
    assert!(e.contains("\n    f [work inline"), "{e}");
    assert!(
        e.lines()
            .any(|l| l.trim_start().starts_with("1  f @ unit") && l.ends_with("int overflow")),
        "{e}"
    );
    assert_eq!(
        stdout(&o),
        format!("343 {} 49\n", "6366805760909027985741435139224001")
    );
    let line = e
        .lines()
        .find(|l| l.starts_with("compile time: "))
        .unwrap_or_else(|| panic!("no compile time line in\n{e}"));
    let words: Vec<&str> = line.split_whitespace().collect();
    let t: f64 = words[2].parse().unwrap();
    let n: f64 = words[5].parse().unwrap();
    let per_100: f64 = words[8].trim_start_matches('(').parse().unwrap();
    assert_eq!(&words[..2], ["compile", "time:"], "{line}");
    assert_eq!(
        (words[3], words[6], words[7], &words[9..]),
        ("ms", "bytecode", "instructions", &["ms", "per", "100)"][..]),
        "{line}"
    );
    // Start-up code is compiled at threshold 0: work was done and timed.
    assert!(t > 0.0 && n > 10.0, "{line}");
    assert!(
        (per_100 - 100.0 * t / n).abs() < 0.01 + per_100 * 0.01,
        "{line}"
    );
    let phases = e
        .lines()
        .find(|l| l.trim_start().starts_with("compile phases: "))
        .unwrap_or_else(|| panic!("no compile phases line in\n{e}"));
    for phase in ["translate", "verify", "codegen", "link"] {
        assert!(phases.contains(&format!("{phase} ")), "{phases}");
    }
}

/// `-X jit-dump=DIR` (or `RPYJIT_DUMP=DIR`) writes each compilation's typed instructions,
/// CLIF and machine code into DIR, numbered in compile order and named by the version's
/// label; `-` prints them on stderr; a directory that cannot be made is a usage error.
#[test]
fn x_jit_dump_writes_each_compilation_s_listings() {
    let program = "def spin(n):\n    t = 0\n    for i in range(n):\n        t += i % 7\n    return t\nprint(spin(3000))";
    let dir = std::env::temp_dir().join(format!("rpyjit-dump-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    for how in ["-X", "RPYJIT_DUMP"] {
        let d = dir.join(how);
        let mut c = rpyjit();
        if how == "-X" {
            c.arg("-X").arg(format!("jit-dump={}", d.display()));
        } else {
            c.env("RPYJIT_DUMP", &d);
        }
        let o = c.args(["-c", program]).output().unwrap();
        assert!(o.status.success(), "{how}: {}", stderr(&o));
        assert_eq!(stdout(&o), "8994\n");
        let mut names: Vec<String> = std::fs::read_dir(&d)
            .unwrap_or_else(|e| panic!("{how}: no dump directory: {e}"))
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        let spin: Vec<&String> = names.iter().filter(|n| n.contains("-spin")).collect();
        assert_eq!(spin.len(), 3, "{how}: {names:?}");
        for (file, ext, content) in [
            (spin[0], ".asm", "ret"),
            (spin[1], ".clif", "function u0:0("),
            (spin[2], ".types", "q="),
        ] {
            assert!(
                file.starts_with("0001-") && file.ends_with(ext),
                "{how}: {file}"
            );
            let text = std::fs::read_to_string(d.join(file)).unwrap();
            assert!(text.starts_with("; spin"), "{how}: {file}: {text:.200}");
            assert!(text.contains(content), "{how}: {file} lacks {content}");
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    let o = run(&["-X", "jit-dump=-", "-c", program]);
    assert!(o.status.success());
    assert!(
        stderr(&o).contains("; rpyjit dump 0001 spin"),
        "{}",
        stderr(&o)
    );
    let o = run(&["-X", "jit-dump=/proc/no/such/dir", "-c", program]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("-X jit-dump=/proc/no/such/dir: cannot create"),
        "{}",
        stderr(&o)
    );
}

/// A tracer installed after compilation sees every line of a compiled function.
#[test]
fn a_tracer_sees_lines_of_compiled_functions() {
    let o = run(&[
        "-X",
        "jit-threshold=0",
        "-c",
        r#"import sys, rpyjit
def f(a):
    b = a + 1
    return b
rpyjit.compile(f); f(1); f(2)
lines = []
def t(fr, ev, arg):
    if ev == 'line' and fr.f_code.co_name == 'f': lines.append(fr.f_lineno)
    return t
sys.settrace(t)
f(3)
sys.settrace(None)
print(lines)"#,
    ]);
    assert_eq!(stdout(&o), "[3, 4]\n", "{}", stderr(&o));
}

/// `rpyjit.compile`, `is_compiled` and `stats()` report versions, native calls and refusals.
#[test]
fn the_rpyjit_module_compiles_and_reports() {
    let o = run(&[
        "-c",
        r#"import rpyjit
def f(a, b):
    return a * b + a // 3 - b % 7
def g(*a):
    yield a
print(rpyjit.compile(f), rpyjit.is_compiled(f), rpyjit.compile(g))
print(f(10, 20), f(2**40, 2**40), f(1.5, 2))
s = rpyjit.stats()
print([c['label'] for c in s['compiled']], s['native_calls'] >= 1, list(s['refused'].values()))"#,
    ]);
    assert_eq!(
        stdout(&o),
        "True True False\n197 1208925819614995678582099 1.0\n['f', 'f (generic)'] True [1]\n",
        "{}",
        stderr(&o)
    );
}

/// Compiled code run by several threads at once gives the interpreter's results.
#[test]
fn compiled_code_runs_from_several_threads_at_once() {
    let o = run(&[
        "-X",
        "jit-threshold=0",
        "-c",
        r#"import threading
def f(a, b):
    s = 0
    i = 0
    while i < b:
        s += a * i - i // 3
        i += 1
    return s
res = {}
def worker(k):
    t = 0
    for j in range(300):
        t += f(k, j)
    res[k] = t
ts = [threading.Thread(target=worker, args=(k,)) for k in range(4)]
for t in ts: t.start()
for t in ts: t.join()
print(sorted(res.items()))"#,
    ]);
    let off = run(&[
        "-X",
        "jit=off",
        "-c",
        r#"def f(a, b):
    s = 0
    i = 0
    while i < b:
        s += a * i - i // 3
        i += 1
    return s
res = {}
for k in range(4):
    res[k] = sum(f(k, j) for j in range(300))
print(sorted(res.items()))"#,
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stdout(&o), stdout(&off));
}

/// Ctrl-C interrupts a loop running in native code, in the compiled function.
#[test]
fn ctrl_c_interrupts_a_compiled_loop() {
    let o = interrupt_when_ready(&[
        "-u",
        "-X",
        "jit-threshold=0",
        "-c",
        r#"import rpyjit
def spin(n):
    i = 0
    while i != n:
        i += 1
    return i
spin(5)
assert rpyjit.is_compiled(spin)
print('ready', flush=True)
spin(-1)
"#,
    ]);
    assert!(exited_like_sigint(&o), "{:?}", o.status);
    let e = stderr(&o);
    assert!(e.contains("KeyboardInterrupt"), "{e}");
    assert!(e.contains("in spin"), "{e}");
}

/// Entry guard misses and overflow deopts leave the arguments' reference counts balanced.
#[test]
fn refcounts_balance_across_native_calls_entry_misses_and_deopts() {
    // Objects passed to a compiled function that runs them in the interpreter (entry
    // miss), and calls that deopt on overflow, must not leak or drop references.
    let o = run(&[
        "-c",
        r#"import sys, rpyjit
def f(a, b):
    i = 0
    while i < 3:
        a = a + b
        i += 1
    return a
rpyjit.compile(f)
f(1, 2)
x = 'abc'; y = 'd'
before = (sys.getrefcount(x), sys.getrefcount(y))
for k in range(50):
    f(x, y)
for k in range(50):
    f(1, 2); f(2**62, 2**62)
print(before == (sys.getrefcount(x), sys.getrefcount(y)), rpyjit.is_compiled(f), f(2**62, 2**62))"#,
    ]);
    assert_eq!(
        stdout(&o),
        "True True 18446744073709551616\n",
        "{}",
        stderr(&o)
    );
}

/// A program that logs from a hot function (its loop entered natively, and a function
/// its native code calls) gets the same records on stderr in every JIT mode: the
/// function names and line numbers `logging` reads from the running frames, and
/// `stack_info` with the whole chain of callers.
#[test]
fn logging_from_hot_code_names_the_running_line() {
    let script = temp_script(
        "hot_logging",
        r#"import logging
logging.basicConfig(format="%(levelname)s %(funcName)s:%(lineno)d %(message)s")
log = logging.getLogger("app")

def record(i):
    if i % 1000 == 999:
        log.warning("record %d", i)
    return i

def process(n):
    total = 0
    for i in range(n):
        total += record(i)
        if i == n - 1:
            log.warning("done", stack_info=True)
    return total

print(process(3000))
"#,
    );
    let script = script.to_str().unwrap();
    let reference = run(&["-X", "jit=off", script]);
    assert!(reference.status.success(), "{}", stderr(&reference));
    let expected = stderr(&reference);
    assert!(
        expected.contains("WARNING record:7 record 999"),
        "{expected}"
    );
    assert!(expected.contains("WARNING process:15 done"), "{expected}");
    assert!(expected.contains("in process\n"), "{expected}");
    for mode in [
        &["-X", "jit-threshold=1000"][..],
        &["-X", "jit-threshold=0"][..],
    ] {
        let o = run(&[mode, &[script]].concat());
        assert!(o.status.success(), "{mode:?}: {}", stderr(&o));
        assert_eq!(stdout(&o), stdout(&reference), "{mode:?}");
        assert_eq!(stderr(&o), expected, "{mode:?}");
    }
}

/// `rpyjit -m cProfile -s cumtime script.py` runs the script and prints its profile,
/// sorted by cumulative time, with the script's functions and their call counts.
#[test]
fn m_cprofile_prints_a_sorted_profile() {
    let p = temp_script(
        "profiled",
        r#"def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)

def main():
    for _ in range(300):
        fib(8)
    print('done')

main()
"#,
    );
    for jit in ["jit=off", "jit=on"] {
        let o = run(&[
            "-X",
            jit,
            "-m",
            "cProfile",
            "-s",
            "cumtime",
            p.to_str().unwrap(),
        ]);
        assert!(o.status.success(), "{jit}: {}", stderr(&o));
        let out = stdout(&o);
        assert!(out.starts_with("done\n"), "{jit}: {out}");
        assert!(out.contains("Ordered by: cumulative time"), "{jit}: {out}");
        // 300 calls of fib(8) make 300 * 67 calls, 300 of them primitive.
        let fib = out
            .lines()
            .find(|l| l.ends_with("(fib)"))
            .unwrap_or_else(|| panic!("{jit}: no fib line in\n{out}"));
        assert!(fib.trim_start().starts_with("20100/300 "), "{jit}: {fib}");
        let main = out.lines().position(|l| l.ends_with("(main)")).unwrap();
        let fib = out.lines().position(|l| l.ends_with("(fib)")).unwrap();
        assert!(main < fib, "{jit}: not sorted by cumulative time:\n{out}");
    }
}

/// `-X perf` (or `RPYJIT_PERF=1`), as CPython's: every compiled function is listed in
/// `/tmp/perf-<pid>.map` ("start size name", hex), the file `perf report` reads to name code
/// without symbols; without it no map is written.
#[test]
fn x_perf_writes_the_perf_map_naming_compiled_python_functions() {
    let program = r#"import sys
def spin(n):
    t = 0
    for i in range(n):
        t += i % 7
    return t
class Shape:
    def area(self, k):
        s = 0
        while k:
            s += k
            k -= 1
        return s
print(spin(5000), Shape().area(3000), sys._xoptions.get("perf"))"#;
    let map_of = |child: std::process::Child| -> (Output, Option<String>) {
        let path = format!("/tmp/perf-{}.map", child.id());
        let out = child.wait_with_output().expect("rpyjit ran");
        let map = std::fs::read_to_string(&path).ok();
        let _ = std::fs::remove_file(&path);
        (out, map)
    };
    let spawn = |cmd: &mut std::process::Command| {
        cmd.stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn rpyjit")
    };
    for (how, mut cmd) in [
        ("-X perf", {
            let mut c = rpyjit();
            c.args(["-X", "perf", "-c", program]);
            c
        }),
        ("RPYJIT_PERF=1", {
            let mut c = rpyjit();
            c.env("RPYJIT_PERF", "1").args(["-c", program]);
            c
        }),
    ] {
        let (out, map) = map_of(spawn(&mut cmd));
        assert!(out.status.success(), "{how}: {}", stderr(&out));
        let map = map.unwrap_or_else(|| panic!("{how}: no perf map"));
        for name in ["py::spin", "py::Shape.area"] {
            let line = map
                .lines()
                .find(|l| l.split(' ').nth(2).is_some_and(|n| n.starts_with(name)))
                .unwrap_or_else(|| panic!("{how}: {name} not in the map:\n{map}"));
            let fields: Vec<&str> = line.split(' ').collect();
            assert!(
                u64::from_str_radix(fields[0], 16).is_ok_and(|a| a != 0)
                    && u64::from_str_radix(fields[1], 16).is_ok_and(|n| n > 0),
                "{how}: {line}"
            );
        }
    }
    let (out, map) = map_of(spawn(rpyjit().args(["-c", program])));
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(map, None, "a perf map without -X perf");
}
