//! Leaving native code: helper calls and their status checks, exit sites with their frame
//! state, exceptions caught by the function's own handlers, and edges between blocks.

use cranelift_codegen::ir::condcodes::IntCC;
use cranelift_codegen::ir::{types, Block, InstBuilder, MemFlagsData, Value};
use rustpython_vm::bytecode::{ExceptionTableEntry, Instruction};

use super::emitter::Emitter;
use super::kinds::{Kind, TypeState};
use super::typing::caught_state;
use super::{ExitKind, ExitSite};
use crate::abi::Op;
use crate::bytecode::Insn;

impl Emitter<'_, '_> {
    /// Writes the current instruction's position into the frame native code runs in
    /// (`lasti = base + unit + 1`): a helper may run Python code that reads the frame's
    /// line.
    pub(super) fn report_position(&mut self) {
        let flags = MemFlagsData::trusted();
        let cell = self.b.ins().load(
            self.ptr,
            flags,
            self.ctx,
            crate::abi::NativeCtx::POSITION_LASTI as i32,
        );
        // The base is the activation's: one translation runs in frames whose code holds
        // the function's units at different places (a stub's, a counted function's).
        let base = self.b.ins().load(
            types::I32,
            flags,
            self.ctx,
            crate::abi::NativeCtx::POSITION_BASE as i32,
        );
        let lasti = self.b.ins().iadd_imm_s(base, i64::from(self.unit + 1));
        self.b.ins().store(flags, lasti, cell, 0);
        let mirror = self.b.ins().load(
            self.ptr,
            flags,
            self.ctx,
            crate::abi::NativeCtx::POSITION_MIRROR as i32,
        );
        self.b.ins().store(flags, lasti, mirror, 0);
    }

    /// Calls an operation helper on the ops array; returns its status.
    pub(super) fn call_op(&mut self, op: Op, arg: u64) -> Value {
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
    pub(super) fn spill_locals(&mut self, st: &TypeState, at: &Insn) {
        let slots = self.store_locals(st);
        self.buf_slots = self.buf_slots.max(slots as usize);
        if !self.spilled.iter().any(|(u, _)| *u == at.at) {
            self.spilled.push((at.at, st.locals.clone()));
        }
    }

    /// Stores the locals of state `st` into the exit buffer from slot 0 (an unbound local
    /// keeps its slot, unwritten); returns the next free slot. The exit layout.
    pub(super) fn store_locals(&mut self, st: &TypeState) -> i32 {
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
    pub(super) fn emit_exit(
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
        // An exit is cold: its drops are calls, not the inline sequence.
        for t in temps {
            self.decref_out_of_line(*t);
        }
        let site = self.exits.len();
        self.exits.push(ExitSite {
            resume_at: at.start,
            locals: st.locals.clone(),
            stack: st.stack.clone(),
            reason,
            kind,
        });
        // The stack is the site's own; the locals often hold the same values as at the
        // exits before it (no store in between), and those exits share one tail that
        // stores them: far less CLIF for Cranelift to compile, the same buffer.
        let locals = self.local_values(st);
        let flags = MemFlagsData::trusted();
        let buf = self.buf;
        let mut slot = locals.len() as i32;
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
        if let Some(&tail) = self.exit_tails.get(&locals) {
            self.b.ins().jump(tail, &[code.into()]);
            return;
        }
        let tail = self.b.create_block();
        self.b.set_cold_block(tail);
        let site = self.b.append_block_param(tail, types::I64);
        self.b.ins().jump(tail, &[code.into()]);
        // Unsealed until the end: later exits jump here too. It reads no variable, so
        // that costs nothing; its values dominate every exit that shares it (each of
        // those read the same values).
        self.b.switch_to_block(tail);
        for (slot, v) in locals.iter().enumerate() {
            if let Some(v) = v {
                self.b.ins().store(flags, *v, buf, slot as i32 * 8);
            }
        }
        self.b.ins().return_(&[site]);
        self.exit_tails.insert(locals, tail);
    }

    /// The values an exit stores for the locals of state `st`, by exit-buffer slot (the
    /// exit layout of [`Self::store_locals`]; `None`: an unbound local's unwritten slot).
    fn local_values(&mut self, st: &TypeState) -> Vec<Option<Value>> {
        let mut out = Vec::new();
        for (i, k) in st.locals.iter().enumerate() {
            match k {
                Some(k) => {
                    for part in 0..k.slots() {
                        let v = self.var(true, i, *k, part);
                        out.push(Some(self.b.use_var(v)));
                    }
                }
                None => out.push(None),
            }
        }
        out
    }

    /// The handler the VM would find for an exception raised at `at` with state `st`,
    /// with its block and typed state, if native code can go there: typing joined the
    /// raise's state into the handler's unless their kinds could not meet (then the
    /// interpreter takes the exception).
    pub(super) fn handler_for(
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
    pub(super) fn catch(
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
        self.enter(not_caught);
        self.catches_off(|e| e.emit_exit(st, at, reason, ExitKind::Raise, temps));
        self.enter(caught);
        for t in temps {
            self.decref_out_of_line(*t);
        }
        let exc = self.load_op(0);
        self.throw(st, st.stack.len(), exc, at, h, block, to);
    }

    /// Runs `f` with native catching off (an exit that must reach the interpreter).
    pub(super) fn catches_off(&mut self, f: impl FnOnce(&mut Self)) {
        let saved = std::mem::take(&mut self.catches);
        f(self);
        self.catches = saved;
    }

    /// Unwinds to handler `h` with exception `exc` (an owned reference, not on the
    /// stack) raised at `at`: drops the stack values `h.depth..live` of state `st`,
    /// pushes the offset (if `h` asks) and the exception, and jumps to the handler.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn throw(
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
    pub(super) fn running_frame(&mut self) -> Value {
        self.b.ins().load(
            self.ptr,
            MemFlagsData::trusted(),
            self.ctx,
            crate::abi::NativeCtx::POSITION_FRAME as i32,
        )
    }

    /// Before a return in an interpreter frame of its own: the frame keeps the locals the
    /// function returned with when the program holds its object (a helper checks), as the
    /// interpreter's frame does. Functions called natively skip it (one load).
    pub(super) fn keep_frame_locals(&mut self, st: &TypeState, at: &Insn) {
        let frame = self.running_frame();
        let keep = self.b.create_block();
        let cont = self.b.create_block();
        self.b.set_cold_block(keep);
        self.b.ins().brif(frame, keep, &[], cont, &[]);
        self.enter(keep);
        self.spill_locals(st, at);
        self.call_op(Op::KeepFrameLocals, u64::from(at.at));
        self.b.ins().jump(cont, &[]);
        self.enter(cont);
    }

    /// Exits when native code runs without an interpreter frame of its own (a function
    /// called natively): what comes next reads the running frame, and only a real frame
    /// follows native code's position.
    pub(super) fn exit_without_frame(&mut self, st: &TypeState, at: &Insn) {
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
    pub(super) fn exit_if(
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
        self.enter(exit);
        self.emit_exit(st, at, reason, kind, temps);
        self.enter(cont);
    }

    /// Calls helper `op` and exits with its exception when it fails; returns the status.
    pub(super) fn call_op_checked(
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
    pub(super) fn call_op_or_interpret(
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
    pub(super) fn operands(&mut self, st: &TypeState, n: usize) -> Vec<Value> {
        let d = st.stack.len();
        let mut temps = Vec::new();
        for i in 0..n {
            self.operand_at(st, d - n + i, i, &mut temps);
        }
        temps
    }

    /// Puts stack slot `slot` into ops[`op`] as an object reference the helper takes over
    /// (see [`Self::take_boxed`]); the reference made for it goes to `temps`.
    pub(super) fn operand_at(
        &mut self,
        st: &TypeState,
        slot: usize,
        op: usize,
        temps: &mut Vec<Value>,
    ) {
        let k = st.stack[slot];
        let (o, made) = self.take_boxed(false, slot, k);
        if k != Kind::Obj {
            temps.push(made);
        }
        self.store_op(op, o);
    }

    /// The common shape of an operation on the top `n` stack values done by helper `op`:
    /// its object result replaces them (an exception exits at the instruction).
    pub(super) fn op_to_obj(&mut self, st: &TypeState, at: &Insn, op: Op, arg: u64, n: usize) {
        let temps = self.operands(st, n);
        self.call_op_checked(op, arg, st, at, &temps);
        let r = self.load_op(0);
        self.set(false, st.stack.len() - n, Kind::Obj, r);
    }

    /// Drops the owned references of the given stack slots (after the instruction
    /// consumed them without a helper).
    pub(super) fn drop_stack(&mut self, st: &TypeState, range: std::ops::Range<usize>) {
        for i in range {
            self.drop_ref(false, i, st.stack[i]);
        }
    }

    /// Conversions on an edge from state `from` into a block typed `to`: boxes values
    /// whose kind was generalized there, NULLs locals bound on this path only.
    pub(super) fn convert(&mut self, from: &TypeState, to: &TypeState) {
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
    pub(super) fn edge(&mut self, from: &TypeState, to: &TypeState, target: Block) -> Block {
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
    pub(super) fn flush_edges(&mut self) {
        for (blk, from, to, target) in std::mem::take(&mut self.pending_edges) {
            self.enter(blk);
            self.convert(&from, &to);
            self.b.ins().jump(target, &[]);
        }
    }
}
