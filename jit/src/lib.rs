//! rpyjit's baseline JIT.
//!
//! Layout (each module owns one concern), in pipeline order:
//! - [`options`]: the `-X jit*` / `RPYJIT_*` configuration, every knob.
//! - [`policy`]: the decisions and limits in one place: whether the JIT is on, when code
//!   is hot, what may be compiled, when an exit site gives up.
//! - [`hotness`]: where calls and loop iterations are counted (the counting prologue and
//!   loop hooks, and the hooks where code is born); [`counted`]: which code it rewrote.
//! - [`isa`]: Cranelift target ISAs (host, AArch64), one code path for both.
//! - [`bytecode`]: decoding and analysis (CFG leaders, stack depths) of RustPython bytecode.
//! - [`translate`]: where bytecode becomes CLIF: typing, emission, exit sites, and
//!   `translate::ops`, one form per instruction form (typing rule, emission, metadata).
//! - [`abi`]: what native code and the runtime share (the context native code gets, value
//!   kinds, helper signatures and the table of helper addresses).
//! - [`entry`]: native code's life: the registry, compiling, stubs, entering (calls and
//!   loops), exits and falling back.
//! - [`helpers`]: the runtime helpers native code calls, by domain.
//! - [`frames`]: frames stay exact while native code runs (their line, the activations
//!   of natively called functions).
//! - [`deopt`]: rebuilding an interpreter frame from an exact state (frame states read
//!   back from exits, continuation code objects, resuming).
//! - [`rewrite`]: rewriting code objects (prologues, appended entries, loop hooks) for
//!   stubs, counting and continuations.
//! - [`vm`]: the only code that knows RustPython's private layout, each assumption with its
//!   start-up check.
//! - [`stats`]: structured records, always on (`rpyjit.stats()`, `-X jit-stats`).
//! - [`tools`]: tracers and profilers; [`exclude`]: functions the user keeps interpreted.
//!
//! Dependencies go down this list's layers, never around in a circle: the one upcall is
//! the call helpers entering compiled callees ([`helpers`] → [`entry`]);
//! `jit/tests/layout.rs` checks it.

#![deny(unsafe_op_in_unsafe_fn)]

pub mod abi;
mod by_object;
pub mod bytecode;
pub mod counted;
pub mod deopt;
pub mod dump;
pub mod entry;
pub mod exclude;
pub mod frames;
pub mod helpers;
pub mod hotness;
pub mod isa;
pub mod options;
pub mod policy;
pub mod rewrite;
pub mod stats;
pub mod tools;
pub mod translate;
pub mod vm;

pub use options::{JitOptions, OptionError, DEFAULT_THRESHOLD};

use rustpython_vm::{PyResult, VirtualMachine};

/// Switches the JIT on in `vm`'s interpreter with `options` (a no-op when they say it is
/// off): the builtins native code and counting use, the hooks where code is born, and
/// the user's exclusions. The threshold and the exclusions are this interpreter's; the
/// statistics are the process's.
pub fn install(vm: &VirtualMachine, options: &JitOptions) -> PyResult<()> {
    if !options.enabled {
        return Ok(());
    }
    exclude::set_patterns(vm, &options.exclude);
    if options.perf {
        entry::write_perf_map();
    }
    if let Some(dir) = &options.dump {
        // A listing that cannot be written never keeps the JIT off (the command line
        // checks the directory first and exits 2).
        if let Err(e) = dump::dump_to(dir) {
            eprintln!("rpyjit: -X jit-dump={dir}: {e}; not dumping");
        }
    }
    install_runtime(vm)?;
    hotness::install(vm, options.threshold)
}

/// Installs what native code needs to run in `vm`'s interpreter, without counting calls
/// or loops (code is then compiled only on request: `entry::compile_function`).
pub fn install_runtime(vm: &VirtualMachine) -> PyResult<()> {
    // First: it checks that frames can be kept exact, and the JIT stays off if not.
    frames::install(vm)?;
    deopt::install(vm)?;
    helpers::install(vm)?;
    entry::install(vm)?;
    tools::install(vm)
}
