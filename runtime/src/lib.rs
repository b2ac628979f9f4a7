//! rpyjit: a Python runtime on RustPython 0.6.0 whose baseline JIT compiles hot bytecode
//! to native code with Cranelift.
//!
//! - [`Runtime`] / [`Builder`]: the embedding API (see `examples/embed.rs`); [`install`]
//!   and [`JitVm`] for an application that builds RustPython's `Interpreter` itself.
//! - [`cli`]: the `rpyjit` executable, a drop-in for `python3`.

pub mod cli;
pub mod embed;

pub use embed::{add_stdlib, install, Builder, JitVm, Runtime};
pub use rpyjit_jit::JitOptions;
pub use rustpython_vm as vm;
