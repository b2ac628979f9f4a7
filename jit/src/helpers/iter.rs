//! Iteration: `GET_ITER` and `FOR_ITER`.

use super::call::{enter, run, NativeCtx};

/// GET_ITER: ops = [iterable] → iterator.
pub(super) unsafe extern "C" fn h_get_iter(
    ctx: *const NativeCtx<'static>,
    ops: *mut u64,
    _: u64,
) -> i64 {
    // SAFETY: native code calls this as an `OpsHelper` with the operand slots above.
    let (ctx, mut ops) = unsafe { enter(ctx, ops, 1) };
    run(ctx, |_, vm| {
        let it = ops.get(0).to_owned().get_iter(vm)?;
        ops.release(1);
        ops.set(0, it.into());
        Ok(0)
    })
}

/// FOR_ITER: ops = [iterator (borrowed, stays)]; status 0 with ops[1] = the next value,
/// or 1 when exhausted.
pub(super) unsafe extern "C" fn h_for_iter(
    ctx: *const NativeCtx<'static>,
    ops: *mut u64,
    _: u64,
) -> i64 {
    // SAFETY: native code calls this as an `OpsHelper` with the operand slots above.
    let (ctx, mut ops) = unsafe { enter(ctx, ops, 2) };
    use rustpython_vm::protocol::{PyIter, PyIterReturn};
    run(ctx, |_, vm| match PyIter::new(ops.get(0)).next(vm)? {
        PyIterReturn::Return(v) => {
            ops.set(1, v);
            Ok(0)
        }
        PyIterReturn::StopIteration(_) => Ok(1),
    })
}
