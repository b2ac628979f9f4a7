//! Calls: through the call helpers (which enter compiled callees directly), with the
//! locals spilled for callees that read the caller's frame; `for x in range(...)` becomes
//! an unboxed counter.

use cranelift_codegen::ir::condcodes::IntCC;
use cranelift_codegen::ir::{types, InstBuilder, Value};
use rustpython_vm::bytecode::Instruction;

use super::{push, type_pops_to_obj, EmitSite, Form, TypingSite};
use crate::abi::Op;
use crate::bytecode::{Analysis, Insn};
use crate::translate::emitter::Emitter;
use crate::translate::kinds::{Kind, TypeState};
use crate::translate::typing::Flow;
use crate::translate::{ExitKind, Refusal};
use Kind::*;

pub(super) const CALL: Form = Form::op(type_call, emit_call).generalizes();
pub(super) const CALL_KW: Form = Form::op(type_call_kw, emit_call_kw);
pub(super) const CALL_FUNCTION_EX: Form = Form::op(type_pops_to_obj::<4>, emit_call_function_ex);

/// Whether `CALL` at `k` is `range(int, ...)` immediately iterated (`for x in range(...)`).
fn is_range_loop(a: &Analysis, k: usize, st: &TypeState) -> bool {
    let insn = &a.insns[k];
    let n = insn.arg as usize;
    matches!(insn.op, Instruction::Call { .. })
        && (1..=3).contains(&n)
        && a.insns
            .get(k + 1)
            .is_some_and(|i| matches!(i.op, Instruction::GetIter))
        // Iterated here (a for-loop or an inlined comprehension), not passed on as a
        // generator expression's argument (`GET_ITER; CALL 0`).
        && a.insns
            .get(k + 2)
            .is_some_and(|i| !matches!(i.op, Instruction::Call { .. }))
        && st.stack.len() >= n + 2
        && st.stack[st.stack.len() - n..]
            .iter()
            .all(|k| *k == Int)
}

fn type_call(s: &TypingSite, st: &mut TypeState) -> Result<Flow, Refusal> {
    let range = is_range_loop(s.a, s.k, st) && s.p.may_call_range(s.k);
    s.popn(st, s.arg as usize + 2)?;
    st.stack.push(if range { Range } else { Obj });
    Ok(Flow::Next)
}

fn emit_call(e: &mut Emitter, s: &EmitSite) -> Result<bool, Refusal> {
    let EmitSite {
        insn,
        arg,
        st,
        after,
        d,
        ..
    } = *s;
    let n = arg as usize;
    if after.stack.last() == Some(&Range) {
        emit_range(e, st, insn, n);
    } else {
        let temps = e.operands(st, n + 2);
        e.spill_locals(st, insn);
        e.call_op_checked(Op::Call, u64::from(arg), st, insn, &temps);
        push!(e, d - n - 2, Obj, e.load_op(0));
    }
    Ok(false)
}

fn type_call_kw(s: &TypingSite, st: &mut TypeState) -> Result<Flow, Refusal> {
    s.popn(st, s.arg as usize + 3)?;
    st.stack.push(Obj);
    Ok(Flow::Next)
}

fn emit_call_kw(e: &mut Emitter, s: &EmitSite) -> Result<bool, Refusal> {
    let EmitSite {
        insn, arg, st, d, ..
    } = *s;
    let n = arg as usize;
    let temps = e.operands(st, n + 3);
    e.spill_locals(st, insn);
    e.call_op_checked(Op::CallKw, u64::from(arg), st, insn, &temps);
    push!(e, d - n - 3, Obj, e.load_op(0));
    Ok(false)
}

fn emit_call_function_ex(e: &mut Emitter, s: &EmitSite) -> Result<bool, Refusal> {
    e.spill_locals(s.st, s.insn);
    e.op_to_obj(s.st, s.insn, Op::CallEx, 0, 4);
    Ok(false)
}

/// `range(a[, b[, c]])` followed by GET_ITER: guards that `range` is the builtin (and the
/// NULL slot is NULL), then computes the loop's (next, remaining, step).
fn emit_range(e: &mut Emitter, st: &TypeState, insn: &Insn, n: usize) {
    let d = st.stack.len();
    let callable = e.get(false, d - n - 2, Obj);
    let selfv = e.get(false, d - n - 1, Obj);
    let not_range =
        e.b.ins()
            .icmp_imm_s(IntCC::NotEqual, callable, e.h.range_type as i64);
    let has_self = e.b.ins().icmp_imm_s(IntCC::NotEqual, selfv, 0);
    let bad = e.b.ins().bor(not_range, has_self);
    e.exit_if(
        bad,
        st,
        insn,
        "range is not the builtin range",
        ExitKind::Guard,
        &[],
    );
    let ints: Vec<Value> = (0..n).map(|i| e.get(false, d - n + i, Int)).collect();
    let (start, stop, step) = match n {
        1 => (
            e.b.ins().iconst(types::I64, 0),
            ints[0],
            e.b.ins().iconst(types::I64, 1),
        ),
        2 => (ints[0], ints[1], e.b.ins().iconst(types::I64, 1)),
        _ => (ints[0], ints[1], ints[2]),
    };
    let zero = e.b.ins().icmp_imm_s(IntCC::Equal, step, 0);
    e.exit_if(zero, st, insn, "range step is zero", ExitKind::Guard, &[]);
    let remaining = range_length(e, start, stop, step);
    // The callable and NULL slots hold references the call consumes, and so do the
    // arguments' boxes.
    e.decref(callable);
    for i in 0..n {
        e.drop_ref(false, d - n + i, Int);
    }
    let slot = d - n - 2;
    for (part, v) in [start, remaining, step].into_iter().enumerate() {
        let var = e.var(false, slot, Range, part);
        e.b.def_var(var, v);
    }
}

/// remaining = ceil(|stop - start| / |step|) when moving toward stop, else 0; in unsigned
/// arithmetic, exact for every i64 start/stop/step (step != 0).
fn range_length(e: &mut Emitter, start: Value, stop: Value, step: Value) -> Value {
    let pos = e.b.ins().icmp_imm_s(IntCC::SignedGreaterThan, step, 0);
    let up = e.b.ins().isub(stop, start);
    let down = e.b.ins().isub(start, stop);
    let diff = e.b.ins().select(pos, up, down);
    let negstep = e.b.ins().ineg(step);
    let astep = e.b.ins().select(pos, step, negstep);
    let lt = e.b.ins().icmp(IntCC::SignedLessThan, start, stop);
    let gt = e.b.ins().icmp(IntCC::SignedGreaterThan, start, stop);
    let moving = e.b.ins().select(pos, lt, gt);
    let one = e.b.ins().iconst(types::I64, 1);
    let dm1 = e.b.ins().isub(diff, one);
    // diff >= 1 when moving; guard the division against the unused case.
    let safe = e.b.ins().select(moving, dm1, one);
    let q = e.b.ins().udiv(safe, astep);
    let cnt = e.b.ins().iadd_imm_s(q, 1);
    let zero64 = e.b.ins().iconst(types::I64, 0);
    e.b.ins().select(moving, cnt, zero64)
}
