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
//!
//! - [`frame_state`]: the frame state, and reading it back from an exit's saved values.
//! - [`continuation`]: building continuation code objects.
//! - [`resume`]: running them (and the stand-in frames helpers need).
//! - [`hand_back`]: a frame the program holds takes a finished continuation's state.
//!
//! Rewriting the code objects themselves is [`crate::rewrite`].

mod continuation;
pub mod frame_state;
mod hand_back;
mod resume;

use std::cell::RefCell;
use std::collections::VecDeque;

use rustpython_vm::builtins::PyBaseExceptionRef;
use rustpython_vm::frame::FrameObjectRef;
use rustpython_vm::{PyObjectRef, PyResult, VirtualMachine};

pub use continuation::continuation_code;
pub use frame_state::FrameState;
pub(crate) use frame_state::{saved_values, state_at_exit, unmarshal, ExitBuffer};
pub(crate) use hand_back::hand_back;
pub use resume::{resume, resume_capturing_frame};

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
