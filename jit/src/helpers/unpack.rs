//! Unpacking: `UNPACK_SEQUENCE` and `UNPACK_EX` (starred targets), with the interpreter's
//! errors.

use rustpython_vm::builtins::{PyList, PyTuple};
use rustpython_vm::{AsObject, PyObjectRef};

use super::call::{enter, run, NativeCtx};

/// An exact tuple or list of exactly `n` items in `ops[0]` unpacked into `ops[0..n]`
/// (the quickened `UNPACK_SEQUENCE_TWO_TUPLE`, `_TUPLE`, `_LIST` cases) without an
/// intermediate vector; whether it was that case.
fn unpack_exact_in_place(
    ops: &mut super::call::Ops<'_>,
    vm: &rustpython_vm::VirtualMachine,
    n: usize,
) -> bool {
    // Our own reference keeps the sequence alive while its slot is overwritten.
    let seq = ops.get(0).to_owned();
    if let Some(t) = seq.downcast_ref_if_exact::<PyTuple>(vm) {
        if t.len() != n {
            return false;
        }
        ops.release(1);
        for (i, v) in t.as_slice().iter().enumerate() {
            ops.set(n - 1 - i, v.clone());
        }
        return true;
    }
    if let Some(l) = seq.downcast_ref_if_exact::<PyList>(vm) {
        let items = l.borrow_vec();
        if items.len() != n {
            return false;
        }
        ops.release(1);
        for (i, v) in items.iter().enumerate() {
            ops.set(n - 1 - i, v.clone());
        }
        return true;
    }
    false
}

/// UNPACK_SEQUENCE (arg = n): ops = [seq] → ops[0..n] in stack order (the first item on
/// top, as the interpreter leaves them).
pub(super) unsafe extern "C" fn h_unpack_sequence(
    ctx: *const NativeCtx<'static>,
    ops: *mut u64,
    arg: u64,
) -> i64 {
    // SAFETY: native code calls this as an `OpsHelper` with the operand slots above.
    let (ctx, mut ops) = unsafe { enter(ctx, ops, (arg as usize).max(1)) };
    run(ctx, |_, vm| {
        let n = arg as usize;
        if unpack_exact_in_place(&mut ops, vm, n) {
            return Ok(0);
        }
        let seq = ops.get(0);
        // Only exact tuples and lists are read directly, as the interpreter does: a
        // subclass iterates (a struct sequence like `time.struct_time` holds more fields
        // than it yields).
        let elements: Vec<PyObjectRef> = match seq.downcast_ref_if_exact::<PyTuple>(vm) {
            Some(t) => t.as_slice().to_vec(),
            None => match seq.downcast_ref_if_exact::<PyList>(vm) {
                Some(l) => l.borrow_vec().to_vec(),
                None => {
                    let not_iterable = seq.class().slots().iter.load().is_none()
                        && seq
                            .class()
                            .get_attr(vm.ctx.intern_str("__getitem__"))
                            .is_none();
                    let it = seq.to_owned().get_iter(vm).map_err(|e| {
                        if not_iterable && e.class().is(vm.ctx.exceptions.type_error) {
                            vm.new_type_error(format!(
                                "cannot unpack non-iterable {} object",
                                seq.class().name()
                            ))
                        } else {
                            e
                        }
                    })?;
                    let mut v = Vec::with_capacity(n);
                    use rustpython_vm::protocol::PyIterReturn;
                    loop {
                        match it.next(vm)? {
                            PyIterReturn::Return(x) => {
                                if v.len() == n {
                                    return Err(vm.new_value_error(format!(
                                        "too many values to unpack (expected {n})"
                                    )));
                                }
                                v.push(x);
                            }
                            PyIterReturn::StopIteration(_) => break,
                        }
                    }
                    v
                }
            },
        };
        if elements.len() != n {
            return Err(if elements.len() < n {
                vm.new_value_error(format!(
                    "not enough values to unpack (expected {n}, got {})",
                    elements.len()
                ))
            } else {
                vm.new_value_error(format!(
                    "too many values to unpack (expected {n}, got {})",
                    elements.len()
                ))
            });
        }
        ops.release(1);
        for (i, v) in elements.into_iter().rev().enumerate() {
            ops.set(i, v);
        }
        Ok(0)
    })
}

/// UNPACK_EX (arg = before | after << 8): ops = [sequence] → `before` values, the list of
/// the rest, `after` values, in stack order (bottom first), as the interpreter unpacks.
pub(super) unsafe extern "C" fn h_unpack_ex(
    ctx: *const NativeCtx<'static>,
    ops: *mut u64,
    arg: u64,
) -> i64 {
    // SAFETY: native code calls this as an `OpsHelper` with the operand slots above.
    let (ctx, mut ops) =
        unsafe { enter(ctx, ops, (arg & 0xff) as usize + 1 + (arg >> 8) as usize) };
    run(ctx, |_, vm| {
        let (before, after) = ((arg & 0xff) as usize, (arg >> 8) as usize);
        let value = ops.get(0);
        let not_iterable = value.class().slots.iter.load().is_none()
            && value
                .class()
                .get_attr(vm.ctx.intern_str("__getitem__"))
                .is_none();
        let mut elements: Vec<PyObjectRef> = value.try_to_value(vm).map_err(|e| {
            if not_iterable && e.class().is(vm.ctx.exceptions.type_error) {
                vm.new_type_error(format!(
                    "cannot unpack non-iterable {} object",
                    value.class().name()
                ))
            } else {
                e
            }
        })?;
        let middle = elements.len().checked_sub(before + after).ok_or_else(|| {
            vm.new_value_error(format!(
                "not enough values to unpack (expected at least {}, got {})",
                before + after,
                elements.len()
            ))
        })?;
        ops.release(1);
        // The stack gets the last value deepest and the first on top.
        let tail: Vec<PyObjectRef> = elements.drain(before + middle..).collect();
        let rest = vm.ctx.new_list(elements.drain(before..).collect());
        let mut slot = 0;
        for v in tail.into_iter().rev() {
            ops.set(slot, v);
            slot += 1;
        }
        ops.set(slot, rest.into());
        slot += 1;
        for v in elements.into_iter().rev() {
            ops.set(slot, v);
            slot += 1;
        }
        Ok(0)
    })
}
