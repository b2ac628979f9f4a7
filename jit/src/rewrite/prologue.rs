//! Code put in front of a function's units ([`with_prologue`]) or appended after them
//! ([`with_entry_appended`]), with the exception table, the per-unit locations and the
//! line table rebased.

use rustpython_vm::builtins::PyCode;
use rustpython_vm::bytecode::{
    decode_exception_table, encode_exception_table, CodeUnit, ExceptionTableEntry, Instruction,
    OpArgByte,
};
use rustpython_vm::{Py, PyRef, VirtualMachine};

use super::Emitter;
use crate::vm::linetable::{self, append_lines, line_at_end};

/// Line-table entries (CPython's location table format) for a prologue of `p` units:
/// no location, except ranges that raise as if at an original instruction, which get that
/// instruction's full position (tracebacks underline the expression from it). The line
/// state is brought back to the first line before the original entries start.
fn prologue_linetable<C: rustpython_vm::bytecode::Constant>(
    orig: &rustpython_vm::bytecode::CodeObject<C>,
    p: u32,
    covered: &[(u32, u32, u32)],
) -> Vec<u8> {
    let first = orig.first_line_number.map_or(1, |l| l.get() as i32);
    let mut lt = Vec::new();
    let mut line = first;
    let mut u = 0u32;
    for &(start, end, at) in covered {
        // Keep one unit after the range to restore the line state.
        let end = end.min(p.saturating_sub(1));
        let Some((loc, end_loc)) = orig.locations.get(at as usize) else {
            continue;
        };
        if start < u || end <= start {
            continue;
        }
        linetable::no_location(&mut lt, start - u);
        let (l, el) = (loc.line.get() as i32, end_loc.line.get() as i32);
        let mut left = end - start;
        while left > 0 {
            let k = left.min(8);
            linetable::push_long(
                &mut lt,
                k,
                l - line,
                (el - l).max(0) as u32,
                (
                    loc.character_offset.get() as u32,
                    end_loc.character_offset.get() as u32,
                ),
            );
            line = l;
            left -= k;
        }
        u = end;
    }
    if line != first && u < p {
        // Back to the first line, for one unit.
        linetable::push_no_column(&mut lt, 1, first - line);
        u += 1;
    }
    linetable::no_location(&mut lt, p - u);
    lt
}

/// `code` with `build`'s prologue in front. The prologue's units take the location of unit
/// `location_of` of the original (the resume point, or the first instruction) and have no
/// line of their own in the line table; `extra_stack` is the most the prologue pushes.
pub fn with_prologue(
    vm: &VirtualMachine,
    code: &Py<PyCode>,
    location_of: u32,
    extra_stack: u32,
    build: impl FnOnce(&mut Emitter),
) -> PyRef<PyCode> {
    let orig = &code.code;
    let mut e = Emitter::for_code(vm, orig);
    build(&mut e);
    let p = e.units.len() as u32;
    let mut c = orig.clone();
    let mut units = std::mem::take(&mut e.units);
    units.extend(orig.instructions.iter().copied());
    c.instructions = units.into();
    e.add_names_and_constants(&mut c);
    let here = orig
        .locations
        .get(location_of as usize)
        .copied()
        .unwrap_or_default();
    let mut locations = vec![here; p as usize];
    locations.extend(orig.locations.iter().copied());
    c.locations = locations.into_boxed_slice();
    let mut lt = prologue_linetable(orig, p, &e.covered);
    lt.extend_from_slice(&orig.linetable);
    c.linetable = lt.into_boxed_slice();
    let original = decode_exception_table(&orig.exceptiontable);
    let mut entries: Vec<ExceptionTableEntry> = e
        .handlers
        .iter()
        .map(|&(start, end, handler, depth)| {
            ExceptionTableEntry::new(start, end, handler, depth, true)
        })
        .collect();
    for (start, end, at) in &e.covered {
        if let Some(x) = original.iter().find(|x| x.start <= *at && *at < x.end) {
            entries.push(ExceptionTableEntry::new(
                *start,
                *end,
                x.target + p,
                x.depth,
                x.push_lasti,
            ));
        }
    }
    entries.extend(original.iter().map(|x| {
        ExceptionTableEntry::new(x.start + p, x.end + p, x.target + p, x.depth, x.push_lasti)
    }));
    c.exceptiontable = encode_exception_table(&entries);
    c.max_stackdepth = orig.max_stackdepth.max(extra_stack);
    super::with_file_name_of(vm.ctx.new_code(c), code)
}

/// How the units appended by [`with_entry_appended`] end.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Appended {
    /// They never fall through (a stub: they return or raise).
    Final,
    /// Falling off their end runs the function from its start: the instructions the
    /// entry jump displaced (`RESUME`, `MAKE_CELL`, `COPY_FREE_VARS`) run there, then a
    /// jump back to the first one not displaced. Their units are on the `def` line.
    ResumeOriginal,
}

/// `code` with its instructions, locations and line table kept at their own units and
/// `build`'s units appended after them; the first units become a jump to the appended
/// ones. A frame running the result reports the original's lines for the original's
/// units (native code writes those into `lasti`), and `co_lines()` reads as the
/// original's where the original's units are. `handlers` of the emitter are rebased onto
/// the appended units. `None` when the displaced instructions cannot be moved (only for
/// [`Appended::ResumeOriginal`]).
pub fn with_entry_appended(
    vm: &VirtualMachine,
    code: &Py<PyCode>,
    extra_stack: u32,
    ends: Appended,
    build: impl FnOnce(&mut Emitter),
) -> Option<PyRef<PyCode>> {
    use rustpython_vm::bytecode::Arg;
    let orig = &code.code;
    let mut units: Vec<CodeUnit> = orig.instructions.iter().copied().collect();
    let base = units.len() as u32;
    // JUMP_FORWARD with as many EXTENDED_ARG prefixes as its distance needs.
    let jump = Instruction::JumpForward {
        delta: Arg::marker(),
    };
    let (span, dist) = (1..=4u32)
        .map(|n| (n, base - n))
        .find(|(n, d)| u64::from(*d) < 1u64 << (8 * n))
        .expect("a code object has fewer than 2^32 units");
    // A jump of `span` units needs a distance of at least 256^(span-1) > span units.
    debug_assert!((span as usize) < units.len());
    // The whole instructions the jump overwrites.
    let mut displaced = 0usize;
    while displaced < span as usize || matches!(units[displaced - 1].op, Instruction::ExtendedArg) {
        let op = units[displaced].op.deoptimize();
        let movable = matches!(
            op,
            Instruction::Resume { .. }
                | Instruction::MakeCell { .. }
                | Instruction::CopyFreeVars { .. }
                | Instruction::Nop
                | Instruction::ExtendedArg
        );
        if !movable && ends == Appended::ResumeOriginal {
            return None;
        }
        displaced += 1 + op.cache_entries();
    }
    if ends == Appended::ResumeOriginal && displaced > 1 {
        // Nothing may jump into the displaced units (a loop whose header is the first
        // instruction after `RESUME`): it would land in the entry jump.
        let insns = crate::bytecode::decode(orig).ok()?;
        let handlers = decode_exception_table(&orig.exceptiontable);
        let mut targets = insns
            .iter()
            .filter_map(|i| i.jump_target())
            .chain(handlers.iter().map(|x| x.target));
        if targets.any(|t| 0 < t && (t as usize) < displaced) {
            return None;
        }
    }
    let mut e = Emitter::for_code(vm, orig);
    build(&mut e);
    // Where the displaced instructions run again among the appended units, and how
    // many units end them (the jump back).
    let (mut moved_at, mut back_units) = (0usize, 0usize);
    if ends == Appended::ResumeOriginal {
        moved_at = e.units.len();
        for u in &units[..displaced] {
            e.units.push(CodeUnit::new(u.op.deoptimize(), u.arg));
        }
        let back_op = Instruction::JumpBackwardNoInterrupt {
            delta: Arg::marker(),
        };
        let start = base + e.units.len() as u32;
        let (prefixes, back) = (0..=3usize)
            .map(|n| {
                let end = start + (n + 1 + back_op.cache_entries()) as u32;
                (n, end - displaced as u32)
            })
            .find(|(n, back)| u64::from(*back) < 1u64 << (8 * (n + 1)))?;
        e.emit_wide(back_op, back, prefixes);
        back_units = e.units.len() - moved_at - displaced;
    }
    // The original units are never run from here on, but must read as the original's.
    for u in units.iter_mut() {
        u.op = u.op.deoptimize();
    }
    let bytes = dist.to_be_bytes();
    for i in 0..span {
        let op = if i + 1 == span {
            jump
        } else {
            Instruction::ExtendedArg
        };
        units[i as usize] = CodeUnit::new(op, OpArgByte::new(bytes[(4 - span + i) as usize]));
    }
    let added = e.units.len();
    units.extend(std::mem::take(&mut e.units));
    let mut c = orig.clone();
    c.instructions = units.into();
    e.add_names_and_constants(&mut c);
    let def = orig.locations.first().copied().unwrap_or_default();
    let mut locations = orig.locations.to_vec();
    locations.resize(base as usize + added, def);
    c.locations = locations.into_boxed_slice();
    if ends == Appended::ResumeOriginal {
        // Code that runs in the interpreter on every call: a frame there (another
        // thread looking) is on the `def` line, as while `RESUME` runs.
        //
        // A tracer sees none of it: its frame gets its trace function at the 'call'
        // event of the displaced `RESUME`, so the interpreter would report a 'line' event
        // for every line that differs from there on, which the original's first
        // instructions do not have (`RESUME` itself is never a line event). The
        // displaced instructions keep their own lines and the jump back is on line 0:
        // a line (`dis` expects every jump to have one) that the tracer, at 0 after
        // `RESUME`, does not report, and that differs from its target's (a backward jump
        // on the same line is reported), so the next line event is the function's first
        // line, as in the interpreter running the original.
        let first = orig.first_line_number.map_or(1, |l| l.get() as i32);
        let own_line = |u: usize| {
            orig.locations
                .get(u)
                .map_or(first, |(loc, _)| loc.line.get() as i32)
        };
        let mut lt = orig.linetable.to_vec();
        append_lines(
            &mut lt,
            line_at_end(orig),
            std::iter::repeat_n(first, moved_at)
                .chain((0..displaced).map(own_line))
                .chain(std::iter::repeat_n(0, back_units)),
        );
        c.linetable = lt.into_boxed_slice();
    }
    let mut entries = decode_exception_table(&orig.exceptiontable);
    entries.extend(e.handlers.iter().map(|&(start, end, handler, depth)| {
        ExceptionTableEntry::new(start + base, end + base, handler + base, depth, true)
    }));
    c.exceptiontable = encode_exception_table(&entries);
    c.max_stackdepth = orig.max_stackdepth.max(extra_stack);
    Some(super::with_file_name_of(vm.ctx.new_code(c), code))
}
