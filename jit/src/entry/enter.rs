//! Entering native code: the entry guard (the argument kinds a version was specialized
//! on), calls from a stub or the counting prologue ([`call_compiled`]), from native code
//! ([`call_compiled_direct`], [`call_compiled_borrowed`]), running the code with its exit
//! buffer ([`run_native`]), and running the function in the interpreter when it cannot
//! run natively ([`interpret`]).

use std::cell::Cell;
use std::sync::atomic::Ordering;

use rustpython_vm::builtins::{PyFloat, PyFunction, PyInt};
use rustpython_vm::{AsObject, Py, PyObjectRef, PyResult, VirtualMachine};

use super::compile::{native_for, Native};
use super::exits::leave_at_exit;
use super::fallback::fall_back;
use super::registry::{Compiled, Target};
use crate::deopt::{self, unmarshal, ExitBuffer, FrameState};
use crate::frames::NativePosition;
use crate::policy::stepped_aside;
use crate::stats::STATS;
use crate::translate::{self, Kind};

/// The unboxed kind of `obj` and its bits, or `None` for anything that stays an object.
pub(super) fn kind_of(vm: &VirtualMachine, obj: &rustpython_vm::PyObject) -> Option<(Kind, u64)> {
    if let Some(i) = obj.downcast_ref_if_exact::<PyInt>(vm) {
        return i64::try_from(i.as_bigint())
            .ok()
            .map(|v| (Kind::Int, v as u64));
    }
    if obj.class().is(vm.ctx.types.bool_type) {
        return Some((Kind::Bool, obj.is(&vm.ctx.true_value) as u64));
    }
    if let Some(f) = obj.downcast_ref_if_exact::<PyFloat>(vm) {
        return Some((Kind::Float, f.to_f64().to_bits()));
    }
    None
}

/// The argument words for native code specialized on `kinds`, or `None` if an argument
/// does not fit its kind (the entry guard). Object arguments become owned pointers.
fn marshal(vm: &VirtualMachine, kinds: &[Kind], args: &[PyObjectRef]) -> Option<Vec<u64>> {
    if kinds.len() != args.len() {
        return None;
    }
    let mut words = Vec::with_capacity(2 * args.len());
    for (k, a) in kinds.iter().zip(args) {
        if !push_unboxed(vm, *k, a, &mut words)? {
            words.push(0);
        }
    }
    // Only now that the guard passed, hand over references.
    let mut slot = 0;
    for (k, a) in kinds.iter().zip(args) {
        if *k == Kind::Obj {
            words[slot] = crate::vm::give(a.clone());
        }
        slot += k.slots();
    }
    Some(words)
}

/// The entry guard of one argument: pushes the words of `a` as kind `k` unless `k` is
/// [`Kind::Obj`] (returns whether it pushed), `None` if `a` does not fit `k`. An
/// unboxed int or float takes its object along as a borrowed box: the caller keeps the
/// argument alive for the whole activation.
pub(super) fn push_unboxed(
    vm: &VirtualMachine,
    k: Kind,
    a: &rustpython_vm::PyObject,
    words: &mut impl Extend<u64>,
) -> Option<bool> {
    if k == Kind::Obj {
        return Some(false);
    }
    match kind_of(vm, a) {
        Some((ak, bits)) if ak == k => {
            words.extend([bits]);
            if matches!(k, Kind::Int | Kind::Float) {
                words.extend([crate::helpers::address_of(a) | translate::BORROWED_BOX]);
            }
            Some(true)
        }
        _ => None,
    }
}

/// Runs `func`, whose code is `c`'s stub, in the interpreter from its first instruction
/// with `args` bound: when `c` cannot run natively (a tracer, a refusal), and for a
/// function made from the stub code with other globals or closure (as
/// `types.FunctionType(f.__code__, globals)` does, e.g. `annotationlib`; native code is
/// bound to its own function's globals). `frame` is the frame of the stub or counted code
/// that calls it (hidden while the function runs in its continuation frame), or null.
pub(super) fn interpret(
    vm: &VirtualMachine,
    c: &Compiled,
    func: &Py<PyFunction>,
    args: Vec<PyObjectRef>,
    frame: *const rustpython_vm::frame::InterpreterFrame,
) -> PyResult {
    let nslots = c.target.original.code.localspluskinds.len();
    let mut locals: Vec<Option<PyObjectRef>> = args.into_iter().map(Some).collect();
    locals.resize(nslots, None);
    let state = FrameState {
        resume_at: 0,
        locals,
        stack: vec![],
        pending: None,
        handling: None,
    };
    // Every argument slot is bound and nothing else is: one shape, built once.
    let cont = match c.from_start.get() {
        Some(code) => code.clone(),
        None => {
            let code = deopt::continuation_code(vm, &c.target.original, &c.target.analysis, &state)
                .map_err(|e| vm.new_system_error(format!("rpyjit: {}", e.0)))?;
            c.from_start.get_or_init(|| code).clone()
        }
    };
    crate::frames::with_hidden(frame, || deopt::resume(vm, func, cont, state))
}

thread_local! {
    /// Nesting of direct native-to-native calls on this thread: they push no interpreter
    /// frame, so they count against the recursion limit here.
    static NATIVE_DEPTH: Cell<usize> = const { Cell::new(0) };
}

/// Calls compiled function `c` directly from native code (no stub frame) with its
/// positional arguments bound exactly. Deep recursion raises RecursionError as the
/// interpreter would, and never exhausts the machine stack.
pub fn call_compiled_direct(
    vm: &VirtualMachine,
    c: &Compiled,
    func: &Py<PyFunction>,
    args: Vec<PyObjectRef>,
) -> PyResult {
    if c.target.reads_frames {
        // Through its stub: in a frame of its own.
        return func.invoke_exact_args(args, vm);
    }
    // The arguments' words on the machine stack: the borrowed path builds no vectors.
    if args.len() <= MAX_BORROWED_ARGS {
        let mut argv = [0u64; MAX_BORROWED_ARGS];
        for (w, a) in argv.iter_mut().zip(&args) {
            *w = crate::vm::address_of(a);
        }
        // SAFETY: `args` keeps every object alive until after the call.
        if let Some(r) = unsafe { call_compiled_borrowed(vm, c, func, &argv[..args.len()]) } {
            return r;
        }
    }
    nested_native_call(vm, || call_compiled(vm, c, func, args, None))
}

/// `_testinternalcapi.get_recursion_depth()` counts native-to-native calls too: the VM
/// counts the frames it pushed, and such calls push none (CPython's `test.support`
/// measures the recursion it has left with it). Applied to the module when it is created.
pub fn count_native_calls_in_recursion_depth(
    vm: &VirtualMachine,
    module: &Py<rustpython_vm::builtins::PyModule>,
) -> PyResult<()> {
    let module = module.as_object();
    let Ok(orig) = module.get_attr("get_recursion_depth", vm) else {
        return Ok(());
    };
    let depth = vm.new_function(
        "get_recursion_depth",
        move |args: rustpython_vm::function::FuncArgs, vm: &VirtualMachine| -> PyResult {
            let vm_depth: usize = orig.call(args, vm)?.try_into_value(vm)?;
            Ok(vm
                .ctx
                .new_int(vm_depth + NATIVE_DEPTH.with(|d| d.get()))
                .into())
        },
    );
    module.set_attr("get_recursion_depth", depth, vm)
}

/// Runs `call`, a native-to-native call, one level deeper against the recursion limit.
fn nested_native_call(vm: &VirtualMachine, call: impl FnOnce() -> PyResult) -> PyResult {
    let depth = NATIVE_DEPTH.with(|d| d.get());
    if vm.current_recursion_depth() + depth >= vm.recursion_limit.get() {
        // The interpreter's own wording (`check_recursive_call` with an empty `where`).
        return Err(vm.new_recursion_error(format!("maximum recursion depth exceeded {}", "")));
    }
    NATIVE_DEPTH.with(|d| d.set(depth + 1));
    let r = vm.with_recursion("", call);
    NATIVE_DEPTH.with(|d| d.set(depth));
    r
}

/// Arguments a borrowed call passes on the machine stack; more take the general path.
const MAX_BORROWED_ARGS: usize = 16;

/// The argument words of a borrowed call (at most two per argument), on the machine
/// stack and not zeroed: only the first `n` are ever read.
struct Words {
    w: [std::mem::MaybeUninit<u64>; 2 * MAX_BORROWED_ARGS],
    n: usize,
}

impl Default for Words {
    fn default() -> Self {
        Words {
            // SAFETY: an array of `MaybeUninit` needs no initialization.
            w: unsafe { std::mem::MaybeUninit::uninit().assume_init() },
            n: 0,
        }
    }
}

impl Extend<u64> for Words {
    fn extend<I: IntoIterator<Item = u64>>(&mut self, iter: I) {
        for v in iter {
            self.w[self.n].write(v);
            self.n += 1;
        }
    }
}

impl Words {
    fn push(&mut self, v: u64) {
        self.extend([v]);
    }
}

impl std::ops::Deref for Words {
    type Target = [u64];
    fn deref(&self) -> &[u64] {
        // SAFETY: the first `n` words were written (`extend` is the only writer).
        unsafe { std::slice::from_raw_parts(self.w.as_ptr().cast(), self.n) }
    }
}

impl std::ops::DerefMut for Words {
    fn deref_mut(&mut self) -> &mut [u64] {
        // SAFETY: as for `deref`.
        unsafe { std::slice::from_raw_parts_mut(self.w.as_mut_ptr().cast(), self.n) }
    }
}

/// [`call_compiled_direct`] with the arguments borrowed from the calling native code's
/// operand slots, the common case of a call between compiled functions: no argument
/// vectors are built. `None` when this path does not apply (the callee's specialized
/// code is not built yet, an argument misses its entry guard, a tracer is active): the
/// caller then takes the general path, which handles all of those.
///
/// # Safety
/// Every word of `argv` is a live object pointer the caller keeps alive for the call.
pub unsafe fn call_compiled_borrowed(
    vm: &VirtualMachine,
    c: &Compiled,
    func: &Py<PyFunction>,
    argv: &[u64],
) -> Option<PyResult> {
    if vm.use_tracing.get() || stepped_aside() || c.target.reads_frames {
        return None;
    }
    let Some(Ok(native)) = c.native.get() else {
        return None;
    };
    let kinds = &native.t.args;
    if kinds.len() != argv.len() || argv.len() > MAX_BORROWED_ARGS {
        return None;
    }
    // On the machine stack: this is the hot path of calls between compiled functions.
    let mut words = Words::default();
    for (k, &p) in kinds.iter().zip(argv) {
        // SAFETY: the caller guarantees `p` is a live object.
        let o = unsafe { &*(p as *const rustpython_vm::PyObject) };
        if !push_unboxed(vm, *k, o, &mut words)? {
            words.push(0);
        }
    }
    // The guard passed: object arguments get a reference of their own, which the
    // native code owns (as `marshal` hands over).
    let mut slot = 0;
    for (k, &p) in kinds.iter().zip(argv) {
        if *k == Kind::Obj {
            // SAFETY: as above; the new reference is released by the native code.
            words[slot] = unsafe { crate::helpers::incref(p) };
        }
        slot += k.slots();
    }
    Some(nested_native_call(vm, || {
        run_native(
            vm,
            &c.target,
            func,
            native.latest(),
            &words,
            None,
            0,
            &|why| fall_back(vm, c, why),
        )
    }))
}

/// Runs compiled function `c` with its argument slots bound to `args` (from its stub,
/// or from the counting prologue of the call that made it hot).
///
/// `position` is the frame the call runs in (see [`run_native`]).
pub fn call_compiled(
    vm: &VirtualMachine,
    c: &Compiled,
    func: &Py<PyFunction>,
    args: Vec<PyObjectRef>,
    position: Option<NativePosition>,
) -> PyResult {
    if args.len() != translate::arg_slots(&c.target.original) {
        // Not bound as the compiled code expects (a copy of a stub made by
        // `code.replace`, called with its own signature): never run natively.
        return Err(vm.new_system_error(format!(
            "rpyjit: {} called with {} argument slots instead of {}",
            c.target.original.code.qualname,
            args.len(),
            translate::arg_slots(&c.target.original)
        )));
    }
    // A tracer or profiler (settrace, setprofile, debuggers, coverage) sees every line and
    // call only in the interpreter: watched code does not run natively.
    if vm.use_tracing.get() || stepped_aside() {
        return interpret(
            vm,
            &c,
            func,
            args,
            position.map_or(std::ptr::null(), |p| p.frame),
        );
    }
    let native = c.native.get_or_init(|| {
        let kinds: Vec<Kind> = args
            .iter()
            .map(|a| kind_of(vm, a).map_or(Kind::Obj, |k| k.0))
            .collect();
        native_for(vm, &c, &kinds, false)
            .inspect_err(|r| STATS.refused(Some(c.target.original.code.qualname.as_str()), &r.0))
    });
    let native = match native {
        Ok(n) => n,
        Err(r) => {
            fall_back(vm, &c, &r.0);
            return interpret(
                vm,
                &c,
                func,
                args,
                position.map_or(std::ptr::null(), |p| p.frame),
            );
        }
    };
    // Entry guard: the argument kinds the code was specialized for. On a miss, the
    // generic version (every argument an object) runs instead.
    let (native, words) = match marshal(vm, &native.t.args, &args) {
        Some(w) => (native, w),
        None => {
            STATS.entry_miss();
            c.entry_misses.fetch_add(1, Ordering::Relaxed);
            let generic = c.generic.get_or_init(|| {
                native_for(vm, &c, &vec![Kind::Obj; args.len()], true).inspect_err(|r| {
                    STATS.refused(Some(c.target.original.code.qualname.as_str()), &r.0)
                })
            });
            match generic {
                Ok(g) => (
                    g,
                    marshal(vm, &g.t.args, &args).expect("objects always fit"),
                ),
                Err(r) => {
                    fall_back(vm, &c, &r.0);
                    return interpret(
                        vm,
                        &c,
                        func,
                        args,
                        position.map_or(std::ptr::null(), |p| p.frame),
                    );
                }
            }
        }
    };
    // Native code owns its object arguments now; the ints and floats stay alive until it
    // returns: they are the borrowed boxes of its unboxed arguments.
    let args: Vec<PyObjectRef> = args
        .into_iter()
        .filter(|v| matches!(kind_of(vm, v), Some((Kind::Int | Kind::Float, _))))
        .collect();
    let r = run_native(
        vm,
        &c.target,
        func,
        native.latest(),
        &words,
        position,
        0,
        &|why| fall_back(vm, &c, why),
    );
    drop(args);
    r
}

/// Runs native code with `words` as its arguments and turns its outcome into a result:
/// the returned object, or the rest of the function run in the interpreter after an exit.
/// `too_many_exits` is told when one exit site keeps being taken.
///
/// `position` is where the activation reports the instruction it is at (the frame it runs
/// in, see [`crate::frames`]); `None` for a function called natively, without a frame of
/// its own. `entry_unit` is the instruction native code starts at.
pub(super) fn run_native(
    vm: &VirtualMachine,
    c: &Target,
    func: &Py<PyFunction>,
    native: &Native,
    words: &[u64],
    position: Option<NativePosition>,
    entry_unit: u32,
    too_many_exits: &dyn Fn(&str),
) -> PyResult {
    let own_position = std::sync::atomic::AtomicU32::new(entry_unit + 1);
    // The interpreter continues a frame from its `lasti` once the builtin that entered
    // native code returns: what native code reported is put back before that.
    let restore = position.map(|p| p.reporting_from(entry_unit));
    let position = position.unwrap_or_else(|| NativePosition::own(&own_position));
    // The exit buffer lives on the stack unless a site saves a very large frame.
    // Not zeroed (a memset on every call): native code writes every slot that is read
    // back (a return's result, an exit's saved values, the locals before a call), and
    // slots are only ever read through `ExitBuffer::saved`, after they were written.
    let mut small = std::mem::MaybeUninit::<[u64; 48]>::uninit();
    let mut large = Vec::new();
    let slots = native.t.buf_slots.max(1);
    let buf_ptr: *mut u64 = if slots <= 48 {
        small.as_mut_ptr().cast()
    } else {
        large.resize(slots, 0u64);
        large.as_mut_ptr()
    };
    let buf = ExitBuffer::new(buf_ptr, slots);
    let ctx = crate::helpers::NativeCtx {
        vm,
        code: &c.original,
        func,
        globals: &c.globals,
        builtins: &c.builtins,
        exc: std::cell::RefCell::new(None),
        attr_caches: native.attr_caches.as_ptr(),
        tb_frames: &c.tb_frames,
        tb_frame: std::cell::RefCell::new(None),
        position,
        spilled: (buf_ptr, &native.t.spilled),
    };
    // SAFETY: `entry` was compiled for exactly this signature; `words` holds the argument
    // slots it reads and `buf` at least `buf_slots` slots, the most any exit or return
    // writes; `ctx` outlives the call. The lifetime is erased only for the call's duration.
    let run = || {
        crate::helpers::with_vm(vm, || unsafe {
            (native.entry)(
                words.as_ptr(),
                buf_ptr,
                &ctx as *const crate::helpers::NativeCtx<'_>
                    as *const crate::helpers::NativeCtx<'static>,
            )
        })
    };
    // The activation is visible to frame introspection: a function called natively has
    // no interpreter frame (its activation stands in for one), and any frame native code
    // runs in shows its locals from the activation.
    let status = crate::frames::with_activation(&ctx, run);
    if let Some(unit) = translate::return_unit(status) {
        if let Some(restore) = restore.filter(|_| crate::helpers::runs_in_own_frame(&ctx)) {
            restore.continue_at(unit);
        }
        STATS.native_call();
        // SAFETY: a return stores one owned, non-null result reference in buf[0].
        return Ok(
            unsafe { unmarshal(vm, Kind::Obj, buf.saved(0, 1)) }?.unwrap_or_else(|| vm.ctx.none())
        );
    }
    leave_at_exit(
        vm,
        c,
        func,
        native,
        status as usize,
        &buf,
        &ctx,
        position,
        restore,
        too_many_exits,
    )
}
