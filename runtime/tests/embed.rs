//! The embedding example runs as written and computes what it says.

use rpyjit::vm::AsObject as _;

#[path = "../examples/embed.rs"]
mod example;

#[test]
fn embedding_example_exchanges_values_and_calls_python() {
    let (total, log) = example::run_example().expect("example raised");
    // (10 + 20 + 30.5) * 1.25 * 0.9 = 68.0625 -> round(, 2)
    assert_eq!(total, 68.06);
    assert_eq!(log, vec!["total of 3 prices".to_string()]);
}

#[test]
fn embedder_sees_python_exceptions_as_values() {
    let rt = rpyjit::Runtime::builder().build();
    let err = rt.enter(|vm| rt.eval(vm, "1 // 0").map(drop)).unwrap_err();
    rt.enter(|vm| {
        assert!(err.fast_isinstance(vm.ctx.exceptions.zero_division_error));
    });
}

#[test]
fn jit_options_are_kept_by_the_runtime() {
    let opts = rpyjit::JitOptions {
        enabled: false,
        threshold: 5,
        stats: false,
        exclude: vec!["app.*".into()],
        perf: false,
        dump: None,
    };
    let rt = rpyjit::Runtime::builder().jit(opts.clone()).build();
    assert_eq!(rt.jit_options(), &opts);
}
