//! The instruction forms native code compiles, one [`Form`] per form, grouped by family
//! (`locals`, `arith`, `compare`, `attrs`, `calls`, ...). A form holds everything the
//! translator knows about its instructions: the typing rule, the emission, and the
//! metadata the passes ask about (may it raise, does it count as work, can a
//! recompilation drop its assumptions, may it take a range iterator, which operand it
//! indexes with). [`form`] is the one table from instruction to form: adding an
//! instruction form touches its family's file and one line here.

use cranelift_codegen::ir::Block;
use rustpython_vm::builtins::PyCode;
use rustpython_vm::bytecode::Instruction;
use rustpython_vm::Py;

use super::emitter::Emitter;
use super::kinds::{Kind, TypeState};
use super::profile::Profile;
use super::typing::Flow;
use super::{refuse, Refusal};
use crate::bytecode::{Analysis, Insn};

mod arith;
mod attrs;
mod calls;
mod compare;
mod containers;
mod control;
mod exceptions;
mod functions;
mod iter;
mod locals;
mod matching;

/// Pushes `v` of kind `k` at stack slot `i` (`v` is computed first: it may emit code).
macro_rules! push {
    ($e:ident, $i:expr, $k:expr, $v:expr) => {{
        let v = $v;
        $e.set(false, $i, $k, v);
    }};
}
use push;

/// The typing rule of a form: updates the state from before to after the instruction.
pub(super) type TypingRule = fn(&TypingSite, &mut TypeState) -> Result<Flow, Refusal>;
/// The emission of a form; returns whether it ended its block.
pub(super) type EmitRule = fn(&mut Emitter, &EmitSite) -> Result<bool, Refusal>;

/// Which operand of an instruction indexes the code's locals, names or constants (checked
/// before typing: bytecode is trusted by the VM, but the translator refuses rather than
/// crashes).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Operand {
    None,
    /// `arg` is a local slot.
    Local,
    /// `arg` holds two local slots (`arg >> 4`, `arg & 15`).
    LocalPair,
    /// `arg` counts the last local slots (free variables).
    FreeVars,
    /// `arg >> shift` is a name.
    Name {
        shift: u32,
    },
    /// `arg` is a constant.
    Const,
}

/// One instruction form: see the module docs.
pub(super) struct Form {
    pub typing: TypingRule,
    pub emit: EmitRule,
    /// Whether it can raise when it runs natively (moves of values and jumps cannot): only
    /// those reach their handler, so the stack shapes of the others (an inlined
    /// comprehension's iterator swapped under its list) do not constrain the handler's
    /// types.
    pub may_raise: bool,
    /// Whether it may take a range iterator (held unboxed) as an operand. Anywhere else
    /// one would have to be boxed for a generic operation, which the emitter cannot do:
    /// the function is refused. Real bytecode never gets there, but an
    /// on-stack-replacement entry can put one anywhere on the stack (found by fuzzing).
    pub takes_range: bool,
    /// Whether it does work (as opposed to moving values): counted inline or through
    /// helpers for the profitability estimate.
    pub is_work: bool,
    /// Whether a guard exit at it is an assumption that compiling it generically removes
    /// (int overflow, division by zero, speculated operand types, `range` being the
    /// builtin).
    pub can_generalize: bool,
    /// Whether the interpreter, having quickened it to this form, does it in place where
    /// native code calls a helper (see `Translation::profitable`).
    pub done_in_place: fn(&Instruction) -> bool,
    pub operand: Operand,
    /// The stack index of a slot it may leave NULL (a comprehension's saved variable, a
    /// call's self-or-NULL slot), from its `arg` and the stack depth before it.
    pub null_slot: fn(u32, u32) -> Option<u32>,
}

impl Form {
    /// A form that may raise and has no other property.
    pub const fn op(typing: TypingRule, emit: EmitRule) -> Form {
        Form {
            typing,
            emit,
            may_raise: true,
            takes_range: false,
            is_work: false,
            can_generalize: false,
            done_in_place: |_| false,
            operand: Operand::None,
            null_slot: |_, _| None,
        }
    }
    /// Moves values or jumps: cannot raise.
    pub const fn cannot_raise(self) -> Form {
        Form {
            may_raise: false,
            ..self
        }
    }
    pub const fn takes_range(self) -> Form {
        Form {
            takes_range: true,
            ..self
        }
    }
    pub const fn work(self) -> Form {
        Form {
            is_work: true,
            ..self
        }
    }
    pub const fn generalizes(self) -> Form {
        Form {
            can_generalize: true,
            ..self
        }
    }
    pub const fn in_place(self, quick: fn(&Instruction) -> bool) -> Form {
        Form {
            done_in_place: quick,
            ..self
        }
    }
    pub const fn operand(self, operand: Operand) -> Form {
        Form { operand, ..self }
    }
    pub const fn may_push_null(self, null_slot: fn(u32, u32) -> Option<u32>) -> Form {
        Form { null_slot, ..self }
    }
}

/// The form of every instruction native code compiles; `None`: a side exit.
pub(super) fn form(op: Instruction) -> Option<&'static Form> {
    use Instruction as I;
    Some(match op {
        I::Resume { .. } | I::Nop | I::NotTaken | I::Cache => &control::NOTHING,
        // Locals and constants.
        I::LoadFast { .. } | I::LoadFastBorrow { .. } => &locals::LOAD_FAST,
        I::LoadFastCheck { .. } => &locals::LOAD_FAST_CHECK,
        I::LoadFastLoadFast { .. } | I::LoadFastBorrowLoadFastBorrow { .. } => {
            &locals::LOAD_FAST_LOAD_FAST
        }
        I::LoadFastAndClear { .. } => &locals::LOAD_FAST_AND_CLEAR,
        I::StoreFast { .. } => &locals::STORE_FAST,
        I::StoreFastStoreFast { .. } => &locals::STORE_FAST_STORE_FAST,
        I::StoreFastLoadFast { .. } => &locals::STORE_FAST_LOAD_FAST,
        I::DeleteFast { .. } => &locals::DELETE_FAST,
        I::LoadSmallInt { .. } => &locals::LOAD_SMALL_INT,
        I::LoadConst { .. } => &locals::LOAD_CONST,
        I::PushNull => &locals::PUSH_NULL,
        I::PopTop => &locals::POP_TOP,
        I::Copy { .. } => &locals::COPY,
        I::Swap { .. } => &locals::SWAP,
        // Cells and functions.
        I::MakeCell { .. } => &functions::MAKE_CELL,
        I::CopyFreeVars { .. } => &functions::COPY_FREE_VARS,
        I::LoadDeref { .. } => &functions::LOAD_DEREF,
        I::StoreDeref { .. } => &functions::STORE_DEREF,
        I::DeleteDeref { .. } => &functions::DELETE_DEREF,
        I::MakeFunction => &functions::MAKE_FUNCTION,
        I::SetFunctionAttribute { .. } => &functions::SET_FUNCTION_ATTRIBUTE,
        // Names, attributes, imports.
        I::LoadGlobal { .. } => &attrs::LOAD_GLOBAL,
        I::StoreGlobal { .. } => &attrs::STORE_GLOBAL,
        I::DeleteGlobal { .. } => &attrs::DELETE_GLOBAL,
        I::LoadAttr { .. } => &attrs::LOAD_ATTR,
        I::StoreAttr { .. } => &attrs::STORE_ATTR,
        I::DeleteAttr { .. } => &attrs::DELETE_ATTR,
        I::LoadSuperAttr { .. } => &attrs::LOAD_SUPER_ATTR,
        I::LoadSpecial { .. } => &attrs::LOAD_SPECIAL,
        I::LoadCommonConstant { .. } => &attrs::LOAD_COMMON_CONSTANT,
        I::ImportName { .. } => &attrs::IMPORT_NAME,
        I::ImportFrom { .. } => &attrs::IMPORT_FROM,
        // Arithmetic and truth.
        I::BinaryOp { .. } => &arith::BINARY_OP,
        I::UnaryNegative => &arith::UNARY_NEGATIVE,
        I::UnaryInvert => &arith::UNARY_INVERT,
        I::ToBool => &arith::TO_BOOL,
        I::UnaryNot => &arith::UNARY_NOT,
        I::CallIntrinsic1 { .. } => &arith::CALL_INTRINSIC_1,
        // Comparisons.
        I::CompareOp { .. } => &compare::COMPARE_OP,
        I::IsOp { .. } => &compare::IS_OP,
        I::ContainsOp { .. } => &compare::CONTAINS_OP,
        // Calls.
        I::Call { .. } => &calls::CALL,
        I::CallKw { .. } => &calls::CALL_KW,
        I::CallFunctionEx => &calls::CALL_FUNCTION_EX,
        // Containers, subscripts, unpacking, formatting.
        I::BuildTuple { .. } => &containers::BUILD_TUPLE,
        I::BuildList { .. } => &containers::BUILD_LIST,
        I::BuildSet { .. } => &containers::BUILD_SET,
        I::BuildString { .. } => &containers::BUILD_STRING,
        I::BuildSlice { .. } => &containers::BUILD_SLICE,
        I::BuildMap { .. } => &containers::BUILD_MAP,
        I::ListAppend { .. } => &containers::LIST_APPEND,
        I::SetAdd { .. } => &containers::SET_ADD,
        I::ListExtend { .. } => &containers::LIST_EXTEND,
        I::SetUpdate { .. } => &containers::SET_UPDATE,
        I::DictUpdate { .. } => &containers::DICT_UPDATE,
        I::DictMerge { .. } => &containers::DICT_MERGE,
        I::MapAdd { .. } => &containers::MAP_ADD,
        I::BinarySlice => &containers::BINARY_SLICE,
        I::StoreSlice => &containers::STORE_SLICE,
        I::StoreSubscr => &containers::STORE_SUBSCR,
        I::DeleteSubscr => &containers::DELETE_SUBSCR,
        I::UnpackSequence { .. } => &containers::UNPACK_SEQUENCE,
        I::UnpackEx { .. } => &containers::UNPACK_EX,
        I::FormatSimple => &containers::FORMAT_SIMPLE,
        I::ConvertValue { .. } => &containers::CONVERT_VALUE,
        I::FormatWithSpec => &containers::FORMAT_WITH_SPEC,
        // Iteration.
        I::GetIter => &iter::GET_ITER,
        I::ForIter { .. } => &iter::FOR_ITER,
        I::EndFor | I::PopIter => &iter::END_FOR,
        // Control flow.
        I::PopJumpIfFalse { .. } | I::PopJumpIfTrue { .. } => &control::POP_JUMP_IF_TRUTH,
        I::PopJumpIfNone { .. } | I::PopJumpIfNotNone { .. } => &control::POP_JUMP_IF_NONE,
        I::JumpForward { .. } | I::JumpBackwardNoInterrupt { .. } => &control::JUMP,
        I::JumpBackward { .. } => &control::JUMP_BACKWARD,
        I::ReturnValue => &control::RETURN_VALUE,
        // Pattern matching.
        I::MatchSequence | I::MatchMapping => &matching::MATCH_KIND,
        I::GetLen => &matching::GET_LEN,
        I::MatchKeys => &matching::MATCH_KEYS,
        I::MatchClass { .. } => &matching::MATCH_CLASS,
        // Exceptions.
        I::RaiseVarargs { .. } => &exceptions::RAISE_VARARGS,
        I::Reraise { .. } => &exceptions::RERAISE,
        I::PushExcInfo => &exceptions::PUSH_EXC_INFO,
        I::PopExcept => &exceptions::POP_EXCEPT,
        I::WithExceptStart => &exceptions::WITH_EXCEPT_START,
        I::CheckExcMatch => &exceptions::CHECK_EXC_MATCH,
        _ => return None,
    })
}

/// Whether `op` can raise when it runs natively (see [`Form::may_raise`]).
pub(super) fn may_raise(op: Instruction) -> bool {
    form(op).is_none_or(|f| f.may_raise)
}

/// Whether `op` does work (see [`Form::is_work`]).
pub(super) fn is_work(op: Instruction) -> bool {
    form(op).is_some_and(|f| f.is_work)
}

/// See [`Form::can_generalize`].
pub(super) fn can_generalize(op: Instruction) -> bool {
    form(op).is_some_and(|f| f.can_generalize)
}

/// See [`Form::done_in_place`]; `quick` is a quickened (specialized) instruction.
pub(super) fn done_in_place(quick: &Instruction) -> bool {
    form(quick.deoptimize()).is_some_and(|f| (f.done_in_place)(quick))
}

/// See [`Form::null_slot`].
pub(super) fn null_slot(insn: &Insn, depth: u32) -> Option<u32> {
    form(insn.op).and_then(|f| (f.null_slot)(insn.arg, depth))
}

/// Refuses an instruction whose operand indexes a local, name or constant that does not
/// exist.
pub(super) fn check_operand(code: &Py<PyCode>, insn: &Insn, nslots: usize) -> Result<(), Refusal> {
    let arg = insn.arg as usize;
    let c = &code.code;
    let ok = match form(insn.op).map_or(Operand::None, |f| f.operand) {
        Operand::None => true,
        Operand::Local => arg < nslots,
        Operand::LocalPair => (arg >> 4) < nslots && (arg & 15) < nslots,
        Operand::FreeVars => arg <= nslots,
        Operand::Name { shift } => (arg >> shift) < c.names.len(),
        Operand::Const => arg < c.constants.len(),
    };
    if ok {
        Ok(())
    } else {
        refuse(format!("operand out of range at unit {}", insn.at))
    }
}

/// Stable names of the instructions side exits name in the statistics.
pub(super) fn opname(op: Instruction) -> &'static str {
    // "not compiled: " + the instruction's name, interned: at most one string per opcode
    // for the life of the process.
    static NAMES: std::sync::Mutex<Vec<&'static str>> = std::sync::Mutex::new(Vec::new());
    let debug = format!("{op:?}");
    let name = debug.split([' ', '(']).next().unwrap_or("?");
    let text = format!("not compiled: {name}");
    let mut names = NAMES.lock().unwrap_or_else(|p| p.into_inner());
    match names.iter().find(|n| **n == text) {
        Some(n) => n,
        None => {
            let n: &'static str = Box::leak(text.into_boxed_str());
            names.push(n);
            n
        }
    }
}

/// What the typing rule of instruction `k` sees.
#[derive(Clone, Copy)]
pub(super) struct TypingSite<'a> {
    pub code: &'a Py<PyCode>,
    pub a: &'a Analysis,
    pub p: &'a Profile,
    pub k: usize,
    pub insn: Insn,
    pub arg: u32,
    pub takes_range: bool,
}

impl TypingSite<'_> {
    /// Pops one operand's kind (a range iterator only where the form takes one).
    pub fn pop(&self, st: &mut TypeState) -> Result<Kind, Refusal> {
        match st.stack.pop() {
            None => refuse("stack underflow"),
            Some(Kind::Range) if !self.takes_range => refuse("a range iterator as an operand"),
            Some(k) => Ok(k),
        }
    }
    /// Pops `n` object or unboxed operands (never a range iterator).
    pub fn popn(&self, st: &mut TypeState, n: usize) -> Result<(), Refusal> {
        if st.stack.len() < n {
            return refuse("stack underflow");
        }
        if st.stack[st.stack.len() - n..].contains(&Kind::Range) {
            return refuse("a range iterator as an operand");
        }
        st.stack.truncate(st.stack.len() - n);
        Ok(())
    }
    /// This instruction is not compiled: a side exit named after it.
    pub fn side_exit(&self) -> Result<Flow, Refusal> {
        Ok(Flow::SideExit(opname(self.insn.op)))
    }
}

/// The typing rule of forms that only move the stack or jump within the block.
pub(super) fn type_nothing(_: &TypingSite, _: &mut TypeState) -> Result<Flow, Refusal> {
    Ok(Flow::Next)
}

/// The typing rule of forms that pop `N` operands and push nothing (one operand may be a
/// range iterator where the form takes one).
pub(super) fn type_pops<const N: usize>(
    s: &TypingSite,
    st: &mut TypeState,
) -> Result<Flow, Refusal> {
    if N == 1 {
        s.pop(st)?;
    } else {
        s.popn(st, N)?;
    }
    Ok(Flow::Next)
}

/// The typing rule of forms that pop `N` operands and push one object.
pub(super) fn type_pops_to_obj<const N: usize>(
    s: &TypingSite,
    st: &mut TypeState,
) -> Result<Flow, Refusal> {
    type_pops::<N>(s, st)?;
    st.stack.push(Kind::Obj);
    Ok(Flow::Next)
}

/// The typing rule of instruction `k`: updates `st` from before to after it.
pub(super) fn step(
    code: &Py<PyCode>,
    a: &Analysis,
    p: &Profile,
    k: usize,
    st: &mut TypeState,
) -> Result<Flow, Refusal> {
    let insn = a.insns[k];
    check_operand(code, &insn, st.locals.len())?;
    let Some(form) = form(insn.op) else {
        return Ok(Flow::SideExit(opname(insn.op)));
    };
    let site = TypingSite {
        code,
        a,
        p,
        k,
        insn,
        arg: insn.arg,
        takes_range: form.takes_range,
    };
    (form.typing)(&site, st)
}

/// What the emission of instruction `k` sees: its typed states before and after, and the
/// blocks and states of the whole function (for its jumps).
#[derive(Clone, Copy)]
pub(super) struct EmitSite<'a> {
    pub code: &'a Py<PyCode>,
    pub a: &'a Analysis,
    pub p: &'a Profile,
    pub states: &'a [Option<TypeState>],
    pub blocks: &'a [Option<Block>],
    pub k: usize,
    pub insn: &'a Insn,
    pub arg: u32,
    /// Stack depth before the instruction.
    pub d: usize,
    pub st: &'a TypeState,
    pub after: &'a TypeState,
    pub flow: &'a Flow,
}

impl EmitSite<'_> {
    /// The block and typed state of the instruction at unit `t` (a jump target).
    pub fn block_of(&self, t: u32) -> Result<(Block, TypeState), Refusal> {
        let i = self
            .a
            .index_of(t)
            .ok_or_else(|| Refusal("bad jump".into()))?;
        match (self.blocks[i], &self.states[i]) {
            (Some(b), Some(s)) => Ok((b, s.clone())),
            _ => refuse("jump target is not a block"),
        }
    }
    /// The block and typed state of this instruction's jump target.
    pub fn jump_target(&self) -> Result<(Block, TypeState), Refusal> {
        self.block_of(
            self.insn
                .jump_target()
                .ok_or_else(|| Refusal("jump out of the code".into()))?,
        )
    }
    /// The block and typed state of the next instruction (a fall-through that starts a
    /// block); `what` names it in the refusal.
    pub fn next_block(&self, what: &str) -> Result<(Block, TypeState), Refusal> {
        match (
            self.blocks.get(self.k + 1).copied().flatten(),
            &self.states[self.k + 1],
        ) {
            (Some(b), Some(s)) => Ok((b, s.clone())),
            _ => refuse(format!("{what} is not a block")),
        }
    }
}

/// Emits instruction `k` by its form; returns whether it ended its block.
#[allow(clippy::too_many_arguments)]
pub(super) fn emit(
    e: &mut Emitter,
    code: &Py<PyCode>,
    a: &Analysis,
    p: &Profile,
    states: &[Option<TypeState>],
    blocks: &[Option<Block>],
    k: usize,
    st: &TypeState,
    after: &TypeState,
    flow: &Flow,
) -> Result<bool, Refusal> {
    let insn = &a.insns[k];
    let Some(form) = form(insn.op) else {
        return refuse(format!("{:?} has no emitter", insn.op));
    };
    let site = EmitSite {
        code,
        a,
        p,
        states,
        blocks,
        k,
        insn,
        arg: insn.arg,
        d: st.stack.len(),
        st,
        after,
        flow,
    };
    (form.emit)(e, &site)
}
