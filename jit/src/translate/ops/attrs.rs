//! Names and attributes: globals, attributes (with inline caches), `super()` attributes,
//! special methods, common constants and imports. All through helpers.

use cranelift_codegen::ir::{types, InstBuilder};
use rustpython_vm::bytecode::LoadSuperAttr;

use super::{push, type_nothing, type_pops, type_pops_to_obj, EmitSite, Form, Operand, TypingSite};
use crate::abi::Op;
use crate::bytecode::Insn;
use crate::translate::emitter::Emitter;
use crate::translate::introspection::{
    inspects_frames, name_of, reads_frame_at, zero_argument_super, FRAME_GLOBALS,
    FRAME_STATE_ATTRS, FRAME_STATE_ON_MODULES,
};
use crate::translate::kinds::{Kind, TypeState};
use crate::translate::typing::Flow;
use crate::translate::{refuse, ExitKind, Refusal};
use Kind::*;

/// The most `LOAD_COMMON_CONSTANT` operand native code knows (`CommonConstant`).
const LAST_COMMON_CONSTANT: u32 = 6;

/// With `arg & 1`, also the NULL of a call (above the global).
pub(super) const LOAD_GLOBAL: Form = Form::op(type_load_global, emit_load_global)
    .operand(Operand::Name { shift: 1 })
    .may_push_null(|arg, depth| (arg & 1 != 0).then_some(depth + 1));
pub(super) const STORE_GLOBAL: Form =
    Form::op(type_pops::<1>, emit_store_global).operand(Operand::Name { shift: 0 });
pub(super) const DELETE_GLOBAL: Form =
    Form::op(type_nothing, emit_delete_global).operand(Operand::Name { shift: 0 });
/// With `arg & 1` (a method load), the callable or NULL where the object was.
pub(super) const LOAD_ATTR: Form = Form::op(type_load_attr, emit_load_attr)
    .operand(Operand::Name { shift: 1 })
    .may_push_null(|arg, depth| (arg & 1 != 0).then_some(depth));
pub(super) const STORE_ATTR: Form =
    Form::op(type_pops::<2>, emit_store_attr).operand(Operand::Name { shift: 0 });
pub(super) const DELETE_ATTR: Form =
    Form::op(type_pops::<1>, emit_delete_attr).operand(Operand::Name { shift: 0 });
/// With `arg & 1` (a method load), the callable or NULL where `super` was.
pub(super) const LOAD_SUPER_ATTR: Form = Form::op(type_load_super_attr, emit_load_super_attr)
    .operand(Operand::Name { shift: 2 })
    .may_push_null(|arg, depth| {
        if arg & 1 != 0 {
            depth.checked_sub(2)
        } else {
            None
        }
    });
pub(super) const LOAD_SPECIAL: Form = Form::op(type_load_special, emit_load_special);
pub(super) const LOAD_COMMON_CONSTANT: Form =
    Form::op(type_load_common_constant, emit_load_common_constant);
pub(super) const IMPORT_NAME: Form =
    Form::op(type_pops_to_obj::<2>, emit_import_name).operand(Operand::Name { shift: 0 });
pub(super) const IMPORT_FROM: Form =
    Form::op(type_import_from, emit_import_from).operand(Operand::Name { shift: 0 });

/// Native code keeps locals in registers and its frame's line is stale: whatever
/// inspects the running frame runs in the interpreter.
const FRAME_INTROSPECTION: Flow = Flow::SideExit("frame introspection runs in the interpreter");

fn type_load_global(s: &TypingSite, st: &mut TypeState) -> Result<Flow, Refusal> {
    if inspects_frames(name_of(s.code, s.arg >> 1), FRAME_GLOBALS)
        || zero_argument_super(s.code, s.a, s.k)
    {
        return Ok(FRAME_INTROSPECTION);
    }
    st.stack.push(Obj);
    if s.arg & 1 != 0 {
        st.stack.push(Obj);
    }
    Ok(Flow::Next)
}

fn emit_load_global(e: &mut Emitter, s: &EmitSite) -> Result<bool, Refusal> {
    let EmitSite {
        insn, arg, st, d, ..
    } = *s;
    e.call_op_checked(Op::LoadGlobal, u64::from(arg >> 1), st, insn, &[]);
    push!(e, d, Obj, e.load_op(0));
    if arg & 1 != 0 {
        push!(e, d + 1, Obj, e.b.ins().iconst(types::I64, 0));
    }
    Ok(false)
}

fn emit_store_global(e: &mut Emitter, s: &EmitSite) -> Result<bool, Refusal> {
    let temps = e.operands(s.st, 1);
    e.call_op_checked(Op::StoreGlobal, u64::from(s.arg), s.st, s.insn, &temps);
    Ok(false)
}

fn emit_delete_global(e: &mut Emitter, s: &EmitSite) -> Result<bool, Refusal> {
    e.call_op_or_interpret(
        Op::DeleteGlobal,
        u64::from(s.arg),
        s.st,
        s.insn,
        &[],
        "an unbound global",
    );
    Ok(false)
}

fn type_load_attr(s: &TypingSite, st: &mut TypeState) -> Result<Flow, Refusal> {
    if inspects_frames(name_of(s.code, s.arg >> 1), FRAME_STATE_ATTRS) {
        return Ok(FRAME_INTROSPECTION);
    }
    s.pop(st)?;
    st.stack.push(Obj);
    if s.arg & 1 != 0 {
        st.stack.push(Obj);
    }
    Ok(Flow::Next)
}

/// Exits before the attribute load when its owner (the top of the stack, still owned by
/// its slot) is a module or a frame object: see [`FRAME_STATE_ON_MODULES`].
fn exit_if_frame_state_owner(e: &mut Emitter, st: &TypeState, insn: &Insn) {
    let top = st.stack.len() - 1;
    if st.stack[top] != Obj {
        return;
    }
    let owner = e.get(false, top, Obj);
    e.store_op(0, owner);
    let status = e.call_op(Op::FrameStateOwner, 0);
    e.exit_if(
        status,
        st,
        insn,
        "frame introspection runs in the interpreter",
        ExitKind::Guard,
        &[],
    );
}

fn emit_load_attr(e: &mut Emitter, s: &EmitSite) -> Result<bool, Refusal> {
    let EmitSite {
        code,
        insn,
        arg,
        st,
        d,
        ..
    } = *s;
    if reads_frame_at(code, s.a, s.k) {
        e.exit_without_frame(st, insn);
    }
    if inspects_frames(name_of(code, arg >> 1), FRAME_STATE_ON_MODULES) {
        exit_if_frame_state_owner(e, st, insn);
    }
    let temps = e.operands(st, 1);
    if arg & 1 != 0 {
        e.call_op_checked(Op::LoadMethod, u64::from(arg >> 1), st, insn, &temps);
        push!(e, d - 1, Obj, e.load_op(0));
        push!(e, d, Obj, e.load_op(1));
    } else {
        let site = e.attr_site(arg >> 1);
        e.call_op_checked(Op::LoadAttr, site, st, insn, &temps);
        push!(e, d - 1, Obj, e.load_op(0));
    }
    Ok(false)
}

fn emit_store_attr(e: &mut Emitter, s: &EmitSite) -> Result<bool, Refusal> {
    let temps = e.operands(s.st, 2);
    let site = e.attr_site(s.arg);
    e.call_op_checked(Op::StoreAttr, site, s.st, s.insn, &temps);
    Ok(false)
}

fn emit_delete_attr(e: &mut Emitter, s: &EmitSite) -> Result<bool, Refusal> {
    let temps = e.operands(s.st, 1);
    e.call_op_checked(Op::DeleteAttr, u64::from(s.arg), s.st, s.insn, &temps);
    Ok(false)
}

fn type_load_super_attr(s: &TypingSite, st: &mut TypeState) -> Result<Flow, Refusal> {
    s.popn(st, 3)?;
    st.stack.push(Obj);
    if LoadSuperAttr::from_u32(s.arg).is_load_method() {
        st.stack.push(Obj);
    }
    Ok(Flow::Next)
}

fn emit_load_super_attr(e: &mut Emitter, s: &EmitSite) -> Result<bool, Refusal> {
    let EmitSite {
        insn, arg, st, d, ..
    } = *s;
    let temps = e.operands(st, 3);
    e.call_op_checked(Op::LoadSuperAttr, u64::from(arg), st, insn, &temps);
    push!(e, d - 3, Obj, e.load_op(0));
    if LoadSuperAttr::from_u32(arg).is_load_method() {
        push!(e, d - 2, Obj, e.load_op(1));
    }
    Ok(false)
}

fn type_load_special(s: &TypingSite, st: &mut TypeState) -> Result<Flow, Refusal> {
    s.pop(st)?;
    st.stack.push(Obj);
    st.stack.push(Obj);
    Ok(Flow::Next)
}

fn emit_load_special(e: &mut Emitter, s: &EmitSite) -> Result<bool, Refusal> {
    let EmitSite {
        insn, arg, st, d, ..
    } = *s;
    let temps = e.operands(st, 1);
    e.call_op_or_interpret(
        Op::LoadSpecial,
        u64::from(arg),
        st,
        insn,
        &temps,
        "a special method that is not plain",
    );
    push!(e, d - 1, Obj, e.load_op(0));
    push!(e, d, Obj, e.load_op(1));
    Ok(false)
}

fn type_load_common_constant(s: &TypingSite, st: &mut TypeState) -> Result<Flow, Refusal> {
    if s.arg > LAST_COMMON_CONSTANT {
        return s.side_exit();
    }
    st.stack.push(Obj);
    Ok(Flow::Next)
}

fn emit_load_common_constant(e: &mut Emitter, s: &EmitSite) -> Result<bool, Refusal> {
    e.call_op_checked(Op::CommonConstant, u64::from(s.arg), s.st, s.insn, &[]);
    push!(e, s.d, Obj, e.load_op(0));
    Ok(false)
}

fn emit_import_name(e: &mut Emitter, s: &EmitSite) -> Result<bool, Refusal> {
    e.op_to_obj(s.st, s.insn, Op::ImportName, u64::from(s.arg), 2);
    Ok(false)
}

fn type_import_from(_: &TypingSite, st: &mut TypeState) -> Result<Flow, Refusal> {
    if st.stack.last() != Some(&Obj) {
        return refuse("IMPORT_FROM without a module");
    }
    st.stack.push(Obj);
    Ok(Flow::Next)
}

fn emit_import_from(e: &mut Emitter, s: &EmitSite) -> Result<bool, Refusal> {
    let EmitSite {
        insn, arg, st, d, ..
    } = *s;
    let module = e.get(false, d - 1, Obj);
    e.store_op(0, module);
    e.call_op_or_interpret(
        Op::ImportFrom,
        u64::from(arg),
        st,
        insn,
        &[],
        "a name the module lacks",
    );
    push!(e, d, Obj, e.load_op(1));
    Ok(false)
}
