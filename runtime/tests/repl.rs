//! The interactive REPL on a real terminal: what a user types ahead of the prompt, or
//! pastes as a block, is read line by line as CPython's REPL reads it.
#![cfg(unix)]

mod common;

use std::io::{Read, Write};
use std::os::fd::{FromRawFd, OwnedFd};
use std::os::unix::process::CommandExt;
use std::process::Stdio;
use std::time::{Duration, Instant};

/// A pseudo-terminal pair: the controlling side for the test, the terminal side for rpyjit.
fn open_pty() -> (OwnedFd, OwnedFd) {
    let (mut controller, mut terminal) = (-1, -1);
    // SAFETY: openpty writes two fresh descriptors into the pointed-to ints; the name,
    // termios and winsize arguments may be null.
    let rc = unsafe {
        libc::openpty(
            &mut controller,
            &mut terminal,
            std::ptr::null_mut(),
            std::ptr::null(),
            std::ptr::null(),
        )
    };
    assert_eq!(rc, 0, "openpty failed");
    // SAFETY: both descriptors were just opened by openpty and are owned by nobody else.
    unsafe {
        (
            OwnedFd::from_raw_fd(controller),
            OwnedFd::from_raw_fd(terminal),
        )
    }
}

/// Runs the REPL on a terminal, writes `typed` before the first prompt appears, waits
/// until `until` shows up in the output (or a timeout) and returns everything printed.
fn repl_with_typeahead(args: &[&str], typed: &str, until: &str) -> String {
    let (controller, terminal) = open_pty();
    let mut cmd = common::rpyjit();
    cmd.args(args)
        .stdin(Stdio::from(terminal.try_clone().unwrap()))
        .stdout(Stdio::from(terminal.try_clone().unwrap()))
        .stderr(Stdio::from(terminal));
    // SAFETY: only async-signal-safe calls between fork and exec: a new session whose
    // controlling terminal is the pty (stdin, already dup'ed to fd 0).
    unsafe {
        cmd.pre_exec(|| {
            if libc::setsid() < 0 || libc::ioctl(0, libc::TIOCSCTTY as _, 0) < 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let mut child = cmd.spawn().expect("spawn rpyjit on a pty");
    // The command holds the terminal side open; without dropping it, reading would not
    // end when rpyjit exits.
    drop(cmd);
    let mut pty = std::fs::File::from(controller);
    // Typed at once, before the REPL has printed anything: all of it is type-ahead.
    pty.write_all(typed.as_bytes()).unwrap();

    let reader = {
        let mut pty = pty.try_clone().unwrap();
        std::thread::spawn(move || {
            let mut out = Vec::new();
            let mut buf = [0u8; 4096];
            // Reading ends with EIO once the child has exited and closed the terminal.
            while let Ok(n) = pty.read(&mut buf) {
                if n == 0 {
                    break;
                }
                out.extend_from_slice(&buf[..n]);
            }
            out
        })
    };
    let deadline = Instant::now() + Duration::from_secs(60);
    while Instant::now() < deadline {
        if let Some(_) = child.try_wait().unwrap() {
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    if child.try_wait().unwrap().is_none() {
        child.kill().ok();
        child.wait().ok();
    }
    drop(pty);
    let out = String::from_utf8_lossy(&reader.join().unwrap()).into_owned();
    assert!(
        out.contains(until),
        "expected {until:?} in the REPL's output:\n{out}"
    );
    out
}

const PASTED_BLOCK: &str = "def double(x):\n    y = x * 2\n    return y\n\n\
print('pasted', double(21))\nfor i in range(2):\n    print('loop', i)\n\nprint('last line')\nexit()\n";

#[test]
fn a_pasted_block_runs_every_line() {
    for mode in [&["-X", "jit=off"][..], &["-X", "jit-threshold=0"][..]] {
        let out = repl_with_typeahead(mode, PASTED_BLOCK, "last line");
        for line in ["pasted 42", "loop 0", "loop 1"] {
            assert!(
                out.contains(line),
                "{mode:?}: {line:?} missing from:\n{out}"
            );
        }
        assert!(!out.contains("Error"), "{mode:?}: an error in:\n{out}");
    }
}
