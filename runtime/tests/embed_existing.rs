//! The example of an application with its own RustPython `Interpreter` runs as written:
//! one `rpyjit::install` call, and its hot function compiles. A test binary of its own,
//! because JIT options are process-wide and other embedding tests set other thresholds.

#[path = "../examples/existing_interpreter.rs"]
mod existing;

#[test]
fn an_application_s_own_interpreter_compiles_hot_functions_after_one_call() {
    let report = existing::run_example().expect("example raised");
    assert_eq!(
        report.total,
        300 * (0..1_000i64).map(|i| i * i % 7).sum::<i64>()
    );
    assert!(report.total_compiled, "the hot function was not compiled");
    assert!(report.compiled_functions >= 1);
}
