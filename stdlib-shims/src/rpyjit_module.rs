//! The `rpyjit` Python module: introspection and control of the JIT from Python.
//!
//! ```python
//! import rpyjit
//! rpyjit.compile(f)        # hand f to the JIT now (native from its next call); False if refused
//! rpyjit.is_compiled(f)
//! @rpyjit.interpreted      # keep a function in the interpreter (an escape hatch)
//! rpyjit.stats()           # dict of plain values, see below
//! rpyjit.summary()         # the text `-X jit-stats` prints at exit
//! rpyjit.dump(f)           # f's CLIF and the machine code Cranelift makes of it
//! rpyjit.enable(); rpyjit.disable(); rpyjit.is_enabled()
//! rpyjit.threshold(); rpyjit.set_threshold(n)
//! ```
//!
//! `rpyjit.stats()` returns the records the JIT keeps (`rpyjit_jit::stats`) for the whole
//! process, as dicts, lists, strings, ints, floats, bools and None (so `json.dumps`
//! takes it as it is):
//!
//! ```text
//! compiled:     [{function: str (__qualname__), label: str (the summary's name of the
//!                 version, e.g. "main (loop at unit 12)"), file: str, line: int | None,
//!                 loop_at: int | None (the loop's unit if entered mid-loop, else None:
//!                 entered by calls), generic_instructions: int (> 0: a recompilation
//!                 without that many failing assumptions), forced: bool (rpyjit.compile),
//!                 work: WORK, instructions: int (bytecode instructions translated),
//!                 clif_instructions: int (the size of the CLIF Cranelift compiled),
//!                 compile_time: float (CPU seconds)}], one per compiled version
//! compile_time: float, CPU seconds spent translating and compiling in all, on every
//!               thread, refused translations included
//! compile_phases: {translate, verify, codegen, link: float}, the same by phase
//! compile_instructions: int, bytecode instructions translated in all
//! native_calls, osr_entries (loops entered mid-loop), entry_misses (entry guard
//!               misses), exceptions_caught, exceptions_propagated (exceptions native
//!               code handled itself / passed to its caller): int
//! refused:      {reason: count}, functions left to the interpreter
//! refusals:     [{function: str | None (None: refused before the function was known),
//!                 reason: str, count: int}], the same by function
//! unprofitable: [{function: str, work: WORK}], left to the interpreter by the
//!               profitability estimate (also counted in `refused`)
//! skipped:      {reason: count}, code objects never counted (cannot be compiled)
//! fallbacks:    {reason: count}, compiled code sent back to the interpreter
//! deopts:       [{function: str, unit: int, reason: str, count: int}], one per exit site
//! recompiles:   [{function: str, version: str (the label of the version recompiled),
//!                 unit: int, reason: str}], assumptions dropped
//! cross_isa:    {compiled: {target triple: count}, failures: [{function: str,
//!                 error: str}]} (`RPYJIT_CROSS_ISA=1`)
//! WORK:         {inline: int, helpers: int, in_place: int}, the profitability inputs
//! ```

pub(crate) use rpyjit::module_def;

#[rustpython_vm::pymodule]
mod rpyjit {
    use rpyjit_jit::entry;
    use rpyjit_jit::stats::{Compilation, Phase, Work, STATS};
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

    /// The JIT's statistics as a dict of plain values (the schema is in the module docs).
    #[pyfunction]
    fn stats(vm: &VirtualMachine) -> PyResult<PyDictRef> {
        let d = STATS.snapshot();
        let out = vm.ctx.new_dict();
        let compiled = d
            .compiled
            .iter()
            .map(|c| compilation(c, vm))
            .collect::<PyResult<Vec<_>>>()?;
        out.set_item("compiled", vm.ctx.new_list(compiled).into(), vm)?;
        out.set_item(
            "compile_time",
            vm.ctx.new_float(STATS.compile_time().as_secs_f64()).into(),
            vm,
        )?;
        let phases = vm.ctx.new_dict();
        for p in Phase::ALL {
            let t = STATS.phase_time(p).as_secs_f64();
            phases.set_item(p.name(), vm.ctx.new_float(t).into(), vm)?;
        }
        out.set_item("compile_phases", phases.into(), vm)?;
        out.set_item(
            "compile_instructions",
            vm.ctx.new_int(STATS.translated_instructions()).into(),
            vm,
        )?;
        let (caught, propagated) = STATS.exceptions();
        for (key, n) in [
            ("native_calls", STATS.native_calls()),
            ("osr_entries", STATS.osr_entries()),
            ("entry_misses", STATS.entry_misses()),
            ("exceptions_caught", caught),
            ("exceptions_propagated", propagated),
        ] {
            out.set_item(key, vm.ctx.new_int(n).into(), vm)?;
        }
        let by_reason = d.refused_by_reason();
        out.set_item(
            "refused",
            counts(by_reason.iter().map(|(r, n)| (*r, *n)), vm)?,
            vm,
        )?;
        let refusals = d
            .refused
            .iter()
            .map(|((reason, function), n)| {
                let function = match function {
                    Some(f) => vm.ctx.new_str(f.as_str()).into(),
                    None => vm.ctx.none(),
                };
                record(
                    [
                        ("function", function),
                        ("reason", vm.ctx.new_str(reason.as_str()).into()),
                        ("count", vm.ctx.new_int(*n).into()),
                    ],
                    vm,
                )
            })
            .collect::<PyResult<Vec<_>>>()?;
        out.set_item("refusals", vm.ctx.new_list(refusals).into(), vm)?;
        let unprofitable = d
            .unprofitable
            .iter()
            .map(|u| {
                record(
                    [
                        ("function", vm.ctx.new_str(u.function.as_str()).into()),
                        ("work", work(&u.work, vm)?),
                    ],
                    vm,
                )
            })
            .collect::<PyResult<Vec<_>>>()?;
        out.set_item("unprofitable", vm.ctx.new_list(unprofitable).into(), vm)?;
        for (key, map) in [("skipped", &d.skipped), ("fallbacks", &d.fallbacks)] {
            out.set_item(
                key,
                counts(map.iter().map(|(r, n)| (r.as_str(), *n)), vm)?,
                vm,
            )?;
        }
        let deopts = d
            .deopts
            .iter()
            .map(|((function, unit, reason), n)| {
                record(
                    [
                        ("function", vm.ctx.new_str(function.as_str()).into()),
                        ("unit", vm.ctx.new_int(*unit).into()),
                        ("reason", vm.ctx.new_str(*reason).into()),
                        ("count", vm.ctx.new_int(*n).into()),
                    ],
                    vm,
                )
            })
            .collect::<PyResult<Vec<_>>>()?;
        out.set_item("deopts", vm.ctx.new_list(deopts).into(), vm)?;
        let recompiles = d
            .recompiles
            .iter()
            .map(|r| {
                record(
                    [
                        ("function", vm.ctx.new_str(r.function.as_str()).into()),
                        ("version", vm.ctx.new_str(r.version.as_str()).into()),
                        ("unit", vm.ctx.new_int(r.unit).into()),
                        ("reason", vm.ctx.new_str(r.reason).into()),
                    ],
                    vm,
                )
            })
            .collect::<PyResult<Vec<_>>>()?;
        out.set_item("recompiles", vm.ctx.new_list(recompiles).into(), vm)?;
        let failures = d
            .cross_isa_failures
            .iter()
            .map(|f| {
                record(
                    [
                        ("function", vm.ctx.new_str(f.function.as_str()).into()),
                        ("error", vm.ctx.new_str(f.error.as_str()).into()),
                    ],
                    vm,
                )
            })
            .collect::<PyResult<Vec<_>>>()?;
        let cross_isa = record(
            [
                (
                    "compiled",
                    counts(d.cross_isa.iter().map(|(t, n)| (t.as_str(), *n)), vm)?,
                ),
                ("failures", vm.ctx.new_list(failures).into()),
            ],
            vm,
        )?;
        out.set_item("cross_isa", cross_isa, vm)?;
        Ok(out)
    }

    /// A dict of `fields`.
    fn record<const N: usize>(
        fields: [(&str, PyObjectRef); N],
        vm: &VirtualMachine,
    ) -> PyResult<PyObjectRef> {
        let d = vm.ctx.new_dict();
        for (k, v) in fields {
            d.set_item(k, v, vm)?;
        }
        Ok(d.into())
    }

    /// `{reason: count}`.
    fn counts<'a>(
        items: impl Iterator<Item = (&'a str, u64)>,
        vm: &VirtualMachine,
    ) -> PyResult<PyObjectRef> {
        let d = vm.ctx.new_dict();
        for (k, n) in items {
            d.set_item(k, vm.ctx.new_int(n).into(), vm)?;
        }
        Ok(d.into())
    }

    fn work(w: &Work, vm: &VirtualMachine) -> PyResult<PyObjectRef> {
        record(
            [
                ("inline", vm.ctx.new_int(w.inline).into()),
                ("helpers", vm.ctx.new_int(w.helpers).into()),
                ("in_place", vm.ctx.new_int(w.in_place).into()),
            ],
            vm,
        )
    }

    fn compilation(c: &Compilation, vm: &VirtualMachine) -> PyResult<PyObjectRef> {
        let optional = |v: Option<u32>| match v {
            Some(n) => vm.ctx.new_int(n).into(),
            None => vm.ctx.none(),
        };
        record(
            [
                ("function", vm.ctx.new_str(c.function.as_str()).into()),
                ("label", vm.ctx.new_str(c.label.as_str()).into()),
                ("file", vm.ctx.new_str(c.source.file.as_str()).into()),
                ("line", optional(c.source.line)),
                ("loop_at", optional(c.loop_at)),
                (
                    "generic_instructions",
                    vm.ctx.new_int(c.generic_instructions).into(),
                ),
                ("forced", vm.ctx.new_bool(c.forced).into()),
                ("work", work(&c.work, vm)?),
                ("instructions", vm.ctx.new_int(c.instructions).into()),
                (
                    "clif_instructions",
                    vm.ctx.new_int(c.clif_instructions).into(),
                ),
                (
                    "compile_time",
                    vm.ctx.new_float(c.compile_time.as_secs_f64()).into(),
                ),
            ],
            vm,
        )
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
