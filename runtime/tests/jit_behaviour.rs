//! What the JIT promises, checked on the built `rpyjit` binary: compiled code behaves exactly
//! like the interpreter (`-X jit=off`): same output, same tracebacks, same exceptions, no
//! leaked references, and the statistics show that the code really ran natively.

mod common;
use common::{
    exited_like_sigint, rpyjit, run, run_with_stats, send_sigint, stderr, stdout, JitStats,
};

use std::io::{BufRead, BufReader, Read};
use std::path::PathBuf;
use std::process::{Output, Stdio};

/// Writes `body` to `<tmp>/rpyjit-jit-<pid>/<name>.py` and returns its path.
fn script(name: &str, body: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("rpyjit-jit-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(format!("{name}.py"));
    std::fs::write(&p, body).unwrap();
    p
}

/// Runs `path` (with `args` after it) under the `-X` options `x`.
fn run_script(x: &[&str], path: &PathBuf, args: &[&str]) -> Output {
    let mut all: Vec<&str> = Vec::new();
    for o in x {
        all.push("-X");
        all.push(o);
    }
    all.push(path.to_str().unwrap());
    all.extend_from_slice(args);
    run(&all)
}

/// The JIT modes compared with `-X jit=off`: the default threshold, and everything
/// compiled before its first call.
const JIT_MODES: [&str; 2] = ["jit=on", "jit-threshold=0"];

/// [`run_script`], and the JIT's statistics at the end of the run.
fn run_script_with_stats(x: &[&str], path: &PathBuf, args: &[&str]) -> (Output, JitStats) {
    let mut all: Vec<&str> = Vec::new();
    for o in x {
        all.push("-X");
        all.push(o);
    }
    all.push(path.to_str().unwrap());
    all.extend_from_slice(args);
    run_with_stats(&all)
}

/// The value printed by the script as `NAME: VALUE`.
fn field<'a>(out: &'a str, name: &str) -> &'a str {
    let prefix = format!("{name}: ");
    out.lines()
        .find_map(|l| l.strip_prefix(prefix.as_str()))
        .unwrap_or_else(|| panic!("no `{name}:` line in output:\n{out}"))
}

/// Starts rpyjit with `args`, reads stdout until a line `ready`, sends SIGINT (Ctrl-C) and
/// returns what it did, with the lines printed before `ready`.
fn interrupt_when_ready(args: &[&str]) -> (Output, Vec<String>) {
    let mut child = rpyjit()
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let mut before = Vec::new();
    loop {
        let mut line = String::new();
        if out.read_line(&mut line).unwrap() == 0 {
            break;
        }
        if line.trim_end() == "ready" {
            break;
        }
        before.push(line.trim_end().to_owned());
    }
    std::thread::sleep(std::time::Duration::from_millis(300));
    send_sigint(child.id());
    let mut rest = Vec::new();
    out.read_to_end(&mut rest).unwrap();
    let mut o = child.wait_with_output().unwrap();
    o.stdout = rest;
    (o, before)
}

// ---------------------------------------------------------------------------------------
// 1. Reference counts
// ---------------------------------------------------------------------------------------

const OBJECT_HEAVY: &str = r#"
import gc, sys, weakref, rpyjit

live_boxes = weakref.WeakSet()

class Box:
    def __init__(self, v):
        self.v = v
        live_boxes.add(self)
    def get(self):
        return self.v

def build(key, val, n):
    d = {}
    items = []
    for i in range(n):
        s = key + str(i)
        d[s] = [val, i, s.upper()]
        items.append(Box(val))
    return d, items

def lookup(d, key):
    try:
        return d[key]
    except KeyError:
        return None

def divide(a, b):
    try:
        return a // b
    except ZeroDivisionError:
        return -1

def check(x, val):
    if x < 0:
        raise ValueError(val)
    return x

def guarded(x, val):
    try:
        return check(x, val)
    except ValueError as e:
        return len(e.args)

def depth(node, val):
    if node is None:
        return 0
    return depth(node[1], val) + (1 if node[0] is val else 0)

def grow(n, val):
    x = 1
    for i in range(n):
        x = x * 1000 + i      # overflows int64 when n > 6: the range loop deopts
    return x % 1000003 + len(val)

def work(key, val, bad):
    d, items = build(key, val, 20)
    total = 0
    for b in items:
        if b.get() is val:
            total += 1
    missing = lookup(d, key + ("missing" if bad else "1"))
    hit = lookup(d, key + "3")
    q = divide(10, 0 if bad else 3) + divide(len(val), 1)
    g = guarded(-1 if bad else 1, val)
    node = None
    for i in range(15):
        node = (val, node)
    r = depth(node, val)
    m = grow(9 if bad else 3, val)
    return total, missing is None, len(hit), q, g, r, m, ", ".join(sorted(d)[:3])

key = "k" + str(7)        # a fresh string, not interned
val = ["payload"]
funcs = [build, lookup, divide, check, guarded, depth, grow, work]

def counts():
    gc.collect()
    return sys.getrefcount(key), sys.getrefcount(val), len(gc.get_objects())

print("results:", work(key, val, False), work(key, val, True))
for r in range(20):
    work(key, val, r % 5 == 0)
before = counts()
for r in range(200):
    work(key, val, r % 5 == 0)
after = counts()
gc.collect()
print("key refcount:", before[0], "->", after[0])
print("val refcount:", before[1], "->", after[1])
print("tracked objects growth:", after[2] - before[2])
print("live boxes:", len(live_boxes))
s = rpyjit.stats()
print("compiled:", " ".join(f.__name__ for f in funcs if rpyjit.is_compiled(f)))
# The stdlib's functions are compiled too (at threshold 0): only this script's count here.
mine = {f.__name__ for f in funcs}
print("deopt sites:", " ".join(sorted({site["function"] for site in s["deopts"]} & mine)))
print("fallbacks:", s["fallbacks"])
print("native calls:", s["native_calls"])
"#;

/// Object-heavy code compiled before its first call runs natively, right, and leaks nothing.
#[test]
fn compiled_object_code_leaves_reference_counts_balanced() {
    let p = script("refcounts", OBJECT_HEAVY);
    let off = run_script(&["jit=off"], &p, &[]);
    let on = run_script(&["jit-threshold=0"], &p, &[]);
    assert!(off.status.success(), "{}", stderr(&off));
    assert!(on.status.success(), "{}", stderr(&on));
    let (off_out, out) = (stdout(&off), stdout(&on));

    // Same answers as the interpreter.
    assert_eq!(field(&out, "results"), field(&off_out, "results"));

    // Everything ran natively: every function is compiled; `lookup` and `guarded` catch
    // their exceptions in native code and the one leaving `check` leaves from native
    // code; the division by zero (a guard) and the int overflow left native code at
    // their sites; and no site failed often enough to send its function back to the
    // interpreter.
    assert_eq!(
        field(&out, "compiled"),
        "build lookup divide check guarded depth grow work",
        "{out}"
    );
    assert_eq!(field(&out, "deopt sites"), "divide grow", "{out}");
    assert_eq!(field(&out, "fallbacks"), "{}", "{out}");
    assert!(
        field(&out, "native calls").parse::<u64>().unwrap() > 5000,
        "{out}"
    );

    // 200 more rounds of 200+ allocations each leave nothing behind.
    let same_before_and_after = |name: &str| {
        let v = field(&out, name);
        let (a, b) = v.split_once(" -> ").unwrap();
        assert_eq!(a, b, "{name} changed: {out}");
    };
    same_before_and_after("key refcount");
    same_before_and_after("val refcount");
    let growth: i64 = field(&out, "tracked objects growth").parse().unwrap();
    assert!(growth <= 2, "gc.get_objects() grew by {growth}:\n{out}");
    assert_eq!(field(&out, "live boxes"), "0", "{out}");
}

// ---------------------------------------------------------------------------------------
// 2. On-stack replacement
// ---------------------------------------------------------------------------------------

/// Runs `body` with `-X jit=off` and with the JIT (default threshold), asserts that both
/// succeed with the same stdout, and returns the JIT's statistics.
fn jit_matches_the_interpreter(name: &str, body: &str) -> JitStats {
    let p = script(name, body);
    let off = run_script(&["jit=off"], &p, &[]);
    let (on, stats) = run_script_with_stats(&["jit=on"], &p, &[]);
    assert!(off.status.success(), "{}", stderr(&off));
    assert!(on.status.success(), "{}", stderr(&on));
    assert_eq!(stdout(&on), stdout(&off));
    stats
}

/// [`jit_matches_the_interpreter`], and at least one loop was entered mid-loop.
fn osr_matches_the_interpreter(name: &str, body: &str) -> JitStats {
    let stats = jit_matches_the_interpreter(name, body);
    assert!(stats.osr_entries >= 1, "{stats}");
    assert!(
        stats
            .compiled
            .iter()
            .any(|c| c.function == "main" && c.loop_at.is_some()),
        "{stats}"
    );
    stats
}

/// A hot `while` loop of a function called once is entered natively mid-loop (OSR).
#[test]
fn a_while_loop_in_a_function_called_once_is_entered_mid_loop() {
    osr_matches_the_interpreter(
        "osr_while",
        r#"def main():
    i = 0
    t = 0
    while i < 100000:
        t += i * i % 7
        i += 1
    print(t)

main()
"#,
    );
}

/// OSR enters a `for` loop over a list mid-loop, taking over its iterator.
#[test]
fn a_for_loop_over_a_list_is_entered_mid_loop_with_its_iterator() {
    osr_matches_the_interpreter(
        "osr_list",
        r#"def main(items):
    t = 0
    for x in items:
        t += x % 13
    print(t, x)

main(list(range(100000)))
"#,
    );
}

/// OSR enters a `for` loop over a range mid-loop, taking over its iterator.
#[test]
fn a_for_loop_over_range_is_entered_mid_loop_with_its_iterator() {
    osr_matches_the_interpreter(
        "osr_range",
        r#"def main():
    t = 0
    for i in range(100000):
        t += i % 13
    print(t, i)

main()
"#,
    );
}

/// OSR of a loop mixing int work with dict and string operations gives the interpreter's result.
#[test]
fn an_osr_loop_over_objects_matches_the_interpreter() {
    osr_matches_the_interpreter(
        "osr_dict",
        // Int work next to the dict and string operations, so the JIT's profitability
        // estimate takes the loop.
        r#"def main():
    d = {}
    h = 0
    for i in range(100000):
        h = (h * 31 + i) % 1000003
        k = 'k' + str(i % 10)
        d[k] = d.get(k, 0) + (h & 1)
    print(sorted(d.items()), h)

main()
"#,
    );
}

/// A loop entered mid-loop shares its frame's cells with the closures it calls, without a deopt.
#[test]
fn a_loop_of_a_function_with_cells_is_entered_mid_loop_sharing_its_cells() {
    // `k` and `seen` are cells (the closures read and write them): native code gets the
    // frame's cells, so the closures and the loop keep seeing each other's writes.
    let stats = osr_matches_the_interpreter(
        "osr_cells",
        r#"def main():
    k = 3
    seen = 0
    def bump():
        nonlocal seen
        seen += k
    t = 0
    for i in range(100000):
        bump()
        t += seen % 7
        if i == 60000:
            k = 5
    print(t, seen, k)

main()
"#,
    );
    assert_eq!(stats.deopt_count(), 0, "{stats}");
}

/// `main`'s version entered mid-loop, asserted to have no instruction compiled without
/// assumptions (the first, specialized version: not a generic one).
fn unboxed_loop_version_of_main(stats: &JitStats) -> &common::jit_stats::Compilation {
    let main = stats
        .compiled
        .iter()
        .find(|c| c.function == "main" && c.loop_at.is_some())
        .expect("main entered mid-loop");
    assert_eq!(main.generic_instructions, 0, "{stats}");
    assert!(!main.label.contains("generic"), "{stats}");
    main
}

/// Code before a loop entered mid-loop ran once, so the interpreter never specialized its
/// calls: `len(...)` there is still taken for the builtin (behind the same guard), so the
/// loops over `range(len(...))` count with unboxed ints and index lists inline, all
/// three nested loops and the one the program enters at.
#[test]
fn len_in_code_that_ran_once_before_osr_still_gives_unboxed_range_loops() {
    let stats = osr_matches_the_interpreter(
        "osr_len_ran_once",
        r#"def main():
    a = [[float(i + j) for j in range(60)] for i in range(60)]
    n = len(a)
    c = [[0.0] * n for _ in range(n)]
    for i in range(n):
        for k in range(len(a)):
            aik = a[i][k]
            row = a[k]
            for j in range(len(row)):
                c[i][j] += aik * row[j]
    print(sum(map(sum, c)))

main()
"#,
    );
    let main = unboxed_loop_version_of_main(&stats);
    assert!(main.work.inline > main.work.helpers / 8, "{stats}");
}

/// Range bounds native code only knows as objects (attributes, a shift's result) are
/// speculated to be ints: the nested loops count unboxed, none of them on iterator objects.
#[test]
fn range_bounds_that_are_objects_still_give_unboxed_range_loops() {
    let stats = osr_matches_the_interpreter(
        "osr_range_object_bounds",
        r#"class Size:
    pass

def main():
    s = Size()
    s.w = 300
    s.h = 200
    t = 0
    for y in range(s.h):
        for x in range(s.w):
            t += x ^ y
        for x in range(1, (1 << 8) + 1):
            t -= x & y
    print(t)

main()
"#,
    );
    let main = unboxed_loop_version_of_main(&stats);
    assert!(main.work.inline > main.work.helpers, "{stats}");
}

/// A loop entered mid-loop by calls whose locals hold other kinds of values at the
/// header (here the previous item's key and value, overwritten before any use, and a local
/// bound or not yet) is entered by one version: where the header holds an object anyway,
/// the version takes any value (or none), so no second, generic version is compiled.
#[test]
fn one_loop_version_serves_entries_whose_locals_differ_only_where_the_header_boxes() {
    let p = script(
        "osr_one_version",
        r#"def walk(d):
    n = 0
    for key, value in d.items():
        n += 1
        if n == 10:
            tenth = key
    return n, tenth

print(walk({i: i for i in range(5000)}))
print(walk({i: str(i) for i in range(5000)}))
print(walk({i: [i] for i in range(5000)}))
print(walk({str(i): 1.5 for i in range(5000)}))
"#,
    );
    let off = run_script(&["jit=off"], &p, &[]);
    let (on, stats) = run_script_with_stats(&["jit=on"], &p, &[]);
    assert!(on.status.success(), "{}", stderr(&on));
    assert_eq!(stdout(&on), stdout(&off));
    assert_eq!(stats.osr_entries, 4, "{stats}");
    let versions: Vec<_> = stats
        .compiled
        .iter()
        .filter(|c| c.function == "walk")
        .collect();
    assert_eq!(versions.len(), 1, "{stats}");
    assert_eq!(versions[0].generic_instructions, 0, "{stats}");
}

/// A loop entered mid-loop leaves native code (type guard) when an int local becomes a float.
#[test]
fn an_osr_loop_deopts_when_an_int_becomes_a_float() {
    let stats = osr_matches_the_interpreter(
        "osr_deopt",
        r#"def main():
    t = 0
    step = 1
    for i in range(100000):
        if i == 50000:
            step = 0.5
        t = t + step
    print(t, type(t).__name__, i)

main()
"#,
    );
    assert!(stats.deopted("main", Some("type changed")), "{stats}");
}

/// A function whose multiplication overflows (a guard fails) once on every call.
const OVERFLOWS_ON_EVERY_CALL: &str = r#"def grow(n):
    x = 1
    for i in range(n):
        x = x * 7
    return x % 1000

print(sum(grow(50) for _ in range(1000)))
"#;

/// A guard that overflows on every call is recompiled away once, and the function stays native.
#[test]
fn an_int_overflow_that_keeps_happening_is_recompiled_away_not_deopted_forever() {
    let stats = jit_matches_the_interpreter("recompile_overflow", OVERFLOWS_ON_EVERY_CALL);
    assert_eq!(stats.recompiles.len(), 1, "{stats}");
    assert!(
        stats.recompiles[0].function == "grow"
            && stats.recompiles[0].reason.contains("int overflow"),
        "{stats}"
    );
    // The deopts stop near the limit (100 per site and version), far below one per
    // call, and the function stays native.
    assert!(stats.deopt_count() < 200, "{stats}");
    assert_eq!(stats.fallback_count(), 0, "{stats}");
}

/// Compile time is CPU time counted by phase over every translation, recompilations
/// included, and each version records the bytecode instructions it covered.
#[test]
fn compile_time_counts_every_translation_by_phase() {
    let stats = jit_matches_the_interpreter("compile_time_phases", OVERFLOWS_ON_EVERY_CALL);
    let grow: Vec<_> = stats
        .compiled
        .iter()
        .filter(|c| c.function == "grow")
        .collect();
    assert!(
        grow.len() >= 2,
        "a first version and its recompilation: {stats}"
    );
    // Every version of one function covers the same instructions.
    assert!(grow[0].instructions > 10, "{stats}");
    assert!(
        grow.iter().all(|c| c.instructions == grow[0].instructions),
        "{stats}"
    );
    let versions: u64 = stats.compiled.iter().map(|c| c.instructions).sum();
    assert!(stats.compile_instructions >= versions, "{stats}");
    let p = &stats.compile_phases;
    let phases = p.translate + p.verify + p.codegen + p.link;
    assert!(p.translate > 0.0 && p.codegen > 0.0, "{stats}");
    assert!((stats.compile_time - phases).abs() < 1e-6, "{stats}");
    // A version's time is the sum of its own phases, all counted in the total.
    let versions_time: f64 = stats.compiled.iter().map(|c| c.compile_time).sum();
    assert!(
        versions_time > 0.0 && versions_time <= stats.compile_time + 1e-9,
        "{stats}"
    );
}

/// A function too large for the backtracking register allocator (`isa::Regalloc`) is
/// compiled with the single-pass one, and behaves the same, deopts included.
#[test]
fn a_very_large_function_compiles_with_the_single_pass_allocator_and_matches() {
    let stats = jit_matches_the_interpreter(
        "large_function",
        r#"lines = ["def big(n, o):", "    t = 0", "    for i in range(n):"]
for k in range(60):
    lines.append(f"        t = (t * {k + 3} + o.a + len(o.s) + i) % 1000003")
lines.append("    return t")
ns = {}
exec("\n".join(lines), ns)
class O: pass
o = O(); o.a = 5; o.s = "abc"
print(ns["big"](3000, o))
# Now o.a is a float: the loop's guards on it fail and the interpreter continues.
o.a = 0.5
print(ns["big"](3000, o))
"#,
    );
    let big: Vec<_> = stats
        .compiled
        .iter()
        .filter(|c| c.function == "big")
        .collect();
    assert!(!big.is_empty(), "{stats}");
    assert!(big[0].clif_instructions > 10_000, "{stats}");
}

/// An operand whose type stops matching the profile is recompiled without the speculation.
#[test]
fn an_operand_whose_type_keeps_changing_is_recompiled_without_the_speculation() {
    // The interpreter's profile says ints (the first calls); then every call passes a
    // float, which fails the type guard of the speculated additions.
    let stats = jit_matches_the_interpreter(
        "recompile_type",
        r#"def add_all(a, b):
    t = 0
    for i in range(100):
        t = t + a + b
    return t

s = 0
for j in range(3000):
    s += add_all(1, 2) if j < 1500 else add_all(1.5, 2)
print(s)
"#,
    );
    assert!(
        stats
            .recompiles
            .iter()
            .any(|r| r.function == "add_all" && r.reason.contains("type changed")),
        "{stats}"
    );
    assert_eq!(stats.fallback_count(), 0, "{stats}");
}

/// A function that exits on every call falls back once and is not compiled again.
#[test]
fn a_function_that_keeps_exiting_falls_back_once_and_stays_in_the_interpreter() {
    // `locals()` reads the running frame, so it always runs in the interpreter: every
    // call of `Loud.append` (compiled on request) exits. After the exit limit it goes
    // back to the interpreter for good, and is not compiled again by the native loop's
    // many calls (no compile → exit → fall back cycle).
    let stats = jit_matches_the_interpreter(
        "fall_back_once",
        r#"import rpyjit
class Loud(list):
    def append(self, x):
        list.append(self, x + len(locals()))

rpyjit.compile(Loud.append)
def fill(items, n):
    for i in range(n):
        items.append(i)
        i = i * 2 + 1
    return items

print(sum(fill(Loud(), 20000)))
"#,
    );
    assert_eq!(stats.fallback_count(), 1, "{stats}");
    assert!(stats.deopt_count() <= 100, "{stats}");
}

/// `body` (which defines `work(n, key, val)` and globals `key` and `val`, and has run
/// `work` once) followed by a second run of `work` and a line saying whether it left the
/// reference counts of `key` and `val` and the number of tracked objects as they were.
/// Both modes must print the same line; the interpreter's is "balanced: True ...".
fn with_refcount_check(body: &str) -> String {
    format!(
        "{body}{}",
        r#"gc.collect()
before = (sys.getrefcount(key), sys.getrefcount(val), len(gc.get_objects()))
work(3000, key, val)
gc.collect()
after = (sys.getrefcount(key), sys.getrefcount(val), len(gc.get_objects()))
print("balanced:", before[:2] == after[:2], "growth under 50:", after[2] - before[2] < 50)
"#
    )
}

/// The helpers of `with`, `super()`, closures, unpacking, `match`, `raise`, imports leak nothing.
#[test]
fn with_super_closures_unpacking_match_raise_and_imports_leave_reference_counts_balanced() {
    // Every helper added for these instructions takes its operands on success only;
    // a leak or an extra release shows in the reference counts of `key` and `val`.
    let stats =
        jit_matches_the_interpreter("helper_refcounts", &with_refcount_check(HELPER_REFCOUNTS));
    assert!(stats.compiled("work"), "{stats}");
}

const HELPER_REFCOUNTS: &str = r#"import sys, gc
class CM:
    def __enter__(self): return self
    def __exit__(self, *a): return False
class B:
    def m(self, x): return x
class C(B):
    def m(self, x): return super().m(x) + 1
class P:
    __match_args__ = ("a",)
    def __init__(self, a): self.a = a
key = "k" + str(7)
val = ["payload"]
G = None
def work(n, key, val):
    global G
    t = 0
    c = C()
    for i in range(n):
        G = val
        f = lambda y, k=key: (y, k)
        with CM() as cm:
            t += c.m(1)
        a, *rest = (key, val, i)
        d = dict(**{key: val})
        match P(val):
            case P(v):
                t += len(v)
        match {key: val}:
            case {"k7": v2}:
                t += 1
        try:
            raise ValueError(key)
        except ValueError:
            pass
        from os import path
    return t
work(3000, key, val)
"#;

/// Unboxed ints and floats come back as the same objects and leave reference counts balanced.
#[test]
fn unboxed_numbers_keep_their_objects_and_balance_reference_counts() {
    // Ints and floats held unboxed keep the object they came in (an argument, a
    // constant) or were first boxed to (a value computed natively): the same objects come
    // back out, and every reference taken on them is released, in both JIT modes.
    let p = script("unboxed_refcounts", UNBOXED_REFCOUNTS);
    let off = run_script(&["jit=off"], &p, &[]);
    assert!(off.status.success(), "{}", stderr(&off));
    for mode in JIT_MODES {
        let (on, stats) = run_script_with_stats(&[mode], &p, &[]);
        assert!(on.status.success(), "{}", stderr(&on));
        assert_eq!(stdout(&on), stdout(&off), "{mode}");
        let out = stdout(&on);
        assert_eq!(field(&out, "balanced"), "True", "{mode}: {out}");
        assert_eq!(field(&out, "identical"), "True", "{mode}: {out}");
        assert!(stats.compiled("work"), "{mode}: {stats}");
    }
}

const UNBOXED_REFCOUNTS: &str = r#"import sys
key = float("1.5e300") / 3
val = 10**15 + int("7")
def scale(x):
    return x
def work(n, key, val):
    same = True
    out = None
    for i in range(n):
        k = key
        v = scale(val)
        t = k * 2.0 + i
        pair = [t, t]
        same = same and pair[0] is pair[1] and k is key and v is val
        same = same and [k, v][0] is key and (k, v)[1] is val
        if i == n - 10:
            v = "deopt"
        c = 0.25
        c2 = 0.25
        same = same and c is c2
        out = pair
    return same, out
before = (sys.getrefcount(key), sys.getrefcount(val))
same, out = work(3000, key, val)
same2, _ = work(3000, key, val)
after = (sys.getrefcount(key), sys.getrefcount(val))
print("balanced:", before == after)
print("identical:", same and same2)
print("computed refcount:", sys.getrefcount(out[0]))
"#;

/// Exceptions raised and caught in one compiled function are handled natively, and released.
#[test]
fn exceptions_caught_in_a_compiled_loop_stay_in_native_code_and_balance_reference_counts() {
    // Every raise below is caught by a handler of the same function: native code runs the
    // handler itself, so there is no exit to the interpreter at all, and the exceptions,
    // their tracebacks and the stand-in frames they name are all released.
    let stats =
        jit_matches_the_interpreter("caught_natively", &with_refcount_check(CAUGHT_NATIVELY));
    assert!(stats.compiled_as("work"), "{stats}");
    assert_eq!(stats.deopt_count(), 0, "{stats}");
    assert_eq!(stats.fallback_count(), 0, "{stats}");
}

const CAUGHT_NATIVELY: &str = r#"import sys, gc
key = "k" + str(7)
val = ["payload"]
def work(n, key, val):
    t = 0
    d = {}
    for i in range(n):
        try:
            t += d[key]
        except KeyError:
            t += len(val)
        try:
            raise ValueError(key, val)
        except (TypeError, ValueError) as e:
            last = e
            t += i % 3
    return t, sys.exception(), last.__traceback__.tb_frame.f_code.co_name
import rpyjit
rpyjit.compile(work)
print(work(3000, key, val))
"#;

/// A loop-free function called from native code is compiled for it only, keeping `__code__`.
#[test]
fn a_function_without_a_loop_is_compiled_for_native_callers_and_keeps_its_code() {
    // `leaf` has no loop: it is compiled once native code (the OSR loop of `hot`) has
    // called it often, and only for such calls: its `__code__` stays the interpreter's,
    // so calls from interpreted code pay no stub and keep their specializations. A later
    // `__code__` assignment is seen by native callers (they call the new code).
    let stats = jit_matches_the_interpreter(
        "native_callers_only",
        r#"import rpyjit
def leaf(a, b):
    return a * b + 1

code = leaf.__code__
def hot(n):
    t = 0
    for i in range(n):
        t += leaf(i, 2)
    return t

print(hot(5000), leaf.__code__ is code, rpyjit.is_compiled(leaf))
print(sum(leaf(i, 3) for i in range(100)))
leaf.__code__ = (lambda a, b: a - b).__code__
print(hot(3000))
"#,
    );
    assert!(stats.compiled_as("leaf"), "{stats}");
    assert!(stats.native_calls >= 3000, "{stats}");
    assert_eq!(stats.fallback_count(), 0, "{stats}");
}

/// Functions made at run time from one `def` (closures, methods of classes a factory
/// makes) share one compilation of their code per globals and builtins: each runs with its
/// own cells, and making thousands of them compiles nothing more. A function made from
/// the same code with other globals runs them, and a fallback gives every function
/// running through the shared stub its own code back.
#[test]
fn closures_of_one_def_share_one_compilation_and_read_their_own_cells() {
    let p = script(
        "shared_closures",
        r#"import rpyjit, types
OFFSET = 1

def make(k):
    def add_all(xs):          # a loop: compiled with a stub
        t = 0
        for x in xs:
            t += x + k + OFFSET
        return t
    def scale(x):             # no loop: compiled for its native callers
        return x * k
    return add_all, scale

def drive(n):
    total = 0
    for k in range(n):
        add_all, scale = make(k)
        total += add_all([1, 2, 3]) + add_all([4, 5])
        for i in range(40):
            total += scale(i)
    return total

print(drive(3000))
add_all, scale = make(7)
print(add_all([1, 2]))
other = types.FunctionType(add_all.__code__, {"OFFSET": 1000}, "other", None, add_all.__closure__)
print(other([1, 2]))

# Many closures on the shared stub, each exiting native code on every call (`locals()`
# needs an interpreter frame) until the code falls back: all of them run their own code
# again, with the same results.
def make_loud(k):
    def loud(xs):
        t = 0
        for x in xs:
            t += x + k + len(locals())
        return t
    return loud

louds = [make_loud(k) for k in range(50)]
print(sum(f([1, 2, 3]) for _ in range(40) for f in louds))
print("compiled after falling back:", sum(rpyjit.is_compiled(f) for f in louds))
"#,
    );
    let off = run_script(&["jit=off"], &p, &[]);
    assert!(off.status.success(), "{}", stderr(&off));
    for mode in JIT_MODES {
        let (on, stats) = run_script_with_stats(&[mode], &p, &[]);
        assert!(on.status.success(), "{mode}: {}", stderr(&on));
        assert_eq!(stdout(&on), stdout(&off), "{mode}");
        for function in ["make.<locals>.add_all", "make.<locals>.scale"] {
            let versions = stats
                .compiled
                .iter()
                .filter(|c| c.function == function && c.loop_at.is_none())
                .count();
            assert!((1..=4).contains(&versions), "{mode}: {function}: {stats}");
        }
        assert!(stats.fallback_count() >= 1, "{mode}: {stats}");
    }
}

// ---------------------------------------------------------------------------------------
// 3. Tracebacks
// ---------------------------------------------------------------------------------------

/// In each JIT mode, `path args` fails with exactly the stderr (and exit status) of
/// `-X jit=off`; returns the statistics of each JIT run.
fn same_traceback_as_the_interpreter(path: &PathBuf, args: &[&str]) -> Vec<JitStats> {
    let off = run_script(&["jit=off"], path, args);
    assert_eq!(off.status.code(), Some(1), "{}", stderr(&off));
    assert!(
        stderr(&off).starts_with("Traceback (most recent call last):"),
        "{}",
        stderr(&off)
    );
    JIT_MODES
        .iter()
        .map(|mode| {
            let on = run_script(&[mode], path, args);
            assert_eq!(on.status.code(), Some(1), "{mode}: {}", stderr(&on));
            assert_eq!(stderr(&on), stderr(&off), "-X {mode}");
            // The same run with statistics, to show where native code was left.
            let (with_stats, stats) = run_script_with_stats(&[mode], path, args);
            assert_eq!(stderr(&with_stats), stderr(&off), "-X {mode}");
            stats
        })
        .collect()
}

const HELPER_RAISES: &str = r#"import sys

def share(d, k):
    return 10 // d[k]

def fetch(d, k):
    return d[k] + 1

def total(d, key, n):
    t = 0
    for i in range(n):
        t += share(d, "a") + fetch(d, key)
    return t

for i in range(1200):
    total({"a": 1}, "a", 3)
if sys.argv[1] == "missing-key":
    total({"a": 1}, "b", 3)
else:
    total({"a": 0}, "a", 3)
"#;

/// An uncaught KeyError raised by a helper of native code prints the interpreter's traceback.
#[test]
fn an_uncaught_key_error_from_a_native_helper_has_the_interpreters_traceback() {
    let p = script("tb_key_error", HELPER_RAISES);
    for stats in same_traceback_as_the_interpreter(&p, &["missing-key"]) {
        // The KeyError left `fetch` (and `total`) from native code, entry added there.
        assert!(stats.exceptions_propagated >= 2, "{stats}");
    }
    let off = run_script(&["jit=off"], &p, &["missing-key"]);
    assert!(
        stderr(&off).ends_with("           ~^^^\nKeyError: 'b'\n"),
        "{}",
        stderr(&off)
    );
}

/// An uncaught ZeroDivisionError on objects in native code prints the interpreter's traceback.
#[test]
fn an_uncaught_zero_division_on_objects_has_the_interpreters_traceback() {
    let p = script("tb_zero_division", HELPER_RAISES);
    for stats in same_traceback_as_the_interpreter(&p, &["zero"]) {
        assert!(stats.exceptions_propagated >= 2, "{stats}");
    }
    let off = run_script(&["jit=off"], &p, &["zero"]);
    assert!(
        stderr(&off).ends_with(
            "    return 10 // d[k]\n           ~~~^^~~~~~\nZeroDivisionError: division by zero\n"
        ),
        "{}",
        stderr(&off)
    );
}

/// An exception raised in an interpreted callee of native code prints the interpreter's traceback.
#[test]
fn an_exception_raised_in_a_callee_of_native_code_has_the_interpreters_traceback() {
    let p = script(
        "tb_callee",
        r#"class Account:
    def __init__(self, balance):
        self.balance = balance

    def withdraw(self, amount):
        if amount > self.balance:
            raise ValueError(f"cannot withdraw {amount} from {self.balance}")
        self.balance -= amount
        return self.balance

def drain(acct, amounts):
    # Enough int work for the JIT to find running it natively worthwhile.
    total = 0
    fee = 0
    for a in amounts:
        fee = fee * 3 % 7 + 1
        if fee > 0:
            total += acct.withdraw(a)
    return total

acct = Account(10 ** 6)
for k in range(1200):
    drain(acct, [1, 2, 3])
drain(acct, [1, 10 ** 7])
"#,
    );
    for stats in same_traceback_as_the_interpreter(&p, &[]) {
        // drain ran natively and the exception left it from native code.
        assert!(stats.compiled("drain"), "{stats}");
        assert!(stats.exceptions_propagated >= 1, "{stats}");
    }
}

/// An exception raised after an int-overflow deopt prints the interpreter's traceback.
#[test]
fn an_exception_raised_after_a_deopt_has_the_interpreters_traceback() {
    let p = script(
        "tb_deopt",
        r#"def grow(n, items):
    x = 1
    for i in range(n):
        x = x * 1000 + i
    return items[x % 10]

for k in range(1200):
    grow(3, list(range(10)))
grow(30, [1, 2, 3])
"#,
    );
    for stats in same_traceback_as_the_interpreter(&p, &[]) {
        assert!(stats.deopted("grow", Some("int overflow")), "{stats}");
    }
}

// ---------------------------------------------------------------------------------------
// 4. Exceptions in hot loops
// ---------------------------------------------------------------------------------------

/// `try`/`except`/`finally` in hot loops runs natively and matches the interpreter.
#[test]
fn try_except_finally_in_a_hot_loop_matches_the_interpreter() {
    let p = script(
        "hot_try",
        r#"log = []

def step(i, d):
    if i % 7 == 0:
        raise ValueError(f"bad {i}")
    return d.get(i % 5, 0) + i

def loop(n):
    d = {}
    ok = errs = fin = 0
    for i in range(n):
        try:
            d[i % 5] = step(i, d)
            ok += 1
        except ValueError as e:
            errs += 1
            if errs % 1000 == 1:
                log.append(str(e))
        finally:
            fin += 1
    return ok, errs, fin, sorted(d.items())

def inner(i):
    try:
        try:
            return 100 // (i % 7)
        finally:
            if i < 30:
                log.append(i)
    except ZeroDivisionError:
        return -i

def many(n):
    t = 0
    for i in range(n):
        t += inner(i)
    return t

print(loop(100000))
print(many(20000))
for k in range(1500):
    r = loop(14)
print(r)
print(log[:12], len(log))
"#,
    );
    let off = run_script(&["jit=off"], &p, &[]);
    assert!(off.status.success(), "{}", stderr(&off));
    assert!(
        stdout(&off).starts_with("(85714, 14286, 100000, "),
        "{}",
        stdout(&off)
    );
    for mode in JIT_MODES {
        let (on, stats) = run_script_with_stats(&[mode], &p, &[]);
        assert!(on.status.success(), "{mode}: {}", stderr(&on));
        assert_eq!(stdout(&on), stdout(&off), "-X {mode}");
        // The exception leaves `step` from native code and `loop` catches it natively;
        // the division by zero in `inner` (a guard) continues in the interpreter.
        for function in ["loop", "step"] {
            assert!(!stats.deopted(function, None), "{mode}: {stats}");
            assert!(
                !stats.recompiles.iter().any(|r| r.function == function),
                "{mode}: {stats}"
            );
        }
        assert!(stats.exceptions_propagated > 0, "{mode}: {stats}");
        assert!(stats.exceptions_caught > 0, "{mode}: {stats}");
        assert!(stats.deopted("inner", None), "{mode}: {stats}");
    }
}

// ---------------------------------------------------------------------------------------
// 5. Deep recursion
// ---------------------------------------------------------------------------------------

const DEEP: &str = r#"import rpyjit
def f(n): return f(n-1)+1 if n else 0
print(f(50), rpyjit.is_compiled(f), flush=True)
try:
    f(100000)
except RecursionError:
    print('caught')
print(f(100))
f(100000)
"#;

/// Unbounded recursion through compiled functions raises a catchable RecursionError.
#[test]
fn deep_recursion_through_compiled_functions_raises_recursion_error() {
    for mode in ["jit=off", "jit=on", "jit-threshold=0"] {
        let o = run(&["-X", mode, "-c", DEEP]);
        let e = stderr(&o);
        assert_eq!(o.status.code(), Some(1), "-X {mode}: {:?}\n{e}", o.status);
        assert!(
            e.lines().last().unwrap_or("").starts_with("RecursionError"),
            "-X {mode}: {e}"
        );
        let compiled = if mode == "jit-threshold=0" {
            "True"
        } else {
            "False"
        };
        assert_eq!(
            stdout(&o),
            format!("50 {compiled}\ncaught\n100\n"),
            "-X {mode}"
        );
    }
    let (o, stats) = run_with_stats(&["-X", "jit-threshold=0", "-c", DEEP]);
    assert!(stats.native_calls >= 50, "{}\n{stats}", stderr(&o));
}

/// Uncaught RecursionError through compiled functions prints the interpreter's traceback.
#[test]
fn deep_recursion_through_compiled_functions_has_the_interpreters_traceback() {
    let prog = r#"def f(n): return f(n-1)+1 if n else 0
f(100000)
"#;
    let off = run(&["-X", "jit=off", "-c", prog]);
    let on = run(&["-X", "jit-threshold=0", "-c", prog]);
    assert_eq!(on.status.code(), Some(1));
    assert_eq!(stderr(&on), stderr(&off));
}

// ---------------------------------------------------------------------------------------
// 6. Threads
// ---------------------------------------------------------------------------------------

/// Four threads running one compiled function at once get the interpreter's results.
#[test]
fn threads_running_the_same_compiled_function_agree_with_the_interpreter() {
    let p = script(
        "threads",
        r#"import threading, zlib, rpyjit

def crunch(seed, n):
    d = {}
    words = []
    for i in range(n):
        k = "w" + str((i * seed) % 97)
        d[k] = d.get(k, 0) + i
        if i % 3 == 0:
            words.append(k.upper() + str(len(words)))
    return len(d), sum(d.values()), sorted(d.items())[:5], "".join(words[-3:]), len(words)

# Compiled on request: object-heavy code the profitability estimate would leave alone.
rpyjit.compile(crunch)
results = {}
start = threading.Barrier(4)

def worker(tid):
    start.wait()
    results[tid] = [crunch(tid + r % 5, 200) for r in range(300)]

threads = [threading.Thread(target=worker, args=(t,)) for t in range(4)]
for t in threads:
    t.start()
for t in threads:
    t.join()
for tid in sorted(results):
    print(tid, len(results[tid]), zlib.crc32(repr(results[tid]).encode()), results[tid][-1])
print("compiled:", rpyjit.is_compiled(crunch))
"#,
    );
    let off = run_script(&["jit=off"], &p, &[]);
    assert!(off.status.success(), "{}", stderr(&off));
    let expected = stdout(&off).replace("compiled: False", "compiled: True");
    assert_eq!(expected.lines().count(), 5, "{expected}");
    for mode in JIT_MODES {
        for _ in 0..3 {
            let (on, stats) = run_script_with_stats(&[mode], &p, &[]);
            assert!(on.status.success(), "-X {mode}: {}", stderr(&on));
            assert_eq!(stdout(&on), expected, "-X {mode}");
            assert!(stats.native_calls >= 1000, "{stats}");
        }
    }
}

// ---------------------------------------------------------------------------------------
// 7. Ctrl-C
// ---------------------------------------------------------------------------------------

/// Ctrl-C interrupts a loop running natively with the interpreter's KeyboardInterrupt frames.
#[test]
fn ctrl_c_interrupts_an_osr_loop_over_objects() {
    // A watcher thread reports the compiled code, then says `ready`; the main thread spins in
    // a loop over a dict that on-stack replacement entered natively.
    let p = script(
        "ctrl_c",
        r#"import threading, time, rpyjit

def watch():
    time.sleep(0.2)
    print("compiled:", [c["function"] for c in rpyjit.stats()["compiled"]], flush=True)
    print("ready", flush=True)

def spin(d, k):
    n = 0
    while True:
        n += 1
        d[k] = d.get(k, 0) + (n & 1)

threading.Thread(target=watch, daemon=True).start()
spin({}, "key")
"#,
    );
    // File and function of every frame. The line inside `spin` is wherever the signal
    // was noticed (each statement of the loop can be it, with or without the JIT).
    let frames = |o: &Output| -> Vec<String> {
        stderr(o)
            .lines()
            .filter(|l| l.starts_with("  File ") || !l.starts_with(' '))
            .map(|l| match (l.find(", line "), l.find(", in ")) {
                (Some(a), Some(b)) if a < b => format!("{}{}", &l[..a], &l[b..]),
                _ => l.to_owned(),
            })
            .collect()
    };
    let (off, off_before) = interrupt_when_ready(&["-u", "-X", "jit=off", p.to_str().unwrap()]);
    assert!(exited_like_sigint(&off), "{:?}", off.status);
    assert_eq!(off_before, ["compiled: []"]);
    let off_frames = frames(&off);
    assert_eq!(
        off_frames.last().map(String::as_str),
        Some("KeyboardInterrupt"),
        "{}",
        stderr(&off)
    );
    for mode in JIT_MODES {
        let (on, before) = interrupt_when_ready(&["-u", "-X", mode, p.to_str().unwrap()]);
        assert!(
            // Entered mid-loop (default) or compiled before its first call (threshold 0).
            before.len() == 1 && before[0].contains("'spin"),
            "-X {mode}: {before:?}"
        );
        assert!(
            exited_like_sigint(&on),
            "-X {mode}: {:?} {}",
            on.status,
            stderr(&on)
        );
        // Same frames; the caret line may differ, since the interpreter notices the signal
        // at whichever instruction it is running.
        assert_eq!(frames(&on), off_frames, "-X {mode}: {}", stderr(&on));
    }
}

// ---------------------------------------------------------------------------------------
// 8. Where code is counted: exec, eval, compile and the frozen stdlib
// ---------------------------------------------------------------------------------------

/// Code the program creates at run time and drops dies with it, counting code and all:
/// after 3,000 `exec`'d functions with loops (instrumented for counting, not hot) and
/// 300 `namedtuple`s are dropped, none of their code objects is alive, as with
/// `-X jit=off`. (Compiled code is still kept for the process's lifetime.)
#[test]
fn code_created_at_run_time_dies_with_the_program_s_last_reference() {
    let p = script(
        "run_time_code_dies",
        r#"import collections, gc, weakref

def make(i):
    ns = {}
    exec(f"def f{i}(x):\n    t = 0\n    for j in range(x):\n        t += j\n    return t\n", ns)
    f = ns[f"f{i}"]
    f(3)
    return weakref.ref(f.__code__), weakref.ref(f)

refs = [make(i) for i in range(3000)]
points = [weakref.ref(collections.namedtuple(f"P{i}", "a b")) for i in range(300)]
gc.collect()
print("code objects alive:", sum(r() is not None for r, _ in refs))
print("functions alive:", sum(r() is not None for _, r in refs))
print("namedtuple classes alive:", sum(r() is not None for r in points))
"#,
    );
    let off = run_script(&["jit=off"], &p, &[]);
    assert!(off.status.success(), "{}", stderr(&off));
    assert!(
        stdout(&off).contains("code objects alive: 0\n"),
        "{}",
        stdout(&off)
    );
    let on = run_script(&["jit=on"], &p, &[]);
    assert!(on.status.success(), "{}", stderr(&on));
    assert_eq!(stdout(&on), stdout(&off));
}

/// Code objects show the program the function's own code, whatever rpyjit runs in its
/// place (counting code from birth, a stub once compiled): `dis`, `pdb.find_function`,
/// `co_*` attributes, `co_lines()`/`co_positions()` and `replace` see what `-X jit=off`
/// shows, before and after the function got hot, for code from files and `compile()`.
#[test]
fn code_objects_show_the_functions_own_bytecode_in_every_mode() {
    let p = script(
        "own_bytecode",
        r#"import dis, io, os, pdb, tempfile

def looping(n):
    t = 0
    for i in range(n):
        t += i
    return t

def straight(a, b=2):
    try:
        return a / b
    except ZeroDivisionError:
        return None

def describe(f):
    c = f.__code__
    out = io.StringIO()
    dis.dis(f, file=out)
    return (out.getvalue(), c.co_code, c.co_consts, c.co_names, c.co_varnames,
            c.co_stacksize, c.co_nlocals, c.co_linetable, c.co_exceptiontable,
            list(c.co_lines()), list(c.co_positions()),
            c.replace(co_name="renamed").co_code == c.co_code)

module = compile("def g(x):\n    while x:\n        x -= 1\n    return x\n", "<src>", "exec")
ns = {}
exec(module, ns)
before = [describe(f) for f in (looping, straight, ns["g"])]
for _ in range(3000):
    looping(20); straight(1); ns["g"](5)
after = [describe(f) for f in (looping, straight, ns["g"])]
print(before == after)
for d in after:
    print(d[0])
    print(d[1:])
print(describe(lambda: [i for i in range(3)])[0])

with tempfile.TemporaryDirectory() as tmp:
    path = os.path.join(tmp, "m.py")
    with open(path, "w") as f:
        f.write("import os\n\ndef first():\n    # a comment\n    for i in range(3):\n        pass\n")
    print(pdb.find_function("first", path)[2])
"#,
    );
    let off = run_script(&["jit=off"], &p, &[]);
    assert!(off.status.success(), "{}", stderr(&off));
    assert!(stdout(&off).starts_with("True\n"), "{}", stdout(&off));
    for mode in JIT_MODES {
        let on = run_script(&[mode], &p, &[]);
        assert!(on.status.success(), "{mode}: {}", stderr(&on));
        assert_eq!(stdout(&on), stdout(&off), "{mode}");
    }
}

const RUN_TIME_CODE: &str = r#"import rpyjit

SRC = "def total(n):\n    t = 0\n    for i in range(n):\n        t += i * scale\n    return t\n"

# exec of a string: into the caller's globals, and into dicts of its own.
scale = 1
exec(SRC)
g = {"scale": 2}
loc = {}
exec(SRC, g, loc)
from_dicts = loc["total"]

# compile, then exec of the code object (twice: the same code serves both).
code = compile(SRC, "generated.py", "exec")
ns1 = {"scale": 3}
ns2 = {"scale": 4}
exec(code, ns1)
exec(code, ns2)

# eval of a string that makes a function, and eval reading the caller's locals.
square_sum = eval("lambda n: sum([i * i for i in range(n)])")
def local_eval(k):
    base = 10
    return eval("base + k"), eval("[base * j for j in range(k)]")

# Builtins of the exec'd code's own: namedtuple evaluates with {'__builtins__': {}}.
import collections
Point = collections.namedtuple("Point", "x y")
restricted = {"__builtins__": {"len": len}}
exec("def size(s):\n    n = 0\n    for c in s:\n        n += 1\n    return n, len(s)\n", restricted)
exec(compile("def first(s):\n    for c in s:\n        return c\n", "<c>", "exec"), {"__builtins__": {}})

for f in [total, from_dicts, ns1["total"], ns2["total"], square_sum]:
    print(f(10), f(10))
print(restricted["size"]("abc"), restricted["size"]("abcd"))
print(local_eval(3), Point(1, 2), ns1["__builtins__"] is __builtins__.__dict__)
print("compiled:", [rpyjit.is_compiled(f) for f in [total, from_dicts, ns1["total"], ns2["total"], square_sum]])
"#;

/// Functions made by `exec`, `eval` and `compile` are counted and compiled like code from files.
#[test]
fn functions_from_exec_eval_and_compile_are_counted_and_compiled() {
    let p = script("run_time_code", RUN_TIME_CODE);
    let off = run_script(&["jit=off"], &p, &[]);
    assert!(off.status.success(), "{}", stderr(&off));
    assert_eq!(
        field(&stdout(&off), "compiled"),
        "[False, False, False, False, False]"
    );
    let expected = stdout(&off).replace(
        "[False, False, False, False, False]",
        "[True, True, True, True, True]",
    );
    // Counted like code from a file: hot after one call, and native from the next one.
    for mode in ["jit-threshold=1", "jit-threshold=0"] {
        let on = run_script(&[mode], &p, &[]);
        assert!(on.status.success(), "-X {mode}: {}", stderr(&on));
        assert_eq!(stdout(&on), expected, "-X {mode}");
    }
    // Same answers at the default threshold, where one call is not hot yet.
    let on = run_script(&["jit=on"], &p, &[]);
    assert_eq!(stdout(&on), stdout(&off));
}

/// Functions of frozen stdlib modules imported later are counted and compiled.
#[test]
fn a_function_of_a_frozen_stdlib_module_is_counted() {
    // textwrap is not imported at start-up: it comes from the frozen stdlib on import.
    let prog = r#"import textwrap, rpyjit
print(textwrap.__spec__.origin, rpyjit.is_compiled(textwrap.dedent))
print(repr(textwrap.dedent('  a\n    b\n')))
print('compiled:', rpyjit.is_compiled(textwrap.dedent))
"#;
    let off = run(&["-X", "jit=off", "-c", prog]);
    assert_eq!(
        stdout(&off),
        "frozen False\n'a\\n  b\\n'\ncompiled: False\n",
        "{}",
        stderr(&off)
    );
    let on = run(&["-X", "jit-threshold=0", "-c", prog]);
    assert_eq!(
        stdout(&on),
        "frozen False\n'a\\n  b\\n'\ncompiled: True\n",
        "{}",
        stderr(&on)
    );
}

const BAD_EXEC_EVAL_COMPILE: &str = r#"def show(call):
    try:
        call()
    except Exception as e:
        print(type(e).__name__ + ":", e)

show(lambda: exec("x = (1,\n  2 +"))
show(lambda: eval("1 +* 2", {}))
show(lambda: compile("x = (", "prog.py", "exec"))
show(lambda: compile("1", "prog.py", "nope"))
show(lambda: exec("x = 1", 5))
show(lambda: exec("x = 1", {}, closure=()))
show(lambda: eval("1\0"))
show(lambda: exec("x = 1", {}, {}, junk=1))
show(lambda: eval(compile("lambda: y", "<s>", "eval"))())

def run(n):
    exec("def g(items, n):\n    t = 0\n    for i in range(n):\n        t += items[i]\n    return t\nprint(g([1, 2], 2))\ng([1, 2], n)")

run(3)
"#;

/// What CPython 3.13 prints for [`BAD_EXEC_EVAL_COMPILE`] (the script's path aside).
const BAD_EXEC_EVAL_COMPILE_STDOUT: &str = "SyntaxError: '(' was never closed (<string>, line 1)
SyntaxError: invalid syntax (<string>, line 1)
SyntaxError: '(' was never closed (prog.py, line 1)
ValueError: compile() mode must be 'exec', 'eval' or 'single'
TypeError: exec() globals must be a dict, not int
TypeError: closure can only be used when source is a code object
SyntaxError: source code string cannot contain null bytes
TypeError: exec() got an unexpected keyword argument 'junk'
NameError: name 'y' is not defined
3
";

const BAD_EXEC_EVAL_COMPILE_STDERR: &str = r#"Traceback (most recent call last):
  File "PATH", line 20, in <module>
    run(3)
    ~~~^^^
  File "PATH", line 18, in run
    exec("def g(items, n):\n    t = 0\n    for i in range(n):\n        t += items[i]\n    return t\nprint(g([1, 2], 2))\ng([1, 2], n)")
    ~~~~^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
  File "<string>", line 7, in <module>
  File "<string>", line 4, in g
IndexError: list index out of range
"#;

/// Errors of `exec`, `eval` and `compile` are CPython's, with and without the JIT.
#[test]
fn exec_eval_and_compile_errors_are_cpythons() {
    let p = script("bad_exec_eval_compile", BAD_EXEC_EVAL_COMPILE);
    let expected_stderr = BAD_EXEC_EVAL_COMPILE_STDERR.replace("PATH", p.to_str().unwrap());
    for mode in ["jit=off", "jit=on", "jit-threshold=0"] {
        let o = run_script(&[mode], &p, &[]);
        assert_eq!(o.status.code(), Some(1), "-X {mode}: {}", stderr(&o));
        assert_eq!(stdout(&o), BAD_EXEC_EVAL_COMPILE_STDOUT, "-X {mode}");
        assert_eq!(stderr(&o), expected_stderr, "-X {mode}");
    }
}

/// Bad arguments to `exec` and `eval` raise the interpreter's TypeErrors word for word.
#[test]
fn bad_arguments_to_exec_and_eval_fail_as_in_the_interpreter() {
    // RustPython words these TypeErrors its own way (CPython 3.13: "eval() arg 1 must be a
    // string, bytes or code object", "exec() takes at least 1 positional argument (0
    // given)"); with the JIT they are the interpreter's, word for word.
    for prog in [
        "eval(5)",
        "exec(None)",
        "exec()",
        "eval('1', {}, {}, {})",
        "exec('x', {}, 5)",
    ] {
        let off = run(&["-X", "jit=off", "-c", prog]);
        assert_eq!(off.status.code(), Some(1), "{prog}");
        assert!(
            stderr(&off).contains("TypeError"),
            "{prog}: {}",
            stderr(&off)
        );
        for mode in JIT_MODES {
            let on = run(&["-X", mode, "-c", prog]);
            assert_eq!(on.status.code(), Some(1), "{prog} -X {mode}");
            assert_eq!(stderr(&on), stderr(&off), "{prog} -X {mode}");
        }
    }
}

/// A .pyc written with the JIT's counting prologues in place loads and runs without the JIT.
#[test]
fn a_pyc_written_with_the_jit_on_loads_without_it() {
    // py_compile compiles with the JIT's counting prologues in place; marshal writes the
    // plain code, so the .pyc runs anywhere.
    let dir = std::env::temp_dir().join(format!("rpyjit-pyc-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let src = dir.join("summed.py");
    std::fs::write(
        &src,
        r#"def f(n):
    t = 0
    for i in range(n):
        t += i
    return t
"#,
    )
    .unwrap();
    let pyc = dir.join("pyc_only").join("summed.pyc");
    let write = format!(
        "import py_compile; py_compile.compile({:?}, cfile={:?}, doraise=True)",
        src.to_str().unwrap(),
        pyc.to_str().unwrap()
    );
    let w = run(&["-X", "jit-threshold=0", "-c", &write]);
    assert!(w.status.success(), "{}", stderr(&w));
    let load =
        "import sys, rpyjit; import summed; print(summed.f(10), rpyjit.is_compiled(summed.f))";
    let pyc_dir = pyc.parent().unwrap().to_str().unwrap();
    for (mode, compiled) in [("jit=off", "False"), ("jit-threshold=0", "True")] {
        let o = rpyjit()
            .current_dir(pyc_dir)
            .args(["-X", mode, "-c", load])
            .output()
            .unwrap();
        assert_eq!(
            stdout(&o),
            format!("45 {compiled}\n"),
            "-X {mode}: {}",
            stderr(&o)
        );
    }
}

/// The escape hatch: `@rpyjit.interpreted` and `-X jit-exclude=PATTERN` keep chosen
/// functions in the interpreter, hot calls and hot loops alike, while the rest compiles;
/// the statistics say why they stayed.
#[test]
fn chosen_functions_stay_in_the_interpreter() {
    let p = script(
        "escape_hatch",
        r#"
import rpyjit

@rpyjit.interpreted
def decorated(n):
    s = 0
    for i in range(n):
        s += i
    return s

def by_pattern(n):
    s = 0
    for i in range(n):
        s += i
    return s

def free(n):
    s = 0
    for i in range(n):
        s += i
    return s

for _ in range(2000):
    decorated(3); by_pattern(3); free(3)
print(decorated(200000), by_pattern(200000), free(200000))
print("compiled:", rpyjit.is_compiled(decorated), rpyjit.is_compiled(by_pattern), rpyjit.is_compiled(free))
print("explicit compile refused:", rpyjit.compile(decorated) is False)
"#,
    );
    for mode in JIT_MODES {
        let (o, stats) = run_script_with_stats(&[mode, "jit-exclude=*.by_pat*"], &p, &[]);
        assert!(o.status.success(), "{mode}: {}", stderr(&o));
        let out = stdout(&o);
        assert!(
            out.starts_with("19999900000 19999900000 19999900000\n"),
            "{mode}: {out}"
        );
        assert_eq!(field(&out, "compiled"), "False False True", "{mode}");
        assert_eq!(field(&out, "explicit compile refused"), "True", "{mode}");
        for reason in [
            "kept in the interpreter by @rpyjit.interpreted",
            "kept in the interpreter by -X jit-exclude",
        ] {
            assert!(stats.refused.get(reason).is_some_and(|&n| n > 0), "{stats}");
        }
    }
}

/// The profitability estimate counts only what the interpreter does in place: `s += x` on
/// a string only a local refers to (it appends without copying) keeps a loop doing little
/// else in the interpreter, while a concatenation that makes a new string either way
/// (`"visit_" + name`, the dispatch of a visitor) is compiled like any other helper call.
#[test]
fn only_in_place_string_appends_keep_code_in_the_interpreter() {
    let stats = jit_matches_the_interpreter(
        "string_appends",
        r#"class Visitor:
    def visit(self, node):
        return getattr(self, "visit_" + type(node).__name__)(node)

    def visit_int(self, node):
        return node + 1

    def visit_str(self, node):
        return len(node)

def drive(n):
    v = Visitor()
    t = 0
    for i in range(n):
        t += v.visit(i) + v.visit("ab")
    return t

def accumulate(parts):
    s = ""
    for p in parts:
        s += p
    return len(s)

print(drive(3000))
print(accumulate(["x", "yz"] * 3000))
"#,
    );
    assert!(stats.compiled("Visitor.visit"), "{stats}");
    assert!(!stats.compiled("accumulate"), "{stats}");
    assert!(
        stats.refused.keys().any(|r| r.contains("not profitable")),
        "{stats}"
    );
}
