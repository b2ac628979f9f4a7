//! CPython's own test suite as a conformance check: the bounded selection of CPython 3.13
//! test modules in `tests/cpython/modules.txt` runs under rpyjit in every JIT mode, and
//! every test case's status must be the one recorded in `tests/cpython/expected/` (see
//! `tests/cpython/run.py`, which also runs the whole suite).

use std::process::Command;

#[test]
fn cpython_test_modules_keep_their_recorded_status_in_every_jit_mode() {
    let script = rpyjit_tests::tests_dir().join("cpython").join("run.py");
    let python = std::env::var("PYTHON3").unwrap_or_else(|_| "python3".into());
    let out = Command::new(&python)
        .arg(&script)
        .env("RPYJIT", rpyjit_tests::rpyjit_binary())
        .output()
        .unwrap_or_else(|e| panic!("cannot run {python}: {e}"));
    rpyjit_tests::assert_script_succeeded(&out);
}
