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
/// Functions of modules that read the calling frame's object, line or callers:
/// `sys._getframe`, `inspect.currentframe` and friends, `warnings.warn` (which takes its
/// line from the caller). Native code running in an interpreter frame keeps that frame's
/// line and callers current, so these run natively there; a function using them is
/// called in a frame of its own ([`reads_frames`]), and a guard exits where there is none.
/// Their names are also ordinary attribute names (`self.stack`, `self.log.warn`), so the
/// owner decides ([`reads_frame_at`]).
const MODULE_FRAME_FUNCTIONS: &[&str] = &[
    "_getframe",
    "currentframe",
    "stack",
    "getouterframes",
    "getframeinfo",
    "print_stack",
    "extract_stack",
    "format_stack",
    "warn",
    "TypeVar",
    "ParamSpec",
    "TypeVarTuple",
];
/// Builtins (by global name, with the argument count that does it) that take the calling
/// module's name from the running frame's globals: `type(name, bases, dict)` for the new
/// class's `__module__`, and the typing constructs for theirs. Called by a function
/// without an interpreter frame of its own, they would name its caller's module.
const CALLERS_MODULE_BUILTINS: &[(&str, Option<usize>)] = &[
    ("type", Some(3)),
    ("TypeVar", None),
    ("ParamSpec", None),
    ("TypeVarTuple", None),
];
/// A frame object's attributes that read its callers or line, whatever the owner.
const FRAME_OBJECT_ATTRS: &[&str] = &["f_back", "f_lineno"];
/// Attributes whose use reads or changes the running frame's locals or tracing
/// (`f_locals`, a live view of them; `pdb.set_trace`): native code keeps locals in
/// registers, so these always run in the interpreter (a side exit before them; a frame
/// object taken before the exit shows the continuation's locals).
pub(super) const FRAME_STATE_ATTRS: &[&str] = &["set_trace", "f_locals"];
/// Attributes that read the running frame's locals only on a module or a frame object
/// (`builtins.locals`): a guard on the owner exits before them there, and lets an
/// ordinary attribute of the same name (`self.frame.locals`) run natively.
pub(super) const FRAME_STATE_ON_MODULES: &[&str] = &["locals"];

/// Whether `code` reads its running frame (see [`reads_frame_at`] and
/// [`takes_callers_module`]).
pub fn reads_frames(code: &Py<PyCode>, a: &Analysis) -> bool {
    (0..a.insns.len()).any(|k| reads_frame_at(code, a, k) || takes_callers_module(code, a, k))
}

/// Whether instruction `k` calls one of [`CALLERS_MODULE_BUILTINS`] through its global
/// name.
pub(crate) fn takes_callers_module(code: &Py<PyCode>, a: &Analysis, k: usize) -> bool {
    let i = &a.insns[k];
    if !matches!(i.op, Instruction::Call { .. }) {
        return false;
    }
    let n = i.arg as usize;
    called_global(code, a, k, n).is_some_and(|g| {
        CALLERS_MODULE_BUILTINS
            .iter()
            .any(|(name, argc)| *name == g && argc.is_none_or(|c| c == n))
    })
}

/// Whether instruction `k` is an attribute load that reads the running frame: one of
/// [`FRAME_OBJECT_ATTRS`], or of [`MODULE_FRAME_FUNCTIONS`] unless loaded from an owner
/// that is plainly not a module (an attribute of something, or a parameter the function
/// never rebinds: `self.stack`).
pub(super) fn reads_frame_at(code: &Py<PyCode>, a: &Analysis, k: usize) -> bool {
    let i = &a.insns[k];
    if !matches!(i.op, Instruction::LoadAttr { .. }) {
        return false;
    }
    let name = name_of(code, i.arg >> 1);
    inspects_frames(name, FRAME_OBJECT_ATTRS)
        || (inspects_frames(name, MODULE_FRAME_FUNCTIONS) && !owner_is_not_a_module(code, a, k))
}

/// The owner of the attribute load at `k` comes straight from the instruction before it
/// (no jump lands between them) and is an attribute value or an unchanged parameter.
fn owner_is_not_a_module(code: &Py<PyCode>, a: &Analysis, k: usize) -> bool {
    if k == 0 || a.leaders[k] {
        return false;
    }
    let prev = &a.insns[k - 1];
    match prev.op {
        Instruction::LoadAttr { .. } => prev.arg & 1 == 0,
        Instruction::LoadFast { .. }
        | Instruction::LoadFastBorrow { .. }
        | Instruction::LoadFastCheck { .. } => unchanged_parameter(code, a, prev.arg),
        Instruction::LoadFastLoadFast { .. } | Instruction::LoadFastBorrowLoadFastBorrow { .. } => {
            unchanged_parameter(code, a, prev.arg & 15)
        }
        _ => false,
    }
}

/// Local `var` is a parameter that no instruction stores to or deletes.
fn unchanged_parameter(code: &Py<PyCode>, a: &Analysis, var: u32) -> bool {
    let params = code.code.arg_count + code.code.kwonlyarg_count;
    var < params
        && !a.insns.iter().any(|i| match i.op {
            Instruction::StoreFast { .. }
            | Instruction::DeleteFast { .. }
            | Instruction::LoadFastAndClear { .. } => i.arg == var,
            Instruction::StoreFastLoadFast { .. } => i.arg >> 4 == var,
            Instruction::StoreFastStoreFast { .. } => i.arg >> 4 == var || i.arg & 15 == var,
            _ => false,
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

/// The name of the global that call `k` (with `n` arguments) calls, when its callable was
/// pushed by a `LOAD_GLOBAL` in the same basic block.
pub(crate) fn called_global<'c>(
    code: &'c Py<PyCode>,
    a: &Analysis,
    k: usize,
    n: usize,
) -> Option<&'c str> {
    let slot = (a.depth[k]? as usize).checked_sub(n + 2)?;
    // The callable's producer: the last instruction before the call that starts with
    // the stack `slot` deep (none in between goes below it).
    let mut j = k;
    loop {
        if a.leaders[j] || j == 0 {
            return None;
        }
        j -= 1;
        let dj = a.depth[j]? as usize;
        if dj < slot {
            return None;
        }
        if dj == slot {
            let insn = &a.insns[j];
            let pushes_null = insn.arg & 1 == 1;
            return match insn.op {
                Instruction::LoadGlobal { .. } if pushes_null => code
                    .code
                    .names
                    .get((insn.arg >> 1) as usize)
                    .map(|name| name.as_str()),
                _ => None,
            };
        }
    }
}
