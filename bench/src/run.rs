//! Running one program in a fresh process: wall-clock time, exit status, checksum line,
//! and the per-iteration times a steady-state run prints.

use std::ffi::OsString;
use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

#[derive(Clone, Debug)]
pub enum Outcome {
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
pub struct RunResult {
    /// Wall clock of the process, or for a steady-state run the median time of the
    /// iterations after warm-up.
    pub secs: f64,
    pub outcome: Outcome,
    /// Per-iteration times printed by a steady-state run (`steady-times: t1 t2 ...`).
    pub iterations: Vec<f64>,
    /// Everything the run printed to stdout.
    pub stdout: String,
}

pub fn last_line(s: &str) -> String {
    s.lines()
        .rev()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("")
        .to_string()
}

/// Runs `exe argv...` in `dir` and times it; a run longer than `timeout` is killed.
pub fn run_once(exe: &Path, argv: &[OsString], dir: &Path, timeout: Duration) -> RunResult {
    let mut cmd = Command::new(exe);
    cmd.args(argv)
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
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
                iterations: Vec::new(),
                stdout: String::new(),
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
                iterations: Vec::new(),
                stdout: String::new(),
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
            iterations: steady_times(&stdout),
            stdout,
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
                iterations: Vec::new(),
                stdout: String::new(),
            }
        }
        Err(e) => RunResult {
            secs,
            outcome: Outcome::SpawnError(e.to_string()),
            iterations: Vec::new(),
            stdout: String::new(),
        },
    }
}

/// The per-iteration times `bench/steady.py` prints before the checksum line.
fn steady_times(stdout: &str) -> Vec<f64> {
    stdout
        .lines()
        .rev()
        .find_map(|l| l.trim().strip_prefix("steady-times:"))
        .map(|rest| {
            rest.split_whitespace()
                .filter_map(|t| t.parse().ok())
                .collect()
        })
        .unwrap_or_default()
}
