//! Compiling: a function's bytecode becomes native code of one specialization
//! ([`Native`]): translation (with a safety net against translator panics), the
//! profitability estimate, Cranelift into code memory, recompiling without an assumption
//! that keeps failing, the `RPYJIT_CROSS_ISA` check, `rpyjit.dump` and `-X jit-dump`
//! (see [`crate::dump`]), and the compile time of each phase (`stats::Phase`).

use std::collections::HashMap;
use std::sync::atomic::AtomicU64;
use std::sync::{Arc, Mutex, OnceLock};

use cranelift_codegen::Context;
use cranelift_jit::{JITBuilder, JITModule};
use cranelift_module::{default_libcall_names, Module};
use rustpython_vm::builtins::{PyCode, PyFunction};
use rustpython_vm::{PyRef, VirtualMachine};

use super::registry::{function_code, Compiled, Target};
use crate::bytecode::Analysis;
use crate::policy::{self, leave_alone, refused, unsupported, worth_compiling, UNPROFITABLE};
use crate::stats::{self, STATS};
use crate::translate::{self, Kind, Refusal, Translation};

pub(super) type NativeFn =
    unsafe extern "C" fn(*const u64, *mut u64, *const crate::helpers::NativeCtx<'static>) -> i64;

/// Native code of one specialization.
pub(super) struct Native {
    pub(super) entry: NativeFn,
    pub(super) t: Translation,
    /// Continuation code per exit site, built on first use.
    /// Continuation code per exit site and state shape (which slots hold NULL, whether an
    /// exception is raised on resume: object slots may or may not be NULL at run time),
    /// built on first use.
    pub(super) continuations: Mutex<HashMap<(usize, Vec<bool>), PyRef<PyCode>>>,
    pub(super) site_deopts: Vec<AtomicU64>,
    /// How this version is entered (what it was specialized on), and its instructions
    /// compiled without assumptions: what a recompilation starts from.
    entered: translate::Entry,
    generic: Vec<usize>,
    /// The version compiled without the assumption that kept failing here (`None`: it
    /// could not be built). Callers holding this version follow the chain.
    replaced: OnceLock<Option<Box<Native>>>,
    name: String,
    /// The attribute sites' inline caches (`NativeCtx::attr_caches`).
    pub(super) attr_caches: Box<[crate::helpers::AttrCache]>,
}

impl Native {
    /// Translates and compiles `target` entered as `entered`, with instructions `generic`
    /// compiled without assumptions. The profitability estimate applies unless `forced`.
    pub(super) fn build(
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
        let mut clock = stats::CompileClock::new();
        let isa = crate::isa::host().map_err(|e| Refusal(e.0))?;
        let h = crate::helpers::HelperTable::host(vm);
        let mut t = translate_guarded(target, &entered, &generic, &*isa, &h, &mut clock)?;
        if !forced && !worth_compiling(vm, &t) {
            STATS.unprofitable(&name, stats::Work::of(&t));
            // A first version refused is remembered; a recompilation without an
            // assumption that is refused says nothing about the function's other entries.
            if generic.is_empty() {
                leave_alone(&target.original, UNPROFITABLE);
            }
            return Err(Refusal(UNPROFITABLE.into()));
        }
        let clif_instructions = t.func.dfg.num_insts();
        let entry = finalize(&mut t, &label, &mut clock)?;
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
            instructions: target.analysis.insns.len(),
            clif_instructions,
            compile_time: clock.spent(),
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
    pub(super) fn latest(&self) -> &Native {
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
    pub(super) fn generalized(
        &self,
        vm: &VirtualMachine,
        target: &Target,
        site: usize,
    ) -> Option<&Native> {
        let exit = &self.t.exits[site];
        if exit.kind != translate::ExitKind::Guard || !policy::may_recompile(&self.generic) {
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

/// Code memory. Cranelift's JIT module is not `Send`; it is only touched under this mutex
/// and code is never freed, so pointers into it stay valid for the process's lifetime.
struct CodeMemory {
    module: JITModule,
    /// The host ISA with the single-pass register allocator (see [`crate::isa::Regalloc`]),
    /// made when a function first needs it.
    single_pass: Option<cranelift_codegen::isa::OwnedTargetIsa>,
}

impl CodeMemory {
    /// Compiles `ctx`'s function with `regalloc` and defines it as `id`. The module's ISA
    /// allocates with backtracking; a single-pass compilation is made with the same ISA
    /// otherwise and handed to the module as bytes and relocations, as the module itself
    /// does after compiling.
    fn define(
        &mut self,
        id: cranelift_module::FuncId,
        ctx: &mut Context,
        regalloc: crate::isa::Regalloc,
    ) -> Result<(), Refusal> {
        use cranelift_codegen::control::ControlPlane;
        if regalloc == crate::isa::Regalloc::Backtracking {
            return self
                .module
                .define_function(id, ctx)
                .map_err(|e| Refusal(format!("Cranelift: {e:?}")));
        }
        if self.single_pass.is_none() {
            self.single_pass = Some(crate::isa::host_with(regalloc).map_err(|e| Refusal(e.0))?);
        }
        let isa = self.single_pass.as_deref().expect("made above");
        ctx.compile(isa, &mut ControlPlane::default())
            .map_err(|e| Refusal(format!("Cranelift: {:?}", e.inner)))?;
        let code = ctx.compiled_code().expect("compiled above");
        let align = u64::from(code.buffer.alignment)
            .max(u64::from(isa.function_alignment().minimum))
            .max(isa.symbol_alignment());
        let relocs: Vec<cranelift_module::ModuleReloc> = code
            .buffer
            .relocs()
            .iter()
            .map(|r| cranelift_module::ModuleReloc::from_mach_reloc(r, &ctx.func, id))
            .collect();
        self.module
            .define_function_bytes(id, align, code.code_buffer(), &relocs)
            .map_err(|e| Refusal(format!("Cranelift: {e:?}")))
    }
}

// SAFETY: see above; all access is serialized by `MEMORY`'s mutex.
unsafe impl Send for CodeMemory {}

static MEMORY: Mutex<Option<CodeMemory>> = Mutex::new(None);

/// `rpyjit.dump(f)`: the CLIF of `f` translated with object arguments and the host
/// machine code Cranelift produces for it (its VCode disassembly).
pub fn dump(vm: &VirtualMachine, func: &PyRef<PyFunction>) -> Result<String, Refusal> {
    use cranelift_codegen::control::ControlPlane;
    let code = function_code(vm, func).map_err(|_| Refusal("no code object".into()))?;
    let original = super::original_code(&code);
    if let Some(reason) = unsupported(&original) {
        return Err(Refusal(reason.into()));
    }
    let analysis = Analysis::new(&original.code).map_err(|e| Refusal(e.0))?;
    let target = Target::new(vm, func, &original, &Arc::new(analysis))
        .map_err(|_| Refusal("no __globals__ or __builtins__".into()))?;
    let t = translate_with_object_args(vm, &target)?;
    let mut out = format!(
        "; {} (arguments as objects; {})\n{}",
        original.code.qualname,
        stats::Work::of(&t),
        t.func.display()
    );
    // The register allocator a compilation of this size gets.
    let isa = crate::isa::host_with(crate::isa::Regalloc::for_size(t.func.dfg.num_insts()))
        .map_err(|e| Refusal(e.0))?;
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

/// What compiling `func` (running `original`) needs, once the JIT agrees to: the checks
/// every compilation makes and, for code that got hot (`profile` given) except at
/// threshold 0, the profitability estimate. Made before touching `__code__` (every swap
/// costs the interpreter's call-site specializations): one translation with object
/// arguments, when the profile has an instruction the estimate counts against.
pub(super) fn prepare_target(
    vm: &VirtualMachine,
    func: &PyRef<PyFunction>,
    original: &PyRef<PyCode>,
    profile: Option<(PyRef<PyCode>, u32)>,
) -> Result<Target, Refusal> {
    policy::may_compile(original, profile.is_some(), || {
        crate::exclude::reason(vm, func, original)
    })?;
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
    if policy::threshold(vm) > 0 && target.quickened().iter().any(translate::done_in_place) {
        match translate_with_object_args(vm, &target) {
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

/// Compiles `c` specialized on argument `kinds`; `generic` marks the all-objects version
/// used after the specialized one's entry guard missed.
pub(super) fn native_for(
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

/// Translates `target` entered by a call with every argument an object: the version
/// `rpyjit.dump` shows and the profitability estimate judges.
fn translate_with_object_args(
    vm: &VirtualMachine,
    target: &Target,
) -> Result<Translation, Refusal> {
    let clock = &mut stats::CompileClock::new();
    let isa = crate::isa::host().map_err(|e| Refusal(e.0))?;
    let h = crate::helpers::HelperTable::host(vm);
    let kinds = vec![Kind::Obj; translate::arg_slots(&target.original)];
    translate_guarded(
        target,
        &translate::Entry::Call(kinds),
        &[],
        &*isa,
        &h,
        clock,
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
    clock: &mut stats::CompileClock,
) -> Result<Translation, Refusal> {
    let mut profile = translate::Profile::new(target.quickened());
    profile.generic = generic.to_vec();
    let t = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        translate::translate(&target.original, &target.analysis, &profile, entry, isa, h)
    }))
    .unwrap_or_else(|_| Err(Refusal("translator error (a bug): see stderr".into())));
    clock.phase_done(stats::Phase::Translate);
    STATS.translated(target.analysis.insns.len());
    let t = t?;
    if cross_isa_check_enabled() {
        cross_isa_check(target, entry, &profile, h);
    }
    Ok(t)
}

/// [`translate::widened_loop_entry`] with `target`'s profile (typing only; a translator
/// panic leaves `entry` as it is).
pub(super) fn widened_loop_entry(target: &Target, entry: &translate::Entry) -> translate::Entry {
    let profile = translate::Profile::new(target.quickened());
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        translate::widened_loop_entry(&target.original, &target.analysis, &profile, entry)
    }))
    .unwrap_or_else(|_| entry.clone())
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

/// Compiles a translation into code memory and returns its entry point.
/// `name` labels the code for profilers (see [`perf_map`]).
fn finalize(
    t: &mut Translation,
    name: &str,
    clock: &mut stats::CompileClock,
) -> Result<NativeFn, Refusal> {
    let mut mem = MEMORY.lock().unwrap_or_else(|p| p.into_inner());
    let mem = mem.get_or_insert_with(|| {
        let builder = JITBuilder::with_isa(
            crate::isa::host().expect("host ISA"),
            default_libcall_names(),
        );
        CodeMemory {
            module: JITModule::new(builder),
            single_pass: None,
        }
    });
    let id = mem
        .module
        .declare_anonymous_function(&t.func.signature)
        .map_err(|e| Refusal(format!("declare: {e}")))?;
    let dumping = crate::dump::wanted();
    // The CLIF goes to Cranelift: native code needs only what the translation says about
    // its exits and sites, and a function's CLIF is far bigger than its machine code.
    let func = std::mem::replace(&mut t.func, cranelift_codegen::ir::Function::new());
    let clif = dumping.then(|| func.display().to_string());
    let regalloc = crate::isa::Regalloc::for_size(func.dfg.num_insts());
    let mut ctx = Context::for_function(func);
    let verified = crate::isa::verified(&ctx, mem.module.isa()).map_err(Refusal);
    clock.phase_done(stats::Phase::Verify);
    verified?;
    ctx.set_disasm(dumping);
    let defined = mem.define(id, &mut ctx, regalloc);
    clock.phase_done(stats::Phase::Codegen);
    defined?;
    let module = &mut mem.module;
    let linked = module
        .finalize_definitions()
        .map_err(|e| Refusal(format!("finalize: {e}")));
    clock.phase_done(stats::Phase::Link);
    linked?;
    let ptr = module.get_finalized_function(id);
    if let Some(code) = ctx.compiled_code() {
        perf_map(ptr, code.code_buffer().len(), name);
        if dumping {
            crate::dump::write(&crate::dump::Listings {
                label: name,
                types: &t.types,
                clif: clif.as_deref().unwrap_or_default(),
                asm: code.vcode.as_deref().unwrap_or_default(),
            });
        }
    }
    // SAFETY: `ptr` is the finalized code of a function with `native_signature`.
    Ok(unsafe { std::mem::transmute::<*const u8, NativeFn>(ptr) })
}

/// Set by `-X perf` (`RPYJIT_PERF=1`) in any interpreter of the process.
static PERF_MAP: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// `-X perf`: compiled functions are listed in the process's perf map from now on.
pub fn write_perf_map() {
    PERF_MAP.store(true, std::sync::atomic::Ordering::Relaxed);
}

/// `-X perf` (or `RPYJIT_PERF_MAP=1`): every compiled function is listed in
/// `/tmp/perf-<pid>.map` (start, size, name: `py::<qualname>` and its version), the file
/// `perf report` (and gdb scripts) read to name code that has no symbols.
fn perf_map(start: *const u8, len: usize, name: &str) {
    static FILE: OnceLock<Option<Mutex<std::fs::File>>> = OnceLock::new();
    let wanted = PERF_MAP.load(std::sync::atomic::Ordering::Relaxed)
        || crate::options::debug_knobs().perf_map;
    if !wanted {
        return;
    }
    let file = FILE.get_or_init(|| {
        let path = format!("/tmp/perf-{}.map", std::process::id());
        std::fs::File::create(path).ok().map(Mutex::new)
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
