//! Type-slot function pointers: a type that inherits a slot function from its base holds
//! the same pointer, so a pointer comparison says "the default".

use rustpython_vm::builtins::PyType;
use rustpython_vm::{Py, VirtualMachine};

/// Whether `cls` looks attributes up with `object.__getattribute__`.
#[inline]
pub fn default_getattro(vm: &VirtualMachine, cls: &Py<PyType>) -> bool {
    let default = vm.ctx.types.object_type.slots.getattro.load();
    let own = cls.slots.getattro.load();
    own.map(|f| f as usize) == default.map(|f| f as usize)
}

/// Whether `cls` sets attributes with `object.__setattr__`.
#[inline]
pub fn default_setattro(vm: &VirtualMachine, cls: &Py<PyType>) -> bool {
    let default = vm.ctx.types.object_type.slots.setattro.load();
    let own = cls.slots.setattro.load();
    own.map(|f| f as usize) == default.map(|f| f as usize)
}

/// Whether `cls` has `object`'s `__new__` and allocator (both set).
#[inline]
pub fn object_new_and_alloc(vm: &VirtualMachine, cls: &Py<PyType>) -> bool {
    let object = &vm.ctx.types.object_type.slots;
    let same = |a: Option<usize>, b: Option<usize>| a.is_some() && a == b;
    same(
        cls.slots.new.load().map(|f| f as usize),
        object.new.load().map(|f| f as usize),
    ) && same(
        cls.slots.alloc.load().map(|f| f as usize),
        object.alloc.load().map(|f| f as usize),
    )
}

/// Checks that a plain heap class has the defaults and `type` does not.
pub(crate) fn type_slots_ok(vm: &VirtualMachine) -> bool {
    static OK: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *OK.get_or_init(|| {
        let Some(cls) = super::probe_class(vm, "__rpyjit_type_probe__", None) else {
            return false;
        };
        let type_type = vm.ctx.types.type_type;
        default_getattro(vm, &cls)
            && default_setattro(vm, &cls)
            && object_new_and_alloc(vm, &cls)
            && !default_getattro(vm, type_type)
    })
}
