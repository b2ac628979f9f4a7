//! Containers: building tuples, lists, sets, maps, strings and slices; the updates of
//! comprehensions and displays (`LIST_APPEND`, `MAP_ADD`, ...); subscripts and slices;
//! unpacking; formatting. All through helpers.

use rustpython_vm::bytecode::Instruction;

use super::{push, type_pops, type_pops_to_obj, EmitSite, Form, TypingSite};
use crate::abi::Op;
use crate::translate::emitter::Emitter;
use crate::translate::kinds::{Kind, TypeState};
use crate::translate::typing::Flow;
use crate::translate::{refuse, Refusal};
use Kind::*;

pub(super) const BUILD_TUPLE: Form = Form::op(type_build, emit_build);
pub(super) const BUILD_LIST: Form = Form::op(type_build, emit_build);
pub(super) const BUILD_SET: Form = Form::op(type_build, emit_build);
pub(super) const BUILD_STRING: Form = Form::op(type_build, emit_build);
pub(super) const BUILD_SLICE: Form = Form::op(type_build, emit_build);
pub(super) const BUILD_MAP: Form = Form::op(type_build, emit_build);
pub(super) const LIST_APPEND: Form = Form::op(type_update, emit_update).takes_range();
pub(super) const SET_ADD: Form = Form::op(type_update, emit_update).takes_range();
pub(super) const LIST_EXTEND: Form = Form::op(type_update, emit_update).takes_range();
pub(super) const SET_UPDATE: Form = Form::op(type_update, emit_update).takes_range();
pub(super) const DICT_UPDATE: Form = Form::op(type_update, emit_update).takes_range();
pub(super) const DICT_MERGE: Form = Form::op(type_update, emit_update).takes_range();
pub(super) const MAP_ADD: Form = Form::op(type_update, emit_update).takes_range();
pub(super) const BINARY_SLICE: Form = Form::op(type_pops_to_obj::<3>, emit_binary_slice);
pub(super) const STORE_SLICE: Form = Form::op(type_pops::<4>, emit_store_slice);
pub(super) const STORE_SUBSCR: Form = Form::op(type_pops::<3>, emit_store_subscr).generalizes();
pub(super) const DELETE_SUBSCR: Form = Form::op(type_pops::<2>, emit_delete_subscr);
pub(super) const UNPACK_SEQUENCE: Form = Form::op(type_unpack_sequence, emit_unpack_sequence);
pub(super) const UNPACK_EX: Form = Form::op(type_unpack_ex, emit_unpack_ex);
pub(super) const FORMAT_SIMPLE: Form = Form::op(type_pops_to_obj::<1>, emit_format);
pub(super) const CONVERT_VALUE: Form = Form::op(type_pops_to_obj::<1>, emit_format);
pub(super) const FORMAT_WITH_SPEC: Form = Form::op(type_pops_to_obj::<2>, emit_format_with_spec);

/// A `BUILD_*` instruction's helper and the number of values it takes.
fn build_op(op: Instruction, arg: u32) -> (Op, usize) {
    use Instruction as I;
    match op {
        I::BuildTuple { .. } => (Op::BuildTuple, arg as usize),
        I::BuildList { .. } => (Op::BuildList, arg as usize),
        I::BuildSet { .. } => (Op::BuildSet, arg as usize),
        I::BuildString { .. } => (Op::BuildString, arg as usize),
        I::BuildSlice { .. } => (Op::BuildSlice, arg as usize),
        _ => (Op::BuildMap, 2 * arg as usize),
    }
}

fn type_build(s: &TypingSite, st: &mut TypeState) -> Result<Flow, Refusal> {
    s.popn(st, build_op(s.insn.op, s.arg).1)?;
    st.stack.push(Obj);
    Ok(Flow::Next)
}

fn emit_build(e: &mut Emitter, s: &EmitSite) -> Result<bool, Refusal> {
    let (op, n) = build_op(s.insn.op, s.arg);
    e.op_to_obj(s.st, s.insn, op, u64::from(s.arg), n);
    Ok(false)
}

/// A container update's helper and the number of values it pops; the container stays on
/// the stack, `arg` below them.
fn update_op(op: Instruction) -> (Op, usize) {
    use Instruction as I;
    match op {
        I::ListAppend { .. } => (Op::ListAppend, 1),
        I::SetAdd { .. } => (Op::SetAdd, 1),
        I::ListExtend { .. } => (Op::ListExtend, 1),
        I::SetUpdate { .. } => (Op::SetUpdate, 1),
        I::DictUpdate { .. } => (Op::DictUpdate, 1),
        I::DictMerge { .. } => (Op::DictMerge, 1),
        _ => (Op::MapAdd, 2),
    }
}

fn type_update(s: &TypingSite, st: &mut TypeState) -> Result<Flow, Refusal> {
    for _ in 0..update_op(s.insn.op).1 {
        if s.pop(st)? == Range {
            return refuse("a range iterator in a container");
        }
    }
    let (d, arg) = (st.stack.len(), s.arg as usize);
    if arg == 0 || arg > d || st.stack[d - arg] != Obj {
        return refuse("container operand is not an object");
    }
    Ok(Flow::Next)
}

fn emit_update(e: &mut Emitter, s: &EmitSite) -> Result<bool, Refusal> {
    let EmitSite {
        insn, arg, st, d, ..
    } = *s;
    let (op, n) = update_op(insn.op);
    let container = e.get(false, d - n - arg as usize, Obj);
    e.store_op(0, container);
    let mut temps = Vec::new();
    for i in 0..n {
        e.operand_at(st, d - n + i, 1 + i, &mut temps);
    }
    if op == Op::DictMerge {
        let reason = "a keyword mapping that is not a plain dict";
        e.call_op_or_interpret(op, 0, st, insn, &temps, reason);
    } else {
        e.call_op_checked(op, 0, st, insn, &temps);
    }
    Ok(false)
}

fn emit_binary_slice(e: &mut Emitter, s: &EmitSite) -> Result<bool, Refusal> {
    e.op_to_obj(s.st, s.insn, Op::BinarySlice, 0, 3);
    Ok(false)
}

fn emit_store_slice(e: &mut Emitter, s: &EmitSite) -> Result<bool, Refusal> {
    let temps = e.operands(s.st, 4);
    e.call_op_checked(Op::StoreSlice, 0, s.st, s.insn, &temps);
    Ok(false)
}

fn emit_store_subscr(e: &mut Emitter, s: &EmitSite) -> Result<bool, Refusal> {
    let EmitSite {
        p, k, st, insn, d, ..
    } = *s;
    let (kc, ki) = (st.stack[d - 2], st.stack[d - 1]);
    let specialized = match p.spec(k) {
        _ if kc != Obj => None,
        Some(Instruction::StoreSubscrListInt) if matches!(ki, Obj | Int) => {
            Some(Op::StoreSubscrListInt)
        }
        Some(Instruction::StoreSubscrDict) if ki == Obj => Some(Op::StoreSubscrDict),
        _ => None,
    };
    let Some(op) = specialized else {
        let temps = e.operands(st, 3);
        e.call_op_checked(Op::StoreSubscr, 0, st, insn, &temps);
        return Ok(false);
    };
    // The value is handed over; container and index are borrowed (`helpers::specialized`).
    let mut temps = Vec::new();
    e.operand_at(st, d - 3, 0, &mut temps);
    let container = e.get(false, d - 2, Obj);
    e.store_op(1, container);
    let index = e.get(false, d - 1, ki);
    e.store_op(2, index);
    let raw = if ki == Int { crate::abi::RAW_INDEX } else { 0 };
    let reason = "a quickened subscript store met other operand types";
    e.call_op_or_interpret(op, raw, st, insn, &temps, reason);
    e.drop_stack(st, d - 2..d);
    Ok(false)
}

fn emit_delete_subscr(e: &mut Emitter, s: &EmitSite) -> Result<bool, Refusal> {
    let temps = e.operands(s.st, 2);
    e.call_op_checked(Op::DeleteSubscr, 0, s.st, s.insn, &temps);
    Ok(false)
}

fn type_unpack_sequence(s: &TypingSite, st: &mut TypeState) -> Result<Flow, Refusal> {
    s.pop(st)?;
    for _ in 0..s.arg {
        st.stack.push(Obj);
    }
    Ok(Flow::Next)
}

fn emit_unpack_sequence(e: &mut Emitter, s: &EmitSite) -> Result<bool, Refusal> {
    let EmitSite {
        insn, arg, st, d, ..
    } = *s;
    let temps = e.operands(st, 1);
    e.call_op_checked(Op::UnpackSequence, u64::from(arg), st, insn, &temps);
    for i in 0..arg as usize {
        push!(e, d - 1 + i, Obj, e.load_op(i));
    }
    Ok(false)
}

/// How many values `UNPACK_EX` (arg `arg`) pushes: those before the starred target, the
/// starred list, those after.
fn unpack_ex_count(arg: u32) -> u32 {
    (arg & 0xff) + 1 + (arg >> 8)
}

fn type_unpack_ex(s: &TypingSite, st: &mut TypeState) -> Result<Flow, Refusal> {
    s.pop(st)?;
    let n = unpack_ex_count(s.arg);
    if n > s.code.code.max_stackdepth {
        return refuse("UNPACK_EX past the code's stack depth");
    }
    for _ in 0..n {
        st.stack.push(Obj);
    }
    Ok(Flow::Next)
}

fn emit_unpack_ex(e: &mut Emitter, s: &EmitSite) -> Result<bool, Refusal> {
    let EmitSite {
        insn, arg, st, d, ..
    } = *s;
    let temps = e.operands(st, 1);
    e.call_op_checked(Op::UnpackEx, u64::from(arg), st, insn, &temps);
    for i in 0..unpack_ex_count(arg) as usize {
        push!(e, d - 1 + i, Obj, e.load_op(i));
    }
    Ok(false)
}

fn emit_format(e: &mut Emitter, s: &EmitSite) -> Result<bool, Refusal> {
    let EmitSite {
        insn, arg, st, d, ..
    } = *s;
    let temps = e.operands(st, 1);
    let op = if matches!(insn.op, Instruction::FormatSimple) {
        Op::FormatSimple
    } else {
        Op::ConvertValue
    };
    e.call_op_checked(op, u64::from(arg), st, insn, &temps);
    push!(e, d - 1, Obj, e.load_op(0));
    Ok(false)
}

fn emit_format_with_spec(e: &mut Emitter, s: &EmitSite) -> Result<bool, Refusal> {
    e.op_to_obj(s.st, s.insn, Op::FormatWithSpec, 0, 2);
    Ok(false)
}
