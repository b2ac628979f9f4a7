//! Bytecode → Cranelift IR for the numeric subset: functions whose values are all exact
//! ints that fit in 64 bits, floats and bools, held unboxed in registers. Every assumption
//! the code makes is a guard with an exit site; an exit stores the frame state (every local
//! and every value-stack slot) into the exit buffer and returns the site's number, and
//! [`crate::deopt`] continues the function in the interpreter from there.
//!
//! Anything outside the subset is refused with a reason and the function stays in the
//! interpreter. Typing (`infer`) and emission (`emit`) walk the same instructions; the kinds
//! the first pass assigns are what the second pass relies on.
//!
//! Native signature: `extern "C" fn(args: *const u64, buf: *mut u64) -> i64`. `args` holds
//! the unboxed arguments; on return `-1` means "returned", with the result in `buf[0]`; a
//! non-negative value is the exit site, with the frame state in `buf[0..]` as the site's
//! layout says.

use cranelift_codegen::ir::condcodes::{FloatCC, IntCC};
use cranelift_codegen::ir::{
    types, AbiParam, Block, Function, InstBuilder, MemFlagsData, Signature, UserFuncName, Value,
};
use cranelift_codegen::isa::TargetIsa;
use cranelift_frontend::{FunctionBuilder, FunctionBuilderContext, Variable};
use rustpython_vm::bytecode::{BorrowedConstant, CodeFlags, CodeObject, Constant, Instruction};

use crate::bytecode::{Analysis, Insn};

/// The unboxed representation of a value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// An exact `int` in `i64` range.
    Int,
    /// A `float`, as `f64`.
    Float,
    /// A `bool`, as `i64` 0 or 1.
    Bool,
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
    /// The back-edge signal check: a pending exception is raised on resume.
    pub is_signal_check: bool,
}

impl ExitSite {
    /// Number of buffer slots this site fills.
    pub fn slots(&self) -> usize {
        self.locals.len() + self.stack.len()
    }
}

/// A translated function: CLIF plus the data needed to enter and leave it.
pub struct Translation {
    pub func: Function,
    pub exits: Vec<ExitSite>,
    pub result: Kind,
    pub args: Vec<Kind>,
    /// Exit buffer size in 8-byte slots.
    pub buf_slots: usize,
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

/// `BINARY_OP` operators in the subset, by their oparg (in-place forms share semantics).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Arith {
    Add,
    Sub,
    Mul,
    FloorDiv,
    Mod,
    TrueDiv,
}

fn arith(oparg: u32) -> Option<Arith> {
    let op = if oparg >= 13 && oparg <= 25 {
        oparg - 13
    } else {
        oparg
    };
    Some(match op {
        0 => Arith::Add,
        10 => Arith::Sub,
        5 => Arith::Mul,
        2 => Arith::FloorDiv,
        6 => Arith::Mod,
        11 => Arith::TrueDiv,
        _ => return None,
    })
}

fn binary_result(op: Arith, a: Kind, b: Kind) -> Result<Kind, Refusal> {
    use Kind::*;
    match (op, a, b) {
        (Arith::TrueDiv, Int, Int) => Ok(Float),
        (Arith::FloorDiv | Arith::Mod, Float, _) | (Arith::FloorDiv | Arith::Mod, _, Float) => {
            refuse("float // and % are not compiled yet")
        }
        (_, Int, Int) => Ok(Int),
        (_, Float, Float) | (_, Float, Int) | (_, Int, Float) => Ok(Float),
        _ => refuse(format!("BINARY_OP {op:?} on {a:?} and {b:?}")),
    }
}

fn const_kind<C: Constant>(c: &C) -> Result<(Kind, u64), Refusal> {
    match c.borrow_constant() {
        BorrowedConstant::Integer { value } => match i64::try_from(value) {
            Ok(v) => Ok((Kind::Int, v as u64)),
            Err(_) => refuse("an int constant beyond 64 bits"),
        },
        BorrowedConstant::Float { value } => Ok((Kind::Float, value.to_bits())),
        BorrowedConstant::Boolean { value } => Ok((Kind::Bool, value as u64)),
        _ => refuse("a non-numeric constant"),
    }
}

/// The kinds after `insn`, given the kinds before it: the subset's typing rules.
fn infer_step<C: Constant>(
    code: &CodeObject<C>,
    insn: &Insn,
    st: &mut TypeState,
) -> Result<(), Refusal> {
    use Instruction as I;
    let local = |st: &TypeState, i: u32| -> Result<Kind, Refusal> {
        st.locals
            .get(i as usize)
            .copied()
            .flatten()
            .ok_or_else(|| Refusal(format!("local {i} may be unbound at unit {}", insn.at)))
    };
    let pop = |st: &mut TypeState| {
        st.stack
            .pop()
            .ok_or_else(|| Refusal("stack underflow".into()))
    };
    match insn.op {
        I::Resume { .. } | I::Nop | I::NotTaken | I::Cache => {}
        I::LoadFast { .. } | I::LoadFastBorrow { .. } | I::LoadFastCheck { .. } => {
            let k = local(st, insn.arg)?;
            st.stack.push(k);
        }
        I::LoadFastLoadFast { .. } | I::LoadFastBorrowLoadFastBorrow { .. } => {
            let (a, b) = (local(st, insn.arg >> 4)?, local(st, insn.arg & 15)?);
            st.stack.push(a);
            st.stack.push(b);
        }
        I::StoreFast { .. } => {
            let k = pop(st)?;
            st.locals[insn.arg as usize] = Some(k);
        }
        I::StoreFastStoreFast { .. } => {
            let v1 = pop(st)?;
            let v2 = pop(st)?;
            st.locals[(insn.arg >> 4) as usize] = Some(v1);
            st.locals[(insn.arg & 15) as usize] = Some(v2);
        }
        I::StoreFastLoadFast { .. } => {
            let v = pop(st)?;
            st.locals[(insn.arg >> 4) as usize] = Some(v);
            let k = local(st, insn.arg & 15)?;
            st.stack.push(k);
        }
        I::LoadSmallInt { .. } => st.stack.push(Kind::Int),
        I::LoadConst { .. } => {
            let c = code
                .constants
                .get(insn.arg as usize)
                .ok_or_else(|| Refusal("bad constant index".into()))?;
            st.stack.push(const_kind(c)?.0);
        }
        I::PopTop => {
            pop(st)?;
        }
        I::BinaryOp { .. } => {
            let op = arith(insn.arg)
                .ok_or_else(|| Refusal(format!("BINARY_OP {} is not compiled yet", insn.arg)))?;
            let b = pop(st)?;
            let a = pop(st)?;
            st.stack.push(binary_result(op, a, b)?);
        }
        I::CompareOp { .. } => {
            let b = pop(st)?;
            let a = pop(st)?;
            match (a, b) {
                (Kind::Int, Kind::Int) | (Kind::Float, Kind::Float) | (Kind::Bool, Kind::Bool) => {}
                _ => return refuse(format!("COMPARE_OP on {a:?} and {b:?}")),
            }
            if insn.arg >> 5 > 5 {
                return refuse("unknown comparison");
            }
            st.stack.push(Kind::Bool);
        }
        I::ToBool => {
            let a = pop(st)?;
            if a != Kind::Bool && a != Kind::Int {
                return refuse(format!("TO_BOOL on {a:?}"));
            }
            st.stack.push(Kind::Bool);
        }
        I::UnaryNot => {
            if pop(st)? != Kind::Bool {
                return refuse("UNARY_NOT on a non-bool");
            }
            st.stack.push(Kind::Bool);
        }
        I::UnaryNegative => {
            let a = pop(st)?;
            if a == Kind::Bool {
                return refuse("UNARY_NEGATIVE on a bool");
            }
            st.stack.push(a);
        }
        I::PopJumpIfFalse { .. } | I::PopJumpIfTrue { .. } => {
            if pop(st)? != Kind::Bool {
                return refuse("a branch on a non-bool");
            }
        }
        I::JumpForward { .. } | I::JumpBackward { .. } | I::JumpBackwardNoInterrupt { .. } => {}
        I::ReturnValue => {
            pop(st)?;
        }
        other => return refuse(format!("{other:?} is not compiled yet")),
    }
    Ok(())
}

/// Types every reachable instruction by a fixed point over the CFG.
fn infer<C: Constant>(
    code: &CodeObject<C>,
    a: &Analysis,
    args: &[Kind],
) -> Result<Vec<Option<TypeState>>, Refusal> {
    let nslots = code.localspluskinds.len();
    let mut entry = TypeState {
        locals: vec![None; nslots],
        stack: vec![],
    };
    for (i, k) in args.iter().enumerate() {
        entry.locals[i] = Some(*k);
    }
    let mut states: Vec<Option<TypeState>> = vec![None; a.insns.len()];
    let mut work = vec![0usize];
    states[0] = Some(entry);
    let merge = |k: usize,
                 st: &TypeState,
                 states: &mut Vec<Option<TypeState>>,
                 work: &mut Vec<usize>|
     -> Result<(), Refusal> {
        match &states[k] {
            None => {
                states[k] = Some(st.clone());
                work.push(k);
                Ok(())
            }
            Some(old) if old == st => Ok(()),
            Some(old) => {
                // A local unbound on one path and bound on another: keep it "maybe unbound"
                // (None) only if it is never read afterwards; reading it is refused then.
                if old.stack != st.stack {
                    return refuse(format!("value kinds differ at unit {}", a.insns[k].at));
                }
                let mut merged = old.clone();
                let mut changed = false;
                for (m, n) in merged.locals.iter_mut().zip(&st.locals) {
                    if *m != *n {
                        if m.is_some() && n.is_some() {
                            return refuse(format!(
                                "a local changes kind at unit {}",
                                a.insns[k].at
                            ));
                        }
                        if m.is_some() {
                            *m = None;
                            changed = true;
                        }
                    }
                }
                if changed {
                    states[k] = Some(merged);
                    work.push(k);
                }
                Ok(())
            }
        }
    };
    while let Some(k) = work.pop() {
        let insn = a.insns[k];
        let mut st = states[k].clone().unwrap();
        infer_step(code, &insn, &mut st)?;
        if let Some(t) = insn.jump_target() {
            let t = a.index_of(t).ok_or_else(|| Refusal("bad jump".into()))?;
            merge(t, &st, &mut states, &mut work)?;
        }
        if !insn.is_no_fallthrough() && k + 1 < a.insns.len() {
            merge(k + 1, &st, &mut states, &mut work)?;
        }
    }
    Ok(states)
}

fn clif_type(k: Kind) -> types::Type {
    match k {
        Kind::Float => types::F64,
        _ => types::I64,
    }
}

/// Why `code` cannot be translated whatever its arguments, from its flags and shape alone.
pub fn unsupported_shape<C: Constant>(code: &CodeObject<C>) -> Option<&'static str> {
    if code
        .flags
        .intersects(CodeFlags::GENERATOR | CodeFlags::COROUTINE | CodeFlags::ASYNC_GENERATOR)
    {
        return Some("generators and coroutines are not compiled yet");
    }
    if code
        .flags
        .intersects(CodeFlags::VARARGS | CodeFlags::VARKEYWORDS)
    {
        return Some("*args/**kwargs are not compiled yet");
    }
    if !code.cellvars.is_empty() || !code.freevars.is_empty() {
        return Some("cells and closures are not compiled yet");
    }
    if !code.exceptiontable.is_empty() {
        return Some("exception handlers are not compiled yet");
    }
    None
}

/// Signature of every compiled function for `isa`.
pub fn native_signature(isa: &dyn TargetIsa) -> Signature {
    let ptr = isa.pointer_type();
    let mut sig = Signature::new(isa.default_call_conv());
    sig.params.push(AbiParam::new(ptr));
    sig.params.push(AbiParam::new(ptr));
    sig.returns.push(AbiParam::new(types::I64));
    sig
}

/// Signature of the back-edge helper: `extern "C" fn() -> i64` (non-zero = signal pending).
pub fn backedge_signature(isa: &dyn TargetIsa) -> Signature {
    let mut sig = Signature::new(isa.default_call_conv());
    sig.returns.push(AbiParam::new(types::I64));
    sig
}

/// Translates `code` specialized for argument kinds `args`. `backedge_helper` is the
/// address of the signal-check helper, embedded as a constant.
pub fn translate<C: Constant>(
    code: &CodeObject<C>,
    analysis: &Analysis,
    args: &[Kind],
    isa: &dyn TargetIsa,
    backedge_helper: usize,
) -> Result<Translation, Refusal> {
    if let Some(reason) = unsupported_shape(code) {
        return refuse(reason);
    }
    let nargs = (code.arg_count + code.kwonlyarg_count) as usize;
    if args.len() != nargs {
        return refuse("argument count mismatch");
    }
    let states = infer(code, analysis, args)?;

    let ptr = isa.pointer_type();
    let mut func = Function::with_name_signature(UserFuncName::user(0, 0), native_signature(isa));
    let mut fctx = FunctionBuilderContext::new();
    let mut b = FunctionBuilder::new(&mut func, &mut fctx);

    let nslots = code.localspluskinds.len();
    let max_stack = analysis.depth.iter().flatten().copied().max().unwrap_or(0) as usize + 2;
    // One variable per (slot, kind) so that a slot's CLIF type never changes.
    let var = |b: &mut FunctionBuilder,
               table: &mut Vec<[Option<Variable>; 3]>,
               i: usize,
               k: Kind|
     -> Variable {
        let ki = k as usize;
        if let Some(v) = table[i][ki] {
            return v;
        }
        let v = b.declare_var(clif_type(k));
        table[i][ki] = Some(v);
        v
    };
    let mut local_vars: Vec<[Option<Variable>; 3]> = vec![[None; 3]; nslots];
    let mut stack_vars: Vec<[Option<Variable>; 3]> = vec![[None; 3]; max_stack];

    let entry = b.create_block();
    b.append_block_params_for_function_params(entry);
    let blocks: Vec<Option<Block>> = (0..analysis.insns.len())
        .map(|k| (analysis.leaders[k] && states[k].is_some()).then(|| b.create_block()))
        .collect();
    b.switch_to_block(entry);
    let args_ptr = b.block_params(entry)[0];
    let buf = b.block_params(entry)[1];
    let flags = MemFlagsData::trusted();
    for (i, k) in args.iter().enumerate() {
        let raw = b.ins().load(types::I64, flags, args_ptr, (i * 8) as i32);
        let v = match k {
            Kind::Float => b.ins().bitcast(types::F64, MemFlagsData::new(), raw),
            _ => raw,
        };
        let var_i = var(&mut b, &mut local_vars, i, *k);
        b.def_var(var_i, v);
    }
    let first = blocks[0].expect("entry block");
    b.ins().jump(first, &[]);

    let mut exits: Vec<ExitSite> = Vec::new();
    let mut buf_slots = 1usize;
    let mut result_kind: Option<Kind> = None;
    let helper_sig = b.import_signature(backedge_signature(isa));

    // Emits a guard: when `cond` holds, save the state `st` (before `insn`) and exit.
    macro_rules! exit_if {
        ($cond:expr, $st:expr, $insn:expr, $reason:expr) => {{
            let st: &TypeState = $st;
            let site = exits.len();
            exits.push(ExitSite {
                resume_at: $insn.start,
                locals: st.locals.clone(),
                stack: st.stack.clone(),
                reason: $reason,
                is_signal_check: false,
            });
            let exit_block = b.create_block();
            let cont = b.create_block();
            b.set_cold_block(exit_block);
            b.ins().brif($cond, exit_block, &[], cont, &[]);
            b.switch_to_block(exit_block);
            let mut slot = 0i32;
            for (i, k) in st.locals.iter().enumerate() {
                if let Some(k) = k {
                    let vv = var(&mut b, &mut local_vars, i, *k);
                    let v = b.use_var(vv);
                    b.ins().store(flags, v, buf, slot * 8);
                }
                slot += 1;
            }
            for (i, k) in st.stack.iter().enumerate() {
                let vv = var(&mut b, &mut stack_vars, i, *k);
                let v = b.use_var(vv);
                b.ins().store(flags, v, buf, slot * 8);
                slot += 1;
            }
            buf_slots = buf_slots.max(slot as usize);
            let code = b.ins().iconst(types::I64, site as i64);
            b.ins().return_(&[code]);
            b.switch_to_block(cont);
            site
        }};
    }

    let mut terminated = true;
    for (k, insn) in analysis.insns.iter().enumerate() {
        let Some(st) = states[k].clone() else {
            continue;
        };
        if let Some(blk) = blocks[k] {
            if !terminated {
                b.ins().jump(blk, &[]);
            }
            b.switch_to_block(blk);
            terminated = false;
        } else if terminated {
            continue;
        }
        let depth = st.stack.len();
        let push = |b: &mut FunctionBuilder,
                    sv: &mut Vec<[Option<Variable>; 3]>,
                    d: usize,
                    kind: Kind,
                    v: Value| {
            let vv = var(b, sv, d, kind);
            b.def_var(vv, v);
        };
        let top =
            |b: &mut FunctionBuilder, sv: &mut Vec<[Option<Variable>; 3]>, n: usize| -> Value {
                let d = depth - n;
                let vv = var(b, sv, d, st.stack[d]);
                b.use_var(vv)
            };
        use Instruction as I;
        match insn.op {
            I::Resume { .. } | I::Nop | I::NotTaken | I::Cache => {}
            I::LoadFast { .. } | I::LoadFastBorrow { .. } | I::LoadFastCheck { .. } => {
                let kind = st.locals[insn.arg as usize].unwrap();
                let vv = var(&mut b, &mut local_vars, insn.arg as usize, kind);
                let v = b.use_var(vv);
                push(&mut b, &mut stack_vars, depth, kind, v);
            }
            I::LoadFastLoadFast { .. } | I::LoadFastBorrowLoadFastBorrow { .. } => {
                for (n, i) in [(0, insn.arg >> 4), (1, insn.arg & 15)] {
                    let kind = st.locals[i as usize].unwrap();
                    let vv = var(&mut b, &mut local_vars, i as usize, kind);
                    let v = b.use_var(vv);
                    push(&mut b, &mut stack_vars, depth + n, kind, v);
                }
            }
            I::StoreFast { .. } => {
                let v = top(&mut b, &mut stack_vars, 1);
                let lv = var(
                    &mut b,
                    &mut local_vars,
                    insn.arg as usize,
                    st.stack[depth - 1],
                );
                b.def_var(lv, v);
            }
            I::StoreFastStoreFast { .. } => {
                let v1 = top(&mut b, &mut stack_vars, 1);
                let v2 = top(&mut b, &mut stack_vars, 2);
                let l1 = var(
                    &mut b,
                    &mut local_vars,
                    (insn.arg >> 4) as usize,
                    st.stack[depth - 1],
                );
                b.def_var(l1, v1);
                let l2 = var(
                    &mut b,
                    &mut local_vars,
                    (insn.arg & 15) as usize,
                    st.stack[depth - 2],
                );
                b.def_var(l2, v2);
            }
            I::StoreFastLoadFast { .. } => {
                let v = top(&mut b, &mut stack_vars, 1);
                let store = (insn.arg >> 4) as usize;
                let lv = var(&mut b, &mut local_vars, store, st.stack[depth - 1]);
                b.def_var(lv, v);
                let load = (insn.arg & 15) as usize;
                let kind = if load == store {
                    st.stack[depth - 1]
                } else {
                    st.locals[load].unwrap()
                };
                let vv = var(&mut b, &mut local_vars, load, kind);
                let v = b.use_var(vv);
                push(&mut b, &mut stack_vars, depth - 1, kind, v);
            }
            I::LoadSmallInt { .. } => {
                let v = b.ins().iconst(types::I64, i64::from(insn.arg));
                push(&mut b, &mut stack_vars, depth, Kind::Int, v);
            }
            I::LoadConst { .. } => {
                let (kind, bits) = const_kind(
                    code.constants
                        .get(insn.arg as usize)
                        .ok_or_else(|| Refusal("bad constant index".into()))?,
                )?;
                let v = match kind {
                    Kind::Float => b.ins().f64const(f64::from_bits(bits)),
                    _ => b.ins().iconst(types::I64, bits as i64),
                };
                push(&mut b, &mut stack_vars, depth, kind, v);
            }
            I::PopTop => {}
            I::BinaryOp { .. } => {
                let op = arith(insn.arg).unwrap();
                let (ka, kb) = (st.stack[depth - 2], st.stack[depth - 1]);
                let x = top(&mut b, &mut stack_vars, 2);
                let y = top(&mut b, &mut stack_vars, 1);
                let (kind, v) = if ka == Kind::Int && kb == Kind::Int {
                    match op {
                        Arith::Add | Arith::Sub | Arith::Mul => {
                            let (r, of) = match op {
                                Arith::Add => b.ins().sadd_overflow(x, y),
                                Arith::Sub => b.ins().ssub_overflow(x, y),
                                _ => b.ins().smul_overflow(x, y),
                            };
                            exit_if!(of, &st, insn, "int overflow");
                            (Kind::Int, r)
                        }
                        Arith::FloorDiv | Arith::Mod => {
                            // y == 0 raises and y == -1 may overflow: both in the interpreter.
                            let zero = b.ins().icmp_imm_s(IntCC::Equal, y, 0);
                            let m1 = b.ins().icmp_imm_s(IntCC::Equal, y, -1);
                            let bad = b.ins().bor(zero, m1);
                            exit_if!(bad, &st, insn, "division by zero or by -1");
                            let q = b.ins().sdiv(x, y);
                            let r = b.ins().srem(x, y);
                            // Python rounds toward negative infinity: fix up when the
                            // remainder is non-zero and its sign differs from the divisor's.
                            let rnz = b.ins().icmp_imm_s(IntCC::NotEqual, r, 0);
                            let xor = b.ins().bxor(r, y);
                            let signs = b.ins().icmp_imm_s(IntCC::SignedLessThan, xor, 0);
                            let fix = b.ins().band(rnz, signs);
                            if op == Arith::FloorDiv {
                                let fix = b.ins().uextend(types::I64, fix);
                                (Kind::Int, b.ins().isub(q, fix))
                            } else {
                                let r2 = b.ins().iadd(r, y);
                                (Kind::Int, b.ins().select(fix, r2, r))
                            }
                        }
                        Arith::TrueDiv => {
                            // Exact only while both operands convert to f64 exactly.
                            let lim = 1i64 << 53;
                            let ax = b.ins().iabs(x);
                            let ay = b.ins().iabs(y);
                            let bx = b.ins().icmp_imm_s(IntCC::SignedGreaterThan, ax, lim);
                            let by = b.ins().icmp_imm_s(IntCC::SignedGreaterThan, ay, lim);
                            let zero = b.ins().icmp_imm_s(IntCC::Equal, y, 0);
                            let big = b.ins().bor(bx, by);
                            let bad = b.ins().bor(big, zero);
                            exit_if!(bad, &st, insn, "inexact or zero int division");
                            let fx = b.ins().fcvt_from_sint(types::F64, x);
                            let fy = b.ins().fcvt_from_sint(types::F64, y);
                            (Kind::Float, b.ins().fdiv(fx, fy))
                        }
                    }
                } else {
                    let fx = if ka == Kind::Int {
                        b.ins().fcvt_from_sint(types::F64, x)
                    } else {
                        x
                    };
                    let fy = if kb == Kind::Int {
                        b.ins().fcvt_from_sint(types::F64, y)
                    } else {
                        y
                    };
                    let v = match op {
                        Arith::Add => b.ins().fadd(fx, fy),
                        Arith::Sub => b.ins().fsub(fx, fy),
                        Arith::Mul => b.ins().fmul(fx, fy),
                        Arith::TrueDiv => {
                            let zero = b.ins().f64const(0.0);
                            let isz = b.ins().fcmp(FloatCC::Equal, fy, zero);
                            exit_if!(isz, &st, insn, "float division by zero");
                            b.ins().fdiv(fx, fy)
                        }
                        _ => unreachable!("refused by inference"),
                    };
                    (Kind::Float, v)
                };
                push(&mut b, &mut stack_vars, depth - 2, kind, v);
            }
            I::CompareOp { .. } => {
                let x = top(&mut b, &mut stack_vars, 2);
                let y = top(&mut b, &mut stack_vars, 1);
                let cmp = insn.arg >> 5;
                let c = if st.stack[depth - 1] == Kind::Float {
                    let cc = [
                        FloatCC::LessThan,
                        FloatCC::LessThanOrEqual,
                        FloatCC::Equal,
                        FloatCC::NotEqual,
                        FloatCC::GreaterThan,
                        FloatCC::GreaterThanOrEqual,
                    ][cmp as usize];
                    b.ins().fcmp(cc, x, y)
                } else {
                    let cc = [
                        IntCC::SignedLessThan,
                        IntCC::SignedLessThanOrEqual,
                        IntCC::Equal,
                        IntCC::NotEqual,
                        IntCC::SignedGreaterThan,
                        IntCC::SignedGreaterThanOrEqual,
                    ][cmp as usize];
                    b.ins().icmp(cc, x, y)
                };
                let v = b.ins().uextend(types::I64, c);
                push(&mut b, &mut stack_vars, depth - 2, Kind::Bool, v);
            }
            I::ToBool => {
                let x = top(&mut b, &mut stack_vars, 1);
                let c = b.ins().icmp_imm_s(IntCC::NotEqual, x, 0);
                let v = b.ins().uextend(types::I64, c);
                push(&mut b, &mut stack_vars, depth - 1, Kind::Bool, v);
            }
            I::UnaryNot => {
                let x = top(&mut b, &mut stack_vars, 1);
                let v = b.ins().bxor_imm_s(x, 1);
                push(&mut b, &mut stack_vars, depth - 1, Kind::Bool, v);
            }
            I::UnaryNegative => {
                let x = top(&mut b, &mut stack_vars, 1);
                let kind = st.stack[depth - 1];
                let v = if kind == Kind::Float {
                    b.ins().fneg(x)
                } else {
                    let zero = b.ins().iconst(types::I64, 0);
                    let (r, of) = b.ins().ssub_overflow(zero, x);
                    exit_if!(of, &st, insn, "int overflow");
                    r
                };
                push(&mut b, &mut stack_vars, depth - 1, kind, v);
            }
            I::PopJumpIfFalse { .. } | I::PopJumpIfTrue { .. } => {
                let x = top(&mut b, &mut stack_vars, 1);
                let t = blocks[analysis.index_of(insn.jump_target().unwrap()).unwrap()].unwrap();
                let f = match blocks.get(k + 1).copied().flatten() {
                    Some(f) => f,
                    None => return refuse("branch fall-through is not a block"),
                };
                if matches!(insn.op, I::PopJumpIfTrue { .. }) {
                    b.ins().brif(x, t, &[], f, &[]);
                } else {
                    b.ins().brif(x, f, &[], t, &[]);
                }
                terminated = true;
            }
            I::JumpForward { .. } | I::JumpBackwardNoInterrupt { .. } => {
                let t = blocks[analysis.index_of(insn.jump_target().unwrap()).unwrap()].unwrap();
                b.ins().jump(t, &[]);
                terminated = true;
            }
            I::JumpBackward { .. } => {
                // Pending signals (Ctrl-C) are noticed on every back-edge, as in the
                // interpreter; the exception is raised when the interpreter resumes here.
                let addr = b.ins().iconst(ptr, backedge_helper as i64);
                let call = b.ins().call_indirect(helper_sig, addr, &[]);
                let pending = b.inst_results(call)[0];
                let site = exit_if!(pending, &st, insn, "signal pending");
                exits[site].is_signal_check = true;
                let t = blocks[analysis.index_of(insn.jump_target().unwrap()).unwrap()].unwrap();
                b.ins().jump(t, &[]);
                terminated = true;
            }
            I::ReturnValue => {
                let kind = st.stack[depth - 1];
                if result_kind.is_some_and(|r| r != kind) {
                    return refuse("returns values of different kinds");
                }
                result_kind = Some(kind);
                let v = top(&mut b, &mut stack_vars, 1);
                b.ins().store(flags, v, buf, 0);
                let done = b.ins().iconst(types::I64, -1);
                b.ins().return_(&[done]);
                terminated = true;
            }
            other => return refuse(format!("{other:?} is not compiled yet")),
        }
        // Fall into the next block if it starts one.
        if !terminated && insn.is_no_fallthrough() {
            terminated = true;
        }
    }
    if !terminated {
        return refuse("code runs off its end");
    }
    b.seal_all_blocks();
    b.finalize(isa.frontend_config());
    let result = result_kind.ok_or_else(|| Refusal("never returns".into()))?;
    Ok(Translation {
        func,
        exits,
        result,
        args: args.to_vec(),
        buf_slots: buf_slots.max(1),
    })
}
