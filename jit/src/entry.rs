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

use std::cell::Cell;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use cranelift_codegen::Context;
use cranelift_jit::{JITBuilder, JITModule};
use cranelift_module::{default_libcall_names, Module};
use rustpython_vm::builtins::{
    PyBaseException, PyBaseExceptionRef, PyCode, PyFloat, PyFunction, PyInt,
};
use rustpython_vm::bytecode::Instruction;
use rustpython_vm::function::FuncArgs;
use rustpython_vm::{AsObject, Py, PyObjectRef, PyRef, PyResult, VirtualMachine};

use crate::bytecode::Analysis;
use crate::deopt::{self, FrameState};
use crate::frames::NativePosition;
use crate::stats::{self, STATS};
use crate::translate::{self, Kind, Refusal, Translation};

/// The builtin a stub calls.
pub const ENTER_BUILTIN: &str = "__rpyjit_enter__";
/// The builtin a stub's exception handler calls.
pub const DROP_TB_BUILTIN: &str = "__rpyjit_drop_tb__";

/// Deopts of one site after which its assumption is dropped (the code is recompiled
/// with the instruction generic) or, if it is not an assumption, the function goes back
/// to the interpreter.
const MAX_SITE_DEOPTS: u64 = 100;
/// Recompilations of one specialization, after which a failing site sends the function
/// back to the interpreter.
const MAX_RECOMPILES: usize = 8;

type NativeFn =
    unsafe extern "C" fn(*const u64, *mut u64, *const crate::helpers::NativeCtx<'static>) -> i64;

/// Native code of one specialization.
struct Native {
    entry: NativeFn,
    t: Translation,
    /// Continuation code per exit site, built on first use.
    /// Continuation code per exit site and state shape (which slots hold NULL, whether an
    /// exception is raised on resume: object slots may or may not be NULL at run time),
    /// built on first use.
    continuations: Mutex<HashMap<(usize, Vec<bool>), PyRef<PyCode>>>,
    site_deopts: Vec<AtomicU64>,
    /// How this version is entered (what it was specialized on), and its instructions
    /// compiled without assumptions: what a recompilation starts from.
    entered: translate::Entry,
    generic: Vec<usize>,
    /// The version compiled without the assumption that kept failing here (`None`: it
    /// could not be built). Callers holding this version follow the chain.
    replaced: OnceLock<Option<Box<Native>>>,
    name: String,
    /// The attribute sites' inline caches (`NativeCtx::attr_caches`).
    attr_caches: Box<[crate::helpers::AttrCache]>,
}

impl Native {
    /// Translates and compiles `target` entered as `entered`, with instructions `generic`
    /// compiled without assumptions. The profitability estimate applies unless `forced`.
    fn build(
        vm: &VirtualMachine,
        target: &Target,
        entered: translate::Entry,
        generic: Vec<usize>,
        forced: bool,
        name: String,
    ) -> Result<Native, Refusal> {
        let label = match generic.len() {
            0 => name.clone(),
            n => format!("{name} (recompiled, {n} instruction(s) generic)"),
        };
        let isa = crate::isa::host().map_err(|e| Refusal(e.0))?;
        let started = std::time::Instant::now();
        let h = crate::helpers::HelperTable::host(vm);
        let t = translate_guarded(target, &entered, &generic, &*isa, &h)?;
        if !forced && !worth_compiling(vm, &t) {
            STATS.unprofitable(&name, stats::Work::of(&t));
            // A first version refused is remembered; a recompilation without an
            // assumption that is refused says nothing about the function's other entries.
            if generic.is_empty() {
                leave_alone(&target.original, UNPROFITABLE);
            }
            return Err(Refusal(UNPROFITABLE.into()));
        }
        let entry = finalize(&t, &label)?;
        STATS.compiled(stats::Compilation {
            function: target.original.code.qualname.to_string(),
            source: stats::Source::of(&target.original),
            label,
            loop_at: match &entered {
                translate::Entry::Loop { at, .. } => Some(*at),
                _ => None,
            },
            generic_instructions: generic.len(),
            forced,
            work: stats::Work::of(&t),
            compile_time: started.elapsed(),
        });
        let sites = t.exits.len();
        let attr_caches = (0..t.attr_sites).map(|_| Default::default()).collect();
        Ok(Native {
            entry,
            t,
            continuations: Mutex::new(HashMap::new()),
            site_deopts: (0..sites).map(|_| AtomicU64::new(0)).collect(),
            entered,
            generic,
            replaced: OnceLock::new(),
            name,
            attr_caches,
        })
    }

    /// The newest version along the recompilation chain.
    fn latest(&self) -> &Native {
        let mut n = self;
        while let Some(Some(next)) = n.replaced.get() {
            n = next;
        }
        n
    }

    /// Called when exit `site` keeps being taken: the version that compiles the site's
    /// instruction without its assumption, if the exit is such an assumption (and the
    /// recompilation budget is not spent). CinderX and YJIT do the same: a guard that
    /// keeps failing is not worth its deopts.
    fn generalized(&self, vm: &VirtualMachine, target: &Target, site: usize) -> Option<&Native> {
        let exit = &self.t.exits[site];
        if exit.kind != translate::ExitKind::Guard || self.generic.len() >= MAX_RECOMPILES {
            return None;
        }
        let k = target.analysis.index_of(exit.resume_at)?;
        if !translate::can_generalize(target.analysis.insns[k].op) || self.generic.contains(&k) {
            return None;
        }
        self.replaced
            .get_or_init(|| {
                let mut generic = self.generic.clone();
                generic.push(k);
                generic.sort_unstable();
                let function = target.original.code.qualname.as_str();
                STATS.recompiled(function, &self.name, exit.resume_at, exit.reason);
                Native::build(
                    vm,
                    target,
                    self.entered.clone(),
                    generic,
                    false,
                    self.name.clone(),
                )
                .inspect_err(|r| STATS.refused(Some(function), &r.0))
                .ok()
                .map(Box::new)
            })
            .as_deref()
    }
}

/// What native code of one function runs against: the function, its own code and what
/// the helpers and deoptimization need from it.
pub struct Target {
    /// Held weakly: native code must not keep its function (and so its closure's cells
    /// and the objects in them) alive once the program dropped it. Every entry into native
    /// code has the running function in hand and passes it.
    func: WeakFunction,
    /// The function's own code (without rpyjit's hooks): what is translated, and what
    /// continuations are built from.
    original: PyRef<PyCode>,
    /// The function's `__globals__` and `__builtins__`, fixed at its creation.
    globals: rustpython_vm::builtins::PyDictRef,
    builtins: PyObjectRef,
    analysis: Arc<Analysis>,
    /// The code that ran in the interpreter and the unit where `original`'s first
    /// instruction sits in it: its quickened instructions are the type profile.
    profile: Option<(PyRef<PyCode>, u32)>,
    /// The frame exceptions caught natively name in their traceback.
    tb_frames: crate::helpers::TracebackFrames,
    /// The code reads its running frame (`sys._getframe`, `inspect.currentframe`,
    /// `warnings.warn`...): it runs natively only in an interpreter frame of its own, so
    /// the frame it finds is the one its tracebacks name and its position follows.
    reads_frames: bool,
}

impl Target {
    pub fn set_profile(&mut self, code: PyRef<PyCode>, offset: u32) {
        self.profile = Some((code, offset));
    }

    /// The specialized form the interpreter chose for each instruction, if it ran.
    fn quickened(&self) -> Vec<Instruction> {
        self.analysis
            .insns
            .iter()
            .map(|insn| match &self.profile {
                Some((code, offset)) => {
                    let i = (offset + insn.at) as usize;
                    let op = (i < code.code.instructions.len())
                        .then(|| code.code.instructions.read_op(i));
                    // Units the counting code's entry jump took over show the jump.
                    match op {
                        Some(op)
                            if std::mem::discriminant(&op.deoptimize())
                                == std::mem::discriminant(&insn.quickened.deoptimize()) =>
                        {
                            op
                        }
                        _ => insn.quickened,
                    }
                }
                None => self.original.code.instructions.read_op(insn.at as usize),
            })
            .collect()
    }
    pub fn new(
        vm: &VirtualMachine,
        func: &PyRef<PyFunction>,
        original: &PyRef<PyCode>,
        analysis: &Arc<Analysis>,
    ) -> PyResult<Self> {
        let globals = func
            .as_object()
            .get_attr("__globals__", vm)?
            .downcast()
            .map_err(|_| vm.new_type_error("__globals__ is not a dict"))?;
        let builtins = func.as_object().get_attr("__builtins__", vm)?;
        Ok(Self {
            func: WeakFunction::new(vm, func)?,
            original: original.clone(),
            globals,
            builtins,
            analysis: analysis.clone(),
            profile: None,
            tb_frames: Default::default(),
            reads_frames: translate::reads_frames(original, analysis),
        })
    }
}

/// A function object held without keeping it alive.
struct WeakFunction {
    weak: PyRef<rustpython_vm::builtins::PyWeak>,
    id: usize,
}

impl WeakFunction {
    fn new(vm: &VirtualMachine, func: &Py<PyFunction>) -> PyResult<Self> {
        Ok(Self {
            weak: func.as_object().downgrade(None, vm)?,
            id: func.as_object().get_id(),
        })
    }

    /// The function, while it is alive.
    fn get(&self) -> Option<PyRef<PyFunction>> {
        self.weak.upgrade()?.downcast().ok()
    }

    /// Whether `func` is this function (ids are unique among live objects).
    fn is(&self, func: &Py<PyFunction>) -> bool {
        func.as_object().get_id() == self.id && self.get().is_some()
    }
}

/// A function handed to the JIT.
pub struct Compiled {
    target: Target,
    /// The stub installed as `__code__`: held so its address, the registry key, is never
    /// reused while the entry exists. None for code compiled for native callers only
    /// ([`compile_for_native_callers`]).
    _stub: Option<PyRef<PyCode>>,
    /// Native callers must no longer use this code (it fell back to the interpreter).
    sent_back: std::sync::atomic::AtomicBool,
    /// Compiled on request (`rpyjit.compile`): no profitability estimate.
    forced: bool,
    /// Set at the first call, specialized on that call's argument kinds.
    native: OnceLock<Result<Native, Refusal>>,
    /// Compiled when the specialized entry guard misses: every argument an object.
    generic: OnceLock<Result<Native, Refusal>>,
    entry_misses: AtomicU64,
    /// Continuation that runs the function from its start in the interpreter.
    from_start: OnceLock<PyRef<PyCode>>,
}

impl Compiled {
    /// Whether this is `func`'s native code (and not a function that shares its code).
    pub fn is_for(&self, func: &Py<PyFunction>) -> bool {
        self.target.func.is(func)
    }

    /// The function's own code (what was translated).
    pub fn original_code(&self) -> PyRef<PyCode> {
        self.target.original.clone()
    }

    /// Whether native code may still call this (it has not fallen back).
    pub fn usable(&self) -> bool {
        !self.sent_back.load(Ordering::Relaxed)
    }
}

// SAFETY: with RustPython's `threading` feature objects are reference counted atomically
// and the VM's objects may be shared between threads; `Native` holds plain code pointers
// to immutable machine code and data guarded by mutexes/atomics.
unsafe impl Send for Compiled {}
unsafe impl Sync for Compiled {}

/// Code memory. Cranelift's JIT module is not `Send`; it is only touched under this mutex
/// and code is never freed, so pointers into it stay valid for the process's lifetime.
struct CodeMemory(JITModule);
// SAFETY: see above; all access is serialized by `MEMORY`'s mutex.
unsafe impl Send for CodeMemory {}

static MEMORY: Mutex<Option<CodeMemory>> = Mutex::new(None);
/// Compiled functions by the address of their stub code object (kept alive by `Compiled`'s
/// function, whose `__code__` it is, and by `stubs`).
static REGISTRY: Mutex<Option<HashMap<usize, Arc<Compiled>>>> = Mutex::new(None);

thread_local! {
    static PENDING_SIGNAL: std::cell::RefCell<Option<PyBaseExceptionRef>> = const { std::cell::RefCell::new(None) };
}

/// Back-edge helper called from native loops: runs the VM's signal check (Python signal
/// handlers such as the one raising KeyboardInterrupt). Returns 1 if it raised; the
/// exception is kept for `enter`, which raises it at the loop's line in the interpreter.
///
/// Invariant: only called from native code running under `enter` on this thread, which
/// made its VM the thread's (`helpers::with_vm`) for the call. Never unwinds: a panic counts as "no
/// signal" rather than crossing the native frames.
pub extern "C" fn backedge_check() -> i64 {
    let r = std::panic::catch_unwind(|| {
        let vm = crate::helpers::running_vm();
        if vm.is_null() {
            return 0;
        }
        // SAFETY: set by `enter` for the duration of the native call (see invariant).
        let vm = unsafe { &*vm };
        match vm.check_signals() {
            Ok(()) => {
                run_scheduled_gc(vm);
                0
            }
            Err(exc) => {
                PENDING_SIGNAL.with(|p| *p.borrow_mut() = Some(exc));
                1
            }
        }
    });
    r.unwrap_or(0)
}

/// The automatic collection an allocation asked for, run at this back-edge as the
/// interpreter runs it at its safepoint (`eval_breaker_work` → `run_scheduled_gc`). With
/// threads, the VM never collects inside the allocation that crosses generation 0's
/// threshold: it only schedules a collection for the next safepoint, and a native loop
/// that allocates without running interpreted code (`junk.append([])`) would otherwise
/// never reach one. The VM's own test (`collection_ready`) is not public; this is the
/// condition under which `maybe_collect` schedules. `collect` leaves a collection to a
/// collector already running (and clears the request itself).
fn run_scheduled_gc(vm: &VirtualMachine) {
    // Looked at every 64th back-edge: the count only grows by allocations, and a loop
    // that allocates a generation's worth between looks is collected a little later.
    thread_local!(static EDGES: std::cell::Cell<u32> = const { std::cell::Cell::new(0) });
    if EDGES.with(|e| {
        let n = e.get().wrapping_add(1);
        e.set(n);
        n % 64 != 0
    }) {
        return;
    }
    let gc = &vm.state.gc;
    if !gc.is_enabled() {
        return;
    }
    let threshold0 = gc.get_threshold().0 as usize;
    if threshold0 > 0 && rustpython_vm::gc_state::gc_state().get_count().0 >= threshold0 {
        gc.collect(0);
    }
}

/// Installs the builtins stubs and continuations call. Call once per interpreter.
pub fn install(vm: &VirtualMachine) -> PyResult<()> {
    // First: it checks that frames can be kept exact, and the JIT stays off if not.
    crate::frames::install(vm)?;
    deopt::install(vm)?;
    crate::helpers::install(vm)?;
    INSTALLED.store(true, Ordering::Relaxed);
    let enter = vm.new_function(ENTER_BUILTIN, enter);
    vm.builtins.set_attr(ENTER_BUILTIN, enter, vm)?;
    vm.builtins.set_attr(
        DROP_TB_BUILTIN,
        vm.new_function(DROP_TB_BUILTIN, drop_stub_tb),
        vm,
    )?;
    replace_own_code(vm);
    crate::tools::install(vm)
}

/// `code.replace(...)` (and `copy.replace`) on a stub or on counted code makes its copy
/// from the function's own code: a program that rewrites a compiled function's code
/// (`f.__code__ = f.__code__.replace(co_linetable=...)`) gets a copy of what it wrote,
/// not of rpyjit's trampoline.
fn replace_own_code(vm: &VirtualMachine) {
    let code_type = vm.ctx.types.code_type;
    for name in ["replace", "__replace__"] {
        let Some(orig) = code_type.get_attr(vm.ctx.intern_str(name)) else {
            continue;
        };
        let method = vm.new_method(
            name,
            code_type,
            move |zelf: PyRef<PyCode>, mut args: FuncArgs, vm: &VirtualMachine| -> PyResult {
                let own = crate::hotness::uninstrumented(&zelf);
                args.args.insert(0, own.into());
                orig.call(args, vm)
            },
        );
        code_type.set_attr(vm.ctx.intern_str(name), method.into());
    }
}

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

/// `rpyjit.disable()`: set while the JIT is switched off from Python.
static DISABLED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Switches the JIT off (`rpyjit.disable()`): compiled functions go back to the
/// interpreter and nothing new is compiled until [`enable`].
pub fn disable(vm: &VirtualMachine) {
    if DISABLED.swap(true, Ordering::Relaxed) {
        return;
    }
    send_all_back(vm);
}

/// Switches the JIT back on (`rpyjit.enable()`) for code that gets hot from now on.
pub fn enable() {
    DISABLED.store(false, Ordering::Relaxed);
}

/// Whether the JIT is on (installed, not disabled, not stepped aside for a tracer).
pub fn enabled() -> bool {
    INSTALLED.load(Ordering::Relaxed) && !stepped_aside()
}

/// `rpyjit.dump(f)`: the CLIF of `f` translated with object arguments and the host
/// machine code Cranelift produces for it (its VCode disassembly).
pub fn dump(vm: &VirtualMachine, func: &PyRef<PyFunction>) -> Result<String, Refusal> {
    use cranelift_codegen::control::ControlPlane;
    let code = code_of(func, vm).map_err(|_| Refusal("no code object".into()))?;
    let original = crate::hotness::uninstrumented(&code);
    if let Some(reason) = unsupported(&original) {
        return Err(Refusal(reason.into()));
    }
    let analysis = Analysis::new(&original.code).map_err(|e| Refusal(e.0))?;
    let target = Target::new(vm, func, &original, &Arc::new(analysis))
        .map_err(|_| Refusal("no __globals__ or __builtins__".into()))?;
    let isa = crate::isa::host().map_err(|e| Refusal(e.0))?;
    let kinds = vec![Kind::Obj; translate::arg_slots(&original)];
    let h = crate::helpers::HelperTable::host(vm);
    let t = translate_guarded(&target, &translate::Entry::Call(kinds), &[], &*isa, &h)?;
    let mut out = format!(
        "; {} (arguments as objects; {})\n{}",
        original.code.qualname,
        work_estimate(&t),
        t.func.display()
    );
    let mut ctx = Context::for_function(t.func);
    ctx.set_disasm(true);
    let compiled = ctx
        .compile(&*isa, &mut ControlPlane::default())
        .map_err(|e| Refusal(format!("Cranelift: {:?}", e.inner)))?;
    out += &format!(
        "\n; machine code for {}: {} bytes\n{}",
        isa.triple(),
        compiled.code_buffer().len(),
        compiled.vcode.clone().unwrap_or_default()
    );
    Ok(out)
}

/// Puts every compiled function back in the interpreter and stops compiling.
pub fn step_aside(vm: &VirtualMachine) {
    if STEPPED_ASIDE.swap(true, Ordering::Relaxed) {
        return;
    }
    STATS.fallback("a tracer, profiler or monitoring tool was installed");
    send_all_back(vm);
}

/// Gives every function that still runs through its stub its own code back.
fn send_all_back(vm: &VirtualMachine) {
    let all: Vec<Arc<Compiled>> = REGISTRY
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .as_ref()
        .map(|r| r.values().cloned().collect())
        .unwrap_or_default();
    for c in all {
        if let Some(func) = c.target.func.get().filter(|f| is_compiled(vm, f)) {
            let _ = set_code(vm, &func, c.target.original.clone());
        }
    }
}

/// Replaces `func.__code__` the way Python code would, then gives the function a fresh
/// version: assigning `__code__` invalidates it, and the interpreter only specializes
/// calls (e.g. `CALL_ALLOC_AND_ENTER_INIT`, `CALL_PY_EXACT_ARGS`) on versioned functions.
pub fn set_code(vm: &VirtualMachine, func: &Py<PyFunction>, code: PyRef<PyCode>) -> PyResult<()> {
    func.as_object().set_attr("__code__", code, vm)?;
    func.get_version_for_current_state();
    Ok(())
}

fn code_of(func: &Py<PyFunction>, vm: &VirtualMachine) -> PyResult<PyRef<PyCode>> {
    func.as_object()
        .get_attr("__code__", vm)?
        .downcast()
        .map_err(|_| vm.new_type_error("__code__ is not a code object"))
}

/// Hands `func` to the JIT: checks it can be analysed and installs the stub; the native
/// code is produced at the first call, for that call's argument kinds.
pub fn compile_function(vm: &VirtualMachine, func: &PyRef<PyFunction>) -> Result<(), Refusal> {
    let code = code_of(func, vm).map_err(|_| Refusal("no code object".into()))?;
    compile_function_from(vm, func, crate::hotness::uninstrumented(&code))
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
    let target = prepare_target(vm, func, &original, profile)?;
    let stub = stub_code(vm, &original);
    REGISTRY
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .get_or_insert_with(HashMap::new)
        .insert(
            stub.as_object().get_id(),
            Arc::new(Compiled::new(target, Some(stub.clone()), forced)),
        );
    set_code(vm, func, stub).map_err(|_| Refusal("__code__ could not be replaced".into()))?;
    Ok(())
}

/// What compiling `func` (running `original`) needs, once the JIT agrees to: the checks
/// every compilation makes and, for code that got hot (`profile` given) except at
/// threshold 0, the profitability estimate. Made before touching `__code__` (every swap
/// costs the interpreter's call-site specializations): one translation with object
/// arguments, when the profile has an instruction the estimate counts against.
fn prepare_target(
    vm: &VirtualMachine,
    func: &PyRef<PyFunction>,
    original: &PyRef<PyCode>,
    profile: Option<(PyRef<PyCode>, u32)>,
) -> Result<Target, Refusal> {
    if !INSTALLED.load(Ordering::Relaxed) {
        return Err(Refusal("the JIT is off".into()));
    }
    if stepped_aside() {
        return Err(Refusal("a tracer is active".into()));
    }
    if let Some(reason) = crate::exclude::reason(vm, func, original) {
        return refused(reason);
    }
    if let Some(reason) = unsupported(original) {
        return refused(reason);
    }
    if let Some(reason) = profile.as_ref().and_then(|_| left_alone(original)) {
        return refused(reason);
    }
    let analysis = Analysis::new(&original.code)
        .map_err(|e| Refusal(e.0))
        .or_else(|r| refused(r.0))?;
    let mut target = Target::new(vm, func, original, &Arc::new(analysis))
        .map_err(|_| Refusal("no __globals__ or __builtins__".into()))?;
    let Some((code, offset)) = profile else {
        return Ok(target);
    };
    target.set_profile(code, offset);
    // Only code the interpreter does partly in place can be unprofitable.
    if crate::hotness::threshold(vm) > 0 && target.quickened().iter().any(translate::done_in_place)
    {
        let kinds = vec![Kind::Obj; translate::arg_slots(original)];
        let isa = crate::isa::host().map_err(|e| Refusal(e.0))?;
        let h = crate::helpers::HelperTable::host(vm);
        match translate_guarded(&target, &translate::Entry::Call(kinds), &[], &*isa, &h) {
            Ok(t) if !worth_compiling(vm, &t) => {
                STATS.unprofitable(original.code.qualname.as_str(), stats::Work::of(&t));
                leave_alone(original, UNPROFITABLE);
                return refused(UNPROFITABLE);
            }
            Err(r) => return refused(r.0),
            Ok(_) => {}
        }
    }
    Ok(target)
}

impl Compiled {
    fn new(target: Target, stub: Option<PyRef<PyCode>>, forced: bool) -> Self {
        Compiled {
            target,
            _stub: stub,
            sent_back: std::sync::atomic::AtomicBool::new(false),
            forced,
            native: OnceLock::new(),
            generic: OnceLock::new(),
            entry_misses: AtomicU64::new(0),
            from_start: OnceLock::new(),
        }
    }
}

/// Compiles `func`, a function without a loop that native code calls often, for those
/// calls only: its `__code__` stays the interpreter's. Swapping in a stub would make every
/// call from the interpreter pay for entering native code (a frame and a builtin call,
/// more than a short body gains) and would cost the interpreter's call-site
/// specializations of it (measured: a native loop calling an interpreted method that
/// constructs objects ran 1.5x the interpreter's instructions). The compiled code is found
/// by [`native_code_for`] while `func` still has the code it was compiled from.
pub fn compile_for_native_callers(
    vm: &VirtualMachine,
    func: &PyRef<PyFunction>,
    original: PyRef<PyCode>,
    profile: (PyRef<PyCode>, u32),
) -> Result<Arc<Compiled>, Refusal> {
    let target = prepare_target(vm, func, &original, Some(profile))?;
    let c = Arc::new(Compiled::new(target, None, false));
    let mut map = NATIVE_CALLERS_ONLY
        .lock()
        .unwrap_or_else(|p| p.into_inner());
    let map = map.get_or_insert_with(HashMap::new);
    // Entries of functions the program dropped go when the map doubles.
    if map.len() >= 64 && map.len().is_power_of_two() {
        map.retain(|_, c| c.target.func.get().is_some());
    }
    map.insert(func.as_object().get_id(), c.clone());
    Ok(c)
}

/// Code compiled by [`compile_for_native_callers`], by the id of its function (held
/// weakly: an entry whose function died matches no live function, see
/// [`Compiled::is_for`]).
static NATIVE_CALLERS_ONLY: Mutex<Option<HashMap<usize, Arc<Compiled>>>> = Mutex::new(None);

/// The native code calls of `func` from native code run: `func`'s own compiled code,
/// through its stub or compiled for native callers only, while `func` still runs `code`.
pub fn native_code_for(func: &Py<PyFunction>, code: &Py<PyCode>) -> Option<Arc<Compiled>> {
    if let Some(c) = compiled_for_code(code) {
        return c.is_for(func).then_some(c);
    }
    let c = NATIVE_CALLERS_ONLY
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .as_ref()?
        .get(&func.as_object().get_id())
        .cloned()?;
    (c.is_for(func) && c.target.original.is(code) && c.usable()).then_some(c)
}

/// Why `code` cannot be compiled whatever its arguments; hotness counting skips such code
/// entirely, so it pays nothing.
pub fn unsupported(code: &Py<PyCode>) -> Option<&'static str> {
    translate::unsupported_shape(code)
}

fn refused<T>(reason: impl Into<String>) -> Result<T, Refusal> {
    let reason = reason.into();
    STATS.refused(None, &reason);
    Err(Refusal(reason))
}

/// Whether `func` currently runs through the JIT.
pub fn is_compiled(vm: &VirtualMachine, func: &Py<PyFunction>) -> bool {
    // A function made from another's stub code is not: it runs in the interpreter.
    code_of(func, vm)
        .ok()
        .and_then(|code| compiled_for_code(&code))
        .is_some_and(|c| c.is_for(func))
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
fn drop_stub_tb(exc: PyBaseExceptionRef, lasti: u32, vm: &VirtualMachine) -> u32 {
    let Some(tb) = exc.traceback() else {
        return lasti;
    };
    let next = tb.next.lock().clone();
    exc.set_traceback(next.clone());
    match (next, vm.current_frame()) {
        (Some(next), Some(here)) if next.frame.is(&*here) => (next.lasti / 2) as u32,
        _ => lasti,
    }
}

/// The unboxed kind of `obj` and its bits, or `None` for anything that stays an object.
fn kind_of(vm: &VirtualMachine, obj: &rustpython_vm::PyObject) -> Option<(Kind, u64)> {
    if let Some(i) = obj.downcast_ref_if_exact::<PyInt>(vm) {
        return i64::try_from(i.as_bigint())
            .ok()
            .map(|v| (Kind::Int, v as u64));
    }
    if obj.class().is(vm.ctx.types.bool_type) {
        return Some((Kind::Bool, obj.is(&vm.ctx.true_value) as u64));
    }
    if let Some(f) = obj.downcast_ref_if_exact::<PyFloat>(vm) {
        return Some((Kind::Float, f.to_f64().to_bits()));
    }
    None
}

/// The argument words for native code specialized on `kinds`, or `None` if an argument
/// does not fit its kind (the entry guard). Object arguments become owned pointers.
fn marshal(vm: &VirtualMachine, kinds: &[Kind], args: &[PyObjectRef]) -> Option<Vec<u64>> {
    if kinds.len() != args.len() {
        return None;
    }
    let mut words = Vec::with_capacity(2 * args.len());
    for (k, a) in kinds.iter().zip(args) {
        if !push_unboxed(vm, *k, a, &mut words)? {
            words.push(0);
        }
    }
    // Only now that the guard passed, hand over references.
    let mut slot = 0;
    for (k, a) in kinds.iter().zip(args) {
        if *k == Kind::Obj {
            words[slot] = PyObjectRef::into_raw(a.clone()).as_ptr() as u64;
        }
        slot += k.slots();
    }
    Some(words)
}

/// The entry guard of one argument: pushes the words of `a` as kind `k` unless `k` is
/// [`Kind::Obj`] (returns whether it pushed), `None` if `a` does not fit `k`. An
/// unboxed int or float takes its object along as a borrowed box: the caller keeps the
/// argument alive for the whole activation.
fn push_unboxed(
    vm: &VirtualMachine,
    k: Kind,
    a: &rustpython_vm::PyObject,
    words: &mut impl Extend<u64>,
) -> Option<bool> {
    if k == Kind::Obj {
        return Some(false);
    }
    match kind_of(vm, a) {
        Some((ak, bits)) if ak == k => {
            words.extend([bits]);
            if matches!(k, Kind::Int | Kind::Float) {
                words.extend([crate::helpers::address_of(a) | translate::BORROWED_BOX]);
            }
            Some(true)
        }
        _ => None,
    }
}

/// Rebuilds the object of a saved value (see [`translate::ExitSite`] for the layout).
/// # Safety
/// `words` are what native code stored for a value of kind `k`: an owned reference for
/// [`Kind::Obj`] (NULL allowed).
unsafe fn unmarshal(vm: &VirtualMachine, k: Kind, words: &[u64]) -> PyResult<Option<PyObjectRef>> {
    if let Some(b) = take_box(k, words) {
        return Ok(Some(b));
    }
    Ok(match k {
        Kind::Int => Some(vm.ctx.new_int(words[0] as i64).into()),
        Kind::Float => Some(vm.ctx.new_float(f64::from_bits(words[0])).into()),
        Kind::Bool => Some(vm.ctx.new_bool(words[0] != 0).into()),
        Kind::Obj => std::ptr::NonNull::new(words[0] as *mut rustpython_vm::PyObject)
            .map(|p| PyObjectRef::from_raw(p)),
        Kind::Range => {
            // Yields exactly what the native loop had left: next, next+step, ... (remaining).
            let (next, remaining, step) = (words[0] as i64, words[1], words[2] as i64);
            let stop = i128::from(next) + i128::from(remaining) * i128::from(step);
            let r = vm.ctx.types.range_type.as_object().call(
                (
                    vm.ctx.new_int(next),
                    vm.ctx.new_int(stop),
                    vm.ctx.new_int(step),
                ),
                vm,
            )?;
            Some(r.get_iter(vm)?.into())
        }
    })
}

/// The box saved with an unboxed int or float (see [`Kind`]), as an owned reference.
/// # Safety
/// `words` are a saved value of kind `k`; a box in them is owned, or borrowed from an
/// object that is still alive.
pub(crate) unsafe fn take_box(k: Kind, words: &[u64]) -> Option<PyObjectRef> {
    if !matches!(k, Kind::Int | Kind::Float) || words[1] == 0 {
        return None;
    }
    let p = (words[1] & !translate::BORROWED_BOX) as *mut rustpython_vm::PyObject;
    let p = std::ptr::NonNull::new(p)?;
    Some(if words[1] & translate::BORROWED_BOX != 0 {
        // SAFETY: a borrowed box is alive while the activation runs (caller's promise).
        unsafe { p.as_ref() }.to_owned()
    } else {
        // SAFETY: native code handed over the reference it owned.
        unsafe { PyObjectRef::from_raw(p) }
    })
}

/// Compiles `c` specialized on argument `kinds`; `generic` marks the all-objects version
/// used after the specialized one's entry guard missed.
fn native_for(
    vm: &VirtualMachine,
    c: &Compiled,
    kinds: &[Kind],
    generic: bool,
) -> Result<Native, Refusal> {
    let name = c.target.original.code.qualname.to_string();
    let name = if generic {
        format!("{name} (generic)")
    } else {
        name
    };
    Native::build(
        vm,
        &c.target,
        translate::Entry::Call(kinds.to_vec()),
        Vec::new(),
        c.forced,
        name,
    )
}

/// Translates with a safety net: a bug in the translator (a panic) refuses the function,
/// it never takes the process down.
fn translate_guarded(
    target: &Target,
    entry: &translate::Entry,
    generic: &[usize],
    isa: &dyn cranelift_codegen::isa::TargetIsa,
    h: &crate::helpers::HelperTable,
) -> Result<Translation, Refusal> {
    let mut profile = translate::Profile::new(target.quickened());
    profile.generic = generic.to_vec();
    let t = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        translate::translate(&target.original, &target.analysis, &profile, entry, isa, h)
    }))
    .unwrap_or_else(|_| Err(Refusal("translator error (a bug): see stderr".into())))?;
    if cross_isa_check_enabled() {
        cross_isa_check(target, entry, &profile, h);
    }
    if crate::options::debug_knobs().dump_clif {
        eprintln!(
            "; rpyjit: {} {entry:?}\n{}",
            target.original.code.qualname,
            t.func.display()
        );
    }
    Ok(t)
}

/// `RPYJIT_CROSS_ISA=1`: every function compiled for the host is also translated and
/// verified and compiled for the other supported architecture, and the outcome counted
/// in the statistics. Tests run the corpus with it to keep one code path for both ISAs.
fn cross_isa_check_enabled() -> bool {
    crate::options::debug_knobs().cross_isa
}

fn cross_isa_check(
    target: &Target,
    entry: &translate::Entry,
    profile: &translate::Profile,
    h: &crate::helpers::HelperTable,
) {
    use cranelift_codegen::control::ControlPlane;
    let result = crate::isa::all_supported()
        .map_err(|e| e.0)
        .and_then(|isas| {
            let other = isas.get(1).ok_or("no second architecture")?.clone();
            let t = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                translate::translate(
                    &target.original,
                    &target.analysis,
                    profile,
                    entry,
                    &*other,
                    h,
                )
            }))
            .map_err(|_| "translator panicked".to_string())?
            .map_err(|r| r.0)?;
            let mut ctx = Context::for_function(t.func);
            crate::isa::verified(&ctx, &*other)?;
            ctx.compile(&*other, &mut ControlPlane::default())
                .map(|_| other.triple().to_string())
                .map_err(|e| format!("{:?}", e.inner))
        });
    STATS.cross_isa(target.original.code.qualname.as_str(), result);
}

/// The profitability inputs, for the statistics.
fn work_estimate(t: &Translation) -> String {
    format!(
        "work inline {}, through helpers {} (generator steps and string appends {})",
        t.inline_work, t.helper_work, t.in_place_work
    )
}

const UNPROFITABLE: &str =
    "not profitable: generator steps and string appends outweigh inline work (the interpreter does them in place)";

/// The profitability estimate ([`Translation::profitable`]), except at
/// `-X jit-threshold=0`, which compiles everything it can to exercise the JIT.
fn worth_compiling(vm: &VirtualMachine, t: &Translation) -> bool {
    crate::hotness::threshold(vm) == 0 || t.profitable()
}

/// Compiles a translation into code memory and returns its entry point.
/// `name` labels the code for profilers (see [`perf_map`]).
fn finalize(t: &Translation, name: &str) -> Result<NativeFn, Refusal> {
    let mut mem = MEMORY.lock().unwrap_or_else(|p| p.into_inner());
    let mem = mem.get_or_insert_with(|| {
        let builder = JITBuilder::with_isa(
            crate::isa::host().expect("host ISA"),
            default_libcall_names(),
        );
        CodeMemory(JITModule::new(builder))
    });
    let module = &mut mem.0;
    let id = module
        .declare_anonymous_function(&t.func.signature)
        .map_err(|e| Refusal(format!("declare: {e}")))?;
    let mut ctx = Context::for_function(t.func.clone());
    crate::isa::verified(&ctx, module.isa()).map_err(Refusal)?;
    module
        .define_function(id, &mut ctx)
        .map_err(|e| Refusal(format!("Cranelift: {e:?}")))?;
    module
        .finalize_definitions()
        .map_err(|e| Refusal(format!("finalize: {e}")))?;
    let ptr = module.get_finalized_function(id);
    if let Some(code) = ctx.compiled_code() {
        perf_map(ptr, code.code_buffer().len(), name);
    }
    // SAFETY: `ptr` is the finalized code of a function with `native_signature`.
    Ok(unsafe { std::mem::transmute::<*const u8, NativeFn>(ptr) })
}

/// `RPYJIT_PERF_MAP=1`: every compiled function is listed in `/tmp/perf-<pid>.map`, the
/// file `perf report` (and gdb scripts) read to name code that has no symbols.
fn perf_map(start: *const u8, len: usize, name: &str) {
    static FILE: OnceLock<Option<Mutex<std::fs::File>>> = OnceLock::new();
    let file = FILE.get_or_init(|| {
        crate::options::debug_knobs()
            .perf_map
            .then(|| {
                let path = format!("/tmp/perf-{}.map", std::process::id());
                std::fs::File::create(path).ok().map(Mutex::new)
            })
            .flatten()
    });
    if let Some(file) = file {
        use std::io::Write;
        let mut f = file.lock().unwrap_or_else(|p| p.into_inner());
        let _ = writeln!(
            f,
            "{:x} {:x} py::{}",
            start as usize,
            len,
            name.replace(' ', "_")
        );
    }
}

/// Puts a function back in the interpreter for good.
fn fall_back(vm: &VirtualMachine, c: &Compiled, why: &str) {
    STATS.fallback(why);
    let original = &c.target.original;
    leave_alone(original, GAVE_UP_REASON);
    c.sent_back.store(true, Ordering::Relaxed);
    // Code compiled for native callers only never replaced `__code__`.
    if c._stub.is_some() {
        if let Some(func) = c.target.func.get() {
            let _ = set_code(vm, &func, original.clone());
        }
    }
}

/// Code the JIT decided to leave to the interpreter for good, by the id of the code object
/// (kept alive here), with the reason: code whose native version kept exiting and was sent
/// back, and code refused as not profitable. Hot code is not compiled again
/// automatically, so a function that falls back does not cycle through compiling, exiting
/// and falling back, and a refused one is not translated again on each path that gets
/// hot (its calls, each of its loops, calls from native code).
static LEFT_ALONE: Mutex<Option<HashMap<usize, (PyRef<PyCode>, &'static str)>>> = Mutex::new(None);

const GAVE_UP_REASON: &str = "fell back to the interpreter before (exits kept happening)";

fn leave_alone(code: &PyRef<PyCode>, reason: &'static str) {
    LEFT_ALONE
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .get_or_insert_with(HashMap::new)
        .insert(code.as_object().get_id(), (code.clone(), reason));
}

/// Why hot `code` is left to the interpreter, if it is ([`leave_alone`]).
fn left_alone(code: &Py<PyCode>) -> Option<&'static str> {
    LEFT_ALONE
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .as_ref()?
        .get(&code.as_object().get_id())
        .map(|(_, reason)| *reason)
}

/// Runs `func`, whose code is `c`'s stub, in the interpreter from its first instruction
/// with `args` bound: when `c` cannot run natively (a tracer, a refusal), and for a
/// function made from the stub code with other globals or closure (as
/// `types.FunctionType(f.__code__, globals)` does, e.g. `annotationlib`; native code is
/// bound to its own function's globals). `frame` is the frame of the stub or counted code
/// that calls it (hidden while the function runs in its continuation frame), or null.
fn interpret(
    vm: &VirtualMachine,
    c: &Compiled,
    func: &Py<PyFunction>,
    args: Vec<PyObjectRef>,
    frame: *const rustpython_vm::frame::InterpreterFrame,
) -> PyResult {
    let nslots = c.target.original.code.localspluskinds.len();
    let mut locals: Vec<Option<PyObjectRef>> = args.into_iter().map(Some).collect();
    locals.resize(nslots, None);
    let state = FrameState {
        resume_at: 0,
        locals,
        stack: vec![],
        pending: None,
        handling: None,
    };
    // Every argument slot is bound and nothing else is: one shape, built once.
    let cont = match c.from_start.get() {
        Some(code) => code.clone(),
        None => {
            let code = deopt::continuation_code(vm, &c.target.original, &c.target.analysis, &state)
                .map_err(|e| vm.new_system_error(format!("rpyjit: {}", e.0)))?;
            c.from_start.get_or_init(|| code).clone()
        }
    };
    crate::frames::with_hidden(frame, || deopt::resume(vm, func, cont, state))
}

/// `__rpyjit_enter__(*args)`: the stub's call into native code. On every interpreted call
/// of a compiled function: one look at the calling frame, no lock.
fn enter(args: FuncArgs, vm: &VirtualMachine) -> PyResult {
    let outside = || vm.new_system_error("rpyjit: __rpyjit_enter__ called outside a stub");
    // A builtin runs in its caller's frame: the stub's frame, whose code names the
    // compiled function and whose function object is the one called.
    let frame = rustpython_vm::frame::current_thread_iframe();
    if frame.is_null() {
        return Err(outside());
    }
    // SAFETY: a builtin runs on the calling frame's thread while that frame is live.
    let (code_id, func) = unsafe {
        let f = &*frame;
        (
            f.code().as_object().get_id(),
            f.func_obj().map(|o| o as *const rustpython_vm::PyObject),
        )
    };
    let c = compiled_for_id(code_id).ok_or_else(outside)?;
    // SAFETY: the frame's function object is alive while the frame runs.
    let func = func
        .and_then(|f| unsafe { (*f).to_owned() }.downcast::<PyFunction>().ok())
        .or_else(|| c.target.func.get())
        .ok_or_else(outside)?;
    if !c.target.func.is(&func) {
        // A function made from the stub code with other globals or closure.
        return interpret(vm, &c, &func, args.args, frame);
    }
    // The stub carries the function's units at their own places (base 0).
    call_compiled(vm, &c, &func, args.args, NativePosition::calling_frame(0))
}

/// The compiled function whose `__code__` is `code` (a stub), if any.
pub fn compiled_for_code(code: &Py<PyCode>) -> Option<Arc<Compiled>> {
    compiled_for_id(code.as_object().get_id())
}

/// [`compiled_for_code`] by the code object's id. Registry entries are never removed (a
/// stub stays alive with its entry), so hits are remembered per thread, without a lock.
fn compiled_for_id(id: usize) -> Option<Arc<Compiled>> {
    thread_local! {
        static SEEN: std::cell::RefCell<rustc_hash::FxHashMap<usize, Arc<Compiled>>> =
            std::cell::RefCell::new(rustc_hash::FxHashMap::default());
    }
    if let Some(c) = SEEN.with(|s| s.borrow().get(&id).cloned()) {
        return Some(c);
    }
    let c = REGISTRY
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .as_ref()
        .and_then(|r| r.get(&id).cloned())?;
    SEEN.with(|s| s.borrow_mut().insert(id, c.clone()));
    Some(c)
}

thread_local! {
    /// Nesting of direct native-to-native calls on this thread: they push no interpreter
    /// frame, so they count against the recursion limit here.
    static NATIVE_DEPTH: Cell<usize> = const { Cell::new(0) };
}

/// Calls compiled function `c` directly from native code (no stub frame) with its
/// positional arguments bound exactly. Deep recursion raises RecursionError as the
/// interpreter would, and never exhausts the machine stack.
pub fn call_compiled_direct(
    vm: &VirtualMachine,
    c: &Compiled,
    func: &Py<PyFunction>,
    args: Vec<PyObjectRef>,
) -> PyResult {
    if c.target.reads_frames {
        // Through its stub: in a frame of its own.
        return func.invoke_exact_args(args, vm);
    }
    nested_native_call(vm, || call_compiled(vm, c, func, args, None))
}

/// Runs `call`, a native-to-native call, one level deeper against the recursion limit.
fn nested_native_call(vm: &VirtualMachine, call: impl FnOnce() -> PyResult) -> PyResult {
    let depth = NATIVE_DEPTH.with(|d| d.get());
    if vm.current_recursion_depth() + depth >= vm.recursion_limit.get() {
        // The interpreter's own wording (`check_recursive_call` with an empty `where`).
        return Err(vm.new_recursion_error(format!("maximum recursion depth exceeded {}", "")));
    }
    NATIVE_DEPTH.with(|d| d.set(depth + 1));
    let r = vm.with_recursion("", call);
    NATIVE_DEPTH.with(|d| d.set(depth));
    r
}

/// Arguments a borrowed call passes on the machine stack; more take the general path.
const MAX_BORROWED_ARGS: usize = 16;

/// The argument words of a borrowed call (at most two per argument).
struct Words {
    w: [u64; 2 * MAX_BORROWED_ARGS],
    n: usize,
}

impl Default for Words {
    fn default() -> Self {
        Words {
            w: [0; 2 * MAX_BORROWED_ARGS],
            n: 0,
        }
    }
}

impl Extend<u64> for Words {
    fn extend<I: IntoIterator<Item = u64>>(&mut self, iter: I) {
        for v in iter {
            self.w[self.n] = v;
            self.n += 1;
        }
    }
}

impl Words {
    fn push(&mut self, v: u64) {
        self.extend([v]);
    }
}

impl std::ops::Deref for Words {
    type Target = [u64];
    fn deref(&self) -> &[u64] {
        &self.w[..self.n]
    }
}

impl std::ops::DerefMut for Words {
    fn deref_mut(&mut self) -> &mut [u64] {
        &mut self.w[..self.n]
    }
}

/// [`call_compiled_direct`] with the arguments borrowed from the calling native code's
/// operand slots, the common case of a call between compiled functions: no argument
/// vectors are built. `None` when this path does not apply (the callee's specialized
/// code is not built yet, an argument misses its entry guard, a tracer is active): the
/// caller then takes the general path, which handles all of those.
///
/// # Safety
/// Every word of `argv` is a live object pointer the caller keeps alive for the call.
pub unsafe fn call_compiled_borrowed(
    vm: &VirtualMachine,
    c: &Compiled,
    func: &Py<PyFunction>,
    argv: &[u64],
) -> Option<PyResult> {
    if vm.use_tracing.get() || stepped_aside() || c.target.reads_frames {
        return None;
    }
    let Some(Ok(native)) = c.native.get() else {
        return None;
    };
    let kinds = &native.t.args;
    if kinds.len() != argv.len() || argv.len() > MAX_BORROWED_ARGS {
        return None;
    }
    // On the machine stack: this is the hot path of calls between compiled functions.
    let mut words = Words::default();
    for (k, &p) in kinds.iter().zip(argv) {
        // SAFETY: the caller guarantees `p` is a live object.
        let o = unsafe { &*(p as *const rustpython_vm::PyObject) };
        if !push_unboxed(vm, *k, o, &mut words)? {
            words.push(0);
        }
    }
    // The guard passed: object arguments get a reference of their own, which the
    // native code owns (as `marshal` hands over).
    let mut slot = 0;
    for (k, &p) in kinds.iter().zip(argv) {
        if *k == Kind::Obj {
            // SAFETY: as above; the new reference is released by the native code.
            words[slot] = unsafe { crate::helpers::incref(p) };
        }
        slot += k.slots();
    }
    Some(nested_native_call(vm, || {
        run_native(
            vm,
            &c.target,
            func,
            native.latest(),
            &words,
            None,
            0,
            &|why| fall_back(vm, c, why),
        )
    }))
}

/// Runs compiled function `c` with its argument slots bound to `args` (from its stub,
/// or from the counting prologue of the call that made it hot).
///
/// `position` is the frame the call runs in (see [`run_native`]).
pub fn call_compiled(
    vm: &VirtualMachine,
    c: &Compiled,
    func: &Py<PyFunction>,
    args: Vec<PyObjectRef>,
    position: Option<NativePosition>,
) -> PyResult {
    if args.len() != translate::arg_slots(&c.target.original) {
        // Not bound as the compiled code expects (a copy of a stub made by
        // `code.replace`, called with its own signature): never run natively.
        return Err(vm.new_system_error(format!(
            "rpyjit: {} called with {} argument slots instead of {}",
            c.target.original.code.qualname,
            args.len(),
            translate::arg_slots(&c.target.original)
        )));
    }
    // A tracer or profiler (settrace, setprofile, debuggers, coverage) sees every line and
    // call only in the interpreter: watched code does not run natively.
    if vm.use_tracing.get() || stepped_aside() {
        return interpret(
            vm,
            &c,
            func,
            args,
            position.map_or(std::ptr::null(), |p| p.frame),
        );
    }
    let native = c.native.get_or_init(|| {
        let kinds: Vec<Kind> = args
            .iter()
            .map(|a| kind_of(vm, a).map_or(Kind::Obj, |k| k.0))
            .collect();
        native_for(vm, &c, &kinds, false)
            .inspect_err(|r| STATS.refused(Some(c.target.original.code.qualname.as_str()), &r.0))
    });
    let native = match native {
        Ok(n) => n,
        Err(r) => {
            fall_back(vm, &c, &r.0);
            return interpret(
                vm,
                &c,
                func,
                args,
                position.map_or(std::ptr::null(), |p| p.frame),
            );
        }
    };
    // Entry guard: the argument kinds the code was specialized for. On a miss, the
    // generic version (every argument an object) runs instead.
    let (native, words) = match marshal(vm, &native.t.args, &args) {
        Some(w) => (native, w),
        None => {
            STATS.entry_miss();
            c.entry_misses.fetch_add(1, Ordering::Relaxed);
            let generic = c.generic.get_or_init(|| {
                native_for(vm, &c, &vec![Kind::Obj; args.len()], true).inspect_err(|r| {
                    STATS.refused(Some(c.target.original.code.qualname.as_str()), &r.0)
                })
            });
            match generic {
                Ok(g) => (
                    g,
                    marshal(vm, &g.t.args, &args).expect("objects always fit"),
                ),
                Err(r) => {
                    fall_back(vm, &c, &r.0);
                    return interpret(
                        vm,
                        &c,
                        func,
                        args,
                        position.map_or(std::ptr::null(), |p| p.frame),
                    );
                }
            }
        }
    };
    // Native code owns its object arguments now; the ints and floats stay alive until it
    // returns: they are the borrowed boxes of its unboxed arguments.
    let args: Vec<PyObjectRef> = args
        .into_iter()
        .filter(|v| matches!(kind_of(vm, v), Some((Kind::Int | Kind::Float, _))))
        .collect();
    let r = run_native(
        vm,
        &c.target,
        func,
        native.latest(),
        &words,
        position,
        0,
        &|why| fall_back(vm, &c, why),
    );
    drop(args);
    r
}

/// Runs native code with `words` as its arguments and turns its outcome into a result:
/// the returned object, or the rest of the function run in the interpreter after an exit.
/// `too_many_exits` is told when one exit site keeps being taken.
///
/// `position` is where the activation reports the instruction it is at (the frame it runs
/// in, see [`crate::frames`]); `None` for a function called natively, without a frame of
/// its own. `entry_unit` is the instruction native code starts at.
fn run_native(
    vm: &VirtualMachine,
    c: &Target,
    func: &Py<PyFunction>,
    native: &Native,
    words: &[u64],
    position: Option<NativePosition>,
    entry_unit: u32,
    too_many_exits: &dyn Fn(&str),
) -> PyResult {
    let own_position = std::sync::atomic::AtomicU32::new(entry_unit + 1);
    // The interpreter continues a frame from its `lasti` once the builtin that entered
    // native code returns: what native code reported is put back before that.
    let restore = position.map(|p| p.reporting_from(entry_unit));
    let position = position.unwrap_or_else(|| NativePosition::own(&own_position));
    // The exit buffer lives on the stack unless a site saves a very large frame.
    // Not zeroed (a memset on every call): native code writes every slot that is read
    // back (a return's result, an exit's saved values, the locals before a call), and
    // slots are only ever read through `saved`, after they were written.
    let mut small = std::mem::MaybeUninit::<[u64; 48]>::uninit();
    let mut large = Vec::new();
    let slots = native.t.buf_slots.max(1);
    let buf_ptr: *mut u64 = if slots <= 48 {
        small.as_mut_ptr().cast()
    } else {
        large.resize(slots, 0u64);
        large.as_mut_ptr()
    };
    // The words native code stored at `slot..slot + n`.
    // SAFETY (of every use): the exit or return being handled wrote exactly these slots.
    let saved = |slot: usize, n: usize| -> &[u64] {
        debug_assert!(slot + n <= slots);
        unsafe { std::slice::from_raw_parts(buf_ptr.add(slot), n) }
    };
    let ctx = crate::helpers::NativeCtx {
        vm,
        code: &c.original,
        func,
        globals: &c.globals,
        builtins: &c.builtins,
        exc: std::cell::RefCell::new(None),
        attr_caches: native.attr_caches.as_ptr(),
        tb_frames: &c.tb_frames,
        tb_frame: std::cell::RefCell::new(None),
        position,
        spilled: (buf_ptr, &native.t.spilled),
    };
    // SAFETY: `entry` was compiled for exactly this signature; `words` holds the argument
    // slots it reads and `buf` at least `buf_slots` slots, the most any exit or return
    // writes; `ctx` outlives the call. The lifetime is erased only for the call's duration.
    let run = || {
        crate::helpers::with_vm(vm, || unsafe {
            (native.entry)(
                words.as_ptr(),
                buf_ptr,
                &ctx as *const crate::helpers::NativeCtx<'_>
                    as *const crate::helpers::NativeCtx<'static>,
            )
        })
    };
    // The activation is visible to frame introspection: a function called natively has
    // no interpreter frame (its activation stands in for one), and any frame native code
    // runs in shows its locals from the activation.
    let status = crate::frames::with_activation(&ctx, run);
    if let Some(unit) = translate::return_unit(status) {
        if let Some(restore) = restore.filter(|_| crate::helpers::runs_in_own_frame(&ctx)) {
            restore.continue_at(unit);
        }
        STATS.native_call();
        // SAFETY: a return stores one owned, non-null result reference in buf[0].
        return Ok(
            unsafe { unmarshal(vm, Kind::Obj, saved(0, 1)) }?.unwrap_or_else(|| vm.ctx.none())
        );
    }
    let site = status as usize;
    let exit = &native.t.exits[site];
    let mut slot = 0;
    // Every saved word is taken over, even after a failure, so no reference leaks.
    let mut failed = None;
    let mut take = |k: Option<Kind>, slot: &mut usize| -> Option<PyObjectRef> {
        let Some(k) = k else {
            *slot += 1;
            return None;
        };
        // SAFETY: the exit stored this value's words with kind `k` at `slot`.
        let v = unsafe { unmarshal(vm, k, saved(*slot, k.slots())) };
        *slot += k.slots();
        v.unwrap_or_else(|e| {
            failed.get_or_insert(e);
            None
        })
    };
    let locals: Vec<_> = exit.locals.iter().map(|k| take(*k, &mut slot)).collect();
    let stack: Vec<_> = exit
        .stack
        .iter()
        .map(|k| take(Some(*k), &mut slot))
        .collect();
    if let Some(e) = failed {
        return Err(e);
    }
    if exit.kind == translate::ExitKind::Raise {
        if let Some(exc) = leave_with_exception(c, &ctx, exit, &locals) {
            // Not a deopt: the saved values are only released.
            return Err(exc);
        }
    }
    STATS.deopt(
        &c.original.code.qualname.to_string(),
        exit.resume_at,
        exit.reason,
    );
    let pending = match exit.kind {
        translate::ExitKind::Signal => PENDING_SIGNAL.with(|p| p.borrow_mut().take()),
        translate::ExitKind::Raise => Some(
            ctx.exc
                .borrow_mut()
                .take()
                .unwrap_or_else(|| vm.new_system_error("rpyjit: exception lost at an exit")),
        ),
        _ => None,
    };
    // Inside a handler native code ran: see `FrameState::handling`.
    let handling = c
        .analysis
        .index_of(exit.resume_at)
        .and_then(|k| c.analysis.handling[k])
        .map(|i| {
            let outer = stack
                .get(i as usize)
                .cloned()
                .flatten()
                .and_then(|e| e.downcast::<PyBaseException>().ok());
            (outer, vm.current_exception())
        });
    let state = FrameState {
        resume_at: exit.resume_at,
        locals,
        stack,
        pending,
        handling,
    };
    let cont = {
        let mut map = native
            .continuations
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        let shape: Vec<bool> = state
            .locals
            .iter()
            .chain(state.stack.iter())
            .map(Option::is_some)
            .chain([state.pending.is_some()])
            .collect();
        let key = (site, shape);
        match map.get(&key) {
            Some(code) => code.clone(),
            None => {
                let code = deopt::continuation_code(vm, &c.original, &c.analysis, &state)
                    .map_err(|e| vm.new_system_error(format!("rpyjit: {}", e.0)))?;
                map.insert(key, code.clone());
                code
            }
        }
    };
    if exit.kind != translate::ExitKind::Signal
        && native.site_deopts[site].fetch_add(1, Ordering::Relaxed) + 1 >= MAX_SITE_DEOPTS
        && native.generalized(vm, c, site).is_none()
    {
        too_many_exits(&format!(
            "exits keep happening at one site: {}",
            exit.reason
        ));
    }
    // The continuation's frame is the function's frame from here on: the frame native
    // code ran in (a stub's or a counted function's) is not shown while it runs.
    if position.frame.is_null() {
        return crate::frames::with_continued(&ctx, || deopt::resume(vm, func, cont, state));
    }
    // A frame the program holds (its object exists) stays the function's frame once the
    // continuation is over: see `hand_back`.
    let held = restore
        .filter(|_| crate::helpers::runs_in_own_frame(&ctx))
        .and_then(|r| {
            rustpython_vm::frame::find_owned_chain_frame_by_iframe(position.frame).map(|f| (r, f))
        });
    let Some((restore, frame)) = held else {
        return crate::frames::with_hidden(position.frame, || deopt::resume(vm, func, cont, state));
    };
    let prologue = cont.code.instructions.len() as u32 - c.original.code.instructions.len() as u32;
    let (result, cont_frame) = crate::frames::with_hidden(position.frame, || {
        deopt::resume_capturing_frame(vm, func, cont, state)
    });
    match cont_frame {
        Some(cont_frame) => hand_back(
            vm,
            result,
            &cont_frame,
            &frame,
            (prologue, position.base),
            restore,
        ),
        None => result,
    }
}

/// The end of a continuation that stood in for a frame the program holds (`frame`, the
/// frame native code ran in): the frame takes the finished continuation's state, so it
/// reads as if the function had run in it throughout. Its locals are the continuation's
/// last ones; a return goes through the same `RETURN_VALUE` of the frame (its
/// `f_lineno`); an exception's traceback entries name `frame` instead of the
/// continuation's frame, at the same instructions.
fn hand_back(
    vm: &VirtualMachine,
    result: PyResult,
    cont_frame: &rustpython_vm::frame::FrameObjectRef,
    frame: &rustpython_vm::frame::FrameObjectRef,
    (prologue, base): (u32, u32),
    restore: crate::frames::RestoreLasti,
) -> PyResult {
    if let (Ok(from), Ok(to)) = (cont_frame.f_locals(vm), frame.f_locals(vm)) {
        let code = &cont_frame.f_code().code;
        // Cells are left alone (as `keep_locals` does): the frame's cell slots are not
        // the ones the continuation used.
        let is_cell = |name: &str| {
            code.cellvars
                .iter()
                .chain(code.freevars.iter())
                .any(|c| c.as_str() == name)
        };
        let names = vm
            .call_method(&from, "keys", ())
            .and_then(|k| k.try_into_value::<Vec<rustpython_vm::builtins::PyStrRef>>(vm));
        for name in names.unwrap_or_default() {
            if name.to_str().is_none_or(is_cell) {
                continue;
            }
            // A failure only leaves that local out of the frame.
            if let Ok(value) = from.get_item(&*name, vm) {
                let _ = to.set_item(&*name, value, vm);
            }
        }
    }
    let original_unit = |cont_unit: u32| cont_unit.checked_sub(prologue);
    match result {
        Ok(value) => {
            if let Some(unit) = cont_frame.lasti().checked_sub(1).and_then(original_unit) {
                restore.continue_at(unit);
            }
            Ok(value)
        }
        Err(exc) => {
            drop(restore);
            // From the innermost entry out, so each new entry links to the renamed rest.
            let mut entries = Vec::new();
            let mut tb = exc.traceback();
            while let Some(t) = tb {
                tb = t.next.lock().clone();
                entries.push(t);
            }
            for i in (0..entries.len()).rev() {
                let t = &entries[i];
                let Some(unit) = original_unit((t.lasti / 2) as u32) else {
                    continue;
                };
                if !t.frame.is(cont_frame) {
                    continue;
                }
                let renamed = rustpython_vm::PyPayload::into_ref(
                    rustpython_vm::builtins::PyTraceback::new(
                        t.next.lock().clone(),
                        frame.clone(),
                        ((base + unit) * 2) as i32,
                        t.lineno,
                    ),
                    &vm.ctx,
                );
                match i.checked_sub(1) {
                    Some(p) => *entries[p].next.lock() = Some(renamed),
                    None => exc.set_traceback(Some(renamed)),
                }
            }
            Err(exc)
        }
    }
}

/// The exception of a raise exit when no handler of the function covers the raising
/// instruction: all the interpreter would do is add the function's traceback entry and
/// unwind, so it is done here and the exception leaves the function without a
/// continuation. `None` (the exception still pending) when a handler covers it or no
/// stand-in frame could be made.
fn leave_with_exception(
    c: &Target,
    ctx: &crate::helpers::NativeCtx<'_>,
    exit: &translate::ExitSite,
    locals: &[Option<PyObjectRef>],
) -> Option<PyBaseExceptionRef> {
    let insn = c.analysis.insns[c.analysis.index_of(exit.resume_at)?];
    if c.analysis.handler_of(insn.at).is_some() {
        return None;
    }
    let exc = ctx.exc.borrow_mut().take()?;
    let new_raise = matches!(insn.op, Instruction::RaiseVarargs { .. });
    match crate::helpers::enter_traceback(ctx, &exc, insn.at, new_raise) {
        Ok(true) => {
            // The entry's frame keeps the function's locals alive with the traceback.
            crate::helpers::keep_locals(ctx, locals);
            STATS.exception(true);
            Some(exc)
        }
        Ok(false) => {
            *ctx.exc.borrow_mut() = Some(exc);
            None
        }
        // Raised while adding the entry (by `sys.exception()`): that one leaves.
        Err(e) => Some(e),
    }
}

/// Native code for on-stack replacement at one loop, per the kinds of the frame's values
/// when it was entered: the first kinds seen, then generic all-objects versions (one per
/// pattern of unbound locals), at most [`MAX_OSR_VERSIONS`] in all.
#[derive(Default)]
pub struct OsrCache {
    versions: Mutex<Vec<OsrVersion>>,
}

/// One version is entered only with values of exactly the kinds it was built for
/// (unbound locals included: native code treats them as unbound), so its argument words
/// are what it reads.
struct OsrVersion {
    locals: Vec<Option<Kind>>,
    stack: Vec<Kind>,
    generic: bool,
    native: Arc<Native>,
}

/// Beyond this many versions of one loop, further entries run in the interpreter.
const MAX_OSR_VERSIONS: usize = 4;

impl OsrCache {
    /// The version built for exactly these kinds, if any.
    fn find(&self, locals: &[Option<Kind>], stack: &[Kind], generic: bool) -> Option<Arc<Native>> {
        let versions = self.versions.lock().unwrap_or_else(|p| p.into_inner());
        versions
            .iter()
            .find(|v| v.generic == generic && v.locals == locals && v.stack == stack)
            .map(|v| v.native.clone())
    }

    fn len(&self) -> usize {
        self.versions
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .len()
    }

    /// Adds a version, unless one for the same kinds was added meanwhile (building can
    /// run Python code that enters the same loop): then that one is kept and returned.
    fn add(&self, v: OsrVersion) -> Arc<Native> {
        let mut versions = self.versions.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(have) = versions
            .iter()
            .find(|h| h.generic == v.generic && h.locals == v.locals && h.stack == v.stack)
        {
            return have.native.clone();
        }
        let n = v.native.clone();
        versions.push(v);
        n
    }
}

/// The kind a value of a running frame enters native code with, and its words. Only a
/// value-stack slot (a `for` loop's iterator) can enter as [`Kind::Range`].
fn osr_value(
    vm: &VirtualMachine,
    v: &PyObjectRef,
    generic: bool,
    on_stack: bool,
) -> (Kind, Vec<u64>) {
    if !generic {
        let mut words = Vec::new();
        if let Some((k, _)) = kind_of(vm, v) {
            push_unboxed(vm, k, v, &mut words);
            return (k, words);
        }
        if on_stack && v.class().is(vm.ctx.types.range_iterator_type) {
            if let Some(words) = range_iterator_state(vm, v) {
                return (Kind::Range, words);
            }
        }
    }
    (
        Kind::Obj,
        vec![PyObjectRef::into_raw(v.clone()).as_ptr() as u64],
    )
}

/// (next, remaining, step) of a range iterator, if they fit native integers.
fn range_iterator_state(vm: &VirtualMachine, it: &PyObjectRef) -> Option<Vec<u64>> {
    // `__reduce__` gives (iter, (range(next, stop, step),), None): the values left.
    let reduced = vm.call_method(it, "__reduce__", ()).ok()?;
    let t = reduced.downcast_ref::<rustpython_vm::builtins::PyTuple>()?;
    let args = t
        .as_slice()
        .get(1)?
        .downcast_ref::<rustpython_vm::builtins::PyTuple>()?;
    let range = args
        .as_slice()
        .first()?
        .downcast_ref::<rustpython_vm::builtins::PyRange>()?;
    let next = i64::try_from(range.start.as_bigint()).ok()?;
    let step = i64::try_from(range.step.as_bigint()).ok()?;
    let remaining = u64::try_from(args.as_slice().first()?.length(vm).ok()?).ok()?;
    Some(vec![next as u64, remaining, step as u64])
}

/// Continues the function of `target` from loop `site`'s header with the running frame's
/// `locals` and value `stack`: natively if the loop compiles, else in the interpreter.
/// Returns what the function returns. `disable` is told when the loop must not come back.
pub fn enter_at_loop(
    vm: &VirtualMachine,
    target: &Target,
    func: &Py<PyFunction>,
    site: &crate::rewrite::LoopSite,
    cache: &OsrCache,
    locals: Vec<Option<PyObjectRef>>,
    stack: Vec<PyObjectRef>,
    position: Option<NativePosition>,
    disable: &dyn Fn(),
) -> PyResult {
    let interpret_from_header = |locals: Vec<Option<PyObjectRef>>, stack: Vec<PyObjectRef>| {
        let state = FrameState {
            resume_at: site.header,
            locals,
            stack: stack.into_iter().map(Some).collect(),
            pending: None,
            // The interpreter frame being replaced is in the same handler state.
            handling: None,
        };
        let cont = deopt::continuation_code(vm, &target.original, &target.analysis, &state)
            .map_err(|e| vm.new_system_error(format!("rpyjit: {}", e.0)))?;
        let frame = position.map_or(std::ptr::null(), |p| p.frame);
        crate::frames::with_hidden(frame, || deopt::resume(vm, func, cont, state))
    };
    if stepped_aside() || vm.use_tracing.get() {
        return interpret_from_header(locals, stack);
    }
    if let Some(reason) = crate::exclude::reason(vm, func, &target.original) {
        STATS.refused(Some(target.original.code.qualname.as_str()), reason);
        disable();
        return interpret_from_header(locals, stack);
    }
    let kinds_of = |generic: bool| -> (Vec<Option<Kind>>, Vec<Kind>) {
        let l = locals
            .iter()
            .map(|v| v.as_ref().map(|v| osr_kind(vm, v, generic, false)))
            .collect();
        let s = stack
            .iter()
            .map(|v| osr_kind(vm, v, generic, true))
            .collect();
        (l, s)
    };
    // The version for these kinds, else the generic one for this pattern of unbound
    // locals; the first entry builds a specialized version, later ones a generic one.
    let (lk, sk) = kinds_of(false);
    let (glk, gsk) = kinds_of(true);
    let found = cache
        .find(&lk, &sk, false)
        .map(|n| (n, false))
        .or_else(|| cache.find(&glk, &gsk, true).map(|n| (n, true)));
    let (native, generic) = match found {
        Some(found) => found,
        None if cache.len() >= MAX_OSR_VERSIONS => return interpret_from_header(locals, stack),
        None => {
            let generic = cache.len() > 0;
            let (lk, sk) = if generic { (glk, gsk) } else { (lk, sk) };
            let name = format!(
                "{} (loop at unit {}{})",
                target.original.code.qualname,
                site.header,
                if generic { ", generic" } else { "" },
            );
            let entered = translate::Entry::Loop {
                at: site.header,
                locals: lk.clone(),
                stack: sk.clone(),
            };
            match Native::build(vm, target, entered, Vec::new(), false, name) {
                Ok(n) => {
                    let native = cache.add(OsrVersion {
                        locals: lk,
                        stack: sk,
                        generic,
                        native: Arc::new(n),
                    });
                    (native, generic)
                }
                Err(r) => {
                    STATS.refused(Some(target.original.code.qualname.as_str()), &r.0);
                    disable();
                    return interpret_from_header(locals, stack);
                }
            }
        }
    };
    // Marshal with the version's kinds (the generic one takes objects).
    let mut words = Vec::new();
    for v in &locals {
        match v {
            Some(v) => words.extend(osr_value(vm, v, generic, false).1),
            None => words.push(0),
        }
    }
    for v in &stack {
        words.extend(osr_value(vm, v, generic, true).1);
    }
    STATS.osr_entry();
    // Native code owns its object values now; the ints and floats stay alive until it
    // returns: they are the borrowed boxes of its unboxed values (their lifetimes cannot
    // be observed).
    let boxes: Vec<PyObjectRef> = locals
        .into_iter()
        .flatten()
        .chain(stack)
        .filter(|v| matches!(kind_of(vm, v), Some((Kind::Int | Kind::Float, _))))
        .collect();
    let r = run_native(
        vm,
        target,
        func,
        native.latest(),
        &words,
        position,
        site.header,
        &|why| {
            STATS.fallback(why);
            disable();
        },
    );
    drop(boxes);
    r
}

fn osr_kind(vm: &VirtualMachine, v: &PyObjectRef, generic: bool, on_stack: bool) -> Kind {
    if generic {
        return Kind::Obj;
    }
    if let Some((k, _)) = kind_of(vm, v) {
        return k;
    }
    if on_stack
        && v.class().is(vm.ctx.types.range_iterator_type)
        && range_iterator_state(vm, v).is_some()
    {
        return Kind::Range;
    }
    Kind::Obj
}
