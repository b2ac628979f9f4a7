//! Stand-in frames: functions that run a code object made from a function's own code in
//! that function's place (the continuations of deoptimized functions), and frame objects
//! for a function that has no interpreter frame of its own (natively called functions,
//! and frames of other threads that the VM cannot show; see
//! [`super::other_threads`]).

use rustpython_vm::builtins::{PyCode, PyDictRef, PyFunction};
use rustpython_vm::frame::FrameObjectRef;
use rustpython_vm::function::{FuncArgs, KwArgs};
use rustpython_vm::{AsObject, Py, PyObjectRef, PyRef, PyResult, VirtualMachine};

/// The builtin a frame maker calls: the calling frame, materialized.
pub const FRAME_BUILTIN: &str = "__rpyjit_frame__";

/// A function whose call returns a frame object for `code` running as `func` (its name,
/// file, line table and globals; the cells of `func`'s closure left empty), and the
/// length of the prologue that frame's `lasti` is shifted by: the frame of unit `u`
/// of `code` has `lasti` `p + u`.
pub(crate) fn frame_maker(
    vm: &VirtualMachine,
    func: &Py<PyFunction>,
    code: &Py<PyCode>,
) -> Option<(PyObjectRef, u32)> {
    let (made, p) = frame_making_code(vm, code);
    let maker = detached_stand_in(vm, func, made).ok()?;
    Some((maker, p))
}

/// [`frame_maker`] for code that runs without a function (a module, a class body, `exec`):
/// its name, no argument, `globals`, empty cells for its free variables.
pub(crate) fn code_frame_maker(
    vm: &VirtualMachine,
    code: &Py<PyCode>,
    globals: PyDictRef,
) -> Option<(PyObjectRef, u32)> {
    let (made, p) = frame_making_code(vm, code);
    let closure: PyObjectRef = if code.code.freevars.is_empty() {
        vm.ctx.none()
    } else {
        let cells = (0..code.code.freevars.len())
            .map(|_| vm.ctx.types.cell_type.as_object().call((), vm))
            .collect::<PyResult<Vec<_>>>()
            .ok()?;
        vm.ctx.new_tuple(cells).into()
    };
    let name = vm.ctx.new_str(code.code.obj_name.as_str());
    let maker = vm
        .ctx
        .types
        .function_type
        .as_object()
        .call((made, globals, name, vm.ctx.none(), closure), vm)
        .ok()?;
    Some((maker, p))
}

/// `code` behind a prologue that returns the running frame, and the prologue's length.
fn frame_making_code(vm: &VirtualMachine, code: &Py<PyCode>) -> (PyRef<PyCode>, u32) {
    let made = crate::rewrite::with_prologue(vm, code, 0, 2, |e| {
        e.emit(
            rustpython_vm::bytecode::Instruction::Resume {
                context: rustpython_vm::bytecode::Arg::marker(),
            },
            0,
        );
        e.call_builtin(FRAME_BUILTIN);
        e.emit(rustpython_vm::bytecode::Instruction::ReturnValue, 0);
    });
    let p = (made.code.instructions.len() - code.code.instructions.len()) as u32;
    (made, p)
}

/// A frame object made by `maker` (from [`frame_maker`] for `code`).
pub(crate) fn made_frame(
    vm: &VirtualMachine,
    maker: &PyObjectRef,
    code: &Py<PyCode>,
) -> Option<FrameObjectRef> {
    maker
        .call(placeholder_args(vm, code), vm)
        .ok()?
        .downcast()
        .ok()
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
