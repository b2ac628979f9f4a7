//! Prepending a prologue to a code object. Jumps are relative, so the original
//! instructions stay valid when shifted; the exception table, the per-unit locations and
//! the line table are rebased here, in one place, for every user (deopt continuations and
//! hotness counting).
//!
//! - [`Emitter`] (here): builds the units of a prologue or appended code.
//! - [`prologue`]: code put in front of a function's units, or appended after them
//!   (stubs, counting code, continuations), with the tables rebased.
//! - [`loop_hooks`]: the back-edge hooks that count loop iterations and enter a hot loop
//!   natively.

mod loop_hooks;
mod prologue;

use rustpython_vm::bytecode::{CodeUnit, Instruction, OpArgByte};
use rustpython_vm::{AsObject, VirtualMachine};

pub use loop_hooks::{cell_slots, with_back_edge_hooks, HookNames, LoopSite};
pub use prologue::{with_entry_appended, with_prologue, Appended};

/// `new`, a code object made from a changed copy of `like`'s bytecode, under `like`'s
/// file name. RustPython keeps a code object's file name twice: in its bytecode (fixed
/// when the code was made) and in the object, which importlib's `_fix_co_filename`
/// updates when a `.pyc` written elsewhere is loaded (a moved project, a symlinked path);
/// a copy must show the updated one.
pub fn with_file_name_of(
    new: rustpython_vm::PyRef<rustpython_vm::builtins::PyCode>,
    like: &rustpython_vm::Py<rustpython_vm::builtins::PyCode>,
) -> rustpython_vm::PyRef<rustpython_vm::builtins::PyCode> {
    new.set_source_path(like.source_path());
    new
}

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
