//! `__slots__` member cells: RustPython 0.6 keeps them just before the object header, each
//! an atomic object pointer at the member descriptor's (negative) byte offset.

use rustpython_vm::builtins::descriptor::{MemberAccess, MemberKind, PyMemberDescriptor};
use rustpython_vm::builtins::PyType;
use rustpython_vm::object::PyObjectCell;
use rustpython_vm::{AsObject, Py, PyObject, PyObjectRef, VirtualMachine};

/// The largest offset (in absolute value) a cache may keep: 31 bits with the sign.
pub const MAX_SLOT_OFFSET: i32 = (1 << 30) - 1;

/// The byte offset of `descr` when it is a `__slots__`-style member (an object pointer at
/// a fixed offset) that applies to instances of `cls` and passes `usable`; the checks
/// the interpreter makes before specializing to LoadAttrSlot/StoreAttrSlot. `None` too
/// when the start-up check found the cells elsewhere.
pub fn slot_offset(
    vm: &VirtualMachine,
    cls: &Py<PyType>,
    descr: &PyObject,
    usable: impl FnOnce(&PyMemberDescriptor) -> bool,
) -> Option<i32> {
    member_offset(cls, descr, usable).filter(|_| slot_cells_ok(vm))
}

/// [`slot_offset`] without the start-up check (which uses it).
fn member_offset(
    cls: &Py<PyType>,
    descr: &PyObject,
    usable: impl FnOnce(&PyMemberDescriptor) -> bool,
) -> Option<i32> {
    let m = descr.downcast_ref::<PyMemberDescriptor>()?;
    let object_pointer = matches!(m.access, MemberAccess::Offset)
        && matches!(m.member.kind, MemberKind::Object | MemberKind::ObjectEx);
    (object_pointer && usable(m) && cls.fast_issubclass(&m.common.typ))
        .then(|| i32::try_from(m.member.offset).ok())
        .flatten()
        .filter(|o| o.abs() <= MAX_SLOT_OFFSET)
}

/// The `__slots__` cell of `owner` at byte `offset`.
///
/// # Safety
/// `offset` must come from [`slot_offset`] for a type `owner` is an instance of, checked
/// through the cache against the owner's type version. Such an offset addresses an
/// object-pointer cell of `owner`'s allocation (the layout the member descriptor was made
/// for), which is what the VM's own `get_slot`/`set_slot` assume; `PyObjectCell` is its
/// transparent wrapper.
#[inline]
pub unsafe fn slot_cell(owner: &PyObject, offset: i32) -> &PyObjectCell {
    let addr = (owner as *const PyObject as *const u8).wrapping_offset(offset as isize);
    // SAFETY: the caller's contract: a live cell of `owner`'s allocation.
    unsafe { &*addr.cast::<PyObjectCell>() }
}

/// Checks on an instance of a probe class with `__slots__` that the word at its member's
/// offset is the object the VM stored there (two assignments through `setattr`). It only
/// reads that word, never follows it.
pub(crate) fn slot_cells_ok(vm: &VirtualMachine) -> bool {
    static OK: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *OK.get_or_init(|| probe(vm).unwrap_or(false))
}

fn probe(vm: &VirtualMachine) -> Option<bool> {
    const _: () = assert!(std::mem::size_of::<PyObjectCell>() == 8);
    let cls = super::probe_class(vm, "__rpyjit_slots_probe__", Some(&["a", "b"]))?;
    let inst = cls.as_object().call((), vm).ok()?;
    let mut ok = true;
    for name in ["a", "b"] {
        let descr = cls.get_attr(vm.ctx.intern_str(name))?;
        let offset = member_offset(&cls, &descr, |_| true)?;
        for _ in 0..2 {
            let value: PyObjectRef = vm.ctx.new_list(vec![]).into();
            inst.set_attr(name, value.clone(), vm).ok()?;
            let addr = (&*inst as *const PyObject as *const u8).wrapping_offset(offset as isize);
            // SAFETY: reads one aligned word at the member offset of a live instance that
            // has member cells: inside its allocation if the assumption holds, in the
            // allocator's memory next to it otherwise (a wrong answer, not a fault).
            let word = unsafe { &*addr.cast::<std::sync::atomic::AtomicU64>() }
                .load(std::sync::atomic::Ordering::Relaxed);
            ok &= word == super::address_of(&value);
        }
    }
    Some(ok)
}
