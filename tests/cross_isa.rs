//! One code path for both architectures: every corpus program runs with every function
//! compiled before its first call (`-X jit-threshold=0`) and `RPYJIT_CROSS_ISA=1`, which
//! makes the JIT translate and compile each function it compiles for the host also for the
//! other supported architecture (AArch64 on an x86-64 host), with Cranelift's verifier on.
//! The statistics each run prints must show code produced for it and no failure.

use std::time::Duration;

use rpyjit_tests::{corpus_dir, run_program_with_env, RunError};

/// The number after `prefix` on a line of the `-X jit-stats` summary.
fn stat(stderr: &str, prefix: &str) -> Option<u64> {
    stderr
        .lines()
        .find_map(|l| l.trim().strip_prefix(prefix))
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|n| n.parse().ok())
}

#[test]
fn every_function_the_corpus_compiles_also_compiles_for_the_other_architecture() {
    let dir = corpus_dir();
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".py"))
        .collect();
    files.sort();
    let (mut host, mut other, mut failures) = (0u64, 0u64, Vec::new());
    for file in &files {
        let args = ["-X", "jit-threshold=0", "-X", "jit-stats"];
        let env = [("RPYJIT_CROSS_ISA", "1")];
        let run = run_program_with_env(&args, &env, &dir, file, Duration::from_secs(180));
        let (_, stderr) = match run {
            Ok(x) => x,
            Err(RunError::Timeout(t)) => panic!("{file}: no result within {t:?}"),
            Err(RunError::Spawn(e)) => panic!("could not start rpyjit: {e}"),
        };
        let Some(compiled) = stat(&stderr, "compiled functions:") else {
            panic!("{file}: no JIT statistics on stderr:\n{stderr}");
        };
        host += compiled;
        other += stderr
            .lines()
            .filter_map(|l| l.trim().strip_prefix("also compiled for "))
            .filter_map(|r| r.rsplit(": ").next()?.parse::<u64>().ok())
            .sum::<u64>();
        let failed = stat(&stderr, "cross-architecture failures:").unwrap_or(0);
        if failed > 0 {
            failures.push(format!("{file}: {failed}\n{stderr}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(host > 0, "the corpus compiled nothing");
    assert_eq!(
        host, other,
        "every function compiled for the host must be compiled for the other architecture"
    );
}
