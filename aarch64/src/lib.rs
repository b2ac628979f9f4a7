//! Running the JIT's AArch64 code on an x86-64 host: an emulated AArch64 CPU
//! ([`Emulator`], Unicorn's) that sees this process's memory at the same addresses and
//! calls this process's functions through a bridge between the two calling conventions.
//! How it is used to check the JIT's AArch64 output, and what it leaves untested:
//! `docs/aarch64-testing.md`.

pub mod bridge;
pub mod emulator;
pub mod host_memory;

pub use bridge::{HostFn, Param, Registers, Ret};
pub use emulator::{EmuError, EmuStats, Emulator};
pub use host_memory::CodeBuffer;
