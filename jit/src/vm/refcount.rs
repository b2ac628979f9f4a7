//! RustPython 0.6's reference-count word, which native code updates inline.

use rustpython_vm::{PyObject, PyObjectRef, VirtualMachine};

/// The reference-count word (the first word of every object): flag bits on top, the
/// strong count in the low 60 bits; immortal objects are never counted.
pub const REFCOUNT_IMMORTAL: u64 = 1 << 60;
pub const REFCOUNT_STRONG: u64 = (1 << 60) - 1;

/// The reference-count word of `o`, as native code reads it.
fn word(o: &PyObject) -> u64 {
    let p = o as *const PyObject as *const std::sync::atomic::AtomicU64;
    // SAFETY: every object starts with its (atomic, word-sized, aligned) reference count
    // field; this reads it while the object is alive.
    unsafe { &*p }.load(std::sync::atomic::Ordering::Relaxed)
}

/// Whether `o` is immortal (never counted): RustPython makes `None`, `True`, `False`
/// and other singletons immortal, so native code may hold them without counting.
pub fn is_immortal(o: &PyObject) -> bool {
    word(o) & REFCOUNT_IMMORTAL != 0
}

/// Checks, on live objects, that the first word of an object is its reference count with
/// the layout above; native code counts references inline only if it is.
pub(crate) fn refcount_layout_ok(vm: &VirtualMachine) -> bool {
    static OK: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *OK.get_or_init(|| {
        let o: PyObjectRef = vm.ctx.new_list(vec![]).into();
        let before = word(&o);
        let extra = o.clone();
        let after = word(&o);
        let counted = before & REFCOUNT_STRONG == o.strong_count() as u64 - 1
            && after == before + 1
            && before & REFCOUNT_IMMORTAL == 0;
        drop(extra);
        let restored = word(&o) == before;
        counted && restored
    })
}
