//! Code that inspects its running frame: which names and attributes mean a program reads
//! or changes the frame native code runs in (its locals, its line, its callers).

use rustpython_vm::builtins::PyCode;
use rustpython_vm::bytecode::Instruction;
use rustpython_vm::Py;

use crate::bytecode::Analysis;

/// Builtins that read or write the calling frame (its locals, its line).
pub(super) const FRAME_GLOBALS: &[&str] = &[
    "locals",
    "globals",
    "vars",
    "eval",
    "exec",
    "dir",
    "breakpoint",
];
/// Attributes whose use reads the calling frame's object, line or callers:
/// `sys._getframe`, `inspect.currentframe` and friends, `warnings.warn` (which takes its
/// line from the caller). Native code running in an interpreter frame keeps that frame's
/// line and callers current, so these run natively there; a function using them is
/// called in a frame of its own ([`reads_frames`]), and a guard exits where there is none.
pub(super) const FRAME_ATTRS: &[&str] = &[
    "_getframe",
    "currentframe",
    "stack",
    "getouterframes",
    "getframeinfo",
    "print_stack",
    "extract_stack",
    "format_stack",
    "warn",
    "f_back",
    "f_lineno",
];
/// Attributes whose use reads or changes the running frame's locals or tracing
/// (`f_locals`, a live view of them; `pdb.set_trace`): native code keeps locals in
/// registers, so these always run in the interpreter (a side exit before them; a frame
/// object taken before the exit shows the continuation's locals).
pub(super) const FRAME_STATE_ATTRS: &[&str] = &["set_trace", "locals", "f_locals"];

/// Whether `code` reads its running frame (a load of one of [`FRAME_ATTRS`]).
pub fn reads_frames(code: &Py<PyCode>, a: &Analysis) -> bool {
    a.insns.iter().any(|i| {
        matches!(i.op, Instruction::LoadAttr { .. })
            && inspects_frames(name_of(code, i.arg >> 1), FRAME_ATTRS)
    })
}

pub(super) fn name_of(code: &Py<PyCode>, i: u32) -> &str {
    code.code.names.get(i as usize).map_or("", |n| n.as_str())
}

/// Native code keeps locals in registers and its frame's line is stale: whatever
/// inspects the running frame must run in the interpreter (a side exit before it).
pub(super) fn inspects_frames(name: &str, names: &[&str]) -> bool {
    names.contains(&name)
}

/// A `super()` call the compiler left to the builtin (where `super` is also a global it
/// cannot rule out): `super` then reads the running frame's first argument and
/// `__class__` cell. The usual form, `LOAD_SUPER_ATTR`, gets both from the stack.
pub(super) fn zero_argument_super(code: &Py<PyCode>, a: &Analysis, k: usize) -> bool {
    name_of(code, a.insns[k].arg >> 1) == "super"
        && a.insns
            .get(k + 1)
            .is_some_and(|i| matches!(i.op, Instruction::Call { .. }) && i.arg == 0)
}
