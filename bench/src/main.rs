//! rpyjit-bench: runs `bench/programs/*.py` side by side under rpyjit (JIT on),
//! rpyjit `-X jit=off`, CPython 3.13 and PyPy, and prints a comparison table.
//!
//! Every run is a fresh process timed by wall clock (startup included). Runs are
//! interleaved per program (rep-major, runtime order rotated each rep) so machine
//! noise hits all runtimes alike. Each run's exit status and checksum line (last
//! non-empty stdout line) are checked against CPython's; a failing or wrong run is
//! never turned into a ratio.

use std::collections::BTreeMap;
use std::env;
use std::fmt::Write as _;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use clap::Parser;

const ALL_RUNTIMES: [&str; 4] = ["rpyjit", "jit-off", "cpython", "pypy"];

#[derive(Parser, Debug)]
#[command(
    name = "rpyjit-bench",
    about = "Run bench/programs under rpyjit, rpyjit -X jit=off, CPython 3.13 and PyPy and compare",
    after_help = "Example: cargo run --release -p rpyjit-bench -- --reps 3 --write bench/RESULTS.md"
)]
struct Args {
    /// Repetitions per (program, runtime); the table shows the median.
    #[arg(long, default_value_t = 3)]
    reps: usize,

    /// Only run these programs (comma-separated names without .py).
    #[arg(long, value_delimiter = ',')]
    only: Vec<String>,

    /// Runtimes to run, comma-separated, in column order: rpyjit,jit-off,cpython,pypy.
    #[arg(
        long,
        value_delimiter = ',',
        default_value = "rpyjit,jit-off,cpython,pypy"
    )]
    runtimes: Vec<String>,

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

    /// Directory holding the benchmark programs [default: <workspace>/bench/programs].
    #[arg(long)]
    programs: Option<PathBuf>,

    /// Also write the results as Markdown to this file.
    #[arg(long)]
    write: Option<PathBuf>,
}

// ---------------------------------------------------------------------------
// Runtimes

struct Runtime {
    key: &'static str,
    exe: Option<PathBuf>,
    extra_args: Vec<String>,
    /// Why the runtime is unavailable (when exe is None).
    missing: String,
    version: String,
}

impl Runtime {
    fn available(&self) -> bool {
        self.exe.is_some()
    }
    fn describe_cmd(&self) -> String {
        match &self.exe {
            Some(p) => {
                let mut s = p.display().to_string();
                for a in &self.extra_args {
                    s.push(' ');
                    s.push_str(a);
                }
                s
            }
            None => format!("unavailable ({})", self.missing),
        }
    }
}

fn is_executable(p: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    fs::metadata(p)
        .map(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
        .unwrap_or(false)
}

fn which(name: &str) -> Option<PathBuf> {
    let path = env::var_os("PATH")?;
    env::split_paths(&path)
        .map(|d| d.join(name))
        .find(|p| is_executable(p))
}

fn home() -> Option<PathBuf> {
    env::var_os("HOME").map(PathBuf::from)
}

/// Output (stdout + stderr, trimmed, lines joined by a space) of a short command.
fn capture(cmd: &Path, args: &[&str]) -> Option<String> {
    let out = Command::new(cmd)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .ok()?;
    let mut text = String::from_utf8_lossy(&out.stdout).into_owned();
    text.push('\n');
    text.push_str(&String::from_utf8_lossy(&out.stderr));
    let joined = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    if joined.is_empty() {
        None
    } else {
        Some(joined)
    }
}

fn find_workspace_root() -> PathBuf {
    // Compile-time location of this crate: <root>/bench.
    let compiled = Path::new(env!("CARGO_MANIFEST_DIR"));
    if let Some(root) = compiled.parent() {
        if root.join("bench/programs").is_dir() {
            return root.to_path_buf();
        }
    }
    // Fall back to walking up from the current directory.
    if let Ok(cwd) = env::current_dir() {
        let mut dir: Option<&Path> = Some(cwd.as_path());
        while let Some(d) = dir {
            if d.join("bench/programs").is_dir() && d.join("Cargo.toml").is_file() {
                return d.to_path_buf();
            }
            dir = d.parent();
        }
    }
    compiled.parent().unwrap_or(compiled).to_path_buf()
}

fn absolutize(p: PathBuf) -> PathBuf {
    if p.is_absolute() {
        p
    } else {
        env::current_dir().map(|c| c.join(&p)).unwrap_or(p)
    }
}

fn find_cpython(explicit: Option<PathBuf>) -> Result<PathBuf, String> {
    if let Some(p) = explicit {
        let p = absolutize(p);
        return if is_executable(&p) {
            Ok(p)
        } else {
            Err(format!("{} is not executable", p.display()))
        };
    }
    let mut roots: Vec<PathBuf> = Vec::new();
    if let Some(r) = env::var_os("PYENV_ROOT") {
        roots.push(PathBuf::from(r));
    }
    let pyenv = which("pyenv").or_else(|| {
        home()
            .map(|h| h.join(".pyenv/bin/pyenv"))
            .filter(|p| is_executable(p))
    });
    if let Some(pyenv) = pyenv {
        if let Ok(out) = Command::new(pyenv)
            .arg("root")
            .stdin(Stdio::null())
            .stderr(Stdio::null())
            .output()
        {
            let r = String::from_utf8_lossy(&out.stdout).trim().to_string();
            if out.status.success() && !r.is_empty() {
                roots.push(PathBuf::from(r));
            }
        }
    }
    if let Some(h) = home() {
        roots.push(h.join(".pyenv"));
    }
    for r in &roots {
        let p = r.join("versions/3.13.0/bin/python3.13");
        if is_executable(&p) {
            return Ok(p);
        }
    }
    // Last resort: a python3.13 on PATH (may be a pyenv shim).
    if let Some(p) = which("python3.13") {
        return Ok(p);
    }
    Err("python3.13 not found (looked in $PYENV_ROOT, `pyenv root`, ~/.pyenv, PATH)".into())
}

fn find_pypy(explicit: Option<PathBuf>, allow_install: bool) -> Result<PathBuf, String> {
    if let Some(p) = explicit {
        let p = absolutize(p);
        return if is_executable(&p) {
            Ok(p)
        } else {
            Err(format!("{} is not executable", p.display()))
        };
    }
    let look = || {
        which("pypy3")
            .or_else(|| Some(PathBuf::from("/usr/bin/pypy3")).filter(|p| is_executable(p)))
    };
    if let Some(p) = look() {
        return Ok(p);
    }
    if !allow_install {
        return Err("pypy3 not found on PATH (install skipped: --no-install)".into());
    }
    eprintln!("pypy3 not found; trying `apt-get install -y pypy3` ...");
    let root = capture(Path::new("id"), &["-u"])
        .map(|s| s == "0")
        .unwrap_or(false);
    let mut last_err = String::new();
    for update_first in [false, true] {
        let mut steps: Vec<Vec<&str>> = Vec::new();
        if update_first {
            steps.push(vec!["apt-get", "update"]);
        }
        steps.push(vec!["apt-get", "install", "-y", "pypy3"]);
        let mut ok = true;
        for step in steps {
            let mut cmd = if root {
                Command::new(step[0])
            } else {
                let mut c = Command::new("sudo");
                c.arg("-n").arg(step[0]);
                c
            };
            cmd.args(&step[1..])
                .env("DEBIAN_FRONTEND", "noninteractive")
                .stdin(Stdio::null());
            match cmd.output() {
                Ok(out) if out.status.success() => {}
                Ok(out) => {
                    let err = String::from_utf8_lossy(&out.stderr);
                    last_err = format!(
                        "`{}` failed ({}): {}",
                        step.join(" "),
                        out.status,
                        err.lines()
                            .rev()
                            .find(|l| !l.trim().is_empty())
                            .unwrap_or("")
                            .trim()
                    );
                    ok = false;
                    break;
                }
                Err(e) => {
                    last_err =
                        format!("could not run {}: {e}", if root { step[0] } else { "sudo" });
                    ok = false;
                    break;
                }
            }
        }
        if ok {
            if let Some(p) = look() {
                eprintln!("installed pypy3 at {}", p.display());
                return Ok(p);
            }
            last_err = "apt-get succeeded but pypy3 is still not on PATH".into();
        }
    }
    Err(format!("pypy3 unavailable: {last_err}"))
}

// ---------------------------------------------------------------------------
// Running one program

#[derive(Clone, Debug)]
enum Outcome {
    /// Exit status 0; holds the checksum line.
    Ok(String),
    Failed {
        code: String,
        stderr_tail: String,
    },
    Timeout,
    SpawnError(String),
}

#[derive(Clone, Debug)]
struct RunResult {
    secs: f64,
    outcome: Outcome,
}

fn last_line(s: &str) -> String {
    s.lines()
        .rev()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("")
        .to_string()
}

fn run_once(exe: &Path, extra: &[String], program: &Path, timeout: Duration) -> RunResult {
    let mut cmd = Command::new(exe);
    cmd.args(extra)
        .arg(program)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if let Some(dir) = program.parent() {
        cmd.current_dir(dir);
    }
    // Own process group, so a timeout kills anything the run spawned too.
    {
        use std::os::unix::process::CommandExt;
        cmd.process_group(0);
    }
    let start = Instant::now();
    let mut child = match cmd.spawn() {
        Ok(c) => c,
        Err(e) => {
            return RunResult {
                secs: 0.0,
                outcome: Outcome::SpawnError(e.to_string()),
            }
        }
    };
    let pid = child.id();
    let mut out_pipe = child.stdout.take().expect("stdout piped");
    let mut err_pipe = child.stderr.take().expect("stderr piped");
    let out_reader = thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = out_pipe.read_to_end(&mut buf);
        buf
    });
    let err_reader = thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = err_pipe.read_to_end(&mut buf);
        buf
    });
    let (tx, rx) = mpsc::channel();
    let waiter = thread::spawn(move || {
        let status = child.wait();
        let _ = tx.send((status, start.elapsed()));
    });
    let (status, elapsed) = match rx.recv_timeout(timeout) {
        Ok(r) => r,
        Err(_) => {
            // Kill the process group of the run we started; the waiter thread then reaps it.
            let _ = Command::new("kill")
                .arg("-KILL")
                .arg("--")
                .arg(format!("-{pid}"))
                .status();
            let _ = waiter.join();
            let _ = out_reader.join();
            let _ = err_reader.join();
            return RunResult {
                secs: timeout.as_secs_f64(),
                outcome: Outcome::Timeout,
            };
        }
    };
    let _ = waiter.join();
    let stdout = String::from_utf8_lossy(&out_reader.join().unwrap_or_default()).into_owned();
    let stderr = String::from_utf8_lossy(&err_reader.join().unwrap_or_default()).into_owned();
    let secs = elapsed.as_secs_f64();
    match status {
        Ok(st) if st.success() => RunResult {
            secs,
            outcome: Outcome::Ok(last_line(&stdout)),
        },
        Ok(st) => {
            use std::os::unix::process::ExitStatusExt;
            let code = match (st.code(), st.signal()) {
                (Some(c), _) => format!("exit {c}"),
                (None, Some(s)) => format!("signal {s}"),
                _ => "failed".into(),
            };
            RunResult {
                secs,
                outcome: Outcome::Failed {
                    code,
                    stderr_tail: last_line(&stderr),
                },
            }
        }
        Err(e) => RunResult {
            secs,
            outcome: Outcome::SpawnError(e.to_string()),
        },
    }
}

// ---------------------------------------------------------------------------
// Aggregation

#[derive(Clone, Debug)]
enum Cell {
    NotRun,
    Unavailable,
    Time(f64),
    Wrong,
    Failed(String),
    Timeout,
}

impl Cell {
    fn time(&self) -> Option<f64> {
        match self {
            Cell::Time(t) => Some(*t),
            _ => None,
        }
    }
    fn render(&self) -> String {
        match self {
            Cell::NotRun => "-".into(),
            Cell::Unavailable => "n/a".into(),
            Cell::Time(t) => fmt_secs(*t),
            Cell::Wrong => "WRONG".into(),
            Cell::Failed(c) => format!("FAIL({c})"),
            Cell::Timeout => "TIMEOUT".into(),
        }
    }
}

fn fmt_secs(t: f64) -> String {
    if t >= 100.0 {
        format!("{t:.1}")
    } else {
        format!("{t:.3}")
    }
}

fn median(v: &[f64]) -> f64 {
    let mut s = v.to_vec();
    s.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let n = s.len();
    if n % 2 == 1 {
        s[n / 2]
    } else {
        (s[n / 2 - 1] + s[n / 2]) / 2.0
    }
}

struct Ratio {
    title: &'static str,
    num: &'static str,
    den: &'static str,
}

const RATIOS: [Ratio; 3] = [
    Ratio {
        title: "jit-off/rpyjit",
        num: "jit-off",
        den: "rpyjit",
    },
    Ratio {
        title: "rpyjit/cpython",
        num: "rpyjit",
        den: "cpython",
    },
    Ratio {
        title: "rpyjit/pypy",
        num: "rpyjit",
        den: "pypy",
    },
];

struct Table {
    headers: Vec<String>,
    rows: Vec<Vec<String>>,
    /// Index of the first row that belongs to the footer (geomean).
    footer_from: usize,
}

fn render_text(t: &Table) -> String {
    let ncol = t.headers.len();
    let mut widths: Vec<usize> = t.headers.iter().map(|h| h.len()).collect();
    for r in &t.rows {
        for (i, c) in r.iter().enumerate() {
            widths[i] = widths[i].max(c.len());
        }
    }
    let line = |cells: &[String]| -> String {
        let mut s = String::new();
        for i in 0..ncol {
            if i == 0 {
                let _ = write!(s, "{:<w$}", cells[i], w = widths[i]);
            } else {
                let _ = write!(s, "  {:>w$}", cells[i], w = widths[i]);
            }
        }
        s.trim_end().to_string()
    };
    let total: usize = widths.iter().sum::<usize>() + 2 * (ncol - 1);
    let mut out = String::new();
    out.push_str(&line(&t.headers));
    out.push('\n');
    out.push_str(&"-".repeat(total));
    out.push('\n');
    for (i, r) in t.rows.iter().enumerate() {
        if i == t.footer_from {
            out.push_str(&"-".repeat(total));
            out.push('\n');
        }
        out.push_str(&line(r));
        out.push('\n');
    }
    out
}

fn render_markdown(t: &Table) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "| {} |", t.headers.join(" | "));
    let seps: Vec<&str> = (0..t.headers.len())
        .map(|i| if i == 0 { ":---" } else { "---:" })
        .collect();
    let _ = writeln!(out, "|{}|", seps.join("|"));
    for (i, r) in t.rows.iter().enumerate() {
        let cells: Vec<String> = if i >= t.footer_from {
            r.iter()
                .map(|c| {
                    if c.is_empty() {
                        String::new()
                    } else {
                        format!("**{c}**")
                    }
                })
                .collect()
        } else {
            r.clone()
        };
        let _ = writeln!(out, "| {} |", cells.join(" | "));
    }
    out
}

fn shell_quote(s: &str) -> String {
    if !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./=,:+@%".contains(c))
    {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

fn exact_command() -> String {
    let args: Vec<String> = env::args().skip(1).map(|a| shell_quote(&a)).collect();
    let prefix = if env::var_os("CARGO").is_some() {
        "cargo run --release -p rpyjit-bench --".to_string()
    } else {
        env::args()
            .next()
            .map(|a| shell_quote(&a))
            .unwrap_or_else(|| "rpyjit-bench".into())
    };
    if args.is_empty() {
        prefix
    } else {
        format!("{prefix} {}", args.join(" "))
    }
}

fn machine_info() -> Vec<(String, String)> {
    let mut v = Vec::new();
    v.push((
        "Date".into(),
        capture(Path::new("date"), &["-u", "+%Y-%m-%d %H:%M UTC"]).unwrap_or_default(),
    ));
    v.push((
        "Machine".into(),
        capture(Path::new("uname"), &["-srm"]).unwrap_or_default(),
    ));
    let cpuinfo = fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo
        .lines()
        .find(|l| {
            l.starts_with("model name") || l.starts_with("Model") || l.starts_with("cpu model")
        })
        .and_then(|l| l.split_once(':'))
        .map(|(_, m)| m.trim().to_string())
        .unwrap_or_else(|| "unknown".into());
    v.push(("CPU".into(), model));
    let procs = cpuinfo
        .lines()
        .filter(|l| l.starts_with("processor"))
        .count();
    let avail = thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(0);
    let cores = if procs > 0 && procs != avail {
        format!("{procs} ({avail} available to this process)")
    } else {
        format!("{}", procs.max(avail))
    };
    v.push(("Cores".into(), cores));
    v
}

// ---------------------------------------------------------------------------

fn main() -> ExitCode {
    let args = Args::parse();
    if args.reps == 0 {
        eprintln!("--reps must be at least 1");
        return ExitCode::from(2);
    }
    let timeout = Duration::from_secs_f64(args.timeout.max(0.001));

    // Selected runtimes, in canonical column order.
    let mut selected: Vec<&'static str> = Vec::new();
    for r in &args.runtimes {
        let r = r.trim();
        if r.is_empty() {
            continue;
        }
        match ALL_RUNTIMES.iter().find(|k| **k == r) {
            Some(k) if !selected.contains(k) => selected.push(k),
            Some(_) => {}
            None => {
                eprintln!(
                    "unknown runtime `{r}` (expected one of: {})",
                    ALL_RUNTIMES.join(", ")
                );
                return ExitCode::from(2);
            }
        }
    }
    selected.sort_by_key(|k| ALL_RUNTIMES.iter().position(|a| a == k));
    if selected.is_empty() {
        eprintln!("no runtimes selected");
        return ExitCode::from(2);
    }

    let root = find_workspace_root();
    let programs_dir = args
        .programs
        .clone()
        .map(absolutize)
        .unwrap_or_else(|| root.join("bench/programs"));
    let mut programs: Vec<(String, PathBuf)> = match fs::read_dir(&programs_dir) {
        Ok(rd) => rd
            .filter_map(|e| e.ok())
            .map(|e| e.path())
            .filter(|p| p.extension().map(|x| x == "py").unwrap_or(false))
            .map(|p| (p.file_stem().unwrap().to_string_lossy().into_owned(), p))
            .collect(),
        Err(e) => {
            eprintln!("cannot read {}: {e}", programs_dir.display());
            return ExitCode::from(2);
        }
    };
    programs.sort();
    if !args.only.is_empty() {
        let wanted: Vec<String> = args
            .only
            .iter()
            .map(|s| s.trim().trim_end_matches(".py").to_string())
            .filter(|s| !s.is_empty())
            .collect();
        for w in &wanted {
            if !programs.iter().any(|(n, _)| n == w) {
                eprintln!(
                    "unknown program `{w}` (have: {})",
                    programs
                        .iter()
                        .map(|p| p.0.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                );
                return ExitCode::from(2);
            }
        }
        programs.retain(|(n, _)| wanted.contains(n));
    }
    if programs.is_empty() {
        eprintln!("no programs found in {}", programs_dir.display());
        return ExitCode::from(2);
    }

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
    let cpython = make("cpython", &cpython_exe, vec![], "-V");
    runtimes.insert("cpython", cpython);
    if selected.contains(&"pypy") {
        runtimes.insert("pypy", make("pypy", &pypy_exe, vec![], "-V"));
    }

    eprintln!("workspace: {}", root.display());
    eprintln!(
        "programs:  {} ({} found)",
        programs_dir.display(),
        programs.len()
    );
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

    // results[program][runtime] = runs
    let mut results: Vec<BTreeMap<&'static str, Vec<RunResult>>> = Vec::new();
    let mut references: Vec<Option<String>> = Vec::new();
    let active: Vec<&'static str> = selected
        .iter()
        .copied()
        .filter(|k| runtimes[k].available())
        .collect();
    let total_runs = programs.len() * active.len() * args.reps;
    let mut done = 0usize;
    let started = Instant::now();

    for (name, path) in &programs {
        let mut per: BTreeMap<&'static str, Vec<RunResult>> = BTreeMap::new();
        let mut stopped: Vec<&'static str> = Vec::new();
        for rep in 0..args.reps {
            // Rotate the runtime order each rep so no runtime always runs first.
            let n = active.len();
            for i in 0..n {
                let key = active[(i + rep) % n];
                if stopped.contains(&key) {
                    done += 1;
                    continue;
                }
                let rt = &runtimes[key];
                let r = run_once(rt.exe.as_ref().unwrap(), &rt.extra_args, path, timeout);
                done += 1;
                let status = match &r.outcome {
                    Outcome::Ok(_) => "ok".to_string(),
                    Outcome::Failed { code, .. } => format!("FAILED ({code})"),
                    Outcome::Timeout => "TIMEOUT".into(),
                    Outcome::SpawnError(e) => format!("cannot start: {e}"),
                };
                eprintln!(
                    "[{:>3}/{}] {:<14} {:<8} rep {}  {:>8}s  {}",
                    done,
                    total_runs,
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
        // Checksum reference: CPython (an extra untimed run if CPython is not a column).
        let reference = if cpython_ref {
            let from_runs = per.get("cpython").and_then(|runs| {
                runs.iter().find_map(|r| {
                    if let Outcome::Ok(l) = &r.outcome {
                        Some(l.clone())
                    } else {
                        None
                    }
                })
            });
            match from_runs {
                Some(l) => Some(l),
                None if !selected.contains(&"cpython") => {
                    let rt = &runtimes["cpython"];
                    match run_once(rt.exe.as_ref().unwrap(), &[], path, timeout).outcome {
                        Outcome::Ok(l) => Some(l),
                        _ => None,
                    }
                }
                None => None,
            }
        } else {
            None
        };
        results.push(per);
        references.push(reference);
    }
    let wall = started.elapsed().as_secs_f64();

    // Build cells.
    let mut problems: Vec<String> = Vec::new();
    let mut cells: Vec<BTreeMap<&'static str, Cell>> = Vec::new();
    for (pi, (name, _)) in programs.iter().enumerate() {
        let mut row = BTreeMap::new();
        let reference = &references[pi];
        if cpython_ref && reference.is_none() {
            problems.push(format!(
                "{name}: no CPython reference checksum (CPython run failed), results unchecked"
            ));
        }
        for key in &selected {
            let rt = &runtimes[key];
            if !rt.available() {
                row.insert(*key, Cell::Unavailable);
                continue;
            }
            let runs = match results[pi].get(key) {
                Some(r) if !r.is_empty() => r,
                _ => {
                    row.insert(*key, Cell::NotRun);
                    continue;
                }
            };
            let mut cell = None;
            let mut times = Vec::new();
            for r in runs {
                match &r.outcome {
                    Outcome::Ok(line) => {
                        let expected = reference.clone().or_else(|| {
                            // No CPython: compare against the first successful run of any runtime.
                            selected.iter().find_map(|k| {
                                results[pi].get(k)?.iter().find_map(|r| {
                                    if let Outcome::Ok(l) = &r.outcome {
                                        Some(l.clone())
                                    } else {
                                        None
                                    }
                                })
                            })
                        });
                        if let Some(exp) = expected {
                            if &exp != line && cell.is_none() {
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
                            args.timeout
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
            row.insert(*key, cell.unwrap_or_else(|| Cell::Time(median(&times))));
        }
        cells.push(row);
    }

    // Table.
    let ratios: Vec<&Ratio> = RATIOS
        .iter()
        .filter(|r| selected.contains(&r.num) && selected.contains(&r.den))
        .collect();
    let mut headers = vec!["program".to_string()];
    for k in &selected {
        headers.push(format!("{k} s"));
    }
    for r in &ratios {
        headers.push(r.title.to_string());
    }
    let mut rows = Vec::new();
    let mut logs: Vec<Vec<f64>> = vec![Vec::new(); ratios.len()];
    for (pi, (name, _)) in programs.iter().enumerate() {
        let mut row = vec![name.clone()];
        for k in &selected {
            row.push(cells[pi][k].render());
        }
        for (ri, r) in ratios.iter().enumerate() {
            match (cells[pi][r.num].time(), cells[pi][r.den].time()) {
                (Some(a), Some(b)) if a > 0.0 && b > 0.0 => {
                    let q = a / b;
                    logs[ri].push(q.ln());
                    row.push(format!("{q:.2}x"));
                }
                _ => row.push("-".into()),
            }
        }
        rows.push(row);
    }
    let footer_from = rows.len();
    if !ratios.is_empty() {
        let mut row = vec!["geomean".to_string()];
        row.extend(selected.iter().map(|_| String::new()));
        for l in &logs {
            if l.is_empty() {
                row.push("-".into());
            } else {
                let g = (l.iter().sum::<f64>() / l.len() as f64).exp();
                if l.len() == programs.len() {
                    row.push(format!("{g:.2}x"));
                } else {
                    row.push(format!("{g:.2}x (n={})", l.len()));
                }
            }
        }
        rows.push(row);
    }
    let table = Table {
        headers,
        rows,
        footer_from,
    };

    let legend = "Times: median wall-clock seconds per process (startup included) over the reps.\n\
                  jit-off/rpyjit > 1: the JIT makes rpyjit faster.  rpyjit/cpython, rpyjit/pypy < 1: rpyjit is faster.\n\
                  WRONG = checksum differs from CPython's, FAIL = non-zero exit, TIMEOUT = killed; none of these enter a ratio.";

    println!();
    print!("{}", render_text(&table));
    println!();
    println!("{legend}");
    println!(
        "{} programs x {} runtimes x {} reps, {:.1}s total",
        programs.len(),
        active.len(),
        args.reps,
        wall
    );
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
        let mut md = String::new();
        md.push_str("# rpyjit benchmark results\n\n");
        for (k, v) in machine_info() {
            let _ = writeln!(md, "- **{k}:** {v}");
        }
        if let Some(rev) = capture(
            Path::new("git"),
            &[
                "-C",
                &root.to_string_lossy(),
                "rev-parse",
                "--short",
                "HEAD",
            ],
        ) {
            let dirty = Command::new("git")
                .args([
                    "-C",
                    &root.to_string_lossy(),
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
            "- **Repetitions:** {} per program and runtime (median reported), timeout {}s",
            args.reps, args.timeout
        );
        md.push_str("\n## Runtimes\n\n| runtime | command | version |\n|:---|:---|:---|\n");
        for k in &selected {
            let rt = &runtimes[k];
            let _ = writeln!(
                md,
                "| {} | `{}` | {} |",
                rt.key,
                rt.describe_cmd(),
                if rt.available() { &rt.version } else { "-" }
            );
        }
        md.push_str("\n## Results\n\n");
        md.push_str(&render_markdown(&table));
        md.push('\n');
        for l in legend.lines() {
            let _ = writeln!(md, "{}  ", l.trim());
        }
        if problems.is_empty() {
            if cpython_ref {
                md.push_str("\nAll checksums match CPython.\n");
            }
        } else {
            md.push_str("\n## Problems\n\n```\n");
            for p in &problems {
                md.push_str(p);
                md.push('\n');
            }
            md.push_str("```\n");
        }
        md.push_str("\n## All runs (seconds)\n\n| program | runtime | times |\n|:---|:---|:---|\n");
        for (pi, (name, _)) in programs.iter().enumerate() {
            for k in &selected {
                if let Some(runs) = results[pi].get(k) {
                    let ts: Vec<String> = runs
                        .iter()
                        .map(|r| match &r.outcome {
                            Outcome::Ok(_) => fmt_secs(r.secs),
                            Outcome::Timeout => "timeout".into(),
                            _ => format!("{} (failed)", fmt_secs(r.secs)),
                        })
                        .collect();
                    let _ = writeln!(md, "| {name} | {k} | {} |", ts.join(", "));
                }
            }
        }
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
