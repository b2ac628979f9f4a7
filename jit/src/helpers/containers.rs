//! Containers: building tuples, lists, sets, dicts, strings and slices, and the in-place
//! additions comprehensions and displays make (`LIST_APPEND`, `DICT_MERGE`, ...).

use rustpython_vm::builtins::{PyDict, PyList, PySet, PySlice, PyStr};
use rustpython_vm::{AsObject, PyObjectRef, PyPayload};

use super::call::{enter, run, NativeCtx, Ops};

fn items(ops: &Ops<'_>, n: usize) -> Vec<PyObjectRef> {
    (0..n).map(|i| ops.get(i).to_owned()).collect()
}

/// BUILD_TUPLE (arg = n).
pub(super) unsafe extern "C" fn h_build_tuple(
    ctx: *const NativeCtx<'static>,
    ops: *mut u64,
    arg: u64,
) -> i64 {
    // SAFETY: native code calls this as an `OpsHelper` with the operand slots above.
    let (ctx, mut ops) = unsafe { enter(ctx, ops, (arg as usize).max(1)) };
    run(ctx, |_, vm| {
        let t = vm.ctx.new_tuple(items(&ops, arg as usize));
        ops.release(arg as usize);
        ops.set(0, t.into());
        Ok(0)
    })
}

/// BUILD_LIST (arg = n).
pub(super) unsafe extern "C" fn h_build_list(
    ctx: *const NativeCtx<'static>,
    ops: *mut u64,
    arg: u64,
) -> i64 {
    // SAFETY: native code calls this as an `OpsHelper` with the operand slots above.
    let (ctx, mut ops) = unsafe { enter(ctx, ops, (arg as usize).max(1)) };
    run(ctx, |_, vm| {
        let l = vm.ctx.new_list(items(&ops, arg as usize));
        ops.release(arg as usize);
        ops.set(0, l.into());
        Ok(0)
    })
}

/// BUILD_SET (arg = n).
pub(super) unsafe extern "C" fn h_build_set(
    ctx: *const NativeCtx<'static>,
    ops: *mut u64,
    arg: u64,
) -> i64 {
    // SAFETY: native code calls this as an `OpsHelper` with the operand slots above.
    let (ctx, mut ops) = unsafe { enter(ctx, ops, (arg as usize).max(1)) };
    run(ctx, |_, vm| {
        let set = PySet::default().into_ref(&vm.ctx);
        for v in items(&ops, arg as usize) {
            set.add(v, vm)?;
        }
        ops.release(arg as usize);
        ops.set(0, set.into());
        Ok(0)
    })
}

/// BUILD_MAP (arg = n): ops = [k0, v0, k1, v1, ...].
pub(super) unsafe extern "C" fn h_build_map(
    ctx: *const NativeCtx<'static>,
    ops: *mut u64,
    arg: u64,
) -> i64 {
    // SAFETY: native code calls this as an `OpsHelper` with the operand slots above.
    let (ctx, mut ops) = unsafe { enter(ctx, ops, (2 * arg as usize).max(1)) };
    run(ctx, |_, vm| {
        let dict = vm.ctx.new_dict();
        for i in 0..arg as usize {
            dict.set_item(ops.get(2 * i), ops.get(2 * i + 1).to_owned(), vm)?;
        }
        ops.release(2 * arg as usize);
        ops.set(0, dict.into());
        Ok(0)
    })
}

/// BUILD_STRING (arg = n): concatenates n strings.
pub(super) unsafe extern "C" fn h_build_string(
    ctx: *const NativeCtx<'static>,
    ops: *mut u64,
    arg: u64,
) -> i64 {
    // SAFETY: native code calls this as an `OpsHelper` with the operand slots above.
    let (ctx, mut ops) = unsafe { enter(ctx, ops, (arg as usize).max(1)) };
    run(ctx, |_, vm| {
        let mut s = rustpython_vm::common::wtf8::Wtf8Buf::new();
        for i in 0..arg as usize {
            let part = ops
                .get(i)
                .downcast_ref::<PyStr>()
                .ok_or_else(|| vm.new_system_error("rpyjit: BUILD_STRING on a non-str"))?;
            s.push_wtf8(part.as_wtf8());
        }
        ops.release(arg as usize);
        ops.set(0, vm.ctx.new_str(s).into());
        Ok(0)
    })
}

/// BUILD_SLICE (arg = 2 or 3): ops = [start, stop(, step)].
pub(super) unsafe extern "C" fn h_build_slice(
    ctx: *const NativeCtx<'static>,
    ops: *mut u64,
    arg: u64,
) -> i64 {
    // SAFETY: native code calls this as an `OpsHelper` with the operand slots above.
    let (ctx, mut ops) = unsafe { enter(ctx, ops, arg as usize) };
    run(ctx, |_, vm| {
        let step = (arg == 3).then(|| ops.get(2).to_owned());
        let s = PySlice {
            start: Some(ops.get(0).to_owned()),
            stop: ops.get(1).to_owned(),
            step,
        }
        .into_ref(&vm.ctx);
        ops.release(arg as usize);
        ops.set(0, s.into());
        Ok(0)
    })
}

/// LIST_APPEND: ops = [list (borrowed, stays), item].
pub(super) unsafe extern "C" fn h_list_append(
    ctx: *const NativeCtx<'static>,
    ops: *mut u64,
    _: u64,
) -> i64 {
    // SAFETY: native code calls this as an `OpsHelper` with the operand slots above.
    let (ctx, mut ops) = unsafe { enter(ctx, ops, 2) };
    run(ctx, |_, vm| {
        let list = ops
            .get(0)
            .downcast_ref::<PyList>()
            .ok_or_else(|| vm.new_system_error("rpyjit: LIST_APPEND on a non-list"))?;
        list.borrow_vec_mut().push(ops.get(1).to_owned());
        drop(ops.take(1));
        Ok(0)
    })
}

/// LIST_EXTEND: ops = [list (borrowed, stays), iterable].
pub(super) unsafe extern "C" fn h_list_extend(
    ctx: *const NativeCtx<'static>,
    ops: *mut u64,
    _: u64,
) -> i64 {
    // SAFETY: native code calls this as an `OpsHelper` with the operand slots above.
    let (ctx, mut ops) = unsafe { enter(ctx, ops, 2) };
    run(ctx, |_, vm| {
        let list = ops
            .get(0)
            .downcast_ref::<PyList>()
            .ok_or_else(|| vm.new_system_error("rpyjit: LIST_EXTEND on a non-list"))?;
        let iterable = ops.get(1).to_owned();
        let type_name = iterable.class().name().to_owned();
        let not_iterable = iterable.class().slots().iter.load().is_none()
            && iterable
                .get_class_attr(vm.ctx.intern_str("__getitem__"))
                .is_none();
        vm.call_method(list.as_object(), "extend", (iterable,))
            .map(drop)
            .map_err(|e| {
                if not_iterable && e.class().is(vm.ctx.exceptions.type_error) {
                    vm.new_type_error(format!(
                        "Value after * must be an iterable, not {type_name}"
                    ))
                } else {
                    e
                }
            })?;
        drop(ops.take(1));
        Ok(0)
    })
}

/// SET_ADD: ops = [set (borrowed, stays), item].
pub(super) unsafe extern "C" fn h_set_add(
    ctx: *const NativeCtx<'static>,
    ops: *mut u64,
    _: u64,
) -> i64 {
    // SAFETY: native code calls this as an `OpsHelper` with the operand slots above.
    let (ctx, mut ops) = unsafe { enter(ctx, ops, 2) };
    run(ctx, |_, vm| {
        let set = ops
            .get(0)
            .downcast_ref::<PySet>()
            .ok_or_else(|| vm.new_system_error("rpyjit: SET_ADD on a non-set"))?;
        set.add(ops.get(1).to_owned(), vm)?;
        drop(ops.take(1));
        Ok(0)
    })
}

/// SET_UPDATE: ops = [set (borrowed, stays), iterable].
pub(super) unsafe extern "C" fn h_set_update(
    ctx: *const NativeCtx<'static>,
    ops: *mut u64,
    _: u64,
) -> i64 {
    // SAFETY: native code calls this as an `OpsHelper` with the operand slots above.
    let (ctx, mut ops) = unsafe { enter(ctx, ops, 2) };
    run(ctx, |_, vm| {
        let set = ops.get(0).to_owned();
        vm.call_method(&set, "update", (ops.get(1).to_owned(),))?;
        drop(ops.take(1));
        Ok(0)
    })
}

/// MAP_ADD: ops = [dict (borrowed, stays), key, value].
pub(super) unsafe extern "C" fn h_map_add(
    ctx: *const NativeCtx<'static>,
    ops: *mut u64,
    _: u64,
) -> i64 {
    // SAFETY: native code calls this as an `OpsHelper` with the operand slots above.
    let (ctx, mut ops) = unsafe { enter(ctx, ops, 3) };
    run(ctx, |_, vm| {
        let dict = ops
            .get(0)
            .downcast_ref::<PyDict>()
            .ok_or_else(|| vm.new_system_error("rpyjit: MAP_ADD on a non-dict"))?;
        dict.set_item(ops.get(1), ops.get(2).to_owned(), vm)?;
        drop(ops.take(1));
        drop(ops.take(2));
        Ok(0)
    })
}

/// DICT_UPDATE: ops = [dict (borrowed, stays), mapping].
pub(super) unsafe extern "C" fn h_dict_update(
    ctx: *const NativeCtx<'static>,
    ops: *mut u64,
    _: u64,
) -> i64 {
    // SAFETY: native code calls this as an `OpsHelper` with the operand slots above.
    let (ctx, mut ops) = unsafe { enter(ctx, ops, 2) };
    run(ctx, |_, vm| {
        let dict = ops.get(0).to_owned();
        let other = ops.get(1).to_owned();
        if other.get_attr("keys", vm).is_err() {
            return Err(vm.new_type_error(format!(
                "'{}' object is not a mapping",
                other.class().name()
            )));
        }
        vm.call_method(&dict, "update", (other,))?;
        drop(ops.take(1));
        Ok(0)
    })
}

/// DICT_MERGE (the `**mapping` of a call): ops = [dict (borrowed, stays), mapping]. An
/// exact dict with string keys none of which is already there is merged; anything else
/// (a duplicate keyword, another mapping) is status 1, with nothing changed, and the
/// interpreter merges or raises with the callee's name in its message.
pub(super) unsafe extern "C" fn h_dict_merge(
    ctx: *const NativeCtx<'static>,
    ops: *mut u64,
    _: u64,
) -> i64 {
    // SAFETY: native code calls this as an `OpsHelper` with the operand slots above.
    let (ctx, mut ops) = unsafe { enter(ctx, ops, 2) };
    run(ctx, |_, vm| {
        let (Some(dict), Some(src)) = (
            ops.get(0).downcast_ref::<PyDict>(),
            ops.get(1).downcast_ref_if_exact::<PyDict>(vm),
        ) else {
            return Ok(1);
        };
        let items = src.items_vec();
        for (k, _) in &items {
            if !k.class().is(vm.ctx.types.str_type) || dict.contains_key(&**k, vm) {
                return Ok(1);
            }
        }
        for (k, v) in items {
            dict.set_item(&*k, v, vm)?;
        }
        drop(ops.take(1));
        Ok(0)
    })
}

/// CALL_INTRINSIC_1 INTRINSIC_LIST_TO_TUPLE: ops = [list] → tuple.
pub(super) unsafe extern "C" fn h_list_to_tuple(
    ctx: *const NativeCtx<'static>,
    ops: *mut u64,
    _: u64,
) -> i64 {
    // SAFETY: native code calls this as an `OpsHelper` with the operand slots above.
    let (ctx, mut ops) = unsafe { enter(ctx, ops, 1) };
    run(ctx, |_, vm| {
        let list = ops
            .get(0)
            .downcast_ref::<PyList>()
            .ok_or_else(|| vm.new_system_error("rpyjit: LIST_TO_TUPLE on a non-list"))?;
        let t = vm.ctx.new_tuple(list.borrow_vec().to_vec());
        ops.release(1);
        ops.set(0, t.into());
        Ok(0)
    })
}
