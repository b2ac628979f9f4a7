//! Traceback entries and frames of native code: the stand-in frames exceptions caught in
//! native code name ([`TracebackFrames`]), the entry the interpreter adds before it unwinds
//! ([`enter_traceback`]), and the locals those frames keep.

use crate::abi::TracebackFrames;
use rustpython_vm::builtins::PyBaseException;
use rustpython_vm::{Py, PyObjectRef, PyPayload, PyResult};

use super::exceptions::contextualize;

use super::call::{enter, run, NativeCtx};

impl TracebackFrames {
    /// A frame for `ctx`'s function and the prologue length its `tb_lasti` is shifted by;
    /// `None` if it cannot be made (the caller then lets the interpreter raise).
    pub(crate) fn frame(
        &self,
        ctx: &NativeCtx<'_>,
    ) -> Option<(rustpython_vm::frame::FrameObjectRef, u32)> {
        let vm = ctx.vm;
        let (maker, p) = self
            .maker
            // Kept for the compiled function's lifetime: without the cells of the function
            // it was first made for.
            .get_or_init(|| crate::frames::frame_maker(vm, ctx.func, ctx.code))
            .as_ref()?;
        Some((crate::frames::made_frame(vm, maker, ctx.code)?, *p))
    }
}

/// What the interpreter does to an exception raised at unit `at` of the function before
/// it unwinds: adds the function's traceback entry (with this activation's stand-in
/// frame) and sets `__context__` to the exception being handled (for a `raise`
/// statement, `new_raise`, or an exception without a traceback yet). False if no
/// stand-in frame could be made; nothing is changed then.
pub fn enter_traceback(
    ctx: &NativeCtx<'_>,
    exc: &Py<PyBaseException>,
    at: u32,
    new_raise: bool,
) -> PyResult<bool> {
    let vm = ctx.vm;
    let Some(line) = ctx
        .code
        .code
        .locations
        .get(at as usize)
        .map(|(loc, _)| loc.line)
    else {
        return Ok(false);
    };
    // The frame native code runs in is the one the interpreter would name (so
    // `tb.tb_frame is sys._getframe()` in a handler); a function called natively has
    // none and gets its stand-in, the frame `sys._getframe()` shows for it.
    let own = runs_in_own_frame(ctx);
    let cached = ctx.tb_frame.borrow().clone();
    let frame = cached.or_else(|| {
        let made = if own {
            running_frame(ctx)?
        } else {
            ctx.tb_frames.frame(ctx)?
        };
        *ctx.tb_frame.borrow_mut() = Some(made.clone());
        Some(made)
    });
    let Some((frame, p)) = frame else {
        return Ok(false);
    };
    if !own {
        // The stand-in's own position is its prologue's return; as the frame of the
        // raising instruction its `f_lineno` is that instruction's line (what the
        // interpreter's frame reads once the exception has left it).
        frame.set_lasti(p + at + 1);
    }
    let had_traceback = exc.traceback().is_some();
    let entry = rustpython_vm::builtins::PyTraceback::new(
        exc.traceback(),
        frame,
        ((p + at) * 2) as i32,
        line,
    );
    exc.set_traceback(Some(entry.into_ref(&vm.ctx)));
    if new_raise || !had_traceback {
        contextualize(vm, exc)?;
    }
    Ok(true)
}

/// Whether native code runs in an interpreter frame whose code holds the function's units
/// from `position.base` on, its position written to that frame's own `lasti` (a stub's
/// frame, a counted function's own; not a frame reporting elsewhere, see
/// [`crate::frames::NativePosition::reporting_to`]).
pub(crate) fn runs_in_own_frame(ctx: &NativeCtx<'_>) -> bool {
    let pos = &ctx.position;
    // SAFETY: a non-null frame of a running activation is live (see `NativePosition`).
    !pos.frame.is_null() && std::ptr::eq(pos.lasti, unsafe { &(*pos.frame).lasti })
}

/// The frame object of the interpreter frame native code runs in (materialized as
/// `sys._getframe` does) and the unit the function's units start at in its code.
fn running_frame(ctx: &NativeCtx<'_>) -> Option<(rustpython_vm::frame::FrameObjectRef, u32)> {
    let target = ctx.position.frame;
    let mut cur = rustpython_vm::frame::current_thread_iframe();
    let mut k = 0;
    while !cur.is_null() {
        if std::ptr::eq(cur, target) {
            let f = rustpython_vm::frame::frame_at_offset(k, ctx.vm)?;
            return Some((f, ctx.position.base));
        }
        // SAFETY: frames on the thread's chain are live while it runs this code.
        cur = unsafe { (*cur).previous() };
        k += 1;
    }
    None
}

/// The frame of an exception's traceback entry keeps the activation's locals, as the
/// interpreter's frame does for as long as the traceback lives (`f_locals`, and what
/// `weakref`s to those objects see): the exception leaves the function with `locals`
/// (by slot, as its exit saved them), written through the frame's locals proxy. Cells
/// are left alone (a stand-in has none of the function's).
pub fn keep_locals(ctx: &NativeCtx<'_>, locals: &[Option<PyObjectRef>]) {
    use rustpython_vm::bytecode::{CO_FAST_CELL, CO_FAST_FREE};
    let Some((frame, _)) = ctx.tb_frame.borrow().clone() else {
        return;
    };
    let vm = ctx.vm;
    let code = &ctx.code.code;
    let Ok(proxy) = frame.f_locals(vm) else {
        return;
    };
    let names = crate::frames::localsplus_names(code);
    for (i, v) in locals.iter().enumerate() {
        let (Some(v), Some(name)) = (v, names.get(i)) else {
            continue;
        };
        let cell = code
            .localspluskinds
            .get(i)
            .is_some_and(|k| k & (CO_FAST_CELL | CO_FAST_FREE) != 0);
        if !cell {
            // A failure only leaves that local out of the frame.
            let _ = proxy.set_item(*name, v.clone(), vm);
        }
    }
}

/// Before RETURN_VALUE (at unit `arg`) in a frame of native code's own: if the program
/// holds that frame's object, the frame keeps the locals the function returns with (its
/// `f_locals` once the call is over), written through its locals proxy from what native
/// code stored (see [`crate::translate::Translation::spilled`]). Never fails.
pub(super) unsafe extern "C" fn h_keep_frame_locals(
    ctx: *const NativeCtx<'static>,
    ops: *mut u64,
    arg: u64,
) -> i64 {
    // SAFETY: native code calls this as an `OpsHelper` with the operand slots above.
    let (ctx, _) = unsafe { enter(ctx, ops, 0) };
    run(ctx, |ctx, vm| {
        let Some(frame) =
            rustpython_vm::frame::find_owned_chain_frame_by_iframe(ctx.position.frame)
        else {
            return Ok(0);
        };
        let Some(locals) = crate::frames::spilled_locals(ctx, arg as u32, vm, false) else {
            return Ok(0);
        };
        if let Ok(proxy) = frame.f_locals(vm) {
            for (name, value) in locals {
                // A failure only leaves that local out of the frame.
                let _ = proxy.set_item(&*name, value, vm);
            }
        }
        Ok(0)
    })
}
