//! Entering and leaving native code, and the registry of compiled functions.
//!
//! A compiled function's `__code__` is replaced by a **stub** with the same signature, so
//! every call path of the VM (generic, specialized, keyword, defaulted) binds arguments as
//! before and then runs `__rpyjit_enter__(token, *args)`:
//!
//! ```text
//! RESUME; LOAD_GLOBAL __rpyjit_enter__+NULL; LOAD_CONST token; LOAD_FAST arg...; CALL n+1; RETURN_VALUE
//! ```
//!
//! `enter` unboxes the arguments behind the entry guard (their kinds must be the ones the
//! code was specialized for), runs the native code, and boxes the result. A guard failure
//! inside the native code returns an exit site; `enter` boxes the saved state and continues
//! the function in the interpreter ([`crate::deopt`]). A site that keeps failing, or
//! arguments of other kinds, put the function back in the interpreter for good.
//!
//! The pipeline, one module per step:
//! - [`registry`]: what was handed to the JIT ([`Compiled`], [`Target`]) and the lookups
//!   by stub code object or function.
//! - [`stubs`]: the stub code objects installed as `__code__`, `__rpyjit_enter__` and
//!   `__rpyjit_drop_tb__`.
//! - [`compile`]: translation, Cranelift, code memory, the cross-ISA check, `rpyjit.dump`.
//! - [`enter`]: the entry guards (argument kinds), calls from stubs and from native code,
//!   running native code.
//! - [`osr`]: entering native code in the middle of a running loop.
//! - [`exits`]: what happens when native code leaves at an exit site.
//! - [`fallback`]: putting functions back in the interpreter.
//! - [`backedge`]: the signal check native loops run.
//!
//! The decisions (thresholds, limits, when to give up, stepping aside) are in
//! [`crate::policy`]; rebuilding interpreter frames is [`crate::deopt`].

mod backedge;
mod compile;
mod enter;
mod exits;
mod fallback;
mod osr;
mod registry;
mod stubs;

use rustpython_vm::builtins::{PyCode, PyFunction};
use rustpython_vm::function::FuncArgs;
use rustpython_vm::{AsObject, Py, PyObjectRef, PyRef, PyResult, VirtualMachine};

pub use crate::policy::{enable, enabled, stepped_aside, unsupported};
pub use backedge::backedge_check;
pub use compile::{dump, write_perf_map};
pub use enter::{
    call_compiled, call_compiled_borrowed, call_compiled_direct,
    count_native_calls_in_recursion_depth,
};
pub use fallback::{disable, step_aside};
pub use osr::{enter_at_loop, OsrCache};
pub use registry::{
    compile_for_native_callers, compiled_for_code, function_code, is_compiled, native_code_for,
    set_code, Compiled, Target,
};
pub use stubs::{compile_function, compile_function_from, compile_function_profiled};

/// The builtin a stub calls.
pub const ENTER_BUILTIN: &str = "__rpyjit_enter__";

/// The builtin a stub's exception handler calls.
pub const DROP_TB_BUILTIN: &str = "__rpyjit_drop_tb__";

/// Installs the builtins stubs and continuations call. Call once per interpreter.
pub fn install(vm: &VirtualMachine) -> PyResult<()> {
    crate::policy::mark_installed();
    let enter = vm.new_function(ENTER_BUILTIN, stubs::enter);
    vm.builtins.set_attr(ENTER_BUILTIN, enter, vm)?;
    vm.builtins.set_attr(
        DROP_TB_BUILTIN,
        vm.new_function(DROP_TB_BUILTIN, stubs::drop_stub_tb),
        vm,
    )?;
    show_own_code(vm);
    show_code_before_stub(vm);
    Ok(())
}

/// The program never sees a stub: a compiled function's `__code__`, and `f_code` of a
/// frame running the stub, are the code the function had before it was compiled (the
/// code its earlier frames ran, so `f.__code__ is sys._getframe().f_code` holds inside
/// `f` whichever ran this call). Assigning `__code__` works as before; rpyjit reads and
/// writes the code a function really runs with [`function_code`] and [`set_code`].
fn show_code_before_stub(vm: &VirtualMachine) {
    use rustpython_vm::builtins::PyGetSet;
    use rustpython_vm::function::PySetterValue;
    let function_type = vm.ctx.types.function_type;
    let Some(own) = function_type.get_attr(vm.ctx.intern_str("__code__")) else {
        return;
    };
    let own = registry::keep_code_descriptor(own);
    let getset = PyGetSet::new("__code__", function_type, &vm.ctx)
        .with_get(move |func: PyObjectRef, vm: &VirtualMachine| -> PyResult {
            let code = vm.call_method(own, "__get__", (func,))?;
            Ok(
                match code.downcast_ref::<PyCode>().and_then(compiled_for_code) {
                    Some(c) => c.shown.clone().into(),
                    None => code,
                },
            )
        })
        .with_set(
            move |func: PyObjectRef, value: PySetterValue, vm: &VirtualMachine| -> PyResult<()> {
                match value {
                    PySetterValue::Assign(code) => vm.call_method(own, "__set__", (func, code)),
                    PySetterValue::Delete => vm.call_method(own, "__delete__", (func,)),
                }
                .map(drop)
            },
        );
    let getset = PyRef::new_ref(getset, vm.ctx.types.getset_type.to_owned(), None);
    function_type.set_attr(vm.ctx.intern_str("__code__"), getset.into());
    crate::frames::replace_frame_getter(vm, "f_code", |g| {
        g.with_get(|f: rustpython_vm::frame::FrameObjectRef| -> PyRef<PyCode> {
            let code = f.f_code();
            match compiled_for_code(&code) {
                Some(c) => c.shown.clone(),
                None => code,
            }
        })
    });
}

/// A stub or counted code object shows the program its function's own code: what its
/// bytecode says (`co_code`, `co_consts`, `co_linetable`, `co_positions()`, ...; `dis`,
/// `pdb` and `inspect` read these) is the function's, not rpyjit's trampoline or counting
/// code, and `code.replace(...)` (and `copy.replace`) copies the function's code. The
/// function's own instructions keep their offsets in both (rpyjit's units are appended
/// after them), so a frame's `f_lasti` indexes the code it shows (a frame is left in
/// rpyjit's units only at the unit they stand for, see `stubs::drop_stub_tb`).
/// Code whose counting had to go in front of its instructions shows itself.
fn show_own_code(vm: &VirtualMachine) {
    const READ: [&str; 11] = [
        "co_code",
        "_co_code_adaptive",
        "co_consts",
        "co_names",
        "co_varnames",
        "co_cellvars",
        "co_freevars",
        "co_nlocals",
        "co_stacksize",
        "co_linetable",
        "co_exceptiontable",
    ];
    const CALLED: [&str; 6] = [
        "co_lines",
        "co_positions",
        "co_branches",
        "_varname_from_oparg",
        "replace",
        "__replace__",
    ];
    let code_type = vm.ctx.types.code_type;
    for name in READ {
        let Some(orig) = code_type.get_attr(vm.ctx.intern_str(name)) else {
            continue;
        };
        let getset = rustpython_vm::builtins::PyGetSet::new(name, code_type, &vm.ctx).with_get(
            move |zelf: PyRef<PyCode>, vm: &VirtualMachine| -> PyResult {
                vm.call_method(&orig, "__get__", (shown_code(&zelf),))
            },
        );
        let getset = PyRef::new_ref(getset, vm.ctx.types.getset_type.to_owned(), None);
        code_type.set_attr(vm.ctx.intern_str(name), getset.into());
    }
    for name in CALLED {
        let Some(orig) = code_type.get_attr(vm.ctx.intern_str(name)) else {
            continue;
        };
        let method = vm.new_method(
            name,
            code_type,
            move |zelf: PyRef<PyCode>, mut args: FuncArgs, vm: &VirtualMachine| -> PyResult {
                args.args.insert(0, shown_code(&zelf).into());
                orig.call(args, vm)
            },
        );
        code_type.set_attr(vm.ctx.intern_str(name), method.into());
    }
}

/// The code a code object shows the program ([`show_own_code`]).
fn shown_code(code: &PyRef<PyCode>) -> PyRef<PyCode> {
    if crate::counted::keeps_offsets(code) {
        original_code(code)
    } else {
        code.clone()
    }
}

/// The function code `code` stands for: the compiled function's own code if `code` is an
/// rpyjit stub (a function can be made from another's `__code__`, e.g.
/// `types.FunctionType(f.__code__, globals)`), and without its counting prologue if it has
/// one.
pub fn original_code(code: &Py<PyCode>) -> PyRef<PyCode> {
    if let Some(c) = compiled_for_code(code) {
        return c.original_code();
    }
    crate::counted::plain_of(code).unwrap_or_else(|| code.to_owned())
}

/// `@rpyjit.interpreted`: `func` runs in the interpreter from now on (its own code,
/// without the counting prologue, and no longer native if it was compiled).
pub fn keep_interpreted(vm: &VirtualMachine, func: &PyRef<PyFunction>) -> PyResult<()> {
    let current = function_code(vm, func)?;
    let plain = original_code(&current);
    crate::exclude::keep(&plain);
    if !current.is(&plain) {
        set_code(vm, func, plain)?;
    }
    Ok(())
}
