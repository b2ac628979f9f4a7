//! On-stack replacement: a running frame's hot loop continues in native code from its
//! header, with the frame's values (the loop hooks are [`crate::hotness`]'s). One cache of
//! versions per loop, keyed by the kinds of the values it was entered with.

use std::sync::{Arc, Mutex};

use rustpython_vm::builtins::PyFunction;
use rustpython_vm::{AsObject, Py, PyObjectRef, PyResult, VirtualMachine};

use super::compile::{widened_loop_entry, Native};
use super::enter::{kind_of, push_unboxed, run_native};
use super::registry::Target;
use crate::deopt::{self, FrameState};
use crate::frames::NativePosition;
use crate::policy::{stepped_aside, MAX_OSR_VERSIONS};
use crate::stats::STATS;
use crate::translate::{self, Kind, Refusal};

/// Native code for on-stack replacement at one loop, per the kinds of the frame's values
/// when it was entered: the first kinds seen (objects where the loop header boxes them
/// anyway, so later entries with other values there use it too), then generic
/// all-objects versions (one per pattern of unbound locals), at most
/// [`MAX_OSR_VERSIONS`] in all.
#[derive(Default)]
pub struct OsrCache {
    versions: Mutex<Vec<OsrVersion>>,
}

/// One version is entered with values of the kinds it was built for, or with any value
/// (or none: NULL) where it takes an object; a local it takes as unbound must be unbound
/// (native code treats it so). Its argument words are what it reads.
struct OsrVersion {
    locals: Vec<Option<Kind>>,
    stack: Vec<Kind>,
    generic: bool,
    native: Arc<Native>,
}

/// Whether a slot a version takes as `version` can be entered with a value of kind `have`.
fn takes(version: Kind, have: Kind) -> bool {
    version == have || version == Kind::Obj
}

impl OsrVersion {
    fn exactly(&self, locals: &[Option<Kind>], stack: &[Kind]) -> bool {
        self.locals == locals && self.stack == stack
    }

    fn covers(&self, locals: &[Option<Kind>], stack: &[Kind]) -> bool {
        self.locals.len() == locals.len()
            && self.stack.len() == stack.len()
            && self.locals.iter().zip(locals).all(|(v, h)| match (v, h) {
                (None, None) => true,
                (Some(v), Some(h)) => takes(*v, *h),
                // An object slot may be NULL: the local is passed unbound.
                (Some(v), None) => *v == Kind::Obj,
                (None, Some(_)) => false,
            })
            && self.stack.iter().zip(stack).all(|(v, h)| takes(*v, *h))
    }
}

/// A version found for an entry: its code and the kinds it takes.
type Found = (Arc<Native>, Vec<Option<Kind>>, Vec<Kind>);

impl OsrCache {
    /// The version built for exactly these kinds, else a specialized one that takes
    /// objects where these differ, else (`generic`) the all-objects one for this pattern
    /// of unbound locals.
    fn find(&self, locals: &[Option<Kind>], stack: &[Kind], generic: bool) -> Option<Found> {
        let versions = self.versions.lock().unwrap_or_else(|p| p.into_inner());
        let found = |v: &OsrVersion| (v.native.clone(), v.locals.clone(), v.stack.clone());
        let specialized = versions.iter().filter(|v| !v.generic);
        if !generic {
            let exact = specialized.clone().find(|v| v.exactly(locals, stack));
            return exact
                .or_else(|| specialized.clone().find(|v| v.covers(locals, stack)))
                .map(found);
        }
        versions
            .iter()
            .find(|v| v.generic && v.covers(locals, stack))
            .map(found)
    }

    fn len(&self) -> usize {
        self.versions
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .len()
    }

    /// Adds a version, unless one for the same kinds was added meanwhile (building can
    /// run Python code that enters the same loop): then that one is kept and returned.
    fn add(&self, v: OsrVersion) -> Arc<Native> {
        let mut versions = self.versions.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(have) = versions
            .iter()
            .find(|h| h.generic == v.generic && h.locals == v.locals && h.stack == v.stack)
        {
            return have.native.clone();
        }
        let n = v.native.clone();
        versions.push(v);
        n
    }
}

/// The kind a value of a running frame enters native code with, and its words. Only a
/// value-stack slot (a `for` loop's iterator) can enter as [`Kind::Range`].
fn osr_value(vm: &VirtualMachine, v: &PyObjectRef, on_stack: bool) -> (Kind, Vec<u64>) {
    let mut words = Vec::new();
    if let Some((k, _)) = kind_of(vm, v) {
        push_unboxed(vm, k, v, &mut words);
        return (k, words);
    }
    if on_stack && v.class().is(vm.ctx.types.range_iterator_type) {
        if let Some(words) = range_iterator_state(vm, v) {
            return (Kind::Range, words);
        }
    }
    (Kind::Obj, vec![crate::vm::give(v.clone())])
}

/// (next, remaining, step) of a range iterator, if they fit native integers.
fn range_iterator_state(vm: &VirtualMachine, it: &PyObjectRef) -> Option<Vec<u64>> {
    // `__reduce__` gives (iter, (range(next, stop, step),), None): the values left.
    let reduced = vm.call_method(it, "__reduce__", ()).ok()?;
    let t = reduced.downcast_ref::<rustpython_vm::builtins::PyTuple>()?;
    let args = t
        .as_slice()
        .get(1)?
        .downcast_ref::<rustpython_vm::builtins::PyTuple>()?;
    let range = args
        .as_slice()
        .first()?
        .downcast_ref::<rustpython_vm::builtins::PyRange>()?;
    let next = i64::try_from(range.start.as_bigint()).ok()?;
    let step = i64::try_from(range.step.as_bigint()).ok()?;
    let remaining = u64::try_from(args.as_slice().first()?.length(vm).ok()?).ok()?;
    Some(vec![next as u64, remaining, step as u64])
}

/// Continues the function of `target` from loop `site`'s header with the running frame's
/// `locals` and value `stack`: natively if the loop compiles, else in the interpreter.
/// Returns what the function returns. `disable` is told when the loop must not come back.
pub fn enter_at_loop(
    vm: &VirtualMachine,
    target: &Target,
    func: &Py<PyFunction>,
    site: &crate::rewrite::LoopSite,
    cache: &OsrCache,
    locals: Vec<Option<PyObjectRef>>,
    stack: Vec<PyObjectRef>,
    position: Option<NativePosition>,
    disable: &dyn Fn(),
) -> PyResult {
    let interpret_from_header = |locals: Vec<Option<PyObjectRef>>, stack: Vec<PyObjectRef>| {
        let state = FrameState {
            resume_at: site.header,
            locals,
            stack: stack.into_iter().map(Some).collect(),
            pending: None,
            // The interpreter frame being replaced is in the same handler state.
            handling: None,
        };
        let cont = deopt::continuation_code(vm, &target.original, &target.analysis, &state)
            .map_err(|e| vm.new_system_error(format!("rpyjit: {}", e.0)))?;
        let frame = position.map_or(std::ptr::null(), |p| p.frame);
        crate::frames::with_hidden(frame, || deopt::resume(vm, func, cont, state))
    };
    if stepped_aside() || vm.use_tracing.get() {
        return interpret_from_header(locals, stack);
    }
    if let Some(reason) = crate::exclude::reason(vm, func, &target.original) {
        STATS.refused(Some(target.original.code.qualname.as_str()), reason);
        disable();
        return interpret_from_header(locals, stack);
    }
    let kinds_of = |generic: bool| -> (Vec<Option<Kind>>, Vec<Kind>) {
        let l = locals
            .iter()
            .map(|v| v.as_ref().map(|v| osr_kind(vm, v, generic, false)))
            .collect();
        let s = stack
            .iter()
            .map(|v| osr_kind(vm, v, generic, true))
            .collect();
        (l, s)
    };
    // The version for these kinds (or one that takes objects where they differ), else the
    // generic one for this pattern of unbound locals; the first entry builds a specialized
    // version, later ones a generic one.
    let (lk, sk) = kinds_of(false);
    let (glk, gsk) = kinds_of(true);
    let found = cache
        .find(&lk, &sk, false)
        .or_else(|| cache.find(&glk, &gsk, true));
    let (native, version_locals, version_stack) = match found {
        Some(found) => found,
        None if cache.len() >= MAX_OSR_VERSIONS => return interpret_from_header(locals, stack),
        None => match build_version(vm, target, site, cache, lk, sk, glk, gsk) {
            Ok(found) => found,
            Err(r) => {
                STATS.refused(Some(target.original.code.qualname.as_str()), &r.0);
                disable();
                return interpret_from_header(locals, stack);
            }
        },
    };
    // Marshal with the version's kinds.
    let mut words = Vec::new();
    for (v, k) in locals.iter().zip(&version_locals) {
        match (v, k) {
            (Some(v), Some(k)) => words.extend(entry_words(vm, v, *k)),
            _ => words.push(0),
        }
    }
    for (v, k) in stack.iter().zip(&version_stack) {
        words.extend(entry_words(vm, v, *k));
    }
    STATS.osr_entry();
    // Native code owns its object values now; the ints and floats stay alive until it
    // returns: they are the borrowed boxes of its unboxed values (their lifetimes cannot
    // be observed).
    let boxes: Vec<PyObjectRef> = locals
        .into_iter()
        .flatten()
        .chain(stack)
        .filter(|v| matches!(kind_of(vm, v), Some((Kind::Int | Kind::Float, _))))
        .collect();
    let r = run_native(
        vm,
        target,
        func,
        native.latest(),
        &words,
        position,
        site.header,
        &|why| {
            STATS.fallback(why);
            disable();
        },
    );
    drop(boxes);
    r
}

/// Builds the next version of loop `site` for an entry with these kinds (`glk`, `gsk`:
/// the same values as objects) and adds it to `cache`: the first one specialized, on the
/// kinds its header keeps ([`widened_loop_entry`]), later ones generic.
#[allow(clippy::too_many_arguments)]
fn build_version(
    vm: &VirtualMachine,
    target: &Target,
    site: &crate::rewrite::LoopSite,
    cache: &OsrCache,
    lk: Vec<Option<Kind>>,
    sk: Vec<Kind>,
    glk: Vec<Option<Kind>>,
    gsk: Vec<Kind>,
) -> Result<Found, Refusal> {
    let generic = cache.len() > 0;
    let (lk, sk) = if generic { (glk, gsk) } else { (lk, sk) };
    let name = format!(
        "{} (loop at unit {}{})",
        target.original.code.qualname,
        site.header,
        if generic { ", generic" } else { "" },
    );
    let entered = |stack: &[Kind]| {
        widened_loop_entry(
            target,
            &translate::Entry::Loop {
                at: site.header,
                locals: lk.clone(),
                stack: stack.to_vec(),
            },
        )
    };
    let first = entered(&sk);
    let built = Native::build(vm, target, first.clone(), Vec::new(), false, name.clone())
        .map(|n| (n, first))
        .or_else(|r| {
            // A range iterator entering unboxed can meet one the function's own
            // `range(...)` made as an object at a loop header (its arguments were not
            // known to be ints): then every range loop runs on iterator objects.
            let retry = !generic && sk.contains(&Kind::Range) && r.0.contains(KIND_CONFLICT);
            if !retry {
                return Err(r);
            }
            let demoted = entered(&ranges_as_objects(&sk));
            let calls = range_call_sites(&target.analysis);
            Native::build(vm, target, demoted.clone(), calls, false, name).map(|n| (n, demoted))
        });
    let (n, entry) = built?;
    let translate::Entry::Loop { locals, stack, .. } = entry else {
        unreachable!("a loop version is entered at its loop")
    };
    let native = cache.add(OsrVersion {
        locals: locals.clone(),
        stack: stack.clone(),
        generic,
        native: Arc::new(n),
    });
    Ok((native, locals, stack))
}

/// The words of value `v` entering a version that takes it as `k`: its own kind (the
/// version was found for it) or an object.
fn entry_words(vm: &VirtualMachine, v: &PyObjectRef, k: Kind) -> Vec<u64> {
    if k == Kind::Obj {
        return vec![crate::vm::give(v.clone())];
    }
    osr_value(vm, v, k == Kind::Range).1
}

/// The start of the typing refusal for values of incompatible kinds at a join.
const KIND_CONFLICT: &str = "values of incompatible kinds meet";

/// `stack` with its range iterators as objects.
fn ranges_as_objects(stack: &[Kind]) -> Vec<Kind> {
    stack
        .iter()
        .map(|k| if *k == Kind::Range { Kind::Obj } else { *k })
        .collect()
}

/// The calls that may make a `for` loop's range iterator (`CALL` then `GET_ITER`):
/// compiled without assumptions, they make iterator objects.
fn range_call_sites(a: &crate::bytecode::Analysis) -> Vec<usize> {
    (0..a.insns.len().saturating_sub(1))
        .filter(|&k| {
            matches!(
                a.insns[k].op,
                rustpython_vm::bytecode::Instruction::Call { .. }
            ) && matches!(
                a.insns[k + 1].op,
                rustpython_vm::bytecode::Instruction::GetIter
            )
        })
        .collect()
}

fn osr_kind(vm: &VirtualMachine, v: &PyObjectRef, generic: bool, on_stack: bool) -> Kind {
    if generic {
        return Kind::Obj;
    }
    if let Some((k, _)) = kind_of(vm, v) {
        return k;
    }
    if on_stack
        && v.class().is(vm.ctx.types.range_iterator_type)
        && range_iterator_state(vm, v).is_some()
    {
        return Kind::Range;
    }
    Kind::Obj
}
