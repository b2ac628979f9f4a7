//! What the interpreter observed of a function (its quickened instruction forms) and the
//! speculation native code builds on it.

use rustpython_vm::bytecode::Instruction;

use super::kinds::Kind;

/// What the interpreter observed of a function, and which of its observations native
/// code may no longer bet on.
#[derive(Clone, Debug, Default)]
pub struct Profile {
    /// Per instruction (by index), the specialized form the interpreter's quickening
    /// chose, or the instruction itself if it never ran.
    pub quick: Vec<Instruction>,
    /// Instructions whose guards kept failing (sorted indices): compiled without any
    /// assumption, their operands boxed and handed to the VM's generic operation. This
    /// is how a recompilation drops a failing assumption (see `entry::run_native`).
    pub generic: Vec<usize>,
}

impl Profile {
    pub fn new(quick: Vec<Instruction>) -> Self {
        Profile {
            quick,
            generic: Vec::new(),
        }
    }

    /// Whether instruction `k` is compiled without assumptions.
    pub fn is_generic(&self, k: usize) -> bool {
        self.generic.binary_search(&k).is_ok()
    }

    /// The interpreter's specialized form of instruction `k`, unless `k` is generic.
    pub(super) fn spec(&self, k: usize) -> Option<Instruction> {
        if self.is_generic(k) {
            None
        } else {
            self.quick.get(k).copied()
        }
    }

    /// Whether call `k` may be to `range` as far as the interpreter saw: it did not
    /// specialize the call (or never ran it), or specialized it the way it does for
    /// `range` (a builtin class). A call it specialized for a Python function (such as
    /// a generator function), a method or a builtin function is not speculated to be
    /// `range`: that would only deopt.
    pub(super) fn may_call_range(&self, k: usize) -> bool {
        matches!(
            self.spec(k),
            Some(
                Instruction::Call { .. }
                    | Instruction::CallBuiltinClass
                    | Instruction::CallNonPyGeneral
            )
        )
    }
}

/// The kind a `BINARY_OP` on object operands is speculated to produce from the
/// interpreter's profile (its specialized form), or `None`.
pub(super) fn speculated_binary(quick: Option<Instruction>, a: Kind, b: Kind) -> Option<Kind> {
    use Instruction as I;
    use Kind::*;
    let want = match quick? {
        I::BinaryOpAddFloat | I::BinaryOpSubtractFloat | I::BinaryOpMultiplyFloat => Float,
        I::BinaryOpAddInt | I::BinaryOpSubtractInt | I::BinaryOpMultiplyInt => Int,
        _ => return None,
    };
    let fits = |k: Kind| k == Obj || k == want;
    (fits(a) && fits(b) && (a == Obj || b == Obj)).then_some(want)
}

/// The operand kind a `COMPARE_OP` on object operands is speculated on, or `None`.
pub(super) fn speculated_compare(quick: Option<Instruction>, a: Kind, b: Kind) -> Option<Kind> {
    use Instruction as I;
    use Kind::*;
    let want = match quick? {
        I::CompareOpFloat => Float,
        I::CompareOpInt => Int,
        _ => return None,
    };
    let fits = |k: Kind| k == Obj || k == want;
    (fits(a) && fits(b) && (a == Obj || b == Obj)).then_some(want)
}
