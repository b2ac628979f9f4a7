//! Tracers, profilers and monitoring tools (`sys.settrace`, `sys.setprofile`,
//! `sys.monitoring`, coroutine origin tracking): the JIT steps aside when one starts, and what rpyjit adds to a
//! program (its `__rpyjit_*` counting builtins, called from instrumented code) stays out of
//! what the tool sees, so `cProfile` and `sys.setprofile` report what they report under
//! `-X jit=off`.

use std::sync::Mutex;

use rustpython_vm::builtins::{PyBoundMethod, PyStr};
use rustpython_vm::function::FuncArgs;
use rustpython_vm::{AsObject, PyObject, PyObjectRef, PyPayload, PyResult, VirtualMachine};

use crate::entry::step_aside;

/// The name every builtin rpyjit adds starts with.
pub const INTERNAL_PREFIX: &str = "__rpyjit_";
/// The native function a profile function is bound to (see [`filtered_profiler`]).
const PROFILE_FILTER: &str = "__rpyjit_profile_filter__";
/// The native function a monitoring tool's call-event callback is bound to.
const MONITORING_FILTER: &str = "__rpyjit_monitor_filter__";

/// Wraps `sys.settrace`, `sys.setprofile` (and its all-threads form), `sys.getprofile`
/// and `sys.monitoring`'s event switches with native functions of the same names.
pub fn install(vm: &VirtualMachine) -> PyResult<()> {
    let sys: PyObjectRef = vm.sys_module.clone().into();
    let filter = vm.new_function(PROFILE_FILTER, run_profiler_unless_internal);
    let filter: PyObjectRef = filter.into();

    wrap(vm, &sys, "settrace", |orig, args, vm| {
        step_aside_if_starting(&args, vm);
        orig.call(args, vm)
    })?;
    for name in ["setprofile", "_setprofileallthreads"] {
        let filter = filter.clone();
        wrap(vm, &sys, name, move |orig, mut args, vm| {
            step_aside_if_starting(&args, vm);
            if let Some(func) = args.args.first_mut().filter(|f| !vm.is_none(f)) {
                *func = filtered_profiler(func.clone(), filter.clone(), vm);
            }
            orig.call(args, vm)
        })?;
    }
    // Coroutine origin tracking (asyncio's debug mode) records the frames that create
    // each coroutine: like a tracer, it needs every frame to be an interpreter frame.
    wrap(
        vm,
        &sys,
        "set_coroutine_origin_tracking_depth",
        |orig, args, vm| {
            let depth = args.args.first().or_else(|| args.kwargs.get("depth"));
            let starting = depth.is_some_and(|d| d.try_to_value::<i64>(vm).is_ok_and(|d| d > 0));
            let set = orig.call(args, vm)?;
            if starting {
                step_aside(vm);
            }
            Ok(set)
        },
    )?;
    let getprofile_filter = filter.clone();
    wrap(vm, &sys, "getprofile", move |orig, args, vm| {
        let current = orig.call(args, vm)?;
        Ok(user_profiler(&current, &getprofile_filter, vm).unwrap_or(current))
    })?;
    if let Ok(monitoring) = sys.get_attr("monitoring", vm) {
        for name in ["set_events", "set_local_events"] {
            wrap(vm, &monitoring, name, |orig, args, vm| {
                step_aside_if_starting(&args, vm);
                orig.call(args, vm)
            })?;
        }
        filter_monitoring_calls(vm, &monitoring)?;
    }
    Ok(())
}

/// `sys.monitoring.register_callback` for the events about calls of callables (`CALL`,
/// `C_RETURN`, `C_RAISE`) registers the tool's callback bound to a filter that drops the
/// events of rpyjit's own builtins; the previous callback it returns is the tool's.
fn filter_monitoring_calls(vm: &VirtualMachine, monitoring: &PyObjectRef) -> PyResult<()> {
    let events = monitoring.get_attr("events", vm)?;
    let mut call_events = 0u64;
    for name in ["CALL", "C_RETURN", "C_RAISE"] {
        call_events |= events.get_attr(name, vm)?.try_into_value::<u64>(vm)?;
    }
    let filter: PyObjectRef = vm
        .new_function(MONITORING_FILTER, run_monitor_unless_internal)
        .into();
    wrap(
        vm,
        monitoring,
        "register_callback",
        move |orig, mut args, vm| {
            let event = args
                .args
                .get(1)
                .and_then(|e| e.clone().try_into_value::<u64>(vm).ok());
            if event.is_some_and(|e| e & call_events != 0) {
                if let Some(func) = args.args.get_mut(2).filter(|f| !vm.is_none(f)) {
                    *func = filtered_profiler(func.clone(), filter.clone(), vm);
                }
            }
            let previous = orig.call(args, vm)?;
            Ok(user_profiler(&previous, &filter, vm).unwrap_or(previous))
        },
    )
}

/// `__rpyjit_monitor_filter__(callback, code, offset, callable, arg0)`: runs a tool's
/// call-event callback unless `callable` is one of rpyjit's builtins.
fn run_monitor_unless_internal(args: FuncArgs, vm: &VirtualMachine) -> PyResult {
    let mut args = args.args;
    if args.len() != 5 {
        return Err(vm.new_type_error("monitoring callback takes (code, offset, callable, arg0)"));
    }
    let callback = args.remove(0);
    if is_internal_builtin(&args[2], vm) {
        return Ok(vm.ctx.none());
    }
    callback.call(args, vm)
}

/// Replaces `module.name` by a native function of the same name that runs `body` with
/// the original function and the call's arguments.
fn wrap(
    vm: &VirtualMachine,
    module: &PyObjectRef,
    name: &'static str,
    body: impl Fn(&PyObjectRef, FuncArgs, &VirtualMachine) -> PyResult + Send + Sync + 'static,
) -> PyResult<()> {
    let Ok(orig) = module.get_attr(name, vm) else {
        return Ok(());
    };
    hide_from_profilers(&orig);
    let wrapper = vm.new_function(name, move |args: FuncArgs, vm: &VirtualMachine| {
        body(&orig, args, vm)
    });
    module.set_attr(name, wrapper, vm)
}

/// Builtins rpyjit replaced with wrappers of the same name: the program calls the
/// wrapper (and a profiler sees that call), the wrapper calls the original (unseen).
/// Kept alive here, so their identity stays theirs.
static HIDDEN: Mutex<Vec<PyObjectRef>> = Mutex::new(Vec::new());

/// `original` is wrapped by a builtin of rpyjit's: profilers do not see calls of it.
pub fn hide_from_profilers(original: &PyObjectRef) {
    HIDDEN
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .push(original.clone());
}

/// A tool is being switched on (not off): compiled code goes back to the interpreter.
fn step_aside_if_starting(args: &FuncArgs, vm: &VirtualMachine) {
    if args.args.first().is_some_and(|a| !vm.is_none(a)) || args.args.len() > 1 {
        step_aside(vm);
    }
}

/// The profile function (or monitoring callback) actually installed for the program's
/// `func`: `func` bound to the filter, so [`user_profiler`] can give `func` back.
fn filtered_profiler(func: PyObjectRef, filter: PyObjectRef, vm: &VirtualMachine) -> PyObjectRef {
    PyBoundMethod::new(func, filter).into_ref(&vm.ctx).into()
}

/// The program's profile function behind an installed one, if it is filtered.
fn user_profiler(
    installed: &PyObject,
    filter: &PyObjectRef,
    vm: &VirtualMachine,
) -> Option<PyObjectRef> {
    let bound = installed.downcast_ref::<PyBoundMethod>()?;
    let func = bound.as_object().get_attr("__func__", vm).ok()?;
    func.is(filter)
        .then(|| bound.as_object().get_attr("__self__", vm).ok())
        .flatten()
}

/// `__rpyjit_profile_filter__(func, frame, event, arg)`: passes the event to the
/// program's profile function unless it is a `c_call`/`c_return`/`c_exception` of one of
/// rpyjit's own builtins, which the program did not call.
fn run_profiler_unless_internal(args: FuncArgs, vm: &VirtualMachine) -> PyResult {
    let mut args = args.args;
    if args.len() != 4 {
        return Err(vm.new_type_error("profile function takes (frame, event, arg)"));
    }
    let func = args.remove(0);
    let is_c_event = args[1].downcast_ref::<PyStr>().is_some_and(|e| {
        matches!(
            e.to_str().unwrap_or(""),
            "c_call" | "c_return" | "c_exception"
        )
    });
    if is_c_event && is_internal_builtin(&args[2], vm) {
        return Ok(vm.ctx.none());
    }
    func.call(args, vm)
}

/// One of the builtins rpyjit adds (all named `__rpyjit_*`), or an original that a
/// wrapper of rpyjit's calls.
pub fn is_internal_builtin(obj: &PyObject, vm: &VirtualMachine) -> bool {
    if HIDDEN
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .iter()
        .any(|h| h.is(obj))
    {
        return true;
    }
    obj.class().is(vm.ctx.types.builtin_function_or_method_type) && {
        obj.get_attr("__name__", vm)
            .ok()
            .and_then(|n| n.downcast::<PyStr>().ok())
            .is_some_and(|n| n.to_str().is_some_and(|n| n.starts_with(INTERNAL_PREFIX)))
    }
}
