//! Runtime helpers: the `extern "C"` functions native code calls for everything it does not
//! emit inline. Each one is built on the VM's own public operations (`vm._add`,
//! `get_attr`, `vectorcall`, ...), so the semantics of an opcode cannot drift from the
//! interpreter's.
//!
//! Conventions shared by every helper (and relied on by `translate`):
//! - Values are raw `PyObjectRef` pointers (`u64`), each an owned reference of the native
//!   frame. A helper with the signature [`OpsHelper`] reads its operands from `ops[0..]`
//!   and, **on success only**, takes ownership of them (releases them) and writes its
//!   outputs back into `ops[0..]` as owned references. On failure it leaves every operand
//!   untouched and owned by the caller, stores the exception in the [`NativeCtx`] and
//!   returns a negative status. Native code then catches it itself when a handler of the
//!   function covers the instruction ([`h_catch`] adds the traceback entry the
//!   interpreter would); otherwise it exits with the frame state before the instruction,
//!   and the exit passes the exception to the caller with that entry
//!   ([`enter_traceback`]), or, if no stand-in frame can be made, the interpreter raises it
//!   at the instruction.
//! - Status: `0` = done; `1` = the alternative outcome (an exhausted iterator, a false
//!   truth value) or, for the helpers native code calls through
//!   `Emitter::call_op_or_interpret`, "the interpreter runs this instruction" (nothing
//!   was changed); negative = an exception is pending.
//! - No helper unwinds: a Rust panic is caught and turned into a `SystemError`.

use std::cell::RefCell;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::ptr::NonNull;

use rustpython_vm::builtins::{
    PyBaseException, PyBaseExceptionRef, PyCode, PyDict, PyDictRef, PyFunction, PyList, PySet,
    PySlice, PyStr, PyTuple, PyType,
};
use rustpython_vm::bytecode::{BinaryOperator, ComparisonOperator};
use rustpython_vm::function::FuncArgs;
use rustpython_vm::types::PyComparisonOp;
use rustpython_vm::{AsObject, Py, PyObject, PyObjectRef, PyPayload, PyResult, VirtualMachine};

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

/// What an exception caught in native code gets as its traceback entry. The interpreter's
/// entry names the function's frame, the raising instruction (`tb_lasti`) and its line;
/// native code has no frame of its own. The stand-in is the frame of a function made from
/// the original code with a prologue that only returns its own frame (the builtin
/// `__rpyjit_frame__`): its code, name, file and the instruction's position (shifted by
/// the prologue) are the original's, so tracebacks print the same lines and carets. Only
/// its locals are not the native code's. Made once per compiled function, called per
/// caught exception.
#[derive(Default)]
pub struct TracebackFrames {
    /// The frame-returning function and its prologue length in units.
    maker: std::sync::OnceLock<Option<(PyObjectRef, u32)>>,
}

/// The builtin a traceback stand-in calls: the calling frame, materialized.
const FRAME_BUILTIN: &str = "__rpyjit_frame__";

impl TracebackFrames {
    /// A frame for `ctx`'s function and the prologue length its `tb_lasti` is shifted by;
    /// `None` if it cannot be made (the caller then lets the interpreter raise).
    pub(crate) fn frame(
        &self,
        ctx: &NativeCtx<'_>,
    ) -> Option<(rustpython_vm::frame::FrameObjectRef, u32)> {
        let vm = ctx.vm;
        let (maker, p) = self
            .maker
            .get_or_init(|| {
                let code = crate::rewrite::with_prologue(vm, ctx.code, 0, 2, |e| {
                    e.emit(
                        rustpython_vm::bytecode::Instruction::Resume {
                            context: rustpython_vm::bytecode::Arg::marker(),
                        },
                        0,
                    );
                    e.call_builtin(FRAME_BUILTIN);
                    e.emit(rustpython_vm::bytecode::Instruction::ReturnValue, 0);
                });
                let p = (code.code.instructions.len() - ctx.code.code.instructions.len()) as u32;
                // Kept for the compiled function's lifetime: without the cells of the
                // function it was first made for.
                let maker = crate::deopt::detached_stand_in(vm, ctx.func, code).ok()?;
                Some((maker, p))
            })
            .as_ref()?;
        let frame = maker
            .call(crate::deopt::placeholder_args(vm, ctx.code), vm)
            .ok()?;
        Some((frame.downcast().ok()?, *p))
    }
}

/// The inline cache of one attribute site (a load or a store): a few type versions
/// (`tp_version_tag`; a site in a base class's method sees the subclasses), each with
/// what decides the attribute for instances of that type ([`Found`]). Version tags are
/// unique over all types and change whenever a type or one of its bases is modified, so
/// a match is proof that the type lookup would find the same thing. Each way is one
/// atomic word, `version << 32 | found`, as threads may share native code; 0 is empty.
#[derive(Default)]
pub struct AttrCache {
    ways: [std::sync::atomic::AtomicU64; ATTR_CACHE_WAYS],
    /// The way the next fill replaces.
    next: std::sync::atomic::AtomicU8,
}

const ATTR_CACHE_WAYS: usize = 4;
const ATTR_CACHE_MAX_FILLS: u8 = 32;

/// What decides an attribute of a type's instances, as cached per site.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Found {
    /// Loads: the instance dict (the type uses the default `__getattribute__` and has no
    /// data descriptor of that name), so looking there first is the VM's generic lookup
    /// (`generic_getattr_opt`) minus the type lookup; a miss takes the generic path.
    InstanceDict,
    /// Loads and stores: a `__slots__` member at this byte offset from the object (the
    /// type uses the default `__getattribute__`/`__setattr__`; the member descriptor
    /// applies to the type). What the interpreter's LoadAttrSlot/StoreAttrSlot do.
    /// RustPython keeps member cells just before the object header: offsets are negative.
    Slot(i32),
}

impl Found {
    const SLOT: u32 = 1 << 31;
    /// Offsets fit in the 31 bits below the tag.
    const MAX_OFFSET: i32 = (1 << 30) - 1;

    fn encode(self) -> u32 {
        match self {
            Found::InstanceDict => 0,
            Found::Slot(offset) => Self::SLOT | (offset as u32 & !Self::SLOT),
        }
    }

    fn decode(bits: u32) -> Self {
        if bits & Self::SLOT != 0 {
            // Sign-extends the 31-bit offset.
            Found::Slot(((bits << 1) as i32) >> 1)
        } else {
            Found::InstanceDict
        }
    }
}

impl AttrCache {
    fn lookup(&self, version: u32) -> Option<Found> {
        use std::sync::atomic::Ordering::Relaxed;
        if version == 0 {
            return None;
        }
        self.ways.iter().find_map(|w| {
            let way = w.load(Relaxed);
            ((way >> 32) as u32 == version).then(|| Found::decode(way as u32))
        })
    }

    /// Whether a miss should fill the cache: a site that already missed many times is
    /// megamorphic (or its types keep changing) and keeps to the generic path.
    fn filling(&self) -> bool {
        self.next.load(std::sync::atomic::Ordering::Relaxed) < ATTR_CACHE_MAX_FILLS
    }

    /// Records a decision (from [`Self::decide_load`] or [`Self::decide_store`]); a miss
    /// without one still counts as a fill.
    fn fill(&self, decided: Option<(u32, Found)>) {
        use std::sync::atomic::Ordering::Relaxed;
        let i = self.next.fetch_add(1, Relaxed) as usize % ATTR_CACHE_WAYS;
        if let Some((version, found)) = decided {
            self.ways[i].store(
                u64::from(version) << 32 | u64::from(found.encode()),
                Relaxed,
            );
        }
    }

    /// What decides attribute `name` of instances of `cls` for a load, right now.
    fn decide_load(
        vm: &VirtualMachine,
        cls: &Py<PyType>,
        name: &Py<PyStr>,
    ) -> Option<(u32, Found)> {
        let default = vm.ctx.types.object_type.slots.getattro.load();
        let own = cls.slots.getattro.load();
        if own.map(|f| f as usize) != default.map(|f| f as usize) {
            return None;
        }
        Self::decide(
            vm,
            cls,
            name,
            |descr| {
                Some(Found::Slot(slot_offset(cls, descr, |m| {
                    !m.member.flags.contains(MemberFlags::AUDIT_READ)
                })?))
            },
            Some(Found::InstanceDict),
        )
    }

    /// What decides attribute `name` of instances of `cls` for a store, right now: only
    /// slots are cached (an instance dict store has the VM's inline-values bookkeeping).
    fn decide_store(
        vm: &VirtualMachine,
        cls: &Py<PyType>,
        name: &Py<PyStr>,
    ) -> Option<(u32, Found)> {
        let default = vm.ctx.types.object_type.slots.setattro.load();
        let own = cls.slots.setattro.load();
        if own.map(|f| f as usize) != default.map(|f| f as usize) {
            return None;
        }
        Self::decide(
            vm,
            cls,
            name,
            |descr| {
                Some(Found::Slot(slot_offset(cls, descr, |m| {
                    !m.member.flags.contains(MemberFlags::READONLY)
                })?))
            },
            None,
        )
    }

    /// The type lookup of `name` on `cls` at its current version: a data descriptor goes
    /// to `data`, anything else (or nothing) decides `otherwise`.
    fn decide(
        vm: &VirtualMachine,
        cls: &Py<PyType>,
        name: &Py<PyStr>,
        data: impl FnOnce(&PyObject) -> Option<Found>,
        otherwise: Option<Found>,
    ) -> Option<(u32, Found)> {
        use std::sync::atomic::Ordering::Acquire;
        let version = cls.tp_version_tag().load(Acquire);
        if version == 0 {
            return None;
        }
        let name = vm.ctx.interned_str(name)?;
        let found = match cls.get_attr(name) {
            Some(descr) => {
                let dc = descr.class();
                if dc.slots.descr_get.load().is_some() && dc.slots.descr_set.load().is_some() {
                    data(&descr)?
                } else {
                    otherwise?
                }
            }
            None => otherwise?,
        };
        // Modified meanwhile: the answer may belong to the old version.
        (cls.tp_version_tag().load(Acquire) == version).then_some((version, found))
    }
}

use rustpython_vm::builtins::descriptor::{
    MemberAccess, MemberKind, PyMemberDescriptor, PyMemberFlags as MemberFlags,
};

/// The byte offset of `descr` when it is a `__slots__`-style member (an object pointer at
/// a fixed offset) that applies to instances of `cls` and passes `usable`; the checks
/// the interpreter makes before specializing to LoadAttrSlot/StoreAttrSlot.
fn slot_offset(
    cls: &Py<PyType>,
    descr: &PyObject,
    usable: impl FnOnce(&PyMemberDescriptor) -> bool,
) -> Option<i32> {
    let m = descr.downcast_ref::<PyMemberDescriptor>()?;
    let object_pointer = matches!(m.access, MemberAccess::Offset)
        && matches!(m.member.kind, MemberKind::Object | MemberKind::ObjectEx);
    (object_pointer && usable(m) && cls.fast_issubclass(&m.common.typ))
        .then(|| i32::try_from(m.member.offset).ok())
        .flatten()
        .filter(|o| o.abs() <= Found::MAX_OFFSET)
}

/// The `__slots__` cell of `owner` at byte `offset`.
///
/// # Safety
/// `offset` must come from [`slot_offset`] for a type `owner` is an instance of, checked
/// through the cache against the owner's type version. Such an offset addresses an
/// object-pointer cell of `owner`'s allocation (the layout the member descriptor was made
/// for: before the header in RustPython 0.6), which is what the VM's own
/// `get_slot`/`set_slot` assume; `PyObjectCell` is its transparent wrapper.
unsafe fn slot_cell(owner: &PyObject, offset: i32) -> &rustpython_vm::object::PyObjectCell {
    let addr = (owner as *const PyObject as *const u8).wrapping_offset(offset as isize);
    &*addr.cast::<rustpython_vm::object::PyObjectCell>()
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
            incref: incref as *const () as usize,
            decref: decref as *const () as usize,
            box_int: box_int as *const () as usize,
            box_float: box_float as *const () as usize,
            box_bool: box_bool as *const () as usize,
            backedge: crate::entry::backedge_check as *const () as usize,
            none: vm.ctx.none.as_object() as *const PyObject as usize,
            range_type: vm.ctx.types.range_type.as_object() as *const PyObject as usize,
            inline_refcounts: refcount_layout_ok(vm),
        }
    }
}

/// RustPython 0.6's reference-count word (the first word of every object): flag bits on
/// top, the strong count in the low 60 bits; immortal objects are never counted.
pub const REFCOUNT_IMMORTAL: u64 = 1 << 60;
pub const REFCOUNT_STRONG: u64 = (1 << 60) - 1;

/// Checks, on live objects, that the first word of an object is its reference count with
/// the layout above; native code counts references inline only if it is.
fn refcount_layout_ok(vm: &VirtualMachine) -> bool {
    static OK: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *OK.get_or_init(|| {
        let word = |o: &PyObject| unsafe {
            // SAFETY: every object starts with its (atomic, word-sized) reference count
            // field; this reads it while the object is alive.
            (*(o as *const PyObject as *const std::sync::atomic::AtomicU64))
                .load(std::sync::atomic::Ordering::Relaxed)
        };
        let o: PyObjectRef = vm.ctx.new_list(vec![]).into();
        let before = word(&o);
        let extra = o.clone();
        let after = word(&o);
        let counted = before & REFCOUNT_STRONG == o.strong_count() as u64 - 1
            && after == before + 1
            && before & REFCOUNT_IMMORTAL == 0;
        drop(extra);
        let restored = word(&o) == before;
        counted && restored
    })
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
    (Op::LoadGlobal, h_load_global),
    (Op::LoadAttr, h_load_attr),
    (Op::LoadMethod, h_load_method),
    (Op::StoreAttr, h_store_attr),
    (Op::BinaryOp, h_binary_op),
    (Op::BinarySlice, h_binary_slice),
    (Op::StoreSlice, h_store_slice),
    (Op::StoreSubscr, h_store_subscr),
    (Op::DeleteSubscr, h_delete_subscr),
    (Op::Compare, h_compare),
    (Op::Contains, h_contains),
    (Op::ToBool, h_to_bool),
    (Op::UnaryNegative, h_unary_negative),
    (Op::UnaryInvert, h_unary_invert),
    (Op::Call, h_call),
    (Op::CallKw, h_call_kw),
    (Op::CallEx, h_call_ex),
    (Op::BuildTuple, h_build_tuple),
    (Op::BuildList, h_build_list),
    (Op::BuildSet, h_build_set),
    (Op::BuildMap, h_build_map),
    (Op::BuildString, h_build_string),
    (Op::BuildSlice, h_build_slice),
    (Op::ListAppend, h_list_append),
    (Op::ListExtend, h_list_extend),
    (Op::SetAdd, h_set_add),
    (Op::SetUpdate, h_set_update),
    (Op::MapAdd, h_map_add),
    (Op::DictUpdate, h_dict_update),
    (Op::DictMerge, h_dict_merge),
    (Op::GetIter, h_get_iter),
    (Op::ForIter, h_for_iter),
    (Op::UnpackSequence, h_unpack_sequence),
    (Op::FormatSimple, h_format_simple),
    (Op::FormatWithSpec, h_format_with_spec),
    (Op::ConvertValue, h_convert_value),
    (Op::ListToTuple, h_list_to_tuple),
    (Op::Unbox, h_unbox),
    (Op::MakeCell, h_make_cell),
    (Op::FreeVar, h_free_var),
    (Op::LoadDeref, h_load_deref),
    (Op::StoreDeref, h_store_deref),
    (Op::DeleteDeref, h_delete_deref),
    (Op::StoreGlobal, h_store_global),
    (Op::DeleteGlobal, h_delete_global),
    (Op::DeleteAttr, h_delete_attr),
    (Op::MakeFunction, h_make_function),
    (Op::SetFunctionAttribute, h_set_function_attribute),
    (Op::LoadSpecial, h_load_special),
    (Op::LoadSuperAttr, h_load_super_attr),
    (Op::ImportName, h_import_name),
    (Op::ImportFrom, h_import_from),
    (Op::Raise, h_raise),
    (Op::UnpackEx, h_unpack_ex),
    (Op::UnaryPositive, h_unary_positive),
    (Op::CommonConstant, h_common_constant),
    (Op::MatchKind, h_match_kind),
    (Op::GetLen, h_get_len),
    (Op::MatchKeys, h_match_keys),
    (Op::MatchClass, h_match_class),
    (Op::Catch, h_catch),
    (Op::PushExcInfo, h_push_exc_info),
    (Op::PopExcept, h_pop_except),
    (Op::CheckExcMatch, h_check_exc_match),
    (Op::WithExceptStart, h_with_except_start),
    (Op::HandledException, h_handled_exception),
    (Op::KeepFrameLocals, h_keep_frame_locals),
];

// ---- raw references ---------------------------------------------------------------------

/// # Safety
/// `p` is a live object pointer owned by the caller for at least `'a`.
unsafe fn obj<'a>(p: u64) -> &'a PyObject {
    &*(p as *const PyObject)
}

/// Takes over one owned reference.
/// # Safety
/// `p` is a non-null pointer carrying an owned reference that the caller gives up.
unsafe fn take(p: u64) -> PyObjectRef {
    PyObjectRef::from_raw(NonNull::new_unchecked(p as *mut PyObject))
}

/// Hands one owned reference to native code.
fn give(o: PyObjectRef) -> u64 {
    PyObjectRef::into_raw(o).as_ptr() as u64
}

/// Releases the operands `ops[range]` (non-null entries) after a successful operation.
/// # Safety
/// Each non-zero entry carries an owned reference that native code gives up.
unsafe fn release(ops: *mut u64, n: usize) {
    for i in 0..n {
        let p = *ops.add(i);
        if p != 0 {
            drop(take(p));
        }
    }
}

/// Runs `f` for a helper: catches panics (they must not unwind into native frames) and
/// turns errors into a pending exception and a negative status.
///
/// # Safety
/// `ctx` points to the live `NativeCtx` of the native call that is calling the helper.
unsafe fn run(
    ctx: *const NativeCtx<'static>,
    f: impl FnOnce(&NativeCtx<'static>, &VirtualMachine) -> PyResult<i64>,
) -> i64 {
    let ctx = &*ctx;
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

/// `ops[i]` as a borrowed object.
macro_rules! arg {
    ($ops:expr, $i:expr) => {
        obj(*$ops.add($i))
    };
}

// ---- reference counting and boxing (never fail) -----------------------------------------

/// Adds a reference. Invariant: `p` is a live object (or 0, ignored).
pub unsafe extern "C" fn incref(p: u64) -> u64 {
    if p != 0 {
        std::mem::forget(obj(p).to_owned());
    }
    p
}

/// Drops a reference (0 is ignored). Invariant: `p` carries an owned reference. A panic in
/// a destructor is swallowed rather than unwinding into native code.
pub unsafe extern "C" fn decref(p: u64) -> u64 {
    if p != 0 {
        let _ = catch_unwind(AssertUnwindSafe(|| drop(take(p))));
    }
    0
}

thread_local! {
    static VM: std::cell::Cell<*const VirtualMachine> = const { std::cell::Cell::new(std::ptr::null()) };
}

/// Makes `vm` the VM boxing helpers allocate with on this thread while `f` runs.
pub fn with_vm<R>(vm: &VirtualMachine, f: impl FnOnce() -> R) -> R {
    let prev = VM.with(|c| c.replace(vm as *const _));
    let r = f();
    VM.with(|c| c.set(prev));
    r
}

/// The VM native code on this thread runs under (see [`with_vm`]), or null outside.
pub fn running_vm() -> *const VirtualMachine {
    VM.with(|c| c.get())
}

fn current_vm<'a>() -> &'a VirtualMachine {
    // SAFETY: boxing helpers run only inside native code entered under `with_vm`, which
    // keeps the VM alive and set for the whole call.
    unsafe { &*VM.with(|c| c.get()) }
}

/// Boxes an `i64` as an `int`. Invariant: called under `with_vm`.
pub unsafe extern "C" fn box_int(v: u64) -> u64 {
    give(current_vm().ctx.new_int(v as i64).into())
}

/// Boxes `f64` bits as a `float`. Invariant: called under `with_vm`.
pub unsafe extern "C" fn box_float(v: u64) -> u64 {
    give(current_vm().ctx.new_float(f64::from_bits(v)).into())
}

/// Boxes 0/1 as `False`/`True`. Invariant: called under `with_vm`.
pub unsafe extern "C" fn box_bool(v: u64) -> u64 {
    give(current_vm().ctx.new_bool(v != 0).into())
}

// ---- operations --------------------------------------------------------------------------

/// Name `i` of the code (the low half of a helper argument).
fn name<'a>(ctx: &'a NativeCtx<'static>, i: u64) -> &'a Py<PyStr> {
    ctx.code.code.names[(i & 0xffff_ffff) as usize]
}

/// LOAD_GLOBAL (arg = name index): globals, then builtins. ops[0] = value.
unsafe extern "C" fn h_load_global(ctx: *const NativeCtx<'static>, ops: *mut u64, arg: u64) -> i64 {
    run(ctx, |ctx, vm| {
        let name = name(ctx, arg);
        let v = match ctx.globals.get_item_opt(name, vm)? {
            Some(v) => v,
            None => match ctx.builtins.get_item(name, vm) {
                Ok(v) => v,
                Err(e) if e.fast_isinstance(vm.ctx.exceptions.key_error) => {
                    return Err(
                        vm.new_name_error(format!("name '{name}' is not defined"), name.to_owned())
                    )
                }
                Err(e) => return Err(e),
            },
        };
        *ops = give(v);
        Ok(0)
    })
}

/// LOAD_ATTR (arg = name index | (cache site + 1) << 32): ops[0] = owner → attribute.
unsafe extern "C" fn h_load_attr(ctx: *const NativeCtx<'static>, ops: *mut u64, arg: u64) -> i64 {
    run(ctx, |ctx, vm| {
        use std::sync::atomic::Ordering::Acquire;
        let owner = arg!(ops, 0);
        let name = name(ctx, arg);
        let cache = attr_cache(ctx, arg);
        let cls = owner.class();
        let found = cache.and_then(|c| c.lookup(cls.tp_version_tag().load(Acquire)));
        let fast = match found {
            Some(Found::InstanceDict) => match owner.dict() {
                Some(dict) => dict.get_item_opt(name, vm)?,
                None => None,
            },
            // SAFETY: a cached offset for the owner's type version (see `slot_cell`).
            Some(Found::Slot(offset)) => slot_cell(owner, offset).load_owned(),
            None => None,
        };
        let v = match fast {
            Some(v) => v,
            None => {
                let v = owner.get_attr(name, vm)?;
                // A hit that missed (a class attribute, an empty slot) keeps its entry.
                if let Some(c) = cache.filter(|c| found.is_none() && c.filling()) {
                    c.fill(AttrCache::decide_load(vm, cls, name));
                }
                v
            }
        };
        release(ops, 1);
        *ops = give(v);
        Ok(0)
    })
}

/// The cache of an attribute site, when native code passed one (`arg >> 32` = site + 1).
///
/// # Safety
/// Native code passes site numbers up to its `attr_sites`, the length of the cache array
/// `ctx.attr_caches` points to.
unsafe fn attr_cache<'a>(ctx: &'a NativeCtx<'static>, arg: u64) -> Option<&'a AttrCache> {
    let site = (arg >> 32) as usize;
    (site > 0).then(|| &*ctx.attr_caches.add(site - 1))
}

/// LOAD_ATTR in its method form (arg = name index): ops[0] = owner → ops = [function,
/// owner] when the attribute is a function or method descriptor found on the type (the call then
/// passes the owner as `self`, as the interpreter does), else [attribute, NULL].
unsafe extern "C" fn h_load_method(ctx: *const NativeCtx<'static>, ops: *mut u64, arg: u64) -> i64 {
    run(ctx, |ctx, vm| {
        let owner = arg!(ops, 0);
        let name = ctx.code.code.names[arg as usize];
        if let Some(func) = plain_method(vm, owner, name)? {
            // The owner's reference moves to the self slot.
            *ops.add(1) = *ops;
            *ops = give(func);
            return Ok(0);
        }
        let v = owner.get_attr(name, vm)?;
        release(ops, 1);
        *ops = give(v);
        *ops.add(1) = 0;
        Ok(0)
    })
}

/// The function `owner.name` would bind, when that is how the VM resolves it: the type's
/// attribute is an exact Python function or builtin method descriptor, the type uses the
/// default attribute lookup, and the instance dict does not shadow the name.
fn plain_method(
    vm: &VirtualMachine,
    owner: &PyObject,
    name: &'static rustpython_vm::builtins::PyStrInterned,
) -> PyResult<Option<PyObjectRef>> {
    let cls = owner.class();
    let default = vm.ctx.types.object_type.slots.getattro.load();
    let own = cls.slots.getattro.load();
    if own.map(|f| f as usize) != default.map(|f| f as usize) {
        return Ok(None);
    }
    let Some(descr) = cls.get_attr(name) else {
        return Ok(None);
    };
    if !is_unbound_method(vm, &descr) {
        return Ok(None);
    }
    if let Some(dict) = owner.dict() {
        if dict.get_item_opt(name, vm)?.is_some() {
            return Ok(None);
        }
    }
    Ok(Some(descr))
}

/// What the interpreter's method form (`PyMethod::get`) leaves unbound: Python functions
/// and builtin method descriptors (`list.append`, `set.add`, ...), never class or static
/// methods, which bind differently. Calling the descriptor with the owner first is the
/// call of the bound method, without allocating one.
fn is_unbound_method(vm: &VirtualMachine, descr: &PyObject) -> bool {
    descr.downcast_ref_if_exact::<PyFunction>(vm).is_some()
        || descr
            .downcast_ref_if_exact::<rustpython_vm::builtins::descriptor::PyMethodDescriptor>(vm)
            .is_some_and(|m| {
                !m.method.flags.intersects(
                    rustpython_vm::function::PyMethodFlags::CLASS
                        | rustpython_vm::function::PyMethodFlags::STATIC,
                )
            })
}

/// STORE_ATTR (arg = name index | (cache site + 1) << 32): ops = [value, owner].
unsafe extern "C" fn h_store_attr(ctx: *const NativeCtx<'static>, ops: *mut u64, arg: u64) -> i64 {
    run(ctx, |ctx, vm| {
        use std::sync::atomic::Ordering::Acquire;
        let value = arg!(ops, 0).to_owned();
        let owner = arg!(ops, 1);
        let cache = attr_cache(ctx, arg);
        let cls = owner.class();
        match cache.and_then(|c| c.lookup(cls.tp_version_tag().load(Acquire))) {
            // SAFETY: a cached offset for the owner's type version (see `slot_cell`).
            Some(Found::Slot(offset)) => drop(slot_cell(owner, offset).store(Some(value))),
            _ => {
                let name = name(ctx, arg);
                owner.set_attr(name, value, vm)?;
                if let Some(c) = cache.filter(|c| c.filling()) {
                    c.fill(AttrCache::decide_store(vm, cls, name));
                }
            }
        }
        release(ops, 2);
        Ok(0)
    })
}

fn binary(vm: &VirtualMachine, op: BinaryOperator, a: &PyObject, b: &PyObject) -> PyResult {
    use BinaryOperator as B;
    let none = vm.ctx.none.as_object();
    match op {
        B::Add => vm._add(a, b),
        B::And => vm._and(a, b),
        B::FloorDivide => vm._floordiv(a, b),
        B::Lshift => vm._lshift(a, b),
        B::MatrixMultiply => vm._matmul(a, b),
        B::Multiply => vm._mul(a, b),
        B::Remainder => vm._mod(a, b),
        B::Or => vm._or(a, b),
        B::Power => vm._pow(a, b, none),
        B::Rshift => vm._rshift(a, b),
        B::Subtract => vm._sub(a, b),
        B::TrueDivide => vm._truediv(a, b),
        B::Xor => vm._xor(a, b),
        B::InplaceAdd => vm._iadd(a, b),
        B::InplaceAnd => vm._iand(a, b),
        B::InplaceFloorDivide => vm._ifloordiv(a, b),
        B::InplaceLshift => vm._ilshift(a, b),
        B::InplaceMatrixMultiply => vm._imatmul(a, b),
        B::InplaceMultiply => vm._imul(a, b),
        B::InplaceRemainder => vm._imod(a, b),
        B::InplaceOr => vm._ior(a, b),
        B::InplacePower => vm._ipow(a, b, none),
        B::InplaceRshift => vm._irshift(a, b),
        B::InplaceSubtract => vm._isub(a, b),
        B::InplaceTrueDivide => vm._itruediv(a, b),
        B::InplaceXor => vm._ixor(a, b),
        B::Subscr => a.get_item(b, vm),
    }
}

/// BINARY_OP (arg = operator): ops = [a, b] → result.
unsafe extern "C" fn h_binary_op(ctx: *const NativeCtx<'static>, ops: *mut u64, arg: u64) -> i64 {
    run(ctx, |_, vm| {
        let op = BinaryOperator::try_from(arg as u32)
            .map_err(|_| vm.new_system_error("rpyjit: bad BINARY_OP operator"))?;
        let r = binary(vm, op, arg!(ops, 0), arg!(ops, 1))?;
        release(ops, 2);
        *ops = give(r);
        Ok(0)
    })
}

fn slice_of(vm: &VirtualMachine, start: &PyObject, stop: &PyObject) -> PyObjectRef {
    PySlice {
        start: Some(start.to_owned()),
        stop: stop.to_owned(),
        step: None,
    }
    .into_ref(&vm.ctx)
    .into()
}

/// BINARY_SLICE: ops = [container, start, stop] → container[start:stop].
unsafe extern "C" fn h_binary_slice(ctx: *const NativeCtx<'static>, ops: *mut u64, _: u64) -> i64 {
    run(ctx, |_, vm| {
        let slice = slice_of(vm, arg!(ops, 1), arg!(ops, 2));
        let r = arg!(ops, 0).get_item(&*slice, vm)?;
        release(ops, 3);
        *ops = give(r);
        Ok(0)
    })
}

/// STORE_SLICE: ops = [value, container, start, stop].
unsafe extern "C" fn h_store_slice(ctx: *const NativeCtx<'static>, ops: *mut u64, _: u64) -> i64 {
    run(ctx, |_, vm| {
        let slice = slice_of(vm, arg!(ops, 2), arg!(ops, 3));
        arg!(ops, 1).set_item(&*slice, arg!(ops, 0).to_owned(), vm)?;
        release(ops, 4);
        Ok(0)
    })
}

/// STORE_SUBSCR: ops = [value, container, key].
unsafe extern "C" fn h_store_subscr(ctx: *const NativeCtx<'static>, ops: *mut u64, _: u64) -> i64 {
    run(ctx, |_, vm| {
        arg!(ops, 1).set_item(arg!(ops, 2), arg!(ops, 0).to_owned(), vm)?;
        release(ops, 3);
        Ok(0)
    })
}

/// DELETE_SUBSCR: ops = [container, key].
unsafe extern "C" fn h_delete_subscr(ctx: *const NativeCtx<'static>, ops: *mut u64, _: u64) -> i64 {
    run(ctx, |_, vm| {
        arg!(ops, 0).del_item(arg!(ops, 1), vm)?;
        release(ops, 2);
        Ok(0)
    })
}

/// COMPARE_OP (arg = oparg): ops = [a, b]. With the bool bit (16) the status is the
/// truth of the result; without it ops[0] = the result object.
unsafe extern "C" fn h_compare(ctx: *const NativeCtx<'static>, ops: *mut u64, arg: u64) -> i64 {
    run(ctx, |_, vm| {
        let op = ComparisonOperator::try_from(arg as u32)
            .map_err(|_| vm.new_system_error("rpyjit: bad COMPARE_OP operator"))?;
        let cmp: PyComparisonOp = op.into();
        let r = arg!(ops, 0).rich_compare(arg!(ops, 1), cmp, vm)?;
        if arg & 16 != 0 {
            let t = r.try_to_bool(vm)?;
            release(ops, 2);
            Ok(i64::from(t))
        } else {
            release(ops, 2);
            *ops = give(r);
            Ok(0)
        }
    })
}

/// CONTAINS_OP (arg = invert): ops = [needle, haystack]; status = the result.
unsafe extern "C" fn h_contains(ctx: *const NativeCtx<'static>, ops: *mut u64, arg: u64) -> i64 {
    run(ctx, |_, vm| {
        let r = vm._contains(arg!(ops, 1), arg!(ops, 0))?;
        release(ops, 2);
        Ok(i64::from(r != (arg != 0)))
    })
}

/// TO_BOOL: ops = [v]; status = its truth.
unsafe extern "C" fn h_to_bool(ctx: *const NativeCtx<'static>, ops: *mut u64, _: u64) -> i64 {
    run(ctx, |_, vm| {
        let t = arg!(ops, 0).to_owned().try_to_bool(vm)?;
        release(ops, 1);
        Ok(i64::from(t))
    })
}

/// UNARY_NEGATIVE: ops = [v] → -v.
unsafe extern "C" fn h_unary_negative(
    ctx: *const NativeCtx<'static>,
    ops: *mut u64,
    _: u64,
) -> i64 {
    run(ctx, |_, vm| {
        let r = vm._neg(arg!(ops, 0))?;
        release(ops, 1);
        *ops = give(r);
        Ok(0)
    })
}

/// UNARY_INVERT: ops = [v] → ~v.
unsafe extern "C" fn h_unary_invert(ctx: *const NativeCtx<'static>, ops: *mut u64, _: u64) -> i64 {
    run(ctx, |_, vm| {
        let r = vm._invert(arg!(ops, 0))?;
        release(ops, 1);
        *ops = give(r);
        Ok(0)
    })
}

/// A call of a compiled function with the arguments where they are: the operand slots
/// `[callable, self_or_null, args...]` hold `self` (if set) and the arguments
/// contiguously. `None` when the callee is not a compiled function called with its exact
/// arity, or its native code cannot take these arguments as they are.
///
/// # Safety
/// `ops` holds a call's `2 + n` operand slots (live objects; the self slot may be NULL).
unsafe fn call_compiled_in_place(vm: &VirtualMachine, ops: *mut u64, n: usize) -> Option<PyResult> {
    let f = arg!(ops, 0).downcast_ref_if_exact::<PyFunction>(vm)?;
    let c = callee_info(f, vm)?;
    let compiled = c.compiled.as_ref().filter(|c| c.usable())?;
    let has_self = *ops.add(1) != 0;
    let first = if has_self { 1 } else { 2 };
    let argv = std::slice::from_raw_parts(ops.add(first), n + usize::from(has_self));
    if c.exact_argc != Some(argv.len() as u32) {
        return None;
    }
    crate::entry::call_compiled_borrowed(vm, compiled, f, argv)
}

/// Positional arguments of a call: `self` (if the self-or-null slot is set) then the
/// `n` values after it.
unsafe fn call_args(ops: *mut u64, n: usize) -> Vec<PyObjectRef> {
    let mut v = Vec::with_capacity(n + 1);
    if *ops.add(1) != 0 {
        v.push(arg!(ops, 1).to_owned());
    }
    for i in 0..n {
        v.push(arg!(ops, 2 + i).to_owned());
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
    /// Calls from native code so far while not compiled; at the threshold the function
    /// is compiled (functions without loops are compiled only this way).
    native_calls: u32,
    /// The JIT refused it: stop trying.
    refused: bool,
}

thread_local! {
    static CALLEES: RefCell<rustc_hash::FxHashMap<usize, Callee>> =
        RefCell::new(rustc_hash::FxHashMap::default());
}

fn callee_info(f: &Py<PyFunction>, vm: &VirtualMachine) -> Option<Callee> {
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
    let code = f.as_object().get_attr("__code__", vm).ok()?;
    let code = code.downcast_ref::<PyCode>()?;
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
    let c = Callee {
        version,
        exact_argc: plain.then_some(code.code.arg_count),
        // Only `f`'s own native code: a function made from another's stub code (other
        // globals or closure) runs in the interpreter through the stub.
        compiled: crate::entry::native_code_for(f, code),
        native_calls: 0,
        refused: false,
    };
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
    let due = CALLEES.with(|m| {
        let mut m = m.borrow_mut();
        let c = m.get_mut(&key)?;
        if c.refused {
            return None;
        }
        c.native_calls += 1;
        Some(c.native_calls >= crate::hotness::threshold(vm).max(1))
    })?;
    if !due || crate::entry::stepped_aside() {
        return None;
    }
    let func = f.to_owned();
    let code = f
        .as_object()
        .get_attr("__code__", vm)
        .ok()?
        .downcast::<PyCode>()
        .ok()?;
    // The function ran in the interpreter until now: its own code holds the profile.
    let plain = crate::hotness::uninstrumented(&code);
    let profile = Some((plain.clone(), 0));
    // Compiled with a stub when the function is counted (it has a loop or recurses: it
    // gains from native code whoever calls it), else for native callers only.
    let compiled = if crate::hotness::is_counted(&code) {
        crate::entry::compile_function_profiled(vm, &func, plain, profile)
            .ok()
            .and_then(|()| {
                let code = f.as_object().get_attr("__code__", vm).ok()?;
                crate::entry::compiled_for_code(code.downcast_ref::<PyCode>()?)
            })
    } else {
        let profile = profile.expect("a profile");
        crate::entry::compile_for_native_callers(vm, &func, plain, profile).ok()
    };
    // A stub changes the version with `__code__`: the next call refreshes the cache
    // entry. Code for native callers only is remembered here.
    CALLEES.with(|m| {
        if let Some(c) = m.borrow_mut().get_mut(&key) {
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
    if let Some(f) = callable.downcast_ref_if_exact::<PyFunction>(vm) {
        if let Some(c) = callee_info(f, vm) {
            if c.exact_argc == Some(args.len() as u32) {
                return call_exact(vm, f, c, args);
            }
        }
    }
    let args = match callable.downcast_ref::<PyType>() {
        Some(cls) => match instantiate(vm, callable, cls, args) {
            Ok(made) => return made,
            Err(args) => args,
        },
        None => args,
    };
    let nargs = args.len();
    callable.vectorcall(args, nargs, None, vm)
}

/// Calls `f` with exactly its positional arguments: natively when it is compiled (or
/// becomes hot now), else through the VM's exact-arguments path.
fn call_exact(
    vm: &VirtualMachine,
    f: &Py<PyFunction>,
    c: Callee,
    args: Vec<PyObjectRef>,
) -> PyResult {
    match c
        .compiled
        .filter(|c| c.usable())
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
) -> Result<PyResult, Vec<PyObjectRef>> {
    use rustpython_vm::types::PyTypeFlags;
    let object = &vm.ctx.types.object_type.slots;
    let same = |a: Option<usize>, b: Option<usize>| a.is_some() && a == b;
    let plain = callable.class().is(vm.ctx.types.type_type)
        && cls.slots.flags.has_feature(PyTypeFlags::HEAPTYPE)
        && same(
            cls.slots.new.load().map(|f| f as usize),
            object.new.load().map(|f| f as usize),
        )
        && same(
            cls.slots.alloc.load().map(|f| f as usize),
            object.alloc.load().map(|f| f as usize),
        );
    let init = plain
        .then(|| cls.get_attr(rustpython_vm::identifier!(vm, __init__)))
        .flatten();
    let Some(init) = init
        .as_ref()
        .and_then(|i| i.downcast_ref_if_exact::<PyFunction>(vm))
    else {
        return Err(args);
    };
    let Some(c) = callee_info(init, vm).filter(|c| c.exact_argc == Some(args.len() as u32 + 1))
    else {
        return Err(args);
    };
    let Some(alloc) = cls.slots.alloc.load() else {
        return Err(args);
    };
    Ok((|| {
        let obj = alloc(cls.to_owned(), 0, vm)?;
        let mut with_self = Vec::with_capacity(args.len() + 1);
        with_self.push(obj.clone());
        with_self.extend(args);
        let r = call_exact(vm, init, c, with_self)?;
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
unsafe extern "C" fn h_call(ctx: *const NativeCtx<'static>, ops: *mut u64, arg: u64) -> i64 {
    run(ctx, |_, vm| {
        let n = arg as usize;
        if let Some(r) = call_compiled_in_place(vm, ops, n) {
            let r = r?;
            release(ops, 2 + n);
            *ops = give(r);
            return Ok(0);
        }
        let args = call_args(ops, n);
        let r = call_positional(vm, arg!(ops, 0), args)?;
        release(ops, 2 + n);
        *ops = give(r);
        Ok(0)
    })
}

/// CALL_KW (arg = argc): ops = [callable, self_or_null, args..., kwnames] → result.
unsafe extern "C" fn h_call_kw(ctx: *const NativeCtx<'static>, ops: *mut u64, arg: u64) -> i64 {
    run(ctx, |_, vm| {
        let n = arg as usize;
        let kwnames = arg!(ops, 2 + n)
            .downcast_ref::<PyTuple>()
            .ok_or_else(|| vm.new_system_error("rpyjit: CALL_KW names are not a tuple"))?
            .as_slice()
            .to_vec();
        let args = call_args(ops, n);
        let nargs = args.len() - kwnames.len();
        let r = arg!(ops, 0).vectorcall(args, nargs, Some(&kwnames), vm)?;
        release(ops, 3 + n);
        *ops = give(r);
        Ok(0)
    })
}

/// CALL_FUNCTION_EX: ops = [callable, self_or_null, args (tuple), kwargs or NULL].
unsafe extern "C" fn h_call_ex(ctx: *const NativeCtx<'static>, ops: *mut u64, _: u64) -> i64 {
    run(ctx, |_, vm| {
        let mut pos: Vec<PyObjectRef> = Vec::new();
        if *ops.add(1) != 0 {
            pos.push(arg!(ops, 1).to_owned());
        }
        let args = arg!(ops, 2);
        match args.downcast_ref::<PyTuple>() {
            Some(t) => pos.extend(t.as_slice().iter().cloned()),
            None => pos.extend(args.try_to_value::<Vec<PyObjectRef>>(vm)?),
        }
        let mut fargs = FuncArgs::from(pos);
        if *ops.add(3) != 0 {
            let kw = arg!(ops, 3);
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
        let r = arg!(ops, 0).call(fargs, vm)?;
        release(ops, 4);
        *ops = give(r);
        Ok(0)
    })
}

unsafe fn items(ops: *mut u64, n: usize) -> Vec<PyObjectRef> {
    (0..n).map(|i| arg!(ops, i).to_owned()).collect()
}

/// BUILD_TUPLE (arg = n).
unsafe extern "C" fn h_build_tuple(ctx: *const NativeCtx<'static>, ops: *mut u64, arg: u64) -> i64 {
    run(ctx, |_, vm| {
        let t = vm.ctx.new_tuple(items(ops, arg as usize));
        release(ops, arg as usize);
        *ops = give(t.into());
        Ok(0)
    })
}

/// BUILD_LIST (arg = n).
unsafe extern "C" fn h_build_list(ctx: *const NativeCtx<'static>, ops: *mut u64, arg: u64) -> i64 {
    run(ctx, |_, vm| {
        let l = vm.ctx.new_list(items(ops, arg as usize));
        release(ops, arg as usize);
        *ops = give(l.into());
        Ok(0)
    })
}

/// BUILD_SET (arg = n).
unsafe extern "C" fn h_build_set(ctx: *const NativeCtx<'static>, ops: *mut u64, arg: u64) -> i64 {
    run(ctx, |_, vm| {
        let set = PySet::default().into_ref(&vm.ctx);
        for v in items(ops, arg as usize) {
            set.add(v, vm)?;
        }
        release(ops, arg as usize);
        *ops = give(set.into());
        Ok(0)
    })
}

/// BUILD_MAP (arg = n): ops = [k0, v0, k1, v1, ...].
unsafe extern "C" fn h_build_map(ctx: *const NativeCtx<'static>, ops: *mut u64, arg: u64) -> i64 {
    run(ctx, |_, vm| {
        let dict = vm.ctx.new_dict();
        for i in 0..arg as usize {
            dict.set_item(arg!(ops, 2 * i), arg!(ops, 2 * i + 1).to_owned(), vm)?;
        }
        release(ops, 2 * arg as usize);
        *ops = give(dict.into());
        Ok(0)
    })
}

/// BUILD_STRING (arg = n): concatenates n strings.
unsafe extern "C" fn h_build_string(
    ctx: *const NativeCtx<'static>,
    ops: *mut u64,
    arg: u64,
) -> i64 {
    run(ctx, |_, vm| {
        let mut s = rustpython_vm::common::wtf8::Wtf8Buf::new();
        for i in 0..arg as usize {
            let part = arg!(ops, i)
                .downcast_ref::<PyStr>()
                .ok_or_else(|| vm.new_system_error("rpyjit: BUILD_STRING on a non-str"))?;
            s.push_wtf8(part.as_wtf8());
        }
        release(ops, arg as usize);
        *ops = give(vm.ctx.new_str(s).into());
        Ok(0)
    })
}

/// BUILD_SLICE (arg = 2 or 3): ops = [start, stop(, step)].
unsafe extern "C" fn h_build_slice(ctx: *const NativeCtx<'static>, ops: *mut u64, arg: u64) -> i64 {
    run(ctx, |_, vm| {
        let step = (arg == 3).then(|| arg!(ops, 2).to_owned());
        let s = PySlice {
            start: Some(arg!(ops, 0).to_owned()),
            stop: arg!(ops, 1).to_owned(),
            step,
        }
        .into_ref(&vm.ctx);
        release(ops, arg as usize);
        *ops = give(s.into());
        Ok(0)
    })
}

/// LIST_APPEND: ops = [list (borrowed, stays), item].
unsafe extern "C" fn h_list_append(ctx: *const NativeCtx<'static>, ops: *mut u64, _: u64) -> i64 {
    run(ctx, |_, vm| {
        let list = arg!(ops, 0)
            .downcast_ref::<PyList>()
            .ok_or_else(|| vm.new_system_error("rpyjit: LIST_APPEND on a non-list"))?;
        list.borrow_vec_mut().push(arg!(ops, 1).to_owned());
        drop(take(*ops.add(1)));
        Ok(0)
    })
}

/// LIST_EXTEND: ops = [list (borrowed, stays), iterable].
unsafe extern "C" fn h_list_extend(ctx: *const NativeCtx<'static>, ops: *mut u64, _: u64) -> i64 {
    run(ctx, |_, vm| {
        let list = arg!(ops, 0)
            .downcast_ref::<PyList>()
            .ok_or_else(|| vm.new_system_error("rpyjit: LIST_EXTEND on a non-list"))?;
        let iterable = arg!(ops, 1).to_owned();
        let type_name = iterable.class().name().to_owned();
        let not_iterable = iterable.class().slots().iter.load().is_none()
            && iterable
                .get_class_attr(vm.ctx.intern_str("__getitem__"))
                .is_none();
        vm.call_method(list.as_object(), "extend", (iterable,))
            .map(drop)
            .map_err(|e| {
                if not_iterable && e.class().is(vm.ctx.exceptions.type_error) {
                    vm.new_type_error(format!(
                        "Value after * must be an iterable, not {type_name}"
                    ))
                } else {
                    e
                }
            })?;
        drop(take(*ops.add(1)));
        Ok(0)
    })
}

/// SET_ADD: ops = [set (borrowed, stays), item].
unsafe extern "C" fn h_set_add(ctx: *const NativeCtx<'static>, ops: *mut u64, _: u64) -> i64 {
    run(ctx, |_, vm| {
        let set = arg!(ops, 0)
            .downcast_ref::<PySet>()
            .ok_or_else(|| vm.new_system_error("rpyjit: SET_ADD on a non-set"))?;
        set.add(arg!(ops, 1).to_owned(), vm)?;
        drop(take(*ops.add(1)));
        Ok(0)
    })
}

/// SET_UPDATE: ops = [set (borrowed, stays), iterable].
unsafe extern "C" fn h_set_update(ctx: *const NativeCtx<'static>, ops: *mut u64, _: u64) -> i64 {
    run(ctx, |_, vm| {
        let set = arg!(ops, 0).to_owned();
        vm.call_method(&set, "update", (arg!(ops, 1).to_owned(),))?;
        drop(take(*ops.add(1)));
        Ok(0)
    })
}

/// MAP_ADD: ops = [dict (borrowed, stays), key, value].
unsafe extern "C" fn h_map_add(ctx: *const NativeCtx<'static>, ops: *mut u64, _: u64) -> i64 {
    run(ctx, |_, vm| {
        let dict = arg!(ops, 0)
            .downcast_ref::<PyDict>()
            .ok_or_else(|| vm.new_system_error("rpyjit: MAP_ADD on a non-dict"))?;
        dict.set_item(arg!(ops, 1), arg!(ops, 2).to_owned(), vm)?;
        drop(take(*ops.add(1)));
        drop(take(*ops.add(2)));
        Ok(0)
    })
}

/// DICT_UPDATE: ops = [dict (borrowed, stays), mapping].
unsafe extern "C" fn h_dict_update(ctx: *const NativeCtx<'static>, ops: *mut u64, _: u64) -> i64 {
    run(ctx, |_, vm| {
        let dict = arg!(ops, 0).to_owned();
        let other = arg!(ops, 1).to_owned();
        if other.get_attr("keys", vm).is_err() {
            return Err(vm.new_type_error(format!(
                "'{}' object is not a mapping",
                other.class().name()
            )));
        }
        vm.call_method(&dict, "update", (other,))?;
        drop(take(*ops.add(1)));
        Ok(0)
    })
}

/// DICT_MERGE (the `**mapping` of a call): ops = [dict (borrowed, stays), mapping]. An
/// exact dict with string keys none of which is already there is merged; anything else
/// (a duplicate keyword, another mapping) is status 1, with nothing changed, and the
/// interpreter merges or raises with the callee's name in its message.
unsafe extern "C" fn h_dict_merge(ctx: *const NativeCtx<'static>, ops: *mut u64, _: u64) -> i64 {
    run(ctx, |_, vm| {
        let (Some(dict), Some(src)) = (
            arg!(ops, 0).downcast_ref::<PyDict>(),
            arg!(ops, 1).downcast_ref_if_exact::<PyDict>(vm),
        ) else {
            return Ok(1);
        };
        let items = src.items_vec();
        for (k, _) in &items {
            if !k.class().is(vm.ctx.types.str_type) || dict.contains_key(&**k, vm) {
                return Ok(1);
            }
        }
        for (k, v) in items {
            dict.set_item(&*k, v, vm)?;
        }
        drop(take(*ops.add(1)));
        Ok(0)
    })
}

/// GET_ITER: ops = [iterable] → iterator.
unsafe extern "C" fn h_get_iter(ctx: *const NativeCtx<'static>, ops: *mut u64, _: u64) -> i64 {
    run(ctx, |_, vm| {
        let it = arg!(ops, 0).to_owned().get_iter(vm)?;
        release(ops, 1);
        *ops = give(it.into());
        Ok(0)
    })
}

/// FOR_ITER: ops = [iterator (borrowed, stays)]; status 0 with ops[1] = the next value,
/// or 1 when exhausted.
unsafe extern "C" fn h_for_iter(ctx: *const NativeCtx<'static>, ops: *mut u64, _: u64) -> i64 {
    use rustpython_vm::protocol::{PyIter, PyIterReturn};
    run(ctx, |_, vm| match PyIter::new(arg!(ops, 0)).next(vm)? {
        PyIterReturn::Return(v) => {
            *ops.add(1) = give(v);
            Ok(0)
        }
        PyIterReturn::StopIteration(_) => Ok(1),
    })
}

/// UNPACK_SEQUENCE (arg = n): ops = [seq] → ops[0..n] in stack order (the first item on
/// top, as the interpreter leaves them).
unsafe extern "C" fn h_unpack_sequence(
    ctx: *const NativeCtx<'static>,
    ops: *mut u64,
    arg: u64,
) -> i64 {
    run(ctx, |_, vm| {
        let n = arg as usize;
        let seq = arg!(ops, 0);
        // Only exact tuples and lists are read directly, as the interpreter does: a
        // subclass iterates (a struct sequence like `time.struct_time` holds more fields
        // than it yields).
        let elements: Vec<PyObjectRef> = match seq.downcast_ref_if_exact::<PyTuple>(vm) {
            Some(t) => t.as_slice().to_vec(),
            None => match seq.downcast_ref_if_exact::<PyList>(vm) {
                Some(l) => l.borrow_vec().to_vec(),
                None => {
                    let not_iterable = seq.class().slots().iter.load().is_none()
                        && seq
                            .class()
                            .get_attr(vm.ctx.intern_str("__getitem__"))
                            .is_none();
                    let it = seq.to_owned().get_iter(vm).map_err(|e| {
                        if not_iterable && e.class().is(vm.ctx.exceptions.type_error) {
                            vm.new_type_error(format!(
                                "cannot unpack non-iterable {} object",
                                seq.class().name()
                            ))
                        } else {
                            e
                        }
                    })?;
                    let mut v = Vec::with_capacity(n);
                    use rustpython_vm::protocol::PyIterReturn;
                    loop {
                        match it.next(vm)? {
                            PyIterReturn::Return(x) => {
                                if v.len() == n {
                                    return Err(vm.new_value_error(format!(
                                        "too many values to unpack (expected {n})"
                                    )));
                                }
                                v.push(x);
                            }
                            PyIterReturn::StopIteration(_) => break,
                        }
                    }
                    v
                }
            },
        };
        if elements.len() != n {
            return Err(if elements.len() < n {
                vm.new_value_error(format!(
                    "not enough values to unpack (expected {n}, got {})",
                    elements.len()
                ))
            } else {
                vm.new_value_error(format!(
                    "too many values to unpack (expected {n}, got {})",
                    elements.len()
                ))
            });
        }
        release(ops, 1);
        for (i, v) in elements.into_iter().rev().enumerate() {
            *ops.add(i) = give(v);
        }
        Ok(0)
    })
}

/// FORMAT_SIMPLE: ops = [v] → format(v, '').
unsafe extern "C" fn h_format_simple(ctx: *const NativeCtx<'static>, ops: *mut u64, _: u64) -> i64 {
    run(ctx, |_, vm| {
        let s = vm.format(arg!(ops, 0), vm.ctx.new_str(""))?;
        release(ops, 1);
        *ops = give(s.into());
        Ok(0)
    })
}

/// FORMAT_WITH_SPEC: ops = [v, spec] → format(v, spec).
unsafe extern "C" fn h_format_with_spec(
    ctx: *const NativeCtx<'static>,
    ops: *mut u64,
    _: u64,
) -> i64 {
    run(ctx, |_, vm| {
        let spec = arg!(ops, 1)
            .to_owned()
            .downcast::<PyStr>()
            .map_err(|_| vm.new_system_error("rpyjit: format spec is not a str"))?;
        let s = vm.format(arg!(ops, 0), spec)?;
        release(ops, 2);
        *ops = give(s.into());
        Ok(0)
    })
}

/// CONVERT_VALUE (arg = 1 str, 2 repr, 3 ascii): ops = [v] → converted.
unsafe extern "C" fn h_convert_value(
    ctx: *const NativeCtx<'static>,
    ops: *mut u64,
    arg: u64,
) -> i64 {
    run(ctx, |_, vm| {
        let v = arg!(ops, 0);
        let r: PyObjectRef = match arg {
            1 => v.str(vm)?.into(),
            2 => v.repr(vm)?.into(),
            3 => vm
                .builtins
                .get_attr("ascii", vm)?
                .call((v.to_owned(),), vm)?,
            _ => v.to_owned(),
        };
        release(ops, 1);
        *ops = give(r);
        Ok(0)
    })
}

/// CALL_INTRINSIC_1 INTRINSIC_LIST_TO_TUPLE: ops = [list] → tuple.
unsafe extern "C" fn h_list_to_tuple(ctx: *const NativeCtx<'static>, ops: *mut u64, _: u64) -> i64 {
    run(ctx, |_, vm| {
        let list = arg!(ops, 0)
            .downcast_ref::<PyList>()
            .ok_or_else(|| vm.new_system_error("rpyjit: LIST_TO_TUPLE on a non-list"))?;
        let t = vm.ctx.new_tuple(list.borrow_vec().to_vec());
        release(ops, 1);
        *ops = give(t.into());
        Ok(0)
    })
}

/// Speculative unboxing (arg 0 = int, 1 = float): ops[0] = an object (borrowed) →
/// status 0 with ops[1] = its `i64` / `f64` bits if it is an exact int in range / an
/// exact float, else status 1 (the guard fails; nothing raised).
unsafe extern "C" fn h_unbox(ctx: *const NativeCtx<'static>, ops: *mut u64, arg: u64) -> i64 {
    run(ctx, |_, vm| {
        let o = arg!(ops, 0);
        let bits = if arg == 0 {
            o.downcast_ref_if_exact::<rustpython_vm::builtins::PyInt>(vm)
                .and_then(|i| i64::try_from(i.as_bigint()).ok())
                .map(|v| v as u64)
        } else {
            o.downcast_ref_if_exact::<rustpython_vm::builtins::PyFloat>(vm)
                .map(|f| f.to_f64().to_bits())
        };
        Ok(match bits {
            Some(b) => {
                *ops.add(1) = b;
                0
            }
            None => 1,
        })
    })
}

/// MAKE_CELL: ops[0] = the slot's value or NULL (consumed) → a new cell holding it.
unsafe extern "C" fn h_make_cell(ctx: *const NativeCtx<'static>, ops: *mut u64, _: u64) -> i64 {
    run(ctx, |_, vm| {
        let cell_type = vm.ctx.types.cell_type.as_object();
        let cell = if *ops == 0 {
            cell_type.call((), vm)?
        } else {
            cell_type.call((arg!(ops, 0).to_owned(),), vm)?
        };
        release(ops, 1);
        *ops = give(cell);
        Ok(0)
    })
}

/// COPY_FREE_VARS, one variable (arg = its index in the closure) → ops[0] = the cell.
unsafe extern "C" fn h_free_var(ctx: *const NativeCtx<'static>, ops: *mut u64, arg: u64) -> i64 {
    run(ctx, |ctx, vm| {
        let closure = ctx.func.as_object().get_attr("__closure__", vm)?;
        let closure = closure
            .downcast_ref::<PyTuple>()
            .ok_or_else(|| vm.new_system_error("rpyjit: function without its closure"))?;
        let cell = closure
            .as_slice()
            .get(arg as usize)
            .ok_or_else(|| vm.new_system_error("rpyjit: closure too short"))?;
        *ops = give(cell.clone());
        Ok(0)
    })
}

/// The cell type's `cell_contents` descriptor: a cell's value is only reachable through it
/// from outside the VM. Builtin types are immutable and live as long as the process, so
/// it is looked up once and one reference to it is kept for good; calling its get and set
/// slots directly ([`cell_get`], [`cell_set`]) skips the generic attribute lookup on every
/// access.
fn cell_contents(vm: &VirtualMachine) -> &'static PyObject {
    static DESCR: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    let p = *DESCR.get_or_init(|| {
        let name = vm.ctx.intern_str("cell_contents");
        let descr = vm
            .ctx
            .types
            .cell_type
            .get_attr(name)
            .expect("the cell type has cell_contents");
        give(descr) as usize
    });
    // SAFETY: `p` holds a reference that is never released.
    unsafe { &*(p as *const PyObject) }
}

fn not_a_descriptor(vm: &VirtualMachine) -> PyBaseExceptionRef {
    vm.new_system_error("rpyjit: cell_contents is not a descriptor")
}

/// `cell.cell_contents`: ValueError when the cell is empty.
pub(crate) fn cell_get(vm: &VirtualMachine, cell: &PyObject) -> PyResult {
    let descr = cell_contents(vm);
    let get = descr
        .class()
        .slots
        .descr_get
        .load()
        .ok_or_else(|| not_a_descriptor(vm))?;
    get(descr, Some(cell), None, vm)
}

/// Sets (or, with `Delete`, empties) `cell`'s contents.
fn cell_set(
    vm: &VirtualMachine,
    cell: &PyObject,
    value: rustpython_vm::function::PySetterValue,
) -> PyResult<()> {
    let descr = cell_contents(vm);
    let set = descr
        .class()
        .slots
        .descr_set
        .load()
        .ok_or_else(|| not_a_descriptor(vm))?;
    set(descr, cell.to_owned(), value, vm)
}

/// LOAD_DEREF: ops[0] = the cell (borrowed, stays) → status 0 and ops[1] = its contents,
/// or status 1 when it is empty (the interpreter then raises its own error).
unsafe extern "C" fn h_load_deref(ctx: *const NativeCtx<'static>, ops: *mut u64, _: u64) -> i64 {
    run(ctx, |_, vm| match cell_get(vm, arg!(ops, 0)) {
        Ok(v) => {
            *ops.add(1) = give(v);
            Ok(0)
        }
        Err(e) if e.fast_isinstance(vm.ctx.exceptions.value_error) => Ok(1),
        Err(e) => Err(e),
    })
}

/// STORE_DEREF: ops = [cell (borrowed, stays), value (consumed)].
unsafe extern "C" fn h_store_deref(ctx: *const NativeCtx<'static>, ops: *mut u64, _: u64) -> i64 {
    run(ctx, |_, vm| {
        // The value's reference is given up only on success: a failing store leaves it to
        // the exit, as every operand.
        let value = arg!(ops, 1).to_owned();
        cell_set(
            vm,
            arg!(ops, 0),
            rustpython_vm::function::PySetterValue::Assign(value),
        )?;
        release(ops.add(1), 1);
        Ok(0)
    })
}

/// DELETE_DEREF: ops[0] = the cell (borrowed, stays), emptied. Like RustPython 0.6's
/// interpreter, deleting an empty cell is not an error.
unsafe extern "C" fn h_delete_deref(ctx: *const NativeCtx<'static>, ops: *mut u64, _: u64) -> i64 {
    run(ctx, |_, vm| {
        cell_set(
            vm,
            arg!(ops, 0),
            rustpython_vm::function::PySetterValue::Delete,
        )?;
        Ok(0)
    })
}

/// Raw pointer of a constant or any object native code embeds (kept alive by its owner).
pub fn address_of(o: &PyObject) -> u64 {
    o as *const PyObject as u64
}

// ---- globals, functions, imports, `with`, `super()`, raise --------------------------------
//
// Where the interpreter's own error for a failing case needs state native code does not
// have (a message built from private VM functions), the helper returns status 1 without
// side effects and native code exits *before* the instruction (a guard), so the
// interpreter runs it and raises exactly as it would have.

/// STORE_GLOBAL (arg = name index): ops = [value].
unsafe extern "C" fn h_store_global(
    ctx: *const NativeCtx<'static>,
    ops: *mut u64,
    arg: u64,
) -> i64 {
    run(ctx, |ctx, vm| {
        ctx.globals
            .set_item(name(ctx, arg), arg!(ops, 0).to_owned(), vm)?;
        release(ops, 1);
        Ok(0)
    })
}

/// DELETE_GLOBAL (arg = name index): no operands; status 1 if the name is not bound
/// (the interpreter raises its NameError).
unsafe extern "C" fn h_delete_global(ctx: *const NativeCtx<'static>, _: *mut u64, arg: u64) -> i64 {
    run(ctx, |ctx, vm| {
        match ctx.globals.del_item(name(ctx, arg), vm) {
            Ok(()) => Ok(0),
            Err(e) if e.fast_isinstance(vm.ctx.exceptions.key_error) => Ok(1),
            Err(e) => Err(e),
        }
    })
}

/// DELETE_ATTR (arg = name index): ops = [owner].
unsafe extern "C" fn h_delete_attr(ctx: *const NativeCtx<'static>, ops: *mut u64, arg: u64) -> i64 {
    run(ctx, |ctx, vm| {
        arg!(ops, 0).del_attr(name(ctx, arg), vm)?;
        release(ops, 1);
        Ok(0)
    })
}

/// MAKE_FUNCTION: ops = [code] → the function, with the running function's globals (and
/// so its builtins), as `types.FunctionType(code, globals)` builds it. A code with free
/// variables needs its closure at construction: `arg` = 1 says the closure tuple is the
/// stack value below the code (ops[1], borrowed; the SET_FUNCTION_ATTRIBUTE that follows
/// finds it already set).
unsafe extern "C" fn h_make_function(
    ctx: *const NativeCtx<'static>,
    ops: *mut u64,
    arg: u64,
) -> i64 {
    run(ctx, |ctx, vm| {
        let code = arg!(ops, 0).to_owned();
        let free = code
            .downcast_ref::<PyCode>()
            .is_some_and(|c| !c.code.freevars.is_empty());
        if free && arg == 0 {
            return Ok(1);
        }
        let mut args = FuncArgs::from(vec![code, ctx.globals.clone().into()]);
        if arg == 1 {
            args.kwargs
                .insert("closure".into(), arg!(ops, 1).to_owned());
        }
        let f = vm.ctx.types.function_type.as_object().call(args, vm)?;
        release(ops, 1);
        *ops = give(f);
        Ok(0)
    })
}

/// SET_FUNCTION_ATTRIBUTE (arg = flag): ops = [value, function] → the function. The
/// closure (flag 8) was given at construction: status 1 (the interpreter sets it) unless
/// the function holds exactly this tuple.
unsafe extern "C" fn h_set_function_attribute(
    ctx: *const NativeCtx<'static>,
    ops: *mut u64,
    arg: u64,
) -> i64 {
    run(ctx, |_, vm| {
        let (value, func) = (arg!(ops, 0), arg!(ops, 1));
        let attr = match arg {
            1 => "__defaults__",
            2 => "__kwdefaults__",
            4 => "__annotations__",
            8 => {
                let closure = func.get_attr("__closure__", vm)?;
                if !closure.is(value) {
                    return Ok(1);
                }
                drop(take(*ops));
                *ops = *ops.add(1);
                return Ok(0);
            }
            16 => "__annotate__",
            32 => "__type_params__",
            _ => return Ok(1),
        };
        func.set_attr(attr, value.to_owned(), vm)?;
        drop(take(*ops));
        *ops = *ops.add(1);
        Ok(0)
    })
}

/// LOAD_SPECIAL (arg = which method): ops = [owner] → [callable, self or NULL], as the
/// VM's special-method lookup (on the type only). Status 1 when the type has no such
/// method or it is not a plain method (the interpreter raises or binds it itself).
unsafe extern "C" fn h_load_special(
    ctx: *const NativeCtx<'static>,
    ops: *mut u64,
    arg: u64,
) -> i64 {
    run(ctx, |_, vm| {
        use rustpython_vm::types::PyTypeFlags;
        let name = match arg {
            0 => "__enter__",
            1 => "__exit__",
            2 => "__aenter__",
            3 => "__aexit__",
            _ => return Ok(1),
        };
        let owner = arg!(ops, 0);
        let Some(func) = owner.class().get_attr(vm.ctx.intern_str(name)) else {
            return Ok(1);
        };
        if !func
            .class()
            .slots
            .flags
            .has_feature(PyTypeFlags::METHOD_DESCRIPTOR)
        {
            return Ok(1);
        }
        // The owner's reference moves to the self slot.
        *ops.add(1) = *ops;
        *ops = give(func);
        Ok(0)
    })
}

/// LOAD_SUPER_ATTR (arg = oparg): ops = [super, class, self] →
/// [attribute] or, with the method bit, [callable, self or NULL]. With the builtin `super`,
/// methods are found on the MRO after `class` without a super object, as the interpreter's
/// specialized forms do; anything else calls `super(class, self)`.
unsafe extern "C" fn h_load_super_attr(
    ctx: *const NativeCtx<'static>,
    ops: *mut u64,
    arg: u64,
) -> i64 {
    run(ctx, |ctx, vm| {
        use rustpython_vm::bytecode::LoadSuperAttr;
        let oparg = LoadSuperAttr::from_u32(arg as u32);
        let name = ctx.code.code.names[oparg.name_idx() as usize];
        let (sup, class, this) = (arg!(ops, 0), arg!(ops, 1), arg!(ops, 2));
        if oparg.is_load_method() && sup.is(vm.ctx.types.super_type.as_object()) {
            if let Some(class) = class.downcast_ref::<PyType>() {
                let start = this.class();
                let mro: Vec<rustpython_vm::PyRef<PyType>> =
                    start.mro_map_collect(|x| x.to_owned());
                let found = mro
                    .iter()
                    .skip_while(|c| !c.is(class))
                    .skip(1)
                    .find_map(|c| c.get_direct_attr(name));
                if let Some(descr) = found {
                    // Not when `self` is the class itself (a class method's `super()`).
                    if is_unbound_method(vm, &descr) && !start.is(this) {
                        drop(take(*ops));
                        drop(take(*ops.add(1)));
                        *ops = give(descr);
                        *ops.add(1) = *ops.add(2);
                        return Ok(0);
                    }
                }
            }
        }
        // Zero-argument `super()` would read the running frame: it gets the class and
        // first argument the compiler loaded for it. A `super` that is not the builtin is
        // called the way the bytecode says.
        let s = if oparg.has_class() || sup.is(vm.ctx.types.super_type.as_object()) {
            sup.call((class.to_owned(), this.to_owned()), vm)?
        } else {
            sup.call((), vm)?
        };
        let v = s.get_attr(name, vm)?;
        release(ops, 3);
        *ops = give(v);
        if oparg.is_load_method() {
            *ops.add(1) = 0;
        }
        Ok(0)
    })
}

/// IMPORT_NAME (arg = name index): ops = [level, fromlist] → the module, through the
/// function's `__import__` with its globals (as CPython, no locals for a function).
unsafe extern "C" fn h_import_name(ctx: *const NativeCtx<'static>, ops: *mut u64, arg: u64) -> i64 {
    run(ctx, |ctx, vm| {
        use rustpython_vm::TryFromObject;
        let name = name(ctx, arg);
        let level = usize::try_from_object(vm, arg!(ops, 0).to_owned())?;
        let import = match ctx.builtins.downcast_ref::<PyDict>() {
            Some(d) => d.get_item_opt("__import__", vm)?,
            None => ctx.builtins.get_item("__import__", vm).ok(),
        }
        .ok_or_else(|| vm.new_import_error("__import__ not found", name.to_owned()))?;
        let m = import
            .call(
                (
                    name.to_owned(),
                    ctx.globals.clone(),
                    vm.ctx.none(),
                    arg!(ops, 1).to_owned(),
                    level,
                ),
                vm,
            )
            .inspect_err(|e| rustpython_vm::import::remove_importlib_frames(vm, e))?;
        release(ops, 2);
        *ops = give(m);
        Ok(0)
    })
}

/// IMPORT_FROM (arg = name index): ops = [module (borrowed, stays)] → ops[1] = the name,
/// from the module or else `sys.modules['module.name']`; status 1 if neither has it (the
/// interpreter raises its ImportError with the right hints).
unsafe extern "C" fn h_import_from(ctx: *const NativeCtx<'static>, ops: *mut u64, arg: u64) -> i64 {
    run(ctx, |ctx, vm| {
        let module = arg!(ops, 0);
        let name = name(ctx, arg);
        if let Some(v) = vm.get_attribute_opt(module, name)? {
            *ops.add(1) = give(v);
            return Ok(0);
        }
        let sub = (|| {
            let m = module.get_attr("__name__", vm).ok()?;
            let m = m.downcast_ref::<rustpython_vm::builtins::PyUtf8Str>()?;
            let full = vm.ctx.new_str(format!("{}.{name}", m.as_str()));
            vm.sys_module
                .get_attr("modules", vm)
                .ok()?
                .get_item(&*full, vm)
                .ok()
        })();
        match sub {
            Some(v) => {
                *ops.add(1) = give(v);
                Ok(0)
            }
            None => Ok(1),
        }
    })
}

/// RAISE_VARARGS 1 or 2 (arg = argc): ops = [exc] or [exc, cause]. Always fails: the
/// exception (instantiated, with its cause) is raised at the instruction.
unsafe extern "C" fn h_raise(ctx: *const NativeCtx<'static>, ops: *mut u64, arg: u64) -> i64 {
    run(ctx, |_, vm| {
        use rustpython_vm::exceptions::ExceptionCtor;
        use rustpython_vm::TryFromObject;
        let cause = if arg == 2 {
            let c = arg!(ops, 1);
            Some(if vm.is_none(c) {
                None
            } else {
                let ctor = ExceptionCtor::try_from_object(vm, c.to_owned()).map_err(|_| {
                    vm.new_type_error("exception causes must derive from BaseException")
                })?;
                Some(ctor.instantiate(vm)?)
            })
        } else {
            None
        };
        let exc = ExceptionCtor::try_from_object(vm, arg!(ops, 0).to_owned())?.instantiate(vm)?;
        if let Some(cause) = cause {
            exc.set_cause(cause);
        }
        Err(exc)
    })
}

/// UNPACK_EX (arg = before | after << 8): ops = [sequence] → `before` values, the list of
/// the rest, `after` values, in stack order (bottom first), as the interpreter unpacks.
unsafe extern "C" fn h_unpack_ex(ctx: *const NativeCtx<'static>, ops: *mut u64, arg: u64) -> i64 {
    run(ctx, |_, vm| {
        let (before, after) = ((arg & 0xff) as usize, (arg >> 8) as usize);
        let value = arg!(ops, 0);
        let not_iterable = value.class().slots.iter.load().is_none()
            && value
                .class()
                .get_attr(vm.ctx.intern_str("__getitem__"))
                .is_none();
        let mut elements: Vec<PyObjectRef> = value.try_to_value(vm).map_err(|e| {
            if not_iterable && e.class().is(vm.ctx.exceptions.type_error) {
                vm.new_type_error(format!(
                    "cannot unpack non-iterable {} object",
                    value.class().name()
                ))
            } else {
                e
            }
        })?;
        let middle = elements.len().checked_sub(before + after).ok_or_else(|| {
            vm.new_value_error(format!(
                "not enough values to unpack (expected at least {}, got {})",
                before + after,
                elements.len()
            ))
        })?;
        release(ops, 1);
        // The stack gets the last value deepest and the first on top.
        let tail: Vec<PyObjectRef> = elements.drain(before + middle..).collect();
        let rest = vm.ctx.new_list(elements.drain(before..).collect());
        let mut slot = 0;
        for v in tail.into_iter().rev() {
            *ops.add(slot) = give(v);
            slot += 1;
        }
        *ops.add(slot) = give(rest.into());
        slot += 1;
        for v in elements.into_iter().rev() {
            *ops.add(slot) = give(v);
            slot += 1;
        }
        Ok(0)
    })
}

/// CALL_INTRINSIC_1 UNARY_POSITIVE: ops = [x] → `+x`.
unsafe extern "C" fn h_unary_positive(
    ctx: *const NativeCtx<'static>,
    ops: *mut u64,
    _: u64,
) -> i64 {
    run(ctx, |_, vm| {
        let r = vm._pos(arg!(ops, 0))?;
        release(ops, 1);
        *ops = give(r);
        Ok(0)
    })
}

/// LOAD_COMMON_CONSTANT (arg = which): → ops[0], the object the interpreter would push
/// (for `all` and `any`, the builtins as the interpreter started, kept by [`install`]:
/// the compiler's inlined `all(genexpr)` checks the global against them).
unsafe extern "C" fn h_common_constant(
    ctx: *const NativeCtx<'static>,
    ops: *mut u64,
    arg: u64,
) -> i64 {
    run(ctx, |_, vm| {
        let v: PyObjectRef = match arg {
            0 => vm.ctx.exceptions.assertion_error.to_owned().into(),
            1 => vm.ctx.exceptions.not_implemented_error.to_owned().into(),
            2 => vm.ctx.types.tuple_type.to_owned().into(),
            3 => vm.builtins.get_attr(ORIGINAL_ALL, vm)?,
            4 => vm.builtins.get_attr(ORIGINAL_ANY, vm)?,
            5 => vm.ctx.types.list_type.to_owned().into(),
            6 => vm.ctx.types.set_type.to_owned().into(),
            _ => return Err(vm.new_system_error("rpyjit: bad LOAD_COMMON_CONSTANT")),
        };
        *ops = give(v);
        Ok(0)
    })
}

/// Where [`install`] keeps the builtins `all` and `any` the interpreter started with.
const ORIGINAL_ALL: &str = "__rpyjit_all__";
const ORIGINAL_ANY: &str = "__rpyjit_any__";

/// Keeps what helpers need from a fresh interpreter. Call once per interpreter, before
/// user code runs.
/// The interpreter's `sys.exception` (a builtin), as it started.
const ORIGINAL_SYS_EXCEPTION: &str = "__rpyjit_sys_exception__";

pub fn install(vm: &VirtualMachine) -> PyResult<()> {
    vm.builtins.set_attr(
        ORIGINAL_SYS_EXCEPTION,
        vm.sys_module.get_attr("exception", vm)?,
        vm,
    )?;
    let frame = vm.new_function(FRAME_BUILTIN, |vm: &VirtualMachine| -> PyResult {
        vm.current_frame()
            .map(Into::into)
            .ok_or_else(|| vm.new_system_error("rpyjit: no frame"))
    });
    vm.builtins.set_attr(FRAME_BUILTIN, frame, vm)?;
    vm.builtins
        .set_attr(ORIGINAL_ALL, vm.builtins.get_attr("all", vm)?, vm)?;
    vm.builtins
        .set_attr(ORIGINAL_ANY, vm.builtins.get_attr("any", vm)?, vm)
}

// ---- match statements -----------------------------------------------------------------

/// MATCH_SEQUENCE (arg 0) / MATCH_MAPPING (arg 1): ops[0] = subject (borrowed, stays) →
/// status 1 if its type is a sequence / mapping for pattern matching.
unsafe extern "C" fn h_match_kind(ctx: *const NativeCtx<'static>, ops: *mut u64, arg: u64) -> i64 {
    run(ctx, |_, _| {
        use rustpython_vm::types::PyTypeFlags;
        let flag = if arg == 0 {
            PyTypeFlags::SEQUENCE
        } else {
            PyTypeFlags::MAPPING
        };
        Ok(i64::from(
            arg!(ops, 0).class().has_patma_collection_flag(flag),
        ))
    })
}

/// GET_LEN: ops[0] = object (borrowed, stays) → status = `len(object)`.
unsafe extern "C" fn h_get_len(ctx: *const NativeCtx<'static>, ops: *mut u64, _: u64) -> i64 {
    run(ctx, |_, vm| {
        let n = arg!(ops, 0).length(vm)?;
        i64::try_from(n).map_err(|_| vm.new_overflow_error("length too large"))
    })
}

/// MATCH_KEYS: ops = [subject, keys] (borrowed, stay) → ops[2] = the values of the keys
/// as a tuple, or None if one is missing or the subject is not a mapping. Exact dicts
/// are matched here; status 1 leaves any other mapping to the interpreter (which calls
/// its `get`).
unsafe extern "C" fn h_match_keys(ctx: *const NativeCtx<'static>, ops: *mut u64, _: u64) -> i64 {
    run(ctx, |_, vm| {
        use rustpython_vm::types::PyTypeFlags;
        let (subject, keys) = (arg!(ops, 0), arg!(ops, 1));
        let Some(keys) = keys.downcast_ref::<PyTuple>() else {
            return Ok(1);
        };
        if !subject
            .class()
            .has_patma_collection_flag(PyTypeFlags::MAPPING)
        {
            *ops.add(2) = give(vm.ctx.none());
            return Ok(0);
        }
        let Some(dict) = subject.downcast_ref_if_exact::<PyDict>(vm) else {
            return Ok(1);
        };
        let mut seen: Vec<PyObjectRef> = Vec::with_capacity(keys.len());
        let mut values = Vec::with_capacity(keys.len());
        for key in keys.iter() {
            // Duplicate keys (value patterns can repeat at run time) raise in the
            // interpreter, with its message.
            for k in &seen {
                if k.rich_compare_bool(key, PyComparisonOp::Eq, vm)? {
                    return Ok(1);
                }
            }
            seen.push(key.clone());
            match dict.get_item_opt(&**key, vm)? {
                Some(v) => values.push(v),
                None => {
                    *ops.add(2) = give(vm.ctx.none());
                    return Ok(0);
                }
            }
        }
        *ops.add(2) = give(vm.ctx.new_tuple(values).into());
        Ok(0)
    })
}

/// MATCH_CLASS (arg = positional sub-patterns): ops = [subject, class, keyword names] →
/// ops[0] = the tuple of extracted attributes, or None. Everything that could make the
/// interpreter raise (`class` not a class, a bad or short `__match_args__`, a repeated
/// attribute) is checked first, without side effects: status 1, and the interpreter runs
/// the instruction with its messages.
unsafe extern "C" fn h_match_class(ctx: *const NativeCtx<'static>, ops: *mut u64, arg: u64) -> i64 {
    run(ctx, |_, vm| {
        use rustpython_vm::types::PyTypeFlags;
        let (subject, cls, kw) = (arg!(ops, 0), arg!(ops, 1), arg!(ops, 2));
        let nargs = arg as usize;
        let (Some(cls_type), Some(kw)) =
            (cls.downcast_ref::<PyType>(), kw.downcast_ref::<PyTuple>())
        else {
            return Ok(1);
        };
        // The attribute names to extract, positional ones first; None = the subject.
        let mut names: Vec<Option<PyObjectRef>> = Vec::with_capacity(nargs + kw.len());
        if nargs > 0 {
            match cls_type.get_attr(vm.ctx.intern_str("__match_args__")) {
                Some(m) => {
                    let Ok(m) = m.downcast_exact::<PyTuple>(vm) else {
                        return Ok(1);
                    };
                    if m.len() < nargs {
                        return Ok(1);
                    }
                    names.extend(m.as_slice()[..nargs].iter().cloned().map(Some));
                }
                None if cls_type.slots.flags.has_feature(PyTypeFlags::_MATCH_SELF)
                    && nargs == 1 =>
                {
                    names.push(None)
                }
                None => return Ok(1),
            }
        }
        names.extend(kw.iter().cloned().map(Some));
        for (i, n) in names.iter().enumerate() {
            let Some(n) = n else { continue };
            if !n.class().is(vm.ctx.types.str_type)
                || names[..i].iter().flatten().any(|m| {
                    m.downcast_ref::<PyStr>().map(|m| m.as_wtf8())
                        == n.downcast_ref::<PyStr>().map(|n| n.as_wtf8())
                })
            {
                return Ok(1);
            }
        }
        let result: PyObjectRef = if subject.is_instance(cls, vm)? {
            let mut extracted = Vec::with_capacity(names.len());
            let mut matched = true;
            for n in &names {
                match n {
                    None => extracted.push(subject.to_owned()),
                    Some(n) => {
                        let n = n.downcast_ref::<PyStr>().expect("checked above");
                        match subject.get_attr(n, vm) {
                            Ok(v) => extracted.push(v),
                            Err(e) if e.fast_isinstance(vm.ctx.exceptions.attribute_error) => {
                                matched = false;
                                break;
                            }
                            Err(e) => return Err(e),
                        }
                    }
                }
            }
            if matched {
                vm.ctx.new_tuple(extracted).into()
            } else {
                vm.ctx.none()
            }
        } else {
            vm.ctx.none()
        };
        release(ops, 3);
        *ops = give(result);
        Ok(0)
    })
}

// ---- exception handlers -----------------------------------------------------------------

/// Native code catching the exception its last helper raised, at the instruction at
/// unit `arg & 0xffff_ffff` (bit 32 set for a `raise` statement), in a handler of the
/// function: ops[0] = the exception, with what the interpreter adds before it unwinds
/// ([`enter_traceback`]) → status 0. Status 1 leaves the exception pending untouched, for
/// an exit to the interpreter.
unsafe extern "C" fn h_catch(ctx: *const NativeCtx<'static>, ops: *mut u64, arg: u64) -> i64 {
    run(ctx, |ctx, vm| {
        let Some(exc) = ctx.exc.borrow_mut().take() else {
            return Err(vm.new_system_error("rpyjit: no exception to catch"));
        };
        if !enter_traceback(ctx, &exc, (arg & 0xffff_ffff) as u32, arg & (1 << 32) != 0)? {
            *ctx.exc.borrow_mut() = Some(exc);
            return Ok(1);
        }
        crate::stats::STATS.exception(false);
        *ops = give(exc.into());
        Ok(0)
    })
}

/// What the interpreter does to an exception raised at unit `at` of the function before
/// it unwinds: adds the function's traceback entry (with this activation's stand-in
/// frame) and sets `__context__` to the exception being handled (for a `raise`
/// statement, `new_raise`, or an exception without a traceback yet). False if no
/// stand-in frame could be made; nothing is changed then.
pub fn enter_traceback(
    ctx: &NativeCtx<'_>,
    exc: &Py<PyBaseException>,
    at: u32,
    new_raise: bool,
) -> PyResult<bool> {
    let vm = ctx.vm;
    let Some(line) = ctx
        .code
        .code
        .locations
        .get(at as usize)
        .map(|(loc, _)| loc.line)
    else {
        return Ok(false);
    };
    // The frame native code runs in is the one the interpreter would name (so
    // `tb.tb_frame is sys._getframe()` in a handler); a function called natively has
    // none and gets its stand-in, the frame `sys._getframe()` shows for it.
    let own = runs_in_own_frame(ctx);
    let cached = ctx.tb_frame.borrow().clone();
    let frame = cached.or_else(|| {
        let made = if own {
            running_frame(ctx)?
        } else {
            ctx.tb_frames.frame(ctx)?
        };
        *ctx.tb_frame.borrow_mut() = Some(made.clone());
        Some(made)
    });
    let Some((frame, p)) = frame else {
        return Ok(false);
    };
    if !own {
        // The stand-in's own position is its prologue's return; as the frame of the
        // raising instruction its `f_lineno` is that instruction's line (what the
        // interpreter's frame reads once the exception has left it).
        frame.set_lasti(p + at + 1);
    }
    let had_traceback = exc.traceback().is_some();
    let entry = rustpython_vm::builtins::PyTraceback::new(
        exc.traceback(),
        frame,
        ((p + at) * 2) as i32,
        line,
    );
    exc.set_traceback(Some(entry.into_ref(&vm.ctx)));
    if new_raise || !had_traceback {
        contextualize(vm, exc)?;
    }
    Ok(true)
}

/// Whether native code runs in an interpreter frame whose code holds the function's units
/// from `position.base` on, its position written to that frame's own `lasti` (a stub's
/// frame, a counted function's own; not a frame reporting elsewhere, see
/// [`crate::frames::NativePosition::reporting_to`]).
pub(crate) fn runs_in_own_frame(ctx: &NativeCtx<'_>) -> bool {
    let pos = &ctx.position;
    // SAFETY: a non-null frame of a running activation is live (see `NativePosition`).
    !pos.frame.is_null() && std::ptr::eq(pos.lasti, unsafe { &(*pos.frame).lasti })
}

/// The frame object of the interpreter frame native code runs in (materialized as
/// `sys._getframe` does) and the unit the function's units start at in its code.
fn running_frame(ctx: &NativeCtx<'_>) -> Option<(rustpython_vm::frame::FrameObjectRef, u32)> {
    let target = ctx.position.frame;
    let mut cur = rustpython_vm::frame::current_thread_iframe();
    let mut k = 0;
    while !cur.is_null() {
        if std::ptr::eq(cur, target) {
            let f = rustpython_vm::frame::frame_at_offset(k, ctx.vm)?;
            return Some((f, ctx.position.base));
        }
        // SAFETY: frames on the thread's chain are live while it runs this code.
        cur = unsafe { (*cur).previous() };
        k += 1;
    }
    None
}

/// The frame of an exception's traceback entry keeps the activation's locals, as the
/// interpreter's frame does for as long as the traceback lives (`f_locals`, and what
/// `weakref`s to those objects see): the exception leaves the function with `locals`
/// (by slot, as its exit saved them), written through the frame's locals proxy. Cells
/// are left alone (a stand-in has none of the function's).
pub fn keep_locals(ctx: &NativeCtx<'_>, locals: &[Option<PyObjectRef>]) {
    use rustpython_vm::bytecode::{CO_FAST_CELL, CO_FAST_FREE};
    let Some((frame, _)) = ctx.tb_frame.borrow().clone() else {
        return;
    };
    let vm = ctx.vm;
    let code = &ctx.code.code;
    let Ok(proxy) = frame.f_locals(vm) else {
        return;
    };
    let names = crate::frames::localsplus_names(code);
    for (i, v) in locals.iter().enumerate() {
        let (Some(v), Some(name)) = (v, names.get(i)) else {
            continue;
        };
        let cell = code
            .localspluskinds
            .get(i)
            .is_some_and(|k| k & (CO_FAST_CELL | CO_FAST_FREE) != 0);
        if !cell {
            // A failure only leaves that local out of the frame.
            let _ = proxy.set_item(*name, v.clone(), vm);
        }
    }
}

/// Before RETURN_VALUE (at unit `arg`) in a frame of native code's own: if the program
/// holds that frame's object, the frame keeps the locals the function returns with (its
/// `f_locals` once the call is over), written through its locals proxy from what native
/// code stored (see [`crate::translate::Translation::spilled`]). Never fails.
unsafe extern "C" fn h_keep_frame_locals(
    ctx: *const NativeCtx<'static>,
    _: *mut u64,
    arg: u64,
) -> i64 {
    run(ctx, |ctx, vm| {
        let Some(frame) =
            rustpython_vm::frame::find_owned_chain_frame_by_iframe(ctx.position.frame)
        else {
            return Ok(0);
        };
        let Some(locals) = crate::frames::spilled_locals(ctx, arg as u32, vm, false) else {
            return Ok(0);
        };
        if let Ok(proxy) = frame.f_locals(vm) {
            for (name, value) in locals {
                // A failure only leaves that local out of the frame.
                let _ = proxy.set_item(&*name, value, vm);
            }
        }
        Ok(0)
    })
}

/// The topmost handled exception: the current one, or past the slots generators push,
/// what `sys.exception()` finds (the VM's own lookup is not public).
fn handled_exception(vm: &VirtualMachine) -> PyResult<Option<PyBaseExceptionRef>> {
    if let Some(e) = vm.current_exception() {
        return Ok(Some(e));
    }
    Ok(vm
        .builtins
        .get_attr(ORIGINAL_SYS_EXCEPTION, vm)?
        .call((), vm)?
        .downcast::<PyBaseException>()
        .ok())
}

/// RAISE_VARARGS 0 (a bare `raise`): ops[0] = the exception being handled, to re-raise
/// as it is; status 1 if there is none (the interpreter raises its RuntimeError).
unsafe extern "C" fn h_handled_exception(
    ctx: *const NativeCtx<'static>,
    ops: *mut u64,
    _: u64,
) -> i64 {
    run(ctx, |_, vm| match handled_exception(vm)? {
        Some(exc) => {
            *ops = give(exc.into());
            Ok(0)
        }
        None => Ok(1),
    })
}

/// Sets `exc.__context__` to the exception being handled, breaking a cycle through it:
/// the VM's `contextualize_exception`, which is not public.
fn contextualize(vm: &VirtualMachine, exc: &Py<PyBaseException>) -> PyResult<()> {
    let Some(context) = handled_exception(vm)? else {
        return Ok(());
    };
    if context.is(exc) {
        return Ok(());
    }
    let (mut o, mut slow) = (context.clone(), context.clone());
    let mut toggle = false;
    while let Some(next) = o.__context__() {
        if next.is(exc) {
            o.set_context(None);
            break;
        }
        o = next;
        if o.is(&slow) {
            break;
        }
        if toggle {
            if let Some(s) = slow.__context__() {
                slow = s;
            }
        }
        toggle = !toggle;
    }
    exc.set_context(Some(context));
    Ok(())
}

/// PUSH_EXC_INFO: ops[0] = the exception (borrowed: it stays on the stack above) → the
/// exception handled before (or None), which POP_EXCEPT restores; the exception becomes
/// the one being handled (`sys.exception()`).
unsafe extern "C" fn h_push_exc_info(ctx: *const NativeCtx<'static>, ops: *mut u64, _: u64) -> i64 {
    run(ctx, |_, vm| {
        let prev = vm
            .current_exception()
            .map_or_else(|| vm.ctx.none(), Into::into);
        if let Some(exc) = arg!(ops, 0).downcast_ref::<PyBaseException>() {
            vm.set_exception(Some(exc.to_owned()));
        }
        *ops = give(prev);
        Ok(0)
    })
}

/// POP_EXCEPT: ops[0] = the exception handled before the handler (taken) becomes the one
/// being handled again.
unsafe extern "C" fn h_pop_except(ctx: *const NativeCtx<'static>, ops: *mut u64, _: u64) -> i64 {
    run(ctx, |_, vm| {
        let prev = take(*ops);
        vm.set_exception(prev.downcast::<PyBaseException>().ok());
        Ok(0)
    })
}

/// CHECK_EXC_MATCH: ops = [exception (borrowed, stays), type or tuple of types (taken)] →
/// ops[0] = whether the exception matches, as a bool object. A type that is not an
/// exception class raises the interpreter's TypeError.
unsafe extern "C" fn h_check_exc_match(
    ctx: *const NativeCtx<'static>,
    ops: *mut u64,
    _: u64,
) -> i64 {
    run(ctx, |_, vm| {
        let (exc, ty) = (arg!(ops, 0), arg!(ops, 1));
        let base = vm.ctx.exceptions.base_exception_type;
        let not_exception = || {
            vm.new_type_error(
                "catching classes that do not inherit from BaseException is not allowed",
            )
        };
        match ty.downcast_ref::<PyTuple>() {
            Some(types) => {
                for t in types {
                    if !t.is_subclass(base.into(), vm)? {
                        return Err(not_exception());
                    }
                }
            }
            None if !ty.is_subclass(base.into(), vm)? => return Err(not_exception()),
            None => {}
        }
        let matched = exc.is_instance(ty, vm)?;
        release(ops.add(1), 1);
        *ops = give(vm.ctx.new_bool(matched).into());
        Ok(0)
    })
}

/// WITH_EXCEPT_START: ops = [exit, self or NULL] (borrowed: they stay on the stack) →
/// ops[0] = what `exit(self, type, exception, traceback)` returns for the exception being
/// handled, as the interpreter calls it when an exception leaves a `with` block.
unsafe extern "C" fn h_with_except_start(
    ctx: *const NativeCtx<'static>,
    ops: *mut u64,
    _: u64,
) -> i64 {
    run(ctx, |_, vm| {
        let exit = arg!(ops, 0);
        let (tp, val, tb) = match vm.current_exception() {
            Some(exc) => vm.split_exception(exc),
            None => (vm.ctx.none(), vm.ctx.none(), vm.ctx.none()),
        };
        let result = if *ops.add(1) != 0 {
            exit.call((arg!(ops, 1).to_owned(), tp, val, tb), vm)?
        } else {
            exit.call((tp, val, tb), vm)?
        };
        *ops = give(result);
        Ok(0)
    })
}
