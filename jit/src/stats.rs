//! JIT statistics, always collected (a few relaxed atomics and a mutex on cold paths):
//! compiled functions, refusals and fallbacks with reasons, deopts per site, native calls.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

#[derive(Default)]
pub struct Stats {
    native_calls: AtomicU64,
    osr_entries: AtomicU64,
    compile_nanos: AtomicU64,
    entry_misses: AtomicU64,
    /// Exceptions native code handled itself: caught by a handler of the function, or
    /// passed to its caller with the traceback entry added.
    caught: AtomicU64,
    propagated: AtomicU64,
    detail: Mutex<Detail>,
}

#[derive(Default, Clone)]
pub struct Detail {
    pub compiled: Vec<String>,
    /// Per compiled function (parallel to `compiled`): its work estimate.
    pub compiled_detail: Vec<String>,
    pub refused: BTreeMap<String, u64>,
    /// Functions refused as not profitable, each with its work estimate.
    pub unprofitable: Vec<String>,
    /// Code objects never counted because they cannot be compiled at all, by reason.
    pub skipped: BTreeMap<String, u64>,
    pub fallbacks: BTreeMap<String, u64>,
    /// Functions also compiled for the other architecture (`RPYJIT_CROSS_ISA=1`), by
    /// target, and the failures with their errors.
    pub cross_isa: BTreeMap<String, u64>,
    pub cross_isa_failures: Vec<String>,
    /// (function, unit, reason) → count.
    pub deopts: BTreeMap<(String, u32, &'static str), u64>,
    /// Assumptions dropped by recompiling: (function, unit, what kept failing).
    pub recompiles: Vec<(String, u32, &'static str)>,
}

pub static STATS: Stats = Stats {
    native_calls: AtomicU64::new(0),
    osr_entries: AtomicU64::new(0),
    compile_nanos: AtomicU64::new(0),
    entry_misses: AtomicU64::new(0),
    caught: AtomicU64::new(0),
    propagated: AtomicU64::new(0),
    detail: Mutex::new(Detail {
        compiled: Vec::new(),
        compiled_detail: Vec::new(),
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
    pub fn compiled(&self, name: &str, detail: String, took: std::time::Duration) {
        self.compile_nanos
            .fetch_add(took.as_nanos() as u64, Ordering::Relaxed);
        self.with(|d| {
            d.compiled.push(name.to_owned());
            d.compiled_detail.push(detail);
        });
    }
    /// Total time spent translating and compiling.
    pub fn compile_time(&self) -> std::time::Duration {
        std::time::Duration::from_nanos(self.compile_nanos.load(Ordering::Relaxed))
    }
    pub fn refused(&self, reason: &str) {
        self.with(|d| *d.refused.entry(reason.to_owned()).or_default() += 1);
    }
    /// A function left to the interpreter by the profitability estimate (`detail`).
    pub fn unprofitable(&self, name: &str, detail: String) {
        self.with(|d| d.unprofitable.push(format!("{name} [{detail}]")));
    }
    pub fn skipped(&self, reason: &str) {
        self.with(|d| *d.skipped.entry(reason.to_owned()).or_default() += 1);
    }
    pub fn fallback(&self, reason: &str) {
        self.with(|d| *d.fallbacks.entry(reason.to_owned()).or_default() += 1);
    }
    pub fn cross_isa(&self, result: Result<String, String>) {
        self.with(|d| match result {
            Ok(triple) => *d.cross_isa.entry(triple).or_default() += 1,
            Err(e) => d.cross_isa_failures.push(e),
        });
    }
    pub fn deopt(&self, func: &str, unit: u32, reason: &'static str) {
        self.with(|d| *d.deopts.entry((func.to_owned(), unit, reason)).or_default() += 1);
    }
    pub fn recompiled(&self, func: &str, unit: u32, reason: &'static str) {
        self.with(|d| d.recompiles.push((func.to_owned(), unit, reason)));
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
        s += &format!(
            "  compiled functions: {} (compile time {:.1} ms)\n",
            d.compiled.len(),
            self.compile_time().as_secs_f64() * 1e3
        );
        for (f, detail) in d.compiled.iter().zip(&d.compiled_detail) {
            s += &format!("    {f} [{detail}]\n");
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
        s += &format!(
            "  refused (stay in the interpreter): {}\n",
            d.refused.values().sum::<u64>()
        );
        for (r, n) in &d.refused {
            s += &format!("    {n:6}  {r}\n");
        }
        for f in &d.unprofitable {
            s += &format!("            not profitable: {f}\n");
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
                s += &format!("    {e}\n");
            }
        }
        s += &format!(
            "  recompiled without a failing assumption: {}\n",
            d.recompiles.len()
        );
        for (f, u, r) in &d.recompiles {
            s += &format!("            {f} @ unit {u}: {r}\n");
        }
        s += &format!("  deopts: {}\n", d.deopts.values().sum::<u64>());
        for ((f, u, r), n) in &d.deopts {
            s += &format!("    {n:6}  {f} @ unit {u}: {r}\n");
        }
        s
    }
}
