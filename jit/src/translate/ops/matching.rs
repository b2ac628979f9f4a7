//! Pattern matching (`match`): subject kinds, lengths, mapping keys and class patterns,
//! through helpers (those the interpreter checks in ways native code does not exit to
//! it).

use cranelift_codegen::ir::{types, InstBuilder};
use rustpython_vm::bytecode::Instruction;

use super::{push, type_pops_to_obj, EmitSite, Form, TypingSite};
use crate::abi::Op;
use crate::translate::emitter::Emitter;
use crate::translate::kinds::{Kind, TypeState};
use crate::translate::typing::Flow;
use crate::translate::{refuse, Refusal};
use Kind::*;

/// `MATCH_SEQUENCE` and `MATCH_MAPPING`.
pub(super) const MATCH_KIND: Form = Form::op(type_match_kind, emit_match_kind);
pub(super) const GET_LEN: Form = Form::op(type_get_len, emit_get_len);
pub(super) const MATCH_KEYS: Form = Form::op(type_match_keys, emit_match_keys);
pub(super) const MATCH_CLASS: Form = Form::op(type_pops_to_obj::<3>, emit_match_class);

fn type_match_kind(_: &TypingSite, st: &mut TypeState) -> Result<Flow, Refusal> {
    if st.stack.is_empty() {
        return refuse("stack underflow");
    }
    st.stack.push(Bool);
    Ok(Flow::Next)
}

fn emit_match_kind(e: &mut Emitter, s: &EmitSite) -> Result<bool, Refusal> {
    let EmitSite { insn, st, d, .. } = *s;
    let v = if st.stack[d - 1] == Obj {
        let subject = e.get(false, d - 1, Obj);
        e.store_op(0, subject);
        let mapping = u64::from(matches!(insn.op, Instruction::MatchMapping));
        e.call_op_checked(Op::MatchKind, mapping, st, insn, &[])
    } else {
        // An unboxed number is neither a sequence nor a mapping.
        e.b.ins().iconst(types::I64, 0)
    };
    push!(e, d, Bool, v);
    Ok(false)
}

fn type_get_len(_: &TypingSite, st: &mut TypeState) -> Result<Flow, Refusal> {
    if st.stack.last() != Some(&Obj) {
        return Ok(Flow::SideExit("len() of a number"));
    }
    st.stack.push(Int);
    Ok(Flow::Next)
}

fn emit_get_len(e: &mut Emitter, s: &EmitSite) -> Result<bool, Refusal> {
    let obj = e.get(false, s.d - 1, Obj);
    e.store_op(0, obj);
    let n = e.call_op_checked(Op::GetLen, 0, s.st, s.insn, &[]);
    push!(e, s.d, Int, n);
    Ok(false)
}

fn type_match_keys(_: &TypingSite, st: &mut TypeState) -> Result<Flow, Refusal> {
    let n = st.stack.len();
    if n < 2 || st.stack[n - 2..] != [Obj, Obj] {
        return Ok(Flow::SideExit("MATCH_KEYS on a number"));
    }
    st.stack.push(Obj);
    Ok(Flow::Next)
}

fn emit_match_keys(e: &mut Emitter, s: &EmitSite) -> Result<bool, Refusal> {
    let EmitSite { insn, st, d, .. } = *s;
    let subject = e.get(false, d - 2, Obj);
    e.store_op(0, subject);
    let keys = e.get(false, d - 1, Obj);
    e.store_op(1, keys);
    e.call_op_or_interpret(
        Op::MatchKeys,
        0,
        st,
        insn,
        &[],
        "a mapping that is not a dict",
    );
    push!(e, d, Obj, e.load_op(2));
    Ok(false)
}

fn emit_match_class(e: &mut Emitter, s: &EmitSite) -> Result<bool, Refusal> {
    let EmitSite {
        insn, arg, st, d, ..
    } = *s;
    let temps = e.operands(st, 3);
    e.call_op_or_interpret(
        Op::MatchClass,
        u64::from(arg),
        st,
        insn,
        &temps,
        "a class pattern the interpreter checks",
    );
    push!(e, d - 3, Obj, e.load_op(0));
    Ok(false)
}
