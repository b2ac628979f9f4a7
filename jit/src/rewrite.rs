//! Prepending a prologue to a code object. Jumps are relative, so the original
//! instructions stay valid when shifted; the exception table, the per-unit locations and
//! the line table are rebased here, in one place, for every user (deopt continuations and
//! hotness counting).

use rustpython_vm::builtins::PyCode;
use rustpython_vm::bytecode::{
    decode_exception_table, encode_exception_table, CodeUnit, ExceptionTableEntry, Instruction,
    OpArgByte,
};
use rustpython_vm::{Py, PyRef, VirtualMachine};

/// Builds prologue units.
pub struct Emitter<'a> {
    vm: &'a VirtualMachine,
    pub units: Vec<CodeUnit>,
    names: Vec<&'static rustpython_vm::builtins::PyStrInterned>,
    /// Prologue ranges `[start, end)` that raise as if at original unit `at`: covered by
    /// the handler that covers `at` in the original code.
    covered: Vec<(u32, u32, u32)>,
}

impl Emitter<'_> {
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

    /// `LOAD_GLOBAL name` with the NULL a following `CALL` expects (globals fall back to
    /// builtins, where rpyjit's hooks live).
    pub fn load_global_for_call(&mut self, name: &str) {
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
    }

    /// Marks the prologue units from `start` to here as raising at original unit `at`.
    pub fn raises_at(&mut self, start: u32, at: u32) {
        self.covered.push((start, self.units.len() as u32, at));
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
    let mut e = Emitter {
        vm,
        units: Vec::new(),
        names: orig.names.to_vec(),
        covered: Vec::new(),
    };
    build(&mut e);
    let p = e.units.len() as u32;
    let mut c = orig.clone();
    let mut units = e.units;
    units.extend(orig.instructions.iter().copied());
    c.instructions = units.into();
    c.names = e.names.into_boxed_slice();
    let here = orig
        .locations
        .get(location_of as usize)
        .copied()
        .unwrap_or_default();
    let mut locations = vec![here; p as usize];
    locations.extend(orig.locations.iter().copied());
    c.locations = locations.into_boxed_slice();
    // CPython line-table NO_LOCATION entries (code 15), up to 8 units each.
    let mut lt = Vec::new();
    let mut left = p;
    while left > 0 {
        let n = left.min(8);
        lt.push(0xF8 | (n as u8 - 1));
        left -= n;
    }
    lt.extend_from_slice(&orig.linetable);
    c.linetable = lt.into_boxed_slice();
    let original = decode_exception_table(&orig.exceptiontable);
    let mut entries: Vec<ExceptionTableEntry> = Vec::new();
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
