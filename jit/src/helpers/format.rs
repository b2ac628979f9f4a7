//! Formatting (f-strings): `FORMAT_SIMPLE`, `FORMAT_WITH_SPEC`, `CONVERT_VALUE`.

use rustpython_vm::builtins::PyStr;
use rustpython_vm::PyObjectRef;

use super::call::{enter, run, NativeCtx};

/// FORMAT_SIMPLE: ops = [v] → format(v, '').
pub(super) unsafe extern "C" fn h_format_simple(
    ctx: *const NativeCtx<'static>,
    ops: *mut u64,
    _: u64,
) -> i64 {
    // SAFETY: native code calls this as an `OpsHelper` with the operand slots above.
    let (ctx, mut ops) = unsafe { enter(ctx, ops, 1) };
    run(ctx, |_, vm| {
        let s = vm.format(ops.get(0), vm.ctx.new_str(""))?;
        ops.release(1);
        ops.set(0, s.into());
        Ok(0)
    })
}

/// FORMAT_WITH_SPEC: ops = [v, spec] → format(v, spec).
pub(super) unsafe extern "C" fn h_format_with_spec(
    ctx: *const NativeCtx<'static>,
    ops: *mut u64,
    _: u64,
) -> i64 {
    // SAFETY: native code calls this as an `OpsHelper` with the operand slots above.
    let (ctx, mut ops) = unsafe { enter(ctx, ops, 2) };
    run(ctx, |_, vm| {
        let spec = ops
            .get(1)
            .to_owned()
            .downcast::<PyStr>()
            .map_err(|_| vm.new_system_error("rpyjit: format spec is not a str"))?;
        let s = vm.format(ops.get(0), spec)?;
        ops.release(2);
        ops.set(0, s.into());
        Ok(0)
    })
}

/// CONVERT_VALUE (arg = 1 str, 2 repr, 3 ascii): ops = [v] → converted.
pub(super) unsafe extern "C" fn h_convert_value(
    ctx: *const NativeCtx<'static>,
    ops: *mut u64,
    arg: u64,
) -> i64 {
    // SAFETY: native code calls this as an `OpsHelper` with the operand slots above.
    let (ctx, mut ops) = unsafe { enter(ctx, ops, 1) };
    run(ctx, |_, vm| {
        let v = ops.get(0);
        let r: PyObjectRef = match arg {
            1 => v.str(vm)?.into(),
            2 => v.repr(vm)?.into(),
            3 => vm
                .builtins
                .get_attr("ascii", vm)?
                .call((v.to_owned(),), vm)?,
            _ => v.to_owned(),
        };
        ops.release(1);
        ops.set(0, r);
        Ok(0)
    })
}
