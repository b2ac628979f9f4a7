//! rpyjit-bench: runs the benchmark suites side by side under rpyjit (JIT on),
//! rpyjit `-X jit=off`, CPython 3.13 and PyPy, and prints comparison tables.
//!
//! Suites are directories of programs: `bench/programs` (programs that look like real
//! workloads) and `bench/kernels` (small numeric loops, the list kernels among them).
//! Each program is timed two ways:
//! * **short run**: one fresh process at default settings, wall clock from spawn to exit,
//!   start-up and warm-up included;
//! * **steady state**: one process that loads the program once and calls its `main()`
//!   several times (`bench/steady.py`); the median of the iterations after warm-up counts.
//!
//! Runs are interleaved per program (rep-major, runtime order rotated each rep) so machine
//! noise hits all runtimes alike. Each run's exit status and checksum line (last non-empty
//! stdout line) are checked against CPython's; a failing or wrong run never enters a ratio.
//! `bench/micro/micro.py` adds per-family micro-benchmarks in nanoseconds per operation.

mod report;
mod run;
mod runtimes;

use std::collections::BTreeMap;
use std::env;
use std::ffi::OsString;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};

use clap::Parser;

use report::{
    exact_command, fmt_secs, machine_info, median, render_markdown, render_text, Cell, Table,
    RATIOS,
};
use run::{run_once, Outcome, RunResult};
use runtimes::{
    absolutize, capture, find_cpython, find_pypy, find_workspace_root, is_executable, Runtime,
};

const ALL_RUNTIMES: [&str; 4] = ["rpyjit", "jit-off", "cpython", "pypy"];

/// The suites under `bench/`, in report order, with what each one is for.
const SUITES: [(&str, &str); 2] = [
    (
        "programs",
        "programs that look like real workloads (each spreads its time over many functions)",
    ),
    (
        "kernels",
        "small loops: the list kernels (saxpy, dot, gemv, gemm), recursion and scalar loops",
    ),
];

#[derive(Parser, Debug)]
#[command(
    name = "rpyjit-bench",
    about = "Run the bench suites under rpyjit, rpyjit -X jit=off, CPython 3.13 and PyPy and compare",
    after_help = "Example: cargo run --release -p rpyjit-bench -- --reps 3 --write bench/RESULTS.md"
)]
struct Args {
    /// Short-run repetitions per (program, runtime); the table shows the median.
    #[arg(long, default_value_t = 3)]
    reps: usize,

    /// Only run these programs (comma-separated names without .py, from any suite).
    #[arg(long, value_delimiter = ',')]
    only: Vec<String>,

    /// Runtimes to run, comma-separated, in column order: rpyjit,jit-off,cpython,pypy.
    #[arg(
        long,
        value_delimiter = ',',
        default_value = "rpyjit,jit-off,cpython,pypy"
    )]
    runtimes: Vec<String>,

    /// Suites to run (directories under bench/), comma-separated: programs,kernels.
    #[arg(long, value_delimiter = ',', default_value = "programs,kernels")]
    suites: Vec<String>,

    /// Timings to take, comma-separated: short (one process per run, start-up included),
    /// steady (main() called repeatedly in one process).
    #[arg(long, value_delimiter = ',', default_value = "short,steady")]
    modes: Vec<String>,

    /// Iterations of main() in a steady-state run; the median of the second half counts.
    #[arg(long, default_value_t = 6)]
    steady_iterations: usize,

    /// Steady-state runs per (program, runtime).
    #[arg(long, default_value_t = 1)]
    steady_reps: usize,

    /// Skip the micro-benchmarks (bench/micro/micro.py).
    #[arg(long)]
    no_micro: bool,

    /// Run only the micro-benchmarks (no suites).
    #[arg(long, conflicts_with = "no_micro")]
    micro_only: bool,

    /// Path of the rpyjit binary [default: <workspace>/target/release/rpyjit].
    #[arg(long)]
    rpyjit: Option<PathBuf>,

    /// Path of CPython 3.13 [default: $(pyenv root)/versions/3.13.0/bin/python3.13].
    #[arg(long)]
    cpython: Option<PathBuf>,

    /// Path of PyPy [default: pypy3 on PATH, installed with apt-get if missing].
    #[arg(long)]
    pypy: Option<PathBuf>,

    /// Do not try to install pypy3 with apt-get when it is missing.
    #[arg(long)]
    no_install: bool,

    /// Per-run timeout in seconds; a run exceeding it is killed and reported as TIMEOUT.
    #[arg(long, default_value_t = 120.0)]
    timeout: f64,

    /// Run the programs of this directory as the only suite (instead of --suites).
    #[arg(long)]
    programs: Option<PathBuf>,

    /// Also write the results as Markdown to this file.
    #[arg(long)]
    write: Option<PathBuf>,
}

// ---------------------------------------------------------------------------
// Suites and modes

struct Suite {
    name: String,
    about: String,
    programs: Vec<(String, PathBuf)>,
}

#[derive(Clone, Copy, PartialEq)]
enum Mode {
    Short,
    Steady { iterations: usize },
}

impl Mode {
    fn title(self) -> &'static str {
        match self {
            Mode::Short => "short run",
            Mode::Steady { .. } => "steady state",
        }
    }

    /// The arguments that run `program` this way.
    fn argv(self, steady_runner: &Path, program: &Path) -> Vec<OsString> {
        match self {
            Mode::Short => vec![program.into()],
            Mode::Steady { iterations } => vec![
                steady_runner.into(),
                program.into(),
                iterations.to_string().into(),
            ],
        }
    }

    /// The time a run counts for: the process's wall clock, or the median of the
    /// steady-state iterations after the first half (warm-up).
    fn counted(self, mut r: RunResult) -> RunResult {
        if let Mode::Steady { .. } = self {
            if matches!(r.outcome, Outcome::Ok(_)) {
                let warm = &r.iterations[r.iterations.len() / 2..];
                if warm.is_empty() {
                    r.outcome = Outcome::Failed {
                        code: "no steady-times".into(),
                        stderr_tail: "the steady-state runner printed no iteration times".into(),
                    };
                } else {
                    r.secs = median(warm);
                }
            }
        }
        r
    }
}

fn load_suite(name: &str, about: &str, dir: &Path) -> Result<Suite, String> {
    let rd = fs::read_dir(dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
    let mut programs: Vec<(String, PathBuf)> = rd
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().map(|x| x == "py").unwrap_or(false))
        .map(|p| (p.file_stem().unwrap().to_string_lossy().into_owned(), p))
        .collect();
    programs.sort();
    Ok(Suite {
        name: name.to_string(),
        about: about.to_string(),
        programs,
    })
}

// ---------------------------------------------------------------------------
// Measuring a suite

/// The runs of one suite in one mode: `results[program][runtime]`.
struct Measured {
    results: Vec<BTreeMap<&'static str, Vec<RunResult>>>,
    references: Vec<Option<String>>,
}

struct Bench<'a> {
    runtimes: &'a BTreeMap<&'static str, Runtime>,
    selected: &'a [&'static str],
    active: Vec<&'static str>,
    cpython_ref: bool,
    timeout: Duration,
    steady_runner: PathBuf,
}

impl Bench<'_> {
    fn measure(&self, suite: &Suite, mode: Mode, reps: usize) -> Measured {
        let total_runs = suite.programs.len() * self.active.len() * reps;
        let mut done = 0usize;
        let mut results = Vec::new();
        let mut references = Vec::new();
        for (name, path) in &suite.programs {
            let dir = path.parent().unwrap_or(Path::new("."));
            let argv = mode.argv(&self.steady_runner, path);
            let mut per: BTreeMap<&'static str, Vec<RunResult>> = BTreeMap::new();
            let mut stopped: Vec<&'static str> = Vec::new();
            for rep in 0..reps {
                // Rotate the runtime order each rep so no runtime always runs first.
                let n = self.active.len();
                for i in 0..n {
                    let key = self.active[(i + rep) % n];
                    done += 1;
                    if stopped.contains(&key) {
                        continue;
                    }
                    let rt = &self.runtimes[key];
                    let mut full = rt.extra_args.iter().map(OsString::from).collect::<Vec<_>>();
                    full.extend(argv.iter().cloned());
                    let r =
                        mode.counted(run_once(rt.exe.as_ref().unwrap(), &full, dir, self.timeout));
                    let status = match &r.outcome {
                        Outcome::Ok(_) => "ok".to_string(),
                        Outcome::Failed { code, .. } => format!("FAILED ({code})"),
                        Outcome::Timeout => "TIMEOUT".into(),
                        Outcome::SpawnError(e) => format!("cannot start: {e}"),
                    };
                    eprintln!(
                        "[{:>3}/{}] {:<8} {:<16} {:<8} rep {}  {:>8}s  {}",
                        done,
                        total_runs,
                        suite.name,
                        name,
                        key,
                        rep + 1,
                        fmt_secs(r.secs),
                        status
                    );
                    // A failure is deterministic enough (and a timeout expensive enough)
                    // that the remaining reps of this pair are skipped.
                    if !matches!(r.outcome, Outcome::Ok(_)) {
                        stopped.push(key);
                    }
                    per.entry(key).or_default().push(r);
                }
            }
            references.push(self.reference(&per, path));
            results.push(per);
        }
        Measured {
            results,
            references,
        }
    }

    /// CPython's checksum line for a program (an extra untimed run if CPython is not a column).
    fn reference(
        &self,
        per: &BTreeMap<&'static str, Vec<RunResult>>,
        path: &Path,
    ) -> Option<String> {
        if !self.cpython_ref {
            return None;
        }
        let from_runs = per.get("cpython").and_then(|runs| {
            runs.iter().find_map(|r| match &r.outcome {
                Outcome::Ok(l) => Some(l.clone()),
                _ => None,
            })
        });
        if from_runs.is_some() || self.selected.contains(&"cpython") {
            return from_runs;
        }
        let rt = &self.runtimes["cpython"];
        let dir = path.parent().unwrap_or(Path::new("."));
        match run_once(rt.exe.as_ref().unwrap(), &[path.into()], dir, self.timeout).outcome {
            Outcome::Ok(l) => Some(l),
            _ => None,
        }
    }

    /// The table of one suite in one mode, with the problems it found.
    fn tabulate(&self, suite: &Suite, m: &Measured, problems: &mut Vec<String>) -> Table {
        let mut cells: Vec<BTreeMap<&'static str, Cell>> = Vec::new();
        for (pi, (name, _)) in suite.programs.iter().enumerate() {
            let mut row = BTreeMap::new();
            let reference = &m.references[pi];
            if self.cpython_ref && reference.is_none() {
                problems.push(format!(
                    "{name}: no CPython reference checksum (CPython run failed), results unchecked"
                ));
            }
            // No CPython: compare against the first successful run of any runtime.
            let expected = reference.clone().or_else(|| {
                self.selected.iter().find_map(|k| {
                    m.results[pi].get(k)?.iter().find_map(|r| match &r.outcome {
                        Outcome::Ok(l) => Some(l.clone()),
                        _ => None,
                    })
                })
            });
            for key in self.selected {
                row.insert(
                    *key,
                    self.cell(name, key, &m.results[pi], &expected, problems),
                );
            }
            cells.push(row);
        }

        let ratios: Vec<_> = RATIOS
            .iter()
            .filter(|r| self.selected.contains(&r.num) && self.selected.contains(&r.den))
            .collect();
        let mut headers = vec!["program".to_string()];
        headers.extend(self.selected.iter().map(|k| format!("{k} s")));
        headers.extend(ratios.iter().map(|r| r.title.to_string()));
        let mut rows = Vec::new();
        let mut logs: Vec<Vec<f64>> = vec![Vec::new(); ratios.len()];
        for (pi, (name, _)) in suite.programs.iter().enumerate() {
            let mut row = vec![name.clone()];
            row.extend(self.selected.iter().map(|k| cells[pi][k].render()));
            for (ri, r) in ratios.iter().enumerate() {
                match (cells[pi][r.num].time(), cells[pi][r.den].time()) {
                    (Some(a), Some(b)) if a > 0.0 && b > 0.0 => {
                        logs[ri].push((a / b).ln());
                        row.push(format!("{:.2}x", a / b));
                    }
                    _ => row.push("-".into()),
                }
            }
            rows.push(row);
        }
        let footer_from = rows.len();
        if !ratios.is_empty() {
            let mut row = vec!["geomean".to_string()];
            row.extend(self.selected.iter().map(|_| String::new()));
            for l in &logs {
                row.push(geomean_cell(l, suite.programs.len()));
            }
            rows.push(row);
        }
        Table {
            headers,
            rows,
            footer_from,
        }
    }

    fn cell(
        &self,
        name: &str,
        key: &'static str,
        runs: &BTreeMap<&'static str, Vec<RunResult>>,
        expected: &Option<String>,
        problems: &mut Vec<String>,
    ) -> Cell {
        if !self.runtimes[key].available() {
            return Cell::Unavailable;
        }
        let runs = match runs.get(key) {
            Some(r) if !r.is_empty() => r,
            _ => return Cell::NotRun,
        };
        let mut cell = None;
        let mut times = Vec::new();
        for r in runs {
            match &r.outcome {
                Outcome::Ok(line) => {
                    if let Some(exp) = expected {
                        if exp != line && cell.is_none() {
                            problems.push(format!(
                                "{name} [{key}]: WRONG checksum\n    got:      {line}\n    expected: {exp}"
                            ));
                            cell = Some(Cell::Wrong);
                        }
                    }
                    times.push(r.secs);
                }
                Outcome::Failed { code, stderr_tail } => {
                    problems.push(format!(
                        "{name} [{key}]: {code} after {}s: {stderr_tail}",
                        fmt_secs(r.secs)
                    ));
                    cell = Some(Cell::Failed(code.clone()));
                }
                Outcome::Timeout => {
                    problems.push(format!(
                        "{name} [{key}]: killed after the {}s timeout",
                        self.timeout.as_secs_f64()
                    ));
                    cell = Some(Cell::Timeout);
                }
                Outcome::SpawnError(e) => {
                    problems.push(format!("{name} [{key}]: cannot start: {e}"));
                    cell = Some(Cell::Failed("spawn".into()));
                }
            }
        }
        if let Some(Cell::Wrong) = cell {
            if let Some(p) = problems.last_mut() {
                let _ = write!(
                    p,
                    "\n    (median time {}s, not used in any ratio)",
                    fmt_secs(median(&times))
                );
            }
        }
        cell.unwrap_or_else(|| Cell::Time(median(&times)))
    }
}

fn geomean_cell(logs: &[f64], of: usize) -> String {
    if logs.is_empty() {
        return "-".into();
    }
    let g = (logs.iter().sum::<f64>() / logs.len() as f64).exp();
    if logs.len() == of {
        format!("{g:.2}x")
    } else {
        format!("{g:.2}x (n={})", logs.len())
    }
}

/// Every run of a measurement, for the Markdown appendix.
fn all_runs_markdown(suite: &Suite, mode: Mode, m: &Measured, selected: &[&str]) -> String {
    let mut md = String::new();
    for (pi, (name, _)) in suite.programs.iter().enumerate() {
        for k in selected {
            if let Some(runs) = m.results[pi].get(k) {
                let ts: Vec<String> = runs
                    .iter()
                    .map(|r| match (&r.outcome, mode) {
                        (Outcome::Ok(_), Mode::Short) => fmt_secs(r.secs),
                        (Outcome::Ok(_), Mode::Steady { .. }) => r
                            .iterations
                            .iter()
                            .map(|t| fmt_secs(*t))
                            .collect::<Vec<_>>()
                            .join(" "),
                        (Outcome::Timeout, _) => "timeout".into(),
                        _ => format!("{} (failed)", fmt_secs(r.secs)),
                    })
                    .collect();
                let _ = writeln!(
                    md,
                    "| {} | {name} | {} | {k} | {} |",
                    suite.name,
                    mode.title(),
                    ts.join(", ")
                );
            }
        }
    }
    md
}

// ---------------------------------------------------------------------------
// Micro-benchmarks

/// ns per operation of each (family, operation) under each runtime, from `micro.py`.
struct Micro {
    /// (family, operation) in the order micro.py prints them.
    ops: Vec<(String, String)>,
    ns: BTreeMap<&'static str, BTreeMap<(String, String), f64>>,
}

/// Runs `micro.py` one family at a time, every runtime in turn (the order rotated per
/// family), so that slow phases of a shared machine hit all runtimes alike.
fn run_micro(b: &Bench, script: &Path, problems: &mut Vec<String>) -> Micro {
    let mut micro = Micro {
        ops: Vec::new(),
        ns: BTreeMap::new(),
    };
    let families = match b.active.first() {
        Some(key) => run_micro_script(b, key, script, &["--families"], problems)
            .map(|out| out.lines().map(str::to_string).collect::<Vec<_>>())
            .unwrap_or_default(),
        None => Vec::new(),
    };
    for (fi, family) in families.iter().enumerate() {
        let n = b.active.len();
        for i in 0..n {
            let key = b.active[(i + fi) % n];
            eprintln!("micro-benchmarks: {family} under {key} ...");
            let Some(stdout) = run_micro_script(b, key, script, &["--family", family], problems)
            else {
                continue;
            };
            let per = micro.ns.entry(key).or_default();
            for line in stdout.lines() {
                let f: Vec<&str> = line.split('\t').collect();
                if let [family, op, ns] = f[..] {
                    if let Ok(ns) = ns.trim().parse::<f64>() {
                        let id = (family.to_string(), op.to_string());
                        if !micro.ops.contains(&id) {
                            micro.ops.push(id.clone());
                        }
                        per.insert(id, ns);
                    }
                }
            }
        }
    }
    micro
}

/// The stdout of `micro.py ARGS` under runtime `key`, or `None` (a problem recorded).
fn run_micro_script(
    b: &Bench,
    key: &str,
    script: &Path,
    args: &[&str],
    problems: &mut Vec<String>,
) -> Option<String> {
    let rt = &b.runtimes[key];
    let dir = script.parent().unwrap_or(Path::new("."));
    let mut argv = rt.extra_args.iter().map(OsString::from).collect::<Vec<_>>();
    argv.push(script.into());
    argv.extend(args.iter().map(OsString::from));
    let r = run_once(rt.exe.as_ref().unwrap(), &argv, dir, b.timeout * 10);
    match r.outcome {
        Outcome::Ok(_) => Some(r.stdout),
        Outcome::Failed { code, stderr_tail } => {
            problems.push(format!(
                "micro.py {} [{key}]: {code}: {stderr_tail}",
                args.join(" ")
            ));
            None
        }
        Outcome::Timeout => {
            problems.push(format!("micro.py {} [{key}]: timeout", args.join(" ")));
            None
        }
        Outcome::SpawnError(e) => {
            problems.push(format!("micro.py [{key}]: cannot start: {e}"));
            None
        }
    }
}

/// Below this many ns an operation is as good as free; ratios use it as a floor.
const MICRO_FLOOR_NS: f64 = 0.1;

fn micro_ratio(m: &Micro, id: &(String, String)) -> Option<f64> {
    let jit = m.ns.get("rpyjit")?.get(id)?;
    let off = m.ns.get("jit-off")?.get(id)?;
    Some(off.max(MICRO_FLOOR_NS) / jit.max(MICRO_FLOOR_NS))
}

fn micro_tables(m: &Micro, selected: &[&'static str]) -> (Table, Table) {
    let mut headers = vec!["family".to_string(), "operation".to_string()];
    headers.extend(selected.iter().map(|k| format!("{k} ns")));
    headers.push("jit-off/rpyjit".into());
    let mut rows = Vec::new();
    let mut families: Vec<(String, Vec<f64>)> = Vec::new();
    for id in &m.ops {
        let mut row = vec![id.0.clone(), id.1.clone()];
        for k in selected {
            row.push(
                m.ns.get(k)
                    .and_then(|p| p.get(id))
                    .map(|ns| format!("{ns:.1}"))
                    .unwrap_or_else(|| "-".into()),
            );
        }
        let ratio = micro_ratio(m, id);
        row.push(
            ratio
                .map(|q| format!("{q:.2}x"))
                .unwrap_or_else(|| "-".into()),
        );
        rows.push(row);
        if let Some(q) = ratio {
            match families.iter_mut().find(|f| f.0 == id.0) {
                Some(f) => f.1.push(q),
                None => families.push((id.0.clone(), vec![q])),
            }
        }
    }
    let ops = Table {
        headers,
        footer_from: rows.len(),
        rows,
    };
    let mut frows = Vec::new();
    for (family, qs) in &families {
        let logs: Vec<f64> = qs.iter().map(|q| q.ln()).collect();
        let worst = qs.iter().cloned().fold(f64::INFINITY, f64::min);
        frows.push(vec![
            family.clone(),
            qs.len().to_string(),
            geomean_cell(&logs, qs.len()),
            format!("{worst:.2}x"),
        ]);
    }
    let summary = Table {
        headers: vec![
            "family".into(),
            "operations".into(),
            "geomean jit-off/rpyjit".into(),
            "slowest operation".into(),
        ],
        footer_from: frows.len(),
        rows: frows,
    };
    (ops, summary)
}

// ---------------------------------------------------------------------------

fn parse_runtimes(names: &[String]) -> Result<Vec<&'static str>, String> {
    let mut selected: Vec<&'static str> = Vec::new();
    for r in names {
        let r = r.trim();
        if r.is_empty() {
            continue;
        }
        match ALL_RUNTIMES.iter().find(|k| **k == r) {
            Some(k) if !selected.contains(k) => selected.push(k),
            Some(_) => {}
            None => {
                return Err(format!(
                    "unknown runtime `{r}` (expected one of: {})",
                    ALL_RUNTIMES.join(", ")
                ))
            }
        }
    }
    selected.sort_by_key(|k| ALL_RUNTIMES.iter().position(|a| a == k));
    if selected.is_empty() {
        return Err("no runtimes selected".into());
    }
    Ok(selected)
}

fn parse_modes(args: &Args) -> Result<Vec<Mode>, String> {
    let mut modes = Vec::new();
    for m in &args.modes {
        let mode = match m.trim() {
            "short" => Mode::Short,
            "steady" if args.steady_iterations >= 2 => Mode::Steady {
                iterations: args.steady_iterations,
            },
            "steady" => return Err("--steady-iterations must be at least 2".into()),
            "" => continue,
            other => return Err(format!("unknown mode `{other}` (expected short, steady)")),
        };
        if !modes.contains(&mode) {
            modes.push(mode);
        }
    }
    Ok(modes)
}

fn load_suites(args: &Args, root: &Path) -> Result<Vec<Suite>, String> {
    let mut suites = Vec::new();
    if let Some(dir) = &args.programs {
        let dir = absolutize(dir.clone());
        let name = dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "programs".into());
        suites.push(load_suite(&name, "", &dir)?);
    } else {
        for s in &args.suites {
            let s = s.trim();
            let about = SUITES
                .iter()
                .find(|(n, _)| *n == s)
                .map(|(_, a)| *a)
                .ok_or_else(|| {
                    let names: Vec<&str> = SUITES.iter().map(|(n, _)| *n).collect();
                    format!("unknown suite `{s}` (have: {})", names.join(", "))
                })?;
            suites.push(load_suite(s, about, &root.join("bench").join(s))?);
        }
    }
    if !args.only.is_empty() {
        let wanted: Vec<String> = args
            .only
            .iter()
            .map(|s| s.trim().trim_end_matches(".py").to_string())
            .filter(|s| !s.is_empty())
            .collect();
        for w in &wanted {
            if !suites
                .iter()
                .any(|s| s.programs.iter().any(|(n, _)| n == w))
            {
                let have: Vec<&str> = suites
                    .iter()
                    .flat_map(|s| s.programs.iter().map(|p| p.0.as_str()))
                    .collect();
                return Err(format!("unknown program `{w}` (have: {})", have.join(", ")));
            }
        }
        for s in &mut suites {
            s.programs.retain(|(n, _)| wanted.contains(n));
        }
    }
    suites.retain(|s| !s.programs.is_empty());
    if suites.is_empty() {
        return Err("no programs found".into());
    }
    Ok(suites)
}

fn main() -> ExitCode {
    let args = Args::parse();
    if args.reps == 0 || args.steady_reps == 0 {
        eprintln!("--reps and --steady-reps must be at least 1");
        return ExitCode::from(2);
    }
    let timeout = Duration::from_secs_f64(args.timeout.max(0.001));
    let (selected, modes) = match (parse_runtimes(&args.runtimes), parse_modes(&args)) {
        (Ok(s), Ok(m)) => (s, m),
        (Err(e), _) | (_, Err(e)) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let root = find_workspace_root();
    let suites = match load_suites(&args, &root) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };

    // Resolve runtimes. CPython is resolved even when not selected: it is the checksum reference.
    let rpyjit_path = absolutize(
        args.rpyjit
            .clone()
            .unwrap_or_else(|| root.join("target/release/rpyjit")),
    );
    let rpyjit_exe = if is_executable(&rpyjit_path) {
        Ok(rpyjit_path.clone())
    } else {
        Err(format!("{} not found", rpyjit_path.display()))
    };
    let need_rpyjit = selected.contains(&"rpyjit") || selected.contains(&"jit-off");
    let cpython_exe = find_cpython(args.cpython.clone());
    let pypy_exe = if selected.contains(&"pypy") {
        find_pypy(args.pypy.clone(), !args.no_install)
    } else {
        Err("not selected".into())
    };

    let make = |key: &'static str,
                exe: &Result<PathBuf, String>,
                extra: Vec<String>,
                vflag: &str|
     -> Runtime {
        match exe {
            Ok(p) => Runtime {
                key,
                exe: Some(p.clone()),
                extra_args: extra,
                missing: String::new(),
                version: capture(p, &[vflag]).unwrap_or_else(|| "unknown".into()),
            },
            Err(e) => Runtime {
                key,
                exe: None,
                extra_args: extra,
                missing: e.clone(),
                version: String::new(),
            },
        }
    };
    let mut runtimes: BTreeMap<&'static str, Runtime> = BTreeMap::new();
    if need_rpyjit {
        let base = make("rpyjit", &rpyjit_exe, vec![], "-V");
        let off = Runtime {
            key: "jit-off",
            exe: base.exe.clone(),
            extra_args: vec!["-X".into(), "jit=off".into()],
            missing: base.missing.clone(),
            version: base.version.clone(),
        };
        runtimes.insert("rpyjit", base);
        runtimes.insert("jit-off", off);
    }
    runtimes.insert("cpython", make("cpython", &cpython_exe, vec![], "-V"));
    if selected.contains(&"pypy") {
        runtimes.insert("pypy", make("pypy", &pypy_exe, vec![], "-V"));
    }

    eprintln!("workspace: {}", root.display());
    for s in &suites {
        eprintln!("suite:     {} ({} programs)", s.name, s.programs.len());
    }
    for k in &selected {
        let rt = &runtimes[k];
        let v = if rt.available() {
            format!("  [{}]", rt.version)
        } else {
            String::new()
        };
        eprintln!("{:<9}  {}{}", rt.key, rt.describe_cmd(), v);
    }
    let cpython_ref = runtimes["cpython"].available();
    if !cpython_ref {
        eprintln!(
            "warning: CPython unavailable, checksums are only compared between the other runtimes"
        );
    }
    eprintln!();

    let bench = Bench {
        runtimes: &runtimes,
        selected: &selected,
        active: selected
            .iter()
            .copied()
            .filter(|k| runtimes[k].available())
            .collect(),
        cpython_ref,
        timeout,
        steady_runner: root.join("bench/steady.py"),
    };
    let started = Instant::now();
    let mut problems: Vec<String> = Vec::new();
    // (heading, table, all runs as Markdown rows)
    let mut sections: Vec<(String, Table, String)> = Vec::new();
    let suites_run: &[Suite] = if args.micro_only { &[] } else { &suites };
    for suite in suites_run {
        for &mode in &modes {
            let reps = match mode {
                Mode::Short => args.reps,
                Mode::Steady { .. } => args.steady_reps,
            };
            let m = bench.measure(suite, mode, reps);
            let table = bench.tabulate(suite, &m, &mut problems);
            let heading = format!("{}: {}", suite.name, mode.title());
            sections.push((
                heading,
                table,
                all_runs_markdown(suite, mode, &m, &selected),
            ));
        }
    }
    let micro = if args.no_micro || args.programs.is_some() || !args.only.is_empty() {
        None
    } else {
        let m = run_micro(&bench, &root.join("bench/micro/micro.py"), &mut problems);
        Some(micro_tables(&m, &bench.active))
    };
    let wall = started.elapsed().as_secs_f64();
    problems.dedup();

    let legend = "Short run: wall-clock seconds of one process (start-up and warm-up included), median over the reps.\n\
                  Steady state: seconds per call of the program's main() in one process, median of the iterations after the first half.\n\
                  jit-off/rpyjit > 1: the JIT makes rpyjit faster.  rpyjit/cpython, rpyjit/pypy < 1: rpyjit is faster.\n\
                  WRONG = checksum differs from CPython's, FAIL = non-zero exit, TIMEOUT = killed; none of these enter a ratio.";
    for (heading, table, _) in &sections {
        println!();
        println!("== {heading}");
        print!("{}", render_text(table));
    }
    if let Some((ops, summary)) = &micro {
        println!();
        println!("== micro-benchmarks (ns per operation)");
        print!("{}", render_text(ops));
        println!();
        print!("{}", render_text(summary));
    }
    println!();
    println!("{legend}");
    println!("{:.1}s total", wall);
    if !problems.is_empty() {
        println!();
        println!("PROBLEMS:");
        for p in &problems {
            println!("  {p}");
        }
    } else if cpython_ref {
        println!("All checksums match CPython.");
    }

    if let Some(path) = &args.write {
        let md = results_markdown(
            &args, &root, &runtimes, &selected, suites_run, &sections, &micro, legend, &problems,
        );
        let path = absolutize(path.clone());
        match fs::write(&path, md) {
            Ok(()) => eprintln!("wrote {}", path.display()),
            Err(e) => {
                eprintln!("cannot write {}: {e}", path.display());
                return ExitCode::from(2);
            }
        }
    }

    if !problems.is_empty() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

#[allow(clippy::too_many_arguments)]
fn results_markdown(
    args: &Args,
    root: &Path,
    runtimes: &BTreeMap<&'static str, Runtime>,
    selected: &[&'static str],
    suites: &[Suite],
    sections: &[(String, Table, String)],
    micro: &Option<(Table, Table)>,
    legend: &str,
    problems: &[String],
) -> String {
    let mut md = String::new();
    md.push_str("# rpyjit benchmark results\n\n");
    for (k, v) in machine_info() {
        let _ = writeln!(md, "- **{k}:** {v}");
    }
    let root_s = root.to_string_lossy();
    if let Some(rev) = capture(
        Path::new("git"),
        &["-C", &root_s, "rev-parse", "--short", "HEAD"],
    ) {
        let dirty = Command::new("git")
            .args([
                "-C",
                &root_s,
                "status",
                "--porcelain",
                "--untracked-files=no",
            ])
            .output()
            .map(|o| !o.stdout.is_empty())
            .unwrap_or(false);
        let _ = writeln!(
            md,
            "- **Workspace commit:** {rev}{}",
            if dirty {
                " (with uncommitted changes)"
            } else {
                ""
            }
        );
    }
    let _ = writeln!(
        md,
        "- **Command:** `{}` (run from `{}`)",
        exact_command(),
        env::current_dir()
            .map(|d| d.display().to_string())
            .unwrap_or_default()
    );
    let _ = writeln!(
        md,
        "- **Repetitions:** short runs {} per program and runtime (median reported); steady state {} run(s) of {} iterations; timeout {}s",
        args.reps, args.steady_reps, args.steady_iterations, args.timeout
    );
    md.push_str("\n## Runtimes\n\n| runtime | command | version |\n|:---|:---|:---|\n");
    for k in selected {
        let rt = &runtimes[k];
        let _ = writeln!(
            md,
            "| {} | `{}` | {} |",
            rt.key,
            rt.describe_cmd(),
            if rt.available() { &rt.version } else { "-" }
        );
    }
    md.push_str("\n## Suites\n\n");
    for s in suites {
        let _ = writeln!(
            md,
            "- `{}` ({} programs): {}",
            s.name,
            s.programs.len(),
            s.about
        );
    }
    md.push('\n');
    for l in legend.lines() {
        let _ = writeln!(md, "{}  ", l.trim());
    }
    for (heading, table, _) in sections {
        let _ = writeln!(md, "\n## {heading}\n");
        md.push_str(&render_markdown(table));
    }
    if let Some((ops, summary)) = micro {
        md.push_str("\n## Micro-benchmarks\n\n");
        md.push_str(
            "Nanoseconds per operation (`bench/micro/micro.py`: the operation repeated in a hot loop, \
             the empty loop subtracted, best of 5). Per family: geomean and slowest of jit-off/rpyjit.\n\n",
        );
        md.push_str(&render_markdown(summary));
        md.push('\n');
        md.push_str(&render_markdown(ops));
    }
    if problems.is_empty() {
        md.push_str("\nAll checksums match CPython.\n");
    } else {
        md.push_str("\n## Problems\n\n```\n");
        for p in problems {
            md.push_str(p);
            md.push('\n');
        }
        md.push_str("```\n");
    }
    md.push_str(
        "\n## All runs (seconds; steady state: every iteration)\n\n| suite | program | timing | runtime | times |\n|:---|:---|:---|:---|:---|\n",
    );
    for (_, _, runs) in sections {
        md.push_str(runs);
    }
    md
}
