//! Control flow: conditional and unconditional jumps (with the signal check on
//! back-edges), returns, and the instructions that do nothing natively.

use cranelift_codegen::ir::condcodes::IntCC;
use cranelift_codegen::ir::{types, InstBuilder, MemFlagsData};
use rustpython_vm::bytecode::Instruction;

use super::arith::truth;
use super::{type_nothing, type_pops, EmitSite, Form, TypingSite};
use crate::translate::emitter::Emitter;
use crate::translate::kinds::{Kind, TypeState};
use crate::translate::typing::Flow;
use crate::translate::{returned_at, ExitKind, Refusal};

/// `RESUME`, `NOP`, `NOT_TAKEN`, `CACHE`.
pub(super) const NOTHING: Form = Form::op(type_nothing, emit_nothing).cannot_raise();
/// `POP_JUMP_IF_FALSE` and `POP_JUMP_IF_TRUE`: on the operand's truth.
pub(super) const POP_JUMP_IF_TRUTH: Form = Form::op(type_pops::<1>, emit_pop_jump).work();
/// `POP_JUMP_IF_NONE` and `POP_JUMP_IF_NOT_NONE`: on identity with `None`.
pub(super) const POP_JUMP_IF_NONE: Form = Form::op(type_pops::<1>, emit_pop_jump);
/// `JUMP_FORWARD` and `JUMP_BACKWARD_NO_INTERRUPT`.
pub(super) const JUMP: Form = Form::op(type_jump, emit_jump).cannot_raise();
/// `JUMP_BACKWARD`: a pending signal is raised at the loop's back-edge.
pub(super) const JUMP_BACKWARD: Form = Form::op(type_jump, emit_jump_backward);
pub(super) const RETURN_VALUE: Form = Form::op(type_return_value, emit_return_value).cannot_raise();

fn emit_nothing(_: &mut Emitter, _: &EmitSite) -> Result<bool, Refusal> {
    Ok(false)
}

fn emit_pop_jump(e: &mut Emitter, s: &EmitSite) -> Result<bool, Refusal> {
    use Instruction as I;
    let EmitSite {
        insn, st, after, d, ..
    } = *s;
    let kind = st.stack[d - 1];
    let cond = match insn.op {
        I::PopJumpIfFalse { .. } | I::PopJumpIfTrue { .. } => truth(e, st, insn, d - 1, kind),
        // Is None?
        _ if kind == Kind::Obj => {
            let x = e.get(false, d - 1, Kind::Obj);
            let c = e.b.ins().icmp_imm_s(IntCC::Equal, x, e.h.none as i64);
            let c = e.b.ins().uextend(types::I64, c);
            e.decref(x);
            c
        }
        _ => {
            e.drop_ref(false, d - 1, kind);
            e.b.ins().iconst(types::I64, 0)
        }
    };
    let jump_if = matches!(insn.op, I::PopJumpIfTrue { .. } | I::PopJumpIfNone { .. });
    let (t, tst) = s.jump_target()?;
    let (f, fst) = s.next_block("branch fall-through")?;
    let t = e.edge(after, &tst, t);
    let f = e.edge(after, &fst, f);
    if jump_if {
        e.b.ins().brif(cond, t, &[], f, &[]);
    } else {
        e.b.ins().brif(cond, f, &[], t, &[]);
    }
    Ok(true)
}

fn type_jump(_: &TypingSite, _: &mut TypeState) -> Result<Flow, Refusal> {
    Ok(Flow::End)
}

fn emit_jump(e: &mut Emitter, s: &EmitSite) -> Result<bool, Refusal> {
    let (t, tst) = s.jump_target()?;
    let t = e.edge(s.after, &tst, t);
    e.b.ins().jump(t, &[]);
    Ok(true)
}

fn emit_jump_backward(e: &mut Emitter, s: &EmitSite) -> Result<bool, Refusal> {
    // Pending signals (Ctrl-C) are noticed on every back-edge, as in the interpreter; the
    // exception is raised when the interpreter resumes here.
    let f = e.b.ins().iconst(e.ptr, e.h.backedge as i64);
    let call = e.b.ins().call_indirect(e.sig_backedge, f, &[]);
    let pending = e.b.inst_results(call)[0];
    e.exit_if(
        pending,
        s.st,
        s.insn,
        "signal pending",
        ExitKind::Signal,
        &[],
    );
    emit_jump(e, s)
}

fn type_return_value(s: &TypingSite, st: &mut TypeState) -> Result<Flow, Refusal> {
    s.pop(st)?;
    Ok(Flow::End)
}

fn emit_return_value(e: &mut Emitter, s: &EmitSite) -> Result<bool, Refusal> {
    let EmitSite { insn, st, d, .. } = *s;
    let kind = st.stack[d - 1];
    let (result, _) = e.take_boxed(false, d - 1, kind);
    if e.keeps_frame_locals {
        e.keep_frame_locals(st, insn);
    }
    // Everything else the frame owns goes away with it.
    let mut owned: Vec<_> = (st.locals.iter().enumerate())
        .filter_map(|(i, l)| e.owned_ref(true, i, (*l)?))
        .collect();
    owned.extend((0..d - 1).filter_map(|i| e.owned_ref(false, i, st.stack[i])));
    e.decref_many(&owned);
    e.b.ins().store(MemFlagsData::trusted(), result, e.buf, 0);
    // A return says where: the frame returns through that instruction.
    let done = e.b.ins().iconst(types::I64, returned_at(insn.at));
    e.b.ins().return_(&[done]);
    Ok(true)
}
