//! The helper ABI shared by `translate` (which emits the calls) and the helpers: the
//! context native code passes ([`NativeCtx`]), the helper signatures, the table of helper
//! addresses ([`Op`], [`HelperTable`]), and how a helper reads its call ([`enter`],
//! [`Ops`], [`run`]).

use std::cell::RefCell;
use std::panic::{catch_unwind, AssertUnwindSafe};

use rustpython_vm::builtins::{PyBaseExceptionRef, PyCode, PyDictRef, PyFunction, PyStr};
use rustpython_vm::{AsObject, Py, PyObject, PyObjectRef, PyResult, VirtualMachine};

use super::{
    arith, attrs, boxing, calls, containers, exceptions, format, iter, matching, names, traceback,
    unpack,
};
use crate::vm;

/// What helpers need from the running function: handed to native code as its third
/// argument and passed back to every helper.
pub struct NativeCtx<'a> {
    pub vm: &'a VirtualMachine,
    /// The function's own (uninstrumented) code: names and constants.
    pub code: &'a Py<PyCode>,
    pub func: &'a Py<PyFunction>,
    /// The function's `__globals__` and `__builtins__` (fixed when it was created).
    pub globals: &'a PyDictRef,
    pub builtins: &'a PyObjectRef,
    /// The exception a failed helper raised, taken by the exit that follows.
    pub exc: RefCell<Option<PyBaseExceptionRef>>,
    /// The native code's attribute caches, one per load or store site
    /// ([`crate::translate::Translation::attr_sites`] of them), living as long as it.
    pub attr_caches: *const attrs::AttrCache,
    /// The frame exceptions caught by native code name in their traceback.
    pub tb_frames: &'a traceback::TracebackFrames,
    /// This activation's stand-in frame, once an exception was caught: every traceback
    /// entry of one activation names one frame, as in the interpreter.
    pub tb_frame: RefCell<Option<(rustpython_vm::frame::FrameObjectRef, u32)>>,
    /// Where native code reports the instruction it is at before each helper call (read
    /// by native code at [`NativeCtx::POSITION_LASTI`], [`NativeCtx::POSITION_MIRROR`] and
    /// [`NativeCtx::POSITION_BASE`]).
    pub position: crate::frames::NativePosition,
    /// The exit buffer and the calls before which native code stores its locals there
    /// ([`crate::translate::Translation::spilled`]): the frame's `f_locals` while a call runs.
    pub spilled: (*const u64, &'a [(u32, Vec<Option<crate::translate::Kind>>)]),
}

impl NativeCtx<'_> {
    /// Offsets native code loads the position cell and its base from.
    pub const POSITION_LASTI: usize = std::mem::offset_of!(NativeCtx<'static>, position)
        + std::mem::offset_of!(crate::frames::NativePosition, lasti);
    pub const POSITION_BASE: usize = std::mem::offset_of!(NativeCtx<'static>, position)
        + std::mem::offset_of!(crate::frames::NativePosition, base);
    pub const POSITION_MIRROR: usize = std::mem::offset_of!(NativeCtx<'static>, position)
        + std::mem::offset_of!(crate::frames::NativePosition, mirror);
    pub const POSITION_FRAME: usize = std::mem::offset_of!(NativeCtx<'static>, position)
        + std::mem::offset_of!(crate::frames::NativePosition, frame);
}

/// `extern "C" fn(ctx, ops, arg) -> status`: the shape of every operation helper.
pub type OpsHelper = unsafe extern "C" fn(*const NativeCtx<'static>, *mut u64, u64) -> i64;
/// `extern "C" fn(x) -> y`: reference counting and boxing.
pub type ValueHelper = unsafe extern "C" fn(u64) -> u64;

/// Addresses of the helpers and of the few objects native code compares against,
/// embedded into the generated code as constants.
#[derive(Clone, Debug)]
pub struct HelperTable {
    pub ops: Vec<(Op, usize)>,
    pub incref: usize,
    pub decref: usize,
    pub box_int: usize,
    pub box_float: usize,
    pub box_bool: usize,
    pub backedge: usize,
    pub none: usize,
    pub range_type: usize,
    /// Whether native code may count references inline (the layout check passed).
    pub inline_refcounts: bool,
}

impl HelperTable {
    /// The address of `op`'s helper; `None` if the table has none (the translation is
    /// then refused, never a call to address 0).
    pub fn op(&self, op: Op) -> Option<usize> {
        self.ops.iter().find(|(o, _)| *o == op).map(|(_, a)| *a)
    }

    /// This table without `op`'s helper (for tests of the refusal).
    #[doc(hidden)]
    pub fn without(mut self, op: Op) -> Self {
        self.ops.retain(|(o, _)| *o != op);
        self
    }

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
            box_int: 0x2020,
            box_float: 0x2030,
            box_bool: 0x2040,
            backedge: 0x2050,
            none: 0x3000,
            range_type: 0x3010,
            inline_refcounts: true,
        }
    }

    /// The real addresses in this process.
    pub fn host(vm: &VirtualMachine) -> Self {
        Self {
            ops: ALL_OPS.iter().map(|(o, f)| (*o, *f as usize)).collect(),
            incref: boxing::incref as *const () as usize,
            decref: boxing::decref as *const () as usize,
            box_int: boxing::box_int as *const () as usize,
            box_float: boxing::box_float as *const () as usize,
            box_bool: boxing::box_bool as *const () as usize,
            backedge: crate::entry::backedge_check as *const () as usize,
            none: vm.ctx.none.as_object() as *const PyObject as usize,
            range_type: vm.ctx.types.range_type.as_object() as *const PyObject as usize,
            inline_refcounts: vm::check_layout(vm).refcounts,
        }
    }
}

/// Operations native code delegates to helpers, one per opcode semantics.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    LoadGlobal,
    LoadAttr,
    LoadMethod,
    StoreAttr,
    BinaryOp,
    BinarySlice,
    StoreSlice,
    StoreSubscr,
    DeleteSubscr,
    Compare,
    Contains,
    ToBool,
    UnaryNegative,
    UnaryInvert,
    Call,
    CallKw,
    CallEx,
    BuildTuple,
    BuildList,
    BuildSet,
    BuildMap,
    BuildString,
    BuildSlice,
    ListAppend,
    ListExtend,
    SetAdd,
    SetUpdate,
    MapAdd,
    DictUpdate,
    DictMerge,
    GetIter,
    ForIter,
    UnpackSequence,
    FormatSimple,
    FormatWithSpec,
    ConvertValue,
    ListToTuple,
    Unbox,
    MakeCell,
    FreeVar,
    LoadDeref,
    StoreDeref,
    DeleteDeref,
    StoreGlobal,
    DeleteGlobal,
    DeleteAttr,
    MakeFunction,
    SetFunctionAttribute,
    LoadSpecial,
    LoadSuperAttr,
    ImportName,
    ImportFrom,
    Raise,
    UnpackEx,
    UnaryPositive,
    CommonConstant,
    MatchKind,
    GetLen,
    MatchKeys,
    MatchClass,
    Catch,
    PushExcInfo,
    PopExcept,
    CheckExcMatch,
    WithExceptStart,
    HandledException,
    KeepFrameLocals,
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
    (Op::FreeVar, names::h_free_var),
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
