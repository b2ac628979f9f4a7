//! Narrow helpers for the instruction forms the interpreter quickens: each does the one
//! case its form was specialized on (a list indexed by an int, `len(x)`, `list.append`,
//! ...) and nothing else, without the generic dispatch of `h_binary_op` or `h_call`.
//!
//! Unlike the generic helpers they **borrow** the containers and indexes they read:
//! native code keeps its references and drops them after the helper succeeded (most are
//! borrowed from locals, so nothing is counted at all). A value stored or appended and
//! the arguments of a call are taken over on success, as by the generic helpers.
//! Status: `0` = done (results in `ops`), `1` = not the
//! case the form assumed (nothing done: native code leaves before the instruction and
//! the interpreter does it; a recompilation drops the assumption when that repeats),
//! negative = raised (what the generic operation raises in this case).
//!
//! Those that may run Python code (`__len__`, `__str__`, ...) look at pending signals
//! before they return, as `h_call` does after every call.
//!
//! An int index comes either as an object (`arg` bit 0 clear) or as the raw bits of an
//! unboxed `i64` (`arg` bit 0 set) in its slot.

use std::sync::Mutex;

use rustpython_vm::builtins::{PyDict, PyInt, PyList, PyStr, PyTuple};
use rustpython_vm::{AsObject, PyObjectRef, PyResult, VirtualMachine};

use super::call::{enter, run, NativeCtx, Ops};

use crate::abi::{COMPARE_EQ, RAW_INDEX, STR_1, TYPE_1};

/// The index operand in `ops[i]`: an unboxed `i64`, or an exact `int` in `i64` range.
fn index_operand(ops: &Ops<'_>, vm: &VirtualMachine, i: usize, arg: u64) -> Option<i64> {
    if arg & RAW_INDEX != 0 {
        return Some(ops.words(i..i + 1)[0] as i64);
    }
    let int = ops.get(i).downcast_ref_if_exact::<PyInt>(vm)?;
    i64::try_from(int.as_bigint()).ok()
}

/// `i` as a position in a sequence of `len` items (negative counts from the end).
fn position(i: i64, len: usize) -> Option<usize> {
    let i = if i < 0 { i.checked_add(len as i64)? } else { i };
    usize::try_from(i).ok().filter(|&i| i < len)
}

/// `items[i]` of a `what` (`list`, `tuple`), with its IndexError.
fn item_at(vm: &VirtualMachine, items: &[PyObjectRef], i: i64, what: &str) -> PyResult {
    position(i, items.len())
        .map(|p| items[p].clone())
        .ok_or_else(|| vm.new_index_error(format!("{what} index out of range")))
}

/// BINARY_OP_SUBSCR_LIST_INT: ops = [list, index] → ops[0] = list[index].
pub(super) unsafe extern "C" fn h_subscr_list_int(
    ctx: *const NativeCtx<'static>,
    ops: *mut u64,
    arg: u64,
) -> i64 {
    // SAFETY: native code calls this as an `OpsHelper` with the operand slots above.
    let (ctx, mut ops) = unsafe { enter(ctx, ops, 2) };
    run(ctx, |_, vm| {
        let (Some(list), Some(i)) = (
            ops.get(0).downcast_ref_if_exact::<PyList>(vm),
            index_operand(&ops, vm, 1, arg),
        ) else {
            return Ok(1);
        };
        let item = item_at(vm, &list.borrow_vec(), i, "list")?;
        ops.set(0, item);
        Ok(0)
    })
}

/// BINARY_OP_SUBSCR_TUPLE_INT: ops = [tuple, index] → ops[0] = tuple[index].
pub(super) unsafe extern "C" fn h_subscr_tuple_int(
    ctx: *const NativeCtx<'static>,
    ops: *mut u64,
    arg: u64,
) -> i64 {
    // SAFETY: native code calls this as an `OpsHelper` with the operand slots above.
    let (ctx, mut ops) = unsafe { enter(ctx, ops, 2) };
    run(ctx, |_, vm| {
        let (Some(tuple), Some(i)) = (
            ops.get(0).downcast_ref_if_exact::<PyTuple>(vm),
            index_operand(&ops, vm, 1, arg),
        ) else {
            return Ok(1);
        };
        let item = item_at(vm, tuple.as_slice(), i, "tuple")?;
        ops.set(0, item);
        Ok(0)
    })
}

/// BINARY_OP_SUBSCR_STR_INT: ops = [str, index] → ops[0] = str[index] (a one-character
/// string: the interned one for Latin-1 characters).
pub(super) unsafe extern "C" fn h_subscr_str_int(
    ctx: *const NativeCtx<'static>,
    ops: *mut u64,
    arg: u64,
) -> i64 {
    use rustpython_vm::convert::ToPyObject;
    use rustpython_vm::sliceable::SliceableSequenceOp;
    // SAFETY: native code calls this as an `OpsHelper` with the operand slots above.
    let (ctx, mut ops) = unsafe { enter(ctx, ops, 2) };
    run(ctx, |_, vm| {
        let (Some(s), Some(i)) = (
            ops.get(0).downcast_ref_if_exact::<PyStr>(vm),
            index_operand(&ops, vm, 1, arg),
        ) else {
            return Ok(1);
        };
        let i = isize::try_from(i).map_err(|_| vm.new_index_error("string index out of range"))?;
        let ch = s.getitem_by_index(vm, i)?.to_pyobject(vm);
        ops.set(0, ch);
        Ok(0)
    })
}

/// COMPARE_OP_STR (arg = the comparison, 2 `==` or 3 `!=`): ops = [a, b] → ops[0] =
/// the result as 0/1, for two exact strs.
pub(super) unsafe extern "C" fn h_compare_str(
    ctx: *const NativeCtx<'static>,
    ops: *mut u64,
    arg: u64,
) -> i64 {
    // SAFETY: native code calls this as an `OpsHelper` with the operand slots above.
    let (ctx, mut ops) = unsafe { enter(ctx, ops, 2) };
    run(ctx, |_, vm| {
        let (Some(a), Some(b)) = (
            ops.get(0).downcast_ref_if_exact::<PyStr>(vm),
            ops.get(1).downcast_ref_if_exact::<PyStr>(vm),
        ) else {
            return Ok(1);
        };
        let equal = a.as_wtf8() == b.as_wtf8();
        ops.set_bits(0, u64::from(equal == (arg == COMPARE_EQ)));
        Ok(0)
    })
}

/// BINARY_OP_SUBSCR_DICT: ops = [dict, key] → ops[0] = dict[key] (exact dicts: no
/// `__missing__`).
pub(super) unsafe extern "C" fn h_subscr_dict(
    ctx: *const NativeCtx<'static>,
    ops: *mut u64,
    _: u64,
) -> i64 {
    // SAFETY: native code calls this as an `OpsHelper` with the operand slots above.
    let (ctx, mut ops) = unsafe { enter(ctx, ops, 2) };
    run(ctx, |_, vm| {
        let Some(dict) = ops.get(0).downcast_ref_if_exact::<PyDict>(vm) else {
            return Ok(1);
        };
        let key = ops.get(1);
        match dict.get_item_opt(key, vm)? {
            Some(v) => {
                ops.set(0, v);
                Ok(0)
            }
            None => Err(vm.new_key_error(key.to_owned())),
        }
    })
}

/// STORE_SUBSCR_LIST_INT: ops = [value (taken), list, index]; `list[index] = value`.
pub(super) unsafe extern "C" fn h_store_subscr_list_int(
    ctx: *const NativeCtx<'static>,
    ops: *mut u64,
    arg: u64,
) -> i64 {
    // SAFETY: native code calls this as an `OpsHelper` with the operand slots above.
    let (ctx, mut ops) = unsafe { enter(ctx, ops, 3) };
    run(ctx, |_, vm| {
        let (Some(list), Some(i)) = (
            ops.get(1).downcast_ref_if_exact::<PyList>(vm),
            index_operand(&ops, vm, 2, arg),
        ) else {
            return Ok(1);
        };
        let list = list.to_owned();
        // The old item is dropped after the lock is released: its destructor may run
        // Python code that touches the list.
        let old = {
            let mut items = list.borrow_vec_mut();
            let Some(p) = position(i, items.len()) else {
                drop(items);
                return Err(vm.new_index_error("list assignment index out of range"));
            };
            std::mem::replace(&mut items[p], ops.take(0))
        };
        drop(old);
        Ok(0)
    })
}

/// STORE_SUBSCR_DICT: ops = [value (taken), dict, key]; `dict[key] = value`.
pub(super) unsafe extern "C" fn h_store_subscr_dict(
    ctx: *const NativeCtx<'static>,
    ops: *mut u64,
    _: u64,
) -> i64 {
    // SAFETY: native code calls this as an `OpsHelper` with the operand slots above.
    let (ctx, mut ops) = unsafe { enter(ctx, ops, 3) };
    run(ctx, |_, vm| {
        let Some(dict) = ops.get(1).downcast_ref_if_exact::<PyDict>(vm) else {
            return Ok(1);
        };
        dict.set_item(ops.get(2), ops.get(0).to_owned(), vm)?;
        ops.release(1);
        Ok(0)
    })
}

/// CALL_LEN: ops = [object (taken)] → ops[1] = `len(object)` as raw `i64` bits.
pub(super) unsafe extern "C" fn h_len(
    ctx: *const NativeCtx<'static>,
    ops: *mut u64,
    _: u64,
) -> i64 {
    // SAFETY: native code calls this as an `OpsHelper` with the operand slots above.
    let (ctx, mut ops) = unsafe { enter(ctx, ops, 2) };
    run(ctx, |_, vm| {
        // A length is at most `isize::MAX`: it fits.
        let n = ops.get(0).length(vm)?;
        rustpython_vm::signal::check_signals(vm)?;
        ops.release(1);
        ops.set_bits(1, n as u64);
        Ok(0)
    })
}

/// CALL_ISINSTANCE: ops = [object, class] (taken) → ops[0] = `isinstance(object, class)`
/// as 0/1.
pub(super) unsafe extern "C" fn h_isinstance(
    ctx: *const NativeCtx<'static>,
    ops: *mut u64,
    _: u64,
) -> i64 {
    // SAFETY: native code calls this as an `OpsHelper` with the operand slots above.
    let (ctx, mut ops) = unsafe { enter(ctx, ops, 2) };
    run(ctx, |_, vm| {
        let r = ops.get(0).is_instance(ops.get(1), vm)?;
        rustpython_vm::signal::check_signals(vm)?;
        ops.release(2);
        ops.set_bits(0, u64::from(r));
        Ok(0)
    })
}

/// CALL_LIST_APPEND: ops = [list, item (taken)]; `list.append(item)` on an exact list.
pub(super) unsafe extern "C" fn h_list_append_method(
    ctx: *const NativeCtx<'static>,
    ops: *mut u64,
    _: u64,
) -> i64 {
    // SAFETY: native code calls this as an `OpsHelper` with the operand slots above.
    let (ctx, mut ops) = unsafe { enter(ctx, ops, 2) };
    run(ctx, |_, vm| {
        let Some(list) = ops.get(0).downcast_ref_if_exact::<PyList>(vm) else {
            return Ok(1);
        };
        let list = list.to_owned();
        list.borrow_vec_mut().push(ops.take(1));
        Ok(0)
    })
}

/// CALL_TYPE_1, CALL_STR_1, CALL_TUPLE_1 (arg = [`crate::abi::TYPE_1`], ...): ops = [object (taken)] →
/// ops[0] = `type(object)` / `str(object)` / `tuple(object)`.
pub(super) unsafe extern "C" fn h_builtin_class_1(
    ctx: *const NativeCtx<'static>,
    ops: *mut u64,
    arg: u64,
) -> i64 {
    // SAFETY: native code calls this as an `OpsHelper` with the operand slots above.
    let (ctx, mut ops) = unsafe { enter(ctx, ops, 1) };
    run(ctx, |_, vm| {
        let o = ops.get(0);
        let r: PyObjectRef = match arg {
            TYPE_1 => o.class().to_owned().into(),
            STR_1 => o.str(vm)?.into(),
            _ => match o.downcast_ref_if_exact::<PyTuple>(vm) {
                Some(t) => t.to_owned().into(),
                None => vm.ctx.new_tuple(vm.extract_elements_with(o, Ok)?).into(),
            },
        };
        rustpython_vm::signal::check_signals(vm)?;
        ops.release(1);
        ops.set(0, r);
        Ok(0)
    })
}

/// Builtins native code recognizes by identity, per interpreter: the objects its
/// builtins module had when the JIT was installed, kept alive here for the life of the
/// process, so the addresses compiled code compares against never go to another object
/// (a program may rebind `builtins.len`; its own `len` then fails the guard).
#[derive(Clone)]
struct Known {
    interpreter: usize,
    len: Option<PyObjectRef>,
    isinstance: Option<PyObjectRef>,
    list_append: PyObjectRef,
}

static KNOWN: Mutex<Vec<Known>> = Mutex::new(Vec::new());

/// Records `vm`'s builtins for [`known_addresses`]; before user code runs.
pub(super) fn remember_known(vm: &VirtualMachine) -> PyResult<()> {
    let known = Known {
        interpreter: crate::policy::interpreter_key(vm),
        len: builtin_function(vm, "len")?,
        isinstance: builtin_function(vm, "isinstance")?,
        list_append: vm.ctx.types.list_type.as_object().get_attr("append", vm)?,
    };
    let mut all = KNOWN.lock().unwrap_or_else(|p| p.into_inner());
    all.retain(|k| k.interpreter != known.interpreter);
    all.push(known);
    Ok(())
}

/// `builtins.name` if it is the builtin function itself (an embedder may have rebound it
/// before the JIT was installed: then no call matches the fast path).
fn builtin_function(vm: &VirtualMachine, name: &'static str) -> PyResult<Option<PyObjectRef>> {
    let f = vm.builtins.get_attr(name, vm)?;
    let genuine = f.class().is(vm.ctx.types.builtin_function_or_method_type)
        && f.get_attr("__self__", vm)?.is(&vm.builtins)
        && f.get_attr("__name__", vm)?
            .downcast_ref::<PyStr>()
            .is_some_and(|n| n.as_wtf8() == name);
    Ok(genuine.then_some(f))
}

/// The addresses of `len`, `isinstance` and `list.append` for `vm` (0 when the JIT's
/// helpers were not installed in it, or one is not the genuine builtin: nothing then
/// matches).
pub(super) fn known_addresses(vm: &VirtualMachine) -> [usize; 3] {
    let key = crate::policy::interpreter_key(vm);
    let all = KNOWN.lock().unwrap_or_else(|p| p.into_inner());
    all.iter()
        .find(|k| k.interpreter == key)
        .map(|k| {
            [k.len.as_ref(), k.isinstance.as_ref(), Some(&k.list_append)]
                .map(|o| o.map_or(0, |o| crate::vm::address_of(o.as_object()) as usize))
        })
        .unwrap_or([0; 3])
}
