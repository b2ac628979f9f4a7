//! Locals, constants and stack shuffles: values move between variables; nothing is
//! called.

use cranelift_codegen::ir::condcodes::IntCC;
use cranelift_codegen::ir::{types, InstBuilder};

use super::{push, type_pops, EmitSite, Form, Operand, TypingSite};
use crate::translate::emitter::Emitter;
use crate::translate::kinds::{const_kind, Kind, TypeState, BORROWED_BOX};
use crate::translate::typing::Flow;
use crate::translate::{refuse, ExitKind, Refusal};
use crate::vm::address_of;
use Kind::*;

pub(super) const LOAD_FAST: Form = Form::op(type_load_fast, emit_load_fast)
    .cannot_raise()
    .operand(Operand::Local);
/// `LOAD_FAST_CHECK` raises on an unbound local.
pub(super) const LOAD_FAST_CHECK: Form =
    Form::op(type_load_fast, emit_load_fast).operand(Operand::Local);
pub(super) const LOAD_FAST_LOAD_FAST: Form = Form::op(type_load_fast_pair, emit_load_fast_pair)
    .cannot_raise()
    .operand(Operand::LocalPair);
/// Saves a comprehension's variable, NULL if it was unbound.
pub(super) const LOAD_FAST_AND_CLEAR: Form =
    Form::op(type_load_fast_and_clear, emit_load_fast_and_clear)
        .cannot_raise()
        .operand(Operand::Local)
        .may_push_null(|_, depth| Some(depth));
pub(super) const STORE_FAST: Form = Form::op(type_store_fast, emit_store_fast)
    .cannot_raise()
    .takes_range()
    .operand(Operand::Local);
pub(super) const STORE_FAST_STORE_FAST: Form =
    Form::op(type_store_fast_store_fast, emit_store_fast_store_fast)
        .cannot_raise()
        .operand(Operand::LocalPair);
pub(super) const STORE_FAST_LOAD_FAST: Form =
    Form::op(type_store_fast_load_fast, emit_store_fast_load_fast)
        .cannot_raise()
        .operand(Operand::LocalPair);
pub(super) const DELETE_FAST: Form =
    Form::op(type_delete_fast, emit_delete_fast).operand(Operand::Local);
pub(super) const LOAD_SMALL_INT: Form =
    Form::op(type_load_small_int, emit_load_small_int).cannot_raise();
pub(super) const LOAD_CONST: Form = Form::op(type_load_const, emit_load_const)
    .cannot_raise()
    .operand(Operand::Const);
pub(super) const PUSH_NULL: Form = Form::op(type_push_null, emit_push_null)
    .cannot_raise()
    .may_push_null(|_, depth| Some(depth));
pub(super) const POP_TOP: Form = Form::op(type_pops::<1>, emit_pop_top)
    .cannot_raise()
    .takes_range();
pub(super) const COPY: Form = Form::op(type_copy, emit_copy).cannot_raise();
pub(super) const SWAP: Form = Form::op(type_swap, emit_swap).cannot_raise();

fn type_load_fast(s: &TypingSite, st: &mut TypeState) -> Result<Flow, Refusal> {
    match st.locals[s.arg as usize] {
        Some(k) => st.stack.push(k),
        None => return Ok(Flow::SideExit("an unbound local")),
    }
    Ok(Flow::Next)
}

fn emit_load_fast(e: &mut Emitter, s: &EmitSite) -> Result<bool, Refusal> {
    let EmitSite { insn, st, d, .. } = *s;
    let i = s.arg as usize;
    let kind = st.locals[i].unwrap();
    if kind == Obj
        && matches!(
            insn.op,
            rustpython_vm::bytecode::Instruction::LoadFastCheck { .. }
        )
    {
        let v = e.get(true, i, Obj);
        let unbound = e.b.ins().icmp_imm_s(IntCC::Equal, v, 0);
        e.exit_if(unbound, st, insn, "an unbound local", ExitKind::Guard, &[]);
    }
    e.copy_ref(true, i, kind);
    e.mov((true, i), (false, d), kind);
    Ok(false)
}

fn type_load_fast_pair(s: &TypingSite, st: &mut TypeState) -> Result<Flow, Refusal> {
    let arg = s.arg;
    match (
        st.locals[(arg >> 4) as usize],
        st.locals[(arg & 15) as usize],
    ) {
        (Some(x), Some(y)) => {
            st.stack.push(x);
            st.stack.push(y);
        }
        _ => return Ok(Flow::SideExit("an unbound local")),
    }
    Ok(Flow::Next)
}

fn emit_load_fast_pair(e: &mut Emitter, s: &EmitSite) -> Result<bool, Refusal> {
    let EmitSite { arg, st, d, .. } = *s;
    for (n, i) in [(0, arg >> 4), (1, arg & 15)] {
        let i = i as usize;
        let kind = st.locals[i].unwrap();
        e.copy_ref(true, i, kind);
        e.mov((true, i), (false, d + n), kind);
    }
    Ok(false)
}

fn type_load_fast_and_clear(s: &TypingSite, st: &mut TypeState) -> Result<Flow, Refusal> {
    let k = st.locals[s.arg as usize].unwrap_or(Obj);
    st.stack.push(k);
    st.locals[s.arg as usize] = None;
    Ok(Flow::Next)
}

fn emit_load_fast_and_clear(e: &mut Emitter, s: &EmitSite) -> Result<bool, Refusal> {
    let EmitSite { st, d, .. } = *s;
    let i = s.arg as usize;
    match st.locals[i] {
        Some(kind) => e.mov((true, i), (false, d), kind),
        None => push!(e, d, Obj, e.b.ins().iconst(types::I64, 0)),
    }
    // The local is cleared: the value moved to the stack.
    e.forget_origins(|o| o == i);
    Ok(false)
}

fn type_store_fast(s: &TypingSite, st: &mut TypeState) -> Result<Flow, Refusal> {
    let k = s.pop(st)?;
    if k == Range {
        return refuse("a range iterator stored in a local");
    }
    st.locals[s.arg as usize] = Some(k);
    Ok(Flow::Next)
}

fn emit_store_fast(e: &mut Emitter, s: &EmitSite) -> Result<bool, Refusal> {
    store_local(e, s.st, s.arg as usize, s.d - 1);
    Ok(false)
}

fn type_store_fast_store_fast(s: &TypingSite, st: &mut TypeState) -> Result<Flow, Refusal> {
    let v1 = s.pop(st)?;
    let v2 = s.pop(st)?;
    st.locals[(s.arg >> 4) as usize] = Some(v1);
    st.locals[(s.arg & 15) as usize] = Some(v2);
    Ok(Flow::Next)
}

fn emit_store_fast_store_fast(e: &mut Emitter, s: &EmitSite) -> Result<bool, Refusal> {
    let EmitSite { arg, st, d, .. } = *s;
    store_local(e, st, (arg >> 4) as usize, d - 1);
    let mut st2 = st.clone();
    st2.locals[(arg >> 4) as usize] = Some(st.stack[d - 1]);
    st2.stack.pop();
    store_local(e, &st2, (arg & 15) as usize, d - 2);
    Ok(false)
}

fn type_store_fast_load_fast(s: &TypingSite, st: &mut TypeState) -> Result<Flow, Refusal> {
    let v = s.pop(st)?;
    st.locals[(s.arg >> 4) as usize] = Some(v);
    match st.locals[(s.arg & 15) as usize] {
        Some(k) => st.stack.push(k),
        None => return Ok(Flow::SideExit("an unbound local")),
    }
    Ok(Flow::Next)
}

fn emit_store_fast_load_fast(e: &mut Emitter, s: &EmitSite) -> Result<bool, Refusal> {
    let EmitSite {
        arg, st, after, d, ..
    } = *s;
    let (store, load) = ((arg >> 4) as usize, (arg & 15) as usize);
    store_local(e, st, store, d - 1);
    let kind = after.locals[load].unwrap();
    e.copy_ref(true, load, kind);
    e.mov((true, load), (false, d - 1), kind);
    Ok(false)
}

fn type_delete_fast(s: &TypingSite, st: &mut TypeState) -> Result<Flow, Refusal> {
    if st.locals[s.arg as usize].is_none() {
        return Ok(Flow::SideExit("an unbound local"));
    }
    st.locals[s.arg as usize] = None;
    Ok(Flow::Next)
}

fn emit_delete_fast(e: &mut Emitter, s: &EmitSite) -> Result<bool, Refusal> {
    let EmitSite { insn, st, .. } = *s;
    let i = s.arg as usize;
    if st.locals[i] == Some(Obj) {
        let v = e.get(true, i, Obj);
        let unbound = e.b.ins().icmp_imm_s(IntCC::Equal, v, 0);
        e.exit_if(unbound, st, insn, "an unbound local", ExitKind::Guard, &[]);
    }
    if let Some(k) = st.locals[i] {
        e.drop_ref(true, i, k);
    }
    e.forget_origins(|o| o == i);
    Ok(false)
}

fn type_load_small_int(_: &TypingSite, st: &mut TypeState) -> Result<Flow, Refusal> {
    st.stack.push(Int);
    Ok(Flow::Next)
}

fn emit_load_small_int(e: &mut Emitter, s: &EmitSite) -> Result<bool, Refusal> {
    push!(e, s.d, Int, e.b.ins().iconst(types::I64, i64::from(s.arg)));
    Ok(false)
}

fn type_load_const(s: &TypingSite, st: &mut TypeState) -> Result<Flow, Refusal> {
    st.stack.push(const_kind(s.code, s.arg)?.0);
    Ok(Flow::Next)
}

fn emit_load_const(e: &mut Emitter, s: &EmitSite) -> Result<bool, Refusal> {
    let EmitSite { code, arg, d, .. } = *s;
    let (kind, bits) = const_kind(code, arg)?;
    // The code object keeps its constants alive as long as native code.
    let c: rustpython_vm::PyObjectRef = code
        .code
        .constants
        .get(arg as usize)
        .unwrap()
        .clone()
        .into();
    let addr = address_of(&c) as i64;
    let v = match kind {
        Float => e.b.ins().f64const(f64::from_bits(bits)),
        Obj => {
            let p = e.b.ins().iconst(types::I64, addr);
            e.incref(p);
            p
        }
        _ => e.b.ins().iconst(types::I64, bits as i64),
    };
    push!(e, d, kind, v);
    if matches!(kind, Int | Float) {
        // Boxed again, the value is the constant itself.
        let b = e.b.ins().iconst(types::I64, addr | BORROWED_BOX as i64);
        let var = e.var(false, d, kind, 1);
        e.b.def_var(var, b);
    }
    Ok(false)
}

fn type_push_null(_: &TypingSite, st: &mut TypeState) -> Result<Flow, Refusal> {
    st.stack.push(Obj);
    Ok(Flow::Next)
}

fn emit_push_null(e: &mut Emitter, s: &EmitSite) -> Result<bool, Refusal> {
    push!(e, s.d, Obj, e.b.ins().iconst(types::I64, 0));
    Ok(false)
}

fn emit_pop_top(e: &mut Emitter, s: &EmitSite) -> Result<bool, Refusal> {
    e.drop_stack(s.st, s.d - 1..s.d);
    Ok(false)
}

fn type_copy(s: &TypingSite, st: &mut TypeState) -> Result<Flow, Refusal> {
    let n = st.stack.len();
    let i = s.arg as usize;
    if i == 0 || i > n {
        return refuse("bad COPY");
    }
    let k = st.stack[n - i];
    if k == Range {
        return Ok(Flow::SideExit("COPY of a range iterator"));
    }
    st.stack.push(k);
    Ok(Flow::Next)
}

fn emit_copy(e: &mut Emitter, s: &EmitSite) -> Result<bool, Refusal> {
    let EmitSite { st, d, .. } = *s;
    let i = d - s.arg as usize;
    let kind = st.stack[i];
    e.copy_ref(false, i, kind);
    e.mov((false, i), (false, d), kind);
    Ok(false)
}

fn type_swap(s: &TypingSite, st: &mut TypeState) -> Result<Flow, Refusal> {
    let n = st.stack.len();
    let i = s.arg as usize;
    if i < 2 || i > n {
        return refuse("bad SWAP");
    }
    st.stack.swap(n - 1, n - i);
    Ok(Flow::Next)
}

fn emit_swap(e: &mut Emitter, s: &EmitSite) -> Result<bool, Refusal> {
    let EmitSite { st, d, .. } = *s;
    let (x, y) = (d - 1, d - s.arg as usize);
    let (kx, ky) = (st.stack[x], st.stack[y]);
    // Through a scratch slot past the top.
    e.mov((false, x), (false, d), kx);
    e.mov((false, y), (false, x), ky);
    e.mov((false, d), (false, y), kx);
    Ok(false)
}

/// STORE_FAST of stack slot `from` into local `i`, dropping the local's old object.
fn store_local(e: &mut Emitter, st: &TypeState, i: usize, from: usize) {
    let kind = st.stack[from];
    // The old reference is read before the move and dropped after it (a `__del__` it
    // runs sees the new value).
    let old = st.locals[i].and_then(|k| e.owned_ref(true, i, k));
    e.mov((false, from), (true, i), kind);
    if let Some(old) = old {
        e.decref(old);
    }
}
