//! The ABI between native code and the runtime: what native code is handed
//! ([`NativeCtx`], with the [`NativePosition`] it writes its instruction to before each
//! helper call), how values are represented ([`Kind`]), the helper signatures and the
//! table of helper addresses ([`Op`], [`HelperTable`]). `translate` emits code against it;
//! `helpers`, `entry` and `frames` implement and use it.

use std::cell::RefCell;
use std::sync::atomic::AtomicU32;

use rustpython_vm::builtins::{PyBaseExceptionRef, PyCode, PyDictRef, PyFunction};
use rustpython_vm::{Py, PyObjectRef, VirtualMachine};

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
    pub attr_caches: *const AttrCache,
    /// The frame exceptions caught by native code name in their traceback.
    pub tb_frames: &'a TracebackFrames,
    /// This activation's stand-in frame, once an exception was caught: every traceback
    /// entry of one activation names one frame, as in the interpreter.
    pub tb_frame: RefCell<Option<(rustpython_vm::frame::FrameObjectRef, u32)>>,
    /// Where native code reports the instruction it is at before each helper call (read
    /// by native code at [`NativeCtx::POSITION_LASTI`], [`NativeCtx::POSITION_MIRROR`] and
    /// [`NativeCtx::POSITION_BASE`]).
    pub position: NativePosition,
    /// The exit buffer and the calls before which native code stores its locals there
    /// ([`crate::translate::Translation::spilled`]): the frame's `f_locals` while a call runs.
    pub spilled: (*const u64, &'a [(u32, Vec<Option<Kind>>)]),
}

impl NativeCtx<'_> {
    /// Offsets native code loads the position cell and its base from.
    pub const POSITION_LASTI: usize = std::mem::offset_of!(NativeCtx<'static>, position)
        + std::mem::offset_of!(NativePosition, lasti);
    pub const POSITION_BASE: usize = std::mem::offset_of!(NativeCtx<'static>, position)
        + std::mem::offset_of!(NativePosition, base);
    pub const POSITION_MIRROR: usize = std::mem::offset_of!(NativeCtx<'static>, position)
        + std::mem::offset_of!(NativePosition, mirror);
    pub const POSITION_FRAME: usize = std::mem::offset_of!(NativeCtx<'static>, position)
        + std::mem::offset_of!(NativePosition, frame);
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
    /// Drops the references in a count-prefixed array ([`crate::helpers::decref_all`]).
    pub decref_all: usize,
    pub box_int: usize,
    pub box_float: usize,
    pub box_bool: usize,
    pub backedge: usize,
    pub none: usize,
    pub range_type: usize,
    /// The interpreter's own `len`, `isinstance` and `list.append` (identity guards of
    /// the call fast paths; kept alive by `helpers::specialized`).
    pub len: usize,
    pub isinstance: usize,
    pub list_append: usize,
    /// `True` and `False` when they and `None` are immortal (truth tests of them are
    /// then inline and drop nothing), else 0.
    pub true_obj: usize,
    pub false_obj: usize,
    /// `type`, `str` and `tuple` (static types).
    pub type_type: usize,
    pub str_type: usize,
    pub tuple_type: usize,
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
    FreeVars,
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
    FrameStateOwner,
    // The narrow helpers of quickened forms (`helpers::specialized`): operands borrowed.
    SubscrListInt,
    SubscrTupleInt,
    SubscrDict,
    StoreSubscrListInt,
    StoreSubscrDict,
    Len,
    IsInstance,
    ListAppendMethod,
    BuiltinClass1,
    CompareStr,
    SubscrStrInt,
    CallBuiltin,
}

/// `arg` bit 0 of the subscript helpers of quickened forms (`helpers::specialized`): the
/// index is an unboxed `i64`, not an object.
pub const RAW_INDEX: u64 = 1;
/// The class `h_builtin_class_1` calls with one argument (its `arg`).
pub const TYPE_1: u64 = 0;
pub const STR_1: u64 = 1;
pub const TUPLE_1: u64 = 2;
/// The comparisons `h_compare_str` does (`COMPARE_OP`'s `arg >> 5`).
pub const COMPARE_EQ: u64 = 2;
pub const COMPARE_NE: u64 = 3;

/// The representation of a value in native code.
///
/// An unboxed int or float keeps the object it was unboxed from (its *box*, the second
/// part), so that boxing it again gives the same object back: `is`, `id()` and
/// identity-based containment see what the interpreter would. A box is NULL (a value
/// computed in native code: boxed when needed), an owned reference, or a borrowed one
/// tagged with [`BORROWED_BOX`] (a constant of the code, or an argument the caller keeps
/// alive for the whole activation).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    /// An exact `int` in `i64` range, and its box.
    Int,
    /// A `float`, as `f64`, and its box.
    Float,
    /// A `bool`, as `i64` 0 or 1.
    Bool,
    /// An owned object reference (may be NULL).
    Obj,
    /// The iterator of `for x in range(...)`: next value, remaining count (unsigned),
    /// step — three `i64`s.
    Range,
}

impl Kind {
    /// Exit-buffer slots a value of this kind takes (the parts of the value, in order).
    pub fn slots(self) -> usize {
        match self {
            Kind::Range => 3,
            Kind::Int | Kind::Float => 2,
            Kind::Bool | Kind::Obj => 1,
        }
    }
    /// The part holding a reference the slot may own: an object, or an unboxed value's
    /// box.
    pub(crate) fn owned_part(self) -> Option<usize> {
        match self {
            Kind::Obj => Some(0),
            Kind::Int | Kind::Float => Some(1),
            Kind::Bool | Kind::Range => None,
        }
    }
    /// The kind of a value that may come from either kind.
    pub(crate) fn join(self, other: Kind) -> Option<Kind> {
        if self == other {
            Some(self)
        } else if self == Kind::Range || other == Kind::Range {
            None
        } else {
            Some(Kind::Obj)
        }
    }
}

/// Where a native activation writes its position: `lasti` of the frame it runs in (or a
/// cell of its own when it has none) and the unit the function's first instruction has
/// in that frame's code. Native code stores `base + unit + 1` (the interpreter's `lasti`
/// convention: the index after the executing unit), reading `base` from here.
#[derive(Clone, Copy)]
#[repr(C)]
pub struct NativePosition {
    pub lasti: *const AtomicU32,
    /// The same frame's `lasti` as its frame object holds it when the frame was
    /// materialized before native code started (other threads read that copy:
    /// `sys._current_frames`); `lasti` itself otherwise.
    pub mirror: *const AtomicU32,
    pub base: u32,
    /// The interpreter frame native code runs in; null for a function called natively.
    pub frame: *const rustpython_vm::frame::InterpreterFrame,
}

/// The number of ways of an attribute site's cache.
pub(crate) const ATTR_CACHE_WAYS: usize = 4;

/// The inline cache of one attribute site (a load or a store): a few type versions
/// (`tp_version_tag`; a site in a base class's method sees the subclasses), each with
/// what decides the attribute for instances of that type ([`Found`]). Version tags are
/// unique over all types and change whenever a type or one of its bases is modified, so
/// a match is proof that the type lookup would find the same thing. Each way is one
/// atomic word, `version << 32 | found`, as threads may share native code; 0 is empty.
#[derive(Default)]
pub struct AttrCache {
    pub(crate) ways: [std::sync::atomic::AtomicU64; ATTR_CACHE_WAYS],
    /// The way the next fill replaces.
    pub(crate) next: std::sync::atomic::AtomicU8,
}

/// `__rpyjit_frame__`): its code, name, file and the instruction's position (shifted by
/// the prologue) are the original's, so tracebacks print the same lines and carets. Only
/// its locals are not the native code's. Made once per compiled function, called per
/// caught exception.
#[derive(Default)]
pub struct TracebackFrames {
    /// The frame-returning function and its prologue length in units.
    pub(crate) maker: std::sync::OnceLock<Option<(PyObjectRef, u32)>>,
}
