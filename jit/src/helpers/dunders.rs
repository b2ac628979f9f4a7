//! Operators on instances of Python classes whose operator method is a plain Python
//! function (`Vector.__add__`, `Event.__lt__`): the method is called as a call from native
//! code (natively once compiled), where the VM's operator slot would call it through the
//! interpreter. Only the cases where the VM's dispatch reduces to "call that method, then
//! what follows `NotImplemented`" are taken: both operands of exactly the same heap class
//! (no reflected-operand priority to decide) and no sequence slots (no concatenation or
//! repetition after `NotImplemented`). Everything else answers `None` before anything
//! ran: the caller then takes the VM's generic operation.

use rustpython_vm::builtins::{PyFunction, PyStrInterned, PyType};
use rustpython_vm::bytecode::BinaryOperator;
use rustpython_vm::function::{Either, PyComparisonValue};
use rustpython_vm::types::{PyComparisonOp, PyTypeFlags};
use rustpython_vm::{identifier, AsObject, Py, PyObject, PyRef, PyResult, VirtualMachine};

use super::calls::call_function_exact;

/// Whether `a` and `b` are instances of one heap class: the first test of both entry
/// points, inlined into the generic operator helpers (most of their operands are ints,
/// floats and strings, and must pay no more than this).
#[inline(always)]
fn same_heap_class(a: &PyObject, b: &PyObject) -> bool {
    let cls = a.class();
    cls.is(b.class()) && cls.slots.flags.has_feature(PyTypeFlags::HEAPTYPE)
}

/// The class both operands have, if it is one whose operators this module may call
/// directly.
fn shared_python_class<'a>(a: &'a PyObject, b: &PyObject) -> Option<&'a Py<PyType>> {
    let cls = a.class();
    let seq = &cls.slots.as_sequence;
    let plain = same_heap_class(a, b)
        && seq.concat.load().is_none()
        && seq.repeat.load().is_none()
        && seq.inplace_concat.load().is_none()
        && seq.inplace_repeat.load().is_none();
    plain.then_some(cls)
}

/// What the class's operator slot does for method `name`.
enum Method {
    /// The class has no such method: the slot is empty (the step is skipped).
    Absent,
    /// A Python function: called with `(self, other)` from native code, as the slot's
    /// wrapper calls it (a signature other than exactly two parameters binds generically).
    Python(PyRef<PyFunction>),
}

/// `cls.name` through the MRO: `None` when it is something this module does not call
/// (a builtin's method, any other callable or descriptor).
fn method(vm: &VirtualMachine, cls: &Py<PyType>, name: &'static PyStrInterned) -> Option<Method> {
    let Some(m) = cls.get_attr(name) else {
        return Some(Method::Absent);
    };
    if !m.class().is(vm.ctx.types.function_type) {
        return None;
    }
    m.downcast::<PyFunction>().ok().map(Method::Python)
}

/// `f(a, b)`.
fn call(vm: &VirtualMachine, f: &Py<PyFunction>, a: &PyObject, b: &PyObject) -> PyResult {
    call_function_exact(vm, f, vec![a.to_owned(), b.to_owned()])
}

/// The method name, the in-place method name (in-place operators) and the symbol in the
/// error of a binary operator.
fn binary_names(
    vm: &VirtualMachine,
    op: BinaryOperator,
) -> Option<(
    &'static PyStrInterned,
    Option<&'static PyStrInterned>,
    &'static str,
)> {
    use BinaryOperator as B;
    let plain = |name, symbol| Some((name, None, symbol));
    let inplace = |name, iname, symbol| Some((name, Some(iname), symbol));
    match op {
        B::Add => plain(identifier!(vm, __add__), "+"),
        B::Subtract => plain(identifier!(vm, __sub__), "-"),
        B::Multiply => plain(identifier!(vm, __mul__), "*"),
        B::TrueDivide => plain(identifier!(vm, __truediv__), "/"),
        B::FloorDivide => plain(identifier!(vm, __floordiv__), "//"),
        B::Remainder => plain(identifier!(vm, __mod__), "%"),
        B::MatrixMultiply => plain(identifier!(vm, __matmul__), "@"),
        B::And => plain(identifier!(vm, __and__), "&"),
        B::Or => plain(identifier!(vm, __or__), "|"),
        B::Xor => plain(identifier!(vm, __xor__), "^"),
        B::Lshift => plain(identifier!(vm, __lshift__), "<<"),
        B::Rshift => plain(identifier!(vm, __rshift__), ">>"),
        B::InplaceAdd => inplace(identifier!(vm, __add__), identifier!(vm, __iadd__), "+="),
        B::InplaceSubtract => inplace(identifier!(vm, __sub__), identifier!(vm, __isub__), "-="),
        B::InplaceMultiply => inplace(identifier!(vm, __mul__), identifier!(vm, __imul__), "*="),
        B::InplaceTrueDivide => inplace(
            identifier!(vm, __truediv__),
            identifier!(vm, __itruediv__),
            "/=",
        ),
        B::InplaceFloorDivide => inplace(
            identifier!(vm, __floordiv__),
            identifier!(vm, __ifloordiv__),
            "//=",
        ),
        B::InplaceRemainder => inplace(identifier!(vm, __mod__), identifier!(vm, __imod__), "%="),
        // Power has a third operand; the other in-place forms are rare in hot code.
        _ => None,
    }
}

/// `a op b` for two instances of one Python class with Python operator methods: what
/// the VM's `binary_iop`/`binary_op` do there (the in-place method, then the method,
/// then the error), with the methods called from native code.
#[inline(always)]
pub(super) fn python_binary_op(
    vm: &VirtualMachine,
    op: BinaryOperator,
    a: &PyObject,
    b: &PyObject,
) -> Option<PyResult> {
    if !same_heap_class(a, b) {
        return None;
    }
    python_binary_op_of_class(vm, op, a, b)
}

fn python_binary_op_of_class(
    vm: &VirtualMachine,
    op: BinaryOperator,
    a: &PyObject,
    b: &PyObject,
) -> Option<PyResult> {
    let cls = shared_python_class(a, b)?;
    let (name, iname, symbol) = binary_names(vm, op)?;
    let first = match iname {
        Some(iname) => method(vm, cls, iname)?,
        None => Method::Absent,
    };
    let then = method(vm, cls, name)?;
    if matches!((&first, &then), (Method::Absent, Method::Absent)) {
        return None;
    }
    Some((|| {
        for m in [first, then] {
            if let Method::Python(m) = m {
                let r = call(vm, &m, a, b)?;
                if !r.is(&vm.ctx.not_implemented) {
                    return Ok(r);
                }
            }
        }
        Err(vm.new_unsupported_bin_op_error(a, b, symbol))
    })())
}

/// `a op b` for two instances of one Python class whose method for `op` is a Python
/// function: what the VM's rich comparison does there (the method; on `NotImplemented`
/// the class's comparison slot with the operands swapped; then identity for `==`/`!=`,
/// else the error), with the method called from native code.
pub(super) fn python_compare(
    vm: &VirtualMachine,
    op: PyComparisonOp,
    a: &PyObject,
    b: &PyObject,
) -> Option<PyResult> {
    let cls = shared_python_class(a, b)?;
    let Method::Python(m) = method(vm, cls, op.method_name(&vm.ctx))? else {
        return None;
    };
    let slot = cls.slots.richcompare.load()?;
    Some(vm.with_recursion("in comparison", || {
        let r = call(vm, &m, a, b)?;
        if !r.is(&vm.ctx.not_implemented) {
            return Ok(r);
        }
        match slot(b, a, op.swapped(), vm)? {
            Either::A(r) if !r.is(&vm.ctx.not_implemented) => return Ok(r),
            Either::B(PyComparisonValue::Implemented(v)) => return Ok(vm.ctx.new_bool(v).into()),
            _ => {}
        }
        match op {
            PyComparisonOp::Eq => Ok(vm.ctx.new_bool(a.is(b)).into()),
            PyComparisonOp::Ne => Ok(vm.ctx.new_bool(!a.is(b)).into()),
            _ => Err(vm.new_type_error(format!(
                "'{}' not supported between instances of '{}' and '{}'",
                op.operator_token(),
                a.class().slot_name(),
                b.class().slot_name()
            ))),
        }
    }))
}
