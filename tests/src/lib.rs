//! Shared pieces of rpyjit's behaviour tests: finding the `rpyjit` binary, running a
//! Python program under it with a timeout, and comparing the outcome against what
//! CPython 3.13 recorded in `corpus/expected/`.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The JIT modes every corpus program runs in; each must match CPython 3.13 exactly.
pub const MODES: &[(&str, &[&str])] = &[
    ("jit-off", &["-X", "jit=off"]),
    ("jit-default", &[]),
    ("jit-threshold-0", &["-X", "jit-threshold=0"]),
];

/// `tests/` in the source tree.
pub fn tests_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn corpus_dir() -> PathBuf {
    tests_dir().join("corpus")
}

/// The `rpyjit` executable of the same build profile as the running test (`cargo test`
/// builds every workspace binary before running tests); `RPYJIT_BIN` overrides it.
pub fn rpyjit_binary() -> PathBuf {
    if let Some(p) = std::env::var_os("RPYJIT_BIN") {
        return PathBuf::from(p);
    }
    let exe = std::env::current_exe().expect("current_exe");
    // target/<profile>/deps/<test-binary> -> target/<profile>/rpyjit
    let profile_dir = exe.parent().and_then(Path::parent).expect("target dir");
    let bin = profile_dir.join(format!("rpyjit{}", std::env::consts::EXE_SUFFIX));
    assert!(
        bin.exists(),
        "{} is missing: run the tests with `cargo test --workspace` (which builds it) or set RPYJIT_BIN",
        bin.display()
    );
    bin
}

/// What a run of a program produced, in the form CPython's output is recorded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outcome {
    pub exit: i32,
    /// The last non-blank line of stderr: an uncaught exception's `Type: message`.
    pub stderr_last: String,
    pub stdout: String,
}

impl Outcome {
    /// Parses `corpus/expected/NAME.txt` (written by `tests/regen-expected.sh`).
    pub fn parse_expected(text: &str) -> Result<Self, String> {
        let mut lines = text.splitn(4, '\n');
        let exit = lines
            .next()
            .and_then(|l| l.strip_prefix("exit: "))
            .and_then(|v| v.trim().parse().ok())
            .ok_or("first line must be `exit: N`")?;
        let stderr_last = lines
            .next()
            .and_then(|l| l.strip_prefix("stderr:"))
            .ok_or("second line must be `stderr: ...`")?
            .trim_start_matches(' ')
            .to_owned();
        if lines.next() != Some("--- stdout") {
            return Err("third line must be `--- stdout`".into());
        }
        Ok(Self {
            exit,
            stderr_last,
            stdout: lines.next().unwrap_or("").to_owned(),
        })
    }
}

/// A run that did not produce an outcome.
#[derive(Debug)]
pub enum RunError {
    Timeout(Duration),
    Spawn(std::io::Error),
}

/// Runs `rpyjit ARGS... FILE` in `dir` with a clean Python environment and a time limit.
pub fn run_program(
    args: &[&str],
    dir: &Path,
    file: &str,
    limit: Duration,
) -> Result<(Outcome, String), RunError> {
    run_program_with_env(args, &[], dir, file, limit)
}

/// [`run_program`] with environment variables set for the run (the caller's own
/// `PYTHON*`/`RPYJIT_*` variables are never passed on).
pub fn run_program_with_env(
    args: &[&str],
    env: &[(&str, &str)],
    dir: &Path,
    file: &str,
    limit: Duration,
) -> Result<(Outcome, String), RunError> {
    let mut cmd = Command::new(rpyjit_binary());
    cmd.args(args).arg(file).current_dir(dir);
    for (k, _) in std::env::vars_os() {
        let k = k.to_string_lossy();
        if k.starts_with("PYTHON") || k.starts_with("RPYJIT_") {
            cmd.env_remove(&*k);
        }
    }
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.env("PYTHONDONTWRITEBYTECODE", "1");
    cmd.stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().map_err(RunError::Spawn)?;
    // Read both pipes on threads so a chatty program cannot block on a full pipe.
    let mut out = child.stdout.take().expect("stdout");
    let mut err = child.stderr.take().expect("stderr");
    let t_out = std::thread::spawn(move || {
        let mut v = Vec::new();
        std::io::Read::read_to_end(&mut out, &mut v).ok();
        v
    });
    let t_err = std::thread::spawn(move || {
        let mut v = Vec::new();
        std::io::Read::read_to_end(&mut err, &mut v).ok();
        v
    });
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().map_err(RunError::Spawn)? {
            break status;
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            return Err(RunError::Timeout(limit));
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let stdout = String::from_utf8_lossy(&t_out.join().unwrap_or_default()).into_owned();
    let stderr = String::from_utf8_lossy(&t_err.join().unwrap_or_default()).into_owned();
    let exit = match status.code() {
        Some(c) => c,
        None => {
            use std::os::unix::process::ExitStatusExt;
            // Like a shell: 128 + signal (a crash shows up as 139, 134, ...).
            128 + status.signal().unwrap_or(0)
        }
    };
    let stderr_last = stderr
        .lines()
        .filter(|l| !l.trim().is_empty())
        .last()
        .unwrap_or("")
        .to_owned();
    Ok((
        Outcome {
            exit,
            stderr_last,
            stdout,
        },
        stderr,
    ))
}

/// A human-readable account of how `actual` differs from `expected`, or `None` if equal.
pub fn describe_difference(
    expected: &Outcome,
    actual: &Outcome,
    full_stderr: &str,
) -> Option<String> {
    if expected == actual {
        return None;
    }
    let mut msg = String::new();
    if expected.exit != actual.exit {
        msg += &format!(
            "exit status: expected {}, got {}\n",
            expected.exit, actual.exit
        );
    }
    if expected.stderr_last != actual.stderr_last {
        msg += &format!(
            "last stderr line:\n  expected: {}\n  got:      {}\n",
            expected.stderr_last, actual.stderr_last
        );
    }
    if expected.stdout != actual.stdout {
        msg += "stdout differs (- CPython 3.13, + rpyjit):\n";
        let diff = similar::TextDiff::from_lines(&expected.stdout, &actual.stdout);
        msg += &diff.unified_diff().context_radius(3).to_string();
    }
    if !full_stderr.trim().is_empty() && expected.stderr_last != actual.stderr_last {
        let tail: Vec<&str> = full_stderr.lines().rev().take(25).collect();
        msg += "stderr (last lines):\n";
        for l in tail.into_iter().rev() {
            msg += &format!("  {l}\n");
        }
    }
    Some(msg)
}

/// `corpus/KNOWN_DIFFERENCES`: programs whose output differs from CPython because of
/// RustPython 0.6.0's own behaviour. Format: `file.py  reason`, `#` comments.
pub fn known_differences() -> Vec<(String, String)> {
    let path = corpus_dir().join("KNOWN_DIFFERENCES");
    let Ok(text) = std::fs::read_to_string(path) else {
        return Vec::new();
    };
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| match l.split_once(char::is_whitespace) {
            Some((f, why)) => (f.to_owned(), why.trim().to_owned()),
            None => (l.to_owned(), String::new()),
        })
        .collect()
}

/// Asserts that a checking script run by a test succeeded; its stdout and stderr are the
/// failure message, and are printed either way (shown with `--nocapture`).
pub fn assert_script_succeeded(out: &std::process::Output) {
    let report = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "{report}");
    println!("{report}");
}
