//! Values between native code and objects: reference counting, boxing of unboxed ints,
//! floats and bools, and the speculative unboxing guard.

use std::panic::{catch_unwind, AssertUnwindSafe};

use super::call::{enter, run, NativeCtx};
use crate::vm;

/// Adds a reference. Invariant: `p` is a live object (or 0, ignored).
pub unsafe extern "C" fn incref(p: u64) -> u64 {
    if p != 0 {
        // SAFETY: the caller's contract: a live object.
        std::mem::forget(unsafe { vm::obj(p) }.to_owned());
    }
    p
}

/// Drops a reference (0 is ignored). Invariant: `p` carries an owned reference. A panic in
/// a destructor is swallowed rather than unwinding into native code.
pub unsafe extern "C" fn decref(p: u64) -> u64 {
    if p != 0 {
        // SAFETY: the caller's contract: an owned reference it gives up.
        let _ = catch_unwind(AssertUnwindSafe(|| drop(unsafe { vm::take(p) })));
    }
    0
}

/// Drops the references in an array: `p[0]` is their number `n`, `p[1..=n]` the
/// references (0 entries ignored). Invariant: each carries an owned reference, and `p`
/// points to `n + 1` readable words. A frame's return drops all its locals with one call
/// rather than a compare-and-swap sequence per local in its code.
pub unsafe extern "C" fn decref_all(p: u64) -> u64 {
    let p = p as *const u64;
    // SAFETY: the caller's contract: `p[0]` words follow `p`.
    let n = unsafe { *p } as usize;
    for i in 1..=n {
        // SAFETY: as above, and each is an owned reference given up.
        unsafe { decref(*p.add(i)) };
    }
    0
}

/// Boxes an `i64` as an `int`. Invariant: called under `with_vm`.
pub unsafe extern "C" fn box_int(v: u64) -> u64 {
    // SAFETY: the caller's contract: native code runs under `with_vm`.
    let running = unsafe { vm::current_vm() };
    vm::give(running.ctx.new_int(v as i64).into())
}

/// Boxes `f64` bits as a `float`. Invariant: called under `with_vm`.
pub unsafe extern "C" fn box_float(v: u64) -> u64 {
    // SAFETY: the caller's contract: native code runs under `with_vm`.
    let running = unsafe { vm::current_vm() };
    vm::give(running.ctx.new_float(f64::from_bits(v)).into())
}

/// Boxes 0/1 as `False`/`True`. Invariant: called under `with_vm`.
pub unsafe extern "C" fn box_bool(v: u64) -> u64 {
    // SAFETY: the caller's contract: native code runs under `with_vm`.
    let running = unsafe { vm::current_vm() };
    vm::give(running.ctx.new_bool(v != 0).into())
}

/// Speculative unboxing (arg 0 = int, 1 = float): ops[0] = an object (borrowed) →
/// status 0 with ops[1] = its `i64` / `f64` bits if it is an exact int in range / an
/// exact float, else status 1 (the guard fails; nothing raised).
pub(super) unsafe extern "C" fn h_unbox(
    ctx: *const NativeCtx<'static>,
    ops: *mut u64,
    arg: u64,
) -> i64 {
    // SAFETY: native code calls this as an `OpsHelper` with the operand slots above.
    let (ctx, mut ops) = unsafe { enter(ctx, ops, 2) };
    run(ctx, |_, vm| {
        let o = ops.get(0);
        let bits = if arg == 0 {
            o.downcast_ref_if_exact::<rustpython_vm::builtins::PyInt>(vm)
                .and_then(|i| i64::try_from(i.as_bigint()).ok())
                .map(|v| v as u64)
        } else {
            o.downcast_ref_if_exact::<rustpython_vm::builtins::PyFloat>(vm)
                .map(|f| f.to_f64().to_bits())
        };
        Ok(match bits {
            Some(b) => {
                ops.set_bits(1, b);
                0
            }
            None => 1,
        })
    })
}
