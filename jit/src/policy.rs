//! The JIT's decisions and limits, in one place: whether it is on (installed, disabled
//! from Python, stepped aside for a tracer), when code is hot (each interpreter's
//! `-X jit-threshold`), which code may be compiled and in what order that is checked,
//! when compiling is not worth it, how many exits a site may take before its assumption
//! is dropped or the function gives up, and which code is left to the interpreter for
//! good. The mechanics (counting, compiling, entering, falling back) are in
//! [`crate::hotness`] and [`crate::entry`], which ask here.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};

use rustpython_vm::builtins::PyCode;
use rustpython_vm::{AsObject, Py, PyRef, VirtualMachine};

use crate::stats::STATS;
use crate::translate::{self, Refusal, Translation};

// On or off.

/// Whether the JIT's builtins exist (the JIT is on); `rpyjit.compile` is a no-op otherwise.
static INSTALLED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Set once a tracer, profiler or monitoring tool is installed: from then on every
/// function runs in the interpreter, so those tools see exactly what they see without
/// the JIT (calls, lines, returns of the function's one frame).
static STEPPED_ASIDE: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Whether the JIT has stepped aside for a tracer.
pub fn stepped_aside() -> bool {
    STEPPED_ASIDE.load(Ordering::Relaxed) || DISABLED.load(Ordering::Relaxed)
}

/// Records that a tracer, profiler or monitoring tool was installed; false if it was
/// recorded before (the functions were sent back then).
pub(crate) fn mark_stepped_aside() -> bool {
    !STEPPED_ASIDE.swap(true, Ordering::Relaxed)
}

/// `rpyjit.disable()`: set while the JIT is switched off from Python.
static DISABLED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Records `rpyjit.disable()`; false if the JIT was disabled already.
pub(crate) fn mark_disabled() -> bool {
    !DISABLED.swap(true, Ordering::Relaxed)
}

/// Records that the JIT's builtins are installed (the JIT is on).
pub(crate) fn mark_installed() {
    INSTALLED.store(true, Ordering::Relaxed);
}

/// Switches the JIT back on (`rpyjit.enable()`) for code that gets hot from now on.
pub fn enable() {
    DISABLED.store(false, Ordering::Relaxed);
}

/// Whether the JIT is on (installed, not disabled, not stepped aside for a tracer).
pub fn enabled() -> bool {
    INSTALLED.load(Ordering::Relaxed) && !stepped_aside()
}

// Hotness.

/// Each interpreter's threshold, by interpreter (the address of its global state, shared by
/// its threads' VMs); its counting builtins hold the same atomic.
static THRESHOLDS: Mutex<Vec<(usize, Arc<AtomicU32>)>> = Mutex::new(Vec::new());

/// Identifies `vm`'s interpreter (shared by the VMs of its threads) for the options kept
/// per interpreter.
pub fn interpreter_key(vm: &VirtualMachine) -> usize {
    rustpython_vm::common::rc::PyRc::as_ptr(&vm.state) as usize
}

thread_local! {
    // The interpreter this thread asked about last, and its threshold: native code asks
    // on each call of a callee not compiled yet, so no lock on the way.
    static LAST: std::cell::RefCell<Option<(usize, Arc<AtomicU32>)>> =
        const { std::cell::RefCell::new(None) };
}

fn threshold_cell(vm: &VirtualMachine) -> Option<Arc<AtomicU32>> {
    let key = interpreter_key(vm);
    let all = THRESHOLDS.lock().unwrap_or_else(|p| p.into_inner());
    all.iter().find(|(k, _)| *k == key).map(|(_, t)| t.clone())
}

/// `-X jit-threshold` of `vm`'s interpreter. At 0 (compile everything, a testing mode)
/// the profitability estimate is not applied.
pub fn threshold(vm: &VirtualMachine) -> u32 {
    let key = interpreter_key(vm);
    let cached = LAST.with(|l| {
        l.borrow()
            .as_ref()
            .filter(|(k, _)| *k == key)
            .map(|(_, t)| t.load(Ordering::Relaxed))
    });
    cached.unwrap_or_else(|| match threshold_cell(vm) {
        Some(t) => {
            let n = t.load(Ordering::Relaxed);
            LAST.with(|l| *l.borrow_mut() = Some((key, t)));
            n
        }
        None => crate::DEFAULT_THRESHOLD,
    })
}

/// Sets the threshold of `vm`'s interpreter for counts from now on (`rpyjit.set_threshold`).
pub fn set_threshold(vm: &VirtualMachine, n: u32) {
    if let Some(t) = threshold_cell(vm) {
        t.store(n, Ordering::Relaxed);
    }
}

/// Registers `vm`'s interpreter's threshold (`-X jit-threshold`); its counting builtins
/// hold the atomic returned.
pub(crate) fn install_threshold(vm: &VirtualMachine, threshold: u32) -> Arc<AtomicU32> {
    let threshold = Arc::new(AtomicU32::new(threshold));
    let key = interpreter_key(vm);
    let mut all = THRESHOLDS.lock().unwrap_or_else(|p| p.into_inner());
    all.retain(|(k, _)| *k != key);
    all.push((key, threshold.clone()));
    // An interpreter dropped before may have had this address.
    LAST.with(|l| *l.borrow_mut() = None);
    threshold
}

/// Whether the `n`th call or iteration makes code hot: code runs in the interpreter for
/// its first `max(threshold, 1)` calls (or iterations).
#[inline]
pub(crate) fn is_hot(n: u32, threshold: &AtomicU32) -> bool {
    n >= threshold.load(Ordering::Relaxed).max(1)
}

/// Whether counting may hand code to the JIT now: nothing is compiled while a tracer or
/// profiler watches, which must see every call and line.
#[inline]
pub(crate) fn may_compile_now(vm: &VirtualMachine) -> bool {
    !vm.use_tracing.get() && !stepped_aside()
}

// Which code may be compiled.

/// Why `code` cannot be compiled whatever its arguments; hotness counting skips such code
/// entirely, so it pays nothing.
pub fn unsupported(code: &Py<PyCode>) -> Option<&'static str> {
    translate::unsupported_shape(code)
}

/// The checks every compilation makes before translating, in this order: the JIT is on
/// and not stepped aside (not recorded as refusals), the user's exclusions (`excluded`,
/// asked only then), the code's shape, and, for code that got hot (`profiled`), whether
/// it was left to the interpreter before.
pub(crate) fn may_compile(
    original: &Py<PyCode>,
    profiled: bool,
    excluded: impl FnOnce() -> Option<&'static str>,
) -> Result<(), Refusal> {
    if !INSTALLED.load(Ordering::Relaxed) {
        return Err(Refusal("the JIT is off".into()));
    }
    if stepped_aside() {
        return Err(Refusal("a tracer is active".into()));
    }
    if let Some(reason) = excluded() {
        return refused(reason);
    }
    if let Some(reason) = unsupported(original) {
        return refused(reason);
    }
    if let Some(reason) = profiled.then(|| left_alone(original)).flatten() {
        return refused(reason);
    }
    Ok(())
}

/// Records a refusal in the statistics and returns it.
pub(crate) fn refused<T>(reason: impl Into<String>) -> Result<T, Refusal> {
    let reason = reason.into();
    STATS.refused(None, &reason);
    Err(Refusal(reason))
}

pub(crate) const UNPROFITABLE: &str =
    "not profitable: generator steps and string appends outweigh inline work (the interpreter does them in place)";

/// The profitability estimate ([`Translation::profitable`]), except at
/// `-X jit-threshold=0`, which compiles everything it can to exercise the JIT.
pub(crate) fn worth_compiling(vm: &VirtualMachine, t: &Translation) -> bool {
    threshold(vm) == 0 || t.profitable()
}

// Exits, recompiling and giving up.

/// Deopts of one site after which its assumption is dropped (the code is recompiled
/// with the instruction generic) or, if it is not an assumption, the function goes back
/// to the interpreter.
const MAX_SITE_DEOPTS: u64 = 100;

/// Recompilations of one specialization, after which a failing site sends the function
/// back to the interpreter.
const MAX_RECOMPILES: usize = 8;

/// Beyond this many versions of one loop, further entries run in the interpreter.
pub(crate) const MAX_OSR_VERSIONS: usize = 4;

/// Whether the `n`th deopt at one site is one too many: the site's assumption is dropped,
/// or the function gives up.
#[inline]
pub(crate) fn too_many_deopts(n: u64) -> bool {
    n >= MAX_SITE_DEOPTS
}

/// Whether a version compiled with `generic` instructions may be recompiled once more.
pub(crate) fn may_recompile(generic: &[usize]) -> bool {
    generic.len() < MAX_RECOMPILES
}

/// Code the JIT decided to leave to the interpreter for good, by the id of the code object
/// (kept alive here), with the reason: code whose native version kept exiting and was sent
/// back, and code refused as not profitable. Hot code is not compiled again
/// automatically, so a function that falls back does not cycle through compiling, exiting
/// and falling back, and a refused one is not translated again on each path that gets
/// hot (its calls, each of its loops, calls from native code).
static LEFT_ALONE: Mutex<Option<HashMap<usize, (PyRef<PyCode>, &'static str)>>> = Mutex::new(None);

pub(crate) const GAVE_UP_REASON: &str =
    "fell back to the interpreter before (exits kept happening)";

/// Remembers that hot `code` is left to the interpreter, and why.
pub(crate) fn leave_alone(code: &PyRef<PyCode>, reason: &'static str) {
    LEFT_ALONE
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .get_or_insert_with(HashMap::new)
        .insert(code.as_object().get_id(), (code.clone(), reason));
}

/// Why hot `code` is left to the interpreter, if it is ([`leave_alone`]).
pub(crate) fn left_alone(code: &Py<PyCode>) -> Option<&'static str> {
    LEFT_ALONE
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .as_ref()?
        .get(&code.as_object().get_id())
        .map(|(_, reason)| *reason)
}
