//! Every specialized instruction form RustPython's interpreter quickens (CPython 3.14's
//! set) and what native code does with it, in one exhaustive `match`: a form a RustPython
//! upgrade adds does not compile until someone decides its path. `docs/quickened-forms.md`
//! is generated from this table (`jit::translate::quickened::markdown`, checked by a test).
//!
//! The paths themselves live with their instruction families in `ops/` (the narrow helpers
//! in `helpers::specialized`); this table says which form each one serves.

use rustpython_vm::bytecode::Instruction;

/// What native code does with one quickened form.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Path {
    /// A native fast path behind guards on what the specialization assumed: what it is.
    Fast(&'static str),
    /// The generic operation (a helper that redoes the VM's dispatch): why, for now.
    Generic(&'static str),
    /// Owned by the calls issue (calls of Python callees).
    Calls(&'static str),
    /// Owned by the coverage issue (generators).
    Coverage(&'static str),
    /// Not a specialized form: a base, instrumented or internal instruction.
    Base,
}

impl Path {
    /// The table's column for this path, and its note.
    pub fn describe(self) -> (&'static str, &'static str) {
        match self {
            Path::Fast(w) => ("native fast path", w),
            Path::Generic(w) => ("generic helper", w),
            Path::Calls(w) => ("calls issue", w),
            Path::Coverage(w) => ("coverage issue", w),
            Path::Base => ("not specialized", ""),
        }
    }
}

/// The path of instruction form `op`.
pub fn path(op: Instruction) -> Path {
    use Instruction as I;
    match op {
        I::BinaryOpAddFloat => Path::Fast("inline `f64` add on unboxed operands; object operands unboxed behind a float guard"),
        I::BinaryOpSubtractFloat => Path::Fast("inline `f64` subtract; object operands unboxed behind a float guard"),
        I::BinaryOpMultiplyFloat => Path::Fast("inline `f64` multiply; object operands unboxed behind a float guard"),
        I::BinaryOpAddInt => Path::Fast("inline `i64` add with an overflow guard; object operands unboxed behind an int guard"),
        I::BinaryOpSubtractInt => Path::Fast("inline `i64` subtract with an overflow guard"),
        I::BinaryOpMultiplyInt => Path::Fast("inline `i64` multiply with an overflow guard"),
        I::BinaryOpAddUnicode => Path::Generic("`h_binary_op` (the VM's str concatenation); a narrow str helper is not built yet"),
        I::BinaryOpInplaceAddUnicode => Path::Generic("`h_binary_op` (`s += t` on a str local: the interpreter appends in place; the profitability estimate counts it)"),
        I::BinaryOpExtend => Path::Generic("`h_binary_op`: the extended forms cover many type pairs, each would need its own path"),
        I::BinaryOpSubscrListInt => Path::Fast("`h_subscr_list_int`: exact list, an object or unboxed `i64` index, no generic dispatch"),
        I::BinaryOpSubscrTupleInt => Path::Fast("`h_subscr_tuple_int`: exact tuple, an object or unboxed `i64` index"),
        I::BinaryOpSubscrDict => Path::Fast("`h_subscr_dict`: exact dict lookup (KeyError raised there)"),
        I::BinaryOpSubscrStrInt => Path::Fast("`h_subscr_str_int`: exact str, object or unboxed `i64` index, the interned one-character string"),
        I::BinaryOpSubscrListSlice => Path::Generic("`h_binary_op` (a slice object is built either way)"),
        I::BinaryOpSubscrGetitem => Path::Calls("a Python `__getitem__`: the calls issue"),
        I::CallAllocAndEnterInit => Path::Calls("Python `__init__`: the calls issue (today `h_call`/`h_call_kw` allocate and call `__init__` as a call from native code, keywords and defaults bound there)"),
        I::CallBoundMethodExactArgs => Path::Calls("Python callee: the calls issue (today `h_call` unwraps the bound method and calls its function from native code)"),
        I::CallBoundMethodGeneral => Path::Calls("Python callee: the calls issue (today `h_call` unwraps the bound method; defaults bound there)"),
        I::CallBuiltinClass => Path::Generic("`h_call` (vectorcall of the class); `range(...)` iterated at once is an unboxed counter"),
        I::CallBuiltinFast => Path::Fast("`h_call_builtin`: vectorcall without probing for a Python callee, as the interpreter's form does (`PyNativeFunction`'s function is private)"),
        I::CallBuiltinFastWithKeywords => Path::Fast("`h_call_builtin`: vectorcall without probing for a Python callee"),
        I::CallBuiltinO => Path::Fast("`h_call_builtin`: vectorcall without probing for a Python callee, as the interpreter's form does"),
        I::CallIsinstance => Path::Fast("identity guard on the interpreter's own `isinstance`, `h_isinstance` → unboxed bool"),
        I::CallKwBoundMethod => Path::Calls("Python callee: the calls issue (today `h_call_kw` binds keywords and defaults of a plain signature, then calls natively)"),
        I::CallKwNonPy => Path::Generic("`h_call_kw`: vectorcall with keyword names"),
        I::CallKwPy => Path::Calls("Python callee: the calls issue (today `h_call_kw` binds keywords and defaults of a plain signature, then calls natively)"),
        I::CallLen => Path::Fast("identity guard on the interpreter's own `len`, `h_len` → unboxed int"),
        I::CallListAppend => Path::Fast("identity guard on `list.append`, `h_list_append_method` (exact list) → None"),
        I::CallMethodDescriptorFast => Path::Fast("`h_call_builtin`: the descriptor's function called directly when `self` is exactly its type"),
        I::CallMethodDescriptorFastWithKeywords => Path::Fast("`h_call_builtin`: the descriptor's function called directly when `self` is exactly its type"),
        I::CallMethodDescriptorNoargs => Path::Fast("`h_call_builtin`: the descriptor's function called directly when `self` is exactly its type"),
        I::CallMethodDescriptorO => Path::Fast("`h_call_builtin`: the descriptor's function called directly when `self` is exactly its type"),
        I::CallNonPyGeneral => Path::Generic("`h_call`: vectorcall"),
        I::CallPyExactArgs => Path::Calls("Python callee: the calls issue (today `h_call` enters compiled callees natively)"),
        I::CallPyGeneral => Path::Calls("Python callee: the calls issue (today `h_call` binds defaults of a plain signature, then calls natively)"),
        I::CallStr1 => Path::Fast("identity guard on `str`, `h_builtin_class_1`"),
        I::CallTuple1 => Path::Fast("identity guard on `tuple`, `h_builtin_class_1` (an exact tuple is returned as is)"),
        I::CallType1 => Path::Fast("identity guard on `type`, `h_builtin_class_1`"),
        I::CompareOpFloat => Path::Fast("inline `f64` compare on unboxed operands → unboxed bool"),
        I::CompareOpInt => Path::Fast("inline `i64` compare on unboxed operands → unboxed bool"),
        I::CompareOpStr => Path::Fast("`h_compare_str` for `==`/`!=` of exact strs → unboxed bool (ordering comparisons: `h_compare`)"),
        I::ContainsOpDict => Path::Generic("`h_contains` (the VM's `in`)"),
        I::ContainsOpSet => Path::Generic("`h_contains` (the VM's `in`)"),
        I::ForIterGen => Path::Coverage("generators: the coverage issue"),
        I::ForIterList => Path::Generic("`h_for_iter` on the list iterator (the VM's `next`)"),
        I::ForIterRange => Path::Fast("`for x in range(...)`: an unboxed (next, remaining, step) counter, no iterator object"),
        I::ForIterTuple => Path::Generic("`h_for_iter` on the tuple iterator"),
        I::JumpBackwardJit => Path::Fast("a native jump with the eval-breaker check"),
        I::JumpBackwardNoJit => Path::Fast("a native jump with the eval-breaker check"),
        I::LoadAttrClass => Path::Generic("`h_load_attr`: the type's attribute through the VM (no per-site value cache yet)"),
        I::LoadAttrClassWithMetaclassCheck => Path::Generic("`h_load_attr` through the VM"),
        I::LoadAttrGetattributeOverridden => Path::Calls("a Python `__getattribute__`: the calls issue"),
        I::LoadAttrInstanceValue => Path::Fast("`h_load_attr`'s per-site cache (type version → instance dict first, no type lookup)"),
        I::LoadAttrMethodLazyDict => Path::Generic("`h_load_method`: the type lookup on every execution"),
        I::LoadAttrMethodNoDict => Path::Generic("`h_load_method`: the type lookup on every execution"),
        I::LoadAttrMethodWithValues => Path::Generic("`h_load_method`: the type lookup on every execution"),
        I::LoadAttrModule => Path::Fast("`h_load_attr` reads an exact module's dict directly (names that are not dunders)"),
        I::LoadAttrNondescriptorNoDict => Path::Generic("`h_load_attr` through the VM"),
        I::LoadAttrNondescriptorWithValues => Path::Generic("`h_load_attr` through the VM"),
        I::LoadAttrProperty => Path::Calls("a Python property getter: the calls issue"),
        I::LoadAttrSlot => Path::Fast("`h_load_attr`'s per-site cache: the `__slots__` cell at its offset"),
        I::LoadAttrWithHint => Path::Fast("`h_load_attr`'s per-site cache (instance dict first)"),
        I::LoadConstImmortal => Path::Fast("constants are compiled in: unboxed, or a borrowed reference of the code's constants"),
        I::LoadConstMortal => Path::Fast("constants are compiled in: unboxed, or a borrowed reference of the code's constants"),
        I::LoadGlobalBuiltin => Path::Generic("`h_load_global`: globals then builtins dict lookups on every execution (no dict-version cache yet)"),
        I::LoadGlobalModule => Path::Generic("`h_load_global`: a globals dict lookup on every execution (no dict-version cache yet)"),
        I::LoadSuperAttrAttr => Path::Generic("`h_load_super_attr` through the VM"),
        I::LoadSuperAttrMethod => Path::Generic("`h_load_super_attr` through the VM"),
        I::ResumeCheck => Path::Fast("nothing to do natively (native code checks the eval breaker at back-edges and calls)"),
        I::SendGen => Path::Coverage("generators: the coverage issue"),
        I::StoreAttrInstanceValue => Path::Fast("`h_store_attr`'s per-site cache: replaces an existing instance-dict key without the type lookup"),
        I::StoreAttrSlot => Path::Fast("`h_store_attr`'s per-site cache: the `__slots__` cell at its offset"),
        I::StoreAttrWithHint => Path::Fast("`h_store_attr`'s per-site cache: replaces an existing instance-dict key"),
        I::StoreSubscrDict => Path::Fast("`h_store_subscr_dict`: exact dict store"),
        I::StoreSubscrListInt => Path::Fast("`h_store_subscr_list_int`: exact list, object or unboxed `i64` index"),
        I::ToBoolAlwaysTrue => Path::Generic("`h_to_bool` on objects (unboxed values are tested inline)"),
        I::ToBoolBool => Path::Fast("inline on an unboxed bool; a bool object by an inline identity test against `True`/`False`"),
        I::ToBoolInt => Path::Fast("inline on an unboxed int (typing unboxes ints; an object goes to `h_to_bool`)"),
        I::ToBoolList => Path::Fast("`h_to_bool` tests an exact list's emptiness directly, without the generic `__bool__`/`__len__` lookup (the length is private layout: no inline test)"),
        I::ToBoolNone => Path::Fast("inline identity test: `None`, `True` and `False` are immortal singletons"),
        I::ToBoolStr => Path::Fast("`h_to_bool` tests an exact str's emptiness directly, without the generic `__bool__`/`__len__` lookup (the length is private layout: no inline test)"),
        I::UnpackSequenceList => Path::Generic("`h_unpack_sequence` (the VM's unpacking)"),
        I::UnpackSequenceTuple => Path::Generic("`h_unpack_sequence` (the VM's unpacking)"),
        I::UnpackSequenceTwoTuple => Path::Generic("`h_unpack_sequence` (the VM's unpacking)"),
        base_forms!() => Path::Base,
    }
}

/// The instructions that are not specialized forms (base, instrumented and internal
/// ones), as one pattern.
macro_rules! base_forms {
    () => {
        I::Cache
            | I::BinarySlice
            | I::BuildTemplate
            | I::CallFunctionEx
            | I::CheckEgMatch
            | I::CheckExcMatch
            | I::CleanupThrow
            | I::DeleteSubscr
            | I::EndFor
            | I::EndSend
            | I::ExitInitCheck
            | I::FormatSimple
            | I::FormatWithSpec
            | I::GetAiter
            | I::GetAnext
            | I::GetIter
            | I::Reserved
            | I::GetLen
            | I::GetYieldFromIter
            | I::InterpreterExit
            | I::LoadBuildClass
            | I::LoadLocals
            | I::MakeFunction
            | I::MatchKeys
            | I::MatchMapping
            | I::MatchSequence
            | I::Nop
            | I::NotTaken
            | I::PopExcept
            | I::PopIter
            | I::PopTop
            | I::PushExcInfo
            | I::PushNull
            | I::ReturnGenerator
            | I::ReturnValue
            | I::SetupAnnotations
            | I::StoreSlice
            | I::StoreSubscr
            | I::ToBool
            | I::UnaryInvert
            | I::UnaryNegative
            | I::UnaryNot
            | I::WithExceptStart
            | I::BinaryOp { .. }
            | I::BuildInterpolation { .. }
            | I::BuildList { .. }
            | I::BuildMap { .. }
            | I::BuildSet { .. }
            | I::BuildSlice { .. }
            | I::BuildString { .. }
            | I::BuildTuple { .. }
            | I::Call { .. }
            | I::CallIntrinsic1 { .. }
            | I::CallIntrinsic2 { .. }
            | I::CallKw { .. }
            | I::CompareOp { .. }
            | I::ContainsOp { .. }
            | I::ConvertValue { .. }
            | I::Copy { .. }
            | I::CopyFreeVars { .. }
            | I::DeleteAttr { .. }
            | I::DeleteDeref { .. }
            | I::DeleteFast { .. }
            | I::DeleteGlobal { .. }
            | I::DeleteName { .. }
            | I::DictMerge { .. }
            | I::DictUpdate { .. }
            | I::EndAsyncFor
            | I::ExtendedArg
            | I::ForIter { .. }
            | I::GetAwaitable { .. }
            | I::ImportFrom { .. }
            | I::ImportName { .. }
            | I::IsOp { .. }
            | I::JumpBackward { .. }
            | I::JumpBackwardNoInterrupt { .. }
            | I::JumpForward { .. }
            | I::ListAppend { .. }
            | I::ListExtend { .. }
            | I::LoadAttr { .. }
            | I::LoadCommonConstant { .. }
            | I::LoadConst { .. }
            | I::LoadDeref { .. }
            | I::LoadFast { .. }
            | I::LoadFastAndClear { .. }
            | I::LoadFastBorrow { .. }
            | I::LoadFastBorrowLoadFastBorrow { .. }
            | I::LoadFastCheck { .. }
            | I::LoadFastLoadFast { .. }
            | I::LoadFromDictOrDeref { .. }
            | I::LoadFromDictOrGlobals { .. }
            | I::LoadGlobal { .. }
            | I::LoadName { .. }
            | I::LoadSmallInt { .. }
            | I::LoadSpecial { .. }
            | I::LoadSuperAttr { .. }
            | I::MakeCell { .. }
            | I::MapAdd { .. }
            | I::MatchClass { .. }
            | I::PopJumpIfFalse { .. }
            | I::PopJumpIfNone { .. }
            | I::PopJumpIfNotNone { .. }
            | I::PopJumpIfTrue { .. }
            | I::RaiseVarargs { .. }
            | I::Reraise { .. }
            | I::Send { .. }
            | I::SetAdd { .. }
            | I::SetFunctionAttribute { .. }
            | I::SetUpdate { .. }
            | I::StoreAttr { .. }
            | I::StoreDeref { .. }
            | I::StoreFast { .. }
            | I::StoreFastLoadFast { .. }
            | I::StoreFastStoreFast { .. }
            | I::StoreGlobal { .. }
            | I::StoreName { .. }
            | I::Swap { .. }
            | I::UnpackEx { .. }
            | I::UnpackSequence { .. }
            | I::YieldValue { .. }
            | I::Resume { .. }
            | I::InstrumentedEndFor
            | I::InstrumentedPopIter
            | I::InstrumentedEndSend
            | I::InstrumentedForIter
            | I::InstrumentedInstruction
            | I::InstrumentedJumpForward
            | I::InstrumentedNotTaken
            | I::InstrumentedPopJumpIfTrue
            | I::InstrumentedPopJumpIfFalse
            | I::InstrumentedPopJumpIfNone
            | I::InstrumentedPopJumpIfNotNone
            | I::InstrumentedResume
            | I::InstrumentedReturnValue
            | I::InstrumentedYieldValue
            | I::InstrumentedEndAsyncFor
            | I::InstrumentedLoadSuperAttr
            | I::InstrumentedCall
            | I::InstrumentedCallKw
            | I::InstrumentedCallFunctionEx
            | I::InstrumentedJumpBackward
            | I::InstrumentedLine
            | I::EnterExecutor
    };
}
use base_forms;

/// Every specialized form with its path, in opcode order.
pub fn specialized_forms() -> Vec<(String, Path)> {
    (0..=u8::MAX)
        .filter_map(|b| Instruction::try_from(b).ok())
        .filter(|op| u8::from(op.deoptimize()) != u8::from(*op) && !op.is_instrumented())
        .map(|op| {
            let name = format!("{op:?}");
            let name = name.split([' ', '{']).next().unwrap_or("?").to_string();
            (name, path(op))
        })
        .collect()
}

/// The table as Markdown (`docs/quickened-forms.md`).
pub fn markdown() -> String {
    let forms = specialized_forms();
    let count = |k: &str| forms.iter().filter(|(_, p)| p.describe().0 == k).count();
    let mut md = String::from(
        "# Quickened instruction forms in native code\n\n\
         Generated from `jit/src/translate/quickened.rs` (the test \
         `quickened_forms_doc_is_current` checks it; regenerate with \
         `RPYJIT_REGEN_DOCS=1 cargo test --release --ignore-rust-version --workspace --lib \
         quickened`).\n\n",
    );
    md.push_str(&format!(
        "{} specialized forms: {} with a native fast path, {} through a generic helper, \
         {} owned by the calls issue, {} by the coverage issue.\n\n",
        forms.len(),
        count("native fast path"),
        count("generic helper"),
        count("calls issue"),
        count("coverage issue"),
    ));
    md.push_str("| form | path | what native code does / why not yet |\n|:---|:---|:---|\n");
    for (name, p) in &forms {
        let (kind, why) = p.describe();
        md.push_str(&format!("| `{name}` | {kind} | {why} |\n"));
    }
    md
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every specialized form has a decided path (`Base` is only for the others).
    #[test]
    fn every_specialized_form_has_a_path() {
        let forms = specialized_forms();
        assert_eq!(forms.len(), 84, "RustPython 0.6 quickens 84 forms");
        for (name, p) in forms {
            assert_ne!(p, Path::Base, "{name} is specialized but has no path");
        }
    }

    #[test]
    fn quickened_forms_doc_is_current() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/quickened-forms.md");
        let want = markdown();
        if std::env::var_os("RPYJIT_REGEN_DOCS").is_some() {
            std::fs::write(path, &want).unwrap();
        }
        let have = std::fs::read_to_string(path).unwrap_or_default();
        assert!(
            have == want,
            "docs/quickened-forms.md is stale: regenerate it (see its first lines)"
        );
    }
}
