//! Other threads' frames as the program sees them: `sys._current_frames()` and the
//! frames of `sys._current_exceptions()`' tracebacks.
//!
//! The VM answers from each thread's interpreter frames, which do not hold the
//! activations of functions another thread runs natively (called by native code, they
//! have no interpreter frame). Each thread that runs native code publishes its activation
//! list here ([`publish`]); a reader stops the world, as the VM's own readers do, so that
//! every other thread is parked at a safepoint with its activations and frames in place,
//! and takes a snapshot of them: strong references and plain numbers only, nothing that
//! allocates Python objects (a collection would try to stop the world again). From the
//! snapshot it builds the thread's view, its frames innermost first, as stand-in frames
//! (code, line and globals; not the running locals), and links each to the next
//! ([`linked_back`], which `frame.f_back` consults). Threads whose frames are their
//! interpreter frames keep the VM's answer.

use std::cell::{Cell, RefCell};
use std::sync::atomic::{AtomicPtr, AtomicUsize, Ordering};
use std::sync::Mutex;

use rustpython_vm::builtins::{PyCode, PyDictRef, PyFunction};
use rustpython_vm::frame::{FrameObjectRef, InterpreterFrame};
use rustpython_vm::{AsObject, PyObjectRef, PyRef, PyResult, VirtualMachine};

use super::{code_frame_maker, frame_maker, made_frame, Activation};

/// One thread's innermost activation of native code (a list through
/// [`Activation::outer`]). No destructor, so the access on every native call stays a
/// plain thread-local load.
pub(super) struct ThreadActivations {
    pub(super) top: AtomicPtr<Activation>,
    /// Whether this thread is in [`PUBLISHED`].
    pub(super) published: Cell<bool>,
}

impl ThreadActivations {
    pub(super) const fn new() -> Self {
        Self {
            top: AtomicPtr::new(std::ptr::null_mut()),
            published: Cell::new(false),
        }
    }
}

/// One thread's interpreter frames whose function continues in a continuation frame
/// right above them (after a deopt): not shown, the continuation is that function's
/// frame. Also what takes the thread out of [`PUBLISHED`] when it ends.
pub(super) struct HiddenFrames {
    pub(super) frames: RefCell<Vec<*const InterpreterFrame>>,
    /// This thread's [`ThreadActivations`] as published (0: not published).
    published_as: Cell<usize>,
}

impl HiddenFrames {
    pub(super) const fn new() -> Self {
        Self {
            frames: RefCell::new(Vec::new()),
            published_as: Cell::new(0),
        }
    }
}

/// The thread ends: it leaves [`PUBLISHED`] before these frames are freed, under the lock
/// a reader holds while it reads them (its activations, with no destructor, stay until
/// the thread is gone).
impl Drop for HiddenFrames {
    fn drop(&mut self) {
        let acts = self.published_as.get();
        if acts != 0 {
            let mut published = PUBLISHED.lock().unwrap_or_else(|e| e.into_inner());
            published.retain(|entry| entry.1 != acts);
        }
    }
}

/// The threads that have run native code: thread ident (the keys of
/// `sys._current_frames()`) and the addresses of its [`ThreadActivations`] and
/// [`HiddenFrames`].
static PUBLISHED: Mutex<Vec<(u64, usize, usize)>> = Mutex::new(Vec::new());

/// Makes this thread's activations and hidden frames readable by other threads'
/// snapshots. Once per thread, on its first native call.
pub(super) fn publish(acts: &ThreadActivations, hidden: &HiddenFrames) {
    let at = acts as *const ThreadActivations as usize;
    let ident = rustpython_vm::stdlib::_thread::get_ident();
    hidden.published_as.set(at);
    PUBLISHED.lock().unwrap_or_else(|e| e.into_inner()).push((
        ident,
        at,
        hidden as *const HiddenFrames as usize,
    ));
    acts.published.set(true);
}

/// An interpreter frame of another thread.
struct RealFrame {
    at: *const InterpreterFrame,
    code: PyRef<PyCode>,
    func: Option<PyObjectRef>,
    globals: PyDictRef,
    lasti: u32,
}

/// A function another thread runs natively without an interpreter frame.
struct NativeFrame {
    func: PyRef<PyFunction>,
    code: PyRef<PyCode>,
    /// Its position (`lasti` convention, from its own cell).
    at: u32,
    /// The stand-in its exceptions' tracebacks already name, with its prologue length.
    made: Option<(FrameObjectRef, u32)>,
    /// The interpreter frame it sits above.
    anchor: *const InterpreterFrame,
}

/// What a snapshot holds of one other thread that runs native code.
struct Snapshot {
    ident: u64,
    reals: Vec<RealFrame>,
    natives: Vec<NativeFrame>,
    /// Interpreter frames a continuation stands for (not shown).
    hidden: Vec<*const InterpreterFrame>,
}

/// The threads other than this one whose frames are not their interpreter frames (a
/// natively called function running, or a function continued after a deopt), each with
/// its frames as of one moment.
fn snapshot(vm: &VirtualMachine) -> Vec<Snapshot> {
    let me = rustpython_vm::stdlib::_thread::get_ident();
    let stw = &vm.state.stop_the_world;
    stw.stop_the_world(&vm.state);
    /// Restarts the world however the snapshot ends.
    struct Restart<'a>(&'a VirtualMachine);
    impl Drop for Restart<'_> {
        fn drop(&mut self) {
            self.0.state.stop_the_world.start_the_world(&self.0.state);
        }
    }
    let _restart = Restart(vm);
    let published = PUBLISHED.lock().unwrap_or_else(|e| e.into_inner());
    let slots = vm.state.thread_frames.lock();
    let mut out = Vec::new();
    for &(ident, acts, hidden) in published.iter() {
        if ident == me {
            continue;
        }
        let Some(slot) = slots.get(&ident) else {
            continue;
        };
        // SAFETY: a published thread's lists live until its `HiddenFrames` is dropped at
        // thread exit, which first takes the thread out under the lock held here. With the world stopped its thread is parked at a safepoint
        // (or detached in a blocking call): every activation on the list is a live
        // `with_activation` call of that thread, whose context and position cell live on
        // its stack, and every frame on its chain is live; the stop gives the ordering
        // that makes the thread's last writes to them visible here. Only reads, reference
        // count increments and a `RefCell` borrow the parked thread cannot be in the middle
        // of (`try_borrow`) touch them.
        let snap = unsafe {
            read_thread(
                ident,
                &*(acts as *const ThreadActivations),
                &*(hidden as *const HiddenFrames),
                slot,
            )
        };
        out.extend(snap);
    }
    out
}

/// A snapshot of one parked thread (see [`snapshot`] for why the reads are sound).
unsafe fn read_thread(
    ident: u64,
    acts: &ThreadActivations,
    hidden: &HiddenFrames,
    slot: &rustpython_vm::vm::thread::ThreadSlot,
) -> Option<Snapshot> {
    let mut natives = Vec::new();
    let mut a = acts.top.load(Ordering::Relaxed) as *const Activation;
    while !a.is_null() {
        let act = unsafe { &*a };
        if act.frameless() {
            let ctx = unsafe { &*act.ctx };
            natives.push(NativeFrame {
                func: ctx.func.to_owned(),
                code: ctx.code.to_owned(),
                at: unsafe { (*ctx.position.lasti).load(Ordering::Relaxed) },
                made: ctx.tb_frame.try_borrow().ok().and_then(|m| m.clone()),
                anchor: act.anchor,
            });
        }
        a = act.outer;
    }
    let hidden = hidden
        .frames
        .try_borrow()
        .map(|h| h.clone())
        .unwrap_or_default();
    if natives.is_empty() && hidden.is_empty() {
        return None;
    }
    let mut reals = Vec::new();
    let mut f = slot.top_iframe.load(Ordering::Relaxed) as *const InterpreterFrame;
    while !f.is_null() {
        let frame = unsafe { &*f };
        reals.push(RealFrame {
            at: f,
            code: frame.code().to_owned(),
            func: frame.func_obj().map(|o| o.to_owned()),
            globals: frame.globals().to_owned(),
            lasti: frame.lasti.load(Ordering::Relaxed),
        });
        f = frame.previous();
    }
    Some(Snapshot {
        ident,
        reals,
        natives,
        hidden,
    })
}

/// The frames of a snapshot's thread, innermost first, all stand-ins: code, line and
/// globals, no locals, and no link to this thread's frames (they are made with no caller),
/// so keeping them alive keeps no object of a running function alive. `None` if one
/// cannot be made (the VM's answer stands).
fn view(vm: &VirtualMachine, snap: &Snapshot) -> Option<Vec<FrameObjectRef>> {
    let _no_caller = NoCaller::new();
    let mut out = Vec::new();
    let mut natives = snap.natives.iter().peekable();
    for real in &snap.reals {
        while let Some(n) = natives.next_if(|n| n.anchor == real.at) {
            out.push(native_frame(vm, n)?);
        }
        if !snap.hidden.contains(&real.at) {
            out.push(real_frame(vm, real)?);
        }
    }
    for n in natives {
        out.push(native_frame(vm, n)?);
    }
    Some(out)
}

/// While it lives, this thread runs with no frame on its chain: a frame made then has no
/// caller to keep alive (a frame object that outlives its run keeps its caller's).
struct NoCaller(*const InterpreterFrame);

impl NoCaller {
    fn new() -> Self {
        Self(rustpython_vm::vm::thread::set_current_frame(
            std::ptr::null(),
        ))
    }
}

impl Drop for NoCaller {
    fn drop(&mut self) {
        let _ = rustpython_vm::vm::thread::set_current_frame(self.0);
    }
}

fn native_frame(vm: &VirtualMachine, n: &NativeFrame) -> Option<FrameObjectRef> {
    // The stand-in its thread's tracebacks name, if it made one: the same object.
    let (frame, p) = match &n.made {
        Some(made) => made.clone(),
        None => {
            let (maker, p) = frame_maker(vm, &n.func, &n.code)?;
            (made_frame(vm, &maker, &n.code)?, p)
        }
    };
    frame.set_lasti(p + n.at);
    Some(frame)
}

fn real_frame(vm: &VirtualMachine, real: &RealFrame) -> Option<FrameObjectRef> {
    let (maker, p) = match real
        .func
        .clone()
        .and_then(|f| f.downcast::<PyFunction>().ok())
    {
        Some(func) => frame_maker(vm, &func, &real.code)?,
        None => code_frame_maker(vm, &real.code, real.globals.clone())?,
    };
    let frame = made_frame(vm, &maker, &real.code)?;
    frame.set_lasti(p + real.lasti);
    Some(frame)
}

/// Frame objects of other threads' views and the frame each links back to (`None`: the
/// outermost), for `frame.f_back`.
static LINKS: Mutex<Vec<(FrameObjectRef, Option<FrameObjectRef>)>> = Mutex::new(Vec::new());
/// `LINKS.len()`, read without the lock on every `f_back`.
static LINKED: AtomicUsize = AtomicUsize::new(0);

/// What `frame.f_back` of `f` is when `f` is a frame of another thread's view.
pub(super) fn linked_back(f: &FrameObjectRef) -> Option<Option<FrameObjectRef>> {
    if LINKED.load(Ordering::Relaxed) == 0 {
        return None;
    }
    let links = LINKS.lock().unwrap_or_else(|e| e.into_inner());
    links
        .iter()
        .find(|(g, _)| g.is(f))
        .map(|(_, back)| back.clone())
}

/// Links each frame of `view` to the next, forgetting the links of frames nobody else
/// holds any more.
fn link(view: &[FrameObjectRef]) {
    // A frame held only here is unreachable. Its link goes, which may free the next one;
    // each is dropped outside the lock, as dropping a frame may run Python code (a
    // finalizer of something it held) that reads frames.
    loop {
        let dead = take_links(|f, _| f.as_object().strong_count() == 1);
        if dead.is_empty() {
            break;
        }
        drop(dead);
    }
    let replaced = take_links(|f, _| view.iter().any(|v| v.is(f)));
    let mut links = LINKS.lock().unwrap_or_else(|e| e.into_inner());
    for (i, f) in view.iter().enumerate() {
        links.push((f.clone(), view.get(i + 1).cloned()));
    }
    LINKED.store(links.len(), Ordering::Relaxed);
    drop(links);
    drop(replaced);
}

/// Takes the links `which` selects out of [`LINKS`].
fn take_links(
    which: impl Fn(&FrameObjectRef, &Option<FrameObjectRef>) -> bool,
) -> Vec<(FrameObjectRef, Option<FrameObjectRef>)> {
    let mut links = LINKS.lock().unwrap_or_else(|e| e.into_inner());
    let (taken, kept) = std::mem::take(&mut *links)
        .into_iter()
        .partition(|(f, back)| which(f, back));
    *links = kept;
    LINKED.store(links.len(), Ordering::Relaxed);
    taken
}

/// Replaces `sys._current_frames` and `sys._current_exceptions` with versions whose
/// frames show other threads' natively called functions (and this thread's, through the
/// same view as `sys._getframe`).
pub(super) fn install(vm: &VirtualMachine) -> PyResult<()> {
    let sys: PyObjectRef = vm.sys_module.clone().into();
    if let Ok(orig) = sys.get_attr("_current_frames", vm) {
        let frames = move |vm: &VirtualMachine| -> PyResult {
            let d = orig.call((), vm)?;
            for snap in snapshot(vm) {
                let key = vm.ctx.new_int(snap.ident);
                if let Some(v) = view(vm, &snap) {
                    link(&v);
                    d.set_item(key.as_object(), v[0].clone().into(), vm)?;
                }
            }
            if let Some(top) = super::own_top(vm) {
                let me = rustpython_vm::stdlib::_thread::get_ident();
                d.set_item(vm.ctx.new_int(me).as_object(), top.into(), vm)?;
            }
            Ok(d)
        };
        sys.set_attr(
            "_current_frames",
            vm.new_function("_current_frames", frames),
            vm,
        )?;
    }
    if let Ok(orig) = sys.get_attr("_current_exceptions", vm) {
        // The exceptions are the VM's; their tracebacks' frames of natively called
        // functions get their thread's view as their `f_back` chain and their current line.
        let exceptions = move |vm: &VirtualMachine| -> PyResult {
            let d = orig.call((), vm)?;
            for snap in snapshot(vm) {
                if let Some(v) = view(vm, &snap) {
                    link(&v);
                }
            }
            Ok(d)
        };
        sys.set_attr(
            "_current_exceptions",
            vm.new_function("_current_exceptions", exceptions),
            vm,
        )?;
    }
    Ok(())
}
