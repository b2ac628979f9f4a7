//! Comparisons: `COMPARE_OP` inline on unboxed ints, floats and bools (and on objects the
//! profile says are ints or floats, behind a type guard), identity (`is`) inline, and
//! containment through the VM.

use cranelift_codegen::ir::condcodes::{FloatCC, IntCC};
use cranelift_codegen::ir::{types, InstBuilder};
use rustpython_vm::bytecode::ComparisonOperator;

use super::arith::unboxed_operand;
use super::{push, EmitSite, Form, TypingSite};
use crate::abi::Op;
use crate::bytecode::Insn;
use crate::translate::emitter::Emitter;
use crate::translate::kinds::{Kind, TypeState};
use crate::translate::profile::{speculated_compare, Profile};
use crate::translate::typing::Flow;
use crate::translate::Refusal;
use Kind::*;

/// `COMPARE_OP`'s flag: the result is converted to a bool.
const TO_BOOL_FLAG: u32 = 16;

pub(super) const COMPARE_OP: Form = Form::op(type_compare_op, emit_compare_op)
    .work()
    .generalizes();
pub(super) const IS_OP: Form = Form::op(type_bool_of_two, emit_is_op).work();
pub(super) const CONTAINS_OP: Form = Form::op(type_bool_of_two, emit_contains_op);

/// The kind `COMPARE_OP` (arg `oparg`) at instruction `k` compares its operands as inline
/// (unboxed operands of one kind, or objects speculated to be ints or floats); `None`:
/// through the VM.
fn inline_compare(p: &Profile, k: usize, oparg: u32, a: Kind, b: Kind) -> Option<Kind> {
    ComparisonOperator::try_from(oparg).ok()?;
    let spec = speculated_compare(p.spec(k), a, b);
    let exact = matches!((a, b), (Int, Int) | (Float, Float) | (Bool, Bool));
    (exact || spec.is_some()).then(|| spec.unwrap_or(a))
}

/// Whether `COMPARE_OP` at `k` is `==` or `!=` the interpreter quickened for two strs
/// (`COMPARE_OP_STR`), on object operands: `h_compare_str` then gives an unboxed bool.
fn str_compare(p: &Profile, k: usize, oparg: u32, a: Kind, b: Kind) -> bool {
    use crate::abi::{COMPARE_EQ, COMPARE_NE};
    matches!(
        p.spec(k),
        Some(rustpython_vm::bytecode::Instruction::CompareOpStr)
    ) && a == Obj
        && b == Obj
        && matches!(u64::from(oparg >> 5), COMPARE_EQ | COMPARE_NE)
}

fn type_compare_op(s: &TypingSite, st: &mut TypeState) -> Result<Flow, Refusal> {
    let y = s.pop(st)?;
    let x = s.pop(st)?;
    let inline =
        inline_compare(s.p, s.k, s.arg, x, y).is_some() || str_compare(s.p, s.k, s.arg, x, y);
    st.stack.push(if inline || s.arg & TO_BOOL_FLAG != 0 {
        Bool
    } else {
        Obj
    });
    Ok(Flow::Next)
}

fn emit_compare_op(e: &mut Emitter, s: &EmitSite) -> Result<bool, Refusal> {
    let EmitSite {
        p,
        k,
        insn,
        arg,
        st,
        d,
        ..
    } = *s;
    let (ka, kb) = (st.stack[d - 2], st.stack[d - 1]);
    if str_compare(p, k, arg, ka, kb) {
        emit_str_compare(e, st, insn, arg);
        return Ok(false);
    }
    let Some(want) = inline_compare(p, k, arg, ka, kb) else {
        let temps = e.operands(st, 2);
        let status = e.call_op_checked(Op::Compare, u64::from(arg), st, insn, &temps);
        if arg & TO_BOOL_FLAG != 0 {
            push!(e, d - 2, Bool, status);
        } else {
            push!(e, d - 2, Obj, e.load_op(0));
        }
        return Ok(false);
    };
    let cmp = (arg >> 5) as usize;
    let (x, _) = unboxed_operand(e, st, insn, d - 2, want);
    let (y, _) = unboxed_operand(e, st, insn, d - 1, want);
    e.drop_stack(st, d - 2..d);
    let c = if want == Float {
        let cc = [
            FloatCC::LessThan,
            FloatCC::LessThanOrEqual,
            FloatCC::Equal,
            FloatCC::NotEqual,
            FloatCC::GreaterThan,
            FloatCC::GreaterThanOrEqual,
        ][cmp];
        e.b.ins().fcmp(cc, x, y)
    } else {
        let cc = [
            IntCC::SignedLessThan,
            IntCC::SignedLessThanOrEqual,
            IntCC::Equal,
            IntCC::NotEqual,
            IntCC::SignedGreaterThan,
            IntCC::SignedGreaterThanOrEqual,
        ][cmp];
        e.b.ins().icmp(cc, x, y)
    };
    push!(e, d - 2, Bool, e.b.ins().uextend(types::I64, c));
    Ok(false)
}

/// `==`/`!=` of two strs by `h_compare_str`, which borrows both. Other operand types:
/// when the result is a truth value (`if a == b`), the generic comparison in a cold
/// block; otherwise (the result is an object `__eq__` chooses) native code leaves for the
/// interpreter, and a recompilation drops the assumption when that repeats.
fn emit_str_compare(e: &mut Emitter, st: &TypeState, insn: &Insn, arg: u32) {
    let d = st.stack.len();
    let (a, b) = (e.get(false, d - 2, Obj), e.get(false, d - 1, Obj));
    e.store_op(0, a);
    e.store_op(1, b);
    let cmp = u64::from(arg >> 5);
    if arg & TO_BOOL_FLAG == 0 {
        let reason = "a quickened str comparison met other operand types";
        e.call_op_or_interpret(Op::CompareStr, cmp, st, insn, &[], reason);
        let r = e.load_op(0);
        e.drop_stack(st, d - 2..d);
        push!(e, d - 2, Bool, r);
        return;
    }
    let status = e.call_op(Op::CompareStr, cmp);
    let (fast, slow, done) = (e.b.create_block(), e.b.create_block(), e.b.create_block());
    e.b.append_block_param(done, types::I64);
    e.b.set_cold_block(slow);
    e.b.ins().brif(status, slow, &[], fast, &[]);
    e.enter(fast);
    let r = e.load_op(0);
    e.drop_stack(st, d - 2..d);
    e.b.ins().jump(done, &[r.into()]);
    // The operands are still in place: the generic comparison takes them over.
    e.enter(slow);
    let t = e.call_op_checked(Op::Compare, u64::from(arg), st, insn, &[]);
    e.b.ins().jump(done, &[t.into()]);
    e.enter(done);
    let v = e.b.block_params(done)[0];
    push!(e, d - 2, Bool, v);
}

/// `IS_OP` and `CONTAINS_OP`: a bool from two operands.
fn type_bool_of_two(s: &TypingSite, st: &mut TypeState) -> Result<Flow, Refusal> {
    s.popn(st, 2)?;
    st.stack.push(Bool);
    Ok(Flow::Next)
}

fn emit_is_op(e: &mut Emitter, s: &EmitSite) -> Result<bool, Refusal> {
    let EmitSite { arg, st, d, .. } = *s;
    let (ka, kb) = (st.stack[d - 2], st.stack[d - 1]);
    let v = if ka == Obj && kb == Obj {
        let x = e.get(false, d - 2, Obj);
        let y = e.get(false, d - 1, Obj);
        let c = e.b.ins().icmp(IntCC::Equal, x, y);
        let c = e.b.ins().uextend(types::I64, c);
        e.drop_stack(st, d - 2..d);
        c
    } else if ka == kb && ka == Bool {
        // True and False are singletons.
        let x = e.get(false, d - 2, Bool);
        let y = e.get(false, d - 1, Bool);
        let c = e.b.ins().icmp(IntCC::Equal, x, y);
        e.b.ins().uextend(types::I64, c)
    } else {
        // Identity of a fresh box: compare as the interpreter would, on objects.
        e.operands(st, 2);
        let x = e.load_op(0);
        let y = e.load_op(1);
        let c = e.b.ins().icmp(IntCC::Equal, x, y);
        let c = e.b.ins().uextend(types::I64, c);
        e.decref(x);
        e.decref(y);
        c
    };
    let v = if arg != 0 {
        e.b.ins().bxor_imm_s(v, 1)
    } else {
        v
    };
    push!(e, d - 2, Bool, v);
    Ok(false)
}

fn emit_contains_op(e: &mut Emitter, s: &EmitSite) -> Result<bool, Refusal> {
    let EmitSite {
        insn, arg, st, d, ..
    } = *s;
    let temps = e.operands(st, 2);
    let status = e.call_op_checked(Op::Contains, u64::from(arg), st, insn, &temps);
    push!(e, d - 2, Bool, status);
    Ok(false)
}
