//! The only place that knows RustPython 0.6's private memory layout. Native code and the
//! helpers go through the VM's public operations except for the few assumptions below,
//! each named here with the start-up check [`check_layout`] makes on live objects:
//!
//! - [`refcount`]: the first word of every object is its reference count, flag bits on top
//!   and the strong count in the low 60 bits ([`REFCOUNT_IMMORTAL`], [`REFCOUNT_STRONG`]).
//!   Checked by counting a fresh list up and down; when it fails, native code does not
//!   count references inline (it calls `incref`/`decref`).
//! - [`refs`]: a `PyObjectRef` is one pointer word, the object's address, so native code can
//!   hold references as `u64` ([`obj`], [`take`], [`give`], [`address_of`]). Checked by a
//!   round trip that keeps the count; nothing works without it, so it is only reported.
//! - [`slots`]: a `__slots__` member's cell lies at the member descriptor's byte offset from
//!   the object (before the header), one atomic pointer word ([`slot_offset`],
//!   [`slot_cell`]). Checked by reading the cell of a probe class's instance after
//!   assignments through the VM; when it fails, attribute caches never cache a slot.
//! - [`type_slots`]: a type that inherits a slot function (`__getattribute__`,
//!   `__setattr__`, `__new__`, the allocator) holds the very function pointer of its base,
//!   so comparing pointers tells "the default" apart. Checked on a plain heap class and on
//!   `type`; a failure only costs speed (caches refuse), so it is only reported.
//! - [`linetable`]: a code object's `linetable` is CPython's location-table format, as the
//!   VM decodes it to report lines; rewritten code appends entries in it. Checked by
//!   decoding a compiled probe's table to the line of its last instruction; a failure is
//!   reported (and frames' own start-up probe keeps the JIT off).
//! - [`cells`]: a cell's payload is its contents under a `PyMutex`, at the VM's payload
//!   offset ([`cell_read`]). Checked by raw reads of a fresh cell, then reads and writes
//!   through the layout against the `cell_contents` descriptor; when it fails, cells are
//!   read through that descriptor (slower).
//! - [`bound_methods`]: a bound method's payload is its `self` and function, two reference
//!   words (in an order found at start-up) ([`bound_method_parts`]). Checked on a fresh
//!   bound method against `__self__`/`__func__`; when it fails, native code calls bound
//!   methods generically.
//! - [`instance_dicts`]: inserting a new key into an instance dict of fewer than
//!   [`SMALL_INSTANCE_DICT`] keys needs none of the VM's inline-values bookkeeping (it only
//!   acts past `SHARED_KEYS_MAX_SIZE` keys). Checked against that limit as
//!   `_testinternalcapi` reports it; when it fails, native code only replaces keys.
//! - [`running`]: the VM native code on this thread runs under, a pointer of ours
//!   ([`with_vm`]): no RustPython layout, nothing to check.
//!
//! The frame's line comes from its public `lasti` field: `frames` probes that at start-up
//! (the JIT stays off if it fails).

pub mod bound_methods;
pub mod cells;
pub mod instance_dicts;
pub mod linetable;
pub mod refcount;
pub mod refs;
pub mod running;
pub mod slots;
pub mod type_slots;

pub use bound_methods::bound_method_parts;
pub use cells::{cell_get, cell_read, cell_set};
pub use instance_dicts::{new_keys_inline_ok, SMALL_INSTANCE_DICT};
pub use refcount::{is_immortal, REFCOUNT_IMMORTAL, REFCOUNT_STRONG};
pub use refs::{address_of, give, obj, release, take};
pub use running::{current_vm, running_vm, with_vm};
pub use slots::{slot_cell, slot_offset, MAX_SLOT_OFFSET};
pub use type_slots::{default_getattro, default_setattro, object_new_and_alloc};

use rustpython_vm::builtins::PyType;
use rustpython_vm::{AsObject, PyRef, VirtualMachine};

/// Which layout assumptions hold in this process (each checked once, on first use).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Layout {
    /// The reference-count word: native code counts references inline.
    pub refcounts: bool,
    /// References as raw pointer words.
    pub raw_refs: bool,
    /// `__slots__` cells at their member offsets: attribute caches may cache slots.
    pub slot_cells: bool,
    /// Inherited type-slot functions compare equal.
    pub type_slots: bool,
    /// Line tables decode as rewritten code encodes them.
    pub line_table: bool,
    /// A cell's contents are read in place.
    pub cells: bool,
    /// A bound method's `self` and function are read in place.
    pub bound_methods: bool,
    /// New keys go into small instance dicts directly.
    pub instance_dict_keys: bool,
}

/// Checks every assumption above on live objects of `vm` (once per process; later calls
/// read the answers).
pub fn check_layout(vm: &VirtualMachine) -> Layout {
    Layout {
        refcounts: refcount::refcount_layout_ok(vm),
        raw_refs: refs::raw_refs_ok(vm),
        slot_cells: slots::slot_cells_ok(vm),
        type_slots: type_slots::type_slots_ok(vm),
        line_table: linetable::line_table_ok(vm),
        cells: cells::cell_layout_ok(vm),
        bound_methods: bound_methods::bound_method_layout_ok(vm),
        instance_dict_keys: instance_dicts::new_keys_inline_ok(vm),
    }
}

/// A fresh heap class `name(object)` with `__slots__ = slots` (or no `__slots__`), made
/// as `type(name, (object,), {...})` does: probes for the checks.
fn probe_class(vm: &VirtualMachine, name: &str, slots: Option<&[&str]>) -> Option<PyRef<PyType>> {
    let dict = vm.ctx.new_dict();
    if let Some(slots) = slots {
        let names = slots.iter().map(|s| vm.ctx.new_str(*s).into()).collect();
        dict.set_item("__slots__", vm.ctx.new_tuple(names).into(), vm)
            .ok()?;
    }
    let bases = vm
        .ctx
        .new_tuple(vec![vm.ctx.types.object_type.to_owned().into()]);
    vm.ctx
        .types
        .type_type
        .as_object()
        .call((vm.ctx.new_str(name), bases, dict), vm)
        .ok()?
        .downcast::<PyType>()
        .ok()
}

#[cfg(test)]
mod tests {
    /// Every assumption holds with the RustPython this crate is built with: a failing
    /// check here means an upgrade moved the layout (and the JIT silently lost speed).
    #[test]
    fn layout_assumptions_hold() {
        let b = rustpython_vm::Interpreter::builder(Default::default());
        let defs = rustpython_stdlib::stdlib_module_defs(&b.ctx);
        let interpreter = b
            .add_native_modules(&defs)
            .add_frozen_modules(rustpython_pylib::FROZEN_STDLIB)
            .build();
        interpreter.enter(|vm| {
            let all = super::Layout {
                refcounts: true,
                raw_refs: true,
                slot_cells: true,
                type_slots: true,
                line_table: true,
                cells: true,
                bound_methods: true,
                instance_dict_keys: true,
            };
            assert_eq!(super::check_layout(vm), all);
        });
    }
}
