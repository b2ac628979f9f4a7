//! Leaving native code at an exit site: the saved values become an interpreter frame
//! state ([`crate::deopt::frame_state`]), a raise no handler covers leaves the function
//! directly, a site that keeps exiting drops its assumption or gives up (as
//! [`crate::policy`] says), and the function continues in the interpreter in the frame
//! native code ran in.

use std::sync::atomic::Ordering;

use rustpython_vm::builtins::{PyBaseExceptionRef, PyCode, PyFunction};
use rustpython_vm::bytecode::Instruction;
use rustpython_vm::{Py, PyObjectRef, PyRef, PyResult, VirtualMachine};

use super::backedge::take_pending_signal;
use super::compile::Native;
use super::registry::Target;
use crate::deopt::{self, hand_back, ExitBuffer, FrameState};
use crate::frames::{NativePosition, RestoreLasti};
use crate::helpers::NativeCtx;
use crate::policy;
use crate::stats::STATS;
use crate::translate;

/// Native code left at exit `site` with its values saved in `buf`: continues the function
/// in the interpreter (or lets a raised exception leave it) and returns what it returns.
/// `position`, `restore` and `too_many_exits` are [`super::enter::run_native`]'s.
#[allow(clippy::too_many_arguments)]
pub(super) fn leave_at_exit(
    vm: &VirtualMachine,
    c: &Target,
    func: &Py<PyFunction>,
    native: &Native,
    site: usize,
    buf: &ExitBuffer,
    ctx: &NativeCtx<'_>,
    position: NativePosition,
    restore: Option<RestoreLasti>,
    too_many_exits: &dyn Fn(&str),
) -> PyResult {
    let exit = &native.t.exits[site];
    // SAFETY: native code returned `site`: that exit stored its values in `buf`.
    let (locals, stack) = unsafe { deopt::saved_values(vm, exit, buf) }?;
    if exit.kind == translate::ExitKind::Raise {
        if let Some(exc) = leave_with_exception(c, ctx, exit, &locals) {
            // Not a deopt: the saved values are only released.
            return Err(exc);
        }
    }
    STATS.deopt(
        &c.original.code.qualname.to_string(),
        exit.resume_at,
        exit.reason,
    );
    let pending = match exit.kind {
        translate::ExitKind::Signal => take_pending_signal(),
        translate::ExitKind::Raise => Some(
            ctx.exc
                .borrow_mut()
                .take()
                .unwrap_or_else(|| vm.new_system_error("rpyjit: exception lost at an exit")),
        ),
        _ => None,
    };
    let state = deopt::state_at_exit(vm, &c.analysis, exit, locals, stack, pending);
    let cont = continuation_for(vm, c, native, site, &state)?;
    if exit.kind != translate::ExitKind::Signal
        && policy::too_many_deopts(native.site_deopts[site].fetch_add(1, Ordering::Relaxed) + 1)
        && native.generalized(vm, c, site).is_none()
    {
        too_many_exits(&format!(
            "exits keep happening at one site: {}",
            exit.reason
        ));
    }
    continue_in_interpreter(vm, c, func, ctx, position, restore, cont, state)
}

/// The continuation code for exit `site` resuming with `state`'s shape, built on first
/// use.
fn continuation_for(
    vm: &VirtualMachine,
    c: &Target,
    native: &Native,
    site: usize,
    state: &FrameState,
) -> PyResult<PyRef<PyCode>> {
    let mut map = native
        .continuations
        .lock()
        .unwrap_or_else(|p| p.into_inner());
    let key = (site, state.shape());
    Ok(match map.get(&key) {
        Some(code) => code.clone(),
        None => {
            let code = deopt::continuation_code(vm, &c.original, &c.analysis, state)
                .map_err(|e| vm.new_system_error(format!("rpyjit: {}", e.0)))?;
            map.insert(key, code.clone());
            code
        }
    })
}

/// Runs continuation `cont` from `state`. The continuation's frame is the function's
/// frame from here on: the frame native code ran in (a stub's or a counted function's)
/// is not shown while it runs.
#[allow(clippy::too_many_arguments)]
fn continue_in_interpreter(
    vm: &VirtualMachine,
    c: &Target,
    func: &Py<PyFunction>,
    ctx: &NativeCtx<'_>,
    position: NativePosition,
    restore: Option<RestoreLasti>,
    cont: PyRef<PyCode>,
    state: FrameState,
) -> PyResult {
    if position.frame.is_null() {
        return crate::frames::with_continued(ctx, || deopt::resume(vm, func, cont, state));
    }
    // A frame the program holds (its object exists) stays the function's frame once the
    // continuation is over: see `hand_back`.
    let held = restore
        .filter(|_| crate::helpers::runs_in_own_frame(ctx))
        .and_then(|r| {
            rustpython_vm::frame::find_owned_chain_frame_by_iframe(position.frame).map(|f| (r, f))
        });
    let Some((restore, frame)) = held else {
        return crate::frames::with_hidden(position.frame, || deopt::resume(vm, func, cont, state));
    };
    let prologue = cont.code.instructions.len() as u32 - c.original.code.instructions.len() as u32;
    let (result, cont_frame) = crate::frames::with_hidden(position.frame, || {
        deopt::resume_capturing_frame(vm, func, cont, state)
    });
    match cont_frame {
        Some(cont_frame) => hand_back(
            vm,
            result,
            &cont_frame,
            &frame,
            (prologue, position.base),
            restore,
        ),
        None => result,
    }
}

/// The exception of a raise exit when no handler of the function covers the raising
/// instruction: all the interpreter would do is add the function's traceback entry and
/// unwind, so it is done here and the exception leaves the function without a
/// continuation. `None` (the exception still pending) when a handler covers it or no
/// stand-in frame could be made.
fn leave_with_exception(
    c: &Target,
    ctx: &crate::helpers::NativeCtx<'_>,
    exit: &translate::ExitSite,
    locals: &[Option<PyObjectRef>],
) -> Option<PyBaseExceptionRef> {
    let insn = c.analysis.insns[c.analysis.index_of(exit.resume_at)?];
    if c.analysis.handler_of(insn.at).is_some() {
        return None;
    }
    let exc = ctx.exc.borrow_mut().take()?;
    let new_raise = matches!(insn.op, Instruction::RaiseVarargs { .. });
    match crate::helpers::enter_traceback(ctx, &exc, insn.at, new_raise) {
        Ok(true) => {
            // The entry's frame keeps the function's locals alive with the traceback.
            crate::helpers::keep_locals(ctx, locals);
            STATS.exception(true);
            Some(exc)
        }
        Ok(false) => {
            *ctx.exc.borrow_mut() = Some(exc);
            None
        }
        // Raised while adding the entry (by `sys.exception()`): that one leaves.
        Err(e) => Some(e),
    }
}
