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

pub mod bytecode;
pub mod deopt;
pub mod entry;
pub mod frames;
pub mod helpers;
pub mod hotness;
pub mod isa;
pub mod options;
pub mod rewrite;
pub mod stats;
pub mod tools;
pub mod translate;

pub use options::{JitOptions, OptionError, DEFAULT_THRESHOLD};
