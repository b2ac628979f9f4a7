//! Frames stay exact while native code runs.
//!
//! - **Lines.** Native code runs inside an interpreter frame: its stub's frame, or the
//!   frame of a counted function whose loop (or first call) it entered. Both codes keep
//!   the function's own units, locations and line table at their own places (the stub
//!   and the counting code are appended, see [`crate::rewrite::with_entry_appended`]).
//!   Before every helper call, which may run Python code that reads frames (`logging`,
//!   `inspect`, `warnings`, `traceback`, `sys._getframe`, another thread's
//!   `sys._current_frames`), native code writes the frame's instruction index (`lasti`, a
//!   public field of the VM's `InterpreterFrame`): `base + unit + 1`, the base being the
//!   activation's ([`NativePosition::base`]: where the frame's code has the function's
//!   first instruction). The frame then
//!   reports the line of the instruction that left native code, as the interpreter would.
//!   [`positions_work`] checks at start-up that the VM reads lines this way.
//! - **Locals.** Before each call native code stores its locals where an exit there
//!   would ([`crate::translate::Translation::spilled`]); `frame.f_locals` of a frame native
//!   code runs in shows them.
//! - **Frames that are not the interpreter's.** A function called natively by another
//!   compiled function has no interpreter frame: its position goes to a cell of its own
//!   ([`NativePosition::own`]) and its activation is linked on a per-thread list. A frame
//!   whose function continues in a continuation frame after a deopt is hidden. The
//!   program's view of the frames ([`seen_frames`]) is what `sys._getframe`,
//!   `sys._getframemodulename`, `frame.f_back`, `frame.f_locals` and `warnings.warn`
//!   (replaced by [`install`]) show.

use std::cell::RefCell;
use std::sync::atomic::{AtomicPtr, AtomicU32, Ordering};

use rustpython_vm::frame::{FrameObjectRef, InterpreterFrame};
use rustpython_vm::function::{FuncArgs, OptionalArg};
use rustpython_vm::{AsObject, PyObjectRef, PyResult, VirtualMachine};

use crate::abi::NativeCtx;
pub use crate::abi::NativePosition;

mod other_threads;
mod stand_ins;

use other_threads::{HiddenFrames, ThreadActivations};
pub(crate) use stand_ins::{code_frame_maker, frame_maker, made_frame};
pub use stand_ins::{placeholder_args, stand_in, FRAME_BUILTIN};

impl NativePosition {
    /// The frame that called the running builtin (a stub, a counting prologue or a loop
    /// hook), whose code holds the function's units from unit `base` on.
    pub fn calling_frame(base: u32) -> Option<Self> {
        let frame = rustpython_vm::frame::current_thread_iframe();
        if frame.is_null() {
            return None;
        }
        // SAFETY: a builtin runs on the calling frame's thread while that frame is live,
        // and native code entered from the builtin returns before the builtin does, so
        // the frame outlives every store through this pointer. `lasti` is a public field
        // of the VM's frame (an atomic: another thread may read it at any time).
        let lasti: &AtomicU32 = unsafe { &(*frame).lasti };
        // A frame object made for a running frame has a copy of its `lasti`, which the
        // interpreter brings up to date when the frame returns; the frame keeps that
        // object alive while it runs.
        let mirror: *const AtomicU32 =
            match rustpython_vm::frame::find_owned_chain_frame_by_iframe(frame) {
                Some(fo) if !std::ptr::eq(fo.iframe(), frame) => &fo.iframe().lasti,
                _ => lasti,
            };
        Some(Self {
            lasti,
            mirror,
            base,
            frame,
        })
    }

    /// This position with its reports going to `cell` instead of the frame (which keeps
    /// its own line): for a frame whose code does not hold the function's units where
    /// native code reports them.
    pub fn reporting_to(self, cell: &AtomicU32) -> Self {
        Self {
            lasti: cell,
            mirror: cell,
            ..self
        }
    }

    /// A position cell of the activation's own (no interpreter frame).
    pub fn own(cell: &AtomicU32) -> Self {
        Self {
            lasti: cell,
            mirror: cell,
            base: 0,
            frame: std::ptr::null(),
        }
    }

    /// Reports original unit `unit` as the one executing until the returned guard is
    /// dropped, which puts the frame's own `lasti` back: the interpreter resumes the frame
    /// from it when the builtin that entered native code returns.
    pub fn reporting_from(&self, unit: u32) -> RestoreLasti {
        // SAFETY: see the constructors: the cell outlives the activation, and the guard
        // is dropped by the builtin that entered native code, before it returns.
        let cell = unsafe { &*self.lasti };
        let saved = cell.swap(self.base + unit + 1, Ordering::Relaxed);
        // SAFETY: as above (the frame object outlives the frame's run).
        let mirror = unsafe { &*self.mirror };
        let mirror_saved = mirror.swap(self.base + unit + 1, Ordering::Relaxed);
        RestoreLasti {
            cell: self.lasti,
            saved,
            mirror: self.mirror,
            mirror_saved,
            base: self.base,
        }
    }
}

/// Puts a frame's `lasti` back (see [`NativePosition::reporting_from`]).
pub struct RestoreLasti {
    cell: *const AtomicU32,
    saved: u32,
    mirror: *const AtomicU32,
    mirror_saved: u32,
    base: u32,
}

impl RestoreLasti {
    /// Has the interpreter continue the frame at original unit `unit` instead of after
    /// the builtin's call: the function's own `RETURN_VALUE` that native code returned
    /// through, so the finished frame's `f_lineno` is the return's line. (The builtin's
    /// result is on the stack, which that instruction returns. The frame's code holds
    /// every original unit from `base` on, except the first few an appended entry's jump
    /// took over: `RESUME` and what follows it, never a return in a code short enough
    /// for a jump of fewer than three units.)
    pub fn continue_at(self, unit: u32) {
        let (cell, at) = (self.cell, self.base + unit);
        // The mirror first: it may be the frame's own cell (see `Drop`).
        drop(self);
        // SAFETY: as in `reporting_from`.
        unsafe { (*cell).store(at, Ordering::Relaxed) };
    }
}

impl Drop for RestoreLasti {
    fn drop(&mut self) {
        // SAFETY: as in `reporting_from`.
        unsafe {
            (*self.mirror).store(self.mirror_saved, Ordering::Relaxed);
            (*self.cell).store(self.saved, Ordering::Relaxed);
        }
    }
}

// ---------------------------------------------------------------------------------------
// The frames a program sees: the interpreter's chain, plus the activations of functions
// called natively (no interpreter frame of their own), minus frames whose function was
// continued in a continuation frame after a deopt (the continuation stands for them).

/// A function running natively. Without an interpreter frame of its own (called by
/// native code), it sits just above `anchor`, the interpreter frame that was on top when
/// it was entered; otherwise `ctx.position.frame` is its frame.
struct Activation {
    ctx: *const NativeCtx<'static>,
    anchor: *const InterpreterFrame,
    outer: *const Activation,
}

impl Activation {
    fn frameless(&self) -> bool {
        // SAFETY: see `seen_frames`: a linked activation's context is live.
        unsafe { (*self.ctx).position.frame.is_null() }
    }
}

thread_local! {
    /// This thread's innermost activation (a linked list through `outer`), published for
    /// other threads' readers ([`other_threads`]).
    static ACTIVATIONS: ThreadActivations = const { ThreadActivations::new() };
    static HIDDEN: HiddenFrames = const { HiddenFrames::new() };
}

/// Runs `f`, native code running with context `ctx`, with its activation visible to
/// frame introspection. On every native call: one thread-local access.
#[inline]
pub fn with_activation<R>(ctx: &NativeCtx<'_>, f: impl FnOnce() -> R) -> R {
    /// Restores the thread's activation list when the call ends (also on unwinding).
    struct Unlink<'t>(&'t AtomicPtr<Activation>, *const Activation);
    impl Drop for Unlink<'_> {
        fn drop(&mut self) {
            self.0.store(self.1 as *mut Activation, Ordering::Relaxed);
        }
    }
    // SAFETY: a thread-local without a destructor lives as long as its thread, which
    // runs this whole call.
    let acts: &ThreadActivations = unsafe { &*ACTIVATIONS.with(|a| a as *const ThreadActivations) };
    if !acts.published.get() {
        publish_this_thread(acts);
    }
    let outer = acts.top.load(Ordering::Relaxed) as *const Activation;
    let anchor = if ctx.position.frame.is_null() {
        anchor_for_call_from(outer)
    } else {
        ctx.position.frame
    };
    let act = Activation {
        ctx: ctx as *const NativeCtx<'_> as *const NativeCtx<'static>,
        anchor,
        outer,
    };
    acts.top.store(
        &act as *const Activation as *mut Activation,
        Ordering::Relaxed,
    );
    let _unlink = Unlink(&acts.top, outer);
    f()
}

/// Out of line: the native call path stays small enough to inline.
#[cold]
#[inline(never)]
fn publish_this_thread(acts: &ThreadActivations) {
    HIDDEN.with(|hidden| other_threads::publish(acts, hidden));
}

/// The interpreter frame a frameless activation called by activation `caller` sits above.
/// Such an activation is called by native code, the innermost activation's, and no
/// interpreter frame was pushed since that one started: the caller's own frame, or the
/// frame the caller itself sits above.
fn anchor_for_call_from(caller: *const Activation) -> *const InterpreterFrame {
    if caller.is_null() {
        return rustpython_vm::frame::current_thread_iframe();
    }
    // SAFETY: see `seen_frames`.
    let caller = unsafe { &*caller };
    if caller.frameless() {
        caller.anchor
    } else {
        // SAFETY: as above.
        unsafe { (*caller.ctx).position.frame }
    }
}

/// Runs `f` (a continuation of the function whose native code ran in `frame`) with
/// `frame` hidden: the continuation's own frame stands for the function.
pub fn with_hidden<R>(frame: *const InterpreterFrame, f: impl FnOnce() -> R) -> R {
    if frame.is_null() {
        return f();
    }
    struct Unhide;
    impl Drop for Unhide {
        fn drop(&mut self) {
            HIDDEN.with(|h| h.frames.borrow_mut().pop());
        }
    }
    HIDDEN.with(|h| h.frames.borrow_mut().push(frame));
    let _unhide = Unhide;
    f()
}

thread_local! {
    /// Frame objects that stood for an activation which then continued in a continuation
    /// frame, with the interpreter frame the continuation runs on top of.
    static CONTINUED: RefCell<Vec<(FrameObjectRef, *const InterpreterFrame)>> =
        const { RefCell::new(Vec::new()) };
}

/// Runs `f` (the continuation of a function called natively, whose activation was
/// `ctx`) so that a frame object that stood for the activation is still found where the
/// continuation's frame is: a program may hold it (`sys._getframe()` before the deopt)
/// and walk on from it.
pub fn with_continued<R>(ctx: &NativeCtx<'_>, f: impl FnOnce() -> R) -> R {
    let Some((frame, _)) = ctx.tb_frame.borrow().clone() else {
        return f();
    };
    struct Forget;
    impl Drop for Forget {
        fn drop(&mut self) {
            CONTINUED.with(|c| {
                c.borrow_mut().pop();
            });
        }
    }
    let anchor = rustpython_vm::frame::current_thread_iframe();
    CONTINUED.with(|c| c.borrow_mut().push((frame, anchor)));
    let _forget = Forget;
    f()
}

/// This thread's innermost activation, if any.
fn innermost_activation() -> *const Activation {
    ACTIVATIONS.with(|a| a.top.load(Ordering::Relaxed) as *const Activation)
}

/// This thread's innermost activation without a frame of its own, if any.
fn innermost_frameless() -> *const Activation {
    let mut a = innermost_activation();
    // SAFETY: see `seen_frames`.
    while !a.is_null() && !unsafe { (*a).frameless() } {
        a = unsafe { (*a).outer };
    }
    a
}

/// Whether this thread's frames differ from the interpreter's chain right now.
fn rewritten() -> bool {
    !innermost_frameless().is_null()
        || HIDDEN.with(|h| !h.frames.borrow().is_empty())
        || CONTINUED.with(|c| !c.borrow().is_empty())
}

/// One frame of the program's view, innermost first.
#[derive(Clone, Copy)]
enum Seen {
    /// The interpreter frame `k` links below the innermost one.
    Real(usize, *const InterpreterFrame),
    Native(*const Activation),
}

/// The program's view of this thread's frames, innermost first.
fn seen_frames() -> Vec<Seen> {
    let mut acts = Vec::new();
    let mut a = innermost_activation();
    while !a.is_null() {
        // SAFETY: activations are linked only while their `with_activation` call runs
        // on this thread, innermost first; each outer one outlives the inner.
        if unsafe { (*a).frameless() } {
            acts.push(a);
        }
        a = unsafe { (*a).outer };
    }
    let hidden = HIDDEN.with(|h| h.frames.borrow().clone());
    let mut seen = Vec::new();
    let mut next = 0;
    let mut cur = rustpython_vm::frame::current_thread_iframe();
    let mut k = 0;
    while !cur.is_null() {
        // SAFETY: as above.
        while next < acts.len() && unsafe { (*acts[next]).anchor } == cur {
            seen.push(Seen::Native(acts[next]));
            next += 1;
        }
        if !hidden.contains(&cur) {
            seen.push(Seen::Real(k, cur));
        }
        // SAFETY: frames on the thread's chain are live while it runs this code.
        cur = unsafe { (*cur).previous() };
        k += 1;
    }
    seen.extend(acts[next..].iter().map(|a| Seen::Native(*a)));
    seen
}

/// The frame object of one frame of the view.
fn frame_object(s: Seen, vm: &VirtualMachine) -> Option<FrameObjectRef> {
    match s {
        Seen::Real(k, _) => rustpython_vm::frame::frame_at_offset(k, vm),
        Seen::Native(a) => {
            // SAFETY: `a` is on this thread's activation list (see `seen_frames`), so
            // its native context is live.
            let ctx = unsafe { &*(*a).ctx };
            let cached = ctx.tb_frame.borrow().clone();
            let (frame, p) = match cached {
                Some(made) => made,
                None => {
                    let made = ctx.tb_frames.frame(ctx)?;
                    *ctx.tb_frame.borrow_mut() = Some(made.clone());
                    made
                }
            };
            // SAFETY: the activation's own position cell lives in its native context.
            let at = unsafe { (*ctx.position.lasti).load(Ordering::Relaxed) };
            frame.set_lasti(p + at);
            Some(frame)
        }
    }
}

/// The frame object of this thread's innermost frame when the view differs from the
/// interpreter's chain (what `sys._getframe()` answers).
fn own_top(vm: &VirtualMachine) -> Option<FrameObjectRef> {
    if !rewritten() {
        return None;
    }
    seen_frames().first().and_then(|s| frame_object(*s, vm))
}

/// Where frame object `f` is in the view, if it is there.
fn position_in_view(seen: &[Seen], f: &FrameObjectRef, vm: &VirtualMachine) -> Option<usize> {
    let iframe = f.iframe() as *const InterpreterFrame;
    if let Some(i) = seen
        .iter()
        .position(|s| matches!(s, Seen::Real(_, p) if *p == iframe))
    {
        return Some(i);
    }
    // A frame object of an activation that continued after a deopt: the continuation's
    // frame is the one just above the frame the activation ran on.
    let continued = CONTINUED.with(|c| {
        c.borrow()
            .iter()
            .rev()
            .find(|(g, _)| g.is(f))
            .map(|(_, anchor)| *anchor)
    });
    if let Some(anchor) = continued {
        return seen.iter().position(|s| match *s {
            // SAFETY: frames on the thread's chain are live.
            Seen::Real(_, p) => std::ptr::eq(unsafe { (*p).previous() }, anchor),
            Seen::Native(_) => false,
        });
    }
    seen.iter().position(|s| match *s {
        Seen::Native(a) => {
            // SAFETY: as in `frame_object`.
            let ctx = unsafe { &*(*a).ctx };
            let cached = ctx.tb_frame.borrow();
            cached.as_ref().is_some_and(|(g, _)| g.is(f))
        }
        Seen::Real(k, _) => rustpython_vm::frame::frame_at_offset(k, vm).is_some_and(|g| g.is(f)),
    })
}

/// Replaces `sys._getframe`, `sys._getframemodulename` and frames' `f_back` with
/// versions that show the program's view (the interpreter's own when nothing native is
/// in between, which is also their fast path).
pub fn install(vm: &VirtualMachine) -> PyResult<()> {
    if !positions_work(vm) {
        return Err(vm.new_system_error(
            "rpyjit: this VM does not report a frame's line from its `lasti` as expected; the JIT stays off",
        ));
    }
    replace_depth_reader(vm, "_getframe", |s, vm| {
        s.and_then(|s| frame_object(s, vm))
            .map(Into::into)
            .ok_or_else(|| vm.new_value_error("call stack is not deep enough"))
    })?;
    replace_depth_reader(vm, "_getframemodulename", |s, vm| {
        Ok(match s {
            Some(Seen::Native(a)) => {
                // SAFETY: as in `frame_object`.
                let ctx = unsafe { &*(*a).ctx };
                ctx.func
                    .as_object()
                    .get_attr("__module__", vm)
                    .unwrap_or_else(|_| vm.ctx.none())
            }
            _ => vm.ctx.none(),
        })
    })?;
    install_warn(vm)?;
    other_threads::install(vm)?;
    replace_frame_getter(vm, "f_back", |g| {
        g.with_get(
            |f: FrameObjectRef, vm: &VirtualMachine| -> Option<FrameObjectRef> {
                if !rewritten() {
                    return other_threads::linked_back(&f).unwrap_or_else(|| f.f_back(vm));
                }
                let seen = seen_frames();
                match position_in_view(&seen, &f, vm) {
                    Some(i) => seen.get(i + 1).and_then(|s| frame_object(*s, vm)),
                    None => other_threads::linked_back(&f).unwrap_or_else(|| f.f_back(vm)),
                }
            },
        )
    });
    replace_frame_getter(vm, "f_locals", |g| {
        g.with_get(|f: FrameObjectRef, vm: &VirtualMachine| -> PyResult {
            if !innermost_activation().is_null() {
                if let Some(locals) = activation_of(&f).and_then(|a| native_locals(a, vm)) {
                    return Ok(locals.into());
                }
            }
            if let Some(cont) = continuation_of(&f, vm) {
                return cont.f_locals(vm);
            }
            f.f_locals(vm)
        })
    });
    Ok(())
}

/// Replaces `sys.<name>(depth=0, /)` with a version that answers from the program's view
/// of the frames when it differs from the interpreter's: the original for the interpreter
/// frame at that depth (or for any call while the views agree), `other` for a frameless
/// activation or a depth past the outermost frame (`None`).
fn replace_depth_reader(
    vm: &VirtualMachine,
    name: &'static str,
    other: fn(Option<Seen>, &VirtualMachine) -> PyResult,
) -> PyResult<()> {
    let sys: PyObjectRef = vm.sys_module.clone().into();
    let Ok(orig) = sys.get_attr(name, vm) else {
        return Ok(());
    };
    let reader = move |args: FuncArgs, vm: &VirtualMachine| -> PyResult {
        // The original reports wrong arguments (`sys._getframe(1, 2)`: a TypeError).
        if !rewritten() || !args.kwargs.is_empty() || args.args.len() > 1 {
            return orig.call(args, vm);
        }
        let depth: OptionalArg<i64> = match args.args.first() {
            Some(d) => OptionalArg::Present(d.try_to_value(vm)?),
            None => OptionalArg::Missing,
        };
        let depth = depth.unwrap_or(0).max(0) as usize;
        match seen_frames().get(depth).copied() {
            Some(Seen::Real(k, _)) => orig.call((k,), vm),
            s => other(s, vm),
        }
    };
    sys.set_attr(name, vm.new_function(name, reader), vm)
}

/// Replaces the getset of frame attribute `name` with the one `with_getter` makes of an
/// empty one (the frame type's own attributes are getsets).
pub(crate) fn replace_frame_getter(
    vm: &VirtualMachine,
    name: &'static str,
    with_getter: impl FnOnce(rustpython_vm::builtins::PyGetSet) -> rustpython_vm::builtins::PyGetSet,
) {
    let frame_type = vm.ctx.types.frame_type;
    let getset = with_getter(rustpython_vm::builtins::PyGetSet::new(
        name, frame_type, &vm.ctx,
    ));
    let getset = rustpython_vm::PyRef::new_ref(getset, vm.ctx.types.getset_type.to_owned(), None);
    frame_type.set_attr(vm.ctx.intern_str(name), getset.into());
}

/// The continuation frame running for hidden frame `f` (native code ran in `f`, then
/// deoptimized): it holds the function's locals while it runs.
fn continuation_of(f: &FrameObjectRef, vm: &VirtualMachine) -> Option<FrameObjectRef> {
    let hidden = HIDDEN.with(|h| h.frames.borrow().clone());
    if hidden.is_empty() {
        return None;
    }
    let mut cur = rustpython_vm::frame::current_thread_iframe();
    let mut k = 0usize;
    while !cur.is_null() {
        let shows_f = hidden.contains(&cur)
            && rustpython_vm::frame::find_owned_chain_frame_by_iframe(cur).is_some_and(|g| g.is(f));
        if shows_f {
            // The continuation runs right on top of the frame it stands for.
            return rustpython_vm::frame::frame_at_offset(k.checked_sub(1)?, vm);
        }
        // SAFETY: frames on the thread's chain are live while it runs this code.
        cur = unsafe { (*cur).previous() };
        k += 1;
    }
    None
}

/// The running native activation frame object `f` shows, if any: a frameless
/// activation's stand-in, or the frame native code runs in.
fn activation_of(f: &FrameObjectRef) -> Option<*const Activation> {
    let iframe = f.iframe() as *const InterpreterFrame;
    let mut a = innermost_activation();
    while !a.is_null() {
        // SAFETY: see `seen_frames`.
        let act = unsafe { &*a };
        let ctx = unsafe { &*act.ctx };
        let frame = ctx.position.frame;
        let shows = if frame.is_null() {
            ctx.tb_frame.borrow().as_ref().is_some_and(|(g, _)| g.is(f))
        } else {
            std::ptr::eq(frame, iframe)
                || rustpython_vm::frame::find_owned_chain_frame_by_iframe(frame)
                    .is_some_and(|g| g.is(f))
        };
        if shows {
            return Some(a);
        }
        a = act.outer;
    }
    None
}

/// The locals of activation `a` as of the call it is in, by name (cells show their
/// contents), if native code stored them before that call
/// ([`crate::translate::Translation::spilled`]).
fn native_locals(
    a: *const Activation,
    vm: &VirtualMachine,
) -> Option<rustpython_vm::builtins::PyDictRef> {
    // SAFETY: see `seen_frames`.
    let ctx = unsafe { &*(*a).ctx };
    // SAFETY: the position cell outlives the activation.
    let lasti = unsafe { (*ctx.position.lasti).load(Ordering::Relaxed) };
    let unit = lasti.checked_sub(ctx.position.base + 1)?;
    let dict = vm.ctx.new_dict();
    for (name, value) in spilled_locals(ctx, unit, vm, true)? {
        dict.set_item(name, value, vm).ok()?;
    }
    Some(dict)
}

/// The bound locals native code stored at unit `unit` (before a call there, or before
/// returning), by name, in slot order; cell and free slots show their contents, or are
/// left out unless `cells`. `None` if native code stores none there.
pub(crate) fn spilled_locals(
    ctx: &NativeCtx<'_>,
    unit: u32,
    vm: &VirtualMachine,
    cells: bool,
) -> Option<Vec<(&'static rustpython_vm::builtins::PyStrInterned, PyObjectRef)>> {
    use crate::translate::Kind;
    use rustpython_vm::bytecode::{CO_FAST_CELL, CO_FAST_FREE};
    let (buf, spilled) = ctx.spilled;
    let (_, kinds) = spilled.iter().find(|(u, _)| *u == unit)?;
    let code = &ctx.code.code;
    let names = localsplus_names(code);
    let mut out = Vec::new();
    let mut slot = 0usize;
    for (i, k) in kinds.iter().enumerate() {
        let Some(k) = k else {
            slot += 1;
            continue;
        };
        // SAFETY: native code stored this local's words at `slot` before the call or
        // return that is running (the exit layout), and the buffer lives as long as the
        // activation.
        let word = |j: usize| unsafe { *buf.add(slot + j) };
        let boxed = matches!(k, Kind::Int | Kind::Float) && word(1) != 0;
        let value: Option<PyObjectRef> = match k {
            // SAFETY: the box of a live value (owned by native code, or borrowed from an
            // object alive for the activation), untagged.
            _ if boxed => Some(
                unsafe { crate::vm::obj(word(1) & !crate::translate::BORROWED_BOX) }.to_owned(),
            ),
            Kind::Int => Some(vm.ctx.new_int(word(0) as i64).into()),
            Kind::Float => Some(vm.ctx.new_float(f64::from_bits(word(0))).into()),
            Kind::Bool => Some(vm.ctx.new_bool(word(0) != 0).into()),
            // SAFETY: a live reference native code holds across the call (or NULL).
            Kind::Obj => (word(0) != 0).then(|| unsafe { crate::vm::obj(word(0)) }.to_owned()),
            Kind::Range => None,
        };
        slot += k.slots();
        let Some(mut value) = value else { continue };
        let is_cell_slot = code
            .localspluskinds
            .get(i)
            .is_some_and(|kind| kind & (CO_FAST_CELL | CO_FAST_FREE) != 0);
        if is_cell_slot {
            if !cells {
                continue;
            }
            if value.class().is(vm.ctx.types.cell_type) {
                match crate::vm::cell_get(vm, &value) {
                    Ok(v) => value = v,
                    Err(_) => continue,
                }
            }
        }
        out.push((*names.get(i)?, value));
    }
    Some(out)
}

/// `warnings.warn` finds the frame a warning is attributed to (`stacklevel`) by walking
/// the VM's frame chain in Rust, which does not see the view above. While the view differs
/// from that chain, `warn` runs this Python version instead (CPython's `_py_warnings.warn`
/// frame walk), which reads frames through `sys._getframe` and `f_back`; the warning
/// itself is issued by the VM's `warn_explicit`, as `warn` does.
const WARN_SOURCE: &str = r#"
def _rpyjit_make_warn(warn_explicit, sys):
    def _is_internal_frame(frame):
        filename = frame.f_code.co_filename
        return 'importlib' in filename and '_bootstrap' in filename

    def _next_external_frame(frame, skip_file_prefixes):
        frame = frame.f_back
        while frame is not None and (
                _is_internal_frame(frame)
                or frame.f_code.co_filename.startswith(skip_file_prefixes)):
            frame = frame.f_back
        return frame

    def warn(message, category=None, stacklevel=1, source=None,
             *, skip_file_prefixes=()):
        if isinstance(message, Warning):
            category = message.__class__
        if category is None:
            category = UserWarning
        if not (isinstance(category, type) and issubclass(category, Warning)):
            raise TypeError("category must be a Warning subclass, "
                            "not '{:s}'".format(type(category).__name__))
        if not isinstance(skip_file_prefixes, tuple):
            raise TypeError('skip_file_prefixes must be a tuple of strs')
        if skip_file_prefixes:
            stacklevel = max(2, stacklevel)
        try:
            if stacklevel <= 1 or _is_internal_frame(sys._getframe(1)):
                # As the native `warn`: a level below 1 is the caller's frame too.
                frame = sys._getframe(max(stacklevel, 1))
            else:
                frame = sys._getframe(1)
                for x in range(stacklevel - 1):
                    frame = _next_external_frame(frame, skip_file_prefixes)
                    if frame is None:
                        raise ValueError
        except ValueError:
            globals = sys.__dict__
            filename = "<sys>"
            lineno = 1
        else:
            globals = frame.f_globals
            filename = frame.f_code.co_filename
            lineno = frame.f_lineno
        module = globals['__name__'] if '__name__' in globals else "<string>"
        registry = globals.setdefault("__warningregistry__", {})
        # No module globals: as the VM's own `warn`, the source line is read when the
        # warning is shown.
        warn_explicit(message, category, filename, lineno, module, registry,
                      None, source)

    return warn
"#;

fn install_warn(vm: &VirtualMachine) -> PyResult<()> {
    let Ok(module) = vm.import("_warnings", 0) else {
        return Ok(());
    };
    let (Ok(orig), Ok(explicit)) = (
        module.get_attr("warn", vm),
        module.get_attr("warn_explicit", vm),
    ) else {
        return Ok(());
    };
    // Made at its first use: most programs never warn while native code is in between.
    let walking_warn: std::sync::OnceLock<PyObjectRef> = std::sync::OnceLock::new();
    let make_walking_warn = move |vm: &VirtualMachine| -> PyResult<PyObjectRef> {
        let code = vm
            .compile(
                WARN_SOURCE,
                rustpython_vm::compiler::Mode::Exec,
                "<rpyjit warnings>",
            )
            .map_err(|e| vm.new_system_error(format!("rpyjit: {e}")))?;
        let scope = vm.new_scope_with_builtins();
        vm.run_code_obj(code, scope.clone())?;
        let make = scope.globals.get_item("_rpyjit_make_warn", vm)?;
        make.call((explicit.clone(), vm.sys_module.clone()), vm)
    };
    let wrapped = orig.clone();
    let warn = vm.new_function(
        "warn",
        move |args: FuncArgs, vm: &VirtualMachine| -> PyResult {
            if !rewritten() {
                return wrapped.call(args, vm);
            }
            let walking = match walking_warn.get() {
                Some(w) => w.clone(),
                None => {
                    let w = make_walking_warn(vm)?;
                    walking_warn.get_or_init(|| w).clone()
                }
            };
            walking.call(args, vm)
        },
    );
    let warn: PyObjectRef = warn.into();
    module.set_attr("warn", warn.clone(), vm)?;
    // `warnings` took `warn` from `_warnings` when it was imported.
    let modules = vm.sys_module.get_attr("modules", vm)?;
    if let Ok(warnings) = modules.get_item("warnings", vm) {
        if warnings.get_attr("warn", vm).is_ok_and(|w| w.is(&orig)) {
            warnings.set_attr("warn", warn, vm)?;
        }
    }
    Ok(())
}

/// The name of every `localsplus` slot of `code`, in slot order: the local variables, then
/// the cell variables that are not also arguments, then the free variables (as the VM
/// names them for `f_locals`).
pub(crate) fn localsplus_names<C>(
    code: &rustpython_vm::bytecode::CodeObject<C>,
) -> Vec<&'static rustpython_vm::builtins::PyStrInterned>
where
    C: rustpython_vm::bytecode::Constant<Name = &'static rustpython_vm::builtins::PyStrInterned>,
{
    let mut names: Vec<_> = code.varnames.to_vec();
    for cell in code.cellvars.iter() {
        if !code.varnames.iter().any(|v| v.as_str() == cell.as_str()) {
            names.push(*cell);
        }
    }
    names.extend(code.freevars.iter().copied());
    names
}

/// The start-up check of what [`NativePosition`] relies on: a frame reports the line of
/// the unit its `lasti` names while a builtin it called runs, and resumes where it was
/// once `lasti` is put back. A function calls a probe builtin that reports the unit of a
/// later line, reads the frame's `f_lineno` and restores `lasti`; the function must then
/// return normally.
fn positions_work(vm: &VirtualMachine) -> bool {
    const PROBE: &str = "__rpyjit_probe_position__";
    let source = format!("def probe():\n    seen = {PROBE}()\n    return ('after', seen)\n");
    let run = || -> PyResult<bool> {
        let code = vm
            .compile(
                &source,
                rustpython_vm::compiler::Mode::Exec,
                "<rpyjit probe>",
            )
            .map_err(|e| vm.new_system_error(e.to_string()))?;
        let function_code: rustpython_vm::PyRef<rustpython_vm::builtins::PyCode> = code
            .code
            .constants
            .iter()
            .find_map(|c| PyObjectRef::from(c.clone()).downcast().ok())
            .ok_or_else(|| vm.new_system_error("no function code"))?;
        // The unit of `return`'s line (3).
        let unit = function_code
            .code
            .locations
            .iter()
            .position(|(loc, _)| loc.line.get() == 3)
            .ok_or_else(|| vm.new_system_error("no line 3"))? as u32;
        let probe = vm.new_function(PROBE, move |vm: &VirtualMachine| -> PyResult {
            let position = NativePosition::calling_frame(0)
                .ok_or_else(|| vm.new_system_error("no calling frame"))?;
            let _restore = position.reporting_from(unit);
            let frame = rustpython_vm::frame::current_thread_frame_materialize(vm)
                .ok_or_else(|| vm.new_system_error("no frame"))?;
            frame.as_object().get_attr("f_lineno", vm)
        });
        let scope = vm.new_scope_with_builtins();
        scope.globals.set_item(PROBE, probe.into(), vm)?;
        vm.run_code_obj(code, scope.clone())?;
        let result = scope.globals.get_item("probe", vm)?.call((), vm)?;
        let expected = vm.ctx.new_tuple(vec![
            vm.ctx.new_str("after").into(),
            vm.ctx.new_int(3).into(),
        ]);
        result.rich_compare_bool(
            expected.as_object(),
            rustpython_vm::types::PyComparisonOp::Eq,
            vm,
        )
    };
    run().unwrap_or(false)
}
