//! The back-edge hooks of a function's loops: iterations are counted, and a hot loop
//! continues in native code (on-stack replacement, see [`crate::hotness`]).

use rustpython_vm::builtins::PyCode;
use rustpython_vm::bytecode::{
    decode_exception_table, encode_exception_table, CodeUnit, ExceptionTableEntry, Instruction,
    OpArgByte,
};
use rustpython_vm::{Py, PyRef, VirtualMachine};

use super::Emitter;
use crate::vm::linetable::{append_lines, line_at_end};

/// A loop back-edge that got a hotness hook (see [`with_back_edge_hooks`]).
#[derive(Clone, Debug)]
pub struct LoopSite {
    /// Unit of the `JUMP_BACKWARD` (first `EXTENDED_ARG`) in the original code.
    pub back_edge: u32,
    /// Unit of the loop header it jumps to: where native code enters.
    pub header: u32,
    /// Value-stack depth at the back-edge (iterators of enclosing `for` loops).
    pub depth: u32,
}

/// Names of the builtins a back-edge hook calls.
pub struct HookNames<'a> {
    /// `count(k) -> bool`: counts an iteration of loop `k`; true once it should run natively.
    pub count: &'a str,
    /// `take(k[, stack_list[, cells]])`: takes the frame's values for an entry of loop
    /// `k` (its locals, the value stack from the list, which it empties, and `cells`, a
    /// tuple of the frame's cell objects in slot order, see [`cell_slots`]; a function
    /// with cells passes the list even when the stack is empty).
    pub take: &'a str,
    /// `enter(k)`: runs the rest of the function natively from the loop header with the
    /// values `take` took, and returns what the function returns.
    pub enter: &'a str,
    /// `drop_tb(exc, lasti)`: drops the hooked frame's own traceback entry (see
    /// [`Emitter::drop_tb_and_reraise`]).
    pub drop_tb: &'a str,
}

/// `code` with every `JUMP_BACKWARD` routed through a hook appended after the original
/// instructions, so loop iterations are counted and a hot loop can continue in native code
/// (on-stack replacement):
///
/// ```text
/// back-edge:  EXTENDED_ARG*; JUMP_FORWARD hook_k          (same size as the JUMP_BACKWARD)
/// hook_k:     LOAD_GLOBAL count+NULL; LOAD_SMALL_INT k; CALL 1; POP_JUMP_IF_TRUE enter_k
///             JUMP_BACKWARD header                          (the original back-edge)
/// enter_k:    BUILD_LIST d; LOAD_GLOBAL take+NULL; LOAD_SMALL_INT k; COPY 4
///             [LOAD_FAST cell...; BUILD_TUPLE c]; CALL 2|3; POP_TOP
///             (PUSH_NULL; STORE_FAST i) for every slot
///             LOAD_GLOBAL enter+NULL; LOAD_SMALL_INT k; CALL 1; RETURN_VALUE
/// handler_k:  (`Emitter::drop_tb_and_reraise`)
/// ```
///
/// The hook's `JUMP_BACKWARD` keeps the interpreter's signal check, covered by the
/// handler that covered the original back-edge. `enter_k`'s call is covered by
/// `handler_k`: an exception leaving the function's native or continued run already went
/// through the function's own handlers, so it only drops this frame's duplicate
/// traceback entry. The locals are read by `take` from the frame itself; the frame's
/// slots are then cleared (the frame only returns what `enter` returns), so the objects
/// native code holds die when native code lets go of them, not when the function
/// returns. Back-edges whose hook would not fit are left alone.
pub fn with_back_edge_hooks(
    vm: &VirtualMachine,
    code: &Py<PyCode>,
    analysis: &crate::bytecode::Analysis,
    names: &HookNames,
) -> Option<(PyRef<PyCode>, Vec<LoopSite>)> {
    let orig = &code.code;
    // The frame's `f_locals` shows the contents of cells, not the cells: the hook passes
    // the cells themselves (`LOAD_FAST` of a cell slot pushes the cell).
    let cells = cell_slots(orig);
    if cells.len() > 200 {
        return None;
    }
    let mut units: Vec<CodeUnit> = orig.instructions.iter().copied().collect();
    let base = units.len() as u32;
    let mut e = Emitter::for_code(vm, orig);
    let original = decode_exception_table(&orig.exceptiontable);
    let mut entries: Vec<ExceptionTableEntry> = Vec::new();
    let mut locations: Vec<_> = Vec::new();
    let mut sites = Vec::new();
    let mut max_stack = orig.max_stackdepth;
    for (k, insn) in analysis.insns.iter().enumerate() {
        if !matches!(insn.op, Instruction::JumpBackward { .. }) || sites.len() > 255 {
            continue;
        }
        let (Some(header), Some(depth)) = (insn.jump_target(), analysis.depth[k]) else {
            continue;
        };
        if depth + 3 > 255 || may_hold_null(analysis, k, depth) {
            continue;
        }

        let id = sites.len() as u32;
        let hook = base + e.units.len() as u32;
        // The back-edge's units become EXTENDED_ARG* + JUMP_FORWARD hook.
        let span = (insn.next - insn.start) as usize;
        let dist = hook - insn.next;
        if span > 4 || u64::from(dist) >= 1u64 << (8 * span) {
            continue;
        }
        redirect_back_edge(&mut units[insn.start as usize..insn.next as usize], dist);
        let start = e.units.len();
        emit_count_and_back_edge(&mut e, base, id, header, names.count)?;
        // The stack values move into a list the builtin empties: the frame keeps no
        // reference to a loop's iterator while native code runs the loop.
        let with_list = depth > 0 || !cells.is_empty();
        let (enter_start, enter_end, handler) = emit_enter(
            &mut e,
            id,
            with_list,
            depth,
            &cells,
            orig.localspluskinds.len() as u32,
            names,
        );
        if let Some(x) = original
            .iter()
            .find(|x| x.start <= insn.at && insn.at < x.end)
        {
            entries.push(ExceptionTableEntry::new(
                base + start as u32,
                base + enter_start as u32,
                x.target,
                x.depth,
                x.push_lasti,
            ));
        }
        entries.push(ExceptionTableEntry::new(
            base + enter_start as u32,
            base + enter_end as u32,
            base + handler as u32,
            u16::from(with_list),
            true,
        ));
        let here = orig
            .locations
            .get(insn.at as usize)
            .copied()
            .unwrap_or_default();
        locations.resize(e.units.len(), here);
        max_stack = max_stack.max(depth + 7 + cells.len() as u32);
        sites.push(LoopSite {
            back_edge: insn.start,
            header,
            depth,
        });
    }
    if sites.is_empty() {
        return None;
    }
    units.extend(std::mem::take(&mut e.units));
    let mut c = orig.clone();
    c.instructions = units.into();
    e.add_names_and_constants(&mut c);
    let mut all_locations = orig.locations.to_vec();
    all_locations.extend(locations);
    c.locations = all_locations.into_boxed_slice();
    // A hook runs on its back-edge's line (another thread may look while it runs).
    let mut lt = orig.linetable.to_vec();
    append_lines(
        &mut lt,
        line_at_end(orig),
        c.locations[orig.locations.len()..]
            .iter()
            .map(|(loc, _)| loc.line.get() as i32),
    );
    c.linetable = lt.into_boxed_slice();
    let mut all = original.clone();
    all.extend(entries);
    c.exceptiontable = encode_exception_table(&all);
    c.max_stackdepth = max_stack;
    Some((super::with_file_name_of(vm.ctx.new_code(c), code), sites))
}

/// Rewrites the units of a back-edge (`EXTENDED_ARG* JUMP_BACKWARD`) into
/// `EXTENDED_ARG* JUMP_FORWARD dist` of the same size (the caller checked it fits).
fn redirect_back_edge(units: &mut [CodeUnit], dist: u32) {
    use rustpython_vm::bytecode::Arg;
    let span = units.len();
    let bytes = dist.to_be_bytes();
    for (i, u) in units.iter_mut().enumerate() {
        let byte = bytes[4 - span + i];
        let op = if i + 1 == span {
            Instruction::JumpForward {
                delta: Arg::marker(),
            }
        } else {
            Instruction::ExtendedArg
        };
        *u = CodeUnit::new(op, OpArgByte::new(byte));
    }
}

/// The hook's counting call and the original back-edge it falls through to:
/// `LOAD_GLOBAL count+NULL; LOAD_SMALL_INT id; CALL 1; POP_JUMP_IF_TRUE enter;
/// JUMP_BACKWARD header`. `None` when the jump back does not fit.
fn emit_count_and_back_edge(
    e: &mut Emitter,
    base: u32,
    id: u32,
    header: u32,
    count: &str,
) -> Option<()> {
    use rustpython_vm::bytecode::Arg;
    e.load_global_for_call(count);
    e.emit(Instruction::LoadSmallInt { i: Arg::marker() }, id);
    e.emit(
        Instruction::Call {
            argc: Arg::marker(),
        },
        1,
    );
    // POP_JUMP_IF_TRUE skips the JUMP_BACKWARD, whose size depends on its distance.
    let jb_op = Instruction::JumpBackward {
        delta: Arg::marker(),
    };
    let pj_op = Instruction::PopJumpIfTrue {
        delta: Arg::marker(),
    };
    let jb_start = base + (e.units.len() + 1 + pj_op.cache_entries()) as u32;
    let (prefixes, back) = (0..=3usize)
        .map(|n| {
            (
                n,
                jb_start + (n + 1 + jb_op.cache_entries()) as u32 - header,
            )
        })
        .find(|(n, back)| u64::from(*back) < 1u64 << (8 * (n + 1)))?;
    e.emit(pj_op, (prefixes + 1 + jb_op.cache_entries()) as u32);
    e.emit_wide(jb_op, back, prefixes);
    Some(())
}

/// The hook's entry: takes the frame's values (the stack in a list when `with_list`, the
/// cells in a tuple), clears its `nlocals` slots, enters the loop natively and returns
/// what that returns; then the handler that drops the frame's duplicate traceback entry.
/// Returns where the entry starts and ends, and the handler.
fn emit_enter(
    e: &mut Emitter,
    id: u32,
    with_list: bool,
    depth: u32,
    cells: &[u32],
    nlocals: u32,
    names: &HookNames,
) -> (usize, usize, usize) {
    use rustpython_vm::bytecode::Arg;
    if with_list {
        e.emit(
            Instruction::BuildList {
                count: Arg::marker(),
            },
            depth,
        );
    }
    let enter_start = e.units.len();
    e.load_global_for_call(names.take);
    e.emit(Instruction::LoadSmallInt { i: Arg::marker() }, id);
    if with_list {
        e.emit(Instruction::Copy { i: Arg::marker() }, 4);
    }
    if !cells.is_empty() {
        for &slot in cells {
            e.emit(
                Instruction::LoadFast {
                    var_num: Arg::marker(),
                },
                slot,
            );
        }
        e.emit(
            Instruction::BuildTuple {
                count: Arg::marker(),
            },
            cells.len() as u32,
        );
    }
    e.emit(
        Instruction::Call {
            argc: Arg::marker(),
        },
        1 + u32::from(with_list) + u32::from(!cells.is_empty()),
    );
    e.emit(Instruction::PopTop, 0);
    for slot in 0..nlocals {
        e.emit(Instruction::PushNull, 0);
        e.emit(
            Instruction::StoreFast {
                var_num: Arg::marker(),
            },
            slot,
        );
    }
    e.load_global_for_call(names.enter);
    e.emit(Instruction::LoadSmallInt { i: Arg::marker() }, id);
    e.emit(
        Instruction::Call {
            argc: Arg::marker(),
        },
        1,
    );
    let enter_end = e.units.len();
    e.emit(Instruction::ReturnValue, 0);
    let handler = e.units.len();
    e.drop_tb_and_reraise(names.drop_tb);
    (enter_start, enter_end, handler)
}

/// The `localsplus` slots of `code` that hold a cell while the body runs (after
/// `MAKE_CELL` and `COPY_FREE_VARS`), in slot order.
pub fn cell_slots<C: rustpython_vm::bytecode::Constant>(
    code: &rustpython_vm::bytecode::CodeObject<C>,
) -> Vec<u32> {
    use rustpython_vm::bytecode::{CO_FAST_CELL, CO_FAST_FREE};
    (0..code.localspluskinds.len() as u32)
        .filter(|&i| code.localspluskinds[i as usize] & (CO_FAST_CELL | CO_FAST_FREE) != 0)
        .collect()
}

/// Whether the value stack before instruction `k` (of depth `depth`) may hold a NULL: a
/// value pushed by an instruction that can push NULL (a comprehension's saved variable, a
/// call's self-or-NULL slot) and not yet consumed. Such a stack cannot be passed as call
/// arguments. The pushed slot counts as live while the depth stays above its index.
fn may_hold_null(analysis: &crate::bytecode::Analysis, k: usize, depth: u32) -> bool {
    if depth == 0 {
        return false;
    }
    let mut min = depth;
    for v in (0..k).rev() {
        let insn = &analysis.insns[v];
        let Some(dv) = analysis.depth[v] else {
            continue;
        };
        // The stack index of the slot that may hold NULL after `insn`, if any.
        let null_slot = crate::translate::null_slot_after(insn, dv);
        // Still there at `k` if the stack never shrank to it since.
        if null_slot.is_some_and(|slot| min > slot) {
            return true;
        }
        min = min.min(dv);
        if min == 0 {
            return false;
        }
    }
    false
}
