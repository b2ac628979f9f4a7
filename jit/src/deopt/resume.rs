//! Running a continuation: the saved values are queued for its prologue, and the
//! exception being handled is set up. Also the stand-in frames helpers make for a
//! function without an interpreter frame of its own.

use std::collections::VecDeque;

use rustpython_vm::builtins::{PyCode, PyDictRef, PyFunction};
use rustpython_vm::frame::FrameObjectRef;
use rustpython_vm::function::{FuncArgs, KwArgs};
use rustpython_vm::{AsObject, Py, PyObjectRef, PyRef, PyResult, VirtualMachine};

use super::{FrameState, CAPTURED_FRAME, PENDING, PENDING_EXC, PENDING_HANDLED};

/// Continues `func` in the interpreter from `state` and returns what the function returns
/// (or raises). `cont` must come from [`super::continuation_code`] for the same state shape.
pub fn resume(
    vm: &VirtualMachine,
    func: &Py<PyFunction>,
    cont: PyRef<PyCode>,
    state: FrameState,
) -> PyResult {
    let orig = &func.as_object().get_attr("__code__", vm)?;
    let orig = orig
        .downcast_ref::<PyCode>()
        .ok_or_else(|| vm.new_type_error("rpyjit: __code__ is not a code object"))?;
    let cont_func = stand_in(vm, func, cont)?;

    // Arguments only have to bind; the prologue overwrites every slot with its saved value.
    let args = placeholder_args(vm, orig);

    let mut queue: VecDeque<PyObjectRef> = state.locals.into_iter().flatten().collect();
    queue.extend(state.stack.into_iter().flatten());
    PENDING.with(|p| {
        let mut p = p.borrow_mut();
        debug_assert!(
            p.is_empty(),
            "a previous continuation left saved values behind"
        );
        *p = queue;
    });
    PENDING_EXC.with(|p| *p.borrow_mut() = state.pending);
    if let Some((outer, current)) = state.handling {
        vm.set_exception(outer);
        PENDING_HANDLED.with(|p| *p.borrow_mut() = Some(current));
    }
    let result = cont_func.call(args, vm);
    // If binding failed before the prologue ran, do not leave values for the next deopt.
    PENDING.with(|p| p.borrow_mut().clear());
    PENDING_EXC.with(|p| p.borrow_mut().take());
    PENDING_HANDLED.with(|p| p.borrow_mut().take());
    result
}

/// [`resume`], also answering the continuation's frame object (`None` when its prologue
/// restored no value: nothing recorded it).
pub fn resume_capturing_frame(
    vm: &VirtualMachine,
    func: &Py<PyFunction>,
    cont: PyRef<PyCode>,
    state: FrameState,
) -> (PyResult, Option<FrameObjectRef>) {
    let outer = CAPTURED_FRAME.with(|c| c.borrow_mut().replace(None));
    let result = resume(vm, func, cont, state);
    let frame = CAPTURED_FRAME.with(|c| std::mem::replace(&mut *c.borrow_mut(), outer));
    (result, frame.flatten())
}

/// A function running `code` (made from `func`'s own code by a prologue) in `func`'s place:
/// its globals, closure, name and qualified name, so frames and tracebacks read as
/// `func`'s.
pub fn stand_in(vm: &VirtualMachine, func: &Py<PyFunction>, code: PyRef<PyCode>) -> PyResult {
    let closure = func.as_object().get_attr("__closure__", vm)?;
    stand_in_with_closure(vm, func, code, closure)
}

/// [`stand_in`] with empty cells for `func`'s closure: for a function kept beyond one
/// call, which must not keep the objects in `func`'s cells alive.
pub fn detached_stand_in(
    vm: &VirtualMachine,
    func: &Py<PyFunction>,
    code: PyRef<PyCode>,
) -> PyResult {
    let closure = func.as_object().get_attr("__closure__", vm)?;
    let closure = if vm.is_none(&closure) {
        closure
    } else {
        let n = closure.length(vm)?;
        let cells = (0..n)
            .map(|_| vm.ctx.types.cell_type.as_object().call((), vm))
            .collect::<PyResult<Vec<_>>>()?;
        vm.ctx.new_tuple(cells).into()
    };
    stand_in_with_closure(vm, func, code, closure)
}

fn stand_in_with_closure(
    vm: &VirtualMachine,
    func: &Py<PyFunction>,
    code: PyRef<PyCode>,
    closure: PyObjectRef,
) -> PyResult {
    let f = func.as_object();
    let globals: PyDictRef = f.get_attr("__globals__", vm)?.try_into_value(vm)?;
    let made = vm.ctx.types.function_type.as_object().call(
        (
            code,
            globals,
            f.get_attr("__name__", vm)?,
            vm.ctx.none(),
            closure,
        ),
        vm,
    )?;
    made.set_attr("__qualname__", f.get_attr("__qualname__", vm)?, vm)?;
    Ok(made)
}

/// Arguments that bind to `code`'s parameters (None for each positional and keyword-only
/// one), for running a code object made from it whose prologue never reads them.
pub fn placeholder_args(vm: &VirtualMachine, code: &Py<PyCode>) -> FuncArgs {
    let c = &code.code;
    let npos = c.arg_count as usize;
    let nkw = c.kwonlyarg_count as usize;
    FuncArgs::new(
        (0..npos).map(|_| vm.ctx.none()).collect::<Vec<_>>(),
        c.varnames[npos..npos + nkw]
            .iter()
            .map(|n| (n.as_str().to_owned(), vm.ctx.none()))
            .collect::<KwArgs>(),
    )
}
