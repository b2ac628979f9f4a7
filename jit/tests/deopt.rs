//! Deoptimization rebuilds an interpreter frame from an exact state: the function continues
//! from the given instruction with the given locals and value stack, its own exception
//! handlers still apply, and tracebacks show its original lines.

mod common;
use common::{define_fn, interpreter};

use rpyjit_jit::bytecode::Analysis;
use rpyjit_jit::deopt::{self, FrameState};
use rustpython_vm::builtins::{PyCode, PyFunction};
use rustpython_vm::bytecode::Instruction;
use rustpython_vm::{AsObject, PyObjectRef, PyRef, VirtualMachine};

fn define(vm: &VirtualMachine, src: &str, name: &str) -> PyRef<PyFunction> {
    define_fn(vm, src, name)
}

fn code_of(vm: &VirtualMachine, f: &PyRef<PyFunction>) -> PyRef<PyCode> {
    f.as_object()
        .get_attr("__code__", vm)
        .unwrap()
        .downcast()
        .unwrap()
}

fn unit_of(a: &Analysis, pred: impl Fn(Instruction) -> bool) -> u32 {
    a.insns
        .iter()
        .find(|i| pred(i.op))
        .expect("instruction")
        .start
}

fn resume(
    vm: &VirtualMachine,
    f: &PyRef<PyFunction>,
    state: FrameState,
) -> rustpython_vm::PyResult {
    deopt::install(vm).unwrap();
    let code = code_of(vm, f);
    let a = Analysis::new(&code.code).unwrap();
    let cont = deopt::continuation_code(vm, &code, &a, &state).unwrap();
    deopt::resume(vm, f, cont, state)
}

fn int(vm: &VirtualMachine, v: i64) -> Option<PyObjectRef> {
    Some(vm.ctx.new_int(v).into())
}

fn eval(vm: &VirtualMachine, src: &str) -> PyObjectRef {
    let code = vm
        .compile(src, rustpython_vm::compiler::Mode::Eval, "<e>")
        .unwrap();
    vm.run_code_obj(code, vm.new_scope_with_builtins()).unwrap()
}

fn repr(vm: &VirtualMachine, o: &PyObjectRef) -> String {
    o.repr(vm).unwrap().to_string()
}

#[test]
fn resumes_a_for_loop_with_its_iterator_on_the_stack() {
    interpreter().enter(|vm| {
        let f = define(
            vm,
            r#"def f(xs, scale):
    total = 0
    for x in xs:
        total += x * scale
    return total
"#,
            "f",
        );
        let a = Analysis::new(&code_of(vm, &f).code).unwrap();
        let at = unit_of(&a, |op| matches!(op, Instruction::ForIter { .. }));
        // State after two iterations of f([1, 2, 3, 4], 10).
        let it = eval(
            vm,
            "(lambda it: (next(it), next(it), it)[2])(iter([1, 2, 3, 4]))",
        );
        let state = FrameState {
            resume_at: at,
            locals: vec![
                Some(eval(vm, "[1, 2, 3, 4]")),
                int(vm, 10),
                int(vm, 30),
                int(vm, 2),
            ],
            stack: vec![Some(it)],
            pending: None,
            handling: None,
        };
        let r = resume(vm, &f, state).unwrap();
        assert_eq!(repr(vm, &r), "100");
    });
}

#[test]
fn the_functions_own_except_clause_still_catches_after_resuming() {
    interpreter().enter(|vm| {
        let src = r#"def g(a, b):
    out = []
    for i in range(3):
        try:
            out.append(a // (b - i))
        except ZeroDivisionError:
            out.append('zero')
    return out
"#;
        let g = define(vm, src, "g");
        let a = Analysis::new(&code_of(vm, &g).code).unwrap();
        let at = unit_of(&a, |op| matches!(op, Instruction::ForIter { .. }));
        let it = eval(vm, "(lambda it: (next(it), it)[1])(iter(range(3)))");
        let state = FrameState {
            resume_at: at,
            locals: vec![int(vm, 6), int(vm, 1), Some(eval(vm, "[6]")), int(vm, 0)],
            stack: vec![Some(it)],
            pending: None,
            handling: None,
        };
        let r = resume(vm, &g, state).unwrap();
        assert_eq!(repr(vm, &r), "[6, 'zero', -6]");
    });
}

#[test]
fn an_uncaught_exception_after_resuming_reports_the_original_line() {
    interpreter().enter(|vm| {
        let src = r#"def h(n):
    k = n
    while k > 0:
        k -= 1
    return 10 // k
"#;
        let h = define(vm, src, "h");
        let a = Analysis::new(&code_of(vm, &h).code).unwrap();
        // Resume at the loop test with k = 0: the loop ends and `10 // 0` raises on line 5.
        let at = a
            .insns
            .iter()
            .find(|i| {
                matches!(
                    i.op,
                    Instruction::LoadFast { .. } | Instruction::LoadFastBorrow { .. }
                )
            })
            .map(|i| i.start)
            .unwrap();
        let state = FrameState {
            resume_at: at,
            locals: vec![int(vm, 3), int(vm, 0)],
            stack: vec![],
            pending: None,
            handling: None,
        };
        let err = resume(vm, &h, state).unwrap_err();
        assert!(err.fast_isinstance(vm.ctx.exceptions.zero_division_error));
        let tb = err.traceback().expect("traceback");
        let mut last = tb.clone();
        loop {
            let next = last.next.lock().clone();
            match next {
                Some(n) => last = n,
                None => break,
            }
        }
        assert_eq!(last.lineno.get(), 5);
        let name = last
            .frame
            .as_object()
            .get_attr("f_code", vm)
            .unwrap()
            .get_attr("co_name", vm)
            .unwrap();
        assert_eq!(repr(vm, &name), "'h'");
    });
}

#[test]
fn null_stack_slots_and_cells_are_restored() {
    interpreter().enter(|vm| {
        let src = r#"def outer():
    n = 40
    def inc(k):
        nonlocal n
        n += k
        return len([n]) + n
    return inc
"#;
        let outer = define(vm, src, "outer");
        let inc: PyRef<PyFunction> = outer.as_object().call((), vm).unwrap().downcast().unwrap();
        let code = code_of(vm, &inc);
        let a = Analysis::new(&code.code).unwrap();
        // Resume at `return len([n]) + n`'s CALL: stack = [len, NULL, [n]].
        let at = unit_of(&a, |op| matches!(op, Instruction::Call { .. }));
        let cell = inc.as_object().get_attr("__closure__", vm).unwrap();
        let cell = vm.call_method(&cell, "__getitem__", (0,)).unwrap();
        vm.call_method(&cell, "__setattr__", ("cell_contents", 41))
            .unwrap();
        let state = FrameState {
            resume_at: at,
            locals: vec![int(vm, 1), Some(cell.clone())],
            stack: vec![
                Some(vm.builtins.get_attr("len", vm).unwrap()),
                None,
                Some(eval(vm, "[41]")),
            ],
            pending: None,
            handling: None,
        };
        let r = resume(vm, &inc, state).unwrap();
        assert_eq!(repr(vm, &r), "42");
    });
}

#[test]
fn a_state_that_does_not_match_the_analysis_is_refused() {
    interpreter().enter(|vm| {
        let f = define(
            vm,
            r#"def f(xs):
    for x in xs:
        pass
"#,
            "f",
        );
        let code = code_of(vm, &f);
        let a = Analysis::new(&code.code).unwrap();
        let at = unit_of(&a, |op| matches!(op, Instruction::ForIter { .. }));
        let state = FrameState {
            resume_at: at,
            locals: vec![None, None],
            stack: vec![],
            pending: None,
            handling: None,
        };
        assert!(deopt::continuation_code(vm, &code, &a, &state).is_err());
    });
}
