//! Shared set-up of the JIT's integration tests: an interpreter with the stdlib.

use rustpython_vm::builtins::{PyCode, PyFunction};
use rustpython_vm::{AsObject, Interpreter, PyRef, VirtualMachine};

pub fn interpreter() -> Interpreter {
    let b = Interpreter::builder(Default::default());
    let defs = rustpython_stdlib::stdlib_module_defs(&b.ctx);
    b.add_native_modules(&defs)
        .add_frozen_modules(rustpython_pylib::FROZEN_STDLIB)
        .build()
}

/// Runs `src` as a fresh module and returns its function `name`.
pub fn define_fn(vm: &VirtualMachine, src: &str, name: &str) -> PyRef<PyFunction> {
    let scope = vm.new_scope_with_builtins();
    let code = vm
        .compile(src, rustpython_vm::compiler::Mode::Exec, "<jit-test>")
        .unwrap();
    vm.run_code_obj(code, scope.clone()).unwrap();
    scope
        .globals
        .get_item(name, vm)
        .unwrap()
        .downcast()
        .unwrap()
}

/// Runs `src` as a fresh module and returns the code of its function `name`.
#[allow(dead_code)] // not every test binary that shares this module uses it
pub fn define_code(vm: &VirtualMachine, src: &str, name: &str) -> PyRef<PyCode> {
    define_fn(vm, src, name)
        .as_object()
        .get_attr("__code__", vm)
        .unwrap()
        .downcast()
        .unwrap()
}
