//! Kinds: how native code represents each value (unboxed int/float/bool, object, range
//! iterator), the typed state of every local and stack slot, and constants' kinds.

use cranelift_codegen::ir::types;
use rustpython_vm::builtins::PyCode;
use rustpython_vm::Py;

use super::Refusal;

pub use crate::abi::Kind;

#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct TypeState {
    pub(super) locals: Vec<Option<Kind>>,
    pub(super) stack: Vec<Kind>,
}

impl TypeState {
    /// The state at a point reached from `self` and `other`; `None` if they cannot meet.
    pub(super) fn join(&self, other: &TypeState) -> Option<TypeState> {
        if self.stack.len() != other.stack.len() {
            return None;
        }
        let locals = self
            .locals
            .iter()
            .zip(&other.locals)
            .map(|(a, b)| match (a, b) {
                (None, None) => Some(None),
                (Some(a), Some(b)) => a.join(*b).map(Some),
                // Bound on one path only: an object that may be NULL.
                (Some(k), None) | (None, Some(k)) => (*k != Kind::Range).then_some(Some(Kind::Obj)),
            })
            .collect::<Option<Vec<_>>>()?;
        let stack = self
            .stack
            .iter()
            .zip(&other.stack)
            .map(|(a, b)| a.join(*b))
            .collect::<Option<Vec<_>>>()?;
        Some(TypeState { locals, stack })
    }
}

/// A constant's kind and, for unboxed kinds, its bits. Read from the object itself:
/// RustPython 0.6's `borrow_constant` panics on constants of unusual types and leaks an
/// allocation per call for slices and frozensets.
pub(super) fn const_kind(code: &Py<PyCode>, i: u32) -> Result<(Kind, u64), Refusal> {
    use rustpython_vm::builtins::{PyFloat, PyInt};
    use rustpython_vm::AsObject;
    let c = code
        .code
        .constants
        .get(i as usize)
        .ok_or_else(|| Refusal("bad constant index".into()))?;
    let obj: &rustpython_vm::PyObject = std::borrow::Borrow::borrow(c);
    let types = &rustpython_vm::Context::genesis().types;
    let class = obj.class();
    Ok(if class.is(types.bool_type) {
        (
            Kind::Bool,
            obj.is(&rustpython_vm::Context::genesis().true_value) as u64,
        )
    } else if class.is(types.int_type) {
        match obj
            .downcast_ref::<PyInt>()
            .map(|v| i64::try_from(v.as_bigint()))
        {
            Some(Ok(v)) => (Kind::Int, v as u64),
            _ => (Kind::Obj, 0),
        }
    } else if class.is(types.float_type) {
        match obj.downcast_ref::<PyFloat>() {
            Some(f) => (Kind::Float, f.to_f64().to_bits()),
            None => (Kind::Obj, 0),
        }
    } else {
        (Kind::Obj, 0)
    })
}

/// The CLIF type of part `part` of a value of kind `k`.
pub(super) fn clif_type(k: Kind, part: usize) -> types::Type {
    match (k, part) {
        (Kind::Float, 0) => types::F64,
        _ => types::I64,
    }
}

/// The tag of a box borrowed for the activation (see [`Kind`]): object pointers are
/// aligned, so the low bit is free.
pub const BORROWED_BOX: u64 = 1;
