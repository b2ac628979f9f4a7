//! Iteration: `GET_ITER`/`FOR_ITER` through the iterator helpers, or on an unboxed
//! counter for `for x in range(...)`.

use cranelift_codegen::ir::condcodes::IntCC;
use cranelift_codegen::ir::InstBuilder;
use rustpython_vm::bytecode::Instruction;

use super::{push, type_pops, EmitSite, Form, TypingSite};
use crate::abi::Op;
use crate::translate::emitter::Emitter;
use crate::translate::kinds::{Kind, TypeState};
use crate::translate::typing::Flow;
use crate::translate::Refusal;
use Kind::*;

pub(super) const GET_ITER: Form = Form::op(type_get_iter, emit_get_iter).takes_range();
pub(super) const FOR_ITER: Form = Form::op(type_for_iter, emit_for_iter)
    .takes_range()
    .work()
    .in_place(resumes_a_generator);
/// `END_FOR` and `POP_ITER`: the iterator goes.
pub(super) const END_FOR: Form = Form::op(type_pops::<1>, emit_end_for)
    .cannot_raise()
    .takes_range();

/// The interpreter resumes a generator by pushing its frame in the same loop (see
/// `Translation::profitable`).
fn resumes_a_generator(quick: &Instruction) -> bool {
    matches!(quick, Instruction::ForIterGen)
}

fn type_get_iter(s: &TypingSite, st: &mut TypeState) -> Result<Flow, Refusal> {
    let x = s.pop(st)?;
    st.stack.push(if x == Range { Range } else { Obj });
    Ok(Flow::Next)
}

fn emit_get_iter(e: &mut Emitter, s: &EmitSite) -> Result<bool, Refusal> {
    if s.st.stack[s.d - 1] != Range {
        e.op_to_obj(s.st, s.insn, Op::GetIter, 0, 1);
    }
    Ok(false)
}

fn type_for_iter(s: &TypingSite, st: &mut TypeState) -> Result<Flow, Refusal> {
    let it = *st
        .stack
        .last()
        .ok_or_else(|| Refusal("stack underflow".into()))?;
    let target = s
        .insn
        .jump_target()
        .ok_or_else(|| Refusal("jump out of the code".into()))?;
    // Exhausted: the VM skips the END_FOR at the target.
    let t =
        s.a.index_of(target)
            .ok_or_else(|| Refusal("bad FOR_ITER target".into()))?;
    let exhausted = if matches!(s.a.insns[t].op, Instruction::EndFor) {
        s.a.insns
            .get(t + 1)
            .map(|i| i.start)
            .ok_or_else(|| Refusal("FOR_ITER target at the end".into()))?
    } else {
        target
    };
    st.stack.push(if it == Range { Int } else { Obj });
    Ok(Flow::ForIter { exhausted })
}

fn emit_for_iter(e: &mut Emitter, s: &EmitSite) -> Result<bool, Refusal> {
    let EmitSite {
        insn,
        st,
        after,
        d,
        flow,
        ..
    } = *s;
    let Flow::ForIter { exhausted } = flow else {
        unreachable!()
    };
    let (done, done_st) = s.block_of(*exhausted)?;
    let (body, body_st) = s.next_block("FOR_ITER body")?;
    if st.stack[d - 1] == Range {
        let next = e.var(false, d - 1, Range, 0);
        let left = e.var(false, d - 1, Range, 1);
        let stepv = e.var(false, d - 1, Range, 2);
        let n = e.b.use_var(left);
        let finished = e.b.ins().icmp_imm_s(IntCC::Equal, n, 0);
        let more = e.b.create_block();
        let done_edge = e.edge(st, &done_st, done);
        e.b.ins().brif(finished, done_edge, &[], more, &[]);
        e.enter(more);
        let v = e.b.use_var(next);
        let step = e.b.use_var(stepv);
        let nv = e.b.ins().iadd(v, step);
        e.b.def_var(next, nv);
        let n1 = e.b.ins().iadd_imm_s(n, -1);
        e.b.def_var(left, n1);
        e.set(false, d, Int, v);
    } else {
        let it = e.get(false, d - 1, Obj);
        e.store_op(0, it);
        let status = e.call_op_checked(Op::ForIter, 0, st, insn, &[]);
        let more = e.b.create_block();
        let done_edge = e.edge(st, &done_st, done);
        e.b.ins().brif(status, done_edge, &[], more, &[]);
        e.enter(more);
        push!(e, d, Obj, e.load_op(1));
    }
    let body_edge = e.edge(after, &body_st, body);
    e.b.ins().jump(body_edge, &[]);
    Ok(true)
}

fn emit_end_for(e: &mut Emitter, s: &EmitSite) -> Result<bool, Refusal> {
    e.drop_stack(s.st, s.d - 1..s.d);
    Ok(false)
}
