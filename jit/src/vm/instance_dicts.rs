//! New keys in instance dicts. `object.__setattr__` on an instance with a dict inserts
//! the key and then keeps the VM's inline-values bookkeeping (`InstanceDict::
//! maybe_materialize_inline_values`, private): only a dict that grows past the VM's
//! shared-keys limit (`SHARED_KEYS_MAX_SIZE`, 30 in 0.6) changes anything there. A store
//! from native code therefore inserts directly while the dict stays well under that limit
//! ([`SMALL_INSTANCE_DICT`] keys), which is what `__init__` does, and leaves larger dicts
//! to the VM. Checked at start-up against the limit `_testinternalcapi` reports; if that
//! fails, native code only replaces existing keys.

use rustpython_vm::VirtualMachine;

/// Keys an instance dict may have before a store of a new key from native code (with it,
/// at most this many): under the VM's limit, so the VM's bookkeeping would do nothing.
pub const SMALL_INSTANCE_DICT: usize = 16;

/// Whether new keys may be inserted directly (see the module docs).
pub fn new_keys_inline_ok(vm: &VirtualMachine) -> bool {
    static OK: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *OK.get_or_init(|| matches!(shared_keys_limit(vm), Ok(n) if n >= SMALL_INSTANCE_DICT))
}

/// `_testinternalcapi.SHARED_KEYS_MAX_SIZE`, read without leaving the module imported
/// (a program that never imports it must not find it in `sys.modules`).
fn shared_keys_limit(vm: &VirtualMachine) -> rustpython_vm::PyResult<usize> {
    const NAME: &str = "_testinternalcapi";
    let modules = vm.sys_module.get_attr("modules", vm)?;
    let imported_before = modules.get_item(NAME, vm).is_ok();
    let limit = vm
        .import(NAME, 0)
        .and_then(|m| m.get_attr("SHARED_KEYS_MAX_SIZE", vm))
        .and_then(|v| v.try_into_value::<usize>(vm));
    if !imported_before {
        let _ = modules.del_item(NAME, vm);
    }
    limit
}
