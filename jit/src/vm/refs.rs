//! References as raw words: native code holds each `PyObjectRef` as the `u64` address of
//! its object (an owned reference unless said otherwise).

use std::ptr::NonNull;

use rustpython_vm::{PyObject, PyObjectRef, VirtualMachine};

/// The object at `p`, borrowed.
///
/// # Safety
/// `p` is a live object pointer owned by the caller for at least `'a`.
#[inline]
pub unsafe fn obj<'a>(p: u64) -> &'a PyObject {
    // SAFETY: the caller's contract.
    unsafe { &*(p as *const PyObject) }
}

/// Takes over one owned reference.
///
/// # Safety
/// `p` is a non-null pointer carrying an owned reference that the caller gives up.
#[inline]
pub unsafe fn take(p: u64) -> PyObjectRef {
    // SAFETY: the caller's contract: a non-null pointer that carries a reference.
    unsafe { PyObjectRef::from_raw(NonNull::new_unchecked(p as *mut PyObject)) }
}

/// Hands one owned reference to native code.
#[inline]
pub fn give(o: PyObjectRef) -> u64 {
    PyObjectRef::into_raw(o).as_ptr() as u64
}

/// Releases the non-null entries of `words` (after a successful operation).
///
/// # Safety
/// Each non-zero entry carries an owned reference that the caller gives up.
#[inline]
pub unsafe fn release(words: &[u64]) {
    for &p in words {
        if p != 0 {
            // SAFETY: the caller's contract.
            drop(unsafe { take(p) });
        }
    }
}

/// Raw pointer of a constant or any object native code embeds (kept alive by its owner).
#[inline]
pub fn address_of(o: &PyObject) -> u64 {
    o as *const PyObject as u64
}

/// Checks that a reference handed out is its object's address and that taking it back
/// keeps the count.
pub(crate) fn raw_refs_ok(vm: &VirtualMachine) -> bool {
    static OK: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *OK.get_or_init(|| {
        let o: PyObjectRef = vm.ctx.new_list(vec![]).into();
        let count = o.strong_count();
        let p = give(o.clone());
        let same = p == address_of(&o) && o.strong_count() == count + 1;
        // SAFETY: `p` carries the reference `give` handed out just above.
        drop(unsafe { take(p) });
        same && o.strong_count() == count
    })
}
