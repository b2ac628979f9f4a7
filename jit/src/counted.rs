//! The code objects rpyjit rewrote to count their calls and loops (see [`crate::hotness`]),
//! each with the plain code it stands for. Kept below the modules that compile and enter
//! code, which ask what a function's own code is.

use rustpython_vm::builtins::PyCode;
use rustpython_vm::{AsObject, Py, PyRef, PyResult, VirtualMachine};

use crate::by_object::ByObject;

/// Counted code (held weakly: an entry goes with its code) → its plain code.
static PLAIN: ByObject<PyRef<PyCode>> = ByObject::new();

/// Records that `counted` is `plain` with rpyjit's counting prologue or loop hooks.
pub(crate) fn record(
    vm: &VirtualMachine,
    counted: &PyRef<PyCode>,
    plain: &PyRef<PyCode>,
) -> PyResult<()> {
    PLAIN.insert(vm, counted.as_object(), plain.clone())
}

/// The plain code `code` stands for, if rpyjit rewrote it for counting.
pub fn plain_of(code: &Py<PyCode>) -> Option<PyRef<PyCode>> {
    PLAIN.get(code.as_object())
}

/// Whether `code` has rpyjit's counting prologue: calls of it are counted wherever they
/// come from.
pub fn is_counted(code: &Py<PyCode>) -> bool {
    plain_of(code).is_some()
}
