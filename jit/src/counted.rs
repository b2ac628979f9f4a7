//! The code objects rpyjit rewrote to count their calls and loops (see [`crate::hotness`]),
//! each with the plain code it stands for. Kept below the modules that compile and enter
//! code, which ask what a function's own code is.

use rustpython_vm::builtins::PyCode;
use rustpython_vm::{AsObject, Py, PyRef, PyResult, VirtualMachine};

use crate::by_object::ByObject;

/// Counted code (held weakly: an entry goes with its code) → its plain code, and whether
/// the plain code's units keep their offsets in it (rpyjit's units appended after them).
static PLAIN: ByObject<(PyRef<PyCode>, bool)> = ByObject::new();

/// Records that `counted` is `plain` with rpyjit's counting code or loop hooks;
/// `in_place`: the counting code is appended, not put in front.
pub(crate) fn record(
    vm: &VirtualMachine,
    counted: &PyRef<PyCode>,
    plain: &PyRef<PyCode>,
    in_place: bool,
) -> PyResult<()> {
    PLAIN.insert(vm, counted.as_object(), (plain.clone(), in_place))
}

/// The plain code `code` stands for, if rpyjit rewrote it for counting.
pub fn plain_of(code: &Py<PyCode>) -> Option<PyRef<PyCode>> {
    PLAIN.get(code.as_object()).map(|(plain, _)| plain)
}

/// Whether `code`'s instructions are at the offsets of the plain code it stands for
/// (true for code rpyjit did not rewrite).
pub fn keeps_offsets(code: &Py<PyCode>) -> bool {
    PLAIN
        .get(code.as_object())
        .is_none_or(|(_, in_place)| in_place)
}

/// Whether `code` has rpyjit's counting prologue: calls of it are counted wherever they
/// come from.
pub fn is_counted(code: &Py<PyCode>) -> bool {
    plain_of(code).is_some()
}
