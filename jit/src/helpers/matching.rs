//! `match` statements: `MATCH_SEQUENCE`/`MATCH_MAPPING`, `GET_LEN`, `MATCH_KEYS`,
//! `MATCH_CLASS`.

use rustpython_vm::builtins::{PyDict, PyStr, PyTuple, PyType};
use rustpython_vm::types::PyComparisonOp;
use rustpython_vm::{AsObject, PyObjectRef};

use super::call::{enter, run, NativeCtx};

/// MATCH_SEQUENCE (arg 0) / MATCH_MAPPING (arg 1): ops[0] = subject (borrowed, stays) →
/// status 1 if its type is a sequence / mapping for pattern matching.
pub(super) unsafe extern "C" fn h_match_kind(
    ctx: *const NativeCtx<'static>,
    ops: *mut u64,
    arg: u64,
) -> i64 {
    // SAFETY: native code calls this as an `OpsHelper` with the operand slots above.
    let (ctx, ops) = unsafe { enter(ctx, ops, 1) };
    run(ctx, |_, _| {
        use rustpython_vm::types::PyTypeFlags;
        let flag = if arg == 0 {
            PyTypeFlags::SEQUENCE
        } else {
            PyTypeFlags::MAPPING
        };
        Ok(i64::from(
            ops.get(0).class().has_patma_collection_flag(flag),
        ))
    })
}

/// GET_LEN: ops[0] = object (borrowed, stays) → status = `len(object)`.
pub(super) unsafe extern "C" fn h_get_len(
    ctx: *const NativeCtx<'static>,
    ops: *mut u64,
    _: u64,
) -> i64 {
    // SAFETY: native code calls this as an `OpsHelper` with the operand slots above.
    let (ctx, ops) = unsafe { enter(ctx, ops, 1) };
    run(ctx, |_, vm| {
        let n = ops.get(0).length(vm)?;
        i64::try_from(n).map_err(|_| vm.new_overflow_error("length too large"))
    })
}

/// MATCH_KEYS: ops = [subject, keys] (borrowed, stay) → ops[2] = the values of the keys
/// as a tuple, or None if one is missing or the subject is not a mapping. Exact dicts
/// are matched here; status 1 leaves any other mapping to the interpreter (which calls
/// its `get`).
pub(super) unsafe extern "C" fn h_match_keys(
    ctx: *const NativeCtx<'static>,
    ops: *mut u64,
    _: u64,
) -> i64 {
    // SAFETY: native code calls this as an `OpsHelper` with the operand slots above.
    let (ctx, mut ops) = unsafe { enter(ctx, ops, 3) };
    run(ctx, |_, vm| {
        use rustpython_vm::types::PyTypeFlags;
        let (subject, keys) = (ops.get(0), ops.get(1));
        let Some(keys) = keys.downcast_ref::<PyTuple>() else {
            return Ok(1);
        };
        if !subject
            .class()
            .has_patma_collection_flag(PyTypeFlags::MAPPING)
        {
            ops.set(2, vm.ctx.none());
            return Ok(0);
        }
        let Some(dict) = subject.downcast_ref_if_exact::<PyDict>(vm) else {
            return Ok(1);
        };
        let mut seen: Vec<PyObjectRef> = Vec::with_capacity(keys.len());
        let mut values = Vec::with_capacity(keys.len());
        for key in keys.iter() {
            // Duplicate keys (value patterns can repeat at run time) raise in the
            // interpreter, with its message.
            for k in &seen {
                if k.rich_compare_bool(key, PyComparisonOp::Eq, vm)? {
                    return Ok(1);
                }
            }
            seen.push(key.clone());
            match dict.get_item_opt(&**key, vm)? {
                Some(v) => values.push(v),
                None => {
                    ops.set(2, vm.ctx.none());
                    return Ok(0);
                }
            }
        }
        ops.set(2, vm.ctx.new_tuple(values).into());
        Ok(0)
    })
}

/// MATCH_CLASS (arg = positional sub-patterns): ops = [subject, class, keyword names] →
/// ops[0] = the tuple of extracted attributes, or None. Everything that could make the
/// interpreter raise (`class` not a class, a bad or short `__match_args__`, a repeated
/// attribute) is checked first, without side effects: status 1, and the interpreter runs
/// the instruction with its messages.
pub(super) unsafe extern "C" fn h_match_class(
    ctx: *const NativeCtx<'static>,
    ops: *mut u64,
    arg: u64,
) -> i64 {
    // SAFETY: native code calls this as an `OpsHelper` with the operand slots above.
    let (ctx, mut ops) = unsafe { enter(ctx, ops, 3) };
    run(ctx, |_, vm| {
        use rustpython_vm::types::PyTypeFlags;
        let (subject, cls, kw) = (ops.get(0), ops.get(1), ops.get(2));
        let nargs = arg as usize;
        let (Some(cls_type), Some(kw)) =
            (cls.downcast_ref::<PyType>(), kw.downcast_ref::<PyTuple>())
        else {
            return Ok(1);
        };
        // The attribute names to extract, positional ones first; None = the subject.
        let mut names: Vec<Option<PyObjectRef>> = Vec::with_capacity(nargs + kw.len());
        if nargs > 0 {
            match cls_type.get_attr(vm.ctx.intern_str("__match_args__")) {
                Some(m) => {
                    let Ok(m) = m.downcast_exact::<PyTuple>(vm) else {
                        return Ok(1);
                    };
                    if m.len() < nargs {
                        return Ok(1);
                    }
                    names.extend(m.as_slice()[..nargs].iter().cloned().map(Some));
                }
                None if cls_type.slots.flags.has_feature(PyTypeFlags::_MATCH_SELF)
                    && nargs == 1 =>
                {
                    names.push(None)
                }
                None => return Ok(1),
            }
        }
        names.extend(kw.iter().cloned().map(Some));
        for (i, n) in names.iter().enumerate() {
            let Some(n) = n else { continue };
            if !n.class().is(vm.ctx.types.str_type)
                || names[..i].iter().flatten().any(|m| {
                    m.downcast_ref::<PyStr>().map(|m| m.as_wtf8())
                        == n.downcast_ref::<PyStr>().map(|n| n.as_wtf8())
                })
            {
                return Ok(1);
            }
        }
        let result: PyObjectRef = if subject.is_instance(cls, vm)? {
            let mut extracted = Vec::with_capacity(names.len());
            let mut matched = true;
            for n in &names {
                match n {
                    None => extracted.push(subject.to_owned()),
                    Some(n) => {
                        let n = n.downcast_ref::<PyStr>().expect("checked above");
                        match subject.get_attr(n, vm) {
                            Ok(v) => extracted.push(v),
                            Err(e) if e.fast_isinstance(vm.ctx.exceptions.attribute_error) => {
                                matched = false;
                                break;
                            }
                            Err(e) => return Err(e),
                        }
                    }
                }
            }
            if matched {
                vm.ctx.new_tuple(extracted).into()
            } else {
                vm.ctx.none()
            }
        } else {
            vm.ctx.none()
        };
        ops.release(3);
        ops.set(0, result);
        Ok(0)
    })
}
