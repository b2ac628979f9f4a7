//! The typing pass: a fixed point over the CFG that gives every local and stack slot a
//! [`Kind`] at every instruction, by the typing rule of each instruction's form
//! ([`ops::Form`]).

use rustpython_vm::builtins::PyCode;
use rustpython_vm::bytecode::{ExceptionTableEntry, Instruction};
use rustpython_vm::Py;

use super::kinds::{Kind, TypeState};
use super::ops;
use super::profile::Profile;
use super::{refuse, Refusal};
use crate::bytecode::Analysis;

/// What follows an instruction.
pub(super) enum Flow {
    /// Continues at the next instruction (and, for a conditional jump, also at its
    /// target with the same state).
    Next,
    /// `FOR_ITER`: continues with the value pushed, or at `exhausted` with the stack as
    /// it was.
    ForIter { exhausted: u32 },
    /// A terminator (return, unconditional jump: successors by `jump_target`).
    End,
    /// Not compiled: a side exit to the interpreter.
    SideExit(&'static str),
}

/// Which instructions start a block in native code: the analysis's leaders plus the
/// places an exhausted `FOR_ITER` continues at.
pub(super) fn leaders(a: &Analysis) -> Vec<bool> {
    let mut l = a.leaders.clone();
    for (k, insn) in a.insns.iter().enumerate() {
        if matches!(insn.op, Instruction::ForIter { .. }) {
            if let Some(t) = insn.jump_target().and_then(|t| a.index_of(t)) {
                if t + 1 < l.len() {
                    l[t + 1] = true;
                }
            }
            if k + 1 < l.len() {
                l[k + 1] = true;
            }
        }
    }
    l
}

/// Successor edges of instruction `k` with the state on each edge, and whether the edge
/// is an exception's (to a handler).
pub(super) fn successors(
    a: &Analysis,
    k: usize,
    flow: &Flow,
    before: &TypeState,
    after: &TypeState,
) -> Result<Vec<(usize, TypeState, bool)>, Refusal> {
    let insn = a.insns[k];
    let idx = |u: u32| a.index_of(u).ok_or_else(|| Refusal("bad jump".into()));
    let mut out = Vec::new();
    // An instruction that runs natively and raises continues at its handler, natively.
    if !matches!(flow, Flow::SideExit(_)) && ops::may_raise(insn.op) {
        if let Some(h) = a.handler_of(insn.at) {
            out.push((idx(h.target)?, caught_state(before, h)?, true));
        }
    }
    match flow {
        Flow::SideExit(_) => {}
        Flow::ForIter { exhausted } => {
            out.push((k + 1, after.clone(), false));
            out.push((idx(*exhausted)?, before.clone(), false));
        }
        Flow::End | Flow::Next => {
            if let Some(t) = insn.jump_target() {
                out.push((idx(t)?, after.clone(), false));
            }
            if !insn.is_no_fallthrough() && k + 1 < a.insns.len() {
                out.push((k + 1, after.clone(), false));
            }
        }
    }
    Ok(out)
}

/// The state a handler starts with when the instruction with state `before` raises: the
/// VM's unwinding keeps the locals and the bottom `depth` stack values, then pushes the
/// raising instruction's offset (if the entry says so; an int, only ever read back by
/// `RERAISE`) and the exception.
pub(super) fn caught_state(
    before: &TypeState,
    h: &ExceptionTableEntry,
) -> Result<TypeState, Refusal> {
    let depth = usize::from(h.depth);
    if before.stack.len() < depth {
        return refuse("a handler deeper than the stack");
    }
    let mut stack = before.stack[..depth].to_vec();
    if h.push_lasti {
        stack.push(Kind::Int);
    }
    stack.push(Kind::Obj);
    Ok(TypeState {
        locals: before.locals.clone(),
        stack,
    })
}

/// Types every instruction reachable from `start` by a fixed point over the CFG.
pub(super) fn infer(
    code: &Py<PyCode>,
    a: &Analysis,
    p: &Profile,
    start: usize,
    entry: TypeState,
) -> Result<Vec<Option<TypeState>>, Refusal> {
    let mut states: Vec<Option<TypeState>> = vec![None; a.insns.len()];
    let mut work = vec![start];
    states[start] = Some(entry);
    let mut rounds = 0usize;
    while let Some(k) = work.pop() {
        rounds += 1;
        if rounds > 200 * a.insns.len() + 1000 {
            return refuse("typing does not converge");
        }
        let before = states[k].clone().unwrap();
        // The value stack must have the shape the bytecode analysis (and so deopt) sees.
        if a.depth[k] != Some(before.stack.len() as u32) {
            return refuse(format!(
                "stack shape at unit {} disagrees with the analysis",
                a.insns[k].at
            ));
        }
        let mut after = before.clone();
        let flow = ops::step(code, a, p, k, &mut after)?;
        for (t, st, exceptional) in successors(a, k, &flow, &before, &after)? {
            let merged = match &states[t] {
                None => st,
                Some(old) => match old.join(&st) {
                    Some(m) if &m == old => continue,
                    Some(m) => m,
                    // This raise is left to the interpreter (`Emitter::handler_for`).
                    None if exceptional => continue,
                    None => {
                        return refuse(format!(
                            "values of incompatible kinds meet at unit {}",
                            a.insns[t].at
                        ))
                    }
                },
            };
            states[t] = Some(merged);
            work.push(t);
        }
    }
    Ok(states)
}
