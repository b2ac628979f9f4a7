//! Deoptimization: continue a function in the interpreter from an exact frame state.
//!
//! RustPython 0.6 has no public way to build a frame at an arbitrary instruction with a
//! given value stack. What it does allow is running any code object, so a frame is rebuilt
//! as a **continuation code object**: a short prologue followed by the function's original
//! instructions. Jumps are relative, so the original instructions stay valid when shifted;
//! the exception table, the per-unit source locations and the line table are rebased so
//! handlers, tracebacks and `f_lineno` are the original ones.
//!
//! The prologue fetches each saved value from a builtin (`__rpyjit_restore__`, reached via
//! `LOAD_GLOBAL`, which falls back to builtins) and then jumps to the resume point:
//!
//! ```text
//! RESUME 0
//! LOAD_GLOBAL restore+NULL; CALL 0; STORE_FAST slot     for every bound local or cell
//! DELETE_FAST slot                                      for an unbound argument slot
//! LOAD_GLOBAL restore+NULL; CALL 0  | PUSH_NULL         for every value-stack slot
//! EXTENDED_ARG*; JUMP_FORWARD target
//! ```
//!
//! The values are queued in a thread-local just before the continuation is called and the
//! prologue consumes all of them before any user code runs, so nested deopts cannot mix.

use std::cell::RefCell;
use std::collections::VecDeque;

use rustpython_vm::builtins::{PyBaseExceptionRef, PyCode, PyDictRef, PyFunction};
use rustpython_vm::bytecode::{self, Instruction};
use rustpython_vm::frame::FrameObjectRef;
use rustpython_vm::function::{FuncArgs, KwArgs};
use rustpython_vm::{AsObject, Py, PyObjectRef, PyRef, PyResult, VirtualMachine};

use crate::bytecode::Analysis;

/// The builtin the continuation prologue calls to fetch the next saved value.
pub const RESTORE_BUILTIN: &str = "__rpyjit_restore__";

thread_local! {
    static PENDING: RefCell<VecDeque<PyObjectRef>> = const { RefCell::new(VecDeque::new()) };
    /// An exception the prologue raises once every value is restored (a pending signal
    /// noticed by native code): it then surfaces at the resume point's line.
    static PENDING_EXC: RefCell<Option<PyBaseExceptionRef>> = const { RefCell::new(None) };
    /// The exception being handled at the resume point, made current by the prologue.
    static PENDING_HANDLED: RefCell<Option<Option<PyBaseExceptionRef>>> =
        const { RefCell::new(None) };
    /// The continuation's frame object, when [`resume_capturing_frame`] asked for it
    /// (`Some(None)` until the prologue's first restore records it).
    static CAPTURED_FRAME: RefCell<Option<Option<FrameObjectRef>>> = const { RefCell::new(None) };
}

/// The builtin the continuation prologue calls, inside a handler, to make the exception
/// being handled current again.
pub const RESTORE_HANDLED_BUILTIN: &str = "__rpyjit_restore_handled__";

/// The exact interpreter state of a function at an instruction boundary.
pub struct FrameState {
    /// Unit index of the instruction to execute next (its first `EXTENDED_ARG`, if any).
    pub resume_at: u32,
    /// Every local, cell and free slot in `localsplus` order; `None` = unbound (NULL).
    pub locals: Vec<Option<PyObjectRef>>,
    /// The value stack, bottom first; `None` = a NULL slot (e.g. the self-or-null of a call).
    pub stack: Vec<Option<PyObjectRef>>,
    /// Raised at the resume point, inside the function, before its next instruction.
    pub pending: Option<PyBaseExceptionRef>,
    /// Resuming inside an exception handler: the exception handled when the function
    /// leaves its handlers (the outermost one's saved previous exception), and the one
    /// being handled at the resume point. The continuation's frame starts from the first
    /// (a frame restores on exit the exception handled when it was entered) and its
    /// prologue makes the second current.
    pub handling: Option<(Option<PyBaseExceptionRef>, Option<PyBaseExceptionRef>)>,
}

/// Why a continuation could not be built: the function then must not be compiled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeoptError(pub String);

/// Installs the prologue's builtin. Call once per interpreter.
pub fn install(vm: &VirtualMachine) -> PyResult<()> {
    let restore = vm.new_function(RESTORE_BUILTIN, |vm: &VirtualMachine| -> PyResult {
        CAPTURED_FRAME.with(|c| {
            if let Some(f @ None) = &mut *c.borrow_mut() {
                *f = vm.current_frame();
            }
        });
        if let Some(v) = PENDING.with(|p| p.borrow_mut().pop_front()) {
            return Ok(v);
        }
        match PENDING_EXC.with(|p| p.borrow_mut().take()) {
            Some(exc) => Err(exc),
            None => {
                Err(vm.new_system_error("rpyjit: continuation prologue ran without saved state"))
            }
        }
    });
    vm.builtins.set_attr(RESTORE_BUILTIN, restore, vm)?;
    let restore_handled = vm.new_function(RESTORE_HANDLED_BUILTIN, |vm: &VirtualMachine| {
        if let Some(exc) = PENDING_HANDLED.with(|p| p.borrow_mut().take()) {
            vm.set_exception(exc);
        }
    });
    vm.builtins
        .set_attr(RESTORE_HANDLED_BUILTIN, restore_handled, vm)
}

/// A continuation code object for `code` resuming with the shape of `state` (which slots
/// are NULL, the stack's NULL positions), checked against the bytecode analysis.
pub fn continuation_code(
    vm: &VirtualMachine,
    code: &Py<PyCode>,
    analysis: &Analysis,
    state: &FrameState,
) -> Result<PyRef<PyCode>, DeoptError> {
    let orig = &code.code;
    let k = analysis
        .index_of(state.resume_at)
        .ok_or_else(|| DeoptError(format!("unit {} is not an instruction", state.resume_at)))?;
    let depth = analysis.depth[k]
        .ok_or_else(|| DeoptError(format!("unit {} is unreachable", state.resume_at)))?;
    if depth as usize != state.stack.len() {
        return Err(DeoptError(format!(
            "stack of {} values at unit {}, analysis says {depth}",
            state.stack.len(),
            state.resume_at
        )));
    }
    let nslots = orig.localspluskinds.len();
    if state.locals.len() != nslots {
        return Err(DeoptError(format!(
            "{} local slots, code has {nslots}",
            state.locals.len()
        )));
    }

    let nargs = orig.arg_count
        + orig.kwonlyarg_count
        + u32::from(orig.flags.contains(bytecode::CodeFlags::VARARGS))
        + u32::from(orig.flags.contains(bytecode::CodeFlags::VARKEYWORDS));
    let code = crate::rewrite::with_prologue(vm, code, state.resume_at, depth + 3, |e| {
        e.emit(
            Instruction::Resume {
                context: bytecode::Arg::marker(),
            },
            0,
        );
        for (slot, v) in state.locals.iter().enumerate() {
            match v {
                Some(_) => {
                    e.call_builtin(RESTORE_BUILTIN);
                    e.emit(
                        Instruction::StoreFast {
                            var_num: bytecode::Arg::marker(),
                        },
                        slot as u32,
                    );
                }
                // Argument slots are bound by the call; an unbound one must be cleared again.
                None if (slot as u32) < nargs => e.emit(
                    Instruction::DeleteFast {
                        var_num: bytecode::Arg::marker(),
                    },
                    slot as u32,
                ),
                None => {}
            }
        }
        for v in &state.stack {
            match v {
                Some(_) => e.call_builtin(RESTORE_BUILTIN),
                None => e.emit(Instruction::PushNull, 0),
            }
        }
        if state.handling.is_some() {
            e.call_builtin(RESTORE_HANDLED_BUILTIN);
            e.emit(Instruction::PopTop, 0);
        }
        if state.pending.is_some() {
            // Raised as if by the instruction at the resume point: its handler applies.
            let start = e.units.len() as u32;
            e.call_builtin(RESTORE_BUILTIN);
            e.raises_at(start, state.resume_at);
            e.emit(Instruction::PopTop, 0);
        }
        // JUMP_FORWARD is relative to the unit after it, where the original code starts.
        e.emit_wide(
            Instruction::JumpForward {
                delta: bytecode::Arg::marker(),
            },
            state.resume_at,
            3,
        );
    });
    Ok(code)
}

/// Continues `func` in the interpreter from `state` and returns what the function returns
/// (or raises). `cont` must come from [`continuation_code`] for the same state shape.
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
