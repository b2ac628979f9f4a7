//! Cells from outside the VM. RustPython 0.6 gives a cell's contents no public accessor:
//! the public way is the cell type's `cell_contents` descriptor (about 230 instructions a
//! read, most of a closure's variable reads in native code). The cell's payload is
//! `PyCell { contents: PyMutex<Option<PyObjectRef>> }`, its one field, at the VM's payload
//! offset: read under the cell's own lock, the same as the VM's `PyCell::get`. Checked at
//! start-up ([`cell_layout_ok`]) on live cells against the descriptor; if it fails, every
//! access goes through the descriptor.

use rustpython_vm::builtins::PyBaseExceptionRef;
use rustpython_vm::{AsObject, PyObject, PyResult, VirtualMachine};

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

/// A cell's payload as the VM lays it out: its `contents` field.
type Contents = rustpython_common::lock::PyMutex<Option<rustpython_vm::PyObjectRef>>;

/// The contents of `cell`, if it is a cell and the layout check passed.
fn contents_of<'a>(vm: &VirtualMachine, cell: &'a PyObject) -> Option<&'a Contents> {
    if !cell.class().is(vm.ctx.types.cell_type) || !cell_layout_ok(vm) {
        return None;
    }
    // SAFETY: `cell` is a live object of the (final) cell type, whose payload is one
    // `Contents` at the payload offset of a payload of its alignment (`Py<T>` is
    // `repr(C)`, the payload last); `cell_layout_ok` checked that on live cells.
    Some(unsafe { contents_at(cell) })
}

/// # Safety
/// `cell` is a live cell object and the layout above holds.
unsafe fn contents_at(cell: &PyObject) -> &Contents {
    let at = rustpython_vm::object::payload_offset::<Contents>();
    // SAFETY: the caller's contract.
    unsafe { &*((cell as *const PyObject as *const u8).add(at) as *const Contents) }
}

/// The contents of `cell` (`None`: empty), or `Err` when `cell` is not a cell.
pub fn cell_read(
    vm: &VirtualMachine,
    cell: &PyObject,
) -> PyResult<Option<rustpython_vm::PyObjectRef>> {
    if let Some(c) = contents_of(vm, cell) {
        return Ok(c.lock().clone());
    }
    match cell_get(vm, cell) {
        Ok(v) => Ok(Some(v)),
        Err(e) if e.fast_isinstance(vm.ctx.exceptions.value_error) => Ok(None),
        Err(e) => Err(e),
    }
}

/// Checks, on live cells, that a cell's contents are where [`Contents`] says: raw words
/// first (an unlocked lock byte, then the object's address), then reads and writes
/// through the layout against the `cell_contents` descriptor, both ways, empty included.
pub(crate) fn cell_layout_ok(vm: &VirtualMachine) -> bool {
    static OK: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *OK.get_or_init(|| layout_check(vm).unwrap_or(false))
}

fn layout_check(vm: &VirtualMachine) -> PyResult<bool> {
    use rustpython_vm::function::PySetterValue;
    let x: rustpython_vm::PyObjectRef = vm.ctx.new_list(vec![]).into();
    let y: rustpython_vm::PyObjectRef = vm.ctx.new_list(vec![]).into();
    let cell = vm.ctx.types.cell_type.as_object().call((x.clone(),), vm)?;
    if !cell.class().is(vm.ctx.types.cell_type)
        || std::mem::align_of::<Contents>() != 8
        || std::mem::size_of::<Contents>() != 16
    {
        return Ok(false);
    }
    let at = rustpython_vm::object::payload_offset::<Contents>();
    let base = &*cell as *const PyObject as *const u8;
    // SAFETY: a cell's allocation holds the header and a payload of at least a lock word
    // and a pointer (whatever the field order); these are plain reads of those 16 bytes.
    let (lock_byte, word) = unsafe { (*base.add(at), *(base.add(at + 8) as *const u64)) };
    if lock_byte != 0 || word != super::address_of(&x) {
        return Ok(false);
    }
    // SAFETY: the raw words are the layout's (an unlocked lock, then the contents).
    let c = unsafe { contents_at(&cell) };
    let read = |c: &Contents| c.lock().clone();
    let saw_x = read(c).is_some_and(|v| v.is(&x));
    cell_set(vm, &cell, PySetterValue::Assign(y.clone()))?;
    let saw_y = read(c).is_some_and(|v| v.is(&y));
    cell_set(vm, &cell, PySetterValue::Delete)?;
    let saw_empty = read(c).is_none();
    *c.lock() = Some(x.clone());
    let descr_saw_x = cell_get(vm, &cell).is_ok_and(|v| v.is(&x));
    Ok(saw_x && saw_y && saw_empty && descr_saw_x)
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
