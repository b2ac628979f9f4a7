//! The exact state of an interpreter frame ([`FrameState`]) and how it is read back from
//! what native code saved at an exit: the exit buffer's words, boxed again per the
//! site's kinds (see [`translate::ExitSite`] for the layout).

use rustpython_vm::builtins::{PyBaseException, PyBaseExceptionRef};
use rustpython_vm::{AsObject, PyObjectRef, PyResult, VirtualMachine};

use crate::bytecode::Analysis;
use crate::translate::{self, ExitSite, Kind};

/// The exact interpreter state of a function at an instruction boundary.
pub struct FrameState {
    /// Unit index of the instruction to execute next (its first `EXTENDED_ARG`, if any).
    pub resume_at: u32,
    /// Every local, cell and free slot in `localsplus` order; `None` = unbound (NULL).
    pub locals: Vec<Option<PyObjectRef>>,
    /// The value stack, bottom first; `None` = a NULL slot (e.g. the self-or-null of a call).
    pub stack: Vec<Option<PyObjectRef>>,
    /// Raised at the resume point, inside the function, before its next instruction.
    pub pending: Option<PyBaseExceptionRef>,
    /// Resuming inside an exception handler: the exception handled when the function
    /// leaves its handlers (the outermost one's saved previous exception), and the one
    /// being handled at the resume point. The continuation's frame starts from the first
    /// (a frame restores on exit the exception handled when it was entered) and its
    /// prologue makes the second current.
    pub handling: Option<(Option<PyBaseExceptionRef>, Option<PyBaseExceptionRef>)>,
}

impl FrameState {
    /// Which slots hold a value (locals, then the stack) and whether an exception is
    /// raised on resume: what a continuation is built for.
    pub fn shape(&self) -> Vec<bool> {
        self.locals
            .iter()
            .chain(self.stack.iter())
            .map(Option::is_some)
            .chain([self.pending.is_some()])
            .collect()
    }
}

/// The buffer native code stores a return's result and an exit's saved values in.
pub(crate) struct ExitBuffer {
    ptr: *mut u64,
    slots: usize,
}

impl ExitBuffer {
    /// The buffer of `slots` words at `ptr`, alive while this is used.
    #[inline]
    pub(crate) fn new(ptr: *mut u64, slots: usize) -> Self {
        ExitBuffer { ptr, slots }
    }

    /// The words native code stored at `slot..slot + n`.
    /// # Safety
    /// The return or exit being handled wrote exactly these slots, and the buffer is
    /// still alive.
    #[inline]
    pub(crate) unsafe fn saved(&self, slot: usize, n: usize) -> &[u64] {
        debug_assert!(slot + n <= self.slots);
        // SAFETY: in bounds (`slot + n <= slots`) and written (caller's promise).
        unsafe { std::slice::from_raw_parts(self.ptr.add(slot), n) }
    }
}

/// The locals (unbound: `None`) and value stack `exit` saved in `buf`, boxed. Every saved
/// word is taken over, even after a failure, so no reference leaks.
/// # Safety
/// Native code left at `exit`, which stored its values in `buf`.
pub(crate) unsafe fn saved_values(
    vm: &VirtualMachine,
    exit: &ExitSite,
    buf: &ExitBuffer,
) -> PyResult<(Vec<Option<PyObjectRef>>, Vec<Option<PyObjectRef>>)> {
    let mut slot = 0;
    let mut failed = None;
    let mut take = |k: Option<Kind>, slot: &mut usize| -> Option<PyObjectRef> {
        let Some(k) = k else {
            *slot += 1;
            return None;
        };
        // SAFETY: the exit stored this value's words with kind `k` at `slot`.
        let v = unsafe { unmarshal(vm, k, buf.saved(*slot, k.slots())) };
        *slot += k.slots();
        v.unwrap_or_else(|e| {
            failed.get_or_insert(e);
            None
        })
    };
    let locals: Vec<_> = exit.locals.iter().map(|k| take(*k, &mut slot)).collect();
    let stack: Vec<_> = exit
        .stack
        .iter()
        .map(|k| take(Some(*k), &mut slot))
        .collect();
    if let Some(e) = failed {
        return Err(e);
    }
    Ok((locals, stack))
}

/// The frame state at `exit` with its saved `locals` and `stack`, raising `pending` on
/// resume.
pub(crate) fn state_at_exit(
    vm: &VirtualMachine,
    analysis: &Analysis,
    exit: &ExitSite,
    locals: Vec<Option<PyObjectRef>>,
    stack: Vec<Option<PyObjectRef>>,
    pending: Option<PyBaseExceptionRef>,
) -> FrameState {
    // Inside a handler native code ran: see `FrameState::handling`.
    let handling = analysis
        .index_of(exit.resume_at)
        .and_then(|k| analysis.handling[k])
        .map(|i| {
            let outer = stack
                .get(i as usize)
                .cloned()
                .flatten()
                .and_then(|e| e.downcast::<PyBaseException>().ok());
            (outer, vm.current_exception())
        });
    FrameState {
        resume_at: exit.resume_at,
        locals,
        stack,
        pending,
        handling,
    }
}

/// Rebuilds the object of a saved value (see [`translate::ExitSite`] for the layout).
/// # Safety
/// `words` are what native code stored for a value of kind `k`: an owned reference for
/// [`Kind::Obj`] (NULL allowed).
pub(crate) unsafe fn unmarshal(
    vm: &VirtualMachine,
    k: Kind,
    words: &[u64],
) -> PyResult<Option<PyObjectRef>> {
    // SAFETY: `words` are a saved value of kind `k` (caller's promise).
    if let Some(b) = unsafe { take_box(k, words) } {
        return Ok(Some(b));
    }
    Ok(match k {
        Kind::Int => Some(vm.ctx.new_int(words[0] as i64).into()),
        Kind::Float => Some(vm.ctx.new_float(f64::from_bits(words[0])).into()),
        Kind::Bool => Some(vm.ctx.new_bool(words[0] != 0).into()),
        // SAFETY: a saved object is an owned reference, handed over to us.
        Kind::Obj => (words[0] != 0).then(|| unsafe { crate::vm::take(words[0]) }),
        Kind::Range => {
            // Yields exactly what the native loop had left: next, next+step, ... (remaining).
            let (next, remaining, step) = (words[0] as i64, words[1], words[2] as i64);
            let stop = i128::from(next) + i128::from(remaining) * i128::from(step);
            let r = vm.ctx.types.range_type.as_object().call(
                (
                    vm.ctx.new_int(next),
                    vm.ctx.new_int(stop),
                    vm.ctx.new_int(step),
                ),
                vm,
            )?;
            Some(r.get_iter(vm)?.into())
        }
    })
}

/// The box saved with an unboxed int or float (see [`Kind`]), as an owned reference.
/// # Safety
/// `words` are a saved value of kind `k`; a box in them is owned, or borrowed from an
/// object that is still alive.
pub(crate) unsafe fn take_box(k: Kind, words: &[u64]) -> Option<PyObjectRef> {
    if !matches!(k, Kind::Int | Kind::Float) || words[1] == 0 {
        return None;
    }
    let p = words[1] & !translate::BORROWED_BOX;
    if p == 0 {
        return None;
    }
    Some(if words[1] & translate::BORROWED_BOX != 0 {
        // SAFETY: a borrowed box is alive while the activation runs (caller's promise).
        unsafe { crate::vm::obj(p) }.to_owned()
    } else {
        // SAFETY: native code handed over the reference it owned.
        unsafe { crate::vm::take(p) }
    })
}
