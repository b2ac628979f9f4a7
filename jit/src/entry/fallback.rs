//! Putting functions back in the interpreter: one function whose exits keep happening or
//! whose native code could not be built (for good), and every function when a tracer is
//! installed or `rpyjit.disable()` is called. When to do it is [`crate::policy`]'s call.

use std::sync::atomic::Ordering;

use rustpython_vm::VirtualMachine;

use super::registry::{send_all_back, Compiled};
use crate::policy::{self, leave_alone, GAVE_UP_REASON};
use crate::stats::STATS;

/// Puts every compiled function back in the interpreter and stops compiling.
pub fn step_aside(vm: &VirtualMachine) {
    if !policy::mark_stepped_aside() {
        return;
    }
    STATS.fallback("a tracer, profiler or monitoring tool was installed");
    send_all_back(vm);
}

/// Switches the JIT off (`rpyjit.disable()`): compiled functions go back to the
/// interpreter and nothing new is compiled until [`crate::policy::enable`].
pub fn disable(vm: &VirtualMachine) {
    if !policy::mark_disabled() {
        return;
    }
    send_all_back(vm);
}

/// Puts a function back in the interpreter for good.
pub(super) fn fall_back(vm: &VirtualMachine, c: &Compiled, why: &str) {
    STATS.fallback(why);
    let original = &c.target.original;
    leave_alone(original, GAVE_UP_REASON);
    c.sent_back.store(true, Ordering::Relaxed);
    // Code compiled for native callers only never replaced `__code__`.
    c.give_code_back(vm);
}
