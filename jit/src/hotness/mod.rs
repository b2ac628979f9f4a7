//! Hotness counting. Every function code object gets, where it is born, a counting
//! prologue (`__rpyjit_count__()`, a builtin) before its first instruction. The count is
//! per code object and deterministic: a function runs in the interpreter for its first
//! `max(threshold, 1)` calls, is handed to the JIT during that last one, and runs natively
//! from the next call on. A function the JIT refuses gets its uninstrumented code back, so
//! code that never gets hot pays one builtin call per call until then, and nothing after.
//! Code that cannot be compiled, or would not gain (no loop), is not instrumented at all.
//!
//! Code is born (and instrumented) in (hooks in [`sources`]):
//! - the main script, `-c` and stdin (the runtime's `exec`);
//! - `compile()`, and `exec`/`eval` of a string; importlib compiles modules imported from
//!   source with `compile()`, and so does `zipimport`;
//! - `.pyc` files (importlib's `_compile_bytecode`);
//! - the frozen stdlib (`_imp.get_frozen_object`, where `FrozenImporter` and `runpy` get a
//!   frozen module's code). RustPython freezes the whole pure-Python stdlib.
//!
//! Not counted: modules imported before the hooks are installed (importlib itself,
//! `codecs`, `encodings`, `zipimport`, ...: what the VM imports while it starts), code run
//! with builtins of its own (`exec`/`eval` whose globals' `__builtins__` lacks the counting
//! builtins, as `namedtuple`'s; a code object from `compile()` runs uninstrumented there),
//! and `__annotate__` and evaluate functions, which `annotationlib` runs with fake
//! globals. `marshal` writes code without the counting, so a `.pyc` written with the JIT
//! on loads without it. Generators, coroutines, class bodies and module code are left
//! alone: the JIT does not compile them.

//!
//! - [`instrument`]: the counting prologue and loop hooks put on function code.
//! - [`counting`]: the builtins that count calls and loop iterations.
//! - [`loops`]: the builtins that take a hot loop's frame values and enter it natively.
//! - [`sources`]: the hooks where code is born.
//!
//! When code is hot (each interpreter's threshold) is [`crate::policy`]'s call.

mod counting;
mod instrument;
mod loops;
mod sources;

use std::sync::atomic::AtomicU32;
use std::sync::Arc;

use rustpython_vm::builtins::{PyCode, PyFunction};
use rustpython_vm::{AsObject, Py, PyObjectRef, PyRef, PyResult, VirtualMachine};

use crate::entry;
pub use crate::policy::{interpreter_key, set_threshold, threshold};
pub use instrument::instrument;

pub const COUNT_BUILTIN: &str = "__rpyjit_count__";

/// Called on every back-edge of a hooked loop (see [`crate::rewrite::with_back_edge_hooks`]).
pub const LOOP_BUILTIN: &str = "__rpyjit_loop__";

/// Called when a hooked loop is hot: continues the function natively from the loop header.
pub const OSR_BUILTIN: &str = "__rpyjit_osr__";
pub const OSR_TAKE_BUILTIN: &str = "__rpyjit_osr_take__";

/// Called by the counting prologue when the function was just compiled: runs this very
/// call natively.
pub const ENTER_NOW_BUILTIN: &str = "__rpyjit_enter_now__";
pub const INSTRUMENT_BUILTIN: &str = "__rpyjit_instrument__";

impl Hot {
    /// The analysis of `plain` (it succeeded once, when instrumenting: it is the same now).
    fn analysis(&self) -> Option<&Arc<crate::bytecode::Analysis>> {
        if self.analysis.get().is_none() {
            let a = crate::bytecode::Analysis::new(&self.plain.code).ok()?;
            let _ = self.analysis.set(Arc::new(a));
        }
        self.analysis.get()
    }
}

struct Hot {
    /// The function's code without the counting prologue (nested code instrumented).
    plain: PyRef<PyCode>,
    /// `plain`'s analysis, made again when a loop gets hot: most instrumented code never
    /// does, and keeping every function's analysis from birth cost more memory than the
    /// counting copies themselves.
    analysis: std::sync::OnceLock<Arc<crate::bytecode::Analysis>>,
    /// Per hooked back-edge, by hook number.
    loops: Vec<Loop>,
    /// The code that runs in the interpreter (registry key, held weakly: the entry goes
    /// with it): its quickened instructions, `prologue` units after the start, are the
    /// type profile of `plain`.
    instrumented: PyRef<rustpython_vm::builtins::PyWeak>,
    prologue: u32,
    calls: AtomicU32,
}

/// One hooked loop: its iteration count and its native code for on-stack replacement.
struct Loop {
    site: crate::rewrite::LoopSite,
    iterations: AtomicU32,
    /// Set when the loop cannot run natively: the hook stops asking.
    disabled: std::sync::atomic::AtomicBool,
    osr: entry::OsrCache,
}

impl Hot {
    /// The instrumented code, while it lives (always, for a frame running it).
    fn instrumented(&self) -> Option<PyRef<PyCode>> {
        self.instrumented.upgrade()?.downcast().ok()
    }
}

/// Instrumented code → what counting it needs. An entry lives as long as its code:
/// functions created and dropped at run time leave nothing behind.
static HOT: crate::by_object::ByObject<Arc<Hot>> = crate::by_object::ByObject::new();

fn lookup(code: &Py<PyCode>) -> Option<Arc<Hot>> {
    HOT.get(code.as_object())
}

/// `code` without a counting prologue or loop hook anywhere in it (nested code
/// included): for where counting cannot work, such as code run with builtins of its own
/// or written out by `marshal`.
pub fn deeply_uninstrumented(vm: &VirtualMachine, code: &Py<PyCode>) -> PyRef<PyCode> {
    let base = entry::original_code(code);
    with_nested_code(vm, &base, &|inner| deeply_uninstrumented(vm, inner)).unwrap_or(base)
}

/// `code` with every code object among its constants replaced by `f` of it, or `None`
/// when `f` returned each one unchanged (no copy is made then).
fn with_nested_code(
    vm: &VirtualMachine,
    code: &Py<PyCode>,
    f: &dyn Fn(&Py<PyCode>) -> PyRef<PyCode>,
) -> Option<PyRef<PyCode>> {
    let mut changed = false;
    let constants = code
        .code
        .constants
        .iter()
        .map(|lit| {
            let o: PyObjectRef = lit.clone().into();
            match o.downcast::<PyCode>() {
                Ok(inner) => {
                    let done = f(&inner);
                    changed |= !done.is(&inner);
                    PyObjectRef::from(done).into()
                }
                Err(o) => o.into(),
            }
        })
        .collect();
    changed.then(|| {
        let mut c = code.code.clone();
        c.constants = constants;
        crate::rewrite::with_file_name_of(vm.ctx.new_code(c), code)
    })
}

/// Installs the counting builtins and the hooks where code is born ([`sources`]);
/// `threshold` as `-X jit-threshold`.
pub fn install(vm: &VirtualMachine, threshold: u32) -> PyResult<()> {
    let threshold: Arc<AtomicU32> = crate::policy::install_threshold(vm, threshold);
    let t = threshold.clone();
    let count_fn = vm.new_function(COUNT_BUILTIN, move |vm: &VirtualMachine| {
        counting::count(vm, &t)
    });
    vm.builtins.set_attr(COUNT_BUILTIN, count_fn, vm)?;
    let instrument_fn = vm.new_function(
        INSTRUMENT_BUILTIN,
        |code: PyObjectRef, vm: &VirtualMachine| -> PyObjectRef {
            match code.downcast::<PyCode>() {
                Ok(c) => instrument(vm, &c).into(),
                Err(other) => other,
            }
        },
    );
    vm.builtins
        .set_attr(INSTRUMENT_BUILTIN, instrument_fn, vm)?;
    let loop_fn = vm.new_function(LOOP_BUILTIN, move |k: u32, vm: &VirtualMachine| {
        counting::count_iteration(k, vm, &threshold)
    });
    vm.builtins.set_attr(LOOP_BUILTIN, loop_fn, vm)?;
    vm.builtins.set_attr(
        OSR_BUILTIN,
        vm.new_function(OSR_BUILTIN, loops::enter_loop),
        vm,
    )?;
    vm.builtins.set_attr(
        OSR_TAKE_BUILTIN,
        vm.new_function(OSR_TAKE_BUILTIN, loops::take_loop_values),
        vm,
    )?;
    vm.builtins.set_attr(
        ENTER_NOW_BUILTIN,
        vm.new_function(ENTER_NOW_BUILTIN, counting::enter_now),
        vm,
    )?;
    sources::install(vm)
}

/// Whether the counting builtins are installed in `vm`'s interpreter (the JIT is on there;
/// code instrumented for it would fail elsewhere).
pub fn counts_in(vm: &VirtualMachine) -> bool {
    vm.builtins.get_attr(COUNT_BUILTIN, vm).is_ok()
}

/// The function object whose frame called the running builtin.
pub(crate) fn calling_function() -> Option<PyRef<PyFunction>> {
    // SAFETY: a builtin runs on the calling frame's thread while that frame is live; the
    // pointer from `current_thread_iframe` is that frame (or null).
    let func: Option<PyObjectRef> = unsafe {
        let f = rustpython_vm::frame::current_thread_iframe();
        (!f.is_null())
            .then(|| (*f).func_obj().map(|o| o.to_owned()))
            .flatten()
    };
    func.and_then(|f| f.downcast::<PyFunction>().ok())
}

/// Runs `f` on the registry entry of the code the calling frame runs, if it is counted.
/// This is on every counted call and back-edge: no lock and no reference counting on the
/// way (the last code object looked up on this thread is remembered).
fn with_calling_hot<R>(f: impl FnOnce(&Arc<Hot>) -> R) -> Option<R> {
    let frame = rustpython_vm::frame::current_thread_iframe();
    if frame.is_null() {
        return None;
    }
    // SAFETY: a builtin runs on the calling frame's thread while that frame is live.
    let id = unsafe { (*frame).code().as_object().get_id() };
    LAST_HOT.with(|last| {
        let mut last = last.borrow_mut();
        if last
            .as_ref()
            .is_none_or(|(code, _)| code.as_object().get_id() != id)
        {
            // SAFETY: as above.
            let code = unsafe { (*frame).code() };
            *last = lookup(code).map(|hot| (code.to_owned(), hot));
        }
        last.as_ref().map(|(_, hot)| f(hot))
    })
}

thread_local! {
    /// The code object the last counting builtin on this thread ran for, and its entry.
    /// Holding the code keeps its id from being reused while it is remembered.
    static LAST_HOT: std::cell::RefCell<Option<(PyRef<PyCode>, Arc<Hot>)>> =
        const { std::cell::RefCell::new(None) };
}
