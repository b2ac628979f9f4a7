//! Arithmetic and truth: `BINARY_OP` inline on unboxed ints and floats behind its guards
//! (overflow, division by zero, speculated operand types), unary operators, `TO_BOOL`,
//! `UNARY_NOT` and the unary intrinsics; everything else through the VM's operations.

use cranelift_codegen::ir::condcodes::{FloatCC, IntCC};
use cranelift_codegen::ir::{types, InstBuilder, MemFlagsData, Value};
use rustpython_vm::bytecode::{BinaryOperator, Instruction};

use super::{push, EmitSite, Form, TypingSite};
use crate::abi::Op;
use crate::bytecode::Insn;
use crate::translate::emitter::Emitter;
use crate::translate::kinds::{Kind, TypeState};
use crate::translate::profile::{speculated_binary, Profile};
use crate::translate::typing::Flow;
use crate::translate::{refuse, ExitKind, Refusal};
use Kind::*;

/// CALL_INTRINSIC_1 operands native code handles (`IntrinsicFunction1`).
const INTRINSIC_UNARY_POSITIVE: u32 = 5;
const INTRINSIC_LIST_TO_TUPLE: u32 = 6;

pub(super) const BINARY_OP: Form = Form::op(type_binary_op, emit_binary_op)
    .takes_range()
    .work()
    .generalizes()
    .in_place(appends_to_a_string);
pub(super) const UNARY_NEGATIVE: Form = Form::op(type_unary_negative, emit_unary).work();
pub(super) const UNARY_INVERT: Form = Form::op(type_unary_invert, emit_unary).work();
pub(super) const TO_BOOL: Form = Form::op(type_truth, emit_to_bool).work();
pub(super) const UNARY_NOT: Form = Form::op(type_truth, emit_unary_not).work();
pub(super) const CALL_INTRINSIC_1: Form = Form::op(type_call_intrinsic_1, emit_call_intrinsic_1);

/// The interpreter appends in place to a string only its local refers to (see
/// `Translation::profitable`): the form it quickens `s += x` / `s = s + x` into. A plain
/// concatenation (`"visit_" + name`, `BINARY_OP_ADD_UNICODE`) makes a new string in the
/// interpreter too.
fn appends_to_a_string(quick: &Instruction) -> bool {
    matches!(quick, Instruction::BinaryOpInplaceAddUnicode)
}

/// Arithmetic compiled inline on unboxed ints/floats (in-place forms share semantics for
/// numbers).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Arith {
    Add,
    Sub,
    Mul,
    FloorDiv,
    Mod,
    TrueDiv,
    And,
    Or,
    Xor,
    Rshift,
}

/// The inline arithmetic of `BINARY_OP` with `oparg`, if it has one.
fn arith(oparg: u32) -> Option<Arith> {
    use BinaryOperator as B;
    Some(match B::try_from(oparg).ok()? {
        B::Add | B::InplaceAdd => Arith::Add,
        B::And | B::InplaceAnd => Arith::And,
        B::FloorDivide | B::InplaceFloorDivide => Arith::FloorDiv,
        B::Multiply | B::InplaceMultiply => Arith::Mul,
        B::Remainder | B::InplaceRemainder => Arith::Mod,
        B::Or | B::InplaceOr => Arith::Or,
        B::Rshift | B::InplaceRshift => Arith::Rshift,
        B::Subtract | B::InplaceSubtract => Arith::Sub,
        B::TrueDivide | B::InplaceTrueDivide => Arith::TrueDiv,
        B::Xor | B::InplaceXor => Arith::Xor,
        _ => return None,
    })
}

/// The kind of an inline `BINARY_OP` on unboxed operands, or `None` if it goes through the
/// generic helper.
fn inline_binary(oparg: u32, a: Kind, b: Kind) -> Option<Kind> {
    let op = arith(oparg)?;
    match (op, a, b) {
        (Arith::TrueDiv, Int, Int) => Some(Float),
        (Arith::And | Arith::Or | Arith::Xor | Arith::Rshift, Int, Int) => Some(Int),
        (Arith::And | Arith::Or | Arith::Xor | Arith::Rshift, _, _) => None,
        (Arith::FloorDiv | Arith::Mod, Float, _) | (Arith::FloorDiv | Arith::Mod, _, Float) => None,
        (_, Int, Int) => Some(Int),
        (_, Float, Float) | (_, Float, Int) | (_, Int, Float) => Some(Float),
        _ => None,
    }
}

/// The unboxed kind `BINARY_OP` (arg `oparg`) at instruction `k` produces inline, from
/// its operand kinds or the profile's speculation; `None`: through the VM, as an object.
fn binary_kind(p: &Profile, k: usize, oparg: u32, a: Kind, b: Kind) -> Option<Kind> {
    if p.is_generic(k) {
        return None;
    }
    arith(oparg)?;
    inline_binary(oparg, a, b).or(speculated_binary(p.spec(k), a, b))
}

fn type_binary_op(s: &TypingSite, st: &mut TypeState) -> Result<Flow, Refusal> {
    let b = s.pop(st)?;
    let x = s.pop(st)?;
    if x == Range || b == Range {
        return refuse("BINARY_OP on a range iterator");
    }
    st.stack
        .push(binary_kind(s.p, s.k, s.arg, x, b).unwrap_or(Obj));
    Ok(Flow::Next)
}

fn emit_binary_op(e: &mut Emitter, s: &EmitSite) -> Result<bool, Refusal> {
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
    match binary_kind(p, k, arg, ka, kb).zip(arith(arg)) {
        Some((kind, op)) => {
            // Object operands the profile says are ints/floats: unboxed behind a type
            // guard, released once every guard has passed.
            let want = if kind == Float { Float } else { Int };
            let (x, ka2) = unboxed_operand(e, st, insn, d - 2, want);
            let (y, kb2) = unboxed_operand(e, st, insn, d - 1, want);
            let v = emit_arith(e, op, (ka2, x), (kb2, y), st, insn);
            e.drop_stack(st, d - 2..d);
            push!(e, d - 2, kind, v);
        }
        None => match specialized_subscript(p, k, ka, kb) {
            Some(op) => emit_specialized_subscript(e, st, insn, op),
            None => e.op_to_obj(st, insn, Op::BinaryOp, u64::from(arg), 2),
        },
    }
    Ok(false)
}

/// The narrow helper of a subscript the interpreter quickened (`BINARY_OP_SUBSCR_*`),
/// if the operands' kinds fit it: an object container, an index it can take (an object,
/// or for the int forms an unboxed int).
fn specialized_subscript(p: &Profile, k: usize, a: Kind, b: Kind) -> Option<Op> {
    use Instruction as I;
    if a != Obj {
        return None;
    }
    match p.spec(k)? {
        I::BinaryOpSubscrListInt if matches!(b, Obj | Int) => Some(Op::SubscrListInt),
        I::BinaryOpSubscrTupleInt if matches!(b, Obj | Int) => Some(Op::SubscrTupleInt),
        I::BinaryOpSubscrDict if b == Obj => Some(Op::SubscrDict),
        I::BinaryOpSubscrStrInt if matches!(b, Obj | Int) => Some(Op::SubscrStrInt),
        _ => None,
    }
}

/// `container[index]` by a narrow helper that borrows both (see
/// `helpers::specialized`); other operand types leave for the interpreter.
fn emit_specialized_subscript(e: &mut Emitter, st: &TypeState, insn: &Insn, op: Op) {
    let d = st.stack.len();
    let container = e.get(false, d - 2, Obj);
    e.store_op(0, container);
    let kb = st.stack[d - 1];
    let index = e.get(false, d - 1, kb);
    e.store_op(1, index);
    let raw = if kb == Int { crate::abi::RAW_INDEX } else { 0 };
    let reason = "a quickened subscript met other operand types";
    e.call_op_or_interpret(op, raw, st, insn, &[], reason);
    let r = e.load_op(0);
    e.drop_stack(st, d - 2..d);
    push!(e, d - 2, Obj, r);
}

fn type_unary_negative(s: &TypingSite, st: &mut TypeState) -> Result<Flow, Refusal> {
    let x = s.pop(st)?;
    st.stack.push(if x == Int || x == Float { x } else { Obj });
    Ok(Flow::Next)
}

fn type_unary_invert(s: &TypingSite, st: &mut TypeState) -> Result<Flow, Refusal> {
    let x = s.pop(st)?;
    st.stack.push(if x == Int { Int } else { Obj });
    Ok(Flow::Next)
}

/// `UNARY_NEGATIVE` and `UNARY_INVERT`.
fn emit_unary(e: &mut Emitter, s: &EmitSite) -> Result<bool, Refusal> {
    let EmitSite { insn, st, d, .. } = *s;
    let kind = st.stack[d - 1];
    let neg = matches!(insn.op, Instruction::UnaryNegative);
    // An unboxed operand's box is dropped once every guard passed: the result is a new
    // value.
    match (kind, neg) {
        (Float, true) => {
            let x = e.get(false, d - 1, Float);
            e.drop_ref(false, d - 1, kind);
            push!(e, d - 1, Float, e.b.ins().fneg(x));
        }
        (Int, true) => {
            let x = e.get(false, d - 1, Int);
            let zero = e.b.ins().iconst(types::I64, 0);
            let (r, of) = e.b.ins().ssub_overflow(zero, x);
            e.exit_if(of, st, insn, "int overflow", ExitKind::Guard, &[]);
            e.drop_ref(false, d - 1, kind);
            push!(e, d - 1, Int, r);
        }
        (Int, false) => {
            let x = e.get(false, d - 1, Int);
            e.drop_ref(false, d - 1, kind);
            push!(e, d - 1, Int, e.b.ins().bnot(x));
        }
        _ => {
            let temps = e.operands(st, 1);
            let op = if neg {
                Op::UnaryNegative
            } else {
                Op::UnaryInvert
            };
            e.call_op_checked(op, 0, st, insn, &temps);
            push!(e, d - 1, Obj, e.load_op(0));
        }
    }
    Ok(false)
}

/// `TO_BOOL` and `UNARY_NOT`: a bool from any operand.
fn type_truth(s: &TypingSite, st: &mut TypeState) -> Result<Flow, Refusal> {
    s.pop(st)?;
    st.stack.push(Bool);
    Ok(Flow::Next)
}

fn emit_to_bool(e: &mut Emitter, s: &EmitSite) -> Result<bool, Refusal> {
    let EmitSite { insn, st, d, .. } = *s;
    let t = truth(e, st, insn, d - 1, st.stack[d - 1]);
    push!(e, d - 1, Bool, t);
    Ok(false)
}

fn emit_unary_not(e: &mut Emitter, s: &EmitSite) -> Result<bool, Refusal> {
    let EmitSite { insn, st, d, .. } = *s;
    let kind = st.stack[d - 1];
    let t = truth(e, st, insn, d - 1, kind);
    push!(e, d - 1, Bool, e.b.ins().bxor_imm_s(t, 1));
    Ok(false)
}

fn type_call_intrinsic_1(s: &TypingSite, st: &mut TypeState) -> Result<Flow, Refusal> {
    if !matches!(s.arg, INTRINSIC_UNARY_POSITIVE | INTRINSIC_LIST_TO_TUPLE) {
        return s.side_exit();
    }
    s.pop(st)?;
    st.stack.push(Obj);
    Ok(Flow::Next)
}

fn emit_call_intrinsic_1(e: &mut Emitter, s: &EmitSite) -> Result<bool, Refusal> {
    let op = if s.arg == INTRINSIC_UNARY_POSITIVE {
        Op::UnaryPositive
    } else {
        Op::ListToTuple
    };
    e.op_to_obj(s.st, s.insn, op, 0, 1);
    Ok(false)
}

/// The truth of stack slot `i` (kind `kind`) as 0/1, consuming an object operand.
pub(super) fn truth(e: &mut Emitter, st: &TypeState, insn: &Insn, i: usize, kind: Kind) -> Value {
    let x = e.get(false, i, kind);
    if matches!(kind, Int | Float) {
        e.drop_ref(false, i, kind);
    }
    match kind {
        Bool => x,
        Int => {
            let c = e.b.ins().icmp_imm_s(IntCC::NotEqual, x, 0);
            e.b.ins().uextend(types::I64, c)
        }
        Float => {
            let z = e.b.ins().f64const(0.0);
            let c = e.b.ins().fcmp(FloatCC::NotEqual, x, z);
            e.b.ins().uextend(types::I64, c)
        }
        _ if e.h.true_obj != 0 => truth_of_object(e, st, insn, x),
        _ => {
            e.store_op(0, x);
            e.call_op_checked(Op::ToBool, 0, st, insn, &[])
        }
    }
}

/// The truth of object `x` (consumed): `True`, `False` and `None` told apart inline
/// (immortal: nothing to drop), anything else through `h_to_bool`. Most truth tests in
/// real code are of these three (flags, `x is not None` results, optional values).
fn truth_of_object(e: &mut Emitter, st: &TypeState, insn: &Insn, x: Value) -> Value {
    let done = e.b.create_block();
    e.b.append_block_param(done, types::I64);
    let not_true = e.b.create_block();
    let other = e.b.create_block();
    let one = e.b.ins().iconst(types::I64, 1);
    let zero = e.b.ins().iconst(types::I64, 0);
    let is_true = e.b.ins().icmp_imm_s(IntCC::Equal, x, e.h.true_obj as i64);
    e.b.ins().brif(is_true, done, &[one.into()], not_true, &[]);
    e.enter(not_true);
    let is_false = e.b.ins().icmp_imm_s(IntCC::Equal, x, e.h.false_obj as i64);
    let is_none = e.b.ins().icmp_imm_s(IntCC::Equal, x, e.h.none as i64);
    let falsy = e.b.ins().bor(is_false, is_none);
    e.b.ins().brif(falsy, done, &[zero.into()], other, &[]);
    e.enter(other);
    e.store_op(0, x);
    let t = e.call_op_checked(Op::ToBool, 0, st, insn, &[]);
    e.b.ins().jump(done, &[t.into()]);
    e.enter(done);
    e.b.block_params(done)[0]
}

/// The value of stack slot `i` as kind `want` (int or float): unboxed values as they are,
/// objects through a guard on their exact type (the object stays owned by the slot).
/// Returns the value and its kind.
pub(super) fn unboxed_operand(
    e: &mut Emitter,
    st: &TypeState,
    insn: &Insn,
    i: usize,
    want: Kind,
) -> (Value, Kind) {
    let k = st.stack[i];
    let v = e.get(false, i, k);
    if k != Obj {
        return (v, k);
    }
    e.store_op(0, v);
    let status = e.call_op(Op::Unbox, u64::from(want == Float));
    e.exit_if(
        status,
        st,
        insn,
        "speculated int/float type changed",
        ExitKind::Guard,
        &[],
    );
    let bits = e.load_op(1);
    if want == Float {
        (
            e.b.ins().bitcast(types::F64, MemFlagsData::new(), bits),
            Float,
        )
    } else {
        (bits, Int)
    }
}

/// Inline int/float arithmetic on `(kind, value)` operands behind its guards (overflow,
/// division by zero).
fn emit_arith(
    e: &mut Emitter,
    op: Arith,
    (ka, x): (Kind, Value),
    (kb, y): (Kind, Value),
    st: &TypeState,
    insn: &Insn,
) -> Value {
    if ka == Int && kb == Int {
        emit_int_arith(e, op, x, y, st, insn)
    } else {
        emit_float_arith(e, op, (ka, x), (kb, y), st, insn)
    }
}

fn emit_int_arith(
    e: &mut Emitter,
    op: Arith,
    x: Value,
    y: Value,
    st: &TypeState,
    insn: &Insn,
) -> Value {
    match op {
        Arith::Add | Arith::Sub | Arith::Mul => {
            let (r, of) = match op {
                Arith::Add => e.b.ins().sadd_overflow(x, y),
                Arith::Sub => e.b.ins().ssub_overflow(x, y),
                _ => e.b.ins().smul_overflow(x, y),
            };
            e.exit_if(of, st, insn, "int overflow", ExitKind::Guard, &[]);
            r
        }
        Arith::And => e.b.ins().band(x, y),
        Arith::Or => e.b.ins().bor(x, y),
        Arith::Xor => e.b.ins().bxor(x, y),
        Arith::Rshift => {
            // A negative shift raises (in the interpreter); >= 64 saturates to the sign.
            let neg = e.b.ins().icmp_imm_s(IntCC::SignedLessThan, y, 0);
            e.exit_if(neg, st, insn, "negative shift count", ExitKind::Guard, &[]);
            let big = e.b.ins().icmp_imm_s(IntCC::SignedGreaterThan, y, 63);
            let c63 = e.b.ins().iconst(types::I64, 63);
            let sh = e.b.ins().select(big, c63, y);
            e.b.ins().sshr(x, sh)
        }
        Arith::FloorDiv | Arith::Mod => {
            // y == 0 raises and y == -1 may overflow: both in the interpreter.
            let zero = e.b.ins().icmp_imm_s(IntCC::Equal, y, 0);
            let m1 = e.b.ins().icmp_imm_s(IntCC::Equal, y, -1);
            let bad = e.b.ins().bor(zero, m1);
            e.exit_if(
                bad,
                st,
                insn,
                "division by zero or by -1",
                ExitKind::Guard,
                &[],
            );
            let q = e.b.ins().sdiv(x, y);
            let r = e.b.ins().srem(x, y);
            // Python rounds toward negative infinity: fix up when the remainder is non-zero
            // and its sign differs from the divisor's.
            let rnz = e.b.ins().icmp_imm_s(IntCC::NotEqual, r, 0);
            let xor = e.b.ins().bxor(r, y);
            let signs = e.b.ins().icmp_imm_s(IntCC::SignedLessThan, xor, 0);
            let fix = e.b.ins().band(rnz, signs);
            if op == Arith::FloorDiv {
                let fix = e.b.ins().uextend(types::I64, fix);
                e.b.ins().isub(q, fix)
            } else {
                let r2 = e.b.ins().iadd(r, y);
                e.b.ins().select(fix, r2, r)
            }
        }
        Arith::TrueDiv => {
            // Exact only while both operands convert to f64 exactly.
            let lim = 1i64 << 53;
            let ax = e.b.ins().iabs(x);
            let ay = e.b.ins().iabs(y);
            let bx = e.b.ins().icmp_imm_s(IntCC::UnsignedGreaterThan, ax, lim);
            let by = e.b.ins().icmp_imm_s(IntCC::UnsignedGreaterThan, ay, lim);
            let zero = e.b.ins().icmp_imm_s(IntCC::Equal, y, 0);
            let big = e.b.ins().bor(bx, by);
            let bad = e.b.ins().bor(big, zero);
            e.exit_if(
                bad,
                st,
                insn,
                "inexact or zero int division",
                ExitKind::Guard,
                &[],
            );
            let fx = e.b.ins().fcvt_from_sint(types::F64, x);
            let fy = e.b.ins().fcvt_from_sint(types::F64, y);
            e.b.ins().fdiv(fx, fy)
        }
    }
}

fn emit_float_arith(
    e: &mut Emitter,
    op: Arith,
    (ka, x): (Kind, Value),
    (kb, y): (Kind, Value),
    st: &TypeState,
    insn: &Insn,
) -> Value {
    // float(int) rounds to nearest, exactly as fcvt does.
    let conv = |e: &mut Emitter, k: Kind, v: Value| -> Value {
        if k == Int {
            e.b.ins().fcvt_from_sint(types::F64, v)
        } else {
            v
        }
    };
    let fx = conv(e, ka, x);
    let fy = conv(e, kb, y);
    match op {
        Arith::Add => e.b.ins().fadd(fx, fy),
        Arith::Sub => e.b.ins().fsub(fx, fy),
        Arith::Mul => e.b.ins().fmul(fx, fy),
        Arith::TrueDiv => {
            let zero = e.b.ins().f64const(0.0);
            let isz = e.b.ins().fcmp(FloatCC::Equal, fy, zero);
            e.exit_if(
                isz,
                st,
                insn,
                "float division by zero",
                ExitKind::Guard,
                &[],
            );
            e.b.ins().fdiv(fx, fy)
        }
        _ => unreachable!("refused by typing"),
    }
}
