//! Continuation code objects: the function's code behind a prologue that restores a
//! frame state (see the [module doc](super)).

use rustpython_vm::builtins::PyCode;
use rustpython_vm::bytecode::{self, Instruction};
use rustpython_vm::{Py, PyRef, VirtualMachine};

use super::{DeoptError, FrameState, RESTORE_BUILTIN, RESTORE_HANDLED_BUILTIN};
use crate::bytecode::Analysis;

/// A continuation code object for `code` resuming with the shape of `state` (which slots
/// are NULL, the stack's NULL positions), checked against the bytecode analysis.
pub fn continuation_code(
    vm: &VirtualMachine,
    code: &Py<PyCode>,
    analysis: &Analysis,
    state: &FrameState,
) -> Result<PyRef<PyCode>, DeoptError> {
    let orig = &code.code;
    let k = analysis
        .index_of(state.resume_at)
        .ok_or_else(|| DeoptError(format!("unit {} is not an instruction", state.resume_at)))?;
    let depth = analysis.depth[k]
        .ok_or_else(|| DeoptError(format!("unit {} is unreachable", state.resume_at)))?;
    if depth as usize != state.stack.len() {
        return Err(DeoptError(format!(
            "stack of {} values at unit {}, analysis says {depth}",
            state.stack.len(),
            state.resume_at
        )));
    }
    let nslots = orig.localspluskinds.len();
    if state.locals.len() != nslots {
        return Err(DeoptError(format!(
            "{} local slots, code has {nslots}",
            state.locals.len()
        )));
    }

    let nargs = orig.arg_count
        + orig.kwonlyarg_count
        + u32::from(orig.flags.contains(bytecode::CodeFlags::VARARGS))
        + u32::from(orig.flags.contains(bytecode::CodeFlags::VARKEYWORDS));
    let code = crate::rewrite::with_prologue(vm, code, state.resume_at, depth + 3, |e| {
        e.emit(
            Instruction::Resume {
                context: bytecode::Arg::marker(),
            },
            0,
        );
        for (slot, v) in state.locals.iter().enumerate() {
            match v {
                Some(_) => {
                    e.call_builtin(RESTORE_BUILTIN);
                    e.emit(
                        Instruction::StoreFast {
                            var_num: bytecode::Arg::marker(),
                        },
                        slot as u32,
                    );
                }
                // Argument slots are bound by the call; an unbound one must be cleared again.
                None if (slot as u32) < nargs => e.emit(
                    Instruction::DeleteFast {
                        var_num: bytecode::Arg::marker(),
                    },
                    slot as u32,
                ),
                None => {}
            }
        }
        for v in &state.stack {
            match v {
                Some(_) => e.call_builtin(RESTORE_BUILTIN),
                None => e.emit(Instruction::PushNull, 0),
            }
        }
        if state.handling.is_some() {
            e.call_builtin(RESTORE_HANDLED_BUILTIN);
            e.emit(Instruction::PopTop, 0);
        }
        if state.pending.is_some() {
            // Raised as if by the instruction at the resume point: its handler applies.
            let start = e.units.len() as u32;
            e.call_builtin(RESTORE_BUILTIN);
            e.raises_at(start, state.resume_at);
            e.emit(Instruction::PopTop, 0);
        }
        // JUMP_FORWARD is relative to the unit after it, where the original code starts.
        e.emit_wide(
            Instruction::JumpForward {
                delta: bytecode::Arg::marker(),
            },
            state.resume_at,
            3,
        );
    });
    Ok(code)
}
