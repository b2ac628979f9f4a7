//! Runtime helpers: the `extern "C"` functions native code calls for everything it does not
//! emit inline. Each one is built on the VM's own public operations (`vm._add`,
//! `get_attr`, `vectorcall`, ...), so the semantics of an opcode cannot drift from the
//! interpreter's. [`call`] is how a helper is called ([`crate::abi`] holds what native code and helpers share); each other module is
//! one family of opcodes.
//!
//! Conventions shared by every helper (and relied on by `translate`):
//! - Values are raw `PyObjectRef` pointers (`u64`), each an owned reference of the native
//!   frame. A helper with the signature [`OpsHelper`] reads its operands from `ops[0..]`
//!   and, **on success only**, takes ownership of them (releases them) and writes its
//!   outputs back into `ops[0..]` as owned references. On failure it leaves every operand
//!   untouched and owned by the caller, stores the exception in the [`NativeCtx`] and
//!   returns a negative status. Native code then catches it itself when a handler of the
//!   function covers the instruction (`h_catch` adds the traceback entry the
//!   interpreter would); otherwise it exits with the frame state before the instruction,
//!   and the exit passes the exception to the caller with that entry
//!   ([`enter_traceback`]), or, if no stand-in frame can be made, the interpreter raises it
//!   at the instruction.
//! - Status: `0` = done; `1` = the alternative outcome (an exhausted iterator, a false
//!   truth value) or, for the helpers native code calls through
//!   `Emitter::call_op_or_interpret`, "the interpreter runs this instruction" (nothing
//!   was changed); negative = an exception is pending.
//! - No helper unwinds: a Rust panic is caught and turned into a `SystemError`.
//! - A helper's doc comment lays out its operand slots; its one `unsafe` block is
//!   [`call::enter`], which trusts native code for that layout. Everything after goes
//!   through the safe [`call::Ops`] view. Raw layout knowledge lives in [`crate::vm`].
//!
//! The narrow helpers of quickened forms ([`specialized`]) differ in one point: they
//! borrow their operands (native code drops them after success).
//!
//! Modules: [`attrs`] (attribute loads and stores with their inline caches, methods,
//! `super`, special methods), [`arith`] (operators, comparisons, subscripts, truth),
//! [`calls`], [`containers`] (building and extending lists, sets, dicts, tuples,
//! strings), [`iter`], [`unpack`], [`format`] (f-strings), [`boxing`] (reference counts,
//! boxing and unboxing), [`names`] (globals, cells, functions, imports, constants),
//! [`matching`] (`match` statements), [`exceptions`] (raise and handlers), [`traceback`]
//! (traceback entries and frames of native code).

mod arith;
mod attrs;
mod boxing;
pub mod call;
mod calls;
mod containers;
mod dunders;
mod exceptions;
mod format;
mod iter;
mod matching;
mod names;
pub mod specialized;
mod traceback;
mod unpack;

pub use crate::abi::{AttrCache, TracebackFrames};
pub use crate::vm::{address_of, running_vm, with_vm, REFCOUNT_IMMORTAL, REFCOUNT_STRONG};
pub use boxing::{box_bool, box_float, box_int, decref, decref_all, incref};
pub use call::{HelperTable, NativeCtx, Op, OpsHelper, ValueHelper};
pub(crate) use traceback::runs_in_own_frame;
pub use traceback::{enter_traceback, keep_locals};

use rustpython_vm::{PyResult, VirtualMachine};

/// Keeps what helpers need from a fresh interpreter. Call once per interpreter, before
/// user code runs.
pub fn install(vm: &VirtualMachine) -> PyResult<()> {
    vm.builtins.set_attr(
        exceptions::ORIGINAL_SYS_EXCEPTION,
        vm.sys_module.get_attr("exception", vm)?,
        vm,
    )?;
    let frame = vm.new_function(
        crate::frames::FRAME_BUILTIN,
        |vm: &VirtualMachine| -> PyResult {
            vm.current_frame()
                .map(Into::into)
                .ok_or_else(|| vm.new_system_error("rpyjit: no frame"))
        },
    );
    vm.builtins
        .set_attr(crate::frames::FRAME_BUILTIN, frame, vm)?;
    vm.builtins
        .set_attr(names::ORIGINAL_ALL, vm.builtins.get_attr("all", vm)?, vm)?;
    specialized::remember_known(vm)?;
    vm.builtins
        .set_attr(names::ORIGINAL_ANY, vm.builtins.get_attr("any", vm)?, vm)
}
