//! Decoding and analysis of RustPython 0.6 bytecode (CPython 3.14 format): instructions with
//! their unit offsets, jump targets, the exception table, basic-block leaders and the value
//! stack depth before every instruction.
//!
//! Everything that needs a stack shape (the translator, and deoptimization, which rebuilds an
//! interpreter frame) takes it from [`Analysis`], so the two cannot disagree: the VM trusts
//! bytecode and a wrong shape would make it panic instead of raising.

use rustpython_vm::bytecode::{
    decode_exception_table, CodeObject, Constant, ExceptionTableEntry, Instruction, OpArgState,
};

/// One decoded instruction. Offsets are in 2-byte code units, as the VM's `lasti`.
#[derive(Clone, Copy, Debug)]
pub struct Insn {
    /// Unit of the first `EXTENDED_ARG` prefix, or of the opcode itself.
    pub start: u32,
    /// Unit of the opcode.
    pub at: u32,
    /// The base (unspecialized) instruction.
    pub op: Instruction,
    /// The specialized form the adaptive interpreter chose, if any: a free type profile.
    pub quickened: Instruction,
    /// The full argument, with `EXTENDED_ARG` prefixes folded in.
    pub arg: u32,
    /// Unit after the opcode and its inline caches: where execution falls through to.
    pub next: u32,
}

impl Insn {
    /// The unit a jump lands on, for instructions that jump (relative to `next`).
    pub fn jump_target(&self) -> Option<u32> {
        use Instruction as I;
        match self.op {
            I::JumpForward { .. }
            | I::PopJumpIfFalse { .. }
            | I::PopJumpIfTrue { .. }
            | I::PopJumpIfNone { .. }
            | I::PopJumpIfNotNone { .. }
            | I::ForIter { .. }
            | I::Send { .. } => Some(self.next + self.arg),
            I::JumpBackward { .. } | I::JumpBackwardNoInterrupt { .. } => {
                self.next.checked_sub(self.arg)
            }
            I::EndAsyncFor => self.next.checked_sub(self.arg),
            _ => None,
        }
    }

    /// Control never continues at `next` after this instruction.
    pub fn is_no_fallthrough(&self) -> bool {
        use Instruction as I;
        matches!(
            self.op,
            I::ReturnValue
                | I::RaiseVarargs { .. }
                | I::Reraise { .. }
                | I::JumpForward { .. }
                | I::JumpBackward { .. }
                | I::JumpBackwardNoInterrupt { .. }
        )
    }

    /// A loop back-edge: where hotness of a loop is counted and signals are checked.
    pub fn is_back_edge(&self) -> bool {
        matches!(self.op, Instruction::JumpBackward { .. })
    }
}

/// Why bytecode could not be analysed (corrupt input, or a shape we do not model).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AnalysisError(pub String);

impl std::fmt::Display for AnalysisError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Decodes every instruction of `code`, skipping inline caches.
pub fn decode<C: Constant>(code: &CodeObject<C>) -> Result<Vec<Insn>, AnalysisError> {
    let units = &*code.instructions;
    let mut out = Vec::new();
    let mut state = OpArgState::default();
    let mut start = 0u32;
    let mut i = 0usize;
    while i < units.len() {
        let unit = units[i];
        let (quickened, arg) = state.get(unit);
        if matches!(quickened, Instruction::ExtendedArg) {
            i += 1;
            continue;
        }
        let op = quickened.deoptimize();
        let next = i + 1 + op.cache_entries();
        if next > units.len() {
            return Err(AnalysisError(format!(
                "instruction at {i} runs past the end of the code"
            )));
        }
        out.push(Insn {
            start,
            at: i as u32,
            op,
            quickened,
            arg: u32::from(arg),
            next: next as u32,
        });
        i = next;
        start = next as u32;
    }
    Ok(out)
}

/// The results of analysing one code object.
#[derive(Debug)]
pub struct Analysis {
    pub insns: Vec<Insn>,
    pub exception_table: Vec<ExceptionTableEntry>,
    /// Stack depth before each instruction (parallel to `insns`); `None` = unreachable.
    pub depth: Vec<Option<u32>>,
    /// Instructions that start a basic block (jump targets, handlers, after terminators).
    pub leaders: Vec<bool>,
    /// Per instruction: inside an exception handler (after `PUSH_EXC_INFO`, before its
    /// `POP_EXCEPT`), the value-stack index of the outermost handler's saved previous
    /// exception, which is what the thread's handled exception goes back to when the
    /// function leaves its handlers. A deoptimization in a handler needs it.
    pub handling: Vec<Option<u32>>,
}

impl Analysis {
    pub fn new<C: Constant>(code: &CodeObject<C>) -> Result<Self, AnalysisError> {
        let insns = decode(code)?;
        let exception_table = decode_exception_table(&code.exceptiontable);
        let index_of = |unit: u32| insns.binary_search_by_key(&unit, |i| i.start).ok();
        let mut leaders = vec![false; insns.len()];
        if !insns.is_empty() {
            leaders[0] = true;
        }
        for (k, insn) in insns.iter().enumerate() {
            if let Some(t) = insn.jump_target() {
                let t = index_of(t).ok_or_else(|| {
                    AnalysisError(format!("jump at {} to {t}, not an instruction", insn.at))
                })?;
                leaders[t] = true;
                if k + 1 < insns.len() {
                    leaders[k + 1] = true;
                }
            }
            if insn.is_no_fallthrough() && k + 1 < insns.len() {
                leaders[k + 1] = true;
            }
        }
        for e in &exception_table {
            let t = index_of(e.target).ok_or_else(|| {
                AnalysisError(format!(
                    "exception handler at {}, not an instruction",
                    e.target
                ))
            })?;
            leaders[t] = true;
        }

        // Stack depths by a worklist over the CFG, with the VM's own stack effects.
        let mut depth: Vec<Option<u32>> = vec![None; insns.len()];
        let mut work = Vec::new();
        let set = |k: usize,
                   d: i64,
                   depth: &mut Vec<Option<u32>>,
                   work: &mut Vec<usize>|
         -> Result<(), AnalysisError> {
            if d < 0 || d > i64::from(code.max_stackdepth) + 1 {
                return Err(AnalysisError(format!(
                    "stack depth {d} out of range at unit {}",
                    insns[k].at
                )));
            }
            match depth[k] {
                None => {
                    depth[k] = Some(d as u32);
                    work.push(k);
                    Ok(())
                }
                Some(old) if i64::from(old) == d => Ok(()),
                Some(old) => Err(AnalysisError(format!(
                    "inconsistent stack depth at unit {}: {old} vs {d}",
                    insns[k].at
                ))),
            }
        };
        if !insns.is_empty() {
            set(0, 0, &mut depth, &mut work)?;
        }
        while let Some(k) = work.pop() {
            let insn = insns[k];
            let d = i64::from(depth[k].unwrap());
            // Exception handlers covering this instruction are reachable from it.
            for e in exception_table
                .iter()
                .filter(|e| e.start <= insn.at && insn.at < e.end)
            {
                let t = index_of(e.target).unwrap();
                let hd = i64::from(e.depth) + 1 + i64::from(e.push_lasti);
                set(t, hd, &mut depth, &mut work)?;
            }
            let effect = i64::from(insn.op.stack_effect(insn.arg));
            if let Some(t) = insn.jump_target() {
                let t = index_of(t).unwrap();
                let jd = d + i64::from(insn.op.stack_effect_jump(insn.arg));
                set(t, jd, &mut depth, &mut work)?;
            }
            if !insn.is_no_fallthrough() && k + 1 < insns.len() {
                set(k + 1, d + effect, &mut depth, &mut work)?;
            }
        }
        let handling = handling(&insns, &exception_table, &depth);
        Ok(Self {
            insns,
            exception_table,
            depth,
            leaders,
            handling,
        })
    }

    /// The exception-table entry whose handler runs when the instruction at unit `at`
    /// raises: the first that covers it, as the VM looks it up.
    pub fn handler_of(&self, at: u32) -> Option<&ExceptionTableEntry> {
        self.exception_table
            .iter()
            .find(|e| e.start <= at && at < e.end)
    }

    /// Index in `insns` of the instruction starting at `unit`.
    pub fn index_of(&self, unit: u32) -> Option<usize> {
        self.insns.binary_search_by_key(&unit, |i| i.start).ok()
    }
}

/// [`Analysis::handling`], over the same edges as the stack depths: `PUSH_EXC_INFO` at
/// depth `d` leaves the previous exception at index `d - 1`; the outermost such slot stays
/// until the stack drops below it (its `POP_EXCEPT`, or unwinding to an outer handler).
fn handling(
    insns: &[Insn],
    table: &[ExceptionTableEntry],
    depth: &[Option<u32>],
) -> Vec<Option<u32>> {
    let index_of = |unit: u32| insns.binary_search_by_key(&unit, |i| i.start).ok();
    let mut out: Vec<Option<Option<u32>>> = vec![None; insns.len()];
    let mut work = Vec::new();
    if !insns.is_empty() {
        out[0] = Some(None);
        work.push(0);
    }
    let visit =
        |t: usize, slot: Option<u32>, out: &mut Vec<Option<Option<u32>>>, work: &mut Vec<usize>| {
            let Some(d) = depth[t] else { return };
            let slot = slot.filter(|&i| i < d);
            // Valid bytecode reaches an instruction with one handler nesting; keep the first.
            if out[t].is_none() {
                out[t] = Some(slot);
                work.push(t);
            }
        };
    while let Some(k) = work.pop() {
        let insn = insns[k];
        let (Some(d), Some(here)) = (depth[k], out[k]) else {
            continue;
        };
        let after = match insn.op {
            Instruction::PushExcInfo => here.or(d.checked_sub(1)),
            _ => here,
        };
        for e in table
            .iter()
            .filter(|e| e.start <= insn.at && insn.at < e.end)
        {
            if let Some(t) = index_of(e.target) {
                visit(
                    t,
                    here.filter(|&i| i < u32::from(e.depth)),
                    &mut out,
                    &mut work,
                );
            }
        }
        if let Some(t) = insn.jump_target().and_then(index_of) {
            visit(t, after, &mut out, &mut work);
        }
        if !insn.is_no_fallthrough() && k + 1 < insns.len() {
            visit(k + 1, after, &mut out, &mut work);
        }
    }
    out.into_iter().map(Option::flatten).collect()
}
