//! Bytecode → Cranelift IR.
//!
//! Two passes walk the same instructions with the same typing rules ([`step`]):
//! - **typing** assigns every value (local or value-stack slot) a [`Kind`] by a fixed point
//!   over the CFG: ints, floats and bools are held unboxed in registers where the code
//!   shows their types (constants, argument kinds at entry, arithmetic on them); a
//!   `for` over `range(...)` keeps its iterator as three integers; everything else is an
//!   object reference. Where paths with different kinds meet, the value is boxed.
//! - **emission** generates CLIF: the hot, simple operations inline (int arithmetic with
//!   overflow guards, float arithmetic, comparisons, branches, local moves, range loops),
//!   everything else as a call to a runtime helper ([`crate::helpers`]).
//!
//! Every assumption is a guard with an **exit site**; so is every helper that raised and
//! every instruction not compiled yet (a side exit). An exit stores the frame state
//! before the instruction (every local and value-stack slot) into the exit buffer and
//! returns the site's number; [`crate::deopt`] continues the function in the interpreter
//! from there, raising the helper's exception if there was one.
//!
//! Native signature: `extern "C" fn(args: *const u64, buf: *mut u64, ctx: *const
//! NativeCtx) -> i64`. `args` holds the arguments (unboxed, or owned object pointers);
//! `-1` means "returned", with an owned result pointer in `buf[0]`; a non-negative value
//! is an exit site, with the frame state in `buf[0..]` as the site's layout says.
//!
//! Ownership: every object pointer held in a local or stack slot of kind [`Kind::Obj`] is
//! an owned reference (possibly NULL: an unbound local or a call's NULL slot). Loads add a
//! reference, pops drop one, an exit hands all of them to the interpreter.

use cranelift_codegen::ir::condcodes::{FloatCC, IntCC};
use cranelift_codegen::ir::{
    types, AbiParam, Block, Function, InstBuilder, MemFlagsData, SigRef, Signature, StackSlotData,
    StackSlotKind, UserFuncName, Value,
};
use cranelift_codegen::isa::TargetIsa;
use cranelift_frontend::{FunctionBuilder, FunctionBuilderContext, Variable};
use rustpython_vm::builtins::PyCode;
use rustpython_vm::bytecode::{CodeFlags, ExceptionTableEntry, Instruction, LoadSuperAttr};
use rustpython_vm::Py;

use crate::bytecode::{Analysis, Insn};
use crate::helpers::{address_of, HelperTable, Op};

/// The representation of a value in native code.
///
/// An unboxed int or float keeps the object it was unboxed from (its *box*, the second
/// part), so that boxing it again gives the same object back: `is`, `id()` and
/// identity-based containment see what the interpreter would. A box is NULL (a value
/// computed in native code: boxed when needed), an owned reference, or a borrowed one
/// tagged with [`BORROWED_BOX`] (a constant of the code, or an argument the caller keeps
/// alive for the whole activation).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    /// An exact `int` in `i64` range, and its box.
    Int,
    /// A `float`, as `f64`, and its box.
    Float,
    /// A `bool`, as `i64` 0 or 1.
    Bool,
    /// An owned object reference (may be NULL).
    Obj,
    /// The iterator of `for x in range(...)`: next value, remaining count (unsigned),
    /// step — three `i64`s.
    Range,
}

impl Kind {
    /// Exit-buffer slots a value of this kind takes (the parts of the value, in order).
    pub fn slots(self) -> usize {
        match self {
            Kind::Range => 3,
            Kind::Int | Kind::Float => 2,
            Kind::Bool | Kind::Obj => 1,
        }
    }
    /// The part holding a reference the slot may own: an object, or an unboxed value's
    /// box.
    fn owned_part(self) -> Option<usize> {
        match self {
            Kind::Obj => Some(0),
            Kind::Int | Kind::Float => Some(1),
            Kind::Bool | Kind::Range => None,
        }
    }
    /// The kind of a value that may come from either kind.
    fn join(self, other: Kind) -> Option<Kind> {
        if self == other {
            Some(self)
        } else if self == Kind::Range || other == Kind::Range {
            None
        } else {
            Some(Kind::Obj)
        }
    }
}

/// Why an exit site exists.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExitKind {
    /// An assumption failed (a type, an overflow, a rebound global): the interpreter
    /// runs the instruction.
    Guard,
    /// A signal is pending at a back-edge: raised at the loop's line.
    Signal,
    /// A helper raised: the exception is raised at the instruction (or, when no handler
    /// of the function covers it, leaves the function from the exit with the traceback
    /// entry the interpreter would add).
    Raise,
    /// An instruction not compiled yet: the interpreter runs it.
    Unsupported,
}

/// Where an exit site resumes and how its saved values are laid out in the exit buffer.
#[derive(Clone, Debug)]
pub struct ExitSite {
    /// Unit of the instruction the interpreter executes first.
    pub resume_at: u32,
    /// Per local slot: its kind, or `None` if unbound at this point.
    pub locals: Vec<Option<Kind>>,
    /// Per value-stack slot (bottom first): its kind.
    pub stack: Vec<Kind>,
    /// What failed, for the statistics.
    pub reason: &'static str,
    pub kind: ExitKind,
}

/// A translated function: CLIF plus the data needed to enter and leave it.
pub struct Translation {
    pub func: Function,
    pub exits: Vec<ExitSite>,
    /// Kinds of the values in `args` (the argument slots, or at a loop entry every local
    /// slot and the value stack).
    pub args: Vec<Kind>,
    /// Exit buffer size in 8-byte slots.
    pub buf_slots: usize,
    /// Work done inline vs through helpers, weighted by loop nesting: what native code
    /// gains over the interpreter (see [`Translation::profitable`]).
    pub inline_work: u64,
    pub helper_work: u64,
    /// The part of `helper_work` the interpreter does in place, without a call: resuming
    /// generators and appending to strings.
    pub in_place_work: u64,
    /// Attribute loads and stores with an inline cache: native code passes each its site number,
    /// and the helper keeps the cache in `NativeCtx::attr_caches`.
    pub attr_sites: usize,
    /// Calls before which native code stores its locals into the exit buffer (with the
    /// layout of an exit there): their unit and the kinds of the locals. While such a call
    /// runs, a program reading the frame's `f_locals` gets these values.
    pub spilled: Vec<(u32, Vec<Option<Kind>>)>,
}

impl Translation {
    /// Whether native code is expected to beat the interpreter. Measured on the
    /// benchmarks (instruction counts, compile time included): inline arithmetic,
    /// comparisons, branches and range loops are much faster, and helpers (attributes
    /// and methods with their inline caches, cells, subscripts, calls, containers) at
    /// least break even, so hot code gains overall. Two operations lose: the interpreter
    /// resumes a generator by pushing its frame in the same loop and appends in place to
    /// a string only its local refers to, while a helper must call and copy. Code where
    /// those outweigh the inline work stays in the interpreter.
    pub fn profitable(&self) -> bool {
        self.in_place_work <= self.inline_work
    }
}

/// Whether the interpreter, having quickened an instruction to `quick`, does it in place
/// where native code calls a helper: resuming a generator (`FOR_ITER`) or appending to a
/// string (see [`Translation::profitable`]).
pub fn done_in_place(quick: &Instruction) -> bool {
    matches!(
        quick,
        Instruction::ForIterGen
            | Instruction::BinaryOpInplaceAddUnicode
            | Instruction::BinaryOpAddUnicode
    )
}

/// Why a function is not compiled; shown in the statistics.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refusal(pub String);

fn refuse<T>(msg: impl Into<String>) -> Result<T, Refusal> {
    Err(Refusal(msg.into()))
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct TypeState {
    locals: Vec<Option<Kind>>,
    stack: Vec<Kind>,
}

impl TypeState {
    /// The state at a point reached from `self` and `other`; `None` if they cannot meet.
    fn join(&self, other: &TypeState) -> Option<TypeState> {
        if self.stack.len() != other.stack.len() {
            return None;
        }
        let locals = self
            .locals
            .iter()
            .zip(&other.locals)
            .map(|(a, b)| match (a, b) {
                (None, None) => Some(None),
                (Some(a), Some(b)) => a.join(*b).map(Some),
                // Bound on one path only: an object that may be NULL.
                (Some(k), None) | (None, Some(k)) => (*k != Kind::Range).then_some(Some(Kind::Obj)),
            })
            .collect::<Option<Vec<_>>>()?;
        let stack = self
            .stack
            .iter()
            .zip(&other.stack)
            .map(|(a, b)| a.join(*b))
            .collect::<Option<Vec<_>>>()?;
        Some(TypeState { locals, stack })
    }
}

/// Arithmetic compiled inline on unboxed ints/floats, by `BINARY_OP` oparg (in-place
/// forms share semantics for numbers).
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

fn arith(oparg: u32) -> Option<Arith> {
    let op = if (13..=25).contains(&oparg) {
        oparg - 13
    } else {
        oparg
    };
    Some(match op {
        0 => Arith::Add,
        1 => Arith::And,
        2 => Arith::FloorDiv,
        5 => Arith::Mul,
        6 => Arith::Mod,
        7 => Arith::Or,
        9 => Arith::Rshift,
        10 => Arith::Sub,
        11 => Arith::TrueDiv,
        12 => Arith::Xor,
        _ => return None,
    })
}

/// The kind of an inline `BINARY_OP`, or `None` if it goes through the generic helper.
fn inline_binary(oparg: u32, a: Kind, b: Kind) -> Option<Kind> {
    use Kind::*;
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

/// What the interpreter observed of a function, and which of its observations native
/// code may no longer bet on.
#[derive(Clone, Debug, Default)]
pub struct Profile {
    /// Per instruction (by index), the specialized form the interpreter's quickening
    /// chose, or the instruction itself if it never ran.
    pub quick: Vec<Instruction>,
    /// Instructions whose guards kept failing (sorted indices): compiled without any
    /// assumption, their operands boxed and handed to the VM's generic operation. This
    /// is how a recompilation drops a failing assumption (see `entry::run_native`).
    pub generic: Vec<usize>,
}

impl Profile {
    pub fn new(quick: Vec<Instruction>) -> Self {
        Profile {
            quick,
            generic: Vec::new(),
        }
    }

    /// Whether instruction `k` is compiled without assumptions.
    pub fn is_generic(&self, k: usize) -> bool {
        self.generic.binary_search(&k).is_ok()
    }

    /// The interpreter's specialized form of instruction `k`, unless `k` is generic.
    fn spec(&self, k: usize) -> Option<Instruction> {
        if self.is_generic(k) {
            None
        } else {
            self.quick.get(k).copied()
        }
    }

    /// Whether call `k` may be to `range` as far as the interpreter saw: it did not
    /// specialize the call (or never ran it), or specialized it the way it does for
    /// `range` (a builtin class). A call it specialized for a Python function (such as
    /// a generator function), a method or a builtin function is not speculated to be
    /// `range`: that would only deopt.
    fn may_call_range(&self, k: usize) -> bool {
        matches!(
            self.spec(k),
            Some(
                Instruction::Call { .. }
                    | Instruction::CallBuiltinClass
                    | Instruction::CallNonPyGeneral
            )
        )
    }
}

/// Whether an exit of kind [`ExitKind::Guard`] at instruction `op` is an assumption that
/// compiling the instruction generically removes (its guards: int overflow, division
/// by zero, speculated operand types, `range` being the builtin).
pub fn can_generalize(op: Instruction) -> bool {
    matches!(
        op,
        Instruction::BinaryOp { .. } | Instruction::CompareOp { .. } | Instruction::Call { .. }
    )
}

/// The unboxed kind `BINARY_OP` (arg `oparg`) at instruction `k` produces inline, from
/// its operand kinds or the profile's speculation; `None`: through the VM, as an object.
fn binary_kind(p: &Profile, k: usize, oparg: u32, a: Kind, b: Kind) -> Option<Kind> {
    if p.is_generic(k) {
        return None;
    }
    inline_binary(oparg, a, b).or(speculated_binary(p.spec(k), a, b))
}

/// The kind a `BINARY_OP` on object operands is speculated to produce from the
/// interpreter's profile (its specialized form), or `None`.
fn speculated_binary(quick: Option<Instruction>, a: Kind, b: Kind) -> Option<Kind> {
    use Instruction as I;
    use Kind::*;
    let want = match quick? {
        I::BinaryOpAddFloat | I::BinaryOpSubtractFloat | I::BinaryOpMultiplyFloat => Float,
        I::BinaryOpAddInt | I::BinaryOpSubtractInt | I::BinaryOpMultiplyInt => Int,
        _ => return None,
    };
    let fits = |k: Kind| k == Obj || k == want;
    (fits(a) && fits(b) && (a == Obj || b == Obj)).then_some(want)
}

/// The operand kind a `COMPARE_OP` on object operands is speculated on, or `None`.
fn speculated_compare(quick: Option<Instruction>, a: Kind, b: Kind) -> Option<Kind> {
    use Instruction as I;
    use Kind::*;
    let want = match quick? {
        I::CompareOpFloat => Float,
        I::CompareOpInt => Int,
        _ => return None,
    };
    let fits = |k: Kind| k == Obj || k == want;
    (fits(a) && fits(b) && (a == Obj || b == Obj)).then_some(want)
}

/// A constant's kind and, for unboxed kinds, its bits. Read from the object itself:
/// RustPython 0.6's `borrow_constant` panics on constants of unusual types and leaks an
/// allocation per call for slices and frozensets.
fn const_kind(code: &Py<PyCode>, i: u32) -> Result<(Kind, u64), Refusal> {
    use rustpython_vm::builtins::{PyFloat, PyInt};
    use rustpython_vm::AsObject;
    let c = code
        .code
        .constants
        .get(i as usize)
        .ok_or_else(|| Refusal("bad constant index".into()))?;
    let obj: &rustpython_vm::PyObject = std::borrow::Borrow::borrow(c);
    let types = &rustpython_vm::Context::genesis().types;
    let class = obj.class();
    Ok(if class.is(types.bool_type) {
        (
            Kind::Bool,
            obj.is(&rustpython_vm::Context::genesis().true_value) as u64,
        )
    } else if class.is(types.int_type) {
        match obj
            .downcast_ref::<PyInt>()
            .map(|v| i64::try_from(v.as_bigint()))
        {
            Some(Ok(v)) => (Kind::Int, v as u64),
            _ => (Kind::Obj, 0),
        }
    } else if class.is(types.float_type) {
        match obj.downcast_ref::<PyFloat>() {
            Some(f) => (Kind::Float, f.to_f64().to_bits()),
            None => (Kind::Obj, 0),
        }
    } else {
        (Kind::Obj, 0)
    })
}

/// What follows an instruction.
enum Flow {
    /// Continues at the next instruction (and, for a conditional jump, also at its
    /// target with the same state).
    Next,
    /// `FOR_ITER`: continues with the value pushed, or at `exhausted` with the stack as
    /// it was.
    ForIter { exhausted: u32 },
    /// A terminator (return, unconditional jump: successors by `jump_target`).
    End,
    /// Not compiled: a side exit to the interpreter.
    SideExit(&'static str),
}

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
            .all(|k| *k == Kind::Int)
}

/// The typing rule of one instruction: updates `st` from before to after `insn`.
fn step(
    code: &Py<PyCode>,
    a: &Analysis,
    p: &Profile,
    k: usize,
    st: &mut TypeState,
) -> Result<Flow, Refusal> {
    use Instruction as I;
    use Kind::*;
    let insn = a.insns[k];
    let arg = insn.arg;
    // A range iterator lives unboxed in native code: only these instructions take one
    // (or refuse it themselves). Anywhere else it would have to be boxed for a generic
    // operation, which the emitter cannot do: refuse. Real bytecode never gets there, but an
    // on-stack-replacement entry can put one anywhere on the stack (found by fuzzing).
    let takes_range = matches!(
        insn.op,
        I::PopTop
            | I::GetIter
            | I::ForIter { .. }
            | I::EndFor
            | I::PopIter
            | I::BinaryOp { .. }
            | I::StoreFast { .. }
            | I::StoreDeref { .. }
            | I::ListAppend { .. }
            | I::SetAdd { .. }
            | I::ListExtend { .. }
            | I::SetUpdate { .. }
            | I::DictUpdate { .. }
            | I::DictMerge { .. }
            | I::MapAdd { .. }
    );
    let pop = |st: &mut TypeState| match st.stack.pop() {
        None => refuse("stack underflow"),
        Some(Range) if !takes_range => refuse("a range iterator as an operand"),
        Some(k) => Ok(k),
    };
    let popn = |st: &mut TypeState, n: usize| -> Result<(), Refusal> {
        if st.stack.len() < n {
            return refuse("stack underflow");
        }
        if st.stack[st.stack.len() - n..].contains(&Range) {
            return refuse("a range iterator as an operand");
        }
        st.stack.truncate(st.stack.len() - n);
        Ok(())
    };
    check_operands(code, &insn, st.locals.len())?;
    match insn.op {
        I::Resume { .. } | I::Nop | I::NotTaken | I::Cache => {}
        I::LoadFast { .. } | I::LoadFastBorrow { .. } | I::LoadFastCheck { .. } => {
            match st.locals[arg as usize] {
                Some(k) => st.stack.push(k),
                None => return Ok(Flow::SideExit("an unbound local")),
            }
        }
        I::LoadFastLoadFast { .. } | I::LoadFastBorrowLoadFastBorrow { .. } => {
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
        }
        I::LoadFastAndClear { .. } => {
            let k = st.locals[arg as usize].unwrap_or(Obj);
            st.stack.push(k);
            st.locals[arg as usize] = None;
        }
        I::StoreFast { .. } => {
            let k = pop(st)?;
            if k == Range {
                return refuse("a range iterator stored in a local");
            }
            st.locals[arg as usize] = Some(k);
        }
        I::StoreFastStoreFast { .. } => {
            let v1 = pop(st)?;
            let v2 = pop(st)?;
            st.locals[(arg >> 4) as usize] = Some(v1);
            st.locals[(arg & 15) as usize] = Some(v2);
        }
        I::StoreFastLoadFast { .. } => {
            let v = pop(st)?;
            st.locals[(arg >> 4) as usize] = Some(v);
            match st.locals[(arg & 15) as usize] {
                Some(k) => st.stack.push(k),
                None => return Ok(Flow::SideExit("an unbound local")),
            }
        }
        I::DeleteFast { .. } => {
            if st.locals[arg as usize].is_none() {
                return Ok(Flow::SideExit("an unbound local"));
            }
            st.locals[arg as usize] = None;
        }
        I::MakeCell { .. } => st.locals[arg as usize] = Some(Obj),
        I::CopyFreeVars { .. } => {
            let n = st.locals.len();
            for l in st.locals.iter_mut().skip(n - (arg as usize).min(n)) {
                *l = Some(Obj);
            }
        }
        I::LoadDeref { .. } => {
            if st.locals[arg as usize] != Some(Obj) {
                return Ok(Flow::SideExit("a cell that is not set up"));
            }
            st.stack.push(Obj);
        }
        I::DeleteDeref { .. } => {
            if st.locals[arg as usize] != Some(Obj) {
                return Ok(Flow::SideExit("a cell that is not set up"));
            }
        }
        I::StoreDeref { .. } => {
            if st.locals[arg as usize] != Some(Obj) {
                return Ok(Flow::SideExit("a cell that is not set up"));
            }
            if pop(st)? == Range {
                return refuse("a range iterator stored in a cell");
            }
        }
        I::LoadSmallInt { .. } => st.stack.push(Int),
        I::LoadConst { .. } => st.stack.push(const_kind(code, arg)?.0),
        I::LoadGlobal { .. }
            if inspects_frames(name_of(code, arg >> 1), FRAME_GLOBALS)
                || zero_argument_super(code, a, k) =>
        {
            return Ok(Flow::SideExit(
                "frame introspection runs in the interpreter",
            ));
        }
        I::LoadAttr { .. } if inspects_frames(name_of(code, arg >> 1), FRAME_STATE_ATTRS) => {
            return Ok(Flow::SideExit(
                "frame introspection runs in the interpreter",
            ));
        }
        I::LoadGlobal { .. } => {
            st.stack.push(Obj);
            if arg & 1 != 0 {
                st.stack.push(Obj);
            }
        }
        I::LoadAttr { .. } => {
            pop(st)?;
            st.stack.push(Obj);
            if arg & 1 != 0 {
                st.stack.push(Obj);
            }
        }
        I::StoreAttr { .. } => popn(st, 2)?,
        I::PushNull => st.stack.push(Obj),
        I::PopTop => {
            pop(st)?;
        }
        I::Copy { .. } => {
            let n = st.stack.len();
            let i = arg as usize;
            if i == 0 || i > n {
                return refuse("bad COPY");
            }
            let k = st.stack[n - i];
            if k == Range {
                return Ok(Flow::SideExit("COPY of a range iterator"));
            }
            st.stack.push(k);
        }
        I::Swap { .. } => {
            let n = st.stack.len();
            let i = arg as usize;
            if i < 2 || i > n {
                return refuse("bad SWAP");
            }
            st.stack.swap(n - 1, n - i);
        }
        I::BinaryOp { .. } => {
            let b = pop(st)?;
            let x = pop(st)?;
            if x == Range || b == Range {
                return refuse("BINARY_OP on a range iterator");
            }
            st.stack.push(binary_kind(p, k, arg, x, b).unwrap_or(Obj));
        }
        I::BinarySlice => {
            popn(st, 3)?;
            st.stack.push(Obj);
        }
        I::StoreSlice => popn(st, 4)?,
        I::StoreSubscr => popn(st, 3)?,
        I::DeleteSubscr => popn(st, 2)?,
        I::CompareOp { .. } => {
            let y = pop(st)?;
            let x = pop(st)?;
            let inline = matches!((x, y), (Int, Int) | (Float, Float) | (Bool, Bool))
                || speculated_compare(p.spec(k), x, y).is_some();
            st.stack
                .push(if inline || arg & 16 != 0 { Bool } else { Obj });
        }
        I::ContainsOp { .. } | I::IsOp { .. } => {
            popn(st, 2)?;
            st.stack.push(Bool);
        }
        I::ToBool | I::UnaryNot => {
            pop(st)?;
            st.stack.push(Bool);
        }
        I::UnaryNegative => {
            let x = pop(st)?;
            st.stack.push(if x == Int || x == Float { x } else { Obj });
        }
        I::UnaryInvert => {
            let x = pop(st)?;
            st.stack.push(if x == Int { Int } else { Obj });
        }
        I::PopJumpIfFalse { .. }
        | I::PopJumpIfTrue { .. }
        | I::PopJumpIfNone { .. }
        | I::PopJumpIfNotNone { .. } => {
            pop(st)?;
        }
        I::Call { .. } => {
            if is_range_loop(a, k, st) && p.may_call_range(k) {
                popn(st, arg as usize + 2)?;
                st.stack.push(Range);
            } else {
                popn(st, arg as usize + 2)?;
                st.stack.push(Obj);
            }
        }
        I::CallKw { .. } => {
            popn(st, arg as usize + 3)?;
            st.stack.push(Obj);
        }
        I::CallFunctionEx => {
            popn(st, 4)?;
            st.stack.push(Obj);
        }
        I::CallIntrinsic1 { .. } if arg == INTRINSIC_LIST_TO_TUPLE => {
            pop(st)?;
            st.stack.push(Obj);
        }
        I::BuildTuple { .. }
        | I::BuildList { .. }
        | I::BuildSet { .. }
        | I::BuildString { .. }
        | I::BuildSlice { .. } => {
            popn(st, arg as usize)?;
            st.stack.push(Obj);
        }
        I::BuildMap { .. } => {
            popn(st, 2 * arg as usize)?;
            st.stack.push(Obj);
        }
        I::ListAppend { .. }
        | I::SetAdd { .. }
        | I::ListExtend { .. }
        | I::SetUpdate { .. }
        | I::DictUpdate { .. }
        | I::DictMerge { .. }
        | I::MapAdd { .. } => {
            let n = if matches!(insn.op, I::MapAdd { .. }) {
                2
            } else {
                1
            };
            for _ in 0..n {
                if pop(st)? == Range {
                    return refuse("a range iterator in a container");
                }
            }
            let d = st.stack.len();
            if arg == 0 || (arg as usize) > d || st.stack[d - arg as usize] != Obj {
                return refuse("container operand is not an object");
            }
        }
        I::GetIter => {
            let x = pop(st)?;
            st.stack.push(if x == Range { Range } else { Obj });
        }
        I::ForIter { .. } => {
            let it = *st
                .stack
                .last()
                .ok_or_else(|| Refusal("stack underflow".into()))?;
            let target = insn
                .jump_target()
                .ok_or_else(|| Refusal("jump out of the code".into()))?;
            // Exhausted: the VM skips the END_FOR at the target.
            let t = a
                .index_of(target)
                .ok_or_else(|| Refusal("bad FOR_ITER target".into()))?;
            let exhausted = if matches!(a.insns[t].op, I::EndFor) {
                a.insns
                    .get(t + 1)
                    .map(|i| i.start)
                    .ok_or_else(|| Refusal("FOR_ITER target at the end".into()))?
            } else {
                target
            };
            st.stack.push(if it == Range { Int } else { Obj });
            return Ok(Flow::ForIter { exhausted });
        }
        I::EndFor | I::PopIter => {
            pop(st)?;
        }
        I::UnpackSequence { .. } => {
            pop(st)?;
            for _ in 0..arg {
                st.stack.push(Obj);
            }
        }
        I::FormatSimple | I::ConvertValue { .. } => {
            pop(st)?;
            st.stack.push(Obj);
        }
        I::FormatWithSpec => {
            popn(st, 2)?;
            st.stack.push(Obj);
        }
        I::ReturnValue => {
            pop(st)?;
            return Ok(Flow::End);
        }
        I::StoreGlobal { .. } | I::DeleteAttr { .. } => {
            pop(st)?;
        }
        I::DeleteGlobal { .. } => {}
        I::MakeFunction => {
            pop(st)?;
            st.stack.push(Obj);
        }
        I::SetFunctionAttribute { .. } => {
            popn(st, 2)?;
            st.stack.push(Obj);
        }
        I::LoadSpecial { .. } => {
            pop(st)?;
            st.stack.push(Obj);
            st.stack.push(Obj);
        }
        I::LoadSuperAttr { .. } => {
            popn(st, 3)?;
            st.stack.push(Obj);
            if LoadSuperAttr::from_u32(arg).is_load_method() {
                st.stack.push(Obj);
            }
        }
        I::ImportName { .. } => {
            popn(st, 2)?;
            st.stack.push(Obj);
        }
        I::ImportFrom { .. } => {
            if st.stack.last() != Some(&Obj) {
                return refuse("IMPORT_FROM without a module");
            }
            st.stack.push(Obj);
        }
        // A bare `raise` reads the exception being handled: the interpreter's.
        I::RaiseVarargs { .. } if arg == 1 || arg == 2 => {
            popn(st, arg as usize)?;
            return Ok(Flow::End);
        }
        // A bare `raise` re-raises the exception being handled: natively when a handler
        // of the function catches it (it always is, inside `except`), else the
        // interpreter's.
        I::RaiseVarargs { .. } if arg == 0 && a.handler_of(insn.at).is_some() => {
            return Ok(Flow::End);
        }
        I::UnpackEx { .. } => {
            pop(st)?;
            let n = (arg & 0xff) + 1 + (arg >> 8);
            if n > code.code.max_stackdepth {
                return refuse("UNPACK_EX past the code's stack depth");
            }
            for _ in 0..n {
                st.stack.push(Obj);
            }
        }
        I::CallIntrinsic1 { .. } if arg == INTRINSIC_UNARY_POSITIVE => {
            pop(st)?;
            st.stack.push(Obj);
        }
        I::LoadCommonConstant { .. } if arg <= 6 => st.stack.push(Obj),
        I::MatchSequence | I::MatchMapping => {
            if st.stack.is_empty() {
                return refuse("stack underflow");
            }
            st.stack.push(Bool);
        }
        I::GetLen => {
            if st.stack.last() != Some(&Obj) {
                return Ok(Flow::SideExit("len() of a number"));
            }
            st.stack.push(Int);
        }
        I::MatchKeys => {
            let n = st.stack.len();
            if n < 2 || st.stack[n - 2..] != [Obj, Obj] {
                return Ok(Flow::SideExit("MATCH_KEYS on a number"));
            }
            st.stack.push(Obj);
        }
        I::MatchClass { .. } => {
            popn(st, 3)?;
            st.stack.push(Obj);
        }
        I::JumpForward { .. } | I::JumpBackward { .. } | I::JumpBackwardNoInterrupt { .. } => {
            return Ok(Flow::End)
        }
        // Exception handlers (their entry is an edge from every covered instruction).
        I::PushExcInfo => {
            if pop(st)? != Obj {
                return refuse("PUSH_EXC_INFO without an exception");
            }
            st.stack.extend([Obj, Obj]);
        }
        I::PopExcept => {
            if pop(st)? != Obj {
                return refuse("POP_EXCEPT without a saved exception");
            }
        }
        I::WithExceptStart => {
            let n = st.stack.len();
            if n < 5 || st.stack[n - 5..n - 3] != [Obj, Obj] {
                return refuse("WITH_EXCEPT_START without an exit method");
            }
            st.stack.push(Obj);
        }
        I::CheckExcMatch => {
            let n = st.stack.len();
            if n < 2 || st.stack[n - 2..] != [Obj, Obj] {
                return refuse("CHECK_EXC_MATCH without an exception and a type");
            }
            st.stack[n - 1] = Obj;
        }
        // Caught again in this function: a jump to that handler. Leaving it, the
        // exception goes through the interpreter, which adds no traceback entry for a
        // re-raise.
        I::Reraise { .. } => {
            if a.handler_of(insn.at).is_none() {
                return Ok(Flow::SideExit("an exception leaves the function"));
            }
            if pop(st)? != Obj {
                return refuse("RERAISE without an exception");
            }
            return Ok(Flow::End);
        }
        _ => return Ok(Flow::SideExit(opname(insn.op))),
    }
    Ok(Flow::Next)
}

/// The status native code returns with from the `RETURN_VALUE` at `unit` (exits return
/// their site number, from 0 up).
pub fn returned_at(unit: u32) -> i64 {
    -1 - i64::from(unit)
}

/// The unit of the `RETURN_VALUE` status `status` names, if it is a return.
pub fn return_unit(status: i64) -> Option<u32> {
    (status < 0).then(|| (-1 - status) as u32)
}

/// CALL_INTRINSIC_1 operands native code handles (`IntrinsicFunction1`).
const INTRINSIC_UNARY_POSITIVE: u32 = 5;
const INTRINSIC_LIST_TO_TUPLE: u32 = 6;
/// SET_FUNCTION_ATTRIBUTE's flag for the closure (`MakeFunctionFlag::Closure`).
const CLOSURE_FLAG: u32 = 8;

/// Builtins that read or write the calling frame (its locals, its line).
const FRAME_GLOBALS: &[&str] = &[
    "locals",
    "globals",
    "vars",
    "eval",
    "exec",
    "dir",
    "breakpoint",
];
/// Attributes whose use reads the calling frame's object, line or callers:
/// `sys._getframe`, `inspect.currentframe` and friends, `warnings.warn` (which takes its
/// line from the caller). Native code running in an interpreter frame keeps that frame's
/// line and callers current, so these run natively there; a function using them is
/// called in a frame of its own ([`reads_frames`]), and a guard exits where there is none.
const FRAME_ATTRS: &[&str] = &[
    "_getframe",
    "currentframe",
    "stack",
    "getouterframes",
    "getframeinfo",
    "print_stack",
    "extract_stack",
    "format_stack",
    "warn",
    "f_back",
    "f_lineno",
];
/// Attributes whose use reads or changes the running frame's locals or tracing
/// (`f_locals`, a live view of them; `pdb.set_trace`): native code keeps locals in
/// registers, so these always run in the interpreter (a side exit before them; a frame
/// object taken before the exit shows the continuation's locals).
const FRAME_STATE_ATTRS: &[&str] = &["set_trace", "locals", "f_locals"];

/// Whether `code` reads its running frame (a load of one of [`FRAME_ATTRS`]).
pub fn reads_frames(code: &Py<PyCode>, a: &Analysis) -> bool {
    a.insns.iter().any(|i| {
        matches!(i.op, Instruction::LoadAttr { .. })
            && inspects_frames(name_of(code, i.arg >> 1), FRAME_ATTRS)
    })
}

fn name_of(code: &Py<PyCode>, i: u32) -> &str {
    code.code.names.get(i as usize).map_or("", |n| n.as_str())
}

/// Native code keeps locals in registers and its frame's line is stale: whatever
/// inspects the running frame must run in the interpreter (a side exit before it).
fn inspects_frames(name: &str, names: &[&str]) -> bool {
    names.contains(&name)
}

/// A `super()` call the compiler left to the builtin (where `super` is also a global it
/// cannot rule out): `super` then reads the running frame's first argument and
/// `__class__` cell. The usual form, `LOAD_SUPER_ATTR`, gets both from the stack.
fn zero_argument_super(code: &Py<PyCode>, a: &Analysis, k: usize) -> bool {
    name_of(code, a.insns[k].arg >> 1) == "super"
        && a.insns
            .get(k + 1)
            .is_some_and(|i| matches!(i.op, Instruction::Call { .. }) && i.arg == 0)
}

/// Refuses an instruction whose operand indexes a local, name or constant that does not
/// exist: bytecode is trusted by the VM, but the translator refuses rather than crashes.
fn check_operands(code: &Py<PyCode>, insn: &Insn, nslots: usize) -> Result<(), Refusal> {
    use Instruction as I;
    let arg = insn.arg as usize;
    let c = &code.code;
    let ok = match insn.op {
        I::LoadFast { .. }
        | I::LoadFastBorrow { .. }
        | I::LoadFastCheck { .. }
        | I::LoadFastAndClear { .. }
        | I::StoreFast { .. }
        | I::DeleteFast { .. }
        | I::MakeCell { .. }
        | I::LoadDeref { .. }
        | I::StoreDeref { .. }
        | I::DeleteDeref { .. } => arg < nslots,
        I::LoadFastLoadFast { .. }
        | I::LoadFastBorrowLoadFastBorrow { .. }
        | I::StoreFastStoreFast { .. }
        | I::StoreFastLoadFast { .. } => (arg >> 4) < nslots && (arg & 15) < nslots,
        I::CopyFreeVars { .. } => arg <= nslots,
        I::LoadGlobal { .. } | I::LoadAttr { .. } => (arg >> 1) < c.names.len(),
        I::StoreAttr { .. }
        | I::DeleteAttr { .. }
        | I::StoreGlobal { .. }
        | I::DeleteGlobal { .. }
        | I::ImportName { .. }
        | I::ImportFrom { .. } => arg < c.names.len(),
        I::LoadSuperAttr { .. } => (arg >> 2) < c.names.len(),
        I::LoadConst { .. } => arg < c.constants.len(),
        _ => true,
    };
    if ok {
        Ok(())
    } else {
        refuse(format!("operand out of range at unit {}", insn.at))
    }
}

/// Stable names of the instructions side exits name in the statistics.
fn opname(op: Instruction) -> &'static str {
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

/// Which instructions start a block in native code: the analysis's leaders plus the
/// places an exhausted `FOR_ITER` continues at.
fn leaders(a: &Analysis) -> Vec<bool> {
    let mut l = a.leaders.clone();
    for (k, insn) in a.insns.iter().enumerate() {
        if matches!(insn.op, Instruction::ForIter { .. }) {
            if let Some(t) = insn.jump_target().and_then(|t| a.index_of(t)) {
                if t + 1 < l.len() {
                    l[t + 1] = true;
                }
            }
            if k + 1 < l.len() {
                l[k + 1] = true;
            }
        }
    }
    l
}

/// Successor edges of instruction `k` with the state on each edge, and whether the edge
/// is an exception's (to a handler).
fn successors(
    a: &Analysis,
    k: usize,
    flow: &Flow,
    before: &TypeState,
    after: &TypeState,
) -> Result<Vec<(usize, TypeState, bool)>, Refusal> {
    let insn = a.insns[k];
    let idx = |u: u32| a.index_of(u).ok_or_else(|| Refusal("bad jump".into()));
    let mut out = Vec::new();
    // An instruction that runs natively and raises continues at its handler, natively.
    if !matches!(flow, Flow::SideExit(_)) && may_raise(insn.op) {
        if let Some(h) = a.handler_of(insn.at) {
            out.push((idx(h.target)?, caught_state(before, h)?, true));
        }
    }
    match flow {
        Flow::SideExit(_) => {}
        Flow::ForIter { exhausted } => {
            out.push((k + 1, after.clone(), false));
            out.push((idx(*exhausted)?, before.clone(), false));
        }
        Flow::End | Flow::Next => {
            if let Some(t) = insn.jump_target() {
                out.push((idx(t)?, after.clone(), false));
            }
            if !insn.is_no_fallthrough() && k + 1 < a.insns.len() {
                out.push((k + 1, after.clone(), false));
            }
        }
    }
    Ok(out)
}

/// Whether `op` can raise when it runs natively (moves of values and jumps cannot): only
/// those reach their handler, so the stack shapes of the others (an inlined
/// comprehension's iterator swapped under its list) do not constrain the handler's types.
fn may_raise(op: Instruction) -> bool {
    use Instruction as I;
    !matches!(
        op,
        I::Resume { .. }
            | I::Nop
            | I::NotTaken
            | I::Cache
            | I::LoadFast { .. }
            | I::LoadFastBorrow { .. }
            | I::LoadFastLoadFast { .. }
            | I::LoadFastBorrowLoadFastBorrow { .. }
            | I::LoadFastAndClear { .. }
            | I::StoreFast { .. }
            | I::StoreFastLoadFast { .. }
            | I::StoreFastStoreFast { .. }
            | I::LoadConst { .. }
            | I::LoadSmallInt { .. }
            | I::PushNull
            | I::PopTop
            | I::Copy { .. }
            | I::Swap { .. }
            | I::JumpForward { .. }
            | I::JumpBackwardNoInterrupt { .. }
            | I::EndFor
            | I::PopIter
            | I::ReturnValue
    )
}

/// The state a handler starts with when the instruction with state `before` raises: the
/// VM's unwinding keeps the locals and the bottom `depth` stack values, then pushes the
/// raising instruction's offset (if the entry says so; an int, only ever read back by
/// `RERAISE`) and the exception.
fn caught_state(before: &TypeState, h: &ExceptionTableEntry) -> Result<TypeState, Refusal> {
    let depth = usize::from(h.depth);
    if before.stack.len() < depth {
        return refuse("a handler deeper than the stack");
    }
    let mut stack = before.stack[..depth].to_vec();
    if h.push_lasti {
        stack.push(Kind::Int);
    }
    stack.push(Kind::Obj);
    Ok(TypeState {
        locals: before.locals.clone(),
        stack,
    })
}

/// Types every instruction reachable from `start` by a fixed point over the CFG.
fn infer(
    code: &Py<PyCode>,
    a: &Analysis,
    p: &Profile,
    start: usize,
    entry: TypeState,
) -> Result<Vec<Option<TypeState>>, Refusal> {
    let mut states: Vec<Option<TypeState>> = vec![None; a.insns.len()];
    let mut work = vec![start];
    states[start] = Some(entry);
    let mut rounds = 0usize;
    while let Some(k) = work.pop() {
        rounds += 1;
        if rounds > 200 * a.insns.len() + 1000 {
            return refuse("typing does not converge");
        }
        let before = states[k].clone().unwrap();
        // The value stack must have the shape the bytecode analysis (and so deopt) sees.
        if a.depth[k] != Some(before.stack.len() as u32) {
            return refuse(format!(
                "stack shape at unit {} disagrees with the analysis",
                a.insns[k].at
            ));
        }
        let mut after = before.clone();
        let flow = step(code, a, p, k, &mut after)?;
        for (t, st, exceptional) in successors(a, k, &flow, &before, &after)? {
            let merged = match &states[t] {
                None => st,
                Some(old) => match old.join(&st) {
                    Some(m) if &m == old => continue,
                    Some(m) => m,
                    // This raise is left to the interpreter (`Emitter::handler_for`).
                    None if exceptional => continue,
                    None => {
                        return refuse(format!(
                            "values of incompatible kinds meet at unit {}",
                            a.insns[t].at
                        ))
                    }
                },
            };
            states[t] = Some(merged);
            work.push(t);
        }
    }
    Ok(states)
}

/// The CLIF type of part `part` of a value of kind `k`.
fn clif_type(k: Kind, part: usize) -> types::Type {
    match (k, part) {
        (Kind::Float, 0) => types::F64,
        _ => types::I64,
    }
}

/// The tag of a box borrowed for the activation (see [`Kind`]): object pointers are
/// aligned, so the low bit is free.
pub const BORROWED_BOX: u64 = 1;

/// Why `code` cannot be translated whatever its arguments, from its flags and shape alone.
pub fn unsupported_shape(code: &Py<PyCode>) -> Option<&'static str> {
    let c = &code.code;
    if c.flags
        .intersects(CodeFlags::GENERATOR | CodeFlags::COROUTINE | CodeFlags::ASYNC_GENERATOR)
    {
        return Some("generators and coroutines are not compiled yet");
    }
    // An `__annotate__` function, or the evaluate function of a type parameter or alias
    // (one positional-only parameter, `format`): `annotationlib` runs its code with fake
    // globals that answer every name, the JIT's builtins in a prologue or stub too.
    if c.arg_count == 1
        && c.posonlyarg_count == 1
        && c.varnames
            .first()
            .is_some_and(|n| matches!(n.as_str(), "format" | ".format"))
    {
        return Some("annotation functions run with globals of annotationlib's");
    }
    None
}

/// Number of argument slots the stub passes: positional, keyword-only, `*args`, `**kwargs`.
pub fn arg_slots(code: &Py<PyCode>) -> usize {
    let c = &code.code;
    (c.arg_count
        + c.kwonlyarg_count
        + u32::from(c.flags.contains(CodeFlags::VARARGS))
        + u32::from(c.flags.contains(CodeFlags::VARKEYWORDS))) as usize
}

/// Signature of every compiled function for `isa`.
pub fn native_signature(isa: &dyn TargetIsa) -> Signature {
    let ptr = isa.pointer_type();
    let mut sig = Signature::new(isa.default_call_conv());
    sig.params.push(AbiParam::new(ptr));
    sig.params.push(AbiParam::new(ptr));
    sig.params.push(AbiParam::new(ptr));
    sig.returns.push(AbiParam::new(types::I64));
    sig
}

fn sig_backedge(isa: &dyn TargetIsa) -> Signature {
    let mut sig = Signature::new(isa.default_call_conv());
    sig.returns.push(AbiParam::new(types::I64));
    sig
}

fn sig_ops(isa: &dyn TargetIsa) -> Signature {
    let ptr = isa.pointer_type();
    let mut sig = Signature::new(isa.default_call_conv());
    sig.params.push(AbiParam::new(ptr));
    sig.params.push(AbiParam::new(ptr));
    sig.params.push(AbiParam::new(types::I64));
    sig.returns.push(AbiParam::new(types::I64));
    sig
}

fn sig_value(isa: &dyn TargetIsa) -> Signature {
    let mut sig = Signature::new(isa.default_call_conv());
    sig.params.push(AbiParam::new(types::I64));
    sig.returns.push(AbiParam::new(types::I64));
    sig
}

/// Where native code starts.
#[derive(Clone, Debug)]
pub enum Entry {
    /// At the first instruction, with the argument slots of these kinds.
    Call(Vec<Kind>),
    /// On-stack replacement at a loop header (unit): every local slot (`None` = unbound)
    /// and every value-stack slot of the running interpreter frame, in that order.
    Loop {
        at: u32,
        locals: Vec<Option<Kind>>,
        stack: Vec<Kind>,
    },
}

/// Variables holding one value: one per CLIF value it needs (two for an unboxed int or
/// float, three for a range iterator).
type Vars = [Option<Variable>; 9];

struct Emitter<'a, 'b> {
    b: FunctionBuilder<'b>,
    locals: Vec<Vars>,
    stack: Vec<Vars>,
    exits: Vec<ExitSite>,
    buf_slots: usize,
    buf: Value,
    ctx: Value,
    ops: cranelift_codegen::ir::StackSlot,
    h: &'a HelperTable,
    sig_ops: SigRef,
    sig_value: SigRef,
    sig_backedge: SigRef,
    ptr: types::Type,
    pending_edges: Vec<(Block, TypeState, TypeState, Block)>,
    /// Operation helpers called so far (to classify each instruction's emission).
    helper_calls: u64,
    /// An operation the helper table has no helper for: the translation is refused.
    missing_helper: Option<Op>,
    /// Attribute sites with an inline cache so far (see [`Translation::attr_sites`]).
    attr_sites: u32,
    /// The exception table in the VM's lookup order, each entry with its handler's block
    /// and typed state (`None` if unreachable): where a raise is caught natively.
    catches: Vec<(ExceptionTableEntry, Option<(Block, TypeState)>)>,
    /// Unit of the instruction being emitted: what the frame reports while a helper
    /// called for it runs (see [`crate::frames`]).
    unit: u32,
    /// See [`Translation::spilled`].
    spilled: Vec<(u32, Vec<Option<Kind>>)>,
    /// Per value-stack slot: the local its unboxed value was loaded from in this block,
    /// while that local still holds it. Boxing such a value boxes the local's (once), so
    /// that every copy of a value computed here boxes to the same object.
    origin: Vec<Option<usize>>,
    /// Per local: whether it may own its box (the others' are NULL or borrowed).
    owners: Vec<bool>,
    /// Per local: whether a box was written back to it (what `owners` must say).
    written_back: Vec<bool>,
    /// Per value-stack slot: its box is known not to be owned (in this block).
    unowned_stack: Vec<bool>,
    /// The instruction being emitted is the function's last (a return, or what the
    /// return right after it returns): a box made for a copy of a local need not be
    /// written back to the local, unless another copy is boxed too.
    returning: bool,
    /// Returns give the frame their locals when the program holds its object (see
    /// [`Emitter::keep_frame_locals`]): in code that reads its frame or catches
    /// exceptions (a traceback's frame), the ways a program comes to hold it. Elsewhere
    /// the locals stay dead after their last use.
    keeps_frame_locals: bool,
    /// Per local: the group of locals known to hold the same unboxed value in this block
    /// (`y = x`); boxing one boxes them all, so `y is x` holds.
    group: Vec<usize>,
    next_group: usize,
}

fn var_index(k: Kind, part: usize) -> usize {
    match k {
        Kind::Int => [0, 7][part],
        Kind::Float => [1, 8][part],
        Kind::Bool => 2,
        Kind::Obj => 3,
        Kind::Range => 4 + part,
    }
}

impl Emitter<'_, '_> {
    /// The helper argument of an attribute site with an inline cache: the name index in
    /// the low half, the site number + 1 in the high half.
    fn attr_site(&mut self, name: u32) -> u64 {
        self.attr_sites += 1;
        u64::from(name) | (u64::from(self.attr_sites) << 32)
    }

    fn var(&mut self, local: bool, i: usize, k: Kind, part: usize) -> Variable {
        let table = if local {
            &mut self.locals
        } else {
            &mut self.stack
        };
        if table.len() <= i {
            table.resize(i + 1, [None; 9]);
        }
        let slot = &mut table[i][var_index(k, part)];
        if let Some(v) = *slot {
            return v;
        }
        let v = self.b.declare_var(clif_type(k, part));
        *slot = Some(v);
        v
    }
    fn get(&mut self, local: bool, i: usize, k: Kind) -> Value {
        let v = self.var(local, i, k, 0);
        self.b.use_var(v)
    }
    /// Sets a slot to value `v` of kind `k`; an unboxed value computed here has no box.
    fn set(&mut self, local: bool, i: usize, k: Kind, v: Value) {
        self.assigned(local, i, None);
        self.set_unowned(local, i, true);
        let var = self.var(local, i, k, 0);
        self.b.def_var(var, v);
        if matches!(k, Kind::Int | Kind::Float) {
            let none = self.b.ins().iconst(types::I64, 0);
            let var = self.var(local, i, k, 1);
            self.b.def_var(var, none);
        }
    }
    /// Slot `i` gets a new value, loaded from local `origin` if given (see
    /// [`Self::origin`]).
    fn assigned(&mut self, local: bool, i: usize, origin: Option<usize>) {
        if local {
            self.forget_origins(|o| o == i);
            if self.group.len() <= i {
                self.group.resize(i + 1, usize::MAX);
            }
            self.group[i] = match origin {
                Some(from) if from != i => self.group[from],
                Some(_) => self.group[i],
                None => {
                    self.next_group += 1;
                    self.next_group
                }
            };
        } else {
            if self.origin.len() <= i {
                self.origin.resize(i + 1, None);
                self.unowned_stack.resize(i + 1, false);
            }
            self.origin[i] = origin;
        }
    }
    /// Whether the box of a slot is known not to be owned (NULL or borrowed).
    fn unowned(&self, local: bool, i: usize) -> bool {
        if local {
            !self.owners.get(i).copied().unwrap_or(true)
        } else {
            self.unowned_stack.get(i).copied().unwrap_or(false)
        }
    }
    fn set_unowned(&mut self, local: bool, i: usize, unowned: bool) {
        if !local {
            if self.unowned_stack.len() <= i {
                self.unowned_stack.resize(i + 1, false);
            }
            self.unowned_stack[i] = unowned;
        }
    }
    fn forget_groups(&mut self) {
        for g in self.group.iter_mut() {
            self.next_group += 1;
            *g = self.next_group;
        }
    }
    fn forget_origins(&mut self, which: impl Fn(usize) -> bool) {
        for o in self.origin.iter_mut() {
            if o.is_some_and(&which) {
                *o = None;
            }
        }
    }
    /// Before stack slot `i` (kind `k`) without a box of its own is boxed: it takes the
    /// box of the local it was loaded from, boxing that local first if need be.
    fn share_origin_box(&mut self, i: usize, k: Kind) {
        let Some(j) = self.origin.get(i).copied().flatten() else {
            return;
        };
        let g = self.group.get(j).copied();
        let other_copy = self
            .origin
            .iter()
            .enumerate()
            .any(|(s, o)| s != i && o.is_some_and(|o| self.group.get(o).copied() == g));
        if self.returning && !other_copy {
            return;
        }
        self.written_back[j] = true;
        self.set_unowned(false, i, false);
        let slot_box = self.var(false, i, k, 1);
        let local_box = self.var(true, j, k, 1);
        let sb = self.b.use_var(slot_box);
        let fill = self.b.create_block();
        let alloc = self.b.create_block();
        let share = self.b.create_block();
        let done = self.b.create_block();
        self.b.append_block_param(share, types::I64);
        self.b.ins().brif(sb, done, &[], fill, &[]);
        self.b.switch_to_block(fill);
        let lb = self.b.use_var(local_box);
        self.b.ins().brif(lb, share, &[lb.into()], alloc, &[]);
        self.b.switch_to_block(alloc);
        let x = self.get(false, i, k);
        let o = if k == Kind::Int {
            self.call_value(self.h.box_int, x)
        } else {
            let bits = self.b.ins().bitcast(types::I64, MemFlagsData::new(), x);
            self.call_value(self.h.box_float, bits)
        };
        // The local owns the new box, and so does every local holding the same value.
        self.b.def_var(local_box, o);
        let g = self.group.get(j).copied();
        let aliases: Vec<usize> = (0..self.group.len())
            .filter(|&a| a != j && Some(self.group[a]) == g)
            .collect();
        for a in aliases {
            self.written_back[a] = true;
            let var = self.var(true, a, k, 1);
            self.b.def_var(var, o);
            self.incref(o);
        }
        self.b.ins().jump(share, &[o.into()]);
        self.b.switch_to_block(share);
        let p = self.b.block_params(share)[0];
        // ... and the slot a reference of its own.
        self.b.def_var(slot_box, p);
        let owned = self.owned_box(p);
        self.incref(owned);
        self.b.ins().jump(done, &[]);
        self.b.switch_to_block(done);
    }
    /// The reference part of a slot (an object, or a box), if its kind has one.
    fn owned(&mut self, local: bool, i: usize, k: Kind) -> Option<Value> {
        let part = k.owned_part()?;
        let var = self.var(local, i, k, part);
        Some(self.b.use_var(var))
    }
    /// The reference a slot owns (NULL allowed): its object, or its box if owned; `None`
    /// if it can own none (a borrowed box stays borrowed).
    fn owned_ref(&mut self, local: bool, i: usize, k: Kind) -> Option<Value> {
        match k {
            Kind::Obj => self.owned(local, i, k),
            Kind::Int | Kind::Float if !self.unowned(local, i) => {
                let b = self.owned(local, i, k)?;
                Some(self.owned_box(b))
            }
            Kind::Int | Kind::Float | Kind::Bool | Kind::Range => None,
        }
    }
    /// A copy of a slot's value is about to be made: the copy gets a reference of its own.
    fn copy_ref(&mut self, local: bool, i: usize, k: Kind) {
        if let Some(v) = self.owned_ref(local, i, k) {
            self.incref(v);
        }
    }
    /// Drops the reference a slot owns.
    fn drop_ref(&mut self, local: bool, i: usize, k: Kind) {
        if let Some(v) = self.owned_ref(local, i, k) {
            self.decref(v);
        }
    }
    /// `b` if it is an owned box, else NULL (no box, or a borrowed one).
    fn owned_box(&mut self, b: Value) -> Value {
        let tag = self.b.ins().band_imm_u(b, BORROWED_BOX as i64);
        let zero = self.b.ins().iconst(types::I64, 0);
        self.b.ins().select(tag, zero, b)
    }
    /// Copies every part of a value between slots.
    fn mov(&mut self, from: (bool, usize), to: (bool, usize), k: Kind) {
        let origin = match from {
            (true, i) => matches!(k, Kind::Int | Kind::Float).then_some(i),
            (false, i) => self.origin.get(i).copied().flatten(),
        };
        self.assigned(to.0, to.1, origin);
        let unowned = self.unowned(from.0, from.1);
        self.set_unowned(to.0, to.1, unowned);
        for part in 0..k.slots() {
            let a = self.var(from.0, from.1, k, part);
            let v = self.b.use_var(a);
            let b = self.var(to.0, to.1, k, part);
            self.b.def_var(b, v);
        }
    }
    fn call_value(&mut self, addr: usize, x: Value) -> Value {
        let f = self.b.ins().iconst(self.ptr, addr as i64);
        let call = self.b.ins().call_indirect(self.sig_value, f, &[x]);
        self.b.inst_results(call)[0]
    }
    /// Adds a reference to `x` (NULL allowed). Inline when the refcount layout was
    /// verified at start-up ([`HelperTable::inline_refcounts`]): immortal objects are left
    /// alone, others get an atomic increment of the count in the object's first word.
    fn incref(&mut self, x: Value) {
        if !self.h.inline_refcounts {
            self.call_value(self.h.incref, x);
            return;
        }
        let done = self.b.create_block();
        let live = self.b.create_block();
        let nonnull = self.b.create_block();
        self.b.ins().brif(x, nonnull, &[], done, &[]);
        self.b.switch_to_block(nonnull);
        let w = self.b.ins().load(types::I64, MemFlagsData::trusted(), x, 0);
        let imm = self
            .b
            .ins()
            .band_imm_u(w, crate::helpers::REFCOUNT_IMMORTAL as i64);
        self.b.ins().brif(imm, done, &[], live, &[]);
        self.b.switch_to_block(live);
        let one = self.b.ins().iconst(types::I64, 1);
        self.b.ins().atomic_rmw(
            types::I64,
            MemFlagsData::trusted(),
            cranelift_codegen::ir::AtomicRmwOp::Add,
            x,
            one,
        );
        self.b.ins().jump(done, &[]);
        self.b.switch_to_block(done);
    }
    /// Drops a reference to `x` (NULL allowed). Inline while the count stays above one
    /// (a compare-and-swap); the last reference, or a lost race, goes to the helper,
    /// which runs the VM's own deallocation.
    fn decref(&mut self, x: Value) {
        if !self.h.inline_refcounts {
            self.call_value(self.h.decref, x);
            return;
        }
        let done = self.b.create_block();
        let nonnull = self.b.create_block();
        let mortal = self.b.create_block();
        let many = self.b.create_block();
        let slow = self.b.create_block();
        self.b.set_cold_block(slow);
        self.b.ins().brif(x, nonnull, &[], done, &[]);
        self.b.switch_to_block(nonnull);
        let w = self.b.ins().load(types::I64, MemFlagsData::trusted(), x, 0);
        let imm = self
            .b
            .ins()
            .band_imm_u(w, crate::helpers::REFCOUNT_IMMORTAL as i64);
        self.b.ins().brif(imm, done, &[], mortal, &[]);
        self.b.switch_to_block(mortal);
        let count = self
            .b
            .ins()
            .band_imm_u(w, crate::helpers::REFCOUNT_STRONG as i64);
        let last = self
            .b
            .ins()
            .icmp_imm_s(IntCC::UnsignedLessThanOrEqual, count, 1);
        self.b.ins().brif(last, slow, &[], many, &[]);
        self.b.switch_to_block(many);
        let w1 = self.b.ins().iadd_imm_s(w, -1);
        let old = self.b.ins().atomic_cas(MemFlagsData::trusted(), x, w, w1);
        let raced = self.b.ins().icmp(IntCC::NotEqual, old, w);
        self.b.ins().brif(raced, slow, &[], done, &[]);
        self.b.switch_to_block(slow);
        self.call_value(self.h.decref, x);
        self.b.ins().jump(done, &[]);
        self.b.switch_to_block(done);
    }
    /// Takes the value of a slot as an owned object reference, consuming the slot: an
    /// object as it is, an unboxed value as its box (an owned box handed over, a
    /// borrowed one with a new reference) or, without one, a new box. Also returns the
    /// reference created here (NULL if the slot's own was handed over): what must be
    /// dropped if the slot is kept after all (an exit before the consumer ran).
    fn take_boxed(&mut self, local: bool, i: usize, k: Kind) -> (Value, Value) {
        let x = self.get(local, i, k);
        match k {
            Kind::Obj => {
                let none = self.b.ins().iconst(types::I64, 0);
                (x, none)
            }
            Kind::Bool => {
                let o = self.call_value(self.h.box_bool, x);
                (o, o)
            }
            Kind::Int | Kind::Float => {
                if !local {
                    self.share_origin_box(i, k);
                }
                let b = self.owned(local, i, k).unwrap();
                let have = self.b.create_block();
                let make = self.b.create_block();
                let done = self.b.create_block();
                self.b.append_block_param(done, types::I64);
                self.b.append_block_param(done, types::I64);
                self.b.ins().brif(b, have, &[], make, &[]);
                self.b.switch_to_block(make);
                let o = if k == Kind::Int {
                    self.call_value(self.h.box_int, x)
                } else {
                    let bits = self.b.ins().bitcast(types::I64, MemFlagsData::new(), x);
                    self.call_value(self.h.box_float, bits)
                };
                self.b.ins().jump(done, &[o.into(), o.into()]);
                self.b.switch_to_block(have);
                let tag = self.b.ins().band_imm_u(b, BORROWED_BOX as i64);
                let borrowed = self.b.create_block();
                let none = self.b.ins().iconst(types::I64, 0);
                self.b
                    .ins()
                    .brif(tag, borrowed, &[], done, &[b.into(), none.into()]);
                self.b.switch_to_block(borrowed);
                let p = self.b.ins().bxor_imm_u(b, BORROWED_BOX as i64);
                self.incref(p);
                self.b.ins().jump(done, &[p.into(), p.into()]);
                self.b.switch_to_block(done);
                let params = self.b.block_params(done);
                (params[0], params[1])
            }
            Kind::Range => unreachable!("range iterators are never boxed in native code"),
        }
    }
    fn store_op(&mut self, i: usize, v: Value) {
        self.b
            .ins()
            .stack_store(self.ptr, v, self.ops, (i * 8) as i32);
    }
    fn load_op(&mut self, i: usize) -> Value {
        self.b
            .ins()
            .stack_load(self.ptr, types::I64, self.ops, (i * 8) as i32)
    }
    /// Writes the current instruction's position into the frame native code runs in
    /// (`lasti = base + unit + 1`): a helper may run Python code that reads the frame's
    /// line.
    fn report_position(&mut self) {
        let flags = MemFlagsData::trusted();
        let cell = self.b.ins().load(
            self.ptr,
            flags,
            self.ctx,
            crate::helpers::NativeCtx::POSITION_LASTI as i32,
        );
        // The base is the activation's: one translation runs in frames whose code holds
        // the function's units at different places (a stub's, a counted function's).
        let base = self.b.ins().load(
            types::I32,
            flags,
            self.ctx,
            crate::helpers::NativeCtx::POSITION_BASE as i32,
        );
        let lasti = self.b.ins().iadd_imm_s(base, i64::from(self.unit + 1));
        self.b.ins().store(flags, lasti, cell, 0);
        let mirror = self.b.ins().load(
            self.ptr,
            flags,
            self.ctx,
            crate::helpers::NativeCtx::POSITION_MIRROR as i32,
        );
        self.b.ins().store(flags, lasti, mirror, 0);
    }

    /// Calls an operation helper on the ops array; returns its status.
    fn call_op(&mut self, op: Op, arg: u64) -> Value {
        self.helper_calls += 1;
        self.report_position();
        let addr = self.h.op(op).unwrap_or_else(|| {
            self.missing_helper.get_or_insert(op);
            0
        });
        let f = self.b.ins().iconst(self.ptr, addr as i64);
        let ops = self.b.ins().stack_addr(self.ptr, self.ops, 0);
        let a = self.b.ins().iconst(types::I64, arg as i64);
        let call = self
            .b
            .ins()
            .call_indirect(self.sig_ops, f, &[self.ctx, ops, a]);
        self.b.inst_results(call)[0]
    }

    /// Stores the locals of state `st` into the exit buffer, where an exit at `at` would
    /// put them, before a call: Python code it runs may read the frame's `f_locals`
    /// (borrowed references: native code keeps its own for the call).
    fn spill_locals(&mut self, st: &TypeState, at: &Insn) {
        let slots = self.store_locals(st);
        self.buf_slots = self.buf_slots.max(slots as usize);
        if !self.spilled.iter().any(|(u, _)| *u == at.at) {
            self.spilled.push((at.at, st.locals.clone()));
        }
    }

    /// Stores the locals of state `st` into the exit buffer from slot 0 (an unbound local
    /// keeps its slot, unwritten); returns the next free slot. The exit layout.
    fn store_locals(&mut self, st: &TypeState) -> i32 {
        let flags = MemFlagsData::trusted();
        let buf = self.buf;
        let mut slot = 0i32;
        for (i, k) in st.locals.iter().enumerate() {
            match k {
                Some(k) => {
                    for part in 0..k.slots() {
                        let v = self.var(true, i, *k, part);
                        let v = self.b.use_var(v);
                        self.b.ins().store(flags, v, buf, slot * 8);
                        slot += 1;
                    }
                }
                None => slot += 1,
            }
        }
        slot
    }

    /// Saves the frame state `st` into the exit buffer and returns `site`. `temps` are
    /// references created for this instruction only (boxed operands) that the exit drops.
    fn emit_exit(
        &mut self,
        st: &TypeState,
        at: &Insn,
        reason: &'static str,
        kind: ExitKind,
        temps: &[Value],
    ) {
        if kind == ExitKind::Raise {
            if let Some((h, block, to)) = self.handler_for(st, at) {
                self.catch(st, at, temps, reason, &h, block, &to);
                return;
            }
        }
        for t in temps {
            self.decref(*t);
        }
        let site = self.exits.len();
        self.exits.push(ExitSite {
            resume_at: at.start,
            locals: st.locals.clone(),
            stack: st.stack.clone(),
            reason,
            kind,
        });
        let flags = MemFlagsData::trusted();
        let mut slot = self.store_locals(st);
        let buf = self.buf;
        for (i, k) in st.stack.iter().enumerate() {
            for part in 0..k.slots() {
                let v = self.var(false, i, *k, part);
                let v = self.b.use_var(v);
                self.b.ins().store(flags, v, buf, slot * 8);
                slot += 1;
            }
        }
        self.buf_slots = self.buf_slots.max(slot as usize);
        let code = self.b.ins().iconst(types::I64, site as i64);
        self.b.ins().return_(&[code]);
    }

    /// The handler the VM would find for an exception raised at `at` with state `st`,
    /// with its block and typed state, if native code can go there: typing joined the
    /// raise's state into the handler's unless their kinds could not meet (then the
    /// interpreter takes the exception).
    fn handler_for(
        &self,
        st: &TypeState,
        at: &Insn,
    ) -> Option<(ExceptionTableEntry, Block, TypeState)> {
        let (h, handler) = self
            .catches
            .iter()
            .find(|(h, _)| h.start <= at.at && at.at < h.end)?;
        let (block, to) = handler.as_ref()?;
        let from = caught_state(st, h).ok()?;
        (from.join(to).as_ref() == Some(to)).then(|| (*h, *block, to.clone()))
    }

    /// Catches the exception a helper just raised at `at` (state `st`) in handler `h`:
    /// what the interpreter does on a raise ([`Op::Catch`]: the traceback entry and
    /// context), then the unwinding. If that cannot be done natively, exits instead and
    /// the interpreter raises it.
    #[allow(clippy::too_many_arguments)]
    fn catch(
        &mut self,
        st: &TypeState,
        at: &Insn,
        temps: &[Value],
        reason: &'static str,
        h: &ExceptionTableEntry,
        block: Block,
        to: &TypeState,
    ) {
        let new_raise = matches!(at.op, Instruction::RaiseVarargs { .. });
        let status = self.call_op(Op::Catch, u64::from(at.at) | (u64::from(new_raise) << 32));
        let caught = self.b.create_block();
        let not_caught = self.b.create_block();
        self.b.set_cold_block(not_caught);
        self.b.ins().brif(status, not_caught, &[], caught, &[]);
        self.b.switch_to_block(not_caught);
        self.catches_off(|e| e.emit_exit(st, at, reason, ExitKind::Raise, temps));
        self.b.switch_to_block(caught);
        for t in temps {
            self.decref(*t);
        }
        let exc = self.load_op(0);
        self.throw(st, st.stack.len(), exc, at, h, block, to);
    }

    /// Runs `f` with native catching off (an exit that must reach the interpreter).
    fn catches_off(&mut self, f: impl FnOnce(&mut Self)) {
        let saved = std::mem::take(&mut self.catches);
        f(self);
        self.catches = saved;
    }

    /// Unwinds to handler `h` with exception `exc` (an owned reference, not on the
    /// stack) raised at `at`: drops the stack values `h.depth..live` of state `st`,
    /// pushes the offset (if `h` asks) and the exception, and jumps to the handler.
    #[allow(clippy::too_many_arguments)]
    fn throw(
        &mut self,
        st: &TypeState,
        live: usize,
        exc: Value,
        at: &Insn,
        h: &ExceptionTableEntry,
        block: Block,
        to: &TypeState,
    ) {
        let depth = usize::from(h.depth);
        self.drop_stack(st, depth..live);
        let mut from = TypeState {
            locals: st.locals.clone(),
            stack: st.stack[..depth].to_vec(),
        };
        if h.push_lasti {
            let lasti = self.b.ins().iconst(types::I64, i64::from(at.at));
            self.set(false, from.stack.len(), Kind::Int, lasti);
            from.stack.push(Kind::Int);
        }
        self.set(false, from.stack.len(), Kind::Obj, exc);
        from.stack.push(Kind::Obj);
        self.convert(&from, to);
        self.b.ins().jump(block, &[]);
    }

    /// The interpreter frame native code runs in (null for a function called natively).
    fn running_frame(&mut self) -> Value {
        self.b.ins().load(
            self.ptr,
            MemFlagsData::trusted(),
            self.ctx,
            crate::helpers::NativeCtx::POSITION_FRAME as i32,
        )
    }

    /// Before a return in an interpreter frame of its own: the frame keeps the locals the
    /// function returned with when the program holds its object (a helper checks), as the
    /// interpreter's frame does. Functions called natively skip it (one load).
    fn keep_frame_locals(&mut self, st: &TypeState, at: &Insn) {
        let frame = self.running_frame();
        let keep = self.b.create_block();
        let cont = self.b.create_block();
        self.b.set_cold_block(keep);
        self.b.ins().brif(frame, keep, &[], cont, &[]);
        self.b.switch_to_block(keep);
        self.spill_locals(st, at);
        self.call_op(Op::KeepFrameLocals, u64::from(at.at));
        self.b.ins().jump(cont, &[]);
        self.b.switch_to_block(cont);
    }

    /// Exits when native code runs without an interpreter frame of its own (a function
    /// called natively): what comes next reads the running frame, and only a real frame
    /// follows native code's position.
    fn exit_without_frame(&mut self, st: &TypeState, at: &Insn) {
        let frame = self.running_frame();
        let frameless = self.b.ins().icmp_imm_u(IntCC::Equal, frame, 0);
        self.exit_if(
            frameless,
            st,
            at,
            "frame introspection without a frame",
            ExitKind::Guard,
            &[],
        );
    }

    /// Exits when `cond` holds (non-zero); continues in a new block otherwise.
    fn exit_if(
        &mut self,
        cond: Value,
        st: &TypeState,
        at: &Insn,
        reason: &'static str,
        kind: ExitKind,
        temps: &[Value],
    ) {
        let exit = self.b.create_block();
        let cont = self.b.create_block();
        self.b.set_cold_block(exit);
        self.b.ins().brif(cond, exit, &[], cont, &[]);
        self.b.switch_to_block(exit);
        self.emit_exit(st, at, reason, kind, temps);
        self.b.switch_to_block(cont);
    }

    /// Calls helper `op` and exits with its exception when it fails; returns the status.
    fn call_op_checked(
        &mut self,
        op: Op,
        arg: u64,
        st: &TypeState,
        at: &Insn,
        temps: &[Value],
    ) -> Value {
        let status = self.call_op(op, arg);
        let failed = self.b.ins().icmp_imm_s(IntCC::SignedLessThan, status, 0);
        self.exit_if(
            failed,
            st,
            at,
            "an exception was raised",
            ExitKind::Raise,
            temps,
        );
        status
    }

    /// Calls helper `op` for an instruction whose helper may answer "the interpreter runs
    /// this" (status 1, nothing changed: an error whose message needs the interpreter's
    /// private state, a case the helper does not handle): native code then exits before
    /// the instruction. Exits with the exception when the helper raises.
    fn call_op_or_interpret(
        &mut self,
        op: Op,
        arg: u64,
        st: &TypeState,
        at: &Insn,
        temps: &[Value],
        reason: &'static str,
    ) {
        let status = self.call_op_checked(op, arg, st, at, temps);
        self.exit_if(status, st, at, reason, ExitKind::Guard, temps);
    }

    /// Puts the top `n` stack values (bottom first) into ops[0..n] as object references.
    /// Returns the references boxed for the call (dropped again if it fails).
    fn operands(&mut self, st: &TypeState, n: usize) -> Vec<Value> {
        let d = st.stack.len();
        let mut temps = Vec::new();
        for i in 0..n {
            self.operand_at(st, d - n + i, i, &mut temps);
        }
        temps
    }

    /// Puts stack slot `slot` into ops[`op`] as an object reference the helper takes over
    /// (see [`Self::take_boxed`]); the reference made for it goes to `temps`.
    fn operand_at(&mut self, st: &TypeState, slot: usize, op: usize, temps: &mut Vec<Value>) {
        let k = st.stack[slot];
        let (o, made) = self.take_boxed(false, slot, k);
        if k != Kind::Obj {
            temps.push(made);
        }
        self.store_op(op, o);
    }

    /// The common shape of an operation on the top `n` stack values done by helper `op`:
    /// its object result replaces them (an exception exits at the instruction).
    fn op_to_obj(&mut self, st: &TypeState, at: &Insn, op: Op, arg: u64, n: usize) {
        let temps = self.operands(st, n);
        self.call_op_checked(op, arg, st, at, &temps);
        let r = self.load_op(0);
        self.set(false, st.stack.len() - n, Kind::Obj, r);
    }

    /// Drops the owned references of the given stack slots (after the instruction
    /// consumed them without a helper).
    fn drop_stack(&mut self, st: &TypeState, range: std::ops::Range<usize>) {
        for i in range {
            self.drop_ref(false, i, st.stack[i]);
        }
    }

    /// Conversions on an edge from state `from` into a block typed `to`: boxes values
    /// whose kind was generalized there, NULLs locals bound on this path only.
    fn convert(&mut self, from: &TypeState, to: &TypeState) {
        for i in 0..from.locals.len() {
            match (from.locals[i], to.locals[i]) {
                (Some(a), Some(b)) if a != b => {
                    let (o, _) = self.take_boxed(true, i, a);
                    self.set(true, i, b, o);
                }
                (None, Some(b)) => {
                    let z = self.b.ins().iconst(types::I64, 0);
                    self.set(true, i, b, z);
                }
                (Some(Kind::Obj), None) => {
                    // Unbound on the other path: only possible if NULL here too.
                }
                _ => {}
            }
        }
        for i in 0..from.stack.len() {
            let (a, b) = (from.stack[i], to.stack[i]);
            if a != b {
                let (o, _) = self.take_boxed(false, i, a);
                self.set(false, i, b, o);
            }
        }
    }

    /// The block to branch to for an edge into `target` (typed `to`): `target` itself, or
    /// a new block doing the conversions first.
    fn edge(&mut self, from: &TypeState, to: &TypeState, target: Block) -> Block {
        if from == to {
            return target;
        }
        let blk = self.b.create_block();
        self.pending_edges
            .push((blk, from.clone(), to.clone(), target));
        blk
    }

    /// Emits the conversion blocks [`Self::edge`] created, once the current block is
    /// terminated (their only predecessor is the block that branched to them).
    fn flush_edges(&mut self) {
        for (blk, from, to, target) in std::mem::take(&mut self.pending_edges) {
            self.b.switch_to_block(blk);
            self.convert(&from, &to);
            self.b.ins().jump(target, &[]);
        }
    }
}

/// Translates `code` for `entry`. `h` gives the addresses of helpers and objects the
/// code embeds.
pub fn translate(
    code: &Py<PyCode>,
    analysis: &Analysis,
    p: &Profile,
    entry: &Entry,
    isa: &dyn TargetIsa,
    h: &HelperTable,
) -> Result<Translation, Refusal> {
    if let Some(reason) = unsupported_shape(code) {
        return refuse(reason);
    }
    let nslots = code.code.localspluskinds.len();
    let (start, entry_state, arg_kinds) = match entry {
        Entry::Call(args) => {
            if args.len() != arg_slots(code) {
                return refuse("argument count mismatch");
            }
            let mut locals = vec![None; nslots];
            for (i, k) in args.iter().enumerate() {
                locals[i] = Some(*k);
            }
            (
                0,
                TypeState {
                    locals,
                    stack: vec![],
                },
                args.clone(),
            )
        }
        Entry::Loop { at, locals, stack } => {
            let k = analysis
                .index_of(*at)
                .ok_or_else(|| Refusal("loop entry is not an instruction".into()))?;
            let mut kinds: Vec<Kind> = locals.iter().map(|k| k.unwrap_or(Kind::Obj)).collect();
            kinds.extend(stack.iter().copied());
            (
                k,
                TypeState {
                    locals: locals.clone(),
                    stack: stack.clone(),
                },
                kinds,
            )
        }
    };
    if analysis.insns.is_empty() {
        return refuse("empty code");
    }
    let states = infer(code, analysis, p, start, entry_state.clone())?;
    if crate::options::debug_knobs().dump_types {
        for (k, insn) in analysis.insns.iter().enumerate() {
            eprintln!(
                "{:4} {:?} q={:?} {:?}",
                insn.at,
                insn.op,
                p.quick.get(k),
                states[k]
            );
        }
    }
    // Only locals that a copy's boxing writes a box back to can own one (see
    // `Emitter::origin`); elsewhere boxes are NULL or borrowed, and copies and drops of
    // unboxed values cost nothing. Which locals those are is known once emitted: emitted
    // again if there are any.
    let none = vec![false; nslots];
    let (t, owners) = emit(
        code,
        analysis,
        p,
        entry,
        isa,
        h,
        start,
        &entry_state,
        &arg_kinds,
        &states,
        &none,
    )?;
    if !owners.contains(&true) {
        return Ok(t);
    }
    let (t, again) = emit(
        code,
        analysis,
        p,
        entry,
        isa,
        h,
        start,
        &entry_state,
        &arg_kinds,
        &states,
        &owners,
    )?;
    debug_assert_eq!(again, owners);
    Ok(t)
}

/// Emits the CLIF of `code` typed `states`, given the locals that may own a box; returns
/// it and the locals that do.
#[allow(clippy::too_many_arguments)]
fn emit(
    code: &Py<PyCode>,
    analysis: &Analysis,
    p: &Profile,
    entry: &Entry,
    isa: &dyn TargetIsa,
    h: &HelperTable,
    start: usize,
    entry_state: &TypeState,
    arg_kinds: &[Kind],
    states: &[Option<TypeState>],
    owners: &[bool],
) -> Result<(Translation, Vec<bool>), Refusal> {
    let nslots = code.code.localspluskinds.len();
    let leaders = leaders(analysis);

    let ptr = isa.pointer_type();
    let mut func = Function::with_name_signature(UserFuncName::user(0, 0), native_signature(isa));
    let mut fctx = FunctionBuilderContext::new();
    let mut b = FunctionBuilder::new(&mut func, &mut fctx);
    let max_stack = analysis.depth.iter().flatten().copied().max().unwrap_or(0) as usize + 4;
    let ops = b.create_sized_stack_slot(StackSlotData::new(
        StackSlotKind::ExplicitSlot,
        ((max_stack + 8) * 8) as u32,
        3,
    ));
    let sig_ops_ref = b.import_signature(sig_ops(isa));
    let sig_value_ref = b.import_signature(sig_value(isa));
    let sig_backedge_ref = b.import_signature(sig_backedge(isa));

    let entry_block = b.create_block();
    b.append_block_params_for_function_params(entry_block);
    let blocks: Vec<Option<Block>> = (0..analysis.insns.len())
        .map(|k| ((leaders[k] || k == start) && states[k].is_some()).then(|| b.create_block()))
        .collect();
    b.switch_to_block(entry_block);
    let args_ptr = b.block_params(entry_block)[0];
    let buf = b.block_params(entry_block)[1];
    let ctx = b.block_params(entry_block)[2];

    let mut e = Emitter {
        b,
        locals: vec![[None; 9]; nslots],
        stack: vec![[None; 9]; max_stack],
        exits: Vec::new(),
        buf_slots: 1,
        buf,
        ctx,
        ops,
        h,
        sig_ops: sig_ops_ref,
        sig_value: sig_value_ref,
        sig_backedge: sig_backedge_ref,
        ptr,
        pending_edges: Vec::new(),
        helper_calls: 0,
        missing_helper: None,
        attr_sites: 0,
        catches: analysis
            .exception_table
            .iter()
            .map(|h| {
                let handler = analysis
                    .index_of(h.target)
                    .and_then(|t| blocks[t].zip(states[t].clone()));
                (*h, handler)
            })
            .collect(),
        unit: 0,
        spilled: Vec::new(),
        origin: vec![None; max_stack],
        owners: owners.to_vec(),
        written_back: vec![false; nslots],
        unowned_stack: vec![false; max_stack],
        returning: false,
        keeps_frame_locals: reads_frames(code, analysis) || !analysis.exception_table.is_empty(),
        group: (0..nslots).collect(),
        next_group: nslots,
    };

    // Entry: load the arguments (or the interpreter frame's values) into variables.
    let flags = MemFlagsData::trusted();
    let mut slot = 0usize;
    let load = |e: &mut Emitter, slot: &mut usize, local: bool, i: usize, k: Kind| {
        for part in 0..k.slots() {
            let raw =
                e.b.ins()
                    .load(types::I64, flags, args_ptr, (*slot * 8) as i32);
            *slot += 1;
            let v = match (k, part) {
                (Kind::Float, 0) => e.b.ins().bitcast(types::F64, MemFlagsData::new(), raw),
                _ => raw,
            };
            let var = e.var(local, i, k, part);
            e.b.def_var(var, v);
        }
    };
    match entry {
        Entry::Call(args) => {
            for (i, k) in args.iter().enumerate() {
                load(&mut e, &mut slot, true, i, *k);
            }
        }
        Entry::Loop { locals, stack, .. } => {
            for (i, k) in locals.iter().enumerate() {
                match k {
                    Some(k) => load(&mut e, &mut slot, true, i, *k),
                    None => slot += 1,
                }
            }
            for (i, k) in stack.iter().enumerate() {
                load(&mut e, &mut slot, false, i, *k);
            }
        }
    }
    // The entry state may be more specific than the typed state at the first block (a
    // loop header joins it with its back-edges): convert on the way in.
    let first = blocks[start].expect("entry block");
    let typed = states[start].clone().expect("entry state");
    e.convert(&entry_state, &typed);
    e.b.ins().jump(first, &[]);

    let loop_weight = loop_weights(analysis);
    let (mut inline_work, mut helper_work, mut in_place_work) = (0u64, 0u64, 0u64);
    let mut terminated = true;
    for (k, insn) in analysis.insns.iter().enumerate() {
        let Some(st) = states[k].clone() else {
            continue;
        };
        if let Some(blk) = blocks[k] {
            if !terminated {
                e.b.ins().jump(blk, &[]);
            }
            e.b.switch_to_block(blk);
            e.forget_origins(|_| true);
            e.unowned_stack.iter_mut().for_each(|u| *u = false);
            e.forget_groups();
        } else if terminated {
            continue;
        }
        let mut after = st.clone();
        let flow = step(code, analysis, p, k, &mut after)?;
        if let Flow::SideExit(reason) = flow {
            e.emit_exit(&st, insn, reason, ExitKind::Unsupported, &[]);
            terminated = true;
            continue;
        }
        let helpers_before = e.helper_calls;
        e.unit = insn.at;
        e.returning = matches!(insn.op, Instruction::ReturnValue)
            || analysis
                .insns
                .get(k + 1)
                .is_some_and(|n| matches!(n.op, Instruction::ReturnValue) && !leaders[k + 1]);
        terminated = emit_insn(
            &mut e, code, analysis, p, &states, &blocks, k, &st, &after, &flow,
        )?;
        let w = loop_weight[k];
        if p.quick.get(k).is_some_and(done_in_place) && e.helper_calls > helpers_before {
            in_place_work += w;
        }
        if e.helper_calls > helpers_before {
            helper_work += w;
        } else if is_work(insn.op) {
            inline_work += w;
        }
        if terminated {
            e.flush_edges();
        }
        // Fall through into the next instruction, converting kinds where its typed state
        // is more general than what this one produced (the fixed point joins every visit,
        // so even a single-predecessor instruction can be typed more generally).
        if !terminated {
            if let Some(to) = states.get(k + 1).cloned().flatten() {
                e.convert(&after, &to);
            }
            if let Some(next) = blocks.get(k + 1).copied().flatten() {
                e.b.ins().jump(next, &[]);
                terminated = true;
            }
        }
    }
    if !terminated {
        return refuse("code runs off its end");
    }
    if let Some(op) = e.missing_helper {
        return Err(Refusal(format!("no helper for {op:?} in the helper table")));
    }
    let Emitter {
        mut b,
        exits,
        buf_slots,
        attr_sites,
        spilled,
        written_back,
        ..
    } = e;
    b.seal_all_blocks();
    b.finalize(isa.frontend_config());
    Ok((
        Translation {
            func,
            exits,
            args: arg_kinds.to_vec(),
            buf_slots: buf_slots.max(1),
            inline_work,
            helper_work,
            in_place_work,
            attr_sites: attr_sites as usize,
            spilled,
        },
        written_back,
    ))
}

/// Emits one instruction; returns whether it ended its block.
#[allow(clippy::too_many_arguments)]
fn emit_insn(
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
    use Instruction as I;
    use Kind::*;
    let insn = &a.insns[k];
    let arg = insn.arg;
    let d = st.stack.len();
    let block_of = |t: u32| -> Result<(Block, TypeState), Refusal> {
        let i = a.index_of(t).ok_or_else(|| Refusal("bad jump".into()))?;
        match (blocks[i], &states[i]) {
            (Some(b), Some(s)) => Ok((b, s.clone())),
            _ => refuse("jump target is not a block"),
        }
    };
    // Pushes `v` of kind `k` at stack slot `i`.
    macro_rules! push {
        ($i:expr, $k:expr, $v:expr) => {{
            let v = $v;
            e.set(false, $i, $k, v);
        }};
    }
    match insn.op {
        I::Resume { .. } | I::Nop | I::NotTaken | I::Cache => {}
        I::LoadFast { .. } | I::LoadFastBorrow { .. } | I::LoadFastCheck { .. } => {
            let i = arg as usize;
            let kind = st.locals[i].unwrap();
            if kind == Obj && matches!(insn.op, I::LoadFastCheck { .. }) {
                let v = e.get(true, i, Obj);
                let unbound = e.b.ins().icmp_imm_s(IntCC::Equal, v, 0);
                e.exit_if(unbound, st, insn, "an unbound local", ExitKind::Guard, &[]);
            }
            e.copy_ref(true, i, kind);
            e.mov((true, i), (false, d), kind);
        }
        I::LoadFastLoadFast { .. } | I::LoadFastBorrowLoadFastBorrow { .. } => {
            for (n, i) in [(0, arg >> 4), (1, arg & 15)] {
                let i = i as usize;
                let kind = st.locals[i].unwrap();
                e.copy_ref(true, i, kind);
                e.mov((true, i), (false, d + n), kind);
            }
        }
        I::LoadFastAndClear { .. } => {
            let i = arg as usize;
            match st.locals[i] {
                Some(kind) => e.mov((true, i), (false, d), kind),
                None => push!(d, Obj, e.b.ins().iconst(types::I64, 0)),
            }
            // The local is cleared: the value moved to the stack.
            e.forget_origins(|o| o == i);
        }
        I::StoreFast { .. } => store_local(e, st, arg as usize, d - 1),
        I::StoreFastStoreFast { .. } => {
            store_local(e, st, (arg >> 4) as usize, d - 1);
            let mut st2 = st.clone();
            st2.locals[(arg >> 4) as usize] = Some(st.stack[d - 1]);
            st2.stack.pop();
            store_local(e, &st2, (arg & 15) as usize, d - 2);
        }
        I::StoreFastLoadFast { .. } => {
            let (s, l) = ((arg >> 4) as usize, (arg & 15) as usize);
            store_local(e, st, s, d - 1);
            let kind = after.locals[l].unwrap();
            e.copy_ref(true, l, kind);
            e.mov((true, l), (false, d - 1), kind);
        }
        I::DeleteFast { .. } => {
            let i = arg as usize;
            if st.locals[i] == Some(Obj) {
                let v = e.get(true, i, Obj);
                let unbound = e.b.ins().icmp_imm_s(IntCC::Equal, v, 0);
                e.exit_if(unbound, st, insn, "an unbound local", ExitKind::Guard, &[]);
            }
            if let Some(k) = st.locals[i] {
                e.drop_ref(true, i, k);
            }
            e.forget_origins(|o| o == i);
        }
        I::MakeCell { .. } => {
            // The slot's value (or NULL) moves into a new cell, which takes the slot.
            let i = arg as usize;
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
        }
        I::CopyFreeVars { .. } => {
            let n = st.locals.len();
            let first = n - (arg as usize).min(n);
            for (j, slot) in (first..n).enumerate() {
                if st.locals[slot] == Some(Obj) {
                    let old = e.get(true, slot, Obj);
                    e.decref(old);
                }
                e.call_op_checked(Op::FreeVar, j as u64, st, insn, &[]);
                let cell = e.load_op(0);
                e.set(true, slot, Obj, cell);
            }
        }
        I::LoadDeref { .. } => {
            let cell = e.get(true, arg as usize, Obj);
            e.store_op(0, cell);
            e.call_op_or_interpret(Op::LoadDeref, 0, st, insn, &[], "an empty cell");
            push!(d, Obj, e.load_op(1));
        }
        I::DeleteDeref { .. } => {
            let cell = e.get(true, arg as usize, Obj);
            e.store_op(0, cell);
            e.call_op_checked(Op::DeleteDeref, 0, st, insn, &[]);
        }
        I::StoreDeref { .. } => {
            let cell = e.get(true, arg as usize, Obj);
            e.store_op(0, cell);
            let mut temps = Vec::new();
            e.operand_at(st, d - 1, 1, &mut temps);
            e.call_op_checked(Op::StoreDeref, 0, st, insn, &temps);
        }
        I::LoadSmallInt { .. } => push!(d, Int, e.b.ins().iconst(types::I64, i64::from(arg))),
        I::LoadConst { .. } => {
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
            push!(d, kind, v);
            if matches!(kind, Int | Float) {
                // Boxed again, the value is the constant itself.
                let b = e.b.ins().iconst(types::I64, addr | BORROWED_BOX as i64);
                let var = e.var(false, d, kind, 1);
                e.b.def_var(var, b);
            }
        }
        I::LoadGlobal { .. } => {
            e.call_op_checked(Op::LoadGlobal, u64::from(arg >> 1), st, insn, &[]);
            push!(d, Obj, e.load_op(0));
            if arg & 1 != 0 {
                push!(d + 1, Obj, e.b.ins().iconst(types::I64, 0));
            }
        }
        I::LoadAttr { .. } => {
            if inspects_frames(name_of(code, arg >> 1), FRAME_ATTRS) {
                e.exit_without_frame(st, insn);
            }
            let temps = e.operands(st, 1);
            if arg & 1 != 0 {
                e.call_op_checked(Op::LoadMethod, u64::from(arg >> 1), st, insn, &temps);
                push!(d - 1, Obj, e.load_op(0));
                push!(d, Obj, e.load_op(1));
            } else {
                let site = e.attr_site(arg >> 1);
                e.call_op_checked(Op::LoadAttr, site, st, insn, &temps);
                push!(d - 1, Obj, e.load_op(0));
            }
        }
        I::StoreAttr { .. } => {
            let temps = e.operands(st, 2);
            let site = e.attr_site(arg);
            e.call_op_checked(Op::StoreAttr, site, st, insn, &temps);
        }
        I::PushNull => push!(d, Obj, e.b.ins().iconst(types::I64, 0)),
        I::PopTop => e.drop_stack(st, d - 1..d),
        I::Copy { .. } => {
            let i = d - arg as usize;
            let kind = st.stack[i];
            e.copy_ref(false, i, kind);
            e.mov((false, i), (false, d), kind);
        }
        I::Swap { .. } => {
            let (x, y) = (d - 1, d - arg as usize);
            let (kx, ky) = (st.stack[x], st.stack[y]);
            // Through a scratch slot past the top.
            e.mov((false, x), (false, d), kx);
            e.mov((false, y), (false, x), ky);
            e.mov((false, d), (false, y), kx);
        }
        I::BinaryOp { .. } => {
            let (ka, kb) = (st.stack[d - 2], st.stack[d - 1]);
            match binary_kind(p, k, arg, ka, kb) {
                Some(kind) => {
                    // Object operands the profile says are ints/floats: unboxed behind
                    // a type guard, released once every guard has passed.
                    let want = if kind == Float { Float } else { Int };
                    let (x, ka2) = unboxed_operand(e, st, insn, d - 2, want);
                    let (y, kb2) = unboxed_operand(e, st, insn, d - 1, want);
                    let v = emit_arith(e, arith(arg).unwrap(), ka2, kb2, x, y, st, insn);
                    e.drop_stack(st, d - 2..d);
                    push!(d - 2, kind, v);
                }
                None => {
                    e.op_to_obj(st, insn, Op::BinaryOp, u64::from(arg), 2);
                }
            }
        }
        I::BinarySlice => {
            e.op_to_obj(st, insn, Op::BinarySlice, 0, 3);
        }
        I::StoreSlice => {
            let temps = e.operands(st, 4);
            e.call_op_checked(Op::StoreSlice, 0, st, insn, &temps);
        }
        I::StoreSubscr => {
            let temps = e.operands(st, 3);
            e.call_op_checked(Op::StoreSubscr, 0, st, insn, &temps);
        }
        I::DeleteSubscr => {
            let temps = e.operands(st, 2);
            e.call_op_checked(Op::DeleteSubscr, 0, st, insn, &temps);
        }
        I::CompareOp { .. } => {
            let (ka, kb) = (st.stack[d - 2], st.stack[d - 1]);
            let cmp = (arg >> 5) as usize;
            let spec = speculated_compare(p.spec(k), ka, kb);
            if (matches!((ka, kb), (Int, Int) | (Float, Float) | (Bool, Bool)) || spec.is_some())
                && cmp <= 5
            {
                let want = spec.unwrap_or(ka);
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
                push!(d - 2, Bool, e.b.ins().uextend(types::I64, c));
            } else {
                let temps = e.operands(st, 2);
                let status = e.call_op_checked(Op::Compare, u64::from(arg), st, insn, &temps);
                if arg & 16 != 0 {
                    push!(d - 2, Bool, status);
                } else {
                    push!(d - 2, Obj, e.load_op(0));
                }
            }
        }
        I::ContainsOp { .. } => {
            let temps = e.operands(st, 2);
            let status = e.call_op_checked(Op::Contains, u64::from(arg), st, insn, &temps);
            push!(d - 2, Bool, status);
        }
        I::IsOp { .. } => {
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
                let temps = e.operands(st, 2);
                let x = e.load_op(0);
                let y = e.load_op(1);
                let c = e.b.ins().icmp(IntCC::Equal, x, y);
                let c = e.b.ins().uextend(types::I64, c);
                let _ = temps;
                e.decref(x);
                e.decref(y);
                c
            };
            let v = if arg != 0 {
                e.b.ins().bxor_imm_s(v, 1)
            } else {
                v
            };
            push!(d - 2, Bool, v);
        }
        I::ToBool => {
            let kind = st.stack[d - 1];
            let x = e.get(false, d - 1, kind);
            if matches!(kind, Int | Float) {
                e.drop_ref(false, d - 1, kind);
            }
            let v = match kind {
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
                _ => {
                    let temps = e.operands(st, 1);
                    e.call_op_checked(Op::ToBool, 0, st, insn, &temps)
                }
            };
            push!(d - 1, Bool, v);
        }
        I::UnaryNot => {
            let kind = st.stack[d - 1];
            let t = truth(e, st, insn, d - 1, kind);
            push!(d - 1, Bool, e.b.ins().bxor_imm_s(t, 1));
        }
        I::UnaryNegative | I::UnaryInvert => {
            let kind = st.stack[d - 1];
            let neg = matches!(insn.op, I::UnaryNegative);
            // An unboxed operand's box is dropped once every guard passed: the result is a
            // new value.
            match (kind, neg) {
                (Float, true) => {
                    let x = e.get(false, d - 1, Float);
                    e.drop_ref(false, d - 1, kind);
                    push!(d - 1, Float, e.b.ins().fneg(x));
                }
                (Int, true) => {
                    let x = e.get(false, d - 1, Int);
                    let zero = e.b.ins().iconst(types::I64, 0);
                    let (r, of) = e.b.ins().ssub_overflow(zero, x);
                    e.exit_if(of, st, insn, "int overflow", ExitKind::Guard, &[]);
                    e.drop_ref(false, d - 1, kind);
                    push!(d - 1, Int, r);
                }
                (Int, false) => {
                    let x = e.get(false, d - 1, Int);
                    e.drop_ref(false, d - 1, kind);
                    push!(d - 1, Int, e.b.ins().bnot(x));
                }
                _ => {
                    let temps = e.operands(st, 1);
                    let op = if neg {
                        Op::UnaryNegative
                    } else {
                        Op::UnaryInvert
                    };
                    e.call_op_checked(op, 0, st, insn, &temps);
                    push!(d - 1, Obj, e.load_op(0));
                }
            }
        }
        I::PopJumpIfFalse { .. }
        | I::PopJumpIfTrue { .. }
        | I::PopJumpIfNone { .. }
        | I::PopJumpIfNotNone { .. } => {
            let kind = st.stack[d - 1];
            let cond = match insn.op {
                I::PopJumpIfFalse { .. } | I::PopJumpIfTrue { .. } => {
                    truth(e, st, insn, d - 1, kind)
                }
                _ => {
                    // Is None?
                    let v = if kind == Obj {
                        let x = e.get(false, d - 1, Obj);
                        let c = e.b.ins().icmp_imm_s(IntCC::Equal, x, e.h.none as i64);
                        let c = e.b.ins().uextend(types::I64, c);
                        e.decref(x);
                        c
                    } else {
                        e.drop_ref(false, d - 1, kind);
                        e.b.ins().iconst(types::I64, 0)
                    };
                    v
                }
            };
            let jump_if = matches!(insn.op, I::PopJumpIfTrue { .. } | I::PopJumpIfNone { .. });
            let (t, tst) = block_of(
                insn.jump_target()
                    .ok_or_else(|| Refusal("jump out of the code".into()))?,
            )?;
            let (f, fst) = match (blocks.get(k + 1).copied().flatten(), &states[k + 1]) {
                (Some(b), Some(s)) => (b, s.clone()),
                _ => return refuse("branch fall-through is not a block"),
            };
            let t = e.edge(after, &tst, t);
            let f = e.edge(after, &fst, f);
            if jump_if {
                e.b.ins().brif(cond, t, &[], f, &[]);
            } else {
                e.b.ins().brif(cond, f, &[], t, &[]);
            }
            return Ok(true);
        }
        I::Call { .. } => {
            let n = arg as usize;
            if after.stack.last() == Some(&Range) {
                emit_range(e, st, insn, n);
            } else {
                let temps = e.operands(st, n + 2);
                e.spill_locals(st, insn);
                e.call_op_checked(Op::Call, u64::from(arg), st, insn, &temps);
                push!(d - n - 2, Obj, e.load_op(0));
            }
        }
        I::CallKw { .. } => {
            let n = arg as usize;
            let temps = e.operands(st, n + 3);
            e.spill_locals(st, insn);
            e.call_op_checked(Op::CallKw, u64::from(arg), st, insn, &temps);
            push!(d - n - 3, Obj, e.load_op(0));
        }
        I::CallFunctionEx => {
            e.spill_locals(st, insn);
            e.op_to_obj(st, insn, Op::CallEx, 0, 4);
        }
        I::CallIntrinsic1 { .. } => {
            let op = if arg == INTRINSIC_UNARY_POSITIVE {
                Op::UnaryPositive
            } else {
                Op::ListToTuple
            };
            e.op_to_obj(st, insn, op, 0, 1);
        }
        I::LoadCommonConstant { .. } => {
            e.call_op_checked(Op::CommonConstant, u64::from(arg), st, insn, &[]);
            push!(d, Obj, e.load_op(0));
        }
        I::MatchSequence | I::MatchMapping => {
            let v = if st.stack[d - 1] == Obj {
                let subject = e.get(false, d - 1, Obj);
                e.store_op(0, subject);
                let mapping = u64::from(matches!(insn.op, I::MatchMapping));
                e.call_op_checked(Op::MatchKind, mapping, st, insn, &[])
            } else {
                // An unboxed number is neither a sequence nor a mapping.
                e.b.ins().iconst(types::I64, 0)
            };
            push!(d, Bool, v);
        }
        I::GetLen => {
            let obj = e.get(false, d - 1, Obj);
            e.store_op(0, obj);
            let n = e.call_op_checked(Op::GetLen, 0, st, insn, &[]);
            push!(d, Int, n);
        }
        I::MatchKeys => {
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
            push!(d, Obj, e.load_op(2));
        }
        I::MatchClass { .. } => {
            let temps = e.operands(st, 3);
            e.call_op_or_interpret(
                Op::MatchClass,
                u64::from(arg),
                st,
                insn,
                &temps,
                "a class pattern the interpreter checks",
            );
            push!(d - 3, Obj, e.load_op(0));
        }
        I::StoreGlobal { .. } => {
            let temps = e.operands(st, 1);
            e.call_op_checked(Op::StoreGlobal, u64::from(arg), st, insn, &temps);
        }
        I::DeleteGlobal { .. } => {
            e.call_op_or_interpret(
                Op::DeleteGlobal,
                u64::from(arg),
                st,
                insn,
                &[],
                "an unbound global",
            );
        }
        I::DeleteAttr { .. } => {
            let temps = e.operands(st, 1);
            e.call_op_checked(Op::DeleteAttr, u64::from(arg), st, insn, &temps);
        }
        I::MakeFunction => {
            // The closure comes with the function (see `h_make_function`).
            let with_closure = matches!(
                a.insns.get(k + 1).map(|i| (i.op, i.arg)),
                Some((I::SetFunctionAttribute { .. }, CLOSURE_FLAG))
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
            push!(d - 1, Obj, e.load_op(0));
        }
        I::SetFunctionAttribute { .. } => {
            let temps = e.operands(st, 2);
            e.call_op_or_interpret(
                Op::SetFunctionAttribute,
                u64::from(arg),
                st,
                insn,
                &temps,
                "a closure set after creation",
            );
            push!(d - 2, Obj, e.load_op(0));
        }
        I::LoadSpecial { .. } => {
            let temps = e.operands(st, 1);
            e.call_op_or_interpret(
                Op::LoadSpecial,
                u64::from(arg),
                st,
                insn,
                &temps,
                "a special method that is not plain",
            );
            push!(d - 1, Obj, e.load_op(0));
            push!(d, Obj, e.load_op(1));
        }
        I::LoadSuperAttr { .. } => {
            let temps = e.operands(st, 3);
            e.call_op_checked(Op::LoadSuperAttr, u64::from(arg), st, insn, &temps);
            push!(d - 3, Obj, e.load_op(0));
            if LoadSuperAttr::from_u32(arg).is_load_method() {
                push!(d - 2, Obj, e.load_op(1));
            }
        }
        I::ImportName { .. } => {
            e.op_to_obj(st, insn, Op::ImportName, u64::from(arg), 2);
        }
        I::ImportFrom { .. } => {
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
            push!(d, Obj, e.load_op(1));
        }
        I::RaiseVarargs { .. } if arg == 0 => {
            // Like RERAISE: no traceback entry, no new context.
            e.call_op_or_interpret(
                Op::HandledException,
                0,
                st,
                insn,
                &[],
                "no exception to re-raise",
            );
            let exc = e.load_op(0);
            match e.handler_for(st, insn) {
                Some((h, block, to)) => e.throw(st, d, exc, insn, &h, block, &to),
                None => {
                    e.decref(exc);
                    e.emit_exit(st, insn, "re-raise", ExitKind::Unsupported, &[]);
                }
            }
            return Ok(true);
        }
        I::RaiseVarargs { .. } => {
            // The helper always raises; the exception exits at this instruction.
            let temps = e.operands(st, arg as usize);
            e.call_op_checked(Op::Raise, u64::from(arg), st, insn, &temps);
            e.emit_exit(st, insn, "raise", ExitKind::Unsupported, &temps);
            return Ok(true);
        }
        I::UnpackEx { .. } => {
            let temps = e.operands(st, 1);
            e.call_op_checked(Op::UnpackEx, u64::from(arg), st, insn, &temps);
            for i in 0..((arg & 0xff) + 1 + (arg >> 8)) as usize {
                push!(d - 1 + i, Obj, e.load_op(i));
            }
        }
        I::BuildTuple { .. }
        | I::BuildList { .. }
        | I::BuildSet { .. }
        | I::BuildString { .. }
        | I::BuildSlice { .. }
        | I::BuildMap { .. } => {
            let (op, n) = match insn.op {
                I::BuildTuple { .. } => (Op::BuildTuple, arg as usize),
                I::BuildList { .. } => (Op::BuildList, arg as usize),
                I::BuildSet { .. } => (Op::BuildSet, arg as usize),
                I::BuildString { .. } => (Op::BuildString, arg as usize),
                I::BuildSlice { .. } => (Op::BuildSlice, arg as usize),
                _ => (Op::BuildMap, 2 * arg as usize),
            };
            e.op_to_obj(st, insn, op, u64::from(arg), n);
        }
        I::ListAppend { .. }
        | I::SetAdd { .. }
        | I::ListExtend { .. }
        | I::SetUpdate { .. }
        | I::DictUpdate { .. }
        | I::DictMerge { .. }
        | I::MapAdd { .. } => {
            let (op, n) = match insn.op {
                I::ListAppend { .. } => (Op::ListAppend, 1),
                I::SetAdd { .. } => (Op::SetAdd, 1),
                I::ListExtend { .. } => (Op::ListExtend, 1),
                I::SetUpdate { .. } => (Op::SetUpdate, 1),
                I::DictUpdate { .. } => (Op::DictUpdate, 1),
                I::DictMerge { .. } => (Op::DictMerge, 1),
                _ => (Op::MapAdd, 2),
            };
            // The container stays on the stack, `arg` below the popped values.
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
        }
        I::GetIter => {
            if st.stack[d - 1] != Range {
                e.op_to_obj(st, insn, Op::GetIter, 0, 1);
            }
        }
        I::ForIter { .. } => {
            let Flow::ForIter { exhausted } = flow else {
                unreachable!()
            };
            let (done, done_st) = block_of(*exhausted)?;
            let (body, body_st) = match (blocks.get(k + 1).copied().flatten(), &states[k + 1]) {
                (Some(b), Some(s)) => (b, s.clone()),
                _ => return refuse("FOR_ITER body is not a block"),
            };
            let finished;
            if st.stack[d - 1] == Range {
                let next = e.var(false, d - 1, Range, 0);
                let left = e.var(false, d - 1, Range, 1);
                let stepv = e.var(false, d - 1, Range, 2);
                let n = e.b.use_var(left);
                finished = e.b.ins().icmp_imm_s(IntCC::Equal, n, 0);
                let more = e.b.create_block();
                let done_edge = e.edge(st, &done_st, done);
                e.b.ins().brif(finished, done_edge, &[], more, &[]);
                e.b.switch_to_block(more);
                let v = e.b.use_var(next);
                let s = e.b.use_var(stepv);
                let nv = e.b.ins().iadd(v, s);
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
                e.b.switch_to_block(more);
                push!(d, Obj, e.load_op(1));
            }
            let body_edge = e.edge(after, &body_st, body);
            e.b.ins().jump(body_edge, &[]);
            return Ok(true);
        }
        I::EndFor | I::PopIter => e.drop_stack(st, d - 1..d),
        I::UnpackSequence { .. } => {
            let temps = e.operands(st, 1);
            e.call_op_checked(Op::UnpackSequence, u64::from(arg), st, insn, &temps);
            for i in 0..arg as usize {
                push!(d - 1 + i, Obj, e.load_op(i));
            }
        }
        I::FormatSimple | I::ConvertValue { .. } => {
            let temps = e.operands(st, 1);
            let op = if matches!(insn.op, I::FormatSimple) {
                Op::FormatSimple
            } else {
                Op::ConvertValue
            };
            e.call_op_checked(op, u64::from(arg), st, insn, &temps);
            push!(d - 1, Obj, e.load_op(0));
        }
        I::FormatWithSpec => {
            e.op_to_obj(st, insn, Op::FormatWithSpec, 0, 2);
        }
        I::ReturnValue => {
            let kind = st.stack[d - 1];
            let (result, _) = e.take_boxed(false, d - 1, kind);
            if e.keeps_frame_locals {
                e.keep_frame_locals(st, insn);
            }
            // Everything else the frame owns goes away with it.
            for (i, l) in st.locals.iter().enumerate() {
                if let Some(l) = *l {
                    e.drop_ref(true, i, l);
                }
            }
            e.drop_stack(st, 0..d - 1);
            e.b.ins().store(MemFlagsData::trusted(), result, e.buf, 0);
            // A return says where: the frame returns through that instruction.
            let done = e.b.ins().iconst(types::I64, returned_at(insn.at));
            e.b.ins().return_(&[done]);
            return Ok(true);
        }
        I::JumpForward { .. } | I::JumpBackwardNoInterrupt { .. } => {
            let (t, tst) = block_of(
                insn.jump_target()
                    .ok_or_else(|| Refusal("jump out of the code".into()))?,
            )?;
            let t = e.edge(after, &tst, t);
            e.b.ins().jump(t, &[]);
            return Ok(true);
        }
        I::JumpBackward { .. } => {
            // Pending signals (Ctrl-C) are noticed on every back-edge, as in the
            // interpreter; the exception is raised when the interpreter resumes here.
            let f = e.b.ins().iconst(e.ptr, e.h.backedge as i64);
            let call = e.b.ins().call_indirect(e.sig_backedge, f, &[]);
            let pending = e.b.inst_results(call)[0];
            e.exit_if(pending, st, insn, "signal pending", ExitKind::Signal, &[]);
            let (t, tst) = block_of(
                insn.jump_target()
                    .ok_or_else(|| Refusal("jump out of the code".into()))?,
            )?;
            let t = e.edge(after, &tst, t);
            e.b.ins().jump(t, &[]);
            return Ok(true);
        }
        I::PushExcInfo => {
            // [exc] -> [previous, exc]
            e.operands(st, 1);
            e.call_op_checked(Op::PushExcInfo, 0, st, insn, &[]);
            e.mov((false, d - 1), (false, d), Obj);
            push!(d - 1, Obj, e.load_op(0));
        }
        I::PopExcept => {
            e.operands(st, 1);
            e.call_op_checked(Op::PopExcept, 0, st, insn, &[]);
        }
        I::WithExceptStart => {
            // [exit, self_or_null, lasti, previous, exc] -> [..., exc, exit's result]
            for (i, slot) in [d - 5, d - 4].into_iter().enumerate() {
                let v = e.get(false, slot, Obj);
                e.store_op(i, v);
            }
            e.call_op_checked(Op::WithExceptStart, 0, st, insn, &[]);
            push!(d, Obj, e.load_op(0));
        }
        I::CheckExcMatch => {
            e.operands(st, 2);
            e.call_op_checked(Op::CheckExcMatch, 0, st, insn, &[]);
            push!(d - 1, Obj, e.load_op(0));
        }
        I::Reraise { .. } => {
            match e.handler_for(st, insn) {
                Some((h, block, to)) => {
                    let exc = e.get(false, d - 1, Obj);
                    e.throw(st, d - 1, exc, insn, &h, block, &to);
                }
                // Kinds that could not meet at the handler: the interpreter re-raises.
                None => e.emit_exit(st, insn, "re-raise", ExitKind::Unsupported, &[]),
            }
            return Ok(true);
        }
        other => return refuse(format!("{other:?} has no emitter")),
    }
    Ok(false)
}

/// Instructions that do work (as opposed to moving values): counted inline or through
/// helpers for the profitability estimate.
fn is_work(op: Instruction) -> bool {
    use Instruction as I;
    matches!(
        op,
        I::BinaryOp { .. }
            | I::CompareOp { .. }
            | I::ForIter { .. }
            | I::ToBool
            | I::UnaryNot
            | I::UnaryNegative
            | I::UnaryInvert
            | I::PopJumpIfFalse { .. }
            | I::PopJumpIfTrue { .. }
            | I::IsOp { .. }
    )
}

/// Per instruction: 1, or 8 per enclosing loop (capped), from back-edge ranges.
fn loop_weights(a: &Analysis) -> Vec<u64> {
    let mut depth = vec![0u32; a.insns.len()];
    for (j, insn) in a.insns.iter().enumerate() {
        if insn.is_back_edge() {
            if let Some(t) = insn.jump_target().and_then(|t| a.index_of(t)) {
                for d in depth.iter_mut().take(j + 1).skip(t) {
                    *d += 1;
                }
            }
        }
    }
    depth.into_iter().map(|d| 8u64.pow(d.min(3))).collect()
}

/// The truth of stack slot `i` (kind `kind`) as 0/1, consuming an object operand.
fn truth(e: &mut Emitter, st: &TypeState, insn: &Insn, i: usize, kind: Kind) -> Value {
    let x = e.get(false, i, kind);
    if matches!(kind, Kind::Int | Kind::Float) {
        e.drop_ref(false, i, kind);
    }
    match kind {
        Kind::Bool => x,
        Kind::Int => {
            let c = e.b.ins().icmp_imm_s(IntCC::NotEqual, x, 0);
            e.b.ins().uextend(types::I64, c)
        }
        Kind::Float => {
            let z = e.b.ins().f64const(0.0);
            let c = e.b.ins().fcmp(FloatCC::NotEqual, x, z);
            e.b.ins().uextend(types::I64, c)
        }
        _ => {
            e.store_op(0, x);
            e.call_op_checked(Op::ToBool, 0, st, insn, &[])
        }
    }
}

/// The value of stack slot `i` as kind `want` (int or float): unboxed values as they are,
/// objects through a guard on their exact type (the object stays owned by the slot).
/// Returns the value and its kind.
fn unboxed_operand(
    e: &mut Emitter,
    st: &TypeState,
    insn: &Insn,
    i: usize,
    want: Kind,
) -> (Value, Kind) {
    let k = st.stack[i];
    let v = e.get(false, i, k);
    if k != Kind::Obj {
        return (v, k);
    }
    e.store_op(0, v);
    let status = e.call_op(Op::Unbox, u64::from(want == Kind::Float));
    e.exit_if(
        status,
        st,
        insn,
        "speculated int/float type changed",
        ExitKind::Guard,
        &[],
    );
    let bits = e.load_op(1);
    if want == Kind::Float {
        (
            e.b.ins().bitcast(types::F64, MemFlagsData::new(), bits),
            Kind::Float,
        )
    } else {
        (bits, Kind::Int)
    }
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

/// `range(a[, b[, c]])` followed by GET_ITER: guards that `range` is the builtin (and the
/// NULL slot is NULL), then computes the loop's (next, remaining, step).
fn emit_range(e: &mut Emitter, st: &TypeState, insn: &Insn, n: usize) {
    let d = st.stack.len();
    let callable = e.get(false, d - n - 2, Kind::Obj);
    let selfv = e.get(false, d - n - 1, Kind::Obj);
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
    let ints: Vec<Value> = (0..n).map(|i| e.get(false, d - n + i, Kind::Int)).collect();
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
    // remaining = ceil(|stop - start| / |step|) when moving toward stop, else 0; in
    // unsigned arithmetic, exact for every i64 start/stop/step.
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
    let remaining = e.b.ins().select(moving, cnt, zero64);
    // The callable and NULL slots hold references the call consumes, and so do the
    // arguments' boxes.
    e.decref(callable);
    for i in 0..n {
        e.drop_ref(false, d - n + i, Kind::Int);
    }
    let slot = d - n - 2;
    for (part, v) in [start, remaining, step].into_iter().enumerate() {
        let var = e.var(false, slot, Kind::Range, part);
        e.b.def_var(var, v);
    }
}

/// Inline int/float arithmetic behind its guards (overflow, division by zero).
#[allow(clippy::too_many_arguments)]
fn emit_arith(
    e: &mut Emitter,
    op: Arith,
    ka: Kind,
    kb: Kind,
    x: Value,
    y: Value,
    st: &TypeState,
    insn: &Insn,
) -> Value {
    if ka == Kind::Int && kb == Kind::Int {
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
                // Python rounds toward negative infinity: fix up when the remainder is
                // non-zero and its sign differs from the divisor's.
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
    } else {
        // float(int) rounds to nearest, exactly as fcvt does.
        let conv = |e: &mut Emitter, k: Kind, v: Value| -> Value {
            if k == Kind::Int {
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
}
