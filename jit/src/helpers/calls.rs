//! Calls: `CALL`, `CALL_KW`, `CALL_FUNCTION_EX`, with the fast paths the interpreter has
//! (compiled callees called natively, exact-argument Python calls, plain instantiation)
//! and the per-function facts and native-call counts they need ([`Callee`]).

use std::cell::RefCell;
use std::rc::Rc;

use rustpython_vm::builtins::{PyDict, PyFunction, PyStr, PyTuple, PyType};
use rustpython_vm::function::FuncArgs;
use rustpython_vm::{AsObject, Py, PyObject, PyObjectRef, PyResult, VirtualMachine};

use super::call::{enter, run, NativeCtx, Ops};
use crate::vm;

/// A call of a compiled function with the arguments where they are: the operand slots
/// `[callable, self_or_null, args...]` hold `self` (if set) and the arguments
/// contiguously. `None` when the callee is not a compiled function called with its exact
/// arity, or its native code cannot take these arguments as they are.
fn call_compiled_in_place(vm: &VirtualMachine, ops: &Ops<'_>, n: usize) -> Option<PyResult> {
    let f = ops.get(0).downcast_ref_if_exact::<PyFunction>(vm)?;
    let c = callee_info(f, vm)?;
    let compiled = c.compiled.as_ref().filter(|c| c.usable())?;
    let has_self = ops.is_set(1);
    let first = if has_self { 1 } else { 2 };
    let argv = ops.words(first..2 + n);
    if c.exact_argc != Some(argv.len() as u32) {
        return None;
    }
    // SAFETY: the words are operand slots of this call, live references native code
    // keeps until the helper returns (NULL `self` is not among them).
    unsafe { crate::entry::call_compiled_borrowed(vm, compiled, f, argv) }
}

/// Positional arguments of a call: `self` (if the self-or-null slot is set) then the
/// `n` values after it.
fn call_args(ops: &Ops<'_>, n: usize) -> Vec<PyObjectRef> {
    let mut v = Vec::with_capacity(n + 1);
    if ops.is_set(1) {
        v.push(ops.get(1).to_owned());
    }
    for i in 0..n {
        v.push(ops.get(2 + i).to_owned());
    }
    v
}

/// What a call from native code needs to know about a Python function, cached per
/// function object and version (assigning `__code__` changes the version).
#[derive(Clone)]
struct Callee {
    version: u32,
    /// The argument count when the signature is plain positional (no defaults needed
    /// beyond exact arity, no *args/**kwargs/keyword-only, not a generator).
    exact_argc: Option<u32>,
    /// The function's native code (behind its stub, or for native callers only): call it
    /// directly.
    compiled: Option<std::sync::Arc<crate::entry::Compiled>>,
    /// The id of the function's code: calls from native code are counted per code
    /// ([`NATIVE_CALLS`]).
    code: usize,
    /// The JIT refused it: stop trying.
    refused: bool,
    /// What binding keyword arguments and defaults needs, when `exact_argc` is set.
    params: Option<Rc<Params>>,
}

/// The positional parameters of a plain signature (see [`Callee::exact_argc`]): keyword
/// arguments and defaults are bound here, so such calls still reach the exact path.
struct Params {
    names: Vec<&'static rustpython_vm::builtins::PyStrInterned>,
    /// The first `posonly` parameters cannot be passed by keyword.
    posonly: usize,
    /// The function's `__defaults__` tuple (the last parameters' values) as of its
    /// version, not owned: the cache must not keep default values alive after their
    /// function dies (that would change when they die). See [`Params::defaults`].
    defaults: Option<std::ptr::NonNull<Py<PyTuple>>>,
}

impl Params {
    /// The defaults of `f`, whose cache entry this is (same address and version).
    fn defaults<'a>(&self, _f: &'a Py<PyFunction>) -> &'a [PyObjectRef] {
        match self.defaults {
            // SAFETY: the entry was made for `f` at its current version (`callee_info`
            // matched both; versions are never reused), and assigning `__defaults__`
            // changes the version: `f`, alive for `'a`, still holds this very tuple.
            Some(t) => unsafe { t.as_ref() }.as_slice(),
            None => &[],
        }
    }

    /// `args` (positional, then the values of `kwnames`) as exactly the parameters of
    /// `f`: keywords by name, missing trailing parameters from the defaults. `None` when
    /// the VM's binding must decide (an unknown, repeated or positional-only keyword, a
    /// missing argument, too many): it then raises the error the interpreter would.
    fn bind(
        &self,
        f: &Py<PyFunction>,
        args: &[PyObjectRef],
        kwnames: &[PyObjectRef],
    ) -> Option<Vec<PyObjectRef>> {
        let defaults = self.defaults(f);
        let n = self.names.len();
        let npos = args.len().checked_sub(kwnames.len())?;
        if npos > n {
            return None;
        }
        let mut slots: Vec<Option<PyObjectRef>> = args[..npos].iter().cloned().map(Some).collect();
        slots.resize(n, None);
        for (name, value) in kwnames.iter().zip(&args[npos..]) {
            let name = name.downcast_ref::<PyStr>()?;
            let i = self.names.iter().position(|p| {
                p.as_object().is(name.as_object()) || p.as_wtf8() == name.as_wtf8()
            })?;
            if i < self.posonly || slots[i].is_some() {
                return None;
            }
            slots[i] = Some(value.clone());
        }
        let first_default = n.checked_sub(defaults.len())?;
        slots
            .into_iter()
            .enumerate()
            .map(|(i, v)| v.or_else(|| i.checked_sub(first_default).map(|d| defaults[d].clone())))
            .collect()
    }
}

thread_local! {
    static CALLEES: RefCell<rustc_hash::FxHashMap<usize, Rc<Callee>>> =
        RefCell::new(rustc_hash::FxHashMap::default());
    /// Calls from native code of not yet compiled functions, per code object: at the
    /// threshold the function is compiled (functions without loops are compiled only this
    /// way). Per code, not per function, so closures made by one `def` (each called a few
    /// times) get hot together and share the compilation.
    static NATIVE_CALLS: RefCell<rustc_hash::FxHashMap<usize, u32>> =
        RefCell::new(rustc_hash::FxHashMap::default());
}

fn callee_info(f: &Py<PyFunction>, vm: &VirtualMachine) -> Option<Rc<Callee>> {
    use rustpython_vm::bytecode::CodeFlags;
    let version = f.get_version_for_current_state();
    if version == 0 {
        return None;
    }
    let key = f as *const Py<PyFunction> as usize;
    if let Some(c) = CALLEES.with(|m| m.borrow().get(&key).cloned()) {
        if c.version == version {
            return Some(c);
        }
    }
    let code = crate::entry::function_code(vm, f).ok()?;
    let code = &*code;
    let flags = code.code.flags;
    let plain = flags.contains(CodeFlags::OPTIMIZED)
        && !flags.intersects(
            CodeFlags::VARARGS
                | CodeFlags::VARKEYWORDS
                | CodeFlags::GENERATOR
                | CodeFlags::COROUTINE
                | CodeFlags::ASYNC_GENERATOR
                | CodeFlags::ITERABLE_COROUTINE,
        )
        && code.code.kwonlyarg_count == 0;
    let params = plain.then(|| {
        let defaults = f
            .as_object()
            .get_attr("__defaults__", vm)
            .ok()
            .and_then(|d| d.downcast::<PyTuple>().ok())
            .map(|t| std::ptr::NonNull::from(&*t));
        Rc::new(Params {
            names: code.code.varnames[..code.code.arg_count as usize].to_vec(),
            posonly: code.code.posonlyarg_count as usize,
            defaults,
        })
    });
    let c = Rc::new(Callee {
        version,
        params,
        exact_argc: plain.then_some(code.code.arg_count),
        // Only native code built for `f`'s globals and builtins: a function made from
        // another's stub code with other ones runs in the interpreter through the stub.
        compiled: crate::entry::native_code_for(vm, f, code),
        code: code.as_object().get_id(),
        refused: false,
    });
    CALLEES.with(|m| {
        let mut m = m.borrow_mut();
        if m.len() > 4096 {
            m.clear();
        }
        m.insert(key, c.clone());
    });
    Some(c)
}

/// Counts a call of `f` from native code; at the threshold compiles it (a function
/// without a loop is compiled only when native code calls it this often) and returns
/// its compiled form.
fn hot_from_native(
    f: &Py<PyFunction>,
    vm: &VirtualMachine,
) -> Option<std::sync::Arc<crate::entry::Compiled>> {
    let key = f as *const Py<PyFunction> as usize;
    let code = CALLEES.with(|m| {
        let m = m.borrow();
        let c = m.get(&key)?;
        (!c.refused).then_some(c.code)
    })?;
    let calls = NATIVE_CALLS.with(|m| {
        let mut m = m.borrow_mut();
        // Ids of dead code can be reused: a stale count only makes a function hot early.
        if m.len() > 4096 {
            m.clear();
        }
        let n = m.entry(code).or_insert(0);
        *n += 1;
        *n
    });
    let due = calls >= crate::policy::threshold(vm).max(1);
    if !due || crate::entry::stepped_aside() {
        return None;
    }
    let func = f.to_owned();
    let code = crate::entry::function_code(vm, f).ok()?;
    // The function ran in the interpreter until now: its own code holds the profile.
    let plain = crate::entry::original_code(&code);
    let profile = Some((plain.clone(), 0));
    // Compiled with a stub when the function is counted (it has a loop or recurses: it
    // gains from native code whoever calls it), else for native callers only.
    let compiled = if crate::counted::is_counted(&code) {
        crate::entry::compile_function_profiled(vm, &func, plain, profile)
            .ok()
            .and_then(|()| {
                let code = crate::entry::function_code(vm, f).ok()?;
                crate::entry::compiled_for_code(&code)
            })
    } else {
        let profile = profile.expect("a profile");
        crate::entry::compile_for_native_callers(vm, &func, plain, profile).ok()
    };
    // A stub changes the version with `__code__`: the next call refreshes the cache
    // entry. Code for native callers only is remembered here.
    CALLEES.with(|m| {
        if let Some(c) = m.borrow_mut().get_mut(&key) {
            let c = Rc::make_mut(c);
            c.refused = compiled.is_none();
            c.compiled = compiled.clone();
        }
    });
    compiled
}

/// Calls `callable` with positional `args` the fastest way that keeps the interpreter's
/// semantics: a compiled function's native code directly, a plain Python function through
/// the VM's exact-arguments path (a light frame), anything else by vectorcall.
fn call_positional(vm: &VirtualMachine, callable: &PyObject, args: Vec<PyObjectRef>) -> PyResult {
    let args = match call_python(vm, callable, args, &[]) {
        Ok(r) => return r,
        Err(args) => args,
    };
    let args = match callable.downcast_ref::<PyType>() {
        Some(cls) => match instantiate(vm, callable, cls, args, &[]) {
            Ok(made) => return made,
            Err(args) => args,
        },
        None => args,
    };
    let nargs = args.len();
    callable.vectorcall(args, nargs, None, vm)
}

/// `callable(*args)`, the last `kwnames.len()` of `args` passed by keyword, when it is a
/// Python function, or a bound method of one (a dispatch table of `self.on_x`, a stored
/// callback: its function with `self` first, all `PyBoundMethod::call` does), whose plain
/// signature binds these arguments here ([`Params::bind`]): through [`call_exact`].
/// Hands `args` back for the VM's call otherwise.
fn call_python(
    vm: &VirtualMachine,
    callable: &PyObject,
    mut args: Vec<PyObjectRef>,
    kwnames: &[PyObjectRef],
) -> Result<PyResult, Vec<PyObjectRef>> {
    let (f, this) = match callable.downcast_ref_if_exact::<PyFunction>(vm) {
        Some(f) => (f, None),
        None => match vm::bound_method_parts(vm, callable) {
            Some((this, func)) => match func.downcast_ref_if_exact::<PyFunction>(vm) {
                Some(f) => (f, Some(this)),
                None => return Err(args),
            },
            None => return Err(args),
        },
    };
    let Some(c) = callee_info(f, vm).filter(|c| c.exact_argc.is_some()) else {
        return Err(args);
    };
    if let Some(this) = this {
        args.insert(0, this.to_owned());
    }
    if kwnames.is_empty() && c.exact_argc == Some(args.len() as u32) {
        return Ok(call_exact(vm, f, c, args));
    }
    match c.params.as_ref().and_then(|p| p.bind(f, &args, kwnames)) {
        Some(bound) => Ok(call_exact(vm, f, c, bound)),
        None => {
            if this.is_some() {
                args.remove(0);
            }
            Err(args)
        }
    }
}

/// Calls Python function `f` with positional `args`: when they are exactly its
/// parameters (a plain signature), natively once it is compiled (counted as a call from
/// native code until then); otherwise through the VM's call, which binds them.
pub(super) fn call_function_exact(
    vm: &VirtualMachine,
    f: &Py<PyFunction>,
    args: Vec<PyObjectRef>,
) -> PyResult {
    match callee_info(f, vm) {
        Some(c) if c.exact_argc == Some(args.len() as u32) => call_exact(vm, f, c, args),
        _ => f.as_object().call(args, vm),
    }
}

/// Calls `f` with exactly its positional arguments: natively when it is compiled (or
/// becomes hot now), else through the VM's exact-arguments path.
fn call_exact(
    vm: &VirtualMachine,
    f: &Py<PyFunction>,
    c: Rc<Callee>,
    args: Vec<PyObjectRef>,
) -> PyResult {
    match c
        .compiled
        .as_ref()
        .filter(|c| c.usable())
        .cloned()
        .or_else(|| hot_from_native(f, vm))
    {
        Some(compiled) => crate::entry::call_compiled_direct(vm, &compiled, f, args),
        None => f.invoke_exact_args(args, vm),
    }
}

/// `cls(*args)` when it is plain allocation plus a Python `__init__`: a heap type whose
/// metaclass is exactly `type`, with `object`'s `__new__` and allocator and an
/// `__init__` that is a plain function taking exactly the arguments. Allocates and calls
/// `__init__` as a call from native code (natively once it is compiled), which is what
/// the interpreter's CallAllocAndEnterInit does; `type.__call__` would look up and
/// call `__new__` and `__init__` generically. Anything else hands `args` back.
fn instantiate(
    vm: &VirtualMachine,
    callable: &PyObject,
    cls: &Py<PyType>,
    args: Vec<PyObjectRef>,
    kwnames: &[PyObjectRef],
) -> Result<PyResult, Vec<PyObjectRef>> {
    use rustpython_vm::types::PyTypeFlags;
    let plain = callable.class().is(vm.ctx.types.type_type)
        && cls.slots.flags.has_feature(PyTypeFlags::HEAPTYPE)
        && vm::object_new_and_alloc(vm, cls);
    let init = plain
        .then(|| cls.get_attr(rustpython_vm::identifier!(vm, __init__)))
        .flatten();
    let Some(init) = init
        .as_ref()
        .and_then(|i| i.downcast_ref_if_exact::<PyFunction>(vm))
    else {
        return Err(args);
    };
    let Some(c) = callee_info(init, vm).filter(|c| c.exact_argc.is_some()) else {
        return Err(args);
    };
    let Some(alloc) = cls.slots.alloc.load() else {
        return Err(args);
    };
    // The arguments bound to `__init__`'s parameters before anything is allocated, with
    // the class standing in for `self` until the instance exists.
    let placeholder = std::iter::once(callable.to_owned());
    let mut bound = if kwnames.is_empty() && c.exact_argc == Some(args.len() as u32 + 1) {
        placeholder.chain(args).collect()
    } else {
        let all: Vec<_> = placeholder.chain(args.iter().cloned()).collect();
        match c.params.as_ref().and_then(|p| p.bind(init, &all, kwnames)) {
            Some(bound) => bound,
            None => return Err(args),
        }
    };
    Ok((|| {
        let obj = alloc(cls.to_owned(), 0, vm)?;
        bound[0] = obj.clone();
        let r = call_exact(vm, init, c, bound)?;
        if !vm.is_none(&r) {
            return Err(vm.new_type_error(format!(
                "__init__() should return None, not '{:.200}'",
                r.class().name()
            )));
        }
        Ok(obj)
    })())
}

/// CALL (arg = argc): ops = [callable, self_or_null, args...] → result.
pub(super) unsafe extern "C" fn h_call(
    ctx: *const NativeCtx<'static>,
    ops: *mut u64,
    arg: u64,
) -> i64 {
    // SAFETY: native code calls this as an `OpsHelper` with the operand slots above.
    let (ctx, mut ops) = unsafe { enter(ctx, ops, 2 + arg as usize) };
    run(ctx, |_, vm| {
        let n = arg as usize;
        if let Some(r) = call_compiled_in_place(vm, &ops, n) {
            let r = r?;
            signals_after_call(vm)?;
            ops.release(2 + n);
            ops.set(0, r);
            return Ok(0);
        }
        let args = call_args(&ops, n);
        let r = call_positional(vm, ops.get(0), args)?;
        signals_after_call(vm)?;
        ops.release(2 + n);
        ops.set(0, r);
        Ok(0)
    })
}

/// CALL of a builtin the interpreter quickened (`CALL_BUILTIN_O`, `CALL_BUILTIN_FAST`,
/// `CALL_METHOD_DESCRIPTOR_*`, arg = argc): ops = [callable, self_or_null, args...] →
/// result. A method descriptor called on an instance of exactly its type runs its
/// function directly (what the interpreter's specialized forms do); anything else is a
/// vectorcall, without the probes for Python functions and classes `h_call` makes.
pub(super) unsafe extern "C" fn h_call_builtin(
    ctx: *const NativeCtx<'static>,
    ops: *mut u64,
    arg: u64,
) -> i64 {
    use rustpython_vm::builtins::descriptor::PyMethodDescriptor;
    use rustpython_vm::function::{Callee, PyMethodFlags};
    // SAFETY: native code calls this as an `OpsHelper` with the operand slots above.
    let (ctx, mut ops) = unsafe { enter(ctx, ops, 2 + arg as usize) };
    run(ctx, |_, vm| {
        let n = arg as usize;
        let args = call_args(&ops, n);
        let callable = ops.get(0);
        let direct = callable
            .downcast_ref_if_exact::<PyMethodDescriptor>(vm)
            .filter(|d| {
                !d.method
                    .flags
                    .intersects(PyMethodFlags::CLASS | PyMethodFlags::STATIC)
                    && args.first().is_some_and(|o| o.class().is(d.common.typ))
            });
        let r = match direct {
            Some(descr) => {
                let callee = Callee::named(descr.method.name).with_instance_arg(true);
                (descr.method.func)(vm, FuncArgs::from(args), callee)?
            }
            None => {
                let nargs = args.len();
                callable.vectorcall(args, nargs, None, vm)?
            }
        };
        signals_after_call(vm)?;
        ops.release(2 + n);
        ops.set(0, r);
        Ok(0)
    })
}

/// CALL_KW (arg = argc): ops = [callable, self_or_null, args..., kwnames] → result.
pub(super) unsafe extern "C" fn h_call_kw(
    ctx: *const NativeCtx<'static>,
    ops: *mut u64,
    arg: u64,
) -> i64 {
    // SAFETY: native code calls this as an `OpsHelper` with the operand slots above.
    let (ctx, mut ops) = unsafe { enter(ctx, ops, 3 + arg as usize) };
    run(ctx, |_, vm| {
        let n = arg as usize;
        let kwnames = ops
            .get(2 + n)
            .downcast_ref::<PyTuple>()
            .ok_or_else(|| vm.new_system_error("rpyjit: CALL_KW names are not a tuple"))?
            .as_slice()
            .to_vec();
        let args = call_args(&ops, n);
        let callable = ops.get(0);
        let done = match call_python(vm, callable, args, &kwnames) {
            Ok(r) => Ok(r),
            Err(args) => match callable.downcast_ref::<PyType>() {
                Some(cls) => instantiate(vm, callable, cls, args, &kwnames),
                None => Err(args),
            },
        };
        let r = match done {
            Ok(r) => r?,
            Err(args) => {
                let nargs = args.len() - kwnames.len();
                callable.vectorcall(args, nargs, Some(&kwnames), vm)?
            }
        };
        signals_after_call(vm)?;
        ops.release(3 + n);
        ops.set(0, r);
        Ok(0)
    })
}

/// The interpreter looks at its eval breaker before the instruction after a call: a
/// signal the call made due (`_thread.interrupt_main()`, `signal.raise_signal`, a timer
/// that fired while it ran) has its handler run right there, and what the handler raises
/// leaves from the call's line. On error the call's result is dropped, as the
/// interpreter's unwinding drops it.
/// Only the signal part of the VM's check (a read of the handlers and of the eval-breaker
/// bit): stop-the-world requests and memory reclamation wait for the next back-edge, as
/// they are not something a program observes at a call.
fn signals_after_call(vm: &VirtualMachine) -> PyResult<()> {
    rustpython_vm::signal::check_signals(vm)
}

/// CALL_FUNCTION_EX: ops = [callable, self_or_null, args (tuple), kwargs or NULL].
pub(super) unsafe extern "C" fn h_call_ex(
    ctx: *const NativeCtx<'static>,
    ops: *mut u64,
    _: u64,
) -> i64 {
    // SAFETY: native code calls this as an `OpsHelper` with the operand slots above.
    let (ctx, mut ops) = unsafe { enter(ctx, ops, 4) };
    run(ctx, |_, vm| {
        let mut pos: Vec<PyObjectRef> = Vec::new();
        if ops.is_set(1) {
            pos.push(ops.get(1).to_owned());
        }
        let args = ops.get(2);
        match args.downcast_ref::<PyTuple>() {
            Some(t) => pos.extend(t.as_slice().iter().cloned()),
            None => pos.extend(args.try_to_value::<Vec<PyObjectRef>>(vm)?),
        }
        let mut fargs = FuncArgs::from(pos);
        if ops.is_set(3) {
            let kw = ops.get(3);
            let dict = kw
                .downcast_ref::<PyDict>()
                .ok_or_else(|| vm.new_type_error("argument after ** must be a mapping"))?;
            for (k, v) in dict {
                let k = k
                    .downcast_ref::<PyStr>()
                    .ok_or_else(|| vm.new_type_error("keywords must be strings"))?;
                fargs.kwargs.insert(k.as_wtf8().to_owned(), v);
            }
        }
        let r = ops.get(0).call(fargs, vm)?;
        signals_after_call(vm)?;
        ops.release(4);
        ops.set(0, r);
        Ok(0)
    })
}
