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

//!
//! Layout: [`kinds`] (value representations and typed states), [`profile`] (what the
//! interpreter observed), [`typing`] (the fixed point), [`ops`] (one [`ops::Form`] per
//! instruction form: its typing rule, emission and metadata, by family), [`emitter`]
//! (variables, moves, boxing, reference counts), [`exits`] (helper calls, exit sites,
//! handlers), [`introspection`] (code that reads its frame). This file drives them.

use cranelift_codegen::ir::{
    types, AbiParam, Block, Function, InstBuilder, MemFlagsData, Signature, StackSlotData,
    StackSlotKind, UserFuncName,
};
use cranelift_codegen::isa::TargetIsa;
use cranelift_frontend::{FunctionBuilder, FunctionBuilderContext};
use rustpython_vm::builtins::PyCode;
use rustpython_vm::bytecode::{CodeFlags, Instruction};
use rustpython_vm::Py;

use crate::abi::HelperTable;
use crate::bytecode::Analysis;

mod emitter;
mod exits;
mod introspection;
mod kinds;
mod ops;
mod profile;
pub mod quickened;
mod typing;

use emitter::Emitter;
pub use introspection::reads_frames;
use kinds::TypeState;
pub use kinds::{Kind, BORROWED_BOX};
pub use profile::Profile;
use typing::Flow;

/// Whether an exit of kind [`ExitKind::Guard`] at instruction `op` is an assumption that
/// compiling the instruction generically removes (see `ops::Form::can_generalize`).
pub fn can_generalize(op: Instruction) -> bool {
    ops::can_generalize(op)
}

/// The stack index of a slot instruction `insn` may leave NULL, given the stack depth
/// before it (see `ops::Form::null_slot`).
pub fn null_slot_after(insn: &crate::bytecode::Insn, depth: u32) -> Option<u32> {
    ops::null_slot(insn, depth)
}

/// Whether the interpreter, having quickened an instruction to `quick`, does it in place
/// where native code calls a helper: resuming a generator (`FOR_ITER`) or appending to a
/// string (see [`Translation::profitable`]).
pub fn done_in_place(quick: &Instruction) -> bool {
    ops::done_in_place(quick)
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
    /// Each instruction with its quickened form and the kinds typing inferred before it,
    /// kept only for `-X jit-dump` (empty otherwise).
    pub types: String,
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

/// Why a function is not compiled; shown in the statistics.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refusal(pub String);

pub(crate) fn refuse<T>(msg: impl Into<String>) -> Result<T, Refusal> {
    Err(Refusal(msg.into()))
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

/// `entry` (a loop entry) with an object wherever the loop header holds an object once
/// its own back edges join the entry's kinds (an object that may be NULL where the
/// entry's local is unbound): specializing the entry there buys nothing (the header boxes
/// the value anyway) and would make a later entry with another kind of value there, or
/// with the local bound or not, need a version of its own. `entry` itself if it cannot be
/// typed.
pub fn widened_loop_entry(
    code: &Py<PyCode>,
    analysis: &Analysis,
    p: &Profile,
    entry: &Entry,
) -> Entry {
    let Entry::Loop { at, locals, stack } = entry else {
        return entry.clone();
    };
    let Some(k) = analysis.index_of(*at) else {
        return entry.clone();
    };
    let state = TypeState {
        locals: locals.clone(),
        stack: stack.clone(),
    };
    let header = match typing::infer(code, analysis, p, k, state) {
        Ok(mut states) => match states.get_mut(k).and_then(Option::take) {
            Some(h) => h,
            None => return entry.clone(),
        },
        Err(_) => return entry.clone(),
    };
    let widen = |entry: Kind, header: Kind| {
        if header == Kind::Obj {
            Kind::Obj
        } else {
            entry
        }
    };
    Entry::Loop {
        at: *at,
        locals: locals
            .iter()
            .zip(&header.locals)
            .map(|(e, h)| match (e, h) {
                (Some(e), Some(h)) => Some(widen(*e, *h)),
                // Unbound here, bound by the loop: the header holds an object that may be
                // NULL, which an entry with the local unbound passes.
                (None, Some(Kind::Obj)) => Some(Kind::Obj),
                (e, _) => *e,
            })
            .collect(),
        stack: stack
            .iter()
            .zip(&header.stack)
            .map(|(e, h)| widen(*e, *h))
            .collect(),
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
    let states = typing::infer(code, analysis, p, start, entry_state.clone())?;
    let plan = Plan {
        code,
        analysis,
        p,
        entry,
        isa,
        h,
        start,
        entry_state: &entry_state,
        arg_kinds: &arg_kinds,
        states: &states,
        leaders: typing::leaders(analysis),
    };
    // Only locals that a copy's boxing writes a box back to can own one (see
    // `Emitter::origin`); elsewhere boxes are NULL or borrowed, and copies and drops of
    // unboxed values cost nothing. Which locals those are is known once emitted: emitted
    // again if there are any.
    let (t, owners) = emit(&plan, &vec![false; nslots])?;
    let mut t = if owners.contains(&true) {
        let (t, again) = emit(&plan, &owners)?;
        debug_assert_eq!(again, owners);
        t
    } else {
        t
    };
    if crate::dump::wanted() {
        t.types = typed_listing(analysis, p, &states);
    }
    Ok(t)
}

/// The `-X jit-dump` listing of typing: one line per instruction.
fn typed_listing(analysis: &Analysis, p: &Profile, states: &[Option<TypeState>]) -> String {
    let mut out = String::new();
    for (k, insn) in analysis.insns.iter().enumerate() {
        out += &format!(
            "{:4} {:?} q={:?} {:?}\n",
            insn.at,
            insn.op,
            p.quick.get(k),
            states[k]
        );
    }
    out
}

/// What one emission of a function works from: its code, how it is entered, and its
/// typed states.
struct Plan<'a> {
    code: &'a Py<PyCode>,
    analysis: &'a Analysis,
    p: &'a Profile,
    entry: &'a Entry,
    isa: &'a dyn TargetIsa,
    h: &'a HelperTable,
    /// The instruction native code starts at.
    start: usize,
    entry_state: &'a TypeState,
    arg_kinds: &'a [Kind],
    states: &'a [Option<TypeState>],
    /// Which instructions start a block (see [`typing::leaders`]).
    leaders: Vec<bool>,
}

/// Work weighted by loop nesting (see [`Translation::inline_work`]).
#[derive(Default)]
struct Work {
    inline: u64,
    helper: u64,
    in_place: u64,
}

/// Emits the CLIF of `plan`, given the locals that may own a box; returns it and the
/// locals that do.
fn emit(plan: &Plan, owners: &[bool]) -> Result<(Translation, Vec<bool>), Refusal> {
    let mut func =
        Function::with_name_signature(UserFuncName::user(0, 0), native_signature(plan.isa));
    let mut fctx = FunctionBuilderContext::new();
    let b = FunctionBuilder::new(&mut func, &mut fctx);
    let (mut e, blocks) = start_function(plan, b, owners);
    let work = emit_body(&mut e, plan, &blocks)?;
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
    b.finalize(plan.isa.frontend_config());
    Ok((
        Translation {
            func,
            exits,
            args: plan.arg_kinds.to_vec(),
            buf_slots: buf_slots.max(1),
            inline_work: work.inline,
            helper_work: work.helper,
            in_place_work: work.in_place,
            attr_sites: attr_sites as usize,
            spilled,
            types: String::new(),
        },
        written_back,
    ))
}

/// Creates the emitter, a block per reachable leader, and the entry block: it loads the
/// arguments (or the interpreter frame's values) into variables and jumps to the first
/// instruction.
fn start_function<'a, 'b>(
    plan: &Plan<'a>,
    mut b: FunctionBuilder<'b>,
    owners: &[bool],
) -> (Emitter<'a, 'b>, Vec<Option<Block>>) {
    let (analysis, states) = (plan.analysis, plan.states);
    let nslots = plan.code.code.localspluskinds.len();
    let isa = plan.isa;
    let max_stack = analysis.depth.iter().flatten().copied().max().unwrap_or(0) as usize + 4;
    // Operands of any instruction, and COPY_FREE_VARS's cells (at most one per slot).
    let ops_words = (max_stack + 8).max(nslots);
    let ops = b.create_sized_stack_slot(StackSlotData::new(
        StackSlotKind::ExplicitSlot,
        (ops_words * 8) as u32,
        3,
    ));
    let sig_ops = b.import_signature(sig_ops(isa));
    let sig_value = b.import_signature(sig_value(isa));
    let sig_backedge = b.import_signature(sig_backedge(isa));

    let entry_block = b.create_block();
    b.append_block_params_for_function_params(entry_block);
    let blocks: Vec<Option<Block>> = (0..analysis.insns.len())
        .map(|k| {
            ((plan.leaders[k] || k == plan.start) && states[k].is_some()).then(|| b.create_block())
        })
        .collect();
    b.switch_to_block(entry_block);
    b.seal_block(entry_block);
    let args_ptr = b.block_params(entry_block)[0];
    let buf = b.block_params(entry_block)[1];
    let ctx = b.block_params(entry_block)[2];
    let catches = analysis
        .exception_table
        .iter()
        .map(|h| {
            let handler = analysis
                .index_of(h.target)
                .and_then(|t| blocks[t].zip(states[t].clone()));
            (*h, handler)
        })
        .collect();
    let keeps_frame_locals =
        reads_frames(plan.code, analysis) || !analysis.exception_table.is_empty();
    let mut e = Emitter::new(
        b,
        emitter::Frame {
            nslots,
            max_stack,
            buf,
            ctx,
            ops,
            ptr: isa.pointer_type(),
        },
        plan.h,
        emitter::Signatures {
            ops: sig_ops,
            value: sig_value,
            backedge: sig_backedge,
        },
        catches,
        owners,
        keeps_frame_locals,
    );
    load_entry_values(&mut e, plan.entry, args_ptr);
    // The entry state may be more specific than the typed state at the first block (a
    // loop header joins it with its back-edges): convert on the way in.
    let first = blocks[plan.start].expect("entry block");
    let typed = states[plan.start].clone().expect("entry state");
    e.convert(plan.entry_state, &typed);
    e.b.ins().jump(first, &[]);
    (e, blocks)
}

/// Loads the values native code is entered with (`args`: the arguments, or every local
/// and stack slot at a loop entry) into their variables.
fn load_entry_values(e: &mut Emitter, entry: &Entry, args_ptr: cranelift_codegen::ir::Value) {
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
                load(e, &mut slot, true, i, *k);
            }
        }
        Entry::Loop { locals, stack, .. } => {
            for (i, k) in locals.iter().enumerate() {
                match k {
                    Some(k) => load(e, &mut slot, true, i, *k),
                    None => slot += 1,
                }
            }
            for (i, k) in stack.iter().enumerate() {
                load(e, &mut slot, false, i, *k);
            }
        }
    }
}

/// Emits every typed instruction in order, each by its form; returns the work estimate.
fn emit_body(e: &mut Emitter, plan: &Plan, blocks: &[Option<Block>]) -> Result<Work, Refusal> {
    let (analysis, states, leaders, p) = (plan.analysis, plan.states, &plan.leaders, plan.p);
    let loop_weight = loop_weights(analysis);
    let mut work = Work::default();
    let mut terminated = true;
    // `-X jit-dump`: each CLIF instruction shows the unit it was emitted for (`@xxxx`).
    let located = crate::dump::wanted();
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
        let flow = ops::step(plan.code, analysis, p, k, &mut after)?;
        if let Flow::SideExit(reason) = flow {
            e.emit_exit(&st, insn, reason, ExitKind::Unsupported, &[]);
            terminated = true;
            continue;
        }
        let helpers_before = e.helper_calls;
        e.unit = insn.at;
        if located {
            e.b.set_srcloc(cranelift_codegen::ir::SourceLoc::new(insn.at));
        }
        e.returning = matches!(insn.op, Instruction::ReturnValue)
            || analysis
                .insns
                .get(k + 1)
                .is_some_and(|n| matches!(n.op, Instruction::ReturnValue) && !leaders[k + 1]);
        terminated = ops::emit(
            e, plan.code, analysis, p, states, blocks, k, &st, &after, &flow,
        )?;
        let w = loop_weight[k];
        let called = e.helper_calls > helpers_before;
        if called && p.quick.get(k).is_some_and(done_in_place) {
            work.in_place += w;
        }
        if called {
            work.helper += w;
        } else if ops::is_work(insn.op) {
            work.inline += w;
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
    Ok(work)
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
