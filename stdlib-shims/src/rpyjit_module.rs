//! The `rpyjit` Python module: introspection and control of the JIT from Python.
//!
//! ```python
//! import rpyjit
//! rpyjit.compile(f)        # hand f to the JIT now (native from its next call); False if refused
//! rpyjit.is_compiled(f)
//! @rpyjit.interpreted      # keep a function in the interpreter (an escape hatch)
//! rpyjit.stats()           # dict: compiled, native_calls, entry_misses, exceptions_caught,
//!                          #   exceptions_propagated, refused, fallbacks,
//!                          #   deopts, recompiles
//! rpyjit.summary()         # the text `-X jit-stats` prints at exit
//! rpyjit.dump(f)           # f's CLIF and the machine code Cranelift makes of it
//! rpyjit.enable(); rpyjit.disable(); rpyjit.is_enabled()
//! rpyjit.threshold(); rpyjit.set_threshold(n)
//! ```

pub(crate) use rpyjit::module_def;

#[rustpython_vm::pymodule]
mod rpyjit {
    use rpyjit_jit::{entry, stats::STATS};
    use rustpython_vm::builtins::{PyDictRef, PyFunction};
    use rustpython_vm::{PyObjectRef, PyRef, PyResult, VirtualMachine};

    /// Hands `func` to the JIT; it runs natively from its next call. Returns False (and
    /// records the reason in stats()) if the JIT cannot compile it.
    #[pyfunction]
    fn compile(func: PyRef<PyFunction>, vm: &VirtualMachine) -> bool {
        entry::compile_function(vm, &func).is_ok()
    }

    /// Decorator: `func` stays in the interpreter (never compiled, its loops neither);
    /// the reason shows in stats(). Functions defined inside it are not affected.
    #[pyfunction]
    fn interpreted(func: PyRef<PyFunction>, vm: &VirtualMachine) -> PyResult<PyRef<PyFunction>> {
        rpyjit_jit::entry::keep_interpreted(vm, &func)?;
        Ok(func)
    }

    /// Whether calls of `func` currently go to native code.
    #[pyfunction]
    fn is_compiled(func: PyRef<PyFunction>, vm: &VirtualMachine) -> bool {
        entry::is_compiled(vm, &func)
    }

    /// The JIT's statistics as a dict.
    #[pyfunction]
    fn stats(vm: &VirtualMachine) -> PyResult<PyDictRef> {
        let d = STATS.snapshot();
        let out = vm.ctx.new_dict();
        let compiled: Vec<PyObjectRef> = d
            .compiled
            .iter()
            .map(|s| vm.ctx.new_str(s.as_str()).into())
            .collect();
        out.set_item("compiled", vm.ctx.new_list(compiled).into(), vm)?;
        out.set_item(
            "native_calls",
            vm.ctx.new_int(STATS.native_calls()).into(),
            vm,
        )?;
        out.set_item(
            "entry_misses",
            vm.ctx.new_int(STATS.entry_misses()).into(),
            vm,
        )?;
        let (caught, propagated) = STATS.exceptions();
        out.set_item("exceptions_caught", vm.ctx.new_int(caught).into(), vm)?;
        out.set_item(
            "exceptions_propagated",
            vm.ctx.new_int(propagated).into(),
            vm,
        )?;
        for (key, map) in [("refused", &d.refused), ("fallbacks", &d.fallbacks)] {
            let m = vm.ctx.new_dict();
            for (reason, n) in map {
                m.set_item(reason.as_str(), vm.ctx.new_int(*n).into(), vm)?;
            }
            out.set_item(key, m.into(), vm)?;
        }
        let deopts = vm.ctx.new_dict();
        for ((func, unit, reason), n) in &d.deopts {
            let k = format!("{func} @ unit {unit}: {reason}");
            deopts.set_item(k.as_str(), vm.ctx.new_int(*n).into(), vm)?;
        }
        out.set_item("deopts", deopts.into(), vm)?;
        let recompiles: Vec<PyObjectRef> = d
            .recompiles
            .iter()
            .map(|(func, unit, reason)| {
                vm.ctx
                    .new_str(format!("{func} @ unit {unit}: {reason}"))
                    .into()
            })
            .collect();
        out.set_item("recompiles", vm.ctx.new_list(recompiles).into(), vm)?;
        Ok(out)
    }

    /// The CLIF rpyjit generates for `func` (arguments taken as objects) and the host
    /// machine code Cranelift produces for it.
    #[pyfunction]
    fn dump(func: PyRef<PyFunction>, vm: &VirtualMachine) -> PyResult<String> {
        entry::dump(vm, &func).map_err(|r| vm.new_value_error(format!("not compiled: {}", r.0)))
    }

    /// Switches the JIT on for code that gets hot from now on.
    #[pyfunction]
    fn enable() {
        entry::enable()
    }

    /// Switches the JIT off: compiled functions go back to the interpreter.
    #[pyfunction]
    fn disable(vm: &VirtualMachine) {
        entry::disable(vm)
    }

    /// Whether the JIT compiles hot code now.
    #[pyfunction]
    fn is_enabled() -> bool {
        entry::enabled()
    }

    /// Calls (or loop iterations) before code is compiled.
    #[pyfunction]
    fn threshold(vm: &VirtualMachine) -> u32 {
        rpyjit_jit::hotness::threshold(vm)
    }

    /// Sets the threshold for counts from now on (0 = compile before the first call).
    #[pyfunction]
    fn set_threshold(n: u32, vm: &VirtualMachine) {
        rpyjit_jit::hotness::set_threshold(vm, n)
    }

    /// The statistics summary `-X jit-stats` prints at exit.
    #[pyfunction]
    fn summary() -> String {
        STATS.summary()
    }
}
