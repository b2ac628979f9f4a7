//! rpyjit's differential fuzzer: random Python programs run under CPython 3.13 and
//! under rpyjit in every JIT mode; any difference is a finding. See `fuzz/README.md`.

pub mod campaign;
pub mod gen;
mod identity;
mod introspect;
mod kernels;
mod lifetimes;
pub mod minimize;
pub mod rng;
pub mod run;
mod soup;
mod stdlib;
