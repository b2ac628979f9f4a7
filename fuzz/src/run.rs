//! Running a program under an interpreter with a time limit, and classifying how a
//! run differs from CPython's.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The rpyjit modes every program runs in: (name, extra arguments).
pub const MODES: &[(&str, &[&str])] = &[
    ("jit-off", &["-X", "jit=off"]),
    ("jit-default", &[]),
    ("jit-threshold-0", &["-X", "jit-threshold=0"]),
];

/// Output beyond this many bytes per stream is discarded (a runaway program).
const MAX_OUTPUT: usize = 32 << 20;

#[derive(Clone, Debug)]
pub struct RunOut {
    pub stdout: String,
    pub stderr: String,
    /// Exit code, or 128 + signal number when killed by a signal.
    pub code: i32,
    pub signal: Option<i32>,
    pub timed_out: bool,
    pub elapsed: Duration,
}

impl RunOut {
    /// The type of an uncaught exception: the last non-blank stderr line's `Type:` prefix
    /// (only for a failing run).
    pub fn exc_type(&self) -> Option<String> {
        if self.code == 0 || self.timed_out {
            return None;
        }
        let last = self.stderr.lines().rev().find(|l| !l.trim().is_empty())?;
        let head = last.split(':').next().unwrap_or("").trim();
        let ok = !head.is_empty()
            && head
                .chars()
                .all(|c| c.is_alphanumeric() || c == '_' || c == '.')
            && head
                .chars()
                .next()
                .is_some_and(|c| c.is_alphabetic() || c == '_');
        ok.then(|| head.to_string())
    }

    /// `file:line:col` of a Rust panic in stderr, if any.
    pub fn panic_location(&self) -> Option<String> {
        let idx = self.stderr.find("panicked at ")?;
        let rest = &self.stderr[idx + "panicked at ".len()..];
        let loc = rest.lines().next().unwrap_or("").trim_end_matches(':');
        Some(loc.to_string())
    }
}

/// Runs `exe args... file` in `dir` with a clean Python environment.
pub fn run(
    exe: &Path,
    args: &[&str],
    dir: &Path,
    file: &str,
    limit: Duration,
) -> std::io::Result<RunOut> {
    let mut cmd = Command::new(exe);
    cmd.args(args).arg(file).current_dir(dir);
    for (k, _) in std::env::vars_os() {
        let k = k.to_string_lossy();
        if k.starts_with("PYTHON") || k.starts_with("RPYJIT_") {
            cmd.env_remove(&*k);
        }
    }
    cmd.env("PYTHONDONTWRITEBYTECODE", "1");
    cmd.env("RUST_BACKTRACE", "0");
    cmd.stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    // Own process group, so that a timeout kills whatever the program started too.
    std::os::unix::process::CommandExt::process_group(&mut cmd, 0);
    let start = Instant::now();
    let mut child = cmd.spawn()?;
    let mut out = child.stdout.take().expect("stdout");
    let mut err = child.stderr.take().expect("stderr");
    let (tx_out, rx_out) = std::sync::mpsc::channel();
    let (tx_err, rx_err) = std::sync::mpsc::channel();
    std::thread::spawn(move || tx_out.send(drain(&mut out)));
    std::thread::spawn(move || tx_err.send(drain(&mut err)));
    let mut timed_out = false;
    let status = loop {
        if let Some(st) = child.try_wait()? {
            break st;
        }
        if start.elapsed() > limit {
            timed_out = true;
            let _ = Command::new("kill")
                .args(["-KILL", "--", &format!("-{}", child.id())])
                .stderr(Stdio::null())
                .status();
            let _ = child.kill();
            break child.wait()?;
        }
        std::thread::sleep(Duration::from_millis(2));
    };
    let elapsed = start.elapsed();
    // A leftover grandchild may hold the pipes open: do not wait for it forever.
    let grace = Duration::from_secs(2);
    let stdout =
        String::from_utf8_lossy(&rx_out.recv_timeout(grace).unwrap_or_default()).into_owned();
    let stderr =
        String::from_utf8_lossy(&rx_err.recv_timeout(grace).unwrap_or_default()).into_owned();
    use std::os::unix::process::ExitStatusExt;
    let signal = if timed_out { None } else { status.signal() };
    let code = match status.code() {
        Some(c) => c,
        None => 128 + status.signal().unwrap_or(0),
    };
    Ok(RunOut {
        stdout,
        stderr,
        code,
        signal,
        timed_out,
        elapsed,
    })
}

fn drain(r: &mut impl Read) -> Vec<u8> {
    let mut v = Vec::new();
    let mut buf = [0u8; 65536];
    loop {
        match r.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => {
                if v.len() < MAX_OUTPUT {
                    v.extend_from_slice(&buf[..n]);
                }
            }
        }
    }
    v
}

/// How one rpyjit run differs from CPython's. The variants are "kinds": the minimizer
/// keeps a reduction only if it shows the same kind.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Diff {
    /// Did not finish within the time limit.
    Hang,
    /// Killed by a signal.
    Crash(i32),
    /// A Rust panic (at `file:line:col`).
    Panic(String),
    /// Uncaught exception type differs (None = no uncaught exception).
    Exception {
        cpython: Option<String>,
        rpyjit: Option<String>,
    },
    /// Exit status differs.
    Exit { cpython: i32, rpyjit: i32 },
    /// Only stdout differs.
    Stdout,
}

impl std::fmt::Display for Diff {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Diff::Hang => write!(f, "hang"),
            Diff::Crash(s) => write!(f, "crash (signal {s})"),
            Diff::Panic(loc) => write!(f, "panic at {loc}"),
            Diff::Exception { cpython, rpyjit } => write!(
                f,
                "exception {} vs {}",
                cpython.as_deref().unwrap_or("none"),
                rpyjit.as_deref().unwrap_or("none")
            ),
            Diff::Exit { cpython, rpyjit } => write!(f, "exit {cpython} vs {rpyjit}"),
            Diff::Stdout => write!(f, "stdout"),
        }
    }
}

/// The difference between CPython's run and rpyjit's, if any.
pub fn compare(cpy: &RunOut, rpy: &RunOut) -> Option<Diff> {
    if rpy.timed_out {
        return Some(Diff::Hang);
    }
    if let Some(s) = rpy.signal {
        return Some(Diff::Crash(s));
    }
    if let Some(loc) = rpy.panic_location() {
        return Some(Diff::Panic(loc));
    }
    let (ce, re) = (cpy.exc_type(), rpy.exc_type());
    if ce != re {
        return Some(Diff::Exception {
            cpython: ce,
            rpyjit: re,
        });
    }
    if cpy.code != rpy.code {
        return Some(Diff::Exit {
            cpython: cpy.code,
            rpyjit: rpy.code,
        });
    }
    if cpy.stdout != rpy.stdout {
        return Some(Diff::Stdout);
    }
    None
}

/// The first line where two outputs differ, for reports: (line number, cpython, rpyjit).
pub fn first_diff_line(a: &str, b: &str) -> Option<(usize, String, String)> {
    let (mut la, mut lb) = (a.lines(), b.lines());
    let mut n = 1;
    loop {
        match (la.next(), lb.next()) {
            (None, None) => return None,
            (x, y) if x == y => n += 1,
            (x, y) => {
                return Some((
                    n,
                    x.unwrap_or("<end of output>").to_string(),
                    y.unwrap_or("<end of output>").to_string(),
                ))
            }
        }
    }
}

/// CPython 3.13: `$PYENV_ROOT` (or `~/.pyenv`, or `pyenv root`) `/versions/3.13.0/bin/python3.13`.
pub fn default_cpython() -> PathBuf {
    let root = std::env::var_os("PYENV_ROOT")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".pyenv")))
        .filter(|r| r.exists())
        .or_else(|| {
            let out = Command::new("pyenv").arg("root").output().ok()?;
            Some(PathBuf::from(String::from_utf8_lossy(&out.stdout).trim()))
        })
        .unwrap_or_else(|| PathBuf::from("/root/.pyenv"));
    root.join("versions/3.13.0/bin/python3.13")
}

/// The workspace root (the parent of this crate).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace root")
        .to_path_buf()
}

pub fn default_rpyjit() -> PathBuf {
    workspace_root().join("target/release/rpyjit")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn out(stdout: &str, stderr: &str, code: i32) -> RunOut {
        RunOut {
            stdout: stdout.into(),
            stderr: stderr.into(),
            code,
            signal: None,
            timed_out: false,
            elapsed: Duration::ZERO,
        }
    }

    #[test]
    fn classifies_differences() {
        let ok = out("1\n", "", 0);
        assert_eq!(compare(&ok, &ok.clone()), None);
        assert_eq!(compare(&ok, &out("2\n", "", 0)), Some(Diff::Stdout));
        let tb = "Traceback (most recent call last):\n  File \"x.py\", line 1\nZeroDivisionError: division by zero\n";
        assert_eq!(
            compare(&ok, &out("1\n", tb, 1)),
            Some(Diff::Exception {
                cpython: None,
                rpyjit: Some("ZeroDivisionError".into())
            })
        );
        let panic = "thread 'main' panicked at jit/src/lib.rs:10:5:\nboom\n";
        assert_eq!(
            compare(&ok, &out("", panic, 101)),
            Some(Diff::Panic("jit/src/lib.rs:10:5".into()))
        );
        assert_eq!(
            compare(&ok, &out("1\n", "", 3)),
            Some(Diff::Exit {
                cpython: 0,
                rpyjit: 3
            })
        );
        let warn = "x.py:1: DeprecationWarning: blah\n  print(~True)\n";
        assert_eq!(out("", warn, 0).exc_type(), None);
        assert_eq!(
            out("", "KeyboardInterrupt\n", 1).exc_type(),
            Some("KeyboardInterrupt".into())
        );
        assert_eq!(
            first_diff_line("a\nb\n", "a\nc\n"),
            Some((2, "b".into(), "c".into()))
        );
    }
}
