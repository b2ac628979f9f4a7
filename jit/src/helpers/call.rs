//! How a helper is called: the operand view native code's buffer gives it ([`enter`],
//! [`Ops`]), running it without unwinding into native code ([`run`]), and the table of
//! this build's helper addresses (`HelperTable::host`, `HelperTable::dummy`). The
//! types native code and helpers share are in [`crate::abi`].

use std::panic::{catch_unwind, AssertUnwindSafe};

use rustpython_vm::builtins::PyStr;
use rustpython_vm::{AsObject, Py, PyObject, PyObjectRef, PyResult, VirtualMachine};

use super::{
    arith, attrs, boxing, calls, containers, exceptions, format, iter, matching, names,
    specialized, traceback, unpack,
};
pub use crate::abi::{HelperTable, NativeCtx, Op, OpsHelper, ValueHelper};
use crate::vm;

impl HelperTable {
    /// Placeholder addresses: code produced for another ISA (never run) only needs
    /// distinct constants.
    pub fn dummy() -> Self {
        Self {
            ops: ALL_OPS
                .iter()
                .enumerate()
                .map(|(i, (o, _))| (*o, 0x1000 + i * 16))
                .collect(),
            incref: 0x2000,
            decref: 0x2010,
            decref_all: 0x2018,
            box_int: 0x2020,
            box_float: 0x2030,
            box_bool: 0x2040,
            backedge: 0x2050,
            none: 0x3000,
            range_type: 0x3010,
            len: 0x3020,
            isinstance: 0x3030,
            list_append: 0x3040,
            true_obj: 0x3080,
            false_obj: 0x3090,
            type_type: 0x3050,
            str_type: 0x3060,
            tuple_type: 0x3070,
            inline_refcounts: true,
        }
    }

    /// The real addresses in this process.
    pub fn host(vm: &VirtualMachine) -> Self {
        let [len, isinstance, list_append] = specialized::known_addresses(vm);
        let types = &vm.ctx.types;
        let ctx = &vm.ctx;
        let singletons = [
            ctx.none.as_object(),
            ctx.true_value.as_object(),
            ctx.false_value.as_object(),
        ];
        let immortal = singletons.iter().all(|o| crate::vm::is_immortal(o));
        let addr = |o: &PyObject| {
            if immortal {
                crate::vm::address_of(o) as usize
            } else {
                0
            }
        };
        Self {
            ops: ALL_OPS.iter().map(|(o, f)| (*o, *f as usize)).collect(),
            incref: boxing::incref as *const () as usize,
            decref: boxing::decref as *const () as usize,
            decref_all: boxing::decref_all as *const () as usize,
            box_int: boxing::box_int as *const () as usize,
            box_float: boxing::box_float as *const () as usize,
            box_bool: boxing::box_bool as *const () as usize,
            backedge: crate::entry::backedge_check as *const () as usize,
            none: crate::vm::address_of(vm.ctx.none.as_object()) as usize,
            range_type: crate::vm::address_of(vm.ctx.types.range_type.as_object()) as usize,
            len,
            isinstance,
            list_append,
            true_obj: addr(ctx.true_value.as_object()),
            false_obj: addr(ctx.false_value.as_object()),
            type_type: crate::vm::address_of(types.type_type.as_object()) as usize,
            str_type: crate::vm::address_of(types.str_type.as_object()) as usize,
            tuple_type: crate::vm::address_of(types.tuple_type.as_object()) as usize,
            inline_refcounts: vm::check_layout(vm).refcounts,
        }
    }
}

const ALL_OPS: &[(Op, OpsHelper)] = &[
    (Op::LoadGlobal, names::h_load_global),
    (Op::LoadAttr, attrs::h_load_attr),
    (Op::LoadMethod, attrs::h_load_method),
    (Op::StoreAttr, attrs::h_store_attr),
    (Op::BinaryOp, arith::h_binary_op),
    (Op::BinarySlice, arith::h_binary_slice),
    (Op::StoreSlice, arith::h_store_slice),
    (Op::StoreSubscr, arith::h_store_subscr),
    (Op::DeleteSubscr, arith::h_delete_subscr),
    (Op::Compare, arith::h_compare),
    (Op::Contains, arith::h_contains),
    (Op::ToBool, arith::h_to_bool),
    (Op::UnaryNegative, arith::h_unary_negative),
    (Op::UnaryInvert, arith::h_unary_invert),
    (Op::Call, calls::h_call),
    (Op::CallKw, calls::h_call_kw),
    (Op::CallEx, calls::h_call_ex),
    (Op::BuildTuple, containers::h_build_tuple),
    (Op::BuildList, containers::h_build_list),
    (Op::BuildSet, containers::h_build_set),
    (Op::BuildMap, containers::h_build_map),
    (Op::BuildString, containers::h_build_string),
    (Op::BuildSlice, containers::h_build_slice),
    (Op::ListAppend, containers::h_list_append),
    (Op::ListExtend, containers::h_list_extend),
    (Op::SetAdd, containers::h_set_add),
    (Op::SetUpdate, containers::h_set_update),
    (Op::MapAdd, containers::h_map_add),
    (Op::DictUpdate, containers::h_dict_update),
    (Op::DictMerge, containers::h_dict_merge),
    (Op::GetIter, iter::h_get_iter),
    (Op::ForIter, iter::h_for_iter),
    (Op::UnpackSequence, unpack::h_unpack_sequence),
    (Op::FormatSimple, format::h_format_simple),
    (Op::FormatWithSpec, format::h_format_with_spec),
    (Op::ConvertValue, format::h_convert_value),
    (Op::ListToTuple, containers::h_list_to_tuple),
    (Op::Unbox, boxing::h_unbox),
    (Op::MakeCell, names::h_make_cell),
    (Op::FreeVars, names::h_free_vars),
    (Op::LoadDeref, names::h_load_deref),
    (Op::StoreDeref, names::h_store_deref),
    (Op::DeleteDeref, names::h_delete_deref),
    (Op::StoreGlobal, names::h_store_global),
    (Op::DeleteGlobal, names::h_delete_global),
    (Op::DeleteAttr, attrs::h_delete_attr),
    (Op::MakeFunction, names::h_make_function),
    (Op::SetFunctionAttribute, names::h_set_function_attribute),
    (Op::LoadSpecial, attrs::h_load_special),
    (Op::LoadSuperAttr, attrs::h_load_super_attr),
    (Op::ImportName, names::h_import_name),
    (Op::ImportFrom, names::h_import_from),
    (Op::Raise, exceptions::h_raise),
    (Op::UnpackEx, unpack::h_unpack_ex),
    (Op::UnaryPositive, arith::h_unary_positive),
    (Op::CommonConstant, names::h_common_constant),
    (Op::MatchKind, matching::h_match_kind),
    (Op::GetLen, matching::h_get_len),
    (Op::MatchKeys, matching::h_match_keys),
    (Op::MatchClass, matching::h_match_class),
    (Op::Catch, exceptions::h_catch),
    (Op::PushExcInfo, exceptions::h_push_exc_info),
    (Op::PopExcept, exceptions::h_pop_except),
    (Op::CheckExcMatch, exceptions::h_check_exc_match),
    (Op::WithExceptStart, exceptions::h_with_except_start),
    (Op::HandledException, exceptions::h_handled_exception),
    (Op::KeepFrameLocals, traceback::h_keep_frame_locals),
    (Op::FrameStateOwner, attrs::h_frame_state_owner),
    (Op::SubscrListInt, specialized::h_subscr_list_int),
    (Op::SubscrTupleInt, specialized::h_subscr_tuple_int),
    (Op::SubscrDict, specialized::h_subscr_dict),
    (Op::StoreSubscrListInt, specialized::h_store_subscr_list_int),
    (Op::StoreSubscrDict, specialized::h_store_subscr_dict),
    (Op::Len, specialized::h_len),
    (Op::IsInstance, specialized::h_isinstance),
    (Op::ListAppendMethod, specialized::h_list_append_method),
    (Op::BuiltinClass1, specialized::h_builtin_class_1),
    (Op::CompareStr, specialized::h_compare_str),
    (Op::SubscrStrInt, specialized::h_subscr_str_int),
    (Op::CallBuiltin, calls::h_call_builtin),
];

/// The operand slots of one helper call (see the module docs of [`super`]): borrowed as
/// objects, taken, released and written back as owned references, each access a word of
/// the buffer native code passed. Taking or releasing needs `&mut self`, so no borrowed
/// operand outlives its reference.
pub(super) struct Ops<'a> {
    words: &'a mut [u64],
}

impl Ops<'_> {
    /// `ops[i]`, borrowed.
    #[inline]
    pub(super) fn get(&self, i: usize) -> &PyObject {
        debug_assert_ne!(self.words[i], 0, "rpyjit: a NULL operand");
        // SAFETY: `enter`'s contract: an operand slot holds a live reference until it is
        // taken or released through `&mut self`, which ends this borrow.
        unsafe { vm::obj(self.words[i]) }
    }

    /// Whether `ops[i]` is set (the self-or-NULL slot of a call, an optional operand).
    #[inline]
    pub(super) fn is_set(&self, i: usize) -> bool {
        self.words[i] != 0
    }

    /// Takes over the reference in `ops[i]` (the slot is then the caller's to overwrite).
    #[inline]
    pub(super) fn take(&mut self, i: usize) -> PyObjectRef {
        // SAFETY: `enter`'s contract: the operand slot carries a reference native code
        // gives up on success, which is when helpers take operands.
        unsafe { vm::take(self.words[i]) }
    }

    /// Releases the operands `ops[0..n]` (NULL slots are skipped).
    #[inline]
    pub(super) fn release(&mut self, n: usize) {
        // SAFETY: as for `take`: operands given up on success.
        unsafe { vm::release(&self.words[..n]) }
    }

    /// Writes an owned reference (an output) to `ops[i]`.
    #[inline]
    pub(super) fn set(&mut self, i: usize, o: PyObjectRef) {
        self.words[i] = vm::give(o);
    }

    /// Writes NULL to `ops[i]` (the self-or-NULL slot of a method load).
    #[inline]
    pub(super) fn set_null(&mut self, i: usize) {
        self.words[i] = 0;
    }

    /// Writes raw bits (an unboxed value) to `ops[i]`.
    #[inline]
    pub(super) fn set_bits(&mut self, i: usize, bits: u64) {
        self.words[i] = bits;
    }

    /// Moves the reference in `ops[from]` to `ops[to]`.
    #[inline]
    pub(super) fn move_slot(&mut self, from: usize, to: usize) {
        self.words[to] = self.words[from];
    }

    /// The raw words `ops[range]` (references borrowed from the slots).
    #[inline]
    pub(super) fn words(&self, range: std::ops::Range<usize>) -> &[u64] {
        &self.words[range]
    }
}

/// The context and the `len` operand slots of a helper call.
///
/// # Safety
/// `ctx` points to the live `NativeCtx` of the native call that is calling the helper;
/// `ops` to `len` writable words that nothing else accesses until the helper returns
/// (it may be dangling when `len` is 0); every slot the helper reads as an operand (as its
/// doc comment lays them out) holds a live reference owned by native code, NULL only where
/// the layout says so (read through [`Ops::is_set`] first).
#[inline]
pub(super) unsafe fn enter<'a>(
    ctx: *const NativeCtx<'static>,
    ops: *mut u64,
    len: usize,
) -> (&'a NativeCtx<'static>, Ops<'a>) {
    // SAFETY: the caller's contract.
    let ctx = unsafe { &*ctx };
    let words: &mut [u64] = if len == 0 {
        &mut []
    } else {
        // SAFETY: the caller's contract: `len` words, this call's alone.
        unsafe { std::slice::from_raw_parts_mut(ops, len) }
    };
    (ctx, Ops { words })
}

/// Runs `f` for a helper: catches panics (they must not unwind into native frames) and
/// turns errors into a pending exception and a negative status. Inlined into each helper,
/// whose only work it is.
#[inline(always)]
pub(super) fn run(
    ctx: &NativeCtx<'static>,
    f: impl FnOnce(&NativeCtx<'static>, &VirtualMachine) -> PyResult<i64>,
) -> i64 {
    let vm = ctx.vm;
    match catch_unwind(AssertUnwindSafe(|| f(ctx, vm))) {
        Ok(Ok(status)) => status,
        Ok(Err(exc)) => {
            *ctx.exc.borrow_mut() = Some(exc);
            -1
        }
        Err(_) => {
            *ctx.exc.borrow_mut() = Some(vm.new_system_error("rpyjit: a runtime helper panicked"));
            -1
        }
    }
}

/// Name `i` of the code (the low half of a helper argument).
pub(super) fn name<'a>(ctx: &'a NativeCtx<'static>, i: u64) -> &'a Py<PyStr> {
    ctx.code.code.names[(i & 0xffff_ffff) as usize]
}
