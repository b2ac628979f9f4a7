//! The counting builtins: `__rpyjit_count__` (a call), `__rpyjit_enter_now__` (the call
//! that made the function hot runs natively) and `__rpyjit_loop__` (a loop iteration).

use std::sync::atomic::{AtomicU32, Ordering};

use rustpython_vm::{AsObject, PyResult, VirtualMachine};

use super::{calling_function, with_calling_hot};
use crate::entry;
use crate::policy;

/// `__rpyjit_count__()`: counts a call of the calling function's code and hands the
/// function to the JIT when it is hot. True when it was compiled now: the prologue then
/// runs this call natively ([`enter_now`]).
pub(super) fn count(vm: &VirtualMachine, threshold: &AtomicU32) -> PyResult<bool> {
    let Some((hot, n)) =
        with_calling_hot(|hot| (hot.clone(), hot.calls.fetch_add(1, Ordering::Relaxed) + 1))
    else {
        return Ok(false);
    };
    // Nothing is compiled while a tracer or profiler watches: it must see every call.
    if !policy::is_hot(n, threshold) || !policy::may_compile_now(vm) {
        return Ok(false);
    }
    let (Some(code), Some(func)) = (hot.instrumented(), calling_function()) else {
        return Ok(false);
    };
    // Only the function objects still running this instrumented code are affected.
    let current = entry::function_code(vm, &func)?;
    if !current.is(&code) {
        return Ok(false);
    }
    let profile = Some((code, hot.prologue));
    if entry::compile_function_profiled(vm, &func, hot.plain.clone(), profile).is_err() {
        // Refused (reason recorded): back to the plain code, no more counting.
        entry::set_code(vm, &func, hot.plain.clone())?;
        return Ok(false);
    }
    Ok(true)
}

/// `__rpyjit_enter_now__(*arguments)`: runs the calling frame's function natively with
/// the frame's argument slots (which the counting code moved here) and returns its
/// result.
pub(super) fn enter_now(args: rustpython_vm::function::FuncArgs, vm: &VirtualMachine) -> PyResult {
    let internal = || vm.new_system_error("rpyjit: __rpyjit_enter_now__ called outside a prologue");
    let func = calling_function().ok_or_else(internal)?;
    let code = entry::function_code(vm, &func).map_err(|_| internal())?;
    let compiled = entry::compiled_for_code(&code).ok_or_else(internal)?;
    if !args.kwargs.is_empty() || args.args.len() != crate::translate::arg_slots(&code) {
        return Err(internal());
    }
    let args = args.args;
    // This frame runs the counted code, whose units follow the counting code where it had
    // to go in front.
    let prologue = with_calling_hot(|hot| hot.prologue).unwrap_or(0);
    let position = crate::frames::NativePosition::calling_frame(prologue);
    entry::call_compiled(vm, &compiled, &func, args, position)
}

/// `__rpyjit_loop__(k)`: counts an iteration of hooked loop `k` of the calling code; true
/// once the loop is hot and may continue natively.
pub(super) fn count_iteration(k: u32, vm: &VirtualMachine, threshold: &AtomicU32) -> bool {
    with_calling_hot(|hot| {
        let Some(l) = hot.loops.get(k as usize) else {
            return false;
        };
        if l.disabled.load(Ordering::Relaxed) || !policy::may_compile_now(vm) {
            return false;
        }
        let n = l.iterations.fetch_add(1, Ordering::Relaxed) + 1;
        policy::is_hot(n, threshold)
    })
    .unwrap_or(false)
}
