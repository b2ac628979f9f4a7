//! `cargo run --release -p rpyjit-fuzz -- --start SEED --count N [--jobs J] ...`
//! See `fuzz/README.md`.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{mpsc, Arc};
use std::time::{Duration, Instant};

use clap::Parser;
use rpyjit_fuzz::campaign::{check_program, Config, Verdict};
use rpyjit_fuzz::gen::generate;
use rpyjit_fuzz::run::{default_cpython, default_rpyjit, workspace_root, MODES};

#[derive(Parser, Debug)]
#[command(
    about = "Differential fuzzer: random Python programs, rpyjit (3 JIT modes) vs CPython 3.13"
)]
struct Args {
    /// First seed.
    #[arg(long, default_value_t = 0)]
    start: u64,
    /// Number of programs (seeds start..start+count).
    #[arg(long, default_value_t = 100)]
    count: u64,
    /// Programs checked in parallel.
    #[arg(long, default_value_t = 1)]
    jobs: usize,
    /// rpyjit binary [default: <workspace>/target/release/rpyjit].
    #[arg(long)]
    rpyjit: Option<PathBuf>,
    /// CPython 3.13 [default: $(pyenv root)/versions/3.13.0/bin/python3.13].
    #[arg(long)]
    cpython: Option<PathBuf>,
    /// Go on after the first difference (default: stop handing out new seeds).
    #[arg(long)]
    keep_going: bool,
    /// Only print the program of this seed.
    #[arg(long)]
    print: Option<u64>,
    /// Check this existing program instead of generated ones.
    #[arg(long)]
    file: Option<PathBuf>,
    /// Per-run time limit in seconds.
    #[arg(long, default_value_t = 20)]
    timeout: u64,
    /// Where findings are saved [default: <workspace>/fuzz/findings].
    #[arg(long)]
    findings: Option<PathBuf>,
    /// Do not minimize findings.
    #[arg(long)]
    no_minimize: bool,
    /// Oracle calls allowed per minimization.
    #[arg(long, default_value_t = 400)]
    max_tests: usize,
    /// Comma-separated subset of modes: jit-off,jit-default,jit-threshold-0.
    #[arg(long, value_delimiter = ',')]
    modes: Option<Vec<String>>,
}

fn main() -> std::process::ExitCode {
    let args = Args::parse();
    if let Some(seed) = args.print {
        print!("{}", generate(seed));
        return std::process::ExitCode::SUCCESS;
    }
    let cpython = args.cpython.clone().unwrap_or_else(default_cpython);
    let rpyjit = args.rpyjit.clone().unwrap_or_else(default_rpyjit);
    for (what, p) in [("CPython", &cpython), ("rpyjit", &rpyjit)] {
        if !p.exists() {
            eprintln!("{what} not found at {} (see --help)", p.display());
            return std::process::ExitCode::from(2);
        }
    }
    let modes: Vec<usize> = match &args.modes {
        None => (0..MODES.len()).collect(),
        Some(names) => {
            let mut v = Vec::new();
            for n in names {
                match MODES.iter().position(|m| m.0 == n) {
                    Some(i) => v.push(i),
                    None => {
                        eprintln!("unknown mode {n}; modes: jit-off, jit-default, jit-threshold-0");
                        return std::process::ExitCode::from(2);
                    }
                }
            }
            v
        }
    };
    let work = std::env::temp_dir().join(format!("rpyjit-fuzz-{}", std::process::id()));
    let cfg = Arc::new(Config {
        cpython,
        rpyjit,
        timeout: Duration::from_secs(args.timeout),
        modes,
        findings: args
            .findings
            .clone()
            .unwrap_or_else(|| workspace_root().join("fuzz/findings")),
        minimize: !args.no_minimize,
        max_tests: args.max_tests,
        work: work.clone(),
    });

    // Jobs: (tag, source).
    let jobs: Vec<(String, Option<u64>)> = match &args.file {
        Some(f) => vec![(
            f.file_stem()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned(),
            None,
        )],
        None => (0..args.count)
            .map(|i| (format!("seed-{}", args.start + i), Some(args.start + i)))
            .collect(),
    };
    let file_src = match &args.file {
        Some(f) => match std::fs::read_to_string(f) {
            Ok(s) => Some(s),
            Err(e) => {
                eprintln!("{}: {e}", f.display());
                return std::process::ExitCode::from(2);
            }
        },
        None => None,
    };
    let jobs = Arc::new(jobs);
    let next = Arc::new(AtomicU64::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let (tx, rx) = mpsc::channel();
    let started = Instant::now();
    let mut handles = Vec::new();
    for _ in 0..args.jobs.max(1) {
        let (cfg, jobs, next, stop, tx, file_src) = (
            cfg.clone(),
            jobs.clone(),
            next.clone(),
            stop.clone(),
            tx.clone(),
            file_src.clone(),
        );
        let keep_going = args.keep_going;
        handles.push(std::thread::spawn(move || loop {
            if stop.load(Ordering::SeqCst) {
                break;
            }
            let i = next.fetch_add(1, Ordering::SeqCst) as usize;
            if i >= jobs.len() {
                break;
            }
            let (tag, seed) = &jobs[i];
            let src = match seed {
                Some(s) => generate(*s),
                None => file_src.clone().unwrap(),
            };
            let res = check_program(&cfg, tag, &src);
            let differs = !matches!(res, Ok(ref c) if matches!(c.verdict, Verdict::Same));
            if differs && !keep_going {
                stop.store(true, Ordering::SeqCst);
            }
            if tx.send((tag.clone(), res)).is_err() {
                break;
            }
        }));
    }
    drop(tx);

    let mut done = 0u64;
    let mut differences = 0u64;
    let mut per_mode = vec![0u64; MODES.len()];
    let mut bad_programs = 0u64;
    let mut errors = 0u64;
    let mut slowest = (Duration::ZERO, String::new());
    for (tag, res) in rx {
        done += 1;
        match res {
            Err(e) => {
                errors += 1;
                differences += 1;
                println!("{tag}: ERROR running it: {e}");
            }
            Ok(c) => {
                if c.cpython_time > slowest.0 {
                    slowest = (c.cpython_time, tag.clone());
                }
                if c.cpython_time > Duration::from_secs(1) {
                    println!(
                        "{tag}: warning: CPython took {:.2}s",
                        c.cpython_time.as_secs_f64()
                    );
                }
                match c.verdict {
                    Verdict::Same => {}
                    Verdict::BadProgram(why) => {
                        bad_programs += 1;
                        differences += 1;
                        println!("{tag}: INVALID PROGRAM (CPython: {why})");
                    }
                    Verdict::Differs(f) => {
                        differences += 1;
                        for (m, _) in &f.diffs {
                            if let Some(i) = MODES.iter().position(|x| x.0 == *m) {
                                per_mode[i] += 1;
                            }
                        }
                        let min = match f.minimized_lines {
                            Some(n) => format!(", minimized.py: {n} lines"),
                            None => String::new(),
                        };
                        println!("{tag}: DIFFERENCE -> {}{min}", f.dir.display());
                        for l in f.summary.lines() {
                            println!("    {l}");
                        }
                    }
                }
            }
        }
        if done % 25 == 0 {
            eprintln!(
                "[{done}/{}] {differences} differences, {:.0}s",
                jobs.len(),
                started.elapsed().as_secs_f64()
            );
        }
    }
    for h in handles {
        let _ = h.join();
    }
    let _ = std::fs::remove_dir_all(&work);
    // How often each block kind and feature was emitted (generation is a pure function of
    // the seed, so this is counted again here rather than passed back from the workers).
    let mut emitted: std::collections::BTreeMap<String, u64> = Default::default();
    for (_, seed) in jobs.iter() {
        if let Some(s) = seed {
            for line in generate(*s).lines() {
                let line = line.trim_start();
                let what = if let Some(f) = line.strip_prefix("# feature: ") {
                    Some(f.to_string())
                } else {
                    line.strip_prefix("# block ")
                        .and_then(|b| b.split_once(": "))
                        .map(|(_, kind)| format!("block {kind}"))
                };
                if let Some(w) = what {
                    *emitted.entry(w).or_default() += 1;
                }
            }
        }
    }
    if !emitted.is_empty() {
        let list: Vec<String> = emitted.iter().map(|(k, n)| format!("{k} {n}")).collect();
        println!("emitted: {}", list.join(", "));
    }
    let modes_line: Vec<String> = cfg
        .modes
        .iter()
        .map(|&i| format!("{} {}", MODES[i].0, per_mode[i]))
        .collect();
    println!(
        "differences per mode: {}; invalid programs: {bad_programs}; errors: {errors}; slowest CPython run: {:.0} ms ({}); {:.0}s",
        modes_line.join(", "),
        slowest.0.as_secs_f64() * 1000.0,
        slowest.1,
        started.elapsed().as_secs_f64()
    );
    println!("{done} programs, {differences} differences");
    if differences > 0 {
        std::process::ExitCode::FAILURE
    } else {
        std::process::ExitCode::SUCCESS
    }
}
