//! Running a continuation: the saved values are queued for its prologue, and the
//! exception being handled is set up.

use std::collections::VecDeque;

use rustpython_vm::builtins::{PyCode, PyFunction};
use rustpython_vm::frame::FrameObjectRef;
use rustpython_vm::{AsObject, Py, PyObjectRef, PyRef, PyResult, VirtualMachine};

use crate::frames::{placeholder_args, stand_in};

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
