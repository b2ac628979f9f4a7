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

/// Line-table entries (CPython's location table format) for a prologue of `p` units:
/// no location, except ranges that raise as if at an original instruction, which get that
/// instruction's full position (tracebacks underline the expression from it). The line
/// state is brought back to the first line before the original entries start.
fn prologue_linetable<C: rustpython_vm::bytecode::Constant>(
    orig: &rustpython_vm::bytecode::CodeObject<C>,
    p: u32,
    covered: &[(u32, u32, u32)],
) -> Vec<u8> {
    fn none(buf: &mut Vec<u8>, mut n: u32) {
        while n > 0 {
            let k = n.min(8);
            buf.push(0xF8 | (k as u8 - 1));
            n -= k;
        }
    }
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
        none(&mut lt, start - u);
        let (l, el) = (loc.line.get() as i32, end_loc.line.get() as i32);
        let mut left = end - start;
        while left > 0 {
            let k = left.min(8);
            // Long form (code 14): line delta, end-line delta, column+1, end column+1.
            lt.push(0x80 | (14 << 3) | (k as u8 - 1));
            svarint(&mut lt, l - line);
            line = l;
            varint(&mut lt, (el - l).max(0) as u32);
            varint(&mut lt, loc.character_offset.get() as u32);
            varint(&mut lt, end_loc.character_offset.get() as u32);
            left -= k;
        }
        u = end;
    }
    if line != first && u < p {
        // No-column form (code 13) back to the first line, for one unit.
        lt.push(0x80 | (13 << 3));
        svarint(&mut lt, first - line);
        u += 1;
    }
    none(&mut lt, p - u);
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
    vm.ctx.new_code(c)
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
    Some(vm.ctx.new_code(c))
}

/// The line the line table of `code` leaves its state at (the base for a delta appended
/// after it).
pub(super) fn line_at_end<C: rustpython_vm::bytecode::Constant>(
    code: &rustpython_vm::bytecode::CodeObject<C>,
) -> i32 {
    let mut line = code.first_line_number.map_or(1, |l| l.get() as i32);
    let lt = &code.linetable;
    let mut i = 0;
    let varint = |i: &mut usize| -> u32 {
        let (mut v, mut shift) = (0u32, 0);
        while *i < lt.len() {
            let b = lt[*i];
            *i += 1;
            v |= u32::from(b & 0x3f) << shift;
            shift += 6;
            if b & 0x40 == 0 {
                break;
            }
        }
        v
    };
    let svarint = |i: &mut usize| -> i32 {
        let v = varint(i);
        if v & 1 != 0 {
            -((v >> 1) as i32)
        } else {
            (v >> 1) as i32
        }
    };
    while i < lt.len() {
        let head = lt[i];
        i += 1;
        match (head >> 3) & 0xf {
            15 => {}
            14 => {
                line += svarint(&mut i);
                varint(&mut i);
                varint(&mut i);
                varint(&mut i);
            }
            13 => line += svarint(&mut i),
            10..=12 => {
                line += i32::from((head >> 3) & 0xf) - 10;
                i += 2;
            }
            _ => i += 1,
        }
    }
    line
}

/// Appends line-table entries for units on `lines` (one line per unit), the table's line
/// state being `line` before them: no-column entries (code 13) of up to 8 units.
pub(super) fn append_lines(lt: &mut Vec<u8>, mut line: i32, lines: impl Iterator<Item = i32>) {
    let lines: Vec<i32> = lines.collect();
    let mut i = 0;
    while i < lines.len() {
        let l = lines[i];
        let k = lines[i..].iter().take(8).take_while(|&&x| x == l).count();
        lt.push(0x80 | (13 << 3) | (k as u8 - 1));
        svarint(lt, l - line);
        line = l;
        i += k;
    }
}

/// Line-table varint: 6 bits per byte, low bits first, 0x40 marking more bytes.
fn varint(buf: &mut Vec<u8>, mut v: u32) {
    while v >= 64 {
        buf.push(0x40 | (v & 0x3f) as u8);
        v >>= 6;
    }
    buf.push(v as u8);
}

/// Line-table signed varint: the magnitude shifted left, the sign in bit 0.
fn svarint(buf: &mut Vec<u8>, v: i32) {
    varint(
        buf,
        if v < 0 {
            (v.unsigned_abs() << 1) | 1
        } else {
            (v as u32) << 1
        },
    );
}
