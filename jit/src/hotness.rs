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

use std::collections::HashMap;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};

use rustpython_vm::builtins::{PyCode, PyFunction};
use rustpython_vm::bytecode::{CodeFlags, Instruction};
use rustpython_vm::{AsObject, Py, PyObjectRef, PyRef, PyResult, VirtualMachine};

use crate::entry;

mod sources;

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

struct Hot {
    /// The function's code without the counting prologue (nested code instrumented).
    plain: PyRef<PyCode>,
    analysis: Arc<crate::bytecode::Analysis>,
    /// Per hooked back-edge, by hook number.
    loops: Vec<Loop>,
    /// The code that runs in the interpreter (registry key): its quickened instructions,
    /// `prologue` units after the start, are the type profile of `plain`.
    instrumented: PyRef<PyCode>,
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

static HOT: Mutex<Option<HashMap<usize, Arc<Hot>>>> = Mutex::new(None);
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

fn lookup(code: &Py<PyCode>) -> Option<Arc<Hot>> {
    HOT.lock()
        .unwrap_or_else(|p| p.into_inner())
        .as_ref()?
        .get(&code.as_object().get_id())
        .cloned()
}

/// Whether `code` has rpyjit's counting prologue: calls of it are counted wherever they
/// come from (it has a loop or calls itself, or the threshold is 0).
pub fn is_counted(code: &Py<PyCode>) -> bool {
    lookup(code).is_some()
}

/// The function code `code` stands for: without its counting prologue, if it has one,
/// and the compiled function's own code if `code` is an rpyjit stub (a function can be
/// made from another's `__code__`, e.g. `types.FunctionType(f.__code__, globals)`).
pub fn uninstrumented(code: &Py<PyCode>) -> PyRef<PyCode> {
    if let Some(c) = entry::compiled_for_code(code) {
        return c.original_code();
    }
    lookup(code).map_or_else(|| code.to_owned(), |h| h.plain.clone())
}

/// `code` without a counting prologue or loop hook anywhere in it (nested code
/// included): for where counting cannot work, such as code run with builtins of its own
/// or written out by `marshal`.
pub fn deeply_uninstrumented(vm: &VirtualMachine, code: &Py<PyCode>) -> PyRef<PyCode> {
    let base = uninstrumented(code);
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
        vm.ctx.new_code(c)
    })
}

/// Installs the counting builtins and the hooks where code is born ([`sources`]);
/// `threshold` as `-X jit-threshold`.
pub fn install(vm: &VirtualMachine, threshold: u32) -> PyResult<()> {
    let threshold = Arc::new(AtomicU32::new(threshold));
    {
        let key = interpreter_key(vm);
        let mut all = THRESHOLDS.lock().unwrap_or_else(|p| p.into_inner());
        all.retain(|(k, _)| *k != key);
        all.push((key, threshold.clone()));
        // An interpreter dropped before may have had this address.
        LAST.with(|l| *l.borrow_mut() = None);
    }
    let t = threshold.clone();
    let count_fn = vm.new_function(COUNT_BUILTIN, move |vm: &VirtualMachine| count(vm, &t));
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
        count_iteration(k, vm, &threshold)
    });
    vm.builtins.set_attr(LOOP_BUILTIN, loop_fn, vm)?;
    vm.builtins
        .set_attr(OSR_BUILTIN, vm.new_function(OSR_BUILTIN, enter_loop), vm)?;
    vm.builtins.set_attr(
        OSR_TAKE_BUILTIN,
        vm.new_function(OSR_TAKE_BUILTIN, take_loop_values),
        vm,
    )?;
    vm.builtins.set_attr(
        ENTER_NOW_BUILTIN,
        vm.new_function(ENTER_NOW_BUILTIN, enter_now),
        vm,
    )?;
    sources::install(vm)
}

/// Whether the counting builtins are installed in `vm`'s interpreter (the JIT is on there;
/// code instrumented for it would fail elsewhere).
pub fn counts_in(vm: &VirtualMachine) -> bool {
    vm.builtins.get_attr(COUNT_BUILTIN, vm).is_ok()
}

fn is_function_code(code: &Py<PyCode>) -> bool {
    let f = code.code.flags;
    f.contains(CodeFlags::OPTIMIZED | CodeFlags::NEWLOCALS)
        && !f.intersects(
            CodeFlags::GENERATOR
                | CodeFlags::COROUTINE
                | CodeFlags::ASYNC_GENERATOR
                | CodeFlags::ITERABLE_COROUTINE,
        )
}

/// `code` and every code object nested in its constants, with counting prologues on the
/// function bodies.
pub fn instrument(vm: &VirtualMachine, code: &Py<PyCode>) -> PyRef<PyCode> {
    if lookup(code).is_some() {
        return code.to_owned();
    }
    // Nested code first: functions defined by this code are created from these constants.
    // A copy only when a nested code object changed: code that went through here already
    // comes back as it is.
    let plain = with_nested_code(vm, code, &|inner| instrument(vm, inner))
        .unwrap_or_else(|| code.to_owned());
    if !is_function_code(&plain) {
        return plain;
    }
    if let Some(reason) = entry::unsupported(&plain) {
        crate::stats::STATS.skipped(reason);
        return plain;
    }
    // Every function is counted, loop or not: calls from native code to a compiled
    // function go native to native, which is where loop-free functions win.
    // A function without a loop that does not call itself is left alone here: entering
    // native code through the stub costs more than interpreting a short body, and
    // swapping a function's `__code__` costs RustPython's call-site specializations. Such
    // functions are compiled when native code calls them often (see
    // `helpers::call_positional`), and are then called native to native.
    let loop_free = !plain
        .code
        .instructions
        .iter()
        .any(|u| matches!(u.op.deoptimize(), Instruction::JumpBackward { .. }))
        && !plain
            .code
            .names
            .iter()
            .any(|n| n.as_str() == plain.code.obj_name.as_str());
    // At threshold 0 (compile everything, to exercise the JIT) they are counted too.
    if loop_free && threshold(vm) > 0 {
        crate::stats::STATS.skipped("no loop: compiled when native code calls it");
        return plain;
    }
    let Ok(analysis) = crate::bytecode::Analysis::new(&plain.code) else {
        crate::stats::STATS.skipped("bytecode analysis failed");
        return plain;
    };
    // Back-edges count iterations so a hot loop of a function called once (a `main`)
    // still reaches native code.
    let names = crate::rewrite::HookNames {
        count: LOOP_BUILTIN,
        take: OSR_TAKE_BUILTIN,
        enter: OSR_BUILTIN,
        drop_tb: entry::DROP_TB_BUILTIN,
    };
    let (hooked, sites) = crate::rewrite::with_back_edge_hooks(vm, &plain, &analysis, &names)
        .unwrap_or_else(|| (plain.clone(), Vec::new()));
    // The counting code; when this call made the function hot, the call itself runs
    // natively (so `-X jit-threshold=0` compiles before the first execution):
    //
    //     0:     JUMP_FORWARD count                 (over the first instructions)
    //            (the function's code, loop hooks)
    //     count: LOAD_GLOBAL count+NULL; CALL 0; POP_JUMP_IF_FALSE body
    //            LOAD_GLOBAL enter_now+NULL; LOAD_FAST_AND_CLEAR arg...; CALL n
    //            RETURN_VALUE
    //            handler: (`Emitter::drop_tb_and_reraise`)
    //     body:  (the instructions the jump displaced: RESUME, MAKE_CELL...)
    //            JUMP_BACKWARD_NO_INTERRUPT (the first instruction not displaced)
    //
    // An exception from the native run already went through the function's own
    // handlers: the handler only drops this frame's duplicate traceback entry. The
    // arguments move to native code (the frame keeps none: an argument rebound there dies
    // then, as in the interpreter); before the displaced instructions, no slot is a cell.
    let nargs = crate::translate::arg_slots(&plain) as u32;
    let counting = |e: &mut crate::rewrite::Emitter| {
        use rustpython_vm::bytecode::Arg;
        e.call_builtin(COUNT_BUILTIN);
        // Jump distance: the enter sequence and the handler, measured on a scratch copy.
        let tail = |e: &mut crate::rewrite::Emitter, dry: bool| -> u32 {
            let start = e.units.len() as u32;
            e.load_global_for_call(ENTER_NOW_BUILTIN);
            for i in 0..nargs {
                e.emit(
                    Instruction::LoadFastAndClear {
                        var_num: Arg::marker(),
                    },
                    i,
                );
            }
            e.emit(
                Instruction::Call {
                    argc: Arg::marker(),
                },
                nargs,
            );
            let call_end = e.units.len() as u32;
            e.emit(Instruction::ReturnValue, 0);
            let handler = e.units.len() as u32;
            e.drop_tb_and_reraise(entry::DROP_TB_BUILTIN);
            if !dry {
                e.handlers_push(start, call_end, handler);
            }
            e.units.len() as u32 - start
        };
        let at = e.units.len();
        let len = tail(e, true);
        e.units.truncate(at);
        e.emit(
            Instruction::PopJumpIfFalse {
                delta: Arg::marker(),
            },
            len,
        );
        tail(e, false);
        // Where this code goes in front of the function (see below), a frame running
        // it is on the `def` line, as while `RESUME` runs: the interpreter's position
        // there, for a program that looks at it (another thread, or the first call's
        // native code, which reports no position into a frame laid out this way).
        e.raises_at(0, 0);
    };
    // Appended after the function's units (which keep their places, so frames report
    // the function's own positions), or, where the first instructions cannot move, in
    // front of them.
    let (instrumented, prologue) = match crate::rewrite::with_entry_appended(
        vm,
        &hooked,
        6 + nargs,
        crate::rewrite::Appended::ResumeOriginal,
        counting,
    ) {
        Some(code) => (code, 0),
        None => {
            let code = crate::rewrite::with_prologue(vm, &hooked, 0, 6 + nargs, counting);
            let p = (code.code.instructions.len() - hooked.code.instructions.len()) as u32;
            (code, p)
        }
    };
    let loops = sites
        .into_iter()
        .map(|site| Loop {
            site,
            iterations: AtomicU32::new(0),
            disabled: std::sync::atomic::AtomicBool::new(false),
            osr: entry::OsrCache::default(),
        })
        .collect();
    HOT.lock()
        .unwrap_or_else(|p| p.into_inner())
        .get_or_insert_with(HashMap::new)
        .insert(
            instrumented.as_object().get_id(),
            Arc::new(Hot {
                plain,
                analysis: Arc::new(analysis),
                loops,
                instrumented: instrumented.clone(),
                prologue,
                calls: AtomicU32::new(0),
            }),
        );
    instrumented
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

/// `__rpyjit_count__()`: counts a call of the calling function's code and hands the
/// function to the JIT when it is hot. True when it was compiled now: the prologue then
/// runs this call natively ([`enter_now`]).
fn count(vm: &VirtualMachine, threshold: &AtomicU32) -> PyResult<bool> {
    let Some((hot, n)) =
        with_calling_hot(|hot| (hot.clone(), hot.calls.fetch_add(1, Ordering::Relaxed) + 1))
    else {
        return Ok(false);
    };
    // Nothing is compiled while a tracer or profiler watches: it must see every call.
    if n < threshold.load(Ordering::Relaxed).max(1)
        || vm.use_tracing.get()
        || entry::stepped_aside()
    {
        return Ok(false);
    }
    let code = &hot.instrumented;
    let Some(func) = calling_function() else {
        return Ok(false);
    };
    // Only the function objects still running this instrumented code are affected.
    let current = func.as_object().get_attr("__code__", vm)?;
    if !current.is(code.as_object()) {
        return Ok(false);
    }
    let profile = Some((hot.instrumented.clone(), hot.prologue));
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
fn enter_now(args: rustpython_vm::function::FuncArgs, vm: &VirtualMachine) -> PyResult {
    let internal = || vm.new_system_error("rpyjit: __rpyjit_enter_now__ called outside a prologue");
    let func = calling_function().ok_or_else(internal)?;
    let code = func
        .as_object()
        .get_attr("__code__", vm)?
        .downcast::<PyCode>()
        .map_err(|_| internal())?;
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
fn count_iteration(k: u32, vm: &VirtualMachine, threshold: &AtomicU32) -> bool {
    with_calling_hot(|hot| {
        let Some(l) = hot.loops.get(k as usize) else {
            return false;
        };
        if l.disabled.load(Ordering::Relaxed) || entry::stepped_aside() || vm.use_tracing.get() {
            return false;
        }
        let n = l.iterations.fetch_add(1, Ordering::Relaxed) + 1;
        n >= threshold.load(Ordering::Relaxed).max(1)
    })
    .unwrap_or(false)
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
        if last.as_ref().is_none_or(|(key, _)| *key != id) {
            let hot = HOT
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .as_ref()
                .and_then(|m| m.get(&id).cloned());
            *last = hot.map(|h| (id, h));
        }
        last.as_ref().map(|(_, hot)| f(hot))
    })
}

thread_local! {
    /// The code object the last counting builtin on this thread ran for. Registry
    /// entries are never removed, so a remembered id stays valid.
    static LAST_HOT: std::cell::RefCell<Option<(usize, Arc<Hot>)>> =
        const { std::cell::RefCell::new(None) };
}

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
fn take_loop_values(args: rustpython_vm::function::FuncArgs, vm: &VirtualMachine) -> PyResult<()> {
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
fn enter_loop(args: rustpython_vm::function::FuncArgs, vm: &VirtualMachine) -> PyResult {
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
    let mut target = entry::Target::new(vm, &func, &hot.plain, &hot.analysis)?;
    target.set_profile(hot.instrumented.clone(), hot.prologue);
    // A loop that cannot or should not run natively stops asking; once no loop of the
    // function will, the function object gets its plain code back, so later calls pay
    // nothing for counting (this call continues in plain code already).
    let disable = || {
        l.disabled.store(true, Ordering::Relaxed);
        if hot.loops.iter().all(|l| l.disabled.load(Ordering::Relaxed)) {
            if let Ok(current) = func.as_object().get_attr("__code__", vm) {
                if current.is(hot.instrumented.as_object()) {
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
