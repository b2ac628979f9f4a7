//! rpyjit's baseline JIT.
//!
//! Layout (each module is small and owns one concern):
//! - [`options`]: the `-X jit*` / `RPYJIT_*` configuration.
//! - [`isa`]: Cranelift target ISAs (host, AArch64), one code path for both.
//! - [`bytecode`]: decoding and analysis (CFG leaders, stack depths) of RustPython bytecode.
//! - [`hotness`]: where calls and loop iterations are counted.
//! - [`translate`]: where bytecode becomes CLIF (typing, inline operations, exit sites).
//! - [`helpers`]: the runtime helpers native code calls.
//! - [`entry`]: stubs, entering native code and leaving it at exits.
//! - [`frames`]: frames stay exact while native code runs (their line, the activations
//!   of natively called functions).
//! - [`deopt`] + [`rewrite`]: rebuilding an interpreter frame from an exact state (continuation code objects).
//! - [`stats`]: counters, always on.
//! - [`tools`]: tracers and profilers; [`exclude`]: functions the user keeps interpreted.

pub mod bytecode;
pub mod deopt;
pub mod entry;
pub mod exclude;
pub mod frames;
pub mod helpers;
pub mod hotness;
pub mod isa;
pub mod options;
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
    entry::install(vm)?;
    hotness::install(vm, options.threshold)
}
