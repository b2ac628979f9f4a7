//! Calls: through the call helpers (which enter compiled callees directly), with the
//! locals spilled for callees that read the caller's frame; `for x in range(...)` becomes
//! an unboxed counter.

use cranelift_codegen::ir::condcodes::IntCC;
use cranelift_codegen::ir::{types, InstBuilder, Value};
use rustpython_vm::builtins::PyCode;
use rustpython_vm::bytecode::Instruction;
use rustpython_vm::Py;

use super::arith::unboxed_operand;
use super::{push, type_pops_to_obj, EmitSite, Form, TypingSite};
use crate::abi::Op;
use crate::bytecode::{Analysis, Insn};
use crate::translate::emitter::Emitter;
use crate::translate::introspection::{called_global, takes_callers_module};
use crate::translate::kinds::{Kind, TypeState};
use crate::translate::profile::Profile;
use crate::translate::typing::Flow;
use crate::translate::{ExitKind, Refusal};
use Kind::*;

pub(super) const CALL: Form = Form::op(type_call, emit_call).generalizes();
pub(super) const CALL_KW: Form = Form::op(type_call_kw, emit_call_kw);
pub(super) const CALL_FUNCTION_EX: Form = Form::op(type_pops_to_obj::<4>, emit_call_function_ex);

/// Whether `CALL` at `k` is `range(int, ...)` immediately iterated (`for x in range(...)`).
/// Arguments native code only knows as objects (an attribute as in `range(self.width)`, a
/// shift's result) are speculated to be ints when the callable is the global `range`.
fn is_range_loop(code: &Py<PyCode>, a: &Analysis, k: usize, st: &TypeState) -> bool {
    let insn = &a.insns[k];
    let n = insn.arg as usize;
    let shape = matches!(insn.op, Instruction::Call { .. })
        && (1..=3).contains(&n)
        && a.insns
            .get(k + 1)
            .is_some_and(|i| matches!(i.op, Instruction::GetIter))
        // Iterated here (a for-loop or an inlined comprehension), not passed on as a
        // generator expression's argument (`GET_ITER; CALL 0`).
        && a.insns
            .get(k + 2)
            .is_some_and(|i| !matches!(i.op, Instruction::Call { .. }))
        && st.stack.len() >= n + 2;
    if !shape {
        return false;
    }
    let args = &st.stack[st.stack.len() - n..];
    args.iter().all(|k| *k == Int)
        || (args.iter().all(|k| matches!(k, Int | Obj))
            && called_global(code, a, k, n) == Some("range"))
}

/// A call of a builtin the interpreter quickened (`CALL_LEN`, `CALL_ISINSTANCE`,
/// `CALL_LIST_APPEND`, `CALL_TYPE_1`, `CALL_STR_1`, `CALL_TUPLE_1`), done natively by a
/// narrow helper behind a guard on the callable's identity.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum BuiltinCall {
    Len,
    IsInstance,
    ListAppend,
    /// `type(x)`, `str(x)`, `tuple(x)`: the helper's argument.
    Class1(u64),
}

impl BuiltinCall {
    /// The kind of the call's result.
    fn result(self) -> Kind {
        match self {
            BuiltinCall::Len => Int,
            BuiltinCall::IsInstance => Bool,
            BuiltinCall::ListAppend | BuiltinCall::Class1(_) => Obj,
        }
    }
}

/// The builtin call at instruction `k` (with `n` arguments, stack `st` before it), if the
/// interpreter quickened it to one native code does inline, or never ran it (code before
/// a loop that on-stack replacement enters runs once: `n = len(xs)`, `range(len(xs))`)
/// and it calls the global `len` or `isinstance` (speculated to be the builtin: the
/// same guard on its identity).
fn builtin_call(
    code: &Py<PyCode>,
    a: &Analysis,
    p: &Profile,
    k: usize,
    n: usize,
    st: &TypeState,
) -> Option<BuiltinCall> {
    use crate::abi::{STR_1, TUPLE_1, TYPE_1};
    use Instruction as I;
    let d = st.stack.len();
    let head = st.stack.get(d.checked_sub(n + 2)?..d - n)?;
    let args = &st.stack[d - n..];
    if head != [Obj, Obj] || args.contains(&Range) {
        return None;
    }
    Some(match p.spec(k)? {
        I::CallLen if n == 1 => BuiltinCall::Len,
        I::CallIsinstance if n == 2 => BuiltinCall::IsInstance,
        I::CallListAppend if n == 1 => BuiltinCall::ListAppend,
        I::CallType1 if n == 1 => BuiltinCall::Class1(TYPE_1),
        I::CallStr1 if n == 1 => BuiltinCall::Class1(STR_1),
        I::CallTuple1 if n == 1 => BuiltinCall::Class1(TUPLE_1),
        I::Call { .. } => match called_global(code, a, k, n)? {
            "len" if n == 1 => BuiltinCall::Len,
            "isinstance" if n == 2 => BuiltinCall::IsInstance,
            _ => return None,
        },
        _ => return None,
    })
}

fn type_call(s: &TypingSite, st: &mut TypeState) -> Result<Flow, Refusal> {
    let range = is_range_loop(s.code, s.a, s.k, st) && s.p.may_call_range(s.k);
    let builtin = builtin_call(s.code, s.a, s.p, s.k, s.arg as usize, st);
    s.popn(st, s.arg as usize + 2)?;
    st.stack.push(match builtin {
        _ if range => Range,
        Some(b) => b.result(),
        None => Obj,
    });
    Ok(Flow::Next)
}

/// A quickened builtin call: guards that the callable is the builtin it was (and that
/// the self slot is NULL, or for `list.append` set), then its narrow helper.
fn emit_builtin_call(e: &mut Emitter, st: &TypeState, insn: &Insn, n: usize, b: BuiltinCall) {
    use crate::abi::{STR_1, TYPE_1};
    let d = st.stack.len();
    let head = d - n - 2;
    let expected = match b {
        BuiltinCall::Len => e.h.len,
        BuiltinCall::IsInstance => e.h.isinstance,
        BuiltinCall::ListAppend => e.h.list_append,
        BuiltinCall::Class1(TYPE_1) => e.h.type_type,
        BuiltinCall::Class1(STR_1) => e.h.str_type,
        BuiltinCall::Class1(_) => e.h.tuple_type,
    };
    let callable = e.get(false, head, Obj);
    let selfv = e.get(false, head + 1, Obj);
    let other =
        e.b.ins()
            .icmp_imm_s(IntCC::NotEqual, callable, expected as i64);
    let self_cc = if b == BuiltinCall::ListAppend {
        IntCC::Equal
    } else {
        IntCC::NotEqual
    };
    let bad_self = e.b.ins().icmp_imm_s(self_cc, selfv, 0);
    let miss = e.b.ins().bor(other, bad_self);
    let reason = "a quickened builtin call met another callable";
    e.exit_if(miss, st, insn, reason, ExitKind::Guard, &[]);
    // What may run Python code (`__len__`, `__instancecheck__`, `__str__`, iteration)
    // sees the caller's locals, as for any call: spilled once the operands are taken
    // (taking one may box a local's value, which the spill must show).
    let may_run_python = !matches!(b, BuiltinCall::ListAppend | BuiltinCall::Class1(TYPE_1));
    let take = |e: &mut Emitter, count: usize| {
        let temps = e.operands(st, count);
        if may_run_python {
            e.spill_locals(st, insn);
        }
        temps
    };
    let result = match b {
        BuiltinCall::Len => {
            let temps = take(e, 1);
            e.call_op_checked(Op::Len, 0, st, insn, &temps);
            e.load_op(1)
        }
        BuiltinCall::IsInstance => {
            let temps = take(e, 2);
            e.call_op_checked(Op::IsInstance, 0, st, insn, &temps);
            e.load_op(0)
        }
        BuiltinCall::ListAppend => {
            // The list (self) is borrowed, the item handed over.
            e.store_op(0, selfv);
            let mut temps = Vec::new();
            e.operand_at(st, d - 1, 1, &mut temps);
            let reason = "list.append on a list subclass";
            e.call_op_or_interpret(Op::ListAppendMethod, 0, st, insn, &temps, reason);
            let none = e.b.ins().iconst(types::I64, e.h.none as i64);
            e.incref(none);
            none
        }
        BuiltinCall::Class1(which) => {
            let temps = take(e, 1);
            e.call_op_checked(Op::BuiltinClass1, which, st, insn, &temps);
            e.load_op(0)
        }
    };
    e.drop_stack(st, head..head + 2);
    push!(e, head, b.result(), result);
}

fn emit_call(e: &mut Emitter, s: &EmitSite) -> Result<bool, Refusal> {
    let EmitSite {
        insn,
        arg,
        st,
        after,
        d,
        ..
    } = *s;
    let n = arg as usize;
    if takes_callers_module(s.code, s.a, s.k) {
        e.exit_without_frame(st, insn);
    }
    if after.stack.last() == Some(&Range) {
        emit_range(e, st, insn, n);
    } else if let Some(b) = builtin_call(s.code, s.a, s.p, s.k, n, st) {
        emit_builtin_call(e, st, insn, n, b);
    } else {
        let temps = e.operands(st, n + 2);
        e.spill_locals(st, insn);
        let op = if calls_a_builtin(s.p, s.k) {
            Op::CallBuiltin
        } else {
            Op::Call
        };
        e.call_op_checked(op, u64::from(arg), st, insn, &temps);
        push!(e, d - n - 2, Obj, e.load_op(0));
    }
    Ok(false)
}

/// Whether the interpreter quickened call `k` for a builtin function or method
/// descriptor: `h_call_builtin` then calls it without looking for a Python callee first.
fn calls_a_builtin(p: &Profile, k: usize) -> bool {
    use Instruction as I;
    matches!(
        p.spec(k),
        Some(
            I::CallBuiltinO
                | I::CallBuiltinFast
                | I::CallBuiltinFastWithKeywords
                | I::CallMethodDescriptorO
                | I::CallMethodDescriptorFast
                | I::CallMethodDescriptorNoargs
                | I::CallMethodDescriptorFastWithKeywords
        )
    )
}

fn type_call_kw(s: &TypingSite, st: &mut TypeState) -> Result<Flow, Refusal> {
    s.popn(st, s.arg as usize + 3)?;
    st.stack.push(Obj);
    Ok(Flow::Next)
}

fn emit_call_kw(e: &mut Emitter, s: &EmitSite) -> Result<bool, Refusal> {
    let EmitSite {
        insn, arg, st, d, ..
    } = *s;
    let n = arg as usize;
    let temps = e.operands(st, n + 3);
    e.spill_locals(st, insn);
    e.call_op_checked(Op::CallKw, u64::from(arg), st, insn, &temps);
    push!(e, d - n - 3, Obj, e.load_op(0));
    Ok(false)
}

fn emit_call_function_ex(e: &mut Emitter, s: &EmitSite) -> Result<bool, Refusal> {
    e.spill_locals(s.st, s.insn);
    e.op_to_obj(s.st, s.insn, Op::CallEx, 0, 4);
    Ok(false)
}

/// `range(a[, b[, c]])` followed by GET_ITER: guards that `range` is the builtin (and the
/// NULL slot is NULL), then computes the loop's (next, remaining, step).
fn emit_range(e: &mut Emitter, st: &TypeState, insn: &Insn, n: usize) {
    let d = st.stack.len();
    let callable = e.get(false, d - n - 2, Obj);
    let selfv = e.get(false, d - n - 1, Obj);
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
    // An object argument is unboxed behind a guard (an int that fits 64 bits).
    let ints: Vec<Value> = (0..n)
        .map(|i| unboxed_operand(e, st, insn, d - n + i, Int).0)
        .collect();
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
    let remaining = range_length(e, start, stop, step);
    // The callable and NULL slots hold references the call consumes, and so do the
    // arguments' boxes.
    e.decref(callable);
    for i in 0..n {
        e.drop_ref(false, d - n + i, st.stack[d - n + i]);
    }
    let slot = d - n - 2;
    for (part, v) in [start, remaining, step].into_iter().enumerate() {
        let var = e.var(false, slot, Range, part);
        e.b.def_var(var, v);
    }
}

/// remaining = ceil(|stop - start| / |step|) when moving toward stop, else 0; in unsigned
/// arithmetic, exact for every i64 start/stop/step (step != 0).
fn range_length(e: &mut Emitter, start: Value, stop: Value, step: Value) -> Value {
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
    e.b.ins().select(moving, cnt, zero64)
}
