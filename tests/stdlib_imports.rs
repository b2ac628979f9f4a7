//! Every top-level module of CPython 3.13's stdlib imports under rpyjit (in its default
//! JIT mode), except the known absences in `tests/stdlib/absent.txt`, each with its
//! reason: a module that stops importing, or starts, fails this test.

use std::process::Command;

#[test]
fn every_stdlib_module_imports_except_the_known_absences() {
    let dir = rpyjit_tests::tests_dir().join("stdlib");
    let out = Command::new(rpyjit_tests::rpyjit_binary())
        .arg(dir.join("imports.py"))
        .arg(dir.join("cpython313_modules.txt"))
        .arg(dir.join("absent.txt"))
        .env_remove("PYTHONPATH")
        .output()
        .expect("run rpyjit");
    rpyjit_tests::assert_script_succeeded(&out);
}
