//! The standard library rpyjit ships: RustPython's native stdlib modules plus the frozen
//! pure-Python stdlib (compiled into the binary, so `rpyjit` needs no `Lib/` directory), and
//! the `rpyjit` module (JIT introspection), and the pure-Python modules in `Lib/` that
//! RustPython lacks (`cProfile` and its `_lsprof`), frozen the same way.
//!
//! This mirrors what the `rustpython` crate's `init_stdlib` does with the `freeze-stdlib`
//! feature, without pulling in its TLS provider.

use rustpython_vm::InterpreterBuilder;

mod rpyjit_module;

/// Registers the native stdlib modules and the frozen Python stdlib on `builder`.
#[must_use]
pub fn add_stdlib(builder: InterpreterBuilder) -> InterpreterBuilder {
    let mut defs = rustpython_stdlib::stdlib_module_defs(&builder.ctx);
    defs.push(rpyjit_module::module_def(&builder.ctx));
    builder
        .add_native_modules(&defs)
        .add_frozen_modules(rustpython_pylib::FROZEN_STDLIB)
        .add_frozen_modules(rustpython_vm::py_freeze!(dir = "../Lib"))
        .init_hook(set_frozen_stdlib_dir)
}

/// `sys._stdlib_dir` and friends point at the frozen stdlib's nominal location.
fn set_frozen_stdlib_dir(vm: &mut rustpython_vm::VirtualMachine) {
    use rustpython_vm::common::rc::PyRc;
    // Init hooks run before the VM is shared with any other thread, so the state Rc is
    // still unique; if that ever changes we keep the default rather than panic.
    if let Some(state) = PyRc::get_mut(&mut vm.state) {
        state.config.paths.stdlib_dir = Some(rustpython_pylib::LIB_PATH.to_owned());
    }
}
