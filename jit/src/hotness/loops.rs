//! On-stack replacement from the interpreter's side: a hot loop's hook takes the frame's
//! values (`__rpyjit_osr_take__`) and continues the function natively from the loop
//! header (`__rpyjit_osr__`, see [`crate::entry::enter_at_loop`]).

use std::sync::atomic::Ordering;

use rustpython_vm::{AsObject, PyObjectRef, PyResult, VirtualMachine};

use super::{calling_function, lookup};
use crate::entry;

/// The values of a frame about to continue its loop natively, between the hook's `take`
/// and `enter` calls (which nest: clearing the frame's slots in between runs no Python
/// code, as `take` holds every value, but a finalizer could).
struct Taken {
    k: usize,
    locals: Vec<Option<PyObjectRef>>,
    stack: Vec<PyObjectRef>,
}

thread_local! {
    static TAKEN: std::cell::RefCell<Vec<Taken>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// `__rpyjit_osr_take__(k[, stack_list[, cells]])`: takes the calling frame's locals,
/// cells and value stack for an entry of its hot loop `k`; the hook then clears the
/// frame's slots and calls `__rpyjit_osr__(k)`.
pub(super) fn take_loop_values(
    args: rustpython_vm::function::FuncArgs,
    vm: &VirtualMachine,
) -> PyResult<()> {
    let internal =
        || vm.new_system_error("rpyjit: __rpyjit_osr_take__ called outside a hooked loop");
    let code = rustpython_vm::frame::current_code().ok_or_else(internal)?;
    let hot = lookup(&code).ok_or_else(internal)?;
    let mut args = args.args.into_iter();
    let k: usize = args.next().ok_or_else(internal)?.try_into_value(vm)?;
    let l = hot.loops.get(k).ok_or_else(internal)?;
    // The hook passes the value stack in a list, which is emptied so the suspended frame
    // no longer holds the loop iterators; the locals come from the frame itself: its
    // `f_locals` snapshot has every bound slot by name (NULL slots are absent).
    let stack: Vec<PyObjectRef> = match args.next() {
        None => Vec::new(),
        Some(list) => {
            let list = list
                .downcast::<rustpython_vm::builtins::PyList>()
                .map_err(|_| internal())?;
            let items = std::mem::take(&mut *list.borrow_vec_mut());
            items
        }
    };
    if stack.len() != l.site.depth as usize {
        return Err(internal());
    }
    let code = &hot.plain.code;
    let cell_slots = crate::rewrite::cell_slots(code);
    let cells: Vec<PyObjectRef> = match args.next() {
        None => Vec::new(),
        Some(t) => t
            .downcast::<rustpython_vm::builtins::PyTuple>()
            .map_err(|_| internal())?
            .as_slice()
            .to_vec(),
    };
    if cells.len() != cell_slots.len() {
        return Err(internal());
    }
    let frame = vm.current_frame().ok_or_else(internal)?;
    let snapshot = frame.locals(vm)?;
    let snapshot = snapshot
        .obj()
        .to_owned()
        .downcast::<rustpython_vm::builtins::PyDict>()
        .map_err(|_| internal())?;
    let mut locals: Vec<Option<PyObjectRef>> = vec![None; code.localspluskinds.len()];
    for (slot, name) in code.varnames.iter().enumerate().take(locals.len()) {
        locals[slot] = snapshot.get_item_opt(*name, vm)?;
    }
    drop(snapshot);
    // A cell slot holds the cell (the snapshot showed its contents).
    for (slot, cell) in cell_slots.into_iter().zip(cells) {
        locals[slot as usize] = Some(cell);
    }
    TAKEN.with(|t| t.borrow_mut().push(Taken { k, locals, stack }));
    Ok(())
}

/// `__rpyjit_osr__(k)`: continues the calling function from the header of its hot loop
/// `k` in native code (or, if the loop cannot be compiled, in the interpreter) with the
/// values `__rpyjit_osr_take__` took, and returns what the function returns.
pub(super) fn enter_loop(args: rustpython_vm::function::FuncArgs, vm: &VirtualMachine) -> PyResult {
    let internal = || vm.new_system_error("rpyjit: __rpyjit_osr__ called outside a hooked loop");
    let code = rustpython_vm::frame::current_code().ok_or_else(internal)?;
    let hot = lookup(&code).ok_or_else(internal)?;
    let k: usize = args
        .args
        .into_iter()
        .next()
        .ok_or_else(internal)?
        .try_into_value(vm)?;
    let l = hot.loops.get(k).ok_or_else(internal)?;
    let Taken { locals, stack, .. } = TAKEN
        .with(|t| t.borrow_mut().pop())
        .filter(|t| t.k == k)
        .ok_or_else(internal)?;
    let func = calling_function().ok_or_else(internal)?;
    let analysis = hot.analysis().ok_or_else(internal)?;
    let mut target = entry::Target::new(vm, &func, &hot.plain, analysis)?;
    // The frame runs the instrumented code.
    target.set_profile(code.clone(), hot.prologue);
    // A loop that cannot or should not run natively stops asking; once no loop of the
    // function will, the function object gets its plain code back, so later calls pay
    // nothing for counting (this call continues in plain code already).
    let disable = || {
        l.disabled.store(true, Ordering::Relaxed);
        if hot.loops.iter().all(|l| l.disabled.load(Ordering::Relaxed)) {
            if let Ok(current) = entry::function_code(vm, &func) {
                if current.is(&code) {
                    let _ = entry::set_code(vm, &func, hot.plain.clone());
                }
            }
        }
    };
    // The hooked frame runs the counted code: the function's units follow the prologue.
    let position = crate::frames::NativePosition::calling_frame(hot.prologue);
    entry::enter_at_loop(
        vm, &target, &func, &l.site, &l.osr, locals, stack, position, &disable,
    )
}
