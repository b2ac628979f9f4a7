//! Cells from outside the VM: RustPython 0.6 gives a cell's contents no public accessor,
//! so they are read and written through the cell type's `cell_contents` descriptor.

use rustpython_vm::builtins::PyBaseExceptionRef;
use rustpython_vm::{PyObject, PyResult, VirtualMachine};

/// The cell type's `cell_contents` descriptor: a cell's value is only reachable through it
/// from outside the VM. Builtin types are immutable and live as long as the process, so
/// it is looked up once and one reference to it is kept for good; calling its get and set
/// slots directly ([`cell_get`], [`cell_set`]) skips the generic attribute lookup on every
/// access.
fn cell_contents(vm: &VirtualMachine) -> &'static PyObject {
    static DESCR: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    let p = *DESCR.get_or_init(|| {
        let name = vm.ctx.intern_str("cell_contents");
        let descr = vm
            .ctx
            .types
            .cell_type
            .get_attr(name)
            .expect("the cell type has cell_contents");
        super::give(descr) as usize
    });
    // SAFETY: `p` holds a reference that is never released.
    unsafe { &*(p as *const PyObject) }
}

fn not_a_descriptor(vm: &VirtualMachine) -> PyBaseExceptionRef {
    vm.new_system_error("rpyjit: cell_contents is not a descriptor")
}

/// `cell.cell_contents`: ValueError when the cell is empty.
pub fn cell_get(vm: &VirtualMachine, cell: &PyObject) -> PyResult {
    let descr = cell_contents(vm);
    let get = descr
        .class()
        .slots
        .descr_get
        .load()
        .ok_or_else(|| not_a_descriptor(vm))?;
    get(descr, Some(cell), None, vm)
}

/// Sets (or, with `Delete`, empties) `cell`'s contents.
pub fn cell_set(
    vm: &VirtualMachine,
    cell: &PyObject,
    value: rustpython_vm::function::PySetterValue,
) -> PyResult<()> {
    let descr = cell_contents(vm);
    let set = descr
        .class()
        .slots
        .descr_set
        .load()
        .ok_or_else(|| not_a_descriptor(vm))?;
    set(descr, cell.to_owned(), value, vm)
}
