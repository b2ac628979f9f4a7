//! Names: globals, cells and free variables (`*_DEREF`), making functions, imports and
//! the common constants.
//!
//! Where the interpreter's own error for a failing case needs state native code does not
//! have (a message built from private VM functions), the helper returns status 1 without
//! side effects and native code exits *before* the instruction (a guard), so the
//! interpreter runs it and raises exactly as it would have.

use rustpython_vm::builtins::{PyCode, PyDict, PyStr, PyTuple};
use rustpython_vm::function::FuncArgs;
use rustpython_vm::{AsObject, Py, PyObject, PyObjectRef, PyResult, VirtualMachine};

use super::call::{enter, name, run, NativeCtx};
use crate::vm::cell_set;

/// LOAD_GLOBAL (arg = name index): globals, then builtins. ops[0] = value.
pub(super) unsafe extern "C" fn h_load_global(
    ctx: *const NativeCtx<'static>,
    ops: *mut u64,
    arg: u64,
) -> i64 {
    // SAFETY: native code calls this as an `OpsHelper` with the operand slots above.
    let (ctx, mut ops) = unsafe { enter(ctx, ops, 1) };
    run(ctx, |ctx, vm| {
        let name = name(ctx, arg);
        let v = match ctx.globals.get_item_opt(name, vm)? {
            Some(v) => v,
            None => match builtin(vm, ctx.builtins, name) {
                Ok(v) => v,
                Err(e) if e.fast_isinstance(vm.ctx.exceptions.key_error) => {
                    return Err(
                        vm.new_name_error(format!("name '{name}' is not defined"), name.to_owned())
                    )
                }
                Err(e) => return Err(e),
            },
        };
        ops.set(0, v);
        Ok(0)
    })
}

/// `builtins[name]`: a plain dict lookup when the builtins are an exact dict (as they are
/// unless a program replaced `__builtins__`), else the mapping protocol.
fn builtin(vm: &VirtualMachine, builtins: &PyObject, name: &Py<PyStr>) -> PyResult {
    match builtins.downcast_ref_if_exact::<PyDict>(vm) {
        Some(d) => d
            .get_item_opt(name, vm)?
            .ok_or_else(|| vm.new_key_error(name.to_owned().into())),
        None => builtins.get_item(name, vm),
    }
}

/// STORE_GLOBAL (arg = name index): ops = [value].
pub(super) unsafe extern "C" fn h_store_global(
    ctx: *const NativeCtx<'static>,
    ops: *mut u64,
    arg: u64,
) -> i64 {
    // SAFETY: native code calls this as an `OpsHelper` with the operand slots above.
    let (ctx, mut ops) = unsafe { enter(ctx, ops, 1) };
    run(ctx, |ctx, vm| {
        ctx.globals
            .set_item(name(ctx, arg), ops.get(0).to_owned(), vm)?;
        ops.release(1);
        Ok(0)
    })
}

/// DELETE_GLOBAL (arg = name index): no operands; status 1 if the name is not bound
/// (the interpreter raises its NameError).
pub(super) unsafe extern "C" fn h_delete_global(
    ctx: *const NativeCtx<'static>,
    ops: *mut u64,
    arg: u64,
) -> i64 {
    // SAFETY: native code calls this as an `OpsHelper` with the operand slots above.
    let (ctx, _) = unsafe { enter(ctx, ops, 0) };
    run(ctx, |ctx, vm| {
        match ctx.globals.del_item(name(ctx, arg), vm) {
            Ok(()) => Ok(0),
            Err(e) if e.fast_isinstance(vm.ctx.exceptions.key_error) => Ok(1),
            Err(e) => Err(e),
        }
    })
}

/// MAKE_CELL: ops[0] = the slot's value or NULL (consumed) → a new cell holding it.
pub(super) unsafe extern "C" fn h_make_cell(
    ctx: *const NativeCtx<'static>,
    ops: *mut u64,
    _: u64,
) -> i64 {
    // SAFETY: native code calls this as an `OpsHelper` with the operand slots above.
    let (ctx, mut ops) = unsafe { enter(ctx, ops, 1) };
    run(ctx, |_, vm| {
        let cell_type = vm.ctx.types.cell_type.as_object();
        let cell = if !ops.is_set(0) {
            cell_type.call((), vm)?
        } else {
            cell_type.call((ops.get(0).to_owned(),), vm)?
        };
        ops.release(1);
        ops.set(0, cell);
        Ok(0)
    })
}

/// COPY_FREE_VARS: arg = n, the closure's length → ops[0..n] = its cells, read from the
/// function's `__closure__` once for all of them.
pub(super) unsafe extern "C" fn h_free_vars(
    ctx: *const NativeCtx<'static>,
    ops: *mut u64,
    arg: u64,
) -> i64 {
    let n = arg as usize;
    // SAFETY: native code calls this as an `OpsHelper` with `n` operand slots (the ops
    // area is made at least as large as the code's free variables).
    let (ctx, mut ops) = unsafe { enter(ctx, ops, n) };
    run(ctx, |ctx, vm| {
        let closure = ctx.func.as_object().get_attr("__closure__", vm)?;
        let closure = closure
            .downcast_ref::<PyTuple>()
            .ok_or_else(|| vm.new_system_error("rpyjit: function without its closure"))?;
        let cells = closure.as_slice();
        if cells.len() < n {
            return Err(vm.new_system_error("rpyjit: closure too short"));
        }
        for (j, cell) in cells[..n].iter().enumerate() {
            ops.set(j, cell.clone());
        }
        Ok(0)
    })
}

/// LOAD_DEREF: ops[0] = the cell (borrowed, stays) → status 0 and ops[1] = its contents,
/// or status 1 when it is empty (the interpreter then raises its own error).
pub(super) unsafe extern "C" fn h_load_deref(
    ctx: *const NativeCtx<'static>,
    ops: *mut u64,
    _: u64,
) -> i64 {
    // SAFETY: native code calls this as an `OpsHelper` with the operand slots above.
    let (ctx, mut ops) = unsafe { enter(ctx, ops, 2) };
    run(ctx, |_, vm| match crate::vm::cell_read(vm, ops.get(0))? {
        Some(v) => {
            ops.set(1, v);
            Ok(0)
        }
        None => Ok(1),
    })
}

/// STORE_DEREF: ops = [cell (borrowed, stays), value (consumed)].
pub(super) unsafe extern "C" fn h_store_deref(
    ctx: *const NativeCtx<'static>,
    ops: *mut u64,
    _: u64,
) -> i64 {
    // SAFETY: native code calls this as an `OpsHelper` with the operand slots above.
    let (ctx, mut ops) = unsafe { enter(ctx, ops, 2) };
    run(ctx, |_, vm| {
        // The value's reference is given up only on success: a failing store leaves it to
        // the exit, as every operand.
        let value = ops.get(1).to_owned();
        cell_set(
            vm,
            ops.get(0),
            rustpython_vm::function::PySetterValue::Assign(value),
        )?;
        drop(ops.take(1));
        Ok(0)
    })
}

/// DELETE_DEREF: ops[0] = the cell (borrowed, stays), emptied. Like RustPython 0.6's
/// interpreter, deleting an empty cell is not an error.
pub(super) unsafe extern "C" fn h_delete_deref(
    ctx: *const NativeCtx<'static>,
    ops: *mut u64,
    _: u64,
) -> i64 {
    // SAFETY: native code calls this as an `OpsHelper` with the operand slots above.
    let (ctx, ops) = unsafe { enter(ctx, ops, 1) };
    run(ctx, |_, vm| {
        cell_set(
            vm,
            ops.get(0),
            rustpython_vm::function::PySetterValue::Delete,
        )?;
        Ok(0)
    })
}

/// MAKE_FUNCTION: ops = [code] → the function, with the running function's globals (and
/// so its builtins), as `types.FunctionType(code, globals)` builds it. A code with free
/// variables needs its closure at construction: `arg` = 1 says the closure tuple is the
/// stack value below the code (ops[1], borrowed; the SET_FUNCTION_ATTRIBUTE that follows
/// finds it already set).
pub(super) unsafe extern "C" fn h_make_function(
    ctx: *const NativeCtx<'static>,
    ops: *mut u64,
    arg: u64,
) -> i64 {
    // SAFETY: native code calls this as an `OpsHelper` with the operand slots above.
    let (ctx, mut ops) = unsafe { enter(ctx, ops, 1 + usize::from(arg == 1)) };
    run(ctx, |ctx, vm| {
        let code = ops.get(0).to_owned();
        let free = code
            .downcast_ref::<PyCode>()
            .is_some_and(|c| !c.code.freevars.is_empty());
        if free && arg == 0 {
            return Ok(1);
        }
        let mut args = FuncArgs::from(vec![code, ctx.globals.clone().into()]);
        if arg == 1 {
            args.kwargs.insert("closure".into(), ops.get(1).to_owned());
        }
        let f = vm.ctx.types.function_type.as_object().call(args, vm)?;
        ops.release(1);
        ops.set(0, f);
        Ok(0)
    })
}

/// SET_FUNCTION_ATTRIBUTE (arg = flag): ops = [value, function] → the function. The
/// closure (flag 8) was given at construction: status 1 (the interpreter sets it) unless
/// the function holds exactly this tuple.
pub(super) unsafe extern "C" fn h_set_function_attribute(
    ctx: *const NativeCtx<'static>,
    ops: *mut u64,
    arg: u64,
) -> i64 {
    // SAFETY: native code calls this as an `OpsHelper` with the operand slots above.
    let (ctx, mut ops) = unsafe { enter(ctx, ops, 2) };
    run(ctx, |_, vm| {
        let (value, func) = (ops.get(0), ops.get(1));
        let attr = match arg {
            1 => "__defaults__",
            2 => "__kwdefaults__",
            4 => "__annotations__",
            8 => {
                let closure = func.get_attr("__closure__", vm)?;
                if !closure.is(value) {
                    return Ok(1);
                }
                drop(ops.take(0));
                ops.move_slot(1, 0);
                return Ok(0);
            }
            16 => "__annotate__",
            32 => "__type_params__",
            _ => return Ok(1),
        };
        func.set_attr(attr, value.to_owned(), vm)?;
        drop(ops.take(0));
        ops.move_slot(1, 0);
        Ok(0)
    })
}

/// IMPORT_NAME (arg = name index): ops = [level, fromlist] → the module, through the
/// function's `__import__` with its globals (as CPython, no locals for a function).
pub(super) unsafe extern "C" fn h_import_name(
    ctx: *const NativeCtx<'static>,
    ops: *mut u64,
    arg: u64,
) -> i64 {
    // SAFETY: native code calls this as an `OpsHelper` with the operand slots above.
    let (ctx, mut ops) = unsafe { enter(ctx, ops, 2) };
    run(ctx, |ctx, vm| {
        use rustpython_vm::TryFromObject;
        let name = name(ctx, arg);
        let level = usize::try_from_object(vm, ops.get(0).to_owned())?;
        let import = match ctx.builtins.downcast_ref::<PyDict>() {
            Some(d) => d.get_item_opt("__import__", vm)?,
            None => ctx.builtins.get_item("__import__", vm).ok(),
        }
        .ok_or_else(|| vm.new_import_error("__import__ not found", name.to_owned()))?;
        let m = import
            .call(
                (
                    name.to_owned(),
                    ctx.globals.clone(),
                    vm.ctx.none(),
                    ops.get(1).to_owned(),
                    level,
                ),
                vm,
            )
            .inspect_err(|e| rustpython_vm::import::remove_importlib_frames(vm, e))?;
        ops.release(2);
        ops.set(0, m);
        Ok(0)
    })
}

/// IMPORT_FROM (arg = name index): ops = [module (borrowed, stays)] → ops[1] = the name,
/// from the module or else `sys.modules['module.name']`; status 1 if neither has it (the
/// interpreter raises its ImportError with the right hints).
pub(super) unsafe extern "C" fn h_import_from(
    ctx: *const NativeCtx<'static>,
    ops: *mut u64,
    arg: u64,
) -> i64 {
    // SAFETY: native code calls this as an `OpsHelper` with the operand slots above.
    let (ctx, mut ops) = unsafe { enter(ctx, ops, 2) };
    run(ctx, |ctx, vm| {
        let module = ops.get(0);
        let name = name(ctx, arg);
        if let Some(v) = vm.get_attribute_opt(module, name)? {
            ops.set(1, v);
            return Ok(0);
        }
        let sub = (|| {
            let m = module.get_attr("__name__", vm).ok()?;
            let m = m.downcast_ref::<rustpython_vm::builtins::PyUtf8Str>()?;
            let full = vm.ctx.new_str(format!("{}.{name}", m.as_str()));
            vm.sys_module
                .get_attr("modules", vm)
                .ok()?
                .get_item(&*full, vm)
                .ok()
        })();
        match sub {
            Some(v) => {
                ops.set(1, v);
                Ok(0)
            }
            None => Ok(1),
        }
    })
}

/// LOAD_COMMON_CONSTANT (arg = which): → ops[0], the object the interpreter would push
/// (for `all` and `any`, the builtins as the interpreter started, kept by [`super::install`]:
/// the compiler's inlined `all(genexpr)` checks the global against them).
pub(super) unsafe extern "C" fn h_common_constant(
    ctx: *const NativeCtx<'static>,
    ops: *mut u64,
    arg: u64,
) -> i64 {
    // SAFETY: native code calls this as an `OpsHelper` with the operand slots above.
    let (ctx, mut ops) = unsafe { enter(ctx, ops, 1) };
    run(ctx, |_, vm| {
        let v: PyObjectRef = match arg {
            0 => vm.ctx.exceptions.assertion_error.to_owned().into(),
            1 => vm.ctx.exceptions.not_implemented_error.to_owned().into(),
            2 => vm.ctx.types.tuple_type.to_owned().into(),
            3 => vm.builtins.get_attr(ORIGINAL_ALL, vm)?,
            4 => vm.builtins.get_attr(ORIGINAL_ANY, vm)?,
            5 => vm.ctx.types.list_type.to_owned().into(),
            6 => vm.ctx.types.set_type.to_owned().into(),
            _ => return Err(vm.new_system_error("rpyjit: bad LOAD_COMMON_CONSTANT")),
        };
        ops.set(0, v);
        Ok(0)
    })
}

/// Where [`super::install`] keeps the builtins `all` and `any` the interpreter started with.
pub(super) const ORIGINAL_ALL: &str = "__rpyjit_all__";
pub(super) const ORIGINAL_ANY: &str = "__rpyjit_any__";
