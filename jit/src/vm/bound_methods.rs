//! Bound methods from outside the VM. RustPython 0.6 keeps a bound method's function and
//! `self` private (`PyBoundMethod { object, function }`); the public way is the
//! `__func__`/`__self__` members, a generic attribute lookup each. A call of a bound
//! method from native code (a dispatch table of `self.on_x` methods, a stored callback)
//! needs both on every call to call the function natively. The payload is two
//! `PyObjectRef` words at the VM's payload offset, in an order Rust chose: which word is
//! which is found at start-up ([`bound_method_layout_ok`]) on a live bound method, checked
//! against the members; if that fails, callers use the generic call.

use rustpython_vm::builtins::PyBoundMethod;
use rustpython_vm::{AsObject, PyObject, PyPayload, VirtualMachine};

/// Byte offsets of `self` and of the function from the object's start, when the check
/// passed.
fn offsets(vm: &VirtualMachine) -> Option<(usize, usize)> {
    static AT: std::sync::OnceLock<Option<(usize, usize)>> = std::sync::OnceLock::new();
    *AT.get_or_init(|| layout_check(vm))
}

/// `(self, function)` of `obj` when it is exactly a bound method (and the layout check
/// passed), borrowed for as long as `obj` lives: a bound method never rebinds either.
pub fn bound_method_parts<'a>(
    vm: &VirtualMachine,
    obj: &'a PyObject,
) -> Option<(&'a PyObject, &'a PyObject)> {
    if !obj.class().is(vm.ctx.types.bound_method_type) {
        return None;
    }
    let (this, func) = offsets(vm)?;
    // SAFETY: `obj` is a live object of the (final) bound-method type, whose payload holds
    // two owned `PyObjectRef` words at the offsets `layout_check` found on a live bound
    // method; neither is ever replaced, so both live as long as `obj`.
    unsafe { Some((word_at(obj, this), word_at(obj, func))) }
}

/// # Safety
/// `at` is the offset of a live `PyObjectRef` field inside `obj`'s allocation.
unsafe fn word_at(obj: &PyObject, at: usize) -> &PyObject {
    // SAFETY: the caller's contract: the word is a `PyObjectRef`, one non-null pointer.
    unsafe {
        let p = *((obj as *const PyObject as *const u8).add(at) as *const *const PyObject);
        &*p
    }
}

pub(crate) fn bound_method_layout_ok(vm: &VirtualMachine) -> bool {
    offsets(vm).is_some()
}

/// Makes a bound method of two distinct fresh objects and finds each one's word in the
/// payload; then reads both through the offsets and compares with `__self__`/`__func__`.
fn layout_check(vm: &VirtualMachine) -> Option<(usize, usize)> {
    if std::mem::size_of::<PyBoundMethod>() != 16 || std::mem::align_of::<PyBoundMethod>() != 8 {
        return None;
    }
    let this: rustpython_vm::PyObjectRef = vm.ctx.new_list(vec![]).into();
    let func: rustpython_vm::PyObjectRef = vm.ctx.new_dict().into();
    let bound: rustpython_vm::PyObjectRef = PyBoundMethod::new(this.clone(), func.clone())
        .into_ref(&vm.ctx)
        .into();
    let at = rustpython_vm::object::payload_offset::<PyBoundMethod>();
    let base = &*bound as *const PyObject as *const u8;
    // SAFETY: a bound method's allocation holds the header and its 16-byte payload at the
    // payload offset; these are plain reads of those two words.
    let words = unsafe {
        [
            *(base.add(at) as *const u64),
            *(base.add(at + 8) as *const u64),
        ]
    };
    let (a, b) = (super::address_of(&this), super::address_of(&func));
    let found = match words {
        [w0, w1] if w0 == a && w1 == b => (at, at + 8),
        [w0, w1] if w0 == b && w1 == a => (at + 8, at),
        _ => return None,
    };
    // SAFETY: the offsets hold the two references just found there.
    let (s, f) = unsafe { (word_at(&bound, found.0), word_at(&bound, found.1)) };
    let members_agree = bound.get_attr("__self__", vm).is_ok_and(|o| o.is(s))
        && bound.get_attr("__func__", vm).is_ok_and(|o| o.is(f));
    (s.is(&this) && f.is(&func) && members_agree).then_some(found)
}
