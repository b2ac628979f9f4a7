//! The example of an application with its own RustPython `Interpreter` runs as written:
//! one `rpyjit::install` call, and its hot function compiles; and two such interpreters
//! keep their own JIT options.

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

/// Two interpreters alive in one process keep their own JIT options: the threshold and
/// the exclusions installed in one do not change the other's.
#[test]
fn two_interpreters_keep_their_own_thresholds_and_exclusions() {
    use rpyjit::vm::Interpreter;
    use rpyjit::{JitOptions, JitVm};

    const CODE: &str =
        "def f(n):\n    s = 0\n    for i in range(n):\n        s += i\n    return s\n\
                        def g(n):\n    return f(n)\n";
    let with_options = |options: JitOptions| {
        let interpreter = rpyjit::add_stdlib(Interpreter::builder(Default::default())).build();
        rpyjit::install(&interpreter, &options);
        interpreter
    };
    // Whether f and g are compiled after 50 calls each.
    let compiled_after_50_calls = |interpreter: &Interpreter| -> (bool, bool) {
        interpreter
            .enter(|vm| {
                let scope = vm.new_scope_with_builtins();
                vm.jit_run_code_string(scope.clone(), CODE, "<app>")?;
                let (f, g) = (
                    scope.globals.get_item("f", vm)?,
                    scope.globals.get_item("g", vm)?,
                );
                for _ in 0..50 {
                    f.call((10,), vm)?;
                    g.call((10,), vm)?;
                }
                let is_compiled = vm.import("rpyjit", 0)?.get_attr("is_compiled", vm)?;
                let f_compiled: bool = is_compiled.call((f,), vm)?.try_into_value(vm)?;
                let g_compiled: bool = is_compiled.call((g,), vm)?.try_into_value(vm)?;
                Ok::<_, rpyjit::vm::builtins::PyBaseExceptionRef>((f_compiled, g_compiled))
            })
            .expect("the code raised")
    };
    let eager = with_options(JitOptions {
        threshold: 10,
        exclude: vec!["*.g".into()],
        ..Default::default()
    });
    let lazy = with_options(JitOptions {
        threshold: 100_000,
        ..Default::default()
    });
    assert_eq!(compiled_after_50_calls(&eager), (true, false));
    assert_eq!(compiled_after_50_calls(&lazy), (false, false));
}
