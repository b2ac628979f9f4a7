//! Exceptions: `raise`, catching in native code, the exception being handled
//! (`PUSH_EXC_INFO`/`POP_EXCEPT`, bare `raise`, `__context__`), `except` matching and
//! `with` blocks left by an exception.

use rustpython_vm::builtins::{PyBaseException, PyBaseExceptionRef, PyTuple};
use rustpython_vm::{AsObject, Py, PyResult, VirtualMachine};

use super::traceback::enter_traceback;

use super::call::{enter, run, NativeCtx};

/// RAISE_VARARGS 1 or 2 (arg = argc): ops = [exc] or [exc, cause]. Always fails: the
/// exception (instantiated, with its cause) is raised at the instruction.
pub(super) unsafe extern "C" fn h_raise(
    ctx: *const NativeCtx<'static>,
    ops: *mut u64,
    arg: u64,
) -> i64 {
    // SAFETY: native code calls this as an `OpsHelper` with the operand slots above.
    let (ctx, ops) = unsafe { enter(ctx, ops, arg as usize) };
    run(ctx, |_, vm| {
        use rustpython_vm::exceptions::ExceptionCtor;
        use rustpython_vm::TryFromObject;
        let cause = if arg == 2 {
            let c = ops.get(1);
            Some(if vm.is_none(c) {
                None
            } else {
                let ctor = ExceptionCtor::try_from_object(vm, c.to_owned()).map_err(|_| {
                    vm.new_type_error("exception causes must derive from BaseException")
                })?;
                Some(ctor.instantiate(vm)?)
            })
        } else {
            None
        };
        let exc = ExceptionCtor::try_from_object(vm, ops.get(0).to_owned())?.instantiate(vm)?;
        if let Some(cause) = cause {
            exc.set_cause(cause);
        }
        Err(exc)
    })
}

// ---- exception handlers -----------------------------------------------------------------

/// Native code catching the exception its last helper raised, at the instruction at
/// unit `arg & 0xffff_ffff` (bit 32 set for a `raise` statement), in a handler of the
/// function: ops[0] = the exception, with what the interpreter adds before it unwinds
/// ([`enter_traceback`]) → status 0. Status 1 leaves the exception pending untouched, for
/// an exit to the interpreter.
pub(super) unsafe extern "C" fn h_catch(
    ctx: *const NativeCtx<'static>,
    ops: *mut u64,
    arg: u64,
) -> i64 {
    // SAFETY: native code calls this as an `OpsHelper` with the operand slots above.
    let (ctx, mut ops) = unsafe { enter(ctx, ops, 1) };
    run(ctx, |ctx, vm| {
        let Some(exc) = ctx.exc.borrow_mut().take() else {
            return Err(vm.new_system_error("rpyjit: no exception to catch"));
        };
        if !enter_traceback(ctx, &exc, (arg & 0xffff_ffff) as u32, arg & (1 << 32) != 0)? {
            *ctx.exc.borrow_mut() = Some(exc);
            return Ok(1);
        }
        crate::stats::STATS.exception(false);
        ops.set(0, exc.into());
        Ok(0)
    })
}

/// The topmost handled exception: the current one, or past the slots generators push,
/// what `sys.exception()` finds (the VM's own lookup is not public).
fn handled_exception(vm: &VirtualMachine) -> PyResult<Option<PyBaseExceptionRef>> {
    if let Some(e) = vm.current_exception() {
        return Ok(Some(e));
    }
    Ok(vm
        .builtins
        .get_attr(ORIGINAL_SYS_EXCEPTION, vm)?
        .call((), vm)?
        .downcast::<PyBaseException>()
        .ok())
}

/// RAISE_VARARGS 0 (a bare `raise`): ops[0] = the exception being handled, to re-raise
/// as it is; status 1 if there is none (the interpreter raises its RuntimeError).
pub(super) unsafe extern "C" fn h_handled_exception(
    ctx: *const NativeCtx<'static>,
    ops: *mut u64,
    _: u64,
) -> i64 {
    // SAFETY: native code calls this as an `OpsHelper` with the operand slots above.
    let (ctx, mut ops) = unsafe { enter(ctx, ops, 1) };
    run(ctx, |_, vm| match handled_exception(vm)? {
        Some(exc) => {
            ops.set(0, exc.into());
            Ok(0)
        }
        None => Ok(1),
    })
}

/// Sets `exc.__context__` to the exception being handled, breaking a cycle through it:
/// the VM's `contextualize_exception`, which is not public.
pub(super) fn contextualize(vm: &VirtualMachine, exc: &Py<PyBaseException>) -> PyResult<()> {
    let Some(context) = handled_exception(vm)? else {
        return Ok(());
    };
    if context.is(exc) {
        return Ok(());
    }
    let (mut o, mut slow) = (context.clone(), context.clone());
    let mut toggle = false;
    while let Some(next) = o.__context__() {
        if next.is(exc) {
            o.set_context(None);
            break;
        }
        o = next;
        if o.is(&slow) {
            break;
        }
        if toggle {
            if let Some(s) = slow.__context__() {
                slow = s;
            }
        }
        toggle = !toggle;
    }
    exc.set_context(Some(context));
    Ok(())
}

/// PUSH_EXC_INFO: ops[0] = the exception (borrowed: it stays on the stack above) → the
/// exception handled before (or None), which POP_EXCEPT restores; the exception becomes
/// the one being handled (`sys.exception()`).
pub(super) unsafe extern "C" fn h_push_exc_info(
    ctx: *const NativeCtx<'static>,
    ops: *mut u64,
    _: u64,
) -> i64 {
    // SAFETY: native code calls this as an `OpsHelper` with the operand slots above.
    let (ctx, mut ops) = unsafe { enter(ctx, ops, 1) };
    run(ctx, |_, vm| {
        let prev = vm
            .current_exception()
            .map_or_else(|| vm.ctx.none(), Into::into);
        if let Some(exc) = ops.get(0).downcast_ref::<PyBaseException>() {
            vm.set_exception(Some(exc.to_owned()));
        }
        ops.set(0, prev);
        Ok(0)
    })
}

/// POP_EXCEPT: ops[0] = the exception handled before the handler (taken) becomes the one
/// being handled again.
pub(super) unsafe extern "C" fn h_pop_except(
    ctx: *const NativeCtx<'static>,
    ops: *mut u64,
    _: u64,
) -> i64 {
    // SAFETY: native code calls this as an `OpsHelper` with the operand slots above.
    let (ctx, mut ops) = unsafe { enter(ctx, ops, 1) };
    run(ctx, |_, vm| {
        let prev = ops.take(0);
        vm.set_exception(prev.downcast::<PyBaseException>().ok());
        Ok(0)
    })
}

/// CHECK_EXC_MATCH: ops = [exception (borrowed, stays), type or tuple of types (taken)] →
/// ops[0] = whether the exception matches, as a bool object. A type that is not an
/// exception class raises the interpreter's TypeError.
pub(super) unsafe extern "C" fn h_check_exc_match(
    ctx: *const NativeCtx<'static>,
    ops: *mut u64,
    _: u64,
) -> i64 {
    // SAFETY: native code calls this as an `OpsHelper` with the operand slots above.
    let (ctx, mut ops) = unsafe { enter(ctx, ops, 2) };
    run(ctx, |_, vm| {
        let (exc, ty) = (ops.get(0), ops.get(1));
        let base = vm.ctx.exceptions.base_exception_type;
        let not_exception = || {
            vm.new_type_error(
                "catching classes that do not inherit from BaseException is not allowed",
            )
        };
        match ty.downcast_ref::<PyTuple>() {
            Some(types) => {
                for t in types {
                    if !t.is_subclass(base.into(), vm)? {
                        return Err(not_exception());
                    }
                }
            }
            None if !ty.is_subclass(base.into(), vm)? => return Err(not_exception()),
            None => {}
        }
        let matched = exc.is_instance(ty, vm)?;
        drop(ops.take(1));
        ops.set(0, vm.ctx.new_bool(matched).into());
        Ok(0)
    })
}

/// WITH_EXCEPT_START: ops = [exit, self or NULL] (borrowed: they stay on the stack) →
/// ops[0] = what `exit(self, type, exception, traceback)` returns for the exception being
/// handled, as the interpreter calls it when an exception leaves a `with` block.
pub(super) unsafe extern "C" fn h_with_except_start(
    ctx: *const NativeCtx<'static>,
    ops: *mut u64,
    _: u64,
) -> i64 {
    // SAFETY: native code calls this as an `OpsHelper` with the operand slots above.
    let (ctx, mut ops) = unsafe { enter(ctx, ops, 2) };
    run(ctx, |_, vm| {
        let exit = ops.get(0);
        let (tp, val, tb) = match vm.current_exception() {
            Some(exc) => vm.split_exception(exc),
            None => (vm.ctx.none(), vm.ctx.none(), vm.ctx.none()),
        };
        let result = if ops.is_set(1) {
            exit.call((ops.get(1).to_owned(), tp, val, tb), vm)?
        } else {
            exit.call((tp, val, tb), vm)?
        };
        ops.set(0, result);
        Ok(0)
    })
}

/// The interpreter's `sys.exception` (a builtin), as it started.
pub(super) const ORIGINAL_SYS_EXCEPTION: &str = "__rpyjit_sys_exception__";
