//! Operators: binary and unary operators, subscripts and slices, comparisons, `in`,
//! truth values.

use rustpython_vm::builtins::PySlice;
use rustpython_vm::bytecode::{BinaryOperator, ComparisonOperator};
use rustpython_vm::types::PyComparisonOp;
use rustpython_vm::{AsObject, PyObject, PyObjectRef, PyPayload, PyResult, VirtualMachine};

use super::call::{enter, run, NativeCtx};
use super::dunders;

fn binary(vm: &VirtualMachine, op: BinaryOperator, a: &PyObject, b: &PyObject) -> PyResult {
    use BinaryOperator as B;
    let none = vm.ctx.none.as_object();
    match op {
        B::Add => vm._add(a, b),
        B::And => vm._and(a, b),
        B::FloorDivide => vm._floordiv(a, b),
        B::Lshift => vm._lshift(a, b),
        B::MatrixMultiply => vm._matmul(a, b),
        B::Multiply => vm._mul(a, b),
        B::Remainder => vm._mod(a, b),
        B::Or => vm._or(a, b),
        B::Power => vm._pow(a, b, none),
        B::Rshift => vm._rshift(a, b),
        B::Subtract => vm._sub(a, b),
        B::TrueDivide => vm._truediv(a, b),
        B::Xor => vm._xor(a, b),
        B::InplaceAdd => vm._iadd(a, b),
        B::InplaceAnd => vm._iand(a, b),
        B::InplaceFloorDivide => vm._ifloordiv(a, b),
        B::InplaceLshift => vm._ilshift(a, b),
        B::InplaceMatrixMultiply => vm._imatmul(a, b),
        B::InplaceMultiply => vm._imul(a, b),
        B::InplaceRemainder => vm._imod(a, b),
        B::InplaceOr => vm._ior(a, b),
        B::InplacePower => vm._ipow(a, b, none),
        B::InplaceRshift => vm._irshift(a, b),
        B::InplaceSubtract => vm._isub(a, b),
        B::InplaceTrueDivide => vm._itruediv(a, b),
        B::InplaceXor => vm._ixor(a, b),
        B::Subscr => a.get_item(b, vm),
    }
}

/// BINARY_OP (arg = operator): ops = [a, b] → result.
pub(super) unsafe extern "C" fn h_binary_op(
    ctx: *const NativeCtx<'static>,
    ops: *mut u64,
    arg: u64,
) -> i64 {
    // SAFETY: native code calls this as an `OpsHelper` with the operand slots above.
    let (ctx, mut ops) = unsafe { enter(ctx, ops, 2) };
    run(ctx, |_, vm| {
        let op = BinaryOperator::try_from(arg as u32)
            .map_err(|_| vm.new_system_error("rpyjit: bad BINARY_OP operator"))?;
        let (a, b) = (ops.get(0), ops.get(1));
        let r = match dunders::python_binary_op(vm, op, a, b) {
            Some(r) => r?,
            None => binary(vm, op, a, b)?,
        };
        ops.release(2);
        ops.set(0, r);
        Ok(0)
    })
}

fn slice_of(vm: &VirtualMachine, start: &PyObject, stop: &PyObject) -> PyObjectRef {
    PySlice {
        start: Some(start.to_owned()),
        stop: stop.to_owned(),
        step: None,
    }
    .into_ref(&vm.ctx)
    .into()
}

/// BINARY_SLICE: ops = [container, start, stop] → container[start:stop].
pub(super) unsafe extern "C" fn h_binary_slice(
    ctx: *const NativeCtx<'static>,
    ops: *mut u64,
    _: u64,
) -> i64 {
    // SAFETY: native code calls this as an `OpsHelper` with the operand slots above.
    let (ctx, mut ops) = unsafe { enter(ctx, ops, 3) };
    run(ctx, |_, vm| {
        let slice = slice_of(vm, ops.get(1), ops.get(2));
        let r = ops.get(0).get_item(&*slice, vm)?;
        ops.release(3);
        ops.set(0, r);
        Ok(0)
    })
}

/// STORE_SLICE: ops = [value, container, start, stop].
pub(super) unsafe extern "C" fn h_store_slice(
    ctx: *const NativeCtx<'static>,
    ops: *mut u64,
    _: u64,
) -> i64 {
    // SAFETY: native code calls this as an `OpsHelper` with the operand slots above.
    let (ctx, mut ops) = unsafe { enter(ctx, ops, 4) };
    run(ctx, |_, vm| {
        let slice = slice_of(vm, ops.get(2), ops.get(3));
        ops.get(1).set_item(&*slice, ops.get(0).to_owned(), vm)?;
        ops.release(4);
        Ok(0)
    })
}

/// STORE_SUBSCR: ops = [value, container, key].
pub(super) unsafe extern "C" fn h_store_subscr(
    ctx: *const NativeCtx<'static>,
    ops: *mut u64,
    _: u64,
) -> i64 {
    // SAFETY: native code calls this as an `OpsHelper` with the operand slots above.
    let (ctx, mut ops) = unsafe { enter(ctx, ops, 3) };
    run(ctx, |_, vm| {
        ops.get(1).set_item(ops.get(2), ops.get(0).to_owned(), vm)?;
        ops.release(3);
        Ok(0)
    })
}

/// DELETE_SUBSCR: ops = [container, key].
pub(super) unsafe extern "C" fn h_delete_subscr(
    ctx: *const NativeCtx<'static>,
    ops: *mut u64,
    _: u64,
) -> i64 {
    // SAFETY: native code calls this as an `OpsHelper` with the operand slots above.
    let (ctx, mut ops) = unsafe { enter(ctx, ops, 2) };
    run(ctx, |_, vm| {
        ops.get(0).del_item(ops.get(1), vm)?;
        ops.release(2);
        Ok(0)
    })
}

/// COMPARE_OP (arg = oparg): ops = [a, b]. With the bool bit (16) the status is the
/// truth of the result; without it ops[0] = the result object.
pub(super) unsafe extern "C" fn h_compare(
    ctx: *const NativeCtx<'static>,
    ops: *mut u64,
    arg: u64,
) -> i64 {
    // SAFETY: native code calls this as an `OpsHelper` with the operand slots above.
    let (ctx, mut ops) = unsafe { enter(ctx, ops, 2) };
    run(ctx, |_, vm| {
        let op = ComparisonOperator::try_from(arg as u32)
            .map_err(|_| vm.new_system_error("rpyjit: bad COMPARE_OP operator"))?;
        let cmp: PyComparisonOp = op.into();
        let (a, b) = (ops.get(0), ops.get(1));
        let r = match dunders::python_compare(vm, cmp, a, b) {
            Some(r) => r?,
            None => a.rich_compare(b, cmp, vm)?,
        };
        if arg & 16 != 0 {
            let t = r.try_to_bool(vm)?;
            ops.release(2);
            Ok(i64::from(t))
        } else {
            ops.release(2);
            ops.set(0, r);
            Ok(0)
        }
    })
}

/// CONTAINS_OP (arg = invert): ops = [needle, haystack]; status = the result.
pub(super) unsafe extern "C" fn h_contains(
    ctx: *const NativeCtx<'static>,
    ops: *mut u64,
    arg: u64,
) -> i64 {
    // SAFETY: native code calls this as an `OpsHelper` with the operand slots above.
    let (ctx, mut ops) = unsafe { enter(ctx, ops, 2) };
    run(ctx, |_, vm| {
        let r = vm._contains(ops.get(1), ops.get(0))?;
        ops.release(2);
        Ok(i64::from(r != (arg != 0)))
    })
}

/// TO_BOOL: ops = [v]; status = its truth.
pub(super) unsafe extern "C" fn h_to_bool(
    ctx: *const NativeCtx<'static>,
    ops: *mut u64,
    _: u64,
) -> i64 {
    // SAFETY: native code calls this as an `OpsHelper` with the operand slots above.
    let (ctx, mut ops) = unsafe { enter(ctx, ops, 1) };
    run(ctx, |_, vm| {
        let t = match builtin_container_truth(vm, ops.get(0)) {
            Some(t) => t,
            None => ops.get(0).to_owned().try_to_bool(vm)?,
        };
        ops.release(1);
        Ok(i64::from(t))
    })
}

/// The truth of an exact str, list, tuple or dict: whether it is non-empty, which is all
/// the generic test (`__bool__`, then `__len__`) finds for them (`TO_BOOL_STR`,
/// `TO_BOOL_LIST`). `None` for anything else.
fn builtin_container_truth(vm: &VirtualMachine, o: &PyObject) -> Option<bool> {
    use rustpython_vm::builtins::{PyDict, PyList, PyStr, PyTuple};
    if let Some(s) = o.downcast_ref_if_exact::<PyStr>(vm) {
        return Some(!s.is_empty());
    }
    if let Some(l) = o.downcast_ref_if_exact::<PyList>(vm) {
        return Some(!l.borrow_vec().is_empty());
    }
    if let Some(t) = o.downcast_ref_if_exact::<PyTuple>(vm) {
        return Some(!t.as_slice().is_empty());
    }
    o.downcast_ref_if_exact::<PyDict>(vm)
        .map(|d| d.__len__() != 0)
}

/// UNARY_NEGATIVE: ops = [v] → -v.
pub(super) unsafe extern "C" fn h_unary_negative(
    ctx: *const NativeCtx<'static>,
    ops: *mut u64,
    _: u64,
) -> i64 {
    // SAFETY: native code calls this as an `OpsHelper` with the operand slots above.
    let (ctx, mut ops) = unsafe { enter(ctx, ops, 1) };
    run(ctx, |_, vm| {
        let r = vm._neg(ops.get(0))?;
        ops.release(1);
        ops.set(0, r);
        Ok(0)
    })
}

/// UNARY_INVERT: ops = [v] → ~v.
pub(super) unsafe extern "C" fn h_unary_invert(
    ctx: *const NativeCtx<'static>,
    ops: *mut u64,
    _: u64,
) -> i64 {
    // SAFETY: native code calls this as an `OpsHelper` with the operand slots above.
    let (ctx, mut ops) = unsafe { enter(ctx, ops, 1) };
    run(ctx, |_, vm| {
        let r = vm._invert(ops.get(0))?;
        ops.release(1);
        ops.set(0, r);
        Ok(0)
    })
}

/// CALL_INTRINSIC_1 UNARY_POSITIVE: ops = [x] → `+x`.
pub(super) unsafe extern "C" fn h_unary_positive(
    ctx: *const NativeCtx<'static>,
    ops: *mut u64,
    _: u64,
) -> i64 {
    // SAFETY: native code calls this as an `OpsHelper` with the operand slots above.
    let (ctx, mut ops) = unsafe { enter(ctx, ops, 1) };
    run(ctx, |_, vm| {
        let r = vm._pos(ops.get(0))?;
        ops.release(1);
        ops.set(0, r);
        Ok(0)
    })
}
