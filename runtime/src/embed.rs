//! The embedding API: a Rust application builds an rpyjit runtime, adds native modules of
//! its own, and runs Python code on RustPython's `VirtualMachine`.
//!
//! ```no_run
//! let rt = rpyjit::Runtime::builder().build();
//! let n: i64 = rt
//!     .enter(|vm| {
//!         let v = rt.eval(vm, "sum(i * i for i in range(10))")?;
//!         v.try_into_value(vm)
//!     })
//!     .unwrap();
//! assert_eq!(n, 285);
//! ```

use rustpython_vm::builtins::{PyCode, PyModuleDef};
use rustpython_vm::compiler::Mode;
use rustpython_vm::scope::Scope;
use rustpython_vm::{
    Context, Interpreter, InterpreterBuilder, PyObjectRef, PyRef, PyResult, Settings,
    VirtualMachine,
};

use rpyjit_jit::JitOptions;

/// Configures a [`Runtime`]: interpreter settings, JIT options, the stdlib and native modules.
pub struct Builder {
    inner: InterpreterBuilder,
    settings: Settings,
    jit: JitOptions,
}

impl Default for Builder {
    fn default() -> Self {
        Self::new()
    }
}

impl Builder {
    /// Default settings, the full stdlib, and the JIT with its default options.
    pub fn new() -> Self {
        let mut settings = Settings::default();
        // Like CPython's `Py_Initialize` for an embedder: no `site` surprises, no
        // signal handlers stolen from the host application unless asked for.
        settings.install_signal_handlers = false;
        settings.import_site = false;
        Self {
            inner: InterpreterBuilder::new(),
            settings,
            jit: JitOptions::default(),
        }
    }

    /// Replaces the interpreter settings (argv, paths, flags...).
    pub fn settings(mut self, settings: Settings) -> Self {
        self.settings = settings;
        self
    }

    /// Edits the interpreter settings in place.
    pub fn configure(mut self, f: impl FnOnce(&mut Settings)) -> Self {
        f(&mut self.settings);
        self
    }

    /// Sets the JIT options (enabled, threshold, stats).
    pub fn jit(mut self, options: JitOptions) -> Self {
        self.jit = options;
        self
    }

    /// The type context modules are created against; `#[pymodule]` definitions need it:
    /// `builder.native_module(|ctx| my_module::module_def(ctx))`.
    pub fn ctx(&self) -> &Context {
        &self.inner.ctx
    }

    /// Adds a native module of the application's own.
    pub fn native_module(mut self, def: impl FnOnce(&Context) -> &'static PyModuleDef) -> Self {
        let def = def(&self.inner.ctx);
        self.inner = self.inner.add_native_module(def);
        self
    }

    /// Runs `hook` while the VM is being created, before it is initialized.
    pub fn init_hook(mut self, hook: impl FnOnce(&mut VirtualMachine) + 'static) -> Self {
        self.inner = self.inner.init_hook(hook);
        self
    }

    /// Creates the interpreter.
    pub fn build(self) -> Runtime {
        // The stdlib is not optional: RustPython's essential initialization imports
        // `io` and `encodings` from it.
        let inner = rpyjit_stdlib_shims::add_stdlib(self.inner.settings(self.settings));
        let interpreter = inner.build();
        install(&interpreter, &self.jit);
        Runtime {
            interpreter,
            jit: self.jit,
        }
    }
}

/// Switches the JIT on for an interpreter built with RustPython's own
/// `Interpreter::builder` (with rpyjit's stdlib: [`add_stdlib`]). Returns false, leaving
/// the plain interpreter (always correct), if its hooks could not be installed.
///
/// Code the application compiles itself must be instrumented to be counted: run it
/// through [`JitVm`]'s methods (`vm.jit_run_code_string(..)`, or `vm.jit_compile(..)`
/// then `vm.run_code_obj(..)`), since RustPython's `vm.compile` has no hook. The options
/// hold for the whole process (the JIT's registry and counters are process-wide).
pub fn install(interpreter: &Interpreter, options: &JitOptions) -> bool {
    let ok = interpreter
        .enter(|vm| rpyjit_jit::install(vm, options))
        .is_ok();
    if !ok {
        rpyjit_jit::stats::STATS.fallback("JIT hooks could not be installed");
    }
    ok
}

/// Adds rpyjit's standard library (RustPython's native modules, the frozen Python stdlib,
/// `cProfile`, the `rpyjit` module) to a RustPython `InterpreterBuilder`.
pub fn add_stdlib(builder: InterpreterBuilder) -> InterpreterBuilder {
    rpyjit_stdlib_shims::add_stdlib(builder)
}

/// RustPython's ways to compile and run source, with the code counted by the JIT (its
/// functions and loops compile once hot). Named `jit_*` because Rust prefers a type's
/// own methods over a trait's of the same name.
pub trait JitVm {
    /// `vm.compile` whose result the JIT counts (module code itself is interpreted; the
    /// functions it defines are counted and compiled when hot).
    fn jit_compile(&self, source: &str, mode: Mode, filename: &str) -> PyResult<PyRef<PyCode>>;
    /// `vm.run_code_string` with the code counted.
    fn jit_run_code_string(&self, scope: Scope, source: &str, filename: &str) -> PyResult;
}

impl JitVm for VirtualMachine {
    fn jit_compile(&self, source: &str, mode: Mode, filename: &str) -> PyResult<PyRef<PyCode>> {
        let code = self
            .compile(source, mode, filename)
            .map_err(|err| err.into_pyexception(self, Some(source)))?;
        Ok(if rpyjit_jit::hotness::counts_in(self) {
            rpyjit_jit::hotness::instrument(self, &code)
        } else {
            code
        })
    }

    fn jit_run_code_string(&self, scope: Scope, source: &str, filename: &str) -> PyResult {
        let code = self.jit_compile(source, Mode::Exec, filename)?;
        self.run_code_obj(code, scope)
    }
}

/// A running rpyjit interpreter.
pub struct Runtime {
    interpreter: Interpreter,
    jit: JitOptions,
}

impl Runtime {
    pub fn builder() -> Builder {
        Builder::new()
    }

    /// The JIT options this runtime was built with.
    pub fn jit_options(&self) -> &JitOptions {
        &self.jit
    }

    /// The underlying RustPython interpreter.
    pub fn interpreter(&self) -> &Interpreter {
        &self.interpreter
    }

    /// Runs `f` with the VM entered on this thread.
    pub fn enter<R>(&self, f: impl FnOnce(&VirtualMachine) -> R) -> R {
        self.interpreter.enter(f)
    }

    /// Executes `source` as a module body in `scope`, the way a script's statements run.
    pub fn exec(
        &self,
        vm: &VirtualMachine,
        scope: Scope,
        source: &str,
        filename: &str,
    ) -> PyResult<()> {
        vm.jit_run_code_string(scope, source, filename).map(drop)
    }

    /// Evaluates one expression in a fresh scope with builtins and returns its value.
    pub fn eval(&self, vm: &VirtualMachine, expr: &str) -> PyResult<PyObjectRef> {
        let code = vm
            .compile(expr, Mode::Eval, "<embedded>")
            .map_err(|err| err.into_pyexception(vm, Some(expr)))?;
        vm.run_code_obj(code, vm.new_scope_with_builtins())
    }

    /// Prints `exc` with its traceback to `sys.stderr`, like an uncaught exception.
    pub fn print_exception(
        &self,
        vm: &VirtualMachine,
        exc: rustpython_vm::builtins::PyBaseExceptionRef,
    ) {
        vm.print_exception(&exc);
    }

    /// Shuts the interpreter down like CPython's `Py_FinalizeEx` (flush, atexit, threads)
    /// and turns a pending exception into a process exit status.
    pub fn finalize(self, exc: Option<rustpython_vm::builtins::PyBaseExceptionRef>) -> u32 {
        let status = self.interpreter.finalize(exc);
        if self.jit.stats {
            eprint!("{}", rpyjit_jit::stats::STATS.summary());
        }
        status
    }
}
