//! Generated programs must be valid, deterministic and fast on CPython 3.13, the oracle.

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use rpyjit_fuzz::gen::generate;
use rpyjit_fuzz::run::{default_cpython, run};

fn cpython() -> Option<PathBuf> {
    let p = std::env::var_os("CPYTHON313")
        .map(PathBuf::from)
        .unwrap_or_else(default_cpython);
    if p.exists() {
        Some(p)
    } else {
        eprintln!(
            "SKIPPED: CPython 3.13 not found at {} (set CPYTHON313)",
            p.display()
        );
        None
    }
}

#[test]
fn same_seed_same_program() {
    for seed in [0, 1, 99, 123_456_789, u64::MAX] {
        assert_eq!(generate(seed), generate(seed), "seed {seed}");
    }
    let distinct: std::collections::HashSet<String> = (0..50).map(generate).collect();
    assert_eq!(distinct.len(), 50);
}

/// 200 programs run cleanly (exit 0, empty stderr) under CPython, print the same thing
/// twice (each run has its own str hash seed, so set order or str hashes leaking into
/// the output show up), and finish quickly.
#[test]
fn two_hundred_programs_run_cleanly_on_cpython() {
    let Some(py) = cpython() else { return };
    let dir = std::env::temp_dir().join(format!("rpyjit-fuzz-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let next = Arc::new(AtomicU64::new(0));
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(2)
        .min(4);
    let mut handles = Vec::new();
    for _ in 0..threads {
        let (next, dir, py) = (next.clone(), dir.clone(), py.clone());
        handles.push(std::thread::spawn(move || {
            let mut failures = Vec::new();
            let mut slowest = Duration::ZERO;
            loop {
                let seed = next.fetch_add(1, Ordering::SeqCst);
                if seed >= 200 {
                    break;
                }
                let name = format!("t{seed}.py");
                std::fs::write(dir.join(&name), generate(seed)).unwrap();
                let a = run(&py, &[], &dir, &name, Duration::from_secs(20)).unwrap();
                slowest = slowest.max(a.elapsed);
                if a.code != 0 || !a.stderr.is_empty() || a.timed_out {
                    failures.push(format!(
                        "seed {seed}: exit {} {}",
                        a.code,
                        a.stderr.lines().last().unwrap_or("")
                    ));
                    continue;
                }
                let b = run(&py, &[], &dir, &name, Duration::from_secs(20)).unwrap();
                if a.stdout != b.stdout {
                    failures.push(format!(
                        "seed {seed}: output differs between two CPython runs"
                    ));
                }
                if a.elapsed > Duration::from_secs(2) {
                    failures.push(format!("seed {seed}: too slow ({:?})", a.elapsed));
                }
            }
            (failures, slowest)
        }));
    }
    let mut failures = Vec::new();
    let mut slowest = Duration::ZERO;
    for h in handles {
        let (f, s) = h.join().unwrap();
        failures.extend(f);
        slowest = slowest.max(s);
    }
    let _ = std::fs::remove_dir_all(&dir);
    eprintln!("slowest CPython run: {slowest:?}");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
