//! What was handed to the JIT: each [`Target`] (a function's code and what its native code
//! runs against) and its [`Compiled`] versions of native code, registered by the address
//! of the stub installed as `__code__`, or by the code for code compiled for native
//! callers only; and the lookups every entry into native code makes.
//!
//! Native code belongs to a code object, not to one function object: every function made
//! from the same code with the same globals and builtins (each closure a `def` inside a
//! function makes, each method a class factory makes) runs the same compilation, reading
//! its own closure and defaults from the function it is entered with.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use rustpython_vm::builtins::{PyCode, PyFunction};
use rustpython_vm::bytecode::Instruction;
use rustpython_vm::{AsObject, Py, PyObjectRef, PyRef, PyResult, VirtualMachine};

use super::compile::{prepare_target, Native};
use crate::bytecode::Analysis;
use crate::translate::{self, Refusal};

/// What native code runs against: a function's own code, its globals and builtins, and
/// what the helpers and deoptimization need from them. No function object is held: native
/// code must not keep a function (and so its closure's cells and the objects in them)
/// alive once the program dropped it; every entry into native code has the running
/// function in hand and passes it.
pub struct Target {
    /// The function's own code (without rpyjit's hooks): what is translated, and what
    /// continuations are built from.
    pub(super) original: PyRef<PyCode>,
    /// The function's `__globals__` and `__builtins__`, fixed at its creation.
    pub(super) globals: rustpython_vm::builtins::PyDictRef,
    pub(super) builtins: PyObjectRef,
    pub(super) analysis: Arc<Analysis>,
    /// The code that ran in the interpreter and the unit where `original`'s first
    /// instruction sits in it: its quickened instructions are the type profile.
    pub(super) profile: Option<(PyRef<PyCode>, u32)>,
    /// The frame exceptions caught natively name in their traceback.
    pub(super) tb_frames: crate::helpers::TracebackFrames,
    /// The code reads its running frame (`sys._getframe`, `inspect.currentframe`,
    /// `warnings.warn`...): it runs natively only in an interpreter frame of its own, so
    /// the frame it finds is the one its tracebacks name and its position follows.
    pub(super) reads_frames: bool,
}

impl Target {
    pub fn set_profile(&mut self, code: PyRef<PyCode>, offset: u32) {
        self.profile = Some((code, offset));
    }

    /// The specialized form the interpreter chose for each instruction, if it ran.
    pub(super) fn quickened(&self) -> Vec<Instruction> {
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

impl Target {
    /// Whether `func` may run native code built for this target: it runs against the same
    /// globals and builtins (its code is the target's, or a stub of it).
    pub(super) fn serves(&self, vm: &VirtualMachine, func: &Py<PyFunction>) -> bool {
        let f = func.as_object();
        f.get_attr("__globals__", vm)
            .is_ok_and(|g| g.is(self.globals.as_object()))
            && f.get_attr("__builtins__", vm)
                .is_ok_and(|b| b.is(&self.builtins))
    }

    /// [`Target::serves`] for the function of a running frame, by the frame's own
    /// globals and builtins (the function's, bound when the frame was made).
    pub(super) fn serves_frame(&self, frame: &rustpython_vm::frame::InterpreterFrame) -> bool {
        frame.globals().is(&*self.globals) && frame.builtins().is(&self.builtins)
    }
}

/// Function objects held without keeping them alive: those whose `__code__` is one
/// compiled code's stub.
#[derive(Default)]
pub(super) struct Users(Mutex<Vec<PyRef<rustpython_vm::builtins::PyWeak>>>);

impl Users {
    pub(super) fn add(&self, vm: &VirtualMachine, func: &Py<PyFunction>) -> PyResult<()> {
        let weak = func.as_object().downgrade(None, vm)?;
        let mut users = self.0.lock().unwrap_or_else(|p| p.into_inner());
        // Dead functions go when the list doubles: it stays proportional to the live ones.
        if users.len() >= 16 && users.len().is_power_of_two() {
            users.retain(|w| w.upgrade().is_some());
        }
        users.push(weak);
        Ok(())
    }

    /// The live ones.
    pub(super) fn alive(&self) -> Vec<PyRef<PyFunction>> {
        self.0
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .iter()
            .filter_map(|w| w.upgrade()?.downcast().ok())
            .collect()
    }
}

/// A function's code handed to the JIT, for every function made from it that runs against
/// the same globals and builtins.
pub struct Compiled {
    pub(super) target: Target,
    /// The stub installed as `__code__`: held so its address, the registry key, is never
    /// reused while the entry exists. None for code compiled for native callers only
    /// ([`compile_for_native_callers`]).
    pub(super) stub: Option<PyRef<PyCode>>,
    /// The functions the stub was installed in: a fallback gives them their own code back.
    pub(super) users: Users,
    /// What `__code__` shows the program while the stub is installed: the code the first
    /// function had before (its counted code, or its own), the one its frames run until
    /// the stub takes over. The stub itself is rpyjit's business.
    pub(super) shown: PyRef<PyCode>,
    /// Native callers must no longer use this code (it fell back to the interpreter).
    pub(super) sent_back: std::sync::atomic::AtomicBool,
    /// Compiled on request (`rpyjit.compile`): no profitability estimate.
    pub(super) forced: bool,
    /// Set at the first call, specialized on that call's argument kinds.
    pub(super) native: OnceLock<Result<Native, Refusal>>,
    /// Compiled when the specialized entry guard misses: every argument an object.
    pub(super) generic: OnceLock<Result<Native, Refusal>>,
    pub(super) entry_misses: AtomicU64,
    /// Continuation that runs the function from its start in the interpreter.
    pub(super) from_start: OnceLock<PyRef<PyCode>>,
}

impl Compiled {
    /// Whether `func` may run this code: it runs against the globals and builtins this was
    /// compiled for (a function made from the same code with others may not).
    pub fn is_for(&self, vm: &VirtualMachine, func: &Py<PyFunction>) -> bool {
        self.target.serves(vm, func)
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

/// Compiled functions by the address of their stub code object (kept alive by `Compiled`'s
/// function, whose `__code__` it is, and by `stubs`).
pub(super) static REGISTRY: Mutex<Option<HashMap<usize, Arc<Compiled>>>> = Mutex::new(None);

/// Gives every function that still runs through its stub its own code back.
pub(super) fn send_all_back(vm: &VirtualMachine) {
    let all: Vec<Arc<Compiled>> = REGISTRY
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .as_ref()
        .map(|r| r.values().cloned().collect())
        .unwrap_or_default();
    for c in all {
        c.give_code_back(vm);
    }
}

/// Replaces `func.__code__` the way Python code would, then gives the function a fresh
/// version: assigning `__code__` invalidates it, and the interpreter only specializes
/// calls (e.g. `CALL_ALLOC_AND_ENTER_INIT`, `CALL_PY_EXACT_ARGS`) on versioned functions.
pub fn set_code(vm: &VirtualMachine, func: &Py<PyFunction>, code: PyRef<PyCode>) -> PyResult<()> {
    match CODE_DESCRIPTOR.get() {
        Some(d) => vm.call_method(d, "__set__", (func.to_owned(), code))?,
        None => func
            .as_object()
            .set_attr("__code__", code, vm)
            .map(|()| vm.ctx.none())?,
    };
    func.get_version_for_current_state();
    Ok(())
}

/// The function type's own `__code__` descriptor, before [`super::install`] wrapped it:
/// rpyjit reads and writes the code a function really runs (its stub, if compiled)
/// through it, while the program sees [`Compiled::shown`].
static CODE_DESCRIPTOR: OnceLock<PyObjectRef> = OnceLock::new();

/// Remembers the function type's own `__code__` descriptor (the first one seen: a second
/// interpreter in the process finds it wrapped already).
pub(super) fn keep_code_descriptor(descriptor: PyObjectRef) -> &'static PyObjectRef {
    CODE_DESCRIPTOR.get_or_init(|| descriptor)
}

/// The code object `func` runs: its stub when it is compiled (what `__code__` shows the
/// program is [`Compiled::shown`]).
pub fn function_code(vm: &VirtualMachine, func: &Py<PyFunction>) -> PyResult<PyRef<PyCode>> {
    let code = match CODE_DESCRIPTOR.get() {
        Some(d) => vm.call_method(d, "__get__", (func.to_owned(),))?,
        None => func.as_object().get_attr("__code__", vm)?,
    };
    code.downcast()
        .map_err(|_| vm.new_type_error("__code__ is not a code object"))
}

impl Compiled {
    pub(super) fn new(
        target: Target,
        stub: Option<PyRef<PyCode>>,
        shown: PyRef<PyCode>,
        forced: bool,
    ) -> Self {
        Compiled {
            target,
            stub,
            users: Users::default(),
            shown,
            sent_back: std::sync::atomic::AtomicBool::new(false),
            forced,
            native: OnceLock::new(),
            generic: OnceLock::new(),
            entry_misses: AtomicU64::new(0),
            from_start: OnceLock::new(),
        }
    }

    /// Gives every live function running through the stub its own code back.
    pub(super) fn give_code_back(&self, vm: &VirtualMachine) {
        let Some(stub) = &self.stub else {
            return;
        };
        for func in self.users.alive() {
            if function_code(vm, &func).is_ok_and(|code| code.is(stub)) {
                let _ = set_code(vm, &func, self.target.original.clone());
            }
        }
    }

    /// Installs the stub as `func`'s `__code__`.
    pub(super) fn install_in(&self, vm: &VirtualMachine, func: &Py<PyFunction>) -> PyResult<()> {
        let stub = self.stub.clone().expect("code with a stub");
        self.users.add(vm, func)?;
        set_code(vm, func, stub)
    }
}

/// Compiled code by the id of the code it was compiled from (each entry's target holds
/// that code, so the id is not reused while listed): one entry per globals and builtins
/// it runs against.
pub(super) struct ByCode(Mutex<Option<HashMap<usize, Vec<Arc<Compiled>>>>>);

impl ByCode {
    const fn new() -> Self {
        ByCode(Mutex::new(None))
    }

    /// The usable compiled code of `code` that `func` may run.
    pub(super) fn find(
        &self,
        vm: &VirtualMachine,
        code: &Py<PyCode>,
        func: &Py<PyFunction>,
    ) -> Option<Arc<Compiled>> {
        let candidates: Vec<Arc<Compiled>> = self
            .0
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .as_ref()?
            .get(&code.as_object().get_id())?
            .iter()
            .filter(|c| c.usable())
            .cloned()
            .collect();
        // Attribute reads run outside the lock.
        candidates.into_iter().find(|c| c.is_for(vm, func))
    }

    pub(super) fn add(&self, c: Arc<Compiled>) {
        self.0
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get_or_insert_with(HashMap::new)
            .entry(c.target.original.as_object().get_id())
            .or_default()
            .push(c);
    }
}

/// Compiled code with a stub, by its own code.
pub(super) static WITH_STUB: ByCode = ByCode::new();

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
    // Another function of the same code (a closure made by the same `def`) got there
    // first: its native code serves this one too.
    if let Some(c) = NATIVE_CALLERS_ONLY.find(vm, &original, func) {
        return Ok(c);
    }
    let target = prepare_target(vm, func, &original, Some(profile))?;
    let c = Arc::new(Compiled::new(target, None, original, false));
    NATIVE_CALLERS_ONLY.add(c.clone());
    Ok(c)
}

/// Code compiled by [`compile_for_native_callers`].
static NATIVE_CALLERS_ONLY: ByCode = ByCode::new();

/// The native code calls of `func` from native code run: its code's compiled code for
/// `func`'s globals and builtins, through its stub or compiled for native callers only,
/// while `func` still runs `code`.
pub fn native_code_for(
    vm: &VirtualMachine,
    func: &Py<PyFunction>,
    code: &Py<PyCode>,
) -> Option<Arc<Compiled>> {
    if let Some(c) = compiled_for_code(code) {
        return c.is_for(vm, func).then_some(c);
    }
    NATIVE_CALLERS_ONLY.find(vm, code, func)
}

/// Whether `func` currently runs through the JIT.
pub fn is_compiled(vm: &VirtualMachine, func: &Py<PyFunction>) -> bool {
    // A function made from another's stub code with other globals is not: it runs in the
    // interpreter.
    function_code(vm, func)
        .ok()
        .and_then(|code| compiled_for_code(&code))
        .is_some_and(|c| c.is_for(vm, func))
}

/// The compiled function whose `__code__` is `code` (a stub), if any.
pub fn compiled_for_code(code: &Py<PyCode>) -> Option<Arc<Compiled>> {
    compiled_for_id(code.as_object().get_id())
}

/// [`compiled_for_code`] by the code object's id. Registry entries are never removed (a
/// stub stays alive with its entry), so hits are remembered per thread, without a lock.
pub(super) fn compiled_for_id(id: usize) -> Option<Arc<Compiled>> {
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
