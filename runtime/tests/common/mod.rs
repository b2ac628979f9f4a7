//! Running the built `rpyjit` binary from integration tests: a clean environment (no
//! `PYTHON*`/`RPYJIT_*` variables from the caller), output as text, the JIT's statistics
//! as data ([`jit_stats`]), and SIGINT.
#![allow(dead_code)]

pub mod jit_stats;

use std::process::{Command, Output, Stdio};

pub use jit_stats::JitStats;

/// `rpyjit` with a clean environment and stdin closed.
pub fn rpyjit() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_rpyjit"));
    for (k, _) in std::env::vars() {
        if k.starts_with("PYTHON") || k.starts_with("RPYJIT_") {
            c.env_remove(k);
        }
    }
    c.stdin(Stdio::null());
    c
}

pub fn run(args: &[&str]) -> Output {
    rpyjit().args(args).output().expect("spawn rpyjit")
}

/// [`run`], and the JIT's statistics at the end of the run (`rpyjit.stats()`).
pub fn run_with_stats(args: &[&str]) -> (Output, JitStats) {
    let file = jit_stats::StatsFile::new();
    let o = file
        .apply(&mut rpyjit())
        .args(args)
        .output()
        .expect("spawn rpyjit");
    let stats = file.read(&stderr(&o));
    (o, stats)
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Killed by SIGINT, or exited with the shell's status for it.
pub fn exited_like_sigint(o: &Output) -> bool {
    use std::os::unix::process::ExitStatusExt;
    o.status.signal() == Some(2) || o.status.code() == Some(130)
}

/// Sends SIGINT (Ctrl-C) to a child process.
pub fn send_sigint(pid: u32) {
    extern "C" {
        #[link_name = "kill"]
        fn libc_kill(pid: i32, sig: i32) -> i32;
    }
    // SAFETY: kill(2) with a pid we spawned and have not reaped, and a valid signal.
    unsafe { libc_kill(pid as i32, 2) };
}
