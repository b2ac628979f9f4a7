//! Cells (closures' variables) and making functions.

use cranelift_codegen::ir::{types, InstBuilder, Value};
use rustpython_vm::bytecode::Instruction;

use super::{push, type_pops_to_obj, EmitSite, Form, Operand, TypingSite};
use crate::abi::Op;
use crate::translate::emitter::Emitter;
use crate::translate::kinds::{Kind, TypeState};
use crate::translate::typing::Flow;
use crate::translate::{refuse, Refusal};
use Kind::*;

/// SET_FUNCTION_ATTRIBUTE's flag for the closure (`MakeFunctionFlag::Closure`).
const CLOSURE_FLAG: u32 = 8;

pub(super) const MAKE_CELL: Form = Form::op(type_make_cell, emit_make_cell).operand(Operand::Local);
pub(super) const COPY_FREE_VARS: Form =
    Form::op(type_copy_free_vars, emit_copy_free_vars).operand(Operand::FreeVars);
pub(super) const LOAD_DEREF: Form =
    Form::op(type_load_deref, emit_load_deref).operand(Operand::Local);
pub(super) const STORE_DEREF: Form = Form::op(type_store_deref, emit_store_deref)
    .takes_range()
    .operand(Operand::Local);
pub(super) const DELETE_DEREF: Form =
    Form::op(type_delete_deref, emit_delete_deref).operand(Operand::Local);
pub(super) const MAKE_FUNCTION: Form = Form::op(type_pops_to_obj::<1>, emit_make_function);
pub(super) const SET_FUNCTION_ATTRIBUTE: Form =
    Form::op(type_pops_to_obj::<2>, emit_set_function_attribute);

fn type_make_cell(s: &TypingSite, st: &mut TypeState) -> Result<Flow, Refusal> {
    st.locals[s.arg as usize] = Some(Obj);
    Ok(Flow::Next)
}

fn emit_make_cell(e: &mut Emitter, s: &EmitSite) -> Result<bool, Refusal> {
    let EmitSite { insn, st, .. } = *s;
    // The slot's value (or NULL) moves into a new cell, which takes the slot.
    let i = s.arg as usize;
    let (v, made) = match st.locals[i] {
        Some(k) => e.take_boxed(true, i, k),
        None => {
            let none = e.b.ins().iconst(types::I64, 0);
            (none, none)
        }
    };
    e.store_op(0, v);
    let temps: Vec<Value> = match st.locals[i] {
        Some(k) if k != Obj => vec![made],
        _ => vec![],
    };
    e.call_op_checked(Op::MakeCell, 0, st, insn, &temps);
    let cell = e.load_op(0);
    e.set(true, i, Obj, cell);
    Ok(false)
}

fn type_copy_free_vars(s: &TypingSite, st: &mut TypeState) -> Result<Flow, Refusal> {
    let n = st.locals.len();
    for l in st.locals.iter_mut().skip(n - (s.arg as usize).min(n)) {
        *l = Some(Obj);
    }
    Ok(Flow::Next)
}

fn emit_copy_free_vars(e: &mut Emitter, s: &EmitSite) -> Result<bool, Refusal> {
    let EmitSite { insn, st, .. } = *s;
    let n = st.locals.len();
    let first = n - (s.arg as usize).min(n);
    // One helper call reads the closure for all the cells.
    e.call_op_checked(Op::FreeVars, (n - first) as u64, st, insn, &[]);
    for (j, slot) in (first..n).enumerate() {
        if st.locals[slot] == Some(Obj) {
            let old = e.get(true, slot, Obj);
            e.decref(old);
        }
        let cell = e.load_op(j);
        e.set(true, slot, Obj, cell);
    }
    Ok(false)
}

/// The local at `arg` holds a cell (made by MAKE_CELL or COPY_FREE_VARS in this code).
fn cell_is_set_up(s: &TypingSite, st: &TypeState) -> bool {
    st.locals[s.arg as usize] == Some(Obj)
}

fn type_load_deref(s: &TypingSite, st: &mut TypeState) -> Result<Flow, Refusal> {
    if !cell_is_set_up(s, st) {
        return Ok(Flow::SideExit("a cell that is not set up"));
    }
    st.stack.push(Obj);
    Ok(Flow::Next)
}

fn emit_load_deref(e: &mut Emitter, s: &EmitSite) -> Result<bool, Refusal> {
    let EmitSite { insn, st, d, .. } = *s;
    let cell = e.get(true, s.arg as usize, Obj);
    e.store_op(0, cell);
    e.call_op_or_interpret(Op::LoadDeref, 0, st, insn, &[], "an empty cell");
    push!(e, d, Obj, e.load_op(1));
    Ok(false)
}

fn type_delete_deref(s: &TypingSite, st: &mut TypeState) -> Result<Flow, Refusal> {
    if !cell_is_set_up(s, st) {
        return Ok(Flow::SideExit("a cell that is not set up"));
    }
    Ok(Flow::Next)
}

fn emit_delete_deref(e: &mut Emitter, s: &EmitSite) -> Result<bool, Refusal> {
    let cell = e.get(true, s.arg as usize, Obj);
    e.store_op(0, cell);
    e.call_op_checked(Op::DeleteDeref, 0, s.st, s.insn, &[]);
    Ok(false)
}

fn type_store_deref(s: &TypingSite, st: &mut TypeState) -> Result<Flow, Refusal> {
    if !cell_is_set_up(s, st) {
        return Ok(Flow::SideExit("a cell that is not set up"));
    }
    if s.pop(st)? == Range {
        return refuse("a range iterator stored in a cell");
    }
    Ok(Flow::Next)
}

fn emit_store_deref(e: &mut Emitter, s: &EmitSite) -> Result<bool, Refusal> {
    let EmitSite { insn, st, d, .. } = *s;
    let cell = e.get(true, s.arg as usize, Obj);
    e.store_op(0, cell);
    let mut temps = Vec::new();
    e.operand_at(st, d - 1, 1, &mut temps);
    e.call_op_checked(Op::StoreDeref, 0, st, insn, &temps);
    Ok(false)
}

fn emit_make_function(e: &mut Emitter, s: &EmitSite) -> Result<bool, Refusal> {
    let EmitSite {
        a, k, insn, st, d, ..
    } = *s;
    // The closure comes with the function (see `h_make_function`).
    let with_closure = matches!(
        a.insns.get(k + 1).map(|i| (i.op, i.arg)),
        Some((Instruction::SetFunctionAttribute { .. }, CLOSURE_FLAG))
    ) && d >= 2
        && st.stack[d - 2] == Obj;
    let code = e.get(false, d - 1, Obj);
    e.store_op(0, code);
    if with_closure {
        let closure = e.get(false, d - 2, Obj);
        e.store_op(1, closure);
    }
    e.call_op_or_interpret(
        Op::MakeFunction,
        u64::from(with_closure),
        st,
        insn,
        &[],
        "a function needing its closure",
    );
    push!(e, d - 1, Obj, e.load_op(0));
    Ok(false)
}

fn emit_set_function_attribute(e: &mut Emitter, s: &EmitSite) -> Result<bool, Refusal> {
    let EmitSite {
        insn, arg, st, d, ..
    } = *s;
    let temps = e.operands(st, 2);
    e.call_op_or_interpret(
        Op::SetFunctionAttribute,
        u64::from(arg),
        st,
        insn,
        &temps,
        "a closure set after creation",
    );
    push!(e, d - 2, Obj, e.load_op(0));
    Ok(false)
}
