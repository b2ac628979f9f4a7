//! The emitter: CLIF variables for every local and stack slot by kind, moves, boxing and
//! reference counting of the values native code holds.

use cranelift_codegen::ir::condcodes::IntCC;
use cranelift_codegen::ir::{types, Block, InstBuilder, MemFlagsData, SigRef, StackSlot, Value};
use cranelift_frontend::{FunctionBuilder, Variable};
use rustpython_vm::bytecode::ExceptionTableEntry;

use super::kinds::{clif_type, Kind, TypeState, BORROWED_BOX};
use super::ExitSite;
use crate::abi::{HelperTable, Op};

/// Variables holding one value: one per CLIF value it needs (two for an unboxed int or
/// float, three for a range iterator).
type Vars = [Option<Variable>; 9];

pub(super) struct Emitter<'a, 'b> {
    pub(super) b: FunctionBuilder<'b>,
    pub(super) locals: Vec<Vars>,
    pub(super) stack: Vec<Vars>,
    pub(super) exits: Vec<ExitSite>,
    pub(super) buf_slots: usize,
    pub(super) buf: Value,
    pub(super) ctx: Value,
    pub(super) ops: StackSlot,
    pub(super) h: &'a HelperTable,
    pub(super) sig_ops: SigRef,
    pub(super) sig_value: SigRef,
    pub(super) sig_backedge: SigRef,
    pub(super) ptr: types::Type,
    pub(super) pending_edges: Vec<(Block, TypeState, TypeState, Block)>,
    /// Exit tails by the values they store as locals (see `Emitter::emit_exit`).
    pub(super) exit_tails: rustc_hash::FxHashMap<Vec<Option<Value>>, Block>,
    /// Operation helpers called so far (to classify each instruction's emission).
    pub(super) helper_calls: u64,
    /// An operation the helper table has no helper for: the translation is refused.
    pub(super) missing_helper: Option<Op>,
    /// Attribute sites with an inline cache so far (see [`Translation::attr_sites`]).
    pub(super) attr_sites: u32,
    /// The exception table in the VM's lookup order, each entry with its handler's block
    /// and typed state (`None` if unreachable): where a raise is caught natively.
    pub(super) catches: Vec<(ExceptionTableEntry, Option<(Block, TypeState)>)>,
    /// Unit of the instruction being emitted: what the frame reports while a helper
    /// called for it runs (see [`crate::frames`]).
    pub(super) unit: u32,
    /// See [`Translation::spilled`].
    pub(super) spilled: Vec<(u32, Vec<Option<Kind>>)>,
    /// Per value-stack slot: the local its unboxed value was loaded from in this block,
    /// while that local still holds it. Boxing such a value boxes the local's (once), so
    /// that every copy of a value computed here boxes to the same object.
    pub(super) origin: Vec<Option<usize>>,
    /// Per local: whether it may own its box (the others' are NULL or borrowed).
    pub(super) owners: Vec<bool>,
    /// Per local: whether a box was written back to it (what `owners` must say).
    pub(super) written_back: Vec<bool>,
    /// Per value-stack slot: its box is known not to be owned (in this block).
    pub(super) unowned_stack: Vec<bool>,
    /// The instruction being emitted is the function's last (a return, or what the
    /// return right after it returns): a box made for a copy of a local need not be
    /// written back to the local, unless another copy is boxed too.
    pub(super) returning: bool,
    /// Returns give the frame their locals when the program holds its object (see
    /// [`Emitter::keep_frame_locals`]): in code that reads its frame or catches
    /// exceptions (a traceback's frame), the ways a program comes to hold it. Elsewhere
    /// the locals stay dead after their last use.
    pub(super) keeps_frame_locals: bool,
    /// Per local: the group of locals known to hold the same unboxed value in this block
    /// (`y = x`); boxing one boxes them all, so `y is x` holds.
    pub(super) group: Vec<usize>,
    pub(super) next_group: usize,
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

/// Where a function's values live: its slot counts and the entry block's parameters.
pub(super) struct Frame {
    pub nslots: usize,
    pub max_stack: usize,
    /// The exit buffer (`buf`), the native context (`ctx`), the helpers' operand array.
    pub buf: Value,
    pub ctx: Value,
    pub ops: StackSlot,
    pub ptr: types::Type,
}

/// The signatures of the helpers native code calls indirectly.
pub(super) struct Signatures {
    pub ops: SigRef,
    pub value: SigRef,
    pub backedge: SigRef,
}

impl<'a, 'b> Emitter<'a, 'b> {
    pub(super) fn new(
        b: FunctionBuilder<'b>,
        frame: Frame,
        h: &'a HelperTable,
        sigs: Signatures,
        catches: Vec<(ExceptionTableEntry, Option<(Block, TypeState)>)>,
        owners: &[bool],
        keeps_frame_locals: bool,
    ) -> Self {
        let Frame {
            nslots,
            max_stack,
            buf,
            ctx,
            ops,
            ptr,
        } = frame;
        Emitter {
            b,
            locals: vec![[None; 9]; nslots],
            stack: vec![[None; 9]; max_stack],
            exits: Vec::new(),
            buf_slots: 1,
            buf,
            ctx,
            ops,
            h,
            sig_ops: sigs.ops,
            sig_value: sigs.value,
            sig_backedge: sigs.backedge,
            ptr,
            pending_edges: Vec::new(),
            exit_tails: Default::default(),
            helper_calls: 0,
            missing_helper: None,
            attr_sites: 0,
            catches,
            unit: 0,
            spilled: Vec::new(),
            origin: vec![None; max_stack],
            owners: owners.to_vec(),
            written_back: vec![false; nslots],
            unowned_stack: vec![false; max_stack],
            returning: false,
            keeps_frame_locals,
            group: (0..nslots).collect(),
            next_group: nslots,
        }
    }
}

impl Emitter<'_, '_> {
    /// The helper argument of an attribute site with an inline cache: the name index in
    /// the low half, the site number + 1 in the high half.
    pub(super) fn attr_site(&mut self, name: u32) -> u64 {
        self.attr_sites += 1;
        u64::from(name) | (u64::from(self.attr_sites) << 32)
    }

    pub(super) fn var(&mut self, local: bool, i: usize, k: Kind, part: usize) -> Variable {
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
    pub(super) fn get(&mut self, local: bool, i: usize, k: Kind) -> Value {
        let v = self.var(local, i, k, 0);
        self.b.use_var(v)
    }
    /// Sets a slot to value `v` of kind `k`; an unboxed value computed here has no box.
    pub(super) fn set(&mut self, local: bool, i: usize, k: Kind, v: Value) {
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
    pub(super) fn assigned(&mut self, local: bool, i: usize, origin: Option<usize>) {
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
    pub(super) fn unowned(&self, local: bool, i: usize) -> bool {
        if local {
            !self.owners.get(i).copied().unwrap_or(true)
        } else {
            self.unowned_stack.get(i).copied().unwrap_or(false)
        }
    }
    pub(super) fn set_unowned(&mut self, local: bool, i: usize, unowned: bool) {
        if !local {
            if self.unowned_stack.len() <= i {
                self.unowned_stack.resize(i + 1, false);
            }
            self.unowned_stack[i] = unowned;
        }
    }
    pub(super) fn forget_groups(&mut self) {
        for g in self.group.iter_mut() {
            self.next_group += 1;
            *g = self.next_group;
        }
    }
    pub(super) fn forget_origins(&mut self, which: impl Fn(usize) -> bool) {
        for o in self.origin.iter_mut() {
            if o.is_some_and(&which) {
                *o = None;
            }
        }
    }
    /// Before stack slot `i` (kind `k`) without a box of its own is boxed: it takes the
    /// box of the local it was loaded from, boxing that local first if need be.
    pub(super) fn share_origin_box(&mut self, i: usize, k: Kind) {
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
        self.enter(fill);
        let lb = self.b.use_var(local_box);
        self.b.ins().brif(lb, share, &[lb.into()], alloc, &[]);
        self.enter(alloc);
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
        self.enter(share);
        let p = self.b.block_params(share)[0];
        // ... and the slot a reference of its own.
        self.b.def_var(slot_box, p);
        let owned = self.owned_box(p);
        self.incref(owned);
        self.b.ins().jump(done, &[]);
        self.enter(done);
    }
    /// The reference part of a slot (an object, or a box), if its kind has one.
    pub(super) fn owned(&mut self, local: bool, i: usize, k: Kind) -> Option<Value> {
        let part = k.owned_part()?;
        let var = self.var(local, i, k, part);
        Some(self.b.use_var(var))
    }
    /// The reference a slot owns (NULL allowed): its object, or its box if owned; `None`
    /// if it can own none (a borrowed box stays borrowed).
    pub(super) fn owned_ref(&mut self, local: bool, i: usize, k: Kind) -> Option<Value> {
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
    pub(super) fn copy_ref(&mut self, local: bool, i: usize, k: Kind) {
        if let Some(v) = self.owned_ref(local, i, k) {
            self.incref(v);
        }
    }
    /// Drops the reference a slot owns.
    pub(super) fn drop_ref(&mut self, local: bool, i: usize, k: Kind) {
        if let Some(v) = self.owned_ref(local, i, k) {
            self.decref(v);
        }
    }
    /// `b` if it is an owned box, else NULL (no box, or a borrowed one).
    pub(super) fn owned_box(&mut self, b: Value) -> Value {
        let tag = self.b.ins().band_imm_u(b, BORROWED_BOX as i64);
        let zero = self.b.ins().iconst(types::I64, 0);
        self.b.ins().select(tag, zero, b)
    }
    /// Copies every part of a value between slots.
    pub(super) fn mov(&mut self, from: (bool, usize), to: (bool, usize), k: Kind) {
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
    pub(super) fn call_value(&mut self, addr: usize, x: Value) -> Value {
        let f = self.b.ins().iconst(self.ptr, addr as i64);
        let call = self.b.ins().call_indirect(self.sig_value, f, &[x]);
        self.b.inst_results(call)[0]
    }
    /// Switches to `block` and seals it. For the blocks the emitter makes for its own
    /// branches (guards, exits, refcount paths, edges), whose predecessors are all emitted
    /// by the time it switches to them. Sealed, a local read there follows the single
    /// predecessor instead of adding a block parameter resolved at the end: most of the
    /// SSA builder's and Cranelift's work on guard-heavy code.
    pub(super) fn enter(&mut self, block: Block) {
        self.b.switch_to_block(block);
        self.b.seal_block(block);
    }

    /// Adds a reference to `x` (NULL allowed). Inline when the refcount layout was
    /// verified at start-up ([`HelperTable::inline_refcounts`]): immortal objects are left
    /// alone, others get an atomic increment of the count in the object's first word.
    pub(super) fn incref(&mut self, x: Value) {
        if self.const_of(x) == Some(0) {
            return;
        }
        if !self.h.inline_refcounts {
            self.call_value(self.h.incref, x);
            return;
        }
        let done = self.b.create_block();
        let live = self.b.create_block();
        let nonnull = self.b.create_block();
        self.b.ins().brif(x, nonnull, &[], done, &[]);
        self.enter(nonnull);
        let w = self.b.ins().load(types::I64, MemFlagsData::trusted(), x, 0);
        let imm = self
            .b
            .ins()
            .band_imm_u(w, crate::vm::REFCOUNT_IMMORTAL as i64);
        self.b.ins().brif(imm, done, &[], live, &[]);
        self.enter(live);
        let one = self.b.ins().iconst(types::I64, 1);
        self.b.ins().atomic_rmw(
            types::I64,
            MemFlagsData::trusted(),
            cranelift_codegen::ir::AtomicRmwOp::Add,
            x,
            one,
        );
        self.b.ins().jump(done, &[]);
        self.enter(done);
    }
    /// The value of `v` if it is an integer constant of this function: what a branch on
    /// it will do is then known while emitting (no mid-end folds it later).
    pub(super) fn const_of(&self, v: Value) -> Option<i64> {
        use cranelift_codegen::ir::{InstructionData, Opcode, ValueDef};
        let ValueDef::Result(inst, _) = self.b.func.dfg.value_def(v) else {
            return None;
        };
        match self.b.func.dfg.insts[inst] {
            InstructionData::UnaryImm {
                opcode: Opcode::Iconst,
                imm,
            } => Some(imm.bits()),
            _ => None,
        }
    }
    /// Drops references `xs` (NULL allowed) in one helper call when there are several:
    /// the inline sequence of [`Self::decref`] is about 17 instructions and 5 blocks each,
    /// which at a return (every local) was the largest part of many functions' CLIF.
    /// Uses the exit buffer from slot 1 (a return's result goes to slot 0 after).
    pub(super) fn decref_many(&mut self, xs: &[Value]) {
        let xs: Vec<Value> = xs
            .iter()
            .copied()
            .filter(|x| self.const_of(*x) != Some(0))
            .collect();
        if xs.len() < 2 || !self.h.inline_refcounts {
            xs.into_iter().for_each(|x| self.decref(x));
            return;
        }
        let flags = MemFlagsData::trusted();
        let n = self.b.ins().iconst(types::I64, xs.len() as i64);
        self.b.ins().store(flags, n, self.buf, 8);
        for (i, x) in xs.iter().enumerate() {
            self.b.ins().store(flags, *x, self.buf, 8 * (i as i32 + 2));
        }
        self.buf_slots = self.buf_slots.max(xs.len() + 2);
        let at = self.b.ins().iadd_imm_s(self.buf, 8);
        self.call_value(self.h.decref_all, at);
    }
    /// Drops a reference to `x` (NULL allowed) with a helper call: for cold paths (exits,
    /// exceptions), where the inline sequence only costs compile time.
    pub(super) fn decref_out_of_line(&mut self, x: Value) {
        if self.const_of(x) != Some(0) {
            self.call_value(self.h.decref, x);
        }
    }
    /// Drops a reference to `x` (NULL allowed). Inline while the count stays above one
    /// (a compare-and-swap); the last reference, or a lost race, goes to the helper,
    /// which runs the VM's own deallocation.
    pub(super) fn decref(&mut self, x: Value) {
        if self.const_of(x) == Some(0) {
            return;
        }
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
        self.enter(nonnull);
        let w = self.b.ins().load(types::I64, MemFlagsData::trusted(), x, 0);
        let imm = self
            .b
            .ins()
            .band_imm_u(w, crate::vm::REFCOUNT_IMMORTAL as i64);
        self.b.ins().brif(imm, done, &[], mortal, &[]);
        self.enter(mortal);
        let count = self
            .b
            .ins()
            .band_imm_u(w, crate::vm::REFCOUNT_STRONG as i64);
        let last = self
            .b
            .ins()
            .icmp_imm_s(IntCC::UnsignedLessThanOrEqual, count, 1);
        self.b.ins().brif(last, slow, &[], many, &[]);
        self.enter(many);
        let w1 = self.b.ins().iadd_imm_s(w, -1);
        let old = self.b.ins().atomic_cas(MemFlagsData::trusted(), x, w, w1);
        let raced = self.b.ins().icmp(IntCC::NotEqual, old, w);
        self.b.ins().brif(raced, slow, &[], done, &[]);
        self.enter(slow);
        self.call_value(self.h.decref, x);
        self.b.ins().jump(done, &[]);
        self.enter(done);
    }
    /// A new box for unboxed `x` of kind `k` (an int or a float).
    fn new_box(&mut self, x: Value, k: Kind) -> Value {
        if k == Kind::Int {
            self.call_value(self.h.box_int, x)
        } else {
            let bits = self.b.ins().bitcast(types::I64, MemFlagsData::new(), x);
            self.call_value(self.h.box_float, bits)
        }
    }
    /// Takes the value of a slot as an owned object reference, consuming the slot: an
    /// object as it is, an unboxed value as its box (an owned box handed over, a
    /// borrowed one with a new reference) or, without one, a new box. Also returns the
    /// reference created here (NULL if the slot's own was handed over): what must be
    /// dropped if the slot is kept after all (an exit before the consumer ran).
    pub(super) fn take_boxed(&mut self, local: bool, i: usize, k: Kind) -> (Value, Value) {
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
                if self.const_of(b) == Some(0) {
                    // No box yet: a new one, owned by the taker.
                    let o = self.new_box(x, k);
                    return (o, o);
                }
                let have = self.b.create_block();
                let make = self.b.create_block();
                let done = self.b.create_block();
                self.b.append_block_param(done, types::I64);
                self.b.append_block_param(done, types::I64);
                self.b.ins().brif(b, have, &[], make, &[]);
                self.enter(make);
                let o = self.new_box(x, k);
                self.b.ins().jump(done, &[o.into(), o.into()]);
                self.enter(have);
                let tag = self.b.ins().band_imm_u(b, BORROWED_BOX as i64);
                let borrowed = self.b.create_block();
                let none = self.b.ins().iconst(types::I64, 0);
                self.b
                    .ins()
                    .brif(tag, borrowed, &[], done, &[b.into(), none.into()]);
                self.enter(borrowed);
                let p = self.b.ins().bxor_imm_u(b, BORROWED_BOX as i64);
                self.incref(p);
                self.b.ins().jump(done, &[p.into(), p.into()]);
                self.enter(done);
                let params = self.b.block_params(done);
                (params[0], params[1])
            }
            Kind::Range => unreachable!("range iterators are never boxed in native code"),
        }
    }
    pub(super) fn store_op(&mut self, i: usize, v: Value) {
        self.b
            .ins()
            .stack_store(self.ptr, v, self.ops, (i * 8) as i32);
    }
    pub(super) fn load_op(&mut self, i: usize) -> Value {
        self.b
            .ins()
            .stack_load(self.ptr, types::I64, self.ops, (i * 8) as i32)
    }
}
