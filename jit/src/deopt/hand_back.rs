//! The end of a continuation that stood in for a frame the program holds.

use rustpython_vm::{AsObject, PyResult, VirtualMachine};

/// The end of a continuation that stood in for a frame the program holds (`frame`, the
/// frame native code ran in): the frame takes the finished continuation's state, so it
/// reads as if the function had run in it throughout. Its locals are the continuation's
/// last ones; a return goes through the same `RETURN_VALUE` of the frame (its
/// `f_lineno`); an exception's traceback entries name `frame` instead of the
/// continuation's frame, at the same instructions.
pub(crate) fn hand_back(
    vm: &VirtualMachine,
    result: PyResult,
    cont_frame: &rustpython_vm::frame::FrameObjectRef,
    frame: &rustpython_vm::frame::FrameObjectRef,
    (prologue, base): (u32, u32),
    restore: crate::frames::RestoreLasti,
) -> PyResult {
    if let (Ok(from), Ok(to)) = (cont_frame.f_locals(vm), frame.f_locals(vm)) {
        let code = &cont_frame.f_code().code;
        // Cells are left alone (as `keep_locals` does): the frame's cell slots are not
        // the ones the continuation used.
        let is_cell = |name: &str| {
            code.cellvars
                .iter()
                .chain(code.freevars.iter())
                .any(|c| c.as_str() == name)
        };
        let names = vm
            .call_method(&from, "keys", ())
            .and_then(|k| k.try_into_value::<Vec<rustpython_vm::builtins::PyStrRef>>(vm));
        for name in names.unwrap_or_default() {
            if name.to_str().is_none_or(is_cell) {
                continue;
            }
            // A failure only leaves that local out of the frame.
            if let Ok(value) = from.get_item(&*name, vm) {
                let _ = to.set_item(&*name, value, vm);
            }
        }
    }
    let original_unit = |cont_unit: u32| cont_unit.checked_sub(prologue);
    match result {
        Ok(value) => {
            if let Some(unit) = cont_frame.lasti().checked_sub(1).and_then(original_unit) {
                restore.continue_at(unit);
            }
            Ok(value)
        }
        Err(exc) => {
            drop(restore);
            // From the innermost entry out, so each new entry links to the renamed rest.
            let mut entries = Vec::new();
            let mut tb = exc.traceback();
            while let Some(t) = tb {
                tb = t.next.lock().clone();
                entries.push(t);
            }
            for i in (0..entries.len()).rev() {
                let t = &entries[i];
                let Some(unit) = original_unit((t.lasti / 2) as u32) else {
                    continue;
                };
                if !t.frame.is(cont_frame) {
                    continue;
                }
                let renamed = rustpython_vm::PyPayload::into_ref(
                    rustpython_vm::builtins::PyTraceback::new(
                        t.next.lock().clone(),
                        frame.clone(),
                        ((base + unit) * 2) as i32,
                        t.lineno,
                    ),
                    &vm.ctx,
                );
                match i.checked_sub(1) {
                    Some(p) => *entries[p].next.lock() = Some(renamed),
                    None => exc.set_traceback(Some(renamed)),
                }
            }
            Err(exc)
        }
    }
}
