//! Exceptions: `raise`, re-raises caught by the function's own handlers, and the
//! handler-side instructions (`PUSH_EXC_INFO`, `POP_EXCEPT`, `CHECK_EXC_MATCH`,
//! `WITH_EXCEPT_START`). A handler's entry is an edge from every covered instruction.

use super::{push, EmitSite, Form, TypingSite};
use crate::abi::Op;
use crate::translate::emitter::Emitter;
use crate::translate::kinds::{Kind, TypeState};
use crate::translate::typing::Flow;
use crate::translate::{refuse, ExitKind, Refusal};
use Kind::*;

pub(super) const RAISE_VARARGS: Form = Form::op(type_raise_varargs, emit_raise_varargs);
pub(super) const RERAISE: Form = Form::op(type_reraise, emit_reraise);
pub(super) const PUSH_EXC_INFO: Form = Form::op(type_push_exc_info, emit_push_exc_info);
pub(super) const POP_EXCEPT: Form = Form::op(type_pop_except, emit_pop_except);
pub(super) const WITH_EXCEPT_START: Form = Form::op(type_with_except_start, emit_with_except_start);
pub(super) const CHECK_EXC_MATCH: Form = Form::op(type_check_exc_match, emit_check_exc_match);

fn type_raise_varargs(s: &TypingSite, st: &mut TypeState) -> Result<Flow, Refusal> {
    match s.arg {
        // `raise exc` and `raise exc from cause`.
        1 | 2 => {
            s.popn(st, s.arg as usize)?;
            Ok(Flow::End)
        }
        // A bare `raise` re-raises the exception being handled: natively when a handler
        // of the function catches it (it always is, inside `except`), else the
        // interpreter's.
        0 if s.a.handler_of(s.insn.at).is_some() => Ok(Flow::End),
        _ => s.side_exit(),
    }
}

fn emit_raise_varargs(e: &mut Emitter, s: &EmitSite) -> Result<bool, Refusal> {
    let EmitSite {
        insn, arg, st, d, ..
    } = *s;
    if arg == 0 {
        // Like RERAISE: no traceback entry, no new context.
        e.call_op_or_interpret(
            Op::HandledException,
            0,
            st,
            insn,
            &[],
            "no exception to re-raise",
        );
        let exc = e.load_op(0);
        match e.handler_for(st, insn) {
            Some((h, block, to)) => e.throw(st, d, exc, insn, &h, block, &to),
            None => {
                e.decref(exc);
                e.emit_exit(st, insn, "re-raise", ExitKind::Unsupported, &[]);
            }
        }
    } else {
        // The helper always raises; the exception exits at this instruction.
        let temps = e.operands(st, arg as usize);
        e.call_op_checked(Op::Raise, u64::from(arg), st, insn, &temps);
        e.emit_exit(st, insn, "raise", ExitKind::Unsupported, &temps);
    }
    Ok(true)
}

/// Caught again in this function: a jump to that handler. Leaving it, the exception goes
/// through the interpreter, which adds no traceback entry for a re-raise.
fn type_reraise(s: &TypingSite, st: &mut TypeState) -> Result<Flow, Refusal> {
    if s.a.handler_of(s.insn.at).is_none() {
        return Ok(Flow::SideExit("an exception leaves the function"));
    }
    if s.pop(st)? != Obj {
        return refuse("RERAISE without an exception");
    }
    Ok(Flow::End)
}

fn emit_reraise(e: &mut Emitter, s: &EmitSite) -> Result<bool, Refusal> {
    let EmitSite { insn, st, d, .. } = *s;
    match e.handler_for(st, insn) {
        Some((h, block, to)) => {
            let exc = e.get(false, d - 1, Obj);
            e.throw(st, d - 1, exc, insn, &h, block, &to);
        }
        // Kinds that could not meet at the handler: the interpreter re-raises.
        None => e.emit_exit(st, insn, "re-raise", ExitKind::Unsupported, &[]),
    }
    Ok(true)
}

fn type_push_exc_info(s: &TypingSite, st: &mut TypeState) -> Result<Flow, Refusal> {
    if s.pop(st)? != Obj {
        return refuse("PUSH_EXC_INFO without an exception");
    }
    st.stack.extend([Obj, Obj]);
    Ok(Flow::Next)
}

fn emit_push_exc_info(e: &mut Emitter, s: &EmitSite) -> Result<bool, Refusal> {
    let EmitSite { insn, st, d, .. } = *s;
    // [exc] -> [previous, exc]
    e.operands(st, 1);
    e.call_op_checked(Op::PushExcInfo, 0, st, insn, &[]);
    e.mov((false, d - 1), (false, d), Obj);
    push!(e, d - 1, Obj, e.load_op(0));
    Ok(false)
}

fn type_pop_except(s: &TypingSite, st: &mut TypeState) -> Result<Flow, Refusal> {
    if s.pop(st)? != Obj {
        return refuse("POP_EXCEPT without a saved exception");
    }
    Ok(Flow::Next)
}

fn emit_pop_except(e: &mut Emitter, s: &EmitSite) -> Result<bool, Refusal> {
    e.operands(s.st, 1);
    e.call_op_checked(Op::PopExcept, 0, s.st, s.insn, &[]);
    Ok(false)
}

fn type_with_except_start(_: &TypingSite, st: &mut TypeState) -> Result<Flow, Refusal> {
    let n = st.stack.len();
    if n < 5 || st.stack[n - 5..n - 3] != [Obj, Obj] {
        return refuse("WITH_EXCEPT_START without an exit method");
    }
    st.stack.push(Obj);
    Ok(Flow::Next)
}

fn emit_with_except_start(e: &mut Emitter, s: &EmitSite) -> Result<bool, Refusal> {
    let EmitSite { insn, st, d, .. } = *s;
    // [exit, self_or_null, lasti, previous, exc] -> [..., exc, exit's result]
    for (i, slot) in [d - 5, d - 4].into_iter().enumerate() {
        let v = e.get(false, slot, Obj);
        e.store_op(i, v);
    }
    e.call_op_checked(Op::WithExceptStart, 0, st, insn, &[]);
    push!(e, d, Obj, e.load_op(0));
    Ok(false)
}

fn type_check_exc_match(_: &TypingSite, st: &mut TypeState) -> Result<Flow, Refusal> {
    let n = st.stack.len();
    if n < 2 || st.stack[n - 2..] != [Obj, Obj] {
        return refuse("CHECK_EXC_MATCH without an exception and a type");
    }
    st.stack[n - 1] = Obj;
    Ok(Flow::Next)
}

fn emit_check_exc_match(e: &mut Emitter, s: &EmitSite) -> Result<bool, Refusal> {
    e.operands(s.st, 2);
    e.call_op_checked(Op::CheckExcMatch, 0, s.st, s.insn, &[]);
    push!(e, s.d - 1, Obj, e.load_op(0));
    Ok(false)
}
