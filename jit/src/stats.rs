//! JIT statistics, always collected (a few relaxed atomics and a mutex on cold paths):
//! one record per compiled version, refusal, deopt site, recompilation and cross-ISA
//! result, and counters for the rest. `rpyjit.stats()` hands these records to Python as
//! plain values; [`Stats::summary`] (`-X jit-stats`) renders the same records as text.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Duration;

use rustpython_vm::builtins::PyCode;

use crate::translate::Translation;

#[derive(Default)]
pub struct Stats {
    native_calls: AtomicU64,
    osr_entries: AtomicU64,
    /// CPU time per [`Phase`] of compiling, in nanoseconds.
    phase_nanos: [AtomicU64; 4],
    /// Bytecode instructions translated (every translation, refused ones included).
    translated: AtomicU64,
    entry_misses: AtomicU64,
    /// Exceptions native code handled itself: caught by a handler of the function, or
    /// passed to its caller with the traceback entry added.
    caught: AtomicU64,
    propagated: AtomicU64,
    detail: Mutex<Detail>,
}

/// The profitability inputs of a translation (see [`Translation::profitable`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Work {
    pub inline: u64,
    pub helpers: u64,
    /// The part of `helpers` the interpreter does in place: generator steps and string
    /// appends.
    pub in_place: u64,
}

impl Work {
    pub fn of(t: &Translation) -> Self {
        Work {
            inline: t.inline_work,
            helpers: t.helper_work,
            in_place: t.in_place_work,
        }
    }
}

impl fmt::Display for Work {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "work inline {}, through helpers {} (generator steps and string appends {})",
            self.inline, self.helpers, self.in_place
        )
    }
}

/// Where a function is defined: its code object's file and first line.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Source {
    pub file: String,
    pub line: Option<u32>,
}

impl Source {
    pub fn of(code: &PyCode) -> Self {
        Source {
            file: code.code.source_path.as_str().to_owned(),
            line: code.code.first_line_number.map(|l| l.get() as u32),
        }
    }
}

/// One version of a function compiled to native code.
#[derive(Clone, Debug)]
pub struct Compilation {
    /// The function's `__qualname__`.
    pub function: String,
    pub source: Source,
    /// The JIT's name for this version (the summary's and perf maps'), e.g.
    /// `main (loop at unit 12)` or `f (generic)`.
    pub label: String,
    /// `None`: entered at its start by a call (a hot function, `rpyjit.compile`, or
    /// native callers); `Some(unit)`: entered mid-loop at this unit (on-stack replacement).
    pub loop_at: Option<u32>,
    /// Instructions compiled without their failing assumption: 0 for a first version,
    /// more for a recompilation.
    pub generic_instructions: usize,
    /// Compiled on request (`rpyjit.compile`), without the profitability estimate.
    pub forced: bool,
    pub work: Work,
    /// Bytecode instructions of the function (what the translation covered).
    pub instructions: usize,
    /// The size of its CLIF: what Cranelift compiled (and what chose its register
    /// allocator, `isa::Regalloc::for_size`).
    pub clif_instructions: usize,
    /// CPU time of this version's translation and compilation.
    pub compile_time: Duration,
}

/// Where compile time goes: translating bytecode into CLIF (typing included), verifying
/// the CLIF, Cranelift's code generation (lowering, register allocation, emission) and
/// linking the code into executable memory.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    Translate,
    Verify,
    Codegen,
    Link,
}

impl Phase {
    pub const ALL: [Phase; 4] = [Phase::Translate, Phase::Verify, Phase::Codegen, Phase::Link];
    pub fn name(self) -> &'static str {
        match self {
            Phase::Translate => "translate",
            Phase::Verify => "verify",
            Phase::Codegen => "codegen",
            Phase::Link => "link",
        }
    }
}

/// CPU time the calling thread has used. Compile time is CPU time, so that it is the
/// same whichever thread compiles and whatever else the machine runs meanwhile.
pub fn thread_cpu_time() -> Duration {
    let mut t = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `t` is a valid, writable timespec; CLOCK_THREAD_CPUTIME_ID exists on every
    // Linux rpyjit supports. On failure `t` stays zero and the phase reads as 0 ns.
    unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut t) };
    Duration::new(t.tv_sec as u64, t.tv_nsec as u32)
}

/// Measures the phases of one compilation on the current thread, counting each in the
/// process's totals as it ends.
pub struct CompileClock {
    last: Duration,
    spent: Duration,
}

impl CompileClock {
    pub fn new() -> Self {
        CompileClock {
            last: thread_cpu_time(),
            spent: Duration::ZERO,
        }
    }
    /// Counts the CPU time since the previous phase ended (or the clock started) as `phase`.
    pub fn phase_done(&mut self, phase: Phase) {
        let now = thread_cpu_time();
        let t = now.saturating_sub(self.last);
        STATS.spent(phase, t);
        self.spent += t;
        self.last = now;
    }
    /// The CPU time of the phases measured so far.
    pub fn spent(&self) -> Duration {
        self.spent
    }
}

impl Default for CompileClock {
    fn default() -> Self {
        Self::new()
    }
}

/// A version the profitability estimate left to the interpreter.
#[derive(Clone, Debug)]
pub struct Unprofitable {
    pub function: String,
    pub work: Work,
}

/// A function a cross-architecture compilation failed for, with the error.
#[derive(Clone, Debug)]
pub struct CrossIsaFailure {
    pub function: String,
    pub error: String,
}

/// An assumption dropped by recompiling: the instruction at `unit` of `function` kept
/// failing for `reason` in the version named `version` ([`Compilation::label`]).
#[derive(Clone, Debug)]
pub struct Recompile {
    pub function: String,
    pub version: String,
    pub unit: u32,
    pub reason: &'static str,
}

#[derive(Default, Clone)]
pub struct Detail {
    pub compiled: Vec<Compilation>,
    /// (reason, function if known) → count. Refusals recorded before the function is at
    /// hand (in `entry::prepare_target`) have no function.
    pub refused: BTreeMap<(String, Option<String>), u64>,
    pub unprofitable: Vec<Unprofitable>,
    /// Code objects never counted because they cannot be compiled at all, by reason.
    pub skipped: BTreeMap<String, u64>,
    pub fallbacks: BTreeMap<String, u64>,
    /// Functions also compiled for the other architecture (`RPYJIT_CROSS_ISA=1`), by
    /// target, and the failures with their errors.
    pub cross_isa: BTreeMap<String, u64>,
    pub cross_isa_failures: Vec<CrossIsaFailure>,
    /// (function, unit, reason) → count.
    pub deopts: BTreeMap<(String, u32, &'static str), u64>,
    pub recompiles: Vec<Recompile>,
}

impl Detail {
    /// Refusals by reason, whatever the function.
    pub fn refused_by_reason(&self) -> BTreeMap<&str, u64> {
        let mut m = BTreeMap::new();
        for ((reason, _), n) in &self.refused {
            *m.entry(reason.as_str()).or_default() += n;
        }
        m
    }
}

pub static STATS: Stats = Stats {
    native_calls: AtomicU64::new(0),
    osr_entries: AtomicU64::new(0),
    phase_nanos: [const { AtomicU64::new(0) }; 4],
    translated: AtomicU64::new(0),
    entry_misses: AtomicU64::new(0),
    caught: AtomicU64::new(0),
    propagated: AtomicU64::new(0),
    detail: Mutex::new(Detail {
        compiled: Vec::new(),
        refused: BTreeMap::new(),
        unprofitable: Vec::new(),
        skipped: BTreeMap::new(),
        fallbacks: BTreeMap::new(),
        cross_isa: BTreeMap::new(),
        cross_isa_failures: Vec::new(),
        deopts: BTreeMap::new(),
        recompiles: Vec::new(),
    }),
};

impl Stats {
    fn with<R>(&self, f: impl FnOnce(&mut Detail) -> R) -> R {
        f(&mut self.detail.lock().unwrap_or_else(|p| p.into_inner()))
    }
    pub fn compiled(&self, c: Compilation) {
        self.with(|d| d.compiled.push(c));
    }
    /// CPU time spent in `phase` of a compilation (see [`CompileClock`]).
    pub fn spent(&self, phase: Phase, t: Duration) {
        self.phase_nanos[phase as usize].fetch_add(t.as_nanos() as u64, Ordering::Relaxed);
    }
    /// A translation of `instructions` bytecode instructions was made.
    pub fn translated(&self, instructions: usize) {
        self.translated
            .fetch_add(instructions as u64, Ordering::Relaxed);
    }
    /// CPU time spent in `phase`, over all compilations.
    pub fn phase_time(&self, phase: Phase) -> Duration {
        Duration::from_nanos(self.phase_nanos[phase as usize].load(Ordering::Relaxed))
    }
    /// Total CPU time spent translating and compiling, on every thread, including
    /// translations that were refused (profitability, recompilations).
    pub fn compile_time(&self) -> Duration {
        Phase::ALL.iter().map(|&p| self.phase_time(p)).sum()
    }
    /// Bytecode instructions translated, over all translations.
    pub fn translated_instructions(&self) -> u64 {
        self.translated.load(Ordering::Relaxed)
    }
    /// The `-X jit-stats` line tools parse: `compile time: T ms for N bytecode
    /// instructions (X ms per 100)`.
    pub fn compile_time_line(&self) -> String {
        let ms = self.compile_time().as_secs_f64() * 1e3;
        let n = self.translated_instructions();
        let per_100 = if n == 0 { 0.0 } else { ms * 100.0 / n as f64 };
        format!("compile time: {ms:.1} ms for {n} bytecode instructions ({per_100:.2} ms per 100)")
    }
    /// The JIT would not compile `function` (`None`: not known where it was refused).
    pub fn refused(&self, function: Option<&str>, reason: &str) {
        let key = (reason.to_owned(), function.map(str::to_owned));
        self.with(|d| *d.refused.entry(key).or_default() += 1);
    }
    /// A function left to the interpreter by the profitability estimate.
    pub fn unprofitable(&self, function: &str, work: Work) {
        let function = function.to_owned();
        self.with(|d| d.unprofitable.push(Unprofitable { function, work }));
    }
    pub fn skipped(&self, reason: &str) {
        self.with(|d| *d.skipped.entry(reason.to_owned()).or_default() += 1);
    }
    pub fn fallback(&self, reason: &str) {
        self.with(|d| *d.fallbacks.entry(reason.to_owned()).or_default() += 1);
    }
    /// `function` compiled for another architecture: its target triple, or the error.
    pub fn cross_isa(&self, function: &str, result: Result<String, String>) {
        self.with(|d| match result {
            Ok(triple) => *d.cross_isa.entry(triple).or_default() += 1,
            Err(error) => d.cross_isa_failures.push(CrossIsaFailure {
                function: function.to_owned(),
                error,
            }),
        });
    }
    pub fn deopt(&self, func: &str, unit: u32, reason: &'static str) {
        self.with(|d| *d.deopts.entry((func.to_owned(), unit, reason)).or_default() += 1);
    }
    pub fn recompiled(&self, function: &str, version: &str, unit: u32, reason: &'static str) {
        let (function, version) = (function.to_owned(), version.to_owned());
        self.with(|d| {
            d.recompiles.push(Recompile {
                function,
                version,
                unit,
                reason,
            })
        });
    }
    pub fn osr_entry(&self) {
        self.osr_entries.fetch_add(1, Ordering::Relaxed);
    }
    pub fn osr_entries(&self) -> u64 {
        self.osr_entries.load(Ordering::Relaxed)
    }
    pub fn native_call(&self) {
        self.native_calls.fetch_add(1, Ordering::Relaxed);
    }
    pub fn entry_miss(&self) {
        self.entry_misses.fetch_add(1, Ordering::Relaxed);
    }
    pub fn native_calls(&self) -> u64 {
        self.native_calls.load(Ordering::Relaxed)
    }
    pub fn entry_misses(&self) -> u64 {
        self.entry_misses.load(Ordering::Relaxed)
    }
    /// An exception native code handled: caught in the function, or `leaving` it.
    pub fn exception(&self, leaving: bool) {
        let c = if leaving {
            &self.propagated
        } else {
            &self.caught
        };
        c.fetch_add(1, Ordering::Relaxed);
    }
    /// (caught, propagated): see [`Self::exception`].
    pub fn exceptions(&self) -> (u64, u64) {
        (
            self.caught.load(Ordering::Relaxed),
            self.propagated.load(Ordering::Relaxed),
        )
    }
    pub fn snapshot(&self) -> Detail {
        self.with(|d| d.clone())
    }

    /// The summary `-X jit-stats` prints at exit.
    pub fn summary(&self) -> String {
        let d = self.snapshot();
        let mut s = String::from("rpyjit JIT statistics\n");
        s += &self.compile_time_line();
        s += "\n";
        let phases: Vec<String> = Phase::ALL
            .iter()
            .map(|&p| {
                format!(
                    "{} {:.1} ms",
                    p.name(),
                    self.phase_time(p).as_secs_f64() * 1e3
                )
            })
            .collect();
        s += &format!("  compile phases: {}\n", phases.join(", "));
        s += &format!("  compiled functions: {}\n", d.compiled.len());
        for c in &d.compiled {
            s += &format!("    {} [{}]\n", c.label, c.work);
        }
        s += &format!("  native calls: {}\n", self.native_calls());
        s += &format!(
            "  loop entries (on-stack replacement): {}\n",
            self.osr_entries()
        );
        s += &format!("  entry guard misses: {}\n", self.entry_misses());
        let (caught, propagated) = self.exceptions();
        s += &format!(
            "  exceptions in native code: {caught} caught by the function's handlers, {propagated} passed to the caller\n"
        );
        let refused = d.refused_by_reason();
        s += &format!(
            "  refused (stay in the interpreter): {}\n",
            refused.values().sum::<u64>()
        );
        for (r, n) in &refused {
            s += &format!("    {n:6}  {r}\n");
        }
        for u in &d.unprofitable {
            s += &format!("            not profitable: {} [{}]\n", u.function, u.work);
        }
        s += &format!(
            "  functions never counted (cannot be compiled): {}\n",
            d.skipped.values().sum::<u64>()
        );
        for (r, n) in &d.skipped {
            s += &format!("    {n:6}  {r}\n");
        }
        s += &format!(
            "  fallbacks to the interpreter: {}\n",
            d.fallbacks.values().sum::<u64>()
        );
        for (r, n) in &d.fallbacks {
            s += &format!("    {n:6}  {r}\n");
        }
        if !d.cross_isa.is_empty() || !d.cross_isa_failures.is_empty() {
            for (t, n) in &d.cross_isa {
                s += &format!("  also compiled for {t}: {n}\n");
            }
            s += &format!(
                "  cross-architecture failures: {}\n",
                d.cross_isa_failures.len()
            );
            for e in &d.cross_isa_failures {
                s += &format!("    {}\n", e.error);
            }
        }
        s += &format!(
            "  recompiled without a failing assumption: {}\n",
            d.recompiles.len()
        );
        for r in &d.recompiles {
            s += &format!(
                "            {} @ unit {}: {}\n",
                r.version, r.unit, r.reason
            );
        }
        s += &format!("  deopts: {}\n", d.deopts.values().sum::<u64>());
        for ((f, u, r), n) in &d.deopts {
            s += &format!("    {n:6}  {f} @ unit {u}: {r}\n");
        }
        s
    }
}
