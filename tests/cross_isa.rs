//! One code path for both architectures, and coverage: every corpus program runs with
//! every function compiled before its first call (`-X jit-threshold=0`) and
//! `RPYJIT_CROSS_ISA=1`, which makes the JIT translate and compile each function it
//! compiles for the host also for the other supported architecture (AArch64 on an x86-64
//! host), with Cranelift's verifier on. The statistics of each run (`rpyjit.stats()`)
//! must show code produced for it and no failure, and at least 90% of the functions the
//! corpus runs (generators aside, which stay in the interpreter) compiled and kept native.

use std::time::Duration;

use rpyjit_tests::{corpus_dir, run_program_with_env, RunError};

#[path = "../runtime/tests/common/jit_stats.rs"]
mod jit_stats;
use jit_stats::StatsFile;

#[test]
fn at_threshold_zero_nine_in_ten_corpus_functions_compile_for_both_architectures() {
    let dir = corpus_dir();
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".py"))
        .collect();
    files.sort();
    // Two programs at a time (the machine has two cores; this is the suite's longest test).
    let next = std::sync::atomic::AtomicUsize::new(0);
    let tallies: Vec<Tally> = std::thread::scope(|s| {
        let workers: Vec<_> = (0..2)
            .map(|_| {
                s.spawn(|| {
                    let mut t = Tally::default();
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(file) = files.get(i) else { break t };
                        t.add(&dir, file);
                    }
                })
            })
            .collect();
        workers.into_iter().map(|w| w.join().unwrap()).collect()
    });
    let (mut host, mut other, mut failures) = (0u64, 0u64, Vec::new());
    // Functions that ran but stayed in (or went back to) the interpreter.
    let (mut refused, mut never_counted, mut fell_back) = (0u64, 0u64, 0u64);
    for t in tallies {
        host += t.host;
        other += t.other;
        refused += t.refused;
        never_counted += t.never_counted;
        fell_back += t.fell_back;
        failures.extend(t.failures);
    }
    failures.sort();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(host > 0, "the corpus compiled nothing");
    let ran = host + refused + never_counted;
    let native = host.saturating_sub(fell_back);
    eprintln!(
        "threshold 0: {native} of {ran} functions compiled and kept native ({:.1}%): \
         {host} compiled, {fell_back} fell back, {refused} refused, {never_counted} never counted",
        100.0 * native as f64 / ran as f64
    );
    assert!(
        native * 10 >= ran * 9,
        "only {native} of {ran} functions the corpus runs are compiled and kept native"
    );
    assert_eq!(
        host, other,
        "every function compiled for the host must be compiled for the other architecture"
    );
}

/// What the runs of some corpus programs compiled, refused and failed.
#[derive(Default)]
struct Tally {
    host: u64,
    other: u64,
    refused: u64,
    never_counted: u64,
    fell_back: u64,
    failures: Vec<String>,
}

impl Tally {
    /// Runs corpus program `file` at threshold 0 with `RPYJIT_CROSS_ISA=1` and counts it.
    fn add(&mut self, dir: &std::path::Path, file: &str) {
        let args = ["-X", "jit-threshold=0"];
        let stats_file = StatsFile::new();
        let hook = stats_file.env();
        let mut env = vec![("RPYJIT_CROSS_ISA", "1")];
        env.extend(hook.iter().map(|(k, v)| (*k, v.as_str())));
        let run = run_program_with_env(&args, &env, dir, file, Duration::from_secs(180));
        let (_, stderr) = match run {
            Ok(x) => x,
            Err(RunError::Timeout(t)) => panic!("{file}: no result within {t:?}"),
            Err(RunError::Spawn(e)) => panic!("could not start rpyjit: {e}"),
        };
        let stats = stats_file.read(&format!("{file}:\n{stderr}"));
        self.host += stats.compiled.len() as u64;
        self.other += stats.cross_isa_compiled();
        self.refused += stats.refused_count();
        self.never_counted += stats.skipped_count();
        self.fell_back += stats.fallback_count();
        if !stats.cross_isa.failures.is_empty() {
            self.failures
                .push(format!("{file}: {:#?}", stats.cross_isa.failures));
        }
    }
}
