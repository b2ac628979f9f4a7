//! Where code is born after start-up, and the hooks that instrument it there (see the
//! [module doc](super)):
//!
//! - `compile()` returns instrumented code (not an AST: `ast.PyCF_ONLY_AST`). importlib
//!   compiles modules imported from source with it (`SourceLoader.source_to_code`), and so
//!   does `zipimport`.
//! - `exec(str, ...)` and `eval(str, ...)` compile the string the way the builtins do
//!   (`<string>`, the caller's future features, `eval`'s leading blanks stripped) and run
//!   the instrumented code. Everything else (code objects, bytes, any call the builtin
//!   rejects before it compiles) goes to the builtin untouched, so its errors are its own.
//!   Where the globals' builtins lack the counting builtins, strings are left to the
//!   builtin and code objects run uninstrumented.
//! - `.pyc` files: importlib's `_compile_bytecode`; `marshal.dump`/`dumps` write code
//!   without the counting.
//! - The frozen stdlib: `_imp.get_frozen_object`, which `FrozenImporter` (and `runpy` for
//!   `-m`) take a frozen module's code from.
//!
//! The wrappers are Rust builtins that call the original builtin objects: no Python frame
//! of their own, so tracebacks, `exec`'s default globals and locals (the caller's frame)
//! and the caller's future features are what the builtins see without them. They carry the
//! originals' name, module, `__self__`, `__doc__` and `__text_signature__`.

use rustpython_vm::builtins::{PyCode, PyDict, PyModule, PyStr};
use rustpython_vm::bytecode::CodeFlags;
use rustpython_vm::compiler::Mode;
use rustpython_vm::function::{ArgMapping, Callee, FuncArgs, ItemDoc, PyMethodDef, PyMethodFlags};
use rustpython_vm::{
    AsObject, Py, PyObject, PyObjectRef, PyRef, PyResult, TryFromObject, VirtualMachine,
};

use super::{deeply_uninstrumented, instrument};

/// Installs every hook of this module.
pub(super) fn install(vm: &VirtualMachine) -> PyResult<()> {
    let builtins = &vm.builtins;
    wrap(vm, builtins, "compile", |compile, args, vm| {
        instrumented(compile.call(args, vm)?, vm)
    })?;
    wrap(vm, builtins, "exec", |exec, args, vm| {
        run_source(exec, args, Mode::Exec, vm)
    })?;
    wrap(vm, builtins, "eval", |eval, args, vm| {
        run_source(eval, args, Mode::Eval, vm)
    })?;
    let imp = vm
        .import("_imp", 0)?
        .downcast::<PyModule>()
        .map_err(|_| vm.new_import_error("rpyjit: _imp is not a module", vm.ctx.new_str("_imp")))?;
    wrap(vm, &imp, "get_frozen_object", |get, args, vm| {
        instrumented(get.call(args, vm)?, vm)
    })?;
    wrap(vm, &imp, "create_builtin", |create, args, vm| {
        let module = create.call(args, vm)?;
        if let Some(m) = module.downcast_ref::<PyModule>() {
            plain_code_for_subinterpreters(vm, m)?;
            if m.name.is_some_and(|n| n.as_str() == "_testinternalcapi") {
                crate::entry::count_native_calls_in_recursion_depth(vm, m)?;
            }
        }
        Ok(module)
    })?;
    // Code written out is plain code: a `.pyc` must load without the JIT too.
    let marshal = vm
        .import("marshal", 0)?
        .downcast::<PyModule>()
        .map_err(|_| {
            vm.new_import_error("rpyjit: marshal is not a module", vm.ctx.new_str("marshal"))
        })?;
    for name in ["dumps", "dump"] {
        wrap(vm, &marshal, name, |write, mut args, vm| {
            if let Some(code) = args.args.first().and_then(|c| c.downcast_ref::<PyCode>()) {
                args.args[0] = deeply_uninstrumented(vm, code).into();
            }
            write.call(args, vm)
        })?;
    }
    importlib_hooks(vm)
}

/// `_interpreters.exec` and `run_func` run a function's code in another interpreter, where
/// rpyjit's builtins are not, after checking that it is a script (no arguments, returns
/// None): they get the function's own code, without counting prologue or stub.
fn plain_code_for_subinterpreters(vm: &VirtualMachine, module: &Py<PyModule>) -> PyResult<()> {
    let name = module.as_object().get_attr("__name__", vm)?;
    if !name
        .downcast_ref::<PyStr>()
        .is_some_and(|n| n.as_wtf8() == "_interpreters")
    {
        return Ok(());
    }
    for name in ["exec", "run_func"] {
        wrap(vm, module, name, |run, mut args, vm| {
            let script = match args.args.get(1) {
                Some(s) => Some(s.clone()),
                None => args.kwargs.get("func").or(args.kwargs.get("code")).cloned(),
            };
            if let Some(plain) = script.and_then(|s| own_code(vm, &s)) {
                match args.args.get_mut(1) {
                    Some(slot) => *slot = plain.into(),
                    None => {
                        for (key, v) in args.kwargs.iter_mut() {
                            if key.as_bytes() == b"func" || key.as_bytes() == b"code" {
                                *v = plain.clone().into();
                            }
                        }
                    }
                }
            }
            run.call(args, vm)
        })?;
    }
    Ok(())
}

/// The code `obj` (a function or a code object) runs in the interpreter without rpyjit:
/// no counting prologues or stubs, nested code included. None for other objects.
fn own_code(vm: &VirtualMachine, obj: &PyObject) -> Option<PyRef<PyCode>> {
    let code = match obj.downcast_ref::<rustpython_vm::builtins::PyFunction>() {
        Some(f) => f
            .as_object()
            .get_attr("__code__", vm)
            .ok()?
            .downcast::<PyCode>()
            .ok()?,
        None => obj.to_owned().downcast::<PyCode>().ok()?,
    };
    let code = crate::entry::compiled_for_code(&code).map_or(code, |c| c.original_code());
    Some(deeply_uninstrumented(vm, &code))
}

/// `obj` instrumented if it is a code object, else as it is.
fn instrumented(obj: PyObjectRef, vm: &VirtualMachine) -> PyResult {
    Ok(match obj.downcast::<PyCode>() {
        Ok(code) => instrument(vm, &code).into(),
        Err(other) => other,
    })
}

/// Replaces `module.name` with a builtin that runs `f(original, args)`, with the
/// original's name, module, `__self__`, doc and text signature.
fn wrap(
    vm: &VirtualMachine,
    module: &Py<PyModule>,
    name: &'static str,
    f: impl Fn(&PyObject, FuncArgs, &VirtualMachine) -> PyResult + Send + Sync + 'static,
) -> PyResult<()> {
    let original = module.get_attr(name, vm)?;
    crate::tools::hide_from_profilers(&original);
    let text = |attr: &'static str| -> PyResult<Option<String>> {
        let v = original.get_attr(attr, vm)?;
        Ok(v.downcast_ref::<PyStr>().map(|s| s.to_string()))
    };
    let doc = text("__doc__")?.unwrap_or_default();
    // The internal form the VM renders `__doc__` and `__text_signature__` from.
    let internal = match text("__text_signature__")? {
        Some(sig) => format!("{name}{sig}\n--\n\n{doc}"),
        None => doc,
    };
    let call = move |vm: &VirtualMachine, args: FuncArgs, _: Callee| f(&original, args, vm);
    // One method definition per wrapped builtin per interpreter, alive as long as the
    // process, like the definitions of the builtins themselves.
    let def: &'static PyMethodDef = Box::leak(Box::new(PyMethodDef {
        func: Box::leak(Box::new(call)),
        ..PyMethodDef::new_raw_const(
            name,
            |_: &VirtualMachine, _: FuncArgs, _: Callee| -> PyResult { unreachable!() },
            PyMethodFlags::empty(),
            ItemDoc::static_text(Box::leak(internal.into_boxed_str())),
        )
    }));
    let module_name = module.get_attr("__name__", vm)?;
    let module_name = module_name
        .downcast_ref::<PyStr>()
        .ok_or_else(|| vm.new_type_error("rpyjit: module without a name"))?;
    let function = def
        .to_function()
        .with_module(vm.ctx.intern_str(module_name.as_wtf8()))
        .with_module_object(module.to_owned().into())
        .into_ref(&vm.ctx);
    module.as_object().set_attr(name, function, vm)
}

/// `exec`/`eval` (the builtin `run`, with its `mode`): a `str` source is compiled and
/// instrumented here, then run by the builtin as a code object. Code run with builtins
/// of its own (`namedtuple` evaluates with `{'__builtins__': {}}`) cannot reach the
/// counting builtins: a string is left to the builtin, a code object runs uninstrumented.
fn run_source(run: &PyObject, mut args: FuncArgs, mode: Mode, vm: &VirtualMachine) -> PyResult {
    let code = args.args.first().and_then(|s| s.downcast_ref::<PyCode>());
    if let Some(code) = code {
        if !counts_with(globals_of(&args).as_deref(), vm) {
            args.args[0] = deeply_uninstrumented(vm, code).into();
        }
    } else if let Some(code) = compile_source(&args, mode, vm)? {
        args.args[0] = code.into();
    }
    run.call(args, vm)
}

/// The globals `exec`/`eval` will run with, when they are a dict: the `globals` argument,
/// or the caller's.
fn globals_of(args: &FuncArgs) -> Option<PyRef<PyDict>> {
    let given = args
        .args
        .get(1)
        .or_else(|| args.kwargs.get("globals"))
        .cloned();
    match given {
        Some(g) => g.downcast::<PyDict>().ok(),
        None => rustpython_vm::frame::current_globals(),
    }
}

/// Whether code run with `globals` finds the counting builtins: their `__builtins__`
/// (which `exec` and `eval` set to the builtins module's dict when it is missing) has them.
fn counts_with(globals: Option<&Py<PyDict>>, vm: &VirtualMachine) -> bool {
    let Some(globals) = globals else {
        return true;
    };
    let has = |d: &Py<PyDict>| d.contains_key(super::COUNT_BUILTIN, vm);
    match globals.get_item_opt(rustpython_vm::identifier!(vm, __builtins__), vm) {
        Ok(None) => true,
        Ok(Some(b)) => match (b.downcast_ref::<PyDict>(), b.downcast_ref::<PyModule>()) {
            (Some(d), _) => has(d),
            (None, Some(m)) => has(&m.dict()),
            (None, None) => false,
        },
        Err(_) => false,
    }
}

/// What `exec`/`eval` would compile for this call, instrumented; `None` when the builtin
/// should see the call as it is: a code object, bytes, or a call it rejects before
/// compiling (bad arguments, globals that are not a dict, a closure with a string, a
/// string with a NUL or a lone surrogate), so its errors stay exactly its own.
fn compile_source(
    args: &FuncArgs,
    mode: Mode,
    vm: &VirtualMachine,
) -> PyResult<Option<PyRef<PyCode>>> {
    let Some(source) = args.args.first().and_then(|s| s.downcast_ref::<PyStr>()) else {
        return Ok(None);
    };
    if args.args.len() > 3 {
        return Ok(None);
    }
    let mut globals = args.args.get(1).cloned();
    let mut locals = args.args.get(2).cloned();
    for (key, value) in &args.kwargs {
        let slot = match key.as_str() {
            Ok("globals") => &mut globals,
            Ok("locals") => &mut locals,
            _ => return Ok(None),
        };
        if slot.is_some() {
            return Ok(None);
        }
        *slot = Some(value.clone());
    }
    let globals = match globals.filter(|g| !vm.is_none(g)) {
        Some(g) => match g.downcast::<PyDict>() {
            Ok(dict) => Some(dict),
            Err(_) => return Ok(None),
        },
        // The caller's globals and locals: the builtin needs a calling frame.
        None if rustpython_vm::frame::current_code().is_none() => return Ok(None),
        None => None,
    };
    let effective = globals
        .clone()
        .or_else(rustpython_vm::frame::current_globals);
    if !counts_with(effective.as_deref(), vm) {
        return Ok(None);
    }
    if let Some(l) = locals.filter(|l| !vm.is_none(l)) {
        if !l.fast_isinstance(vm.ctx.types.dict_type) && ArgMapping::try_from_object(vm, l).is_err()
        {
            return Ok(None);
        }
    }
    let Ok(text) = source.try_as_utf8(vm) else {
        return Ok(None);
    };
    let mut text = text.as_str();
    if text.as_bytes().contains(&0) {
        return Ok(None);
    }
    // The builtin gives the globals their `__builtins__` before it compiles, so they have
    // it even when compiling fails.
    if let Some(g) = &globals {
        let key = rustpython_vm::identifier!(vm, __builtins__);
        if !g.contains_key(key, vm) {
            g.set_item(key, vm.builtins.dict().into(), vm)?;
        }
    }
    if matches!(mode, Mode::Eval) {
        text = text.trim_start_matches([' ', '\t']);
    }
    vm.audit("compile", || {
        (
            vm.ctx.new_bytes(text.as_bytes().to_vec()),
            vm.ctx.new_str("<string>"),
        )
    })?;
    let mut opts = vm.compile_opts();
    if let Some(caller) = rustpython_vm::frame::current_code() {
        opts.future_features = caller.flags & CodeFlags::FUTURE_MASK;
    }
    let code = vm
        .compile_with_opts(text, mode, "<string>", opts)
        .map_err(|err| err.into_pyexception(vm, Some(text)))?;
    Ok(Some(instrument(vm, &code)))
}

/// `.pyc` files: importlib unmarshals their code in `_compile_bytecode`. The hook takes
/// importlib's own file name so import tracebacks prune it like the rest of importlib.
fn importlib_hooks(vm: &VirtualMachine) -> PyResult<()> {
    let hook = r#"
import importlib._bootstrap_external as _be
def _rpyjit_hooks(_be, instrument):
    compile_bytecode = _be._compile_bytecode
    def _compile_bytecode(data, name=None, bytecode_path=None, source_path=None):
        return instrument(compile_bytecode(data, name, bytecode_path, source_path))
    _be._compile_bytecode = _compile_bytecode
_rpyjit_hooks(_be, __rpyjit_instrument__)
"#;
    let code = vm
        .compile(hook, Mode::Exec, "<frozen importlib._bootstrap_external>")
        .map_err(|e| e.into_pyexception(vm, Some(hook)))?;
    vm.run_code_obj(code, vm.new_scope_with_builtins())?;
    Ok(())
}
