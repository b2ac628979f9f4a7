//! Instrumenting function code: the counting prologue (or code appended after the
//! function's units) and the back-edge hooks of its loops, registered as [`Hot`].

use std::sync::atomic::AtomicU32;
use std::sync::Arc;

use rustpython_vm::builtins::PyCode;
use rustpython_vm::bytecode::{CodeFlags, Instruction};
use rustpython_vm::{AsObject, Py, PyRef, VirtualMachine};

use super::{
    lookup, threshold, with_nested_code, Hot, Loop, COUNT_BUILTIN, ENTER_NOW_BUILTIN, HOT,
    LOOP_BUILTIN, OSR_BUILTIN, OSR_TAKE_BUILTIN,
};
use crate::entry;

fn is_function_code(code: &Py<PyCode>) -> bool {
    let f = code.code.flags;
    f.contains(CodeFlags::OPTIMIZED | CodeFlags::NEWLOCALS)
        && !f.intersects(
            CodeFlags::GENERATOR
                | CodeFlags::COROUTINE
                | CodeFlags::ASYNC_GENERATOR
                | CodeFlags::ITERABLE_COROUTINE,
        )
}

/// `code` and every code object nested in its constants, with counting prologues on the
/// function bodies.
pub fn instrument(vm: &VirtualMachine, code: &Py<PyCode>) -> PyRef<PyCode> {
    if lookup(code).is_some() {
        return code.to_owned();
    }
    // Nested code first: functions defined by this code are created from these constants.
    // A copy only when a nested code object changed: code that went through here already
    // comes back as it is.
    let plain = with_nested_code(vm, code, &|inner| instrument(vm, inner))
        .unwrap_or_else(|| code.to_owned());
    if !is_function_code(&plain) {
        return plain;
    }
    if let Some(reason) = crate::policy::unsupported(&plain) {
        crate::stats::STATS.skipped(reason);
        return plain;
    }
    // Every function is counted, loop or not: calls from native code to a compiled
    // function go native to native, which is where loop-free functions win.
    // A function without a loop that does not call itself is left alone here: entering
    // native code through the stub costs more than interpreting a short body, and
    // swapping a function's `__code__` costs RustPython's call-site specializations. Such
    // functions are compiled when native code calls them often (see
    // `helpers::call_positional`), and are then called native to native.
    let loop_free = !plain
        .code
        .instructions
        .iter()
        .any(|u| matches!(u.op.deoptimize(), Instruction::JumpBackward { .. }))
        && !plain
            .code
            .names
            .iter()
            .any(|n| n.as_str() == plain.code.obj_name.as_str());
    // At threshold 0 (compile everything, to exercise the JIT) they are counted too.
    if loop_free && threshold(vm) > 0 {
        crate::stats::STATS.skipped("no loop: compiled when native code calls it");
        return plain;
    }
    let Ok(analysis) = crate::bytecode::Analysis::new(&plain.code) else {
        crate::stats::STATS.skipped("bytecode analysis failed");
        return plain;
    };
    // Back-edges count iterations so a hot loop of a function called once (a `main`)
    // still reaches native code.
    let names = crate::rewrite::HookNames {
        count: LOOP_BUILTIN,
        take: OSR_TAKE_BUILTIN,
        enter: OSR_BUILTIN,
        drop_tb: entry::DROP_TB_BUILTIN,
    };
    let (hooked, sites) = crate::rewrite::with_back_edge_hooks(vm, &plain, &analysis, &names)
        .unwrap_or_else(|| (plain.clone(), Vec::new()));
    // The counting code; when this call made the function hot, the call itself runs
    // natively (so `-X jit-threshold=0` compiles before the first execution):
    //
    //     0:     JUMP_FORWARD count                 (over the first instructions)
    //            (the function's code, loop hooks)
    //     count: LOAD_GLOBAL count+NULL; CALL 0; POP_JUMP_IF_FALSE body
    //            LOAD_GLOBAL enter_now+NULL; LOAD_FAST_AND_CLEAR arg...; CALL n
    //            RETURN_VALUE
    //            handler: (`Emitter::drop_tb_and_reraise`)
    //     body:  (the instructions the jump displaced: RESUME, MAKE_CELL...)
    //            JUMP_BACKWARD_NO_INTERRUPT (the first instruction not displaced)
    //
    // An exception from the native run already went through the function's own
    // handlers: the handler only drops this frame's duplicate traceback entry. The
    // arguments move to native code (the frame keeps none: an argument rebound there dies
    // then, as in the interpreter); before the displaced instructions, no slot is a cell.
    let nargs = crate::translate::arg_slots(&plain) as u32;
    let counting = |e: &mut crate::rewrite::Emitter| {
        use rustpython_vm::bytecode::Arg;
        e.call_builtin(COUNT_BUILTIN);
        // Jump distance: the enter sequence and the handler, measured on a scratch copy.
        let tail = |e: &mut crate::rewrite::Emitter, dry: bool| -> u32 {
            let start = e.units.len() as u32;
            e.load_global_for_call(ENTER_NOW_BUILTIN);
            for i in 0..nargs {
                e.emit(
                    Instruction::LoadFastAndClear {
                        var_num: Arg::marker(),
                    },
                    i,
                );
            }
            e.emit(
                Instruction::Call {
                    argc: Arg::marker(),
                },
                nargs,
            );
            let call_end = e.units.len() as u32;
            e.emit(Instruction::ReturnValue, 0);
            let handler = e.units.len() as u32;
            e.drop_tb_and_reraise(entry::DROP_TB_BUILTIN);
            if !dry {
                e.handlers_push(start, call_end, handler);
            }
            e.units.len() as u32 - start
        };
        let at = e.units.len();
        let len = tail(e, true);
        e.units.truncate(at);
        e.emit(
            Instruction::PopJumpIfFalse {
                delta: Arg::marker(),
            },
            len,
        );
        tail(e, false);
        // Where this code goes in front of the function (see below), a frame running
        // it is on the `def` line, as while `RESUME` runs: the interpreter's position
        // there, for a program that looks at it (another thread, or the first call's
        // native code, which reports no position into a frame laid out this way).
        e.raises_at(0, 0);
    };
    // Appended after the function's units (which keep their places, so frames report
    // the function's own positions), or, where the first instructions cannot move, in
    // front of them.
    let (instrumented, prologue) = match crate::rewrite::with_entry_appended(
        vm,
        &hooked,
        6 + nargs,
        crate::rewrite::Appended::ResumeOriginal,
        counting,
    ) {
        Some(code) => (code, 0),
        None => {
            let code = crate::rewrite::with_prologue(vm, &hooked, 0, 6 + nargs, counting);
            let p = (code.code.instructions.len() - hooked.code.instructions.len()) as u32;
            (code, p)
        }
    };
    let loops = sites
        .into_iter()
        .map(|site| Loop {
            site,
            iterations: AtomicU32::new(0),
            disabled: std::sync::atomic::AtomicBool::new(false),
            osr: entry::OsrCache::default(),
        })
        .collect();
    let (Ok(()), Ok(weak)) = (
        crate::counted::record(vm, &instrumented, &plain, prologue == 0),
        instrumented.as_object().downgrade(None, vm),
    ) else {
        return plain;
    };
    let hot = Arc::new(Hot {
        plain,
        analysis: Default::default(),
        loops,
        instrumented: weak,
        prologue,
        calls: AtomicU32::new(0),
    });
    match HOT.insert(vm, instrumented.as_object(), hot) {
        Ok(()) => instrumented,
        Err(_) => crate::counted::plain_of(&instrumented).unwrap_or(instrumented),
    }
}
