//! Target ISAs. One code path serves every target: the translator only ever sees a
//! `dyn TargetIsa`, so the same CLIF is checked and compiled for x86-64 and AArch64.

use std::sync::Arc;

use cranelift_codegen::isa::{self, OwnedTargetIsa};
use cranelift_codegen::settings::{self, Configurable};
use target_lexicon::Triple;

/// Why an ISA could not be built.
#[derive(Debug)]
pub struct IsaError(pub String);

impl std::fmt::Display for IsaError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for IsaError {}

/// Shared Cranelift flags: no mid-end optimization (measured: compile time of the
/// benchmarks' functions drops by a third, e.g. sudoku 152 → 99 ms, while the int and float
/// loops run as fast; the CLIF we emit is already simple), PIC off for JIT memory. The
/// verifier is not run between Cranelift's own passes: [`verified`] runs it once on the
/// translator's CLIF, which is where a bad translation shows (it must fail at compile time
/// and fall back to the interpreter, never run). Measured: the four runs per function were
/// 29% of compile time.
fn flags() -> settings::Flags {
    flags_with(Regalloc::Backtracking)
}

/// Cranelift's register allocators. The backtracking one makes better code, at a time and
/// memory cost that grows faster than the function: measured on the standard library's
/// large functions (`dataclasses._process_class`, 19,000-25,000 CLIF instructions), it
/// was most of their compile time and 20 MB of peak heap per compilation, where the
/// single-pass one halves compile time and keeps peak RSS 20 MB lower. The bench's hot
/// loops (at most about 6,000 instructions) run 1-5% more instructions with it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Regalloc {
    Backtracking,
    SinglePass,
}

/// Functions larger than this many CLIF instructions get the single-pass allocator.
pub const SINGLE_PASS_ABOVE: usize = 10_000;

impl Regalloc {
    /// The allocator for a function of `insts` CLIF instructions.
    pub fn for_size(insts: usize) -> Self {
        if insts > SINGLE_PASS_ABOVE {
            Regalloc::SinglePass
        } else {
            Regalloc::Backtracking
        }
    }
}

fn flags_with(regalloc: Regalloc) -> settings::Flags {
    let mut b = settings::builder();
    // These names are part of cranelift's stable settings; failing here is a build bug.
    b.set("opt_level", "none").expect("opt_level");
    b.set("enable_verifier", "false").expect("enable_verifier");
    b.set("is_pic", "false").expect("is_pic");
    b.set("preserve_frame_pointers", "true")
        .expect("preserve_frame_pointers");
    let algorithm = match regalloc {
        Regalloc::Backtracking => "backtracking",
        Regalloc::SinglePass => "single_pass",
    };
    b.set("regalloc_algorithm", algorithm)
        .expect("regalloc_algorithm");
    settings::Flags::new(b)
}

/// The ISA for code that will run on this machine, with the host CPU's features detected.
pub fn host() -> Result<OwnedTargetIsa, IsaError> {
    host_with(Regalloc::Backtracking)
}

/// [`host`] with register allocator `regalloc`.
pub fn host_with(regalloc: Regalloc) -> Result<OwnedTargetIsa, IsaError> {
    let builder = cranelift_native::builder().map_err(|e| IsaError(e.to_string()))?;
    builder
        .finish(flags_with(regalloc))
        .map_err(|e| IsaError(e.to_string()))
}

/// The ISA for an arbitrary target triple with its baseline features: used to check that
/// everything we compile for the host also compiles for the other supported architecture.
pub fn for_triple(triple: Triple) -> Result<OwnedTargetIsa, IsaError> {
    let builder = isa::lookup(triple.clone())
        .map_err(|e| IsaError(format!("no Cranelift backend for {triple}: {e}")))?;
    builder.finish(flags()).map_err(|e| IsaError(e.to_string()))
}

/// `aarch64-unknown-linux-gnu`, the second architecture every translation is checked on.
pub fn aarch64() -> Result<OwnedTargetIsa, IsaError> {
    for_triple("aarch64-unknown-linux-gnu".parse().expect("valid triple"))
}

/// Both supported architectures, host first.
pub fn all_supported() -> Result<Vec<Arc<dyn isa::TargetIsa>>, IsaError> {
    let mut out = vec![host()?];
    let x86: Triple = "x86_64-unknown-linux-gnu".parse().expect("valid triple");
    let other = if out[0].triple().architecture == x86.architecture {
        aarch64()?
    } else {
        for_triple(x86)?
    };
    out.push(other);
    Ok(out)
}

/// Runs Cranelift's verifier on `ctx`'s function for `isa`: every function is verified
/// before it is compiled.
pub fn verified(ctx: &cranelift_codegen::Context, isa: &dyn isa::TargetIsa) -> Result<(), String> {
    ctx.verify(isa).map_err(|e| format!("verifier: {e}"))
}
