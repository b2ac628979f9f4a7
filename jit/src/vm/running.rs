//! The VM native code on this thread runs under: boxing helpers, called with raw values
//! only, allocate with it.

use std::cell::Cell;

use rustpython_vm::VirtualMachine;

thread_local! {
    static VM: Cell<*const VirtualMachine> = const { Cell::new(std::ptr::null()) };
}

/// Makes `vm` the VM boxing helpers allocate with on this thread while `f` runs.
pub fn with_vm<R>(vm: &VirtualMachine, f: impl FnOnce() -> R) -> R {
    let prev = VM.with(|c| c.replace(vm as *const _));
    let r = f();
    VM.with(|c| c.set(prev));
    r
}

/// The VM native code on this thread runs under (see [`with_vm`]), or null outside.
#[inline]
pub fn running_vm() -> *const VirtualMachine {
    VM.with(|c| c.get())
}

/// The VM of the [`with_vm`] call running on this thread.
///
/// # Safety
/// Called while a [`with_vm`] call is running on this thread (inside native code it
/// entered), and the reference is not kept past it: `with_vm` keeps the VM alive and set
/// for the whole call.
#[inline]
pub unsafe fn current_vm<'a>() -> &'a VirtualMachine {
    let vm = running_vm();
    debug_assert!(!vm.is_null(), "rpyjit: a boxing helper outside with_vm");
    // SAFETY: the caller's contract: set by a `with_vm` call that is still running.
    unsafe { &*vm }
}
