//! Handing a function to the JIT: its `__code__` becomes a stub with the same signature
//! that calls `__rpyjit_enter__` (see the [module doc](super)), and `__rpyjit_drop_tb__`,
//! which keeps the stub's frame out of tracebacks.

use std::collections::HashMap;
use std::sync::Arc;

use rustpython_vm::builtins::{PyBaseExceptionRef, PyCode, PyFunction};
use rustpython_vm::bytecode::Instruction;
use rustpython_vm::function::FuncArgs;
use rustpython_vm::{AsObject, PyRef, PyResult, VirtualMachine};

use super::compile::prepare_target;
use super::enter::{call_compiled, interpret};
use super::registry::{compiled_for_id, function_code, is_compiled, Compiled, REGISTRY, WITH_STUB};
use super::{DROP_TB_BUILTIN, ENTER_BUILTIN};
use crate::frames::NativePosition;
use crate::translate::{self, Refusal};

/// Hands `func` to the JIT: checks it can be analysed and installs the stub; the native
/// code is produced at the first call, for that call's argument kinds.
pub fn compile_function(vm: &VirtualMachine, func: &PyRef<PyFunction>) -> Result<(), Refusal> {
    let code = function_code(vm, func).map_err(|_| Refusal("no code object".into()))?;
    compile_function_from(vm, func, super::original_code(&code))
}

/// [`compile_function`] with the code to translate given: the function's code without
/// rpyjit's counting prologue.
pub fn compile_function_from(
    vm: &VirtualMachine,
    func: &PyRef<PyFunction>,
    original: PyRef<PyCode>,
) -> Result<(), Refusal> {
    compile_function_profiled(vm, func, original, None)
}

/// [`compile_function_from`] with the code that ran in the interpreter so far (and the
/// unit `original` starts at in it), whose quickened instructions say what types it saw.
pub fn compile_function_profiled(
    vm: &VirtualMachine,
    func: &PyRef<PyFunction>,
    original: PyRef<PyCode>,
    profile: Option<(PyRef<PyCode>, u32)>,
) -> Result<(), Refusal> {
    if is_compiled(vm, func) {
        return Ok(());
    }
    let forced = profile.is_none();
    // Another function of the same code (a closure made by the same `def`, a method a
    // class factory made) was compiled: it shares that compilation.
    let shared = match WITH_STUB.find(vm, &original, func) {
        Some(c) => c,
        None => {
            let target = prepare_target(vm, func, &original, profile)?;
            let stub = stub_code(vm, &original);
            let shown = function_code(vm, func).unwrap_or_else(|_| original.clone());
            let c = Arc::new(Compiled::new(target, Some(stub.clone()), shown, forced));
            REGISTRY
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .get_or_insert_with(HashMap::new)
                .insert(stub.as_object().get_id(), c.clone());
            WITH_STUB.add(c.clone());
            c
        }
    };
    shared
        .install_in(vm, func)
        .map_err(|_| Refusal("__code__ could not be replaced".into()))
}

/// The stub: binds arguments like the original (same signature) and calls `enter`.
///
/// An exception from `enter` (raised in the interpreter after a deopt, with the function's
/// own frame and lines in its traceback) would get a second entry for the stub's frame on
/// its way out. The stub's exception handler drops that entry and re-raises with
/// `RERAISE`, which adds none, so tracebacks read as if the function had never left the
/// interpreter:
///
/// ```text
/// handler: (`Emitter::drop_tb_and_reraise` with __rpyjit_drop_tb__)
/// ```
fn stub_code(vm: &VirtualMachine, orig: &PyRef<PyCode>) -> PyRef<PyCode> {
    use rustpython_vm::bytecode::Arg;
    let nargs = translate::arg_slots(orig);
    // The function's own units stay in place (a frame running the stub reports their
    // lines while native code runs, see `crate::frames`); the stub runs after them.
    let appended = crate::rewrite::with_entry_appended(
        vm,
        orig,
        nargs as u32 + 6,
        crate::rewrite::Appended::Final,
        |e| {
            e.emit(
                Instruction::Resume {
                    context: Arg::marker(),
                },
                0,
            );
            let protected = e.units.len() as u32;
            e.load_global_for_call(ENTER_BUILTIN);
            // The arguments move to native code: the stub's frame keeps none (an
            // argument rebound there dies then, as in the interpreter).
            for i in 0..nargs {
                e.emit(
                    Instruction::LoadFastAndClear {
                        var_num: Arg::marker(),
                    },
                    i as u32,
                );
            }
            e.emit(
                Instruction::Call {
                    argc: Arg::marker(),
                },
                nargs as u32,
            );
            let call_end = e.units.len() as u32;
            e.emit(Instruction::ReturnValue, 0);
            let handler = e.units.len() as u32;
            e.drop_tb_and_reraise(DROP_TB_BUILTIN);
            e.handlers_push(protected, call_end, handler);
        },
    );
    appended.expect("a stub's entry never needs to move instructions")
}

/// `__rpyjit_drop_tb__(exc, lasti)`: removes the calling trampoline frame's own
/// traceback entry (the head) and answers the unit the frame is to be left at: where the
/// next entry says native code raised, if that entry names this same frame, else `lasti`.
pub(super) fn drop_stub_tb(exc: PyBaseExceptionRef, lasti: u32, vm: &VirtualMachine) -> u32 {
    let Some(tb) = exc.traceback() else {
        return lasti;
    };
    let next = tb.next.lock().clone();
    exc.set_traceback(next.clone());
    match (next, vm.current_frame()) {
        (Some(next), Some(here)) if next.frame.is(&*here) => (next.lasti / 2) as u32,
        (_, Some(here)) => unit_it_stands_for(&here.f_code(), lasti),
        _ => lasti,
    }
}

/// The function's own unit that unit `at` of rewritten `code` stands for: `at` itself
/// among the function's units; in rpyjit's appended units (a loop hook, the counting or
/// stub entry), the function's unit at the same location (the back-edge a hook replaced,
/// the first instruction an entry displaced). A frame is never left in rpyjit's units, so
/// its traceback entry indexes the code the program sees (`co_positions()`).
fn unit_it_stands_for(code: &PyRef<PyCode>, at: u32) -> u32 {
    let own = super::original_code(code);
    if (at as usize) < own.code.instructions.len() {
        return at;
    }
    let Some(here) = code.code.locations.get(at as usize) else {
        return 0;
    };
    let same_place = own.code.locations.iter().position(|l| l == here);
    let same_line = || {
        own.code
            .locations
            .iter()
            .position(|l| l.0.line == here.0.line)
    };
    same_place.or_else(same_line).unwrap_or(0) as u32
}

/// `__rpyjit_enter__(*args)`: the stub's call into native code. On every interpreted call
/// of a compiled function: one look at the calling frame, no lock.
pub(super) fn enter(args: FuncArgs, vm: &VirtualMachine) -> PyResult {
    let outside = || vm.new_system_error("rpyjit: __rpyjit_enter__ called outside a stub");
    // A builtin runs in its caller's frame: the stub's frame, whose code names the
    // compiled function and whose function object is the one called.
    let frame = rustpython_vm::frame::current_thread_iframe();
    if frame.is_null() {
        return Err(outside());
    }
    // SAFETY: a builtin runs on the calling frame's thread while that frame is live.
    let f = unsafe { &*frame };
    let c = compiled_for_id(f.code().as_object().get_id()).ok_or_else(outside)?;
    let func = f
        .func_obj()
        .and_then(|o| o.to_owned().downcast::<PyFunction>().ok())
        .ok_or_else(outside)?;
    if !c.target.serves_frame(f) {
        // A function made from the stub code with other globals or builtins.
        return interpret(vm, &c, &func, args.args, frame);
    }
    // The stub carries the function's units at their own places (base 0).
    call_compiled(vm, &c, &func, args.args, NativePosition::calling_frame(0))
}
