//! The JIT's statistics of a test run as data: a `sitecustomize` hook
//! (`stats_hook/sitecustomize.py`, on `PYTHONPATH`) writes `rpyjit.stats()` as JSON at
//! exit, whether the program succeeded or not, and [`JitStats`] is its schema (the one
//! `stdlib-shims/src/rpyjit_module.rs` documents). Tests assert on fields, never on the
//! `-X jit-stats` text.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

use serde::Deserialize;

const SITECUSTOMIZE: &str = include_str!("stats_hook/sitecustomize.py");

/// `rpyjit.stats()` of one run.
#[derive(Deserialize, Debug, Default)]
#[serde(deny_unknown_fields)]
pub struct JitStats {
    pub compiled: Vec<Compilation>,
    pub compile_time: f64,
    pub compile_phases: CompilePhases,
    pub compile_instructions: u64,
    pub native_calls: u64,
    pub osr_entries: u64,
    pub entry_misses: u64,
    pub exceptions_caught: u64,
    pub exceptions_propagated: u64,
    pub refused: BTreeMap<String, u64>,
    pub refusals: Vec<Refusal>,
    pub unprofitable: Vec<Unprofitable>,
    pub skipped: BTreeMap<String, u64>,
    pub fallbacks: BTreeMap<String, u64>,
    pub deopts: Vec<Deopt>,
    pub recompiles: Vec<Recompile>,
    pub cross_isa: CrossIsa,
    /// The JSON as written, for failure messages.
    #[serde(skip)]
    pub json: String,
}

#[derive(Deserialize, Debug, Clone, Copy, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Work {
    pub inline: u64,
    pub helpers: u64,
    pub in_place: u64,
}

/// One compiled version of a function.
#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct Compilation {
    pub function: String,
    pub label: String,
    pub file: String,
    pub line: Option<u32>,
    pub loop_at: Option<u32>,
    pub generic_instructions: u64,
    pub forced: bool,
    pub work: Work,
    pub instructions: u64,
    pub clif_instructions: u64,
    pub compile_time: f64,
}

/// CPU seconds of compiling by phase.
#[derive(Deserialize, Debug, Default)]
#[serde(deny_unknown_fields)]
pub struct CompilePhases {
    pub translate: f64,
    pub verify: f64,
    pub codegen: f64,
    pub link: f64,
}

#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct Refusal {
    pub function: Option<String>,
    pub reason: String,
    pub count: u64,
}

#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct Unprofitable {
    pub function: String,
    pub work: Work,
}

#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct Deopt {
    pub function: String,
    pub unit: u32,
    pub reason: String,
    pub count: u64,
}

#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct Recompile {
    pub function: String,
    pub version: String,
    pub unit: u32,
    pub reason: String,
}

#[derive(Deserialize, Debug, Default)]
#[serde(deny_unknown_fields)]
pub struct CrossIsa {
    pub compiled: BTreeMap<String, u64>,
    pub failures: Vec<CrossIsaFailure>,
}

#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct CrossIsaFailure {
    pub function: String,
    pub error: String,
}

impl JitStats {
    pub fn parse(json: &str) -> Self {
        let mut s: JitStats = serde_json::from_str(json)
            .unwrap_or_else(|e| panic!("rpyjit.stats() as JSON: {e}\n{json}"));
        s.json = json.to_owned();
        s
    }
    /// Deopts at all sites.
    pub fn deopt_count(&self) -> u64 {
        self.deopts.iter().map(|d| d.count).sum()
    }
    /// Functions sent back to the interpreter, for any reason.
    pub fn fallback_count(&self) -> u64 {
        self.fallbacks.values().sum()
    }
    pub fn refused_count(&self) -> u64 {
        self.refused.values().sum()
    }
    pub fn skipped_count(&self) -> u64 {
        self.skipped.values().sum()
    }
    /// Whether some version of `function` (its `__qualname__`) was compiled.
    pub fn compiled(&self, function: &str) -> bool {
        self.compiled.iter().any(|c| c.function == function)
    }
    /// The version named `label` (e.g. `f`: the first version entered by calls).
    pub fn compiled_as(&self, label: &str) -> bool {
        self.compiled.iter().any(|c| c.label == label)
    }
    /// Whether `function` left native code at some site (for `reason` containing
    /// `reason_part`, if given).
    pub fn deopted(&self, function: &str, reason_part: Option<&str>) -> bool {
        self.deopts
            .iter()
            .any(|d| d.function == function && reason_part.is_none_or(|r| d.reason.contains(r)))
    }
    /// Versions compiled for the other architecture, all targets.
    pub fn cross_isa_compiled(&self) -> u64 {
        self.cross_isa.compiled.values().sum()
    }
}

impl fmt::Display for JitStats {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.json)
    }
}

/// Where one run writes its statistics: pass [`Self::env`] to the run (or
/// [`Self::apply`] it to the command), then [`Self::read`] once it ended.
pub struct StatsFile {
    hook_dir: PathBuf,
    out: PathBuf,
}

impl StatsFile {
    pub fn new() -> Self {
        static RUNS: AtomicUsize = AtomicUsize::new(0);
        let hook_dir =
            std::env::temp_dir().join(format!("rpyjit-stats-hook-{}", std::process::id()));
        std::fs::create_dir_all(&hook_dir).unwrap();
        let hook = hook_dir.join("sitecustomize.py");
        if std::fs::read_to_string(&hook).ok().as_deref() != Some(SITECUSTOMIZE) {
            // Written whole and renamed: parallel tests never see half a file.
            let n = RUNS.fetch_add(1, Ordering::Relaxed);
            let tmp = hook_dir.join(format!("sitecustomize.py.{n}"));
            std::fs::write(&tmp, SITECUSTOMIZE).unwrap();
            std::fs::rename(&tmp, &hook).unwrap();
        }
        let n = RUNS.fetch_add(1, Ordering::Relaxed);
        let out = hook_dir.join(format!("stats-{n}.json"));
        let _ = std::fs::remove_file(&out);
        StatsFile { hook_dir, out }
    }

    /// The environment that makes the run write its statistics here.
    pub fn env(&self) -> [(&'static str, String); 2] {
        [
            ("PYTHONPATH", self.hook_dir.to_str().unwrap().to_owned()),
            ("JIT_TEST_STATS_JSON", self.out.to_str().unwrap().to_owned()),
        ]
    }

    pub fn apply<'c>(&self, cmd: &'c mut Command) -> &'c mut Command {
        cmd.envs(self.env())
    }

    /// The statistics the run wrote; panics (with `context`, e.g. its stderr) if none.
    pub fn read(&self, context: &str) -> JitStats {
        let json = std::fs::read_to_string(&self.out).unwrap_or_else(|e| {
            panic!(
                "no statistics in {} ({e}); the run said:\n{context}",
                self.out.display()
            )
        });
        let _ = std::fs::remove_file(&self.out);
        JitStats::parse(&json)
    }
}
