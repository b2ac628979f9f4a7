//! The code objects rpyjit rewrote to count their calls and loops (see [`crate::hotness`]),
//! each with the plain code it stands for. Kept below the modules that compile and enter
//! code, which ask what a function's own code is.

use std::collections::HashMap;
use std::sync::Mutex;

use rustpython_vm::builtins::PyCode;
use rustpython_vm::{AsObject, Py, PyRef};

/// Counted code (by id; the reference keeps the id from being reused) → its plain code.
static PLAIN: Mutex<Option<HashMap<usize, (PyRef<PyCode>, PyRef<PyCode>)>>> = Mutex::new(None);

/// Records that `counted` is `plain` with rpyjit's counting prologue or loop hooks.
pub(crate) fn record(counted: &PyRef<PyCode>, plain: &PyRef<PyCode>) {
    PLAIN
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .get_or_insert_with(HashMap::new)
        .insert(
            counted.as_object().get_id(),
            (counted.clone(), plain.clone()),
        );
}

/// The plain code `code` stands for, if rpyjit rewrote it for counting.
pub fn plain_of(code: &Py<PyCode>) -> Option<PyRef<PyCode>> {
    PLAIN
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .as_ref()?
        .get(&code.as_object().get_id())
        .map(|(_, plain)| plain.clone())
}

/// Whether `code` has rpyjit's counting prologue: calls of it are counted wherever they
/// come from.
pub fn is_counted(code: &Py<PyCode>) -> bool {
    plain_of(code).is_some()
}
