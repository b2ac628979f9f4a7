//! Prepending a prologue to a code object. Jumps are relative, so the original
//! instructions stay valid when shifted; the exception table, the per-unit locations and
//! the line table are rebased here, in one place, for every user (deopt continuations and
//! hotness counting).

use rustpython_vm::builtins::PyCode;
use rustpython_vm::bytecode::{
    decode_exception_table, encode_exception_table, CodeUnit, ExceptionTableEntry, Instruction,
    OpArgByte,
};
use rustpython_vm::{AsObject, Py, PyRef, VirtualMachine};

/// Builds prologue units.
pub struct Emitter<'a> {
    vm: &'a VirtualMachine,
    pub units: Vec<CodeUnit>,
    names: Vec<&'static rustpython_vm::builtins::PyStrInterned>,
    /// Constants added after the code's own `base_consts` (rpyjit's builtins).
    consts: Vec<rustpython_vm::PyObjectRef>,
    base_consts: usize,
    /// Prologue ranges `[start, end)` that raise as if at original unit `at`: covered by
    /// the handler that covers `at` in the original code.
    covered: Vec<(u32, u32, u32)>,
    /// Prologue ranges `[start, end)` with a handler of their own in the prologue:
    /// (start, end, handler, depth).
    handlers: Vec<(u32, u32, u32, u16)>,
}

impl<'a> Emitter<'a> {
    /// An emitter for units added to `code`, whose own names and constants come first.
    fn for_code<
        C: rustpython_vm::bytecode::Constant<Name = &'static rustpython_vm::builtins::PyStrInterned>,
    >(
        vm: &'a VirtualMachine,
        code: &rustpython_vm::bytecode::CodeObject<C>,
    ) -> Self {
        Emitter {
            vm,
            units: Vec::new(),
            names: code.names.to_vec(),
            consts: Vec::new(),
            base_consts: code.constants.len(),
            covered: Vec::new(),
            handlers: Vec::new(),
        }
    }

    /// Appends `op` with its argument, at least `min_prefixes` `EXTENDED_ARG` prefixes (so
    /// a size can be fixed before the argument is known), and zeroed inline caches.
    pub fn emit_wide(&mut self, op: Instruction, arg: u32, min_prefixes: usize) {
        let b = arg.to_be_bytes();
        let needed = b[..3].iter().position(|&x| x != 0).map_or(0, |i| 3 - i);
        for byte in &b[3 - needed.max(min_prefixes)..3] {
            self.units.push(CodeUnit::new(
                Instruction::ExtendedArg,
                OpArgByte::new(*byte),
            ));
        }
        self.units.push(CodeUnit::new(op, OpArgByte::new(b[3])));
        for _ in 0..op.cache_entries() {
            self.units
                .push(CodeUnit::new(Instruction::Cache, OpArgByte::new(0)));
        }
    }

    pub fn emit(&mut self, op: Instruction, arg: u32) {
        self.emit_wide(op, arg, 0)
    }

    /// Pushes rpyjit's builtin `name` and the NULL a following `CALL` expects. The builtin
    /// is a constant of the code, not a global: a function made from this code with other
    /// globals (`types.FunctionType(code, {"__builtins__": {}})`, `namedtuple`'s restricted
    /// `eval`, annotation functions run with fake globals) still finds it.
    pub fn load_global_for_call(&mut self, name: &str) {
        let Ok(builtin) = self
            .vm
            .builtins
            .get_attr(self.vm.ctx.intern_str(name), self.vm)
        else {
            // Not installed (cannot happen once the JIT is on): as a global.
            let i = match self.names.iter().position(|n| n.as_str() == name) {
                Some(i) => i,
                None => {
                    self.names.push(self.vm.ctx.intern_str(name));
                    self.names.len() - 1
                }
            } as u32;
            self.emit(
                Instruction::LoadGlobal {
                    namei: rustpython_vm::bytecode::Arg::marker(),
                },
                (i << 1) | 1,
            );
            return;
        };
        let j = match self.consts.iter().position(|c| c.is(&builtin)) {
            Some(j) => j,
            None => {
                self.consts.push(builtin);
                self.consts.len() - 1
            }
        };
        self.emit(
            Instruction::LoadConst {
                consti: rustpython_vm::bytecode::Arg::marker(),
            },
            (self.base_consts + j) as u32,
        );
        self.emit(Instruction::PushNull, 0);
    }

    /// Puts the names and constants the emitted units refer to into `c` (a copy of the
    /// original code, whose own names and constants come first).
    fn add_names_and_constants<C>(&mut self, c: &mut rustpython_vm::bytecode::CodeObject<C>)
    where
        C: rustpython_vm::bytecode::Constant<
                Name = &'static rustpython_vm::builtins::PyStrInterned,
            > + Clone
            + From<rustpython_vm::PyObjectRef>,
    {
        c.names = std::mem::take(&mut self.names).into_boxed_slice();
        c.constants = c
            .constants
            .iter()
            .cloned()
            .chain(std::mem::take(&mut self.consts).into_iter().map(Into::into))
            .collect();
    }

    /// Makes prologue unit `handler` the exception handler of prologue units
    /// `[start, end)`, unwinding the value stack to empty (and pushing the raising
    /// unit, see [`Self::drop_tb_and_reraise`]).
    pub fn handlers_push(&mut self, start: u32, end: u32, handler: u32) {
        self.handlers.push((start, end, handler, 0));
    }

    /// Marks the prologue units from `start` to here as raising at original unit `at`.
    pub fn raises_at(&mut self, start: u32, at: u32) {
        self.covered.push((start, self.units.len() as u32, at));
    }

    /// The handler every rpyjit trampoline (stub, counting prologue, back-edge hook) uses
    /// for an exception coming back from native code or a continuation: that exception
    /// already went through the function's own handlers and has the function's frame in
    /// its traceback, so this frame's duplicate entry is dropped (by the builtin `drop_tb`)
    /// and the exception re-raised with `RERAISE`, which adds none. The handler is entered
    /// with the raising unit pushed (`push_lasti`); `drop_tb` answers the unit the frame
    /// was at when native code raised in it, and `RERAISE 1` leaves the frame there, so
    /// the finished frame's `f_lineno` is the raising line, as in the interpreter.
    ///
    /// ```text
    /// [lasti, exc] LOAD_GLOBAL drop_tb+NULL; COPY 3; COPY 5; CALL 2
    ///              SWAP 3; POP_TOP; RERAISE 1                   (two slots more)
    /// ```
    pub fn drop_tb_and_reraise(&mut self, drop_tb: &str) {
        use rustpython_vm::bytecode::Arg;
        self.load_global_for_call(drop_tb);
        self.emit(Instruction::Copy { i: Arg::marker() }, 3);
        self.emit(Instruction::Copy { i: Arg::marker() }, 5);
        self.emit(
            Instruction::Call {
                argc: Arg::marker(),
            },
            2,
        );
        self.emit(Instruction::Swap { i: Arg::marker() }, 3);
        self.emit(Instruction::PopTop, 0);
        self.emit(
            Instruction::Reraise {
                depth: Arg::marker(),
            },
            1,
        );
    }

    /// `name()` with its result left on the stack.
    pub fn call_builtin(&mut self, name: &str) {
        self.load_global_for_call(name);
        self.emit(
            Instruction::Call {
                argc: rustpython_vm::bytecode::Arg::marker(),
            },
            0,
        );
    }
}

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
fn line_at_end<C: rustpython_vm::bytecode::Constant>(
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
fn append_lines(lt: &mut Vec<u8>, mut line: i32, lines: impl Iterator<Item = i32>) {
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

/// A loop back-edge that got a hotness hook (see [`with_back_edge_hooks`]).
#[derive(Clone, Debug)]
pub struct LoopSite {
    /// Unit of the `JUMP_BACKWARD` (first `EXTENDED_ARG`) in the original code.
    pub back_edge: u32,
    /// Unit of the loop header it jumps to: where native code enters.
    pub header: u32,
    /// Value-stack depth at the back-edge (iterators of enclosing `for` loops).
    pub depth: u32,
}

/// Names of the builtins a back-edge hook calls.
pub struct HookNames<'a> {
    /// `count(k) -> bool`: counts an iteration of loop `k`; true once it should run natively.
    pub count: &'a str,
    /// `take(k[, stack_list[, cells]])`: takes the frame's values for an entry of loop
    /// `k` (its locals, the value stack from the list, which it empties, and `cells`, a
    /// tuple of the frame's cell objects in slot order, see [`cell_slots`]; a function
    /// with cells passes the list even when the stack is empty).
    pub take: &'a str,
    /// `enter(k)`: runs the rest of the function natively from the loop header with the
    /// values `take` took, and returns what the function returns.
    pub enter: &'a str,
    /// `drop_tb(exc, lasti)`: drops the hooked frame's own traceback entry (see
    /// [`Emitter::drop_tb_and_reraise`]).
    pub drop_tb: &'a str,
}

/// `code` with every `JUMP_BACKWARD` routed through a hook appended after the original
/// instructions, so loop iterations are counted and a hot loop can continue in native code
/// (on-stack replacement):
///
/// ```text
/// back-edge:  EXTENDED_ARG*; JUMP_FORWARD hook_k          (same size as the JUMP_BACKWARD)
/// hook_k:     LOAD_GLOBAL count+NULL; LOAD_SMALL_INT k; CALL 1; POP_JUMP_IF_TRUE enter_k
///             JUMP_BACKWARD header                          (the original back-edge)
/// enter_k:    BUILD_LIST d; LOAD_GLOBAL take+NULL; LOAD_SMALL_INT k; COPY 4
///             [LOAD_FAST cell...; BUILD_TUPLE c]; CALL 2|3; POP_TOP
///             (PUSH_NULL; STORE_FAST i) for every slot
///             LOAD_GLOBAL enter+NULL; LOAD_SMALL_INT k; CALL 1; RETURN_VALUE
/// handler_k:  (`Emitter::drop_tb_and_reraise`)
/// ```
///
/// The hook's `JUMP_BACKWARD` keeps the interpreter's signal check, covered by the
/// handler that covered the original back-edge. `enter_k`'s call is covered by
/// `handler_k`: an exception leaving the function's native or continued run already went
/// through the function's own handlers, so it only drops this frame's duplicate
/// traceback entry. The locals are read by `take` from the frame itself; the frame's
/// slots are then cleared (the frame only returns what `enter` returns), so the objects
/// native code holds die when native code lets go of them, not when the function
/// returns. Back-edges whose hook would not fit are left alone.
pub fn with_back_edge_hooks(
    vm: &VirtualMachine,
    code: &Py<PyCode>,
    analysis: &crate::bytecode::Analysis,
    names: &HookNames,
) -> Option<(PyRef<PyCode>, Vec<LoopSite>)> {
    use rustpython_vm::bytecode::Arg;
    let orig = &code.code;
    // The frame's `f_locals` shows the contents of cells, not the cells: the hook passes
    // the cells themselves (`LOAD_FAST` of a cell slot pushes the cell).
    let cells = cell_slots(orig);
    if cells.len() > 200 {
        return None;
    }
    let mut units: Vec<CodeUnit> = orig.instructions.iter().copied().collect();
    let base = units.len() as u32;
    let mut e = Emitter::for_code(vm, orig);
    let original = decode_exception_table(&orig.exceptiontable);
    let mut entries: Vec<ExceptionTableEntry> = Vec::new();
    let mut locations: Vec<_> = Vec::new();
    let mut sites = Vec::new();
    let mut max_stack = orig.max_stackdepth;
    for (k, insn) in analysis.insns.iter().enumerate() {
        if !matches!(insn.op, Instruction::JumpBackward { .. }) || sites.len() > 255 {
            continue;
        }
        let (Some(header), Some(depth)) = (insn.jump_target(), analysis.depth[k]) else {
            continue;
        };
        if depth + 3 > 255 || may_hold_null(analysis, k, depth) {
            continue;
        }

        let id = sites.len() as u32;
        let hook = base + e.units.len() as u32;
        // The back-edge's units become EXTENDED_ARG* + JUMP_FORWARD hook.
        let span = (insn.next - insn.start) as usize;
        let dist = hook - insn.next;
        if span > 4 || u64::from(dist) >= 1u64 << (8 * span) {
            continue;
        }
        let bytes = dist.to_be_bytes();
        for (i, u) in units[insn.start as usize..insn.next as usize]
            .iter_mut()
            .enumerate()
        {
            let byte = bytes[4 - span + i];
            let op = if i + 1 == span {
                Instruction::JumpForward {
                    delta: Arg::marker(),
                }
            } else {
                Instruction::ExtendedArg
            };
            *u = CodeUnit::new(op, OpArgByte::new(byte));
        }
        let start = e.units.len();
        e.load_global_for_call(names.count);
        e.emit(Instruction::LoadSmallInt { i: Arg::marker() }, id);
        e.emit(
            Instruction::Call {
                argc: Arg::marker(),
            },
            1,
        );
        // POP_JUMP_IF_TRUE skips the JUMP_BACKWARD, whose size depends on its distance.
        let jb_op = Instruction::JumpBackward {
            delta: Arg::marker(),
        };
        let pj_op = Instruction::PopJumpIfTrue {
            delta: Arg::marker(),
        };
        let jb_start = base + (e.units.len() + 1 + pj_op.cache_entries()) as u32;
        let (prefixes, back) = (0..=3usize)
            .map(|n| {
                (
                    n,
                    jb_start + (n + 1 + jb_op.cache_entries()) as u32 - header,
                )
            })
            .find(|(n, back)| u64::from(*back) < 1u64 << (8 * (n + 1)))?;
        e.emit(pj_op, (prefixes + 1 + jb_op.cache_entries()) as u32);
        e.emit_wide(jb_op, back, prefixes);
        // The stack values move into a list the builtin empties: the frame keeps no
        // reference to a loop's iterator while native code runs the loop.
        let with_list = depth > 0 || !cells.is_empty();
        if with_list {
            e.emit(
                Instruction::BuildList {
                    count: Arg::marker(),
                },
                depth,
            );
        }
        let enter_start = e.units.len();
        e.load_global_for_call(names.take);
        e.emit(Instruction::LoadSmallInt { i: Arg::marker() }, id);
        if with_list {
            e.emit(Instruction::Copy { i: Arg::marker() }, 4);
        }
        if !cells.is_empty() {
            for &slot in &cells {
                e.emit(
                    Instruction::LoadFast {
                        var_num: Arg::marker(),
                    },
                    slot,
                );
            }
            e.emit(
                Instruction::BuildTuple {
                    count: Arg::marker(),
                },
                cells.len() as u32,
            );
        }
        e.emit(
            Instruction::Call {
                argc: Arg::marker(),
            },
            1 + u32::from(with_list) + u32::from(!cells.is_empty()),
        );
        e.emit(Instruction::PopTop, 0);
        for slot in 0..orig.localspluskinds.len() as u32 {
            e.emit(Instruction::PushNull, 0);
            e.emit(
                Instruction::StoreFast {
                    var_num: Arg::marker(),
                },
                slot,
            );
        }
        e.load_global_for_call(names.enter);
        e.emit(Instruction::LoadSmallInt { i: Arg::marker() }, id);
        e.emit(
            Instruction::Call {
                argc: Arg::marker(),
            },
            1,
        );
        let enter_end = e.units.len();
        e.emit(Instruction::ReturnValue, 0);
        let handler = e.units.len();
        e.drop_tb_and_reraise(names.drop_tb);
        if let Some(x) = original
            .iter()
            .find(|x| x.start <= insn.at && insn.at < x.end)
        {
            entries.push(ExceptionTableEntry::new(
                base + start as u32,
                base + enter_start as u32,
                x.target,
                x.depth,
                x.push_lasti,
            ));
        }
        entries.push(ExceptionTableEntry::new(
            base + enter_start as u32,
            base + enter_end as u32,
            base + handler as u32,
            u16::from(with_list),
            true,
        ));
        let here = orig
            .locations
            .get(insn.at as usize)
            .copied()
            .unwrap_or_default();
        locations.resize(e.units.len(), here);
        max_stack = max_stack.max(depth + 7 + cells.len() as u32);
        sites.push(LoopSite {
            back_edge: insn.start,
            header,
            depth,
        });
    }
    if sites.is_empty() {
        return None;
    }
    units.extend(std::mem::take(&mut e.units));
    let mut c = orig.clone();
    c.instructions = units.into();
    e.add_names_and_constants(&mut c);
    let mut all_locations = orig.locations.to_vec();
    all_locations.extend(locations);
    c.locations = all_locations.into_boxed_slice();
    // A hook runs on its back-edge's line (another thread may look while it runs).
    let mut lt = orig.linetable.to_vec();
    append_lines(
        &mut lt,
        line_at_end(orig),
        c.locations[orig.locations.len()..]
            .iter()
            .map(|(loc, _)| loc.line.get() as i32),
    );
    c.linetable = lt.into_boxed_slice();
    let mut all = original.clone();
    all.extend(entries);
    c.exceptiontable = encode_exception_table(&all);
    c.max_stackdepth = max_stack;
    Some((vm.ctx.new_code(c), sites))
}

/// The `localsplus` slots of `code` that hold a cell while the body runs (after
/// `MAKE_CELL` and `COPY_FREE_VARS`), in slot order.
pub fn cell_slots<C: rustpython_vm::bytecode::Constant>(
    code: &rustpython_vm::bytecode::CodeObject<C>,
) -> Vec<u32> {
    use rustpython_vm::bytecode::{CO_FAST_CELL, CO_FAST_FREE};
    (0..code.localspluskinds.len() as u32)
        .filter(|&i| code.localspluskinds[i as usize] & (CO_FAST_CELL | CO_FAST_FREE) != 0)
        .collect()
}

/// Whether the value stack before instruction `k` (of depth `depth`) may hold a NULL: a
/// value pushed by an instruction that can push NULL (a comprehension's saved variable, a
/// call's self-or-NULL slot) and not yet consumed. Such a stack cannot be passed as call
/// arguments. The pushed slot counts as live while the depth stays above its index.
fn may_hold_null(analysis: &crate::bytecode::Analysis, k: usize, depth: u32) -> bool {
    if depth == 0 {
        return false;
    }
    let mut min = depth;
    for v in (0..k).rev() {
        let insn = &analysis.insns[v];
        let Some(dv) = analysis.depth[v] else {
            continue;
        };
        // The stack index of the slot that may hold NULL after `insn`, if any.
        let null_slot = match insn.op {
            Instruction::LoadFastAndClear { .. } | Instruction::PushNull => Some(dv),
            Instruction::LoadGlobal { .. } if insn.arg & 1 != 0 => Some(dv + 1),
            Instruction::LoadAttr { .. } if insn.arg & 1 != 0 => dv.checked_sub(0),
            Instruction::LoadSuperAttr { .. } if insn.arg & 1 != 0 => dv.checked_sub(2),
            _ => None,
        };
        // Still there at `k` if the stack never shrank to it since.
        if null_slot.is_some_and(|slot| min > slot) {
            return true;
        }
        min = min.min(dv);
        if min == 0 {
            return false;
        }
    }
    false
}
