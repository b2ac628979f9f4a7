//! The back-edge check native loops call: the VM's signal handlers and the automatic
//! garbage collection the interpreter runs at its safepoints. A raised signal leaves the
//! loop at a signal exit, which takes the exception ([`take_pending_signal`]).

use rustpython_vm::builtins::PyBaseExceptionRef;
use rustpython_vm::VirtualMachine;

thread_local! {
    /// The exception the signal check raised, until the signal exit takes it.
    static PENDING_SIGNAL: std::cell::RefCell<Option<PyBaseExceptionRef>> = const { std::cell::RefCell::new(None) };
}

/// Back-edge helper called from native loops: runs the VM's signal check (Python signal
/// handlers such as the one raising KeyboardInterrupt). Returns 1 if it raised; the
/// exception is kept for `enter`, which raises it at the loop's line in the interpreter.
///
/// Invariant: only called from native code running under `enter` on this thread, which
/// made its VM the thread's (`helpers::with_vm`) for the call. Never unwinds: a panic counts as "no
/// signal" rather than crossing the native frames.
pub extern "C" fn backedge_check() -> i64 {
    let r = std::panic::catch_unwind(|| {
        let vm = crate::helpers::running_vm();
        if vm.is_null() {
            return 0;
        }
        // SAFETY: set by `enter` for the duration of the native call (see invariant).
        let vm = unsafe { &*vm };
        match vm.check_signals() {
            Ok(()) => {
                run_scheduled_gc(vm);
                0
            }
            Err(exc) => {
                PENDING_SIGNAL.with(|p| *p.borrow_mut() = Some(exc));
                1
            }
        }
    });
    r.unwrap_or(0)
}

/// The automatic collection an allocation asked for, run at this back-edge as the
/// interpreter runs it at its safepoint (`eval_breaker_work` → `run_scheduled_gc`). With
/// threads, the VM never collects inside the allocation that crosses generation 0's
/// threshold: it only schedules a collection for the next safepoint, and a native loop
/// that allocates without running interpreted code (`junk.append([])`) would otherwise
/// never reach one. The VM's own test (`collection_ready`) is not public; this is the
/// condition under which `maybe_collect` schedules. `collect` leaves a collection to a
/// collector already running (and clears the request itself).
fn run_scheduled_gc(vm: &VirtualMachine) {
    // Looked at every 64th back-edge: the count only grows by allocations, and a loop
    // that allocates a generation's worth between looks is collected a little later.
    thread_local!(static EDGES: std::cell::Cell<u32> = const { std::cell::Cell::new(0) });
    if EDGES.with(|e| {
        let n = e.get().wrapping_add(1);
        e.set(n);
        n % 64 != 0
    }) {
        return;
    }
    let gc = &vm.state.gc;
    if !gc.is_enabled() {
        return;
    }
    let threshold0 = gc.get_threshold().0 as usize;
    if threshold0 > 0 && rustpython_vm::gc_state::gc_state().get_count().0 >= threshold0 {
        gc.collect(0);
    }
}

/// The exception the last back-edge check on this thread raised, if it was not taken yet.
pub(super) fn take_pending_signal() -> Option<PyBaseExceptionRef> {
    PENDING_SIGNAL.with(|p| p.borrow_mut().take())
}
