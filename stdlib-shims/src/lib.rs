//! The standard library rpyjit ships: RustPython's native stdlib modules plus the frozen
//! pure-Python stdlib (compiled into the binary, so `rpyjit` needs no `Lib/` directory), and
//! the `rpyjit` module (JIT introspection), and the pure-Python modules in `Lib/` that
//! RustPython lacks (`cProfile` and its `_lsprof`), frozen the same way.
//!
//! This mirrors what the `rustpython` crate's `init_stdlib` does with the `freeze-stdlib`
//! and `ssl-rustls-aws-lc` features.

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
        .init_hook(install_tls_provider)
}

/// `ssl` needs a process-wide rustls crypto provider: aws-lc's, with every cipher suite
/// and key exchange it has, as RustPython's own binary installs it. A provider already
/// installed (by an embedding application, or an earlier interpreter) is kept.
fn install_tls_provider(_vm: &mut rustpython_vm::VirtualMachine) {
    use rustls::crypto::aws_lc_rs;
    use rustpython_stdlib::ssl::providers::CryptoExt;

    let ext = CryptoExt {
        all_cipher_suites: Some(aws_lc_rs::ALL_CIPHER_SUITES),
        default_cipher_suites: Some(aws_lc_rs::DEFAULT_CIPHER_SUITES),
        all_kx_groups: Some(aws_lc_rs::ALL_KX_GROUPS),
        any_supported_key: Some(aws_lc_rs::sign::any_supported_type),
        ticketer: aws_lc_rs::Ticketer::new,
    };
    let _ = CryptoExt::set_provider(aws_lc_rs::default_provider(), ext);
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
