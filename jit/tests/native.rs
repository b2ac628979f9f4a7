//! Compiled functions compute what the interpreter computes: unboxed int/float/bool code
//! behind guards, and every guard failure continues in the interpreter with the exact
//! state (int overflow into big ints, division by zero raising with the right line,
//! arguments of other types).

mod common;
use common::{define_fn, interpreter};

use rpyjit_jit::entry;
use rustpython_vm::builtins::PyFunction;
use rustpython_vm::{AsObject, PyObjectRef, PyRef, VirtualMachine};

struct Both {
    jit: PyRef<PyFunction>,
    interp: PyRef<PyFunction>,
}

/// Defines `name` from `src` twice: one copy compiled, one left to the interpreter.
fn define(vm: &VirtualMachine, src: &str, name: &str) -> Both {
    rpyjit_jit::install_runtime(vm).unwrap();
    let get = || define_fn(vm, src, name);
    let jit = get();
    let interp = get();
    entry::compile_function(vm, &jit).unwrap();
    assert!(entry::is_compiled(vm, &jit));
    Both { jit, interp }
}

fn show(vm: &VirtualMachine, r: rustpython_vm::PyResult) -> String {
    match r {
        Ok(v) => v.repr(vm).unwrap().to_string(),
        Err(e) => format!("raised {}", e.class().name()),
    }
}

fn same(vm: &VirtualMachine, f: &Both, args: Vec<PyObjectRef>) -> String {
    let a = show(vm, f.jit.as_object().call(args.clone(), vm));
    let b = show(vm, f.interp.as_object().call(args, vm));
    assert_eq!(a, b);
    a
}

fn int(vm: &VirtualMachine, v: i64) -> PyObjectRef {
    vm.ctx.new_int(v).into()
}

#[test]
fn an_int_loop_runs_natively_and_agrees() {
    interpreter().enter(|vm| {
        let f = define(
            vm,
            r#"def f(n):
    s = 0
    i = 0
    while i < n:
        s += i * i
        i += 1
    return s
"#,
            "f",
        );
        let before = rpyjit_jit::stats::STATS.native_calls();
        for n in [0, 1, 10, 1000] {
            same(vm, &f, vec![int(vm, n)]);
        }
        assert!(rpyjit_jit::stats::STATS.native_calls() >= before + 4);
    });
}

#[test]
fn int_overflow_continues_with_big_ints_in_the_interpreter() {
    interpreter().enter(|vm| {
        let f = define(
            vm,
            r#"def f(n):
    x = 1
    i = 0
    while i < n:
        x = x * 3
        i += 1
    return x
"#,
            "f",
        );
        assert_eq!(same(vm, &f, vec![int(vm, 10)]), "59049");
        assert_eq!(
            same(vm, &f, vec![int(vm, 100)]),
            "515377520732011331036461129765621272702107522001"
        );
    });
}

#[test]
fn floor_division_and_modulo_round_like_python() {
    interpreter().enter(|vm| {
        let f = define(
            vm,
            r#"def f(a, b):
    return a // b * 1000 + a % b
"#,
            "f",
        );
        for a in [-7, -6, -1, 0, 1, 6, 7, i64::MIN, i64::MAX] {
            for b in [-3, -1, 1, 2, 3, i64::MAX] {
                same(vm, &f, vec![int(vm, a), int(vm, b)]);
            }
        }
    });
}

#[test]
fn division_by_zero_raises_from_the_interpreter_with_the_functions_line() {
    interpreter().enter(|vm| {
        let f = define(
            vm,
            r#"def f(a, b):
    t = a + b
    return t // b
"#,
            "f",
        );
        assert_eq!(
            same(vm, &f, vec![int(vm, 1), int(vm, 0)]),
            "raised ZeroDivisionError"
        );
        let err = f.jit.as_object().call((5, 0), vm).unwrap_err();
        let mut tb = err.traceback().unwrap();
        loop {
            let next = tb.next.lock().clone();
            match next {
                Some(n) => tb = n,
                None => break,
            }
        }
        assert_eq!(tb.lineno.get(), 3);
    });
}

#[test]
fn floats_and_mixed_arithmetic_agree() {
    interpreter().enter(|vm| {
        let f = define(
            vm,
            r#"def f(x, y):
    z = x * y + x / y - 2
    if z > 1.5:
        return z
    return -z
"#,
            "f",
        );
        for (x, y) in [(1.5, 2.0), (-3.25, 0.5), (1e308, 10.0), (0.1, 3.0)] {
            same(
                vm,
                &f,
                vec![vm.ctx.new_float(x).into(), vm.ctx.new_float(y).into()],
            );
        }
        assert_eq!(
            same(
                vm,
                &f,
                vec![vm.ctx.new_float(1.0).into(), vm.ctx.new_float(0.0).into()]
            ),
            "raised ZeroDivisionError"
        );
    });
}

#[test]
fn arguments_of_other_types_run_in_the_interpreter() {
    interpreter().enter(|vm| {
        let f = define(
            vm,
            r#"def f(a, b):
    return a + b
"#,
            "f",
        );
        assert_eq!(same(vm, &f, vec![int(vm, 2), int(vm, 3)]), "5");
        assert_eq!(
            same(
                vm,
                &f,
                vec![vm.ctx.new_str("x").into(), vm.ctx.new_str("y").into()]
            ),
            "'xy'"
        );
        assert_eq!(
            same(vm, &f, vec![vm.ctx.new_float(0.5).into(), int(vm, 3)]),
            "3.5"
        );
        let code = vm
            .compile("10 ** 30", rustpython_vm::compiler::Mode::Eval, "<e>")
            .unwrap();
        let big = vm.run_code_obj(code, vm.new_scope_with_builtins()).unwrap();
        assert_eq!(
            same(vm, &f, vec![big, int(vm, 1)]),
            "1000000000000000000000000000001"
        );
    });
}

#[test]
fn functions_outside_the_subset_are_refused_with_a_reason() {
    interpreter().enter(|vm| {
        rpyjit_jit::install_runtime(vm).unwrap();
        let scope = vm.new_scope_with_builtins();
        let code = vm
            .compile(
                r#"def g(*a):
    yield a
"#,
                rustpython_vm::compiler::Mode::Exec,
                "<t>",
            )
            .unwrap();
        vm.run_code_obj(code, scope.clone()).unwrap();
        let g = scope
            .globals
            .get_item("g", vm)
            .unwrap()
            .downcast::<PyFunction>()
            .unwrap();
        let err = entry::compile_function(vm, &g).unwrap_err();
        assert!(err.0.contains("generators"), "{}", err.0);
        assert!(!entry::is_compiled(vm, &g));
    });
}

#[test]
fn translations_compile_for_the_host_and_for_aarch64() {
    use cranelift_codegen::control::ControlPlane;
    use rpyjit_jit::bytecode::Analysis;
    use rpyjit_jit::helpers::HelperTable;
    use rpyjit_jit::translate::{translate, Entry, Kind, Profile};
    let srcs = [
        (
            r#"def f(n):
    s = 0
    i = 0
    while i < n:
        s += i * i
        i += 1
    return s
"#,
            vec![Kind::Int],
        ),
        (
            r#"def f(a, b):
    return a // b * 1000 + a % b
"#,
            vec![Kind::Int, Kind::Int],
        ),
        (
            r#"def f(x, y):
    z = x * y + x / y - 2
    if z > 1.5:
        return z
    return -z
"#,
            vec![Kind::Float, Kind::Float],
        ),
        (
            r#"def f(xs, n):
    out = []
    for i in range(n):
        out.append(len(xs) + i)
    return {k: str(k) for k in out}
"#,
            vec![Kind::Obj, Kind::Int],
        ),
    ];
    interpreter().enter(|vm| {
        for (src, kinds) in &srcs {
            let f = define_fn(vm, src, "f");
            let code = f
                .as_object()
                .get_attr("__code__", vm)
                .unwrap()
                .downcast::<rustpython_vm::builtins::PyCode>()
                .unwrap();
            let a = Analysis::new(&code.code).unwrap();
            for isa in rpyjit_jit::isa::all_supported().unwrap() {
                let t = translate(
                    &code,
                    &a,
                    &Profile::default(),
                    &Entry::Call(kinds.clone()),
                    &*isa,
                    &HelperTable::dummy(),
                )
                .unwrap_or_else(|r| panic!("{src}: {}", r.0));
                let mut ctx = cranelift_codegen::Context::for_function(t.func);
                let compiled = ctx
                    .compile(&*isa, &mut ControlPlane::default())
                    .unwrap_or_else(|e| panic!("{} {src}: {:?}", isa.triple(), e.inner));
                assert!(compiled.code_buffer().len() > 0);
            }
        }
    });
}
