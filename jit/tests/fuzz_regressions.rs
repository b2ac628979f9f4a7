//! Inputs found by the libFuzzer target on the translator (`fuzz/translator`, see
//! fuzz/README.md), replayed deterministically: each must be refused or compiled, never
//! panic.

mod common;
use common::{define_code, interpreter};

use rpyjit_jit::bytecode::Analysis;
use rpyjit_jit::helpers::HelperTable;
use rpyjit_jit::translate::{translate, Entry, Kind, Profile};
use rustpython_vm::bytecode::Instruction;

/// An on-stack-replacement entry whose stack holds a range iterator (kept unboxed in
/// native code) where a generic operation takes it as an operand: here the callable slot
/// of a CALL. The emitter would have to box it and panicked ("range iterators are never
/// boxed"); it is refused now. Fuzz input `seed-18-finding-range-operand`.
#[test]
fn range_iterator_as_call_operand_at_osr_entry_is_refused() {
    interpreter().enter(|vm| {
        let code = define_code(
            vm,
            r#"def f(a, b):
    print(a, b, 1)
    return b
"#,
            "f",
        );
        let analysis = Analysis::new(&code.code).unwrap();
        let k = analysis
            .insns
            .iter()
            .position(|i| matches!(i.op, Instruction::Call { .. }))
            .expect("a CALL");
        let depth = analysis.depth[k].expect("reachable") as usize;
        assert!(depth >= 3, "callable, NULL/self and arguments on the stack");
        let mut stack = vec![Kind::Int; depth];
        stack[0] = Kind::Range;
        let nslots = code.code.localspluskinds.len();
        let entry = Entry::Loop {
            at: analysis.insns[k].at,
            locals: vec![Some(Kind::Int); nslots],
            stack,
        };
        let profile = Profile::new(analysis.insns.iter().map(|i| i.quickened).collect());
        let h = HelperTable::dummy();
        for isa in rpyjit_jit::isa::all_supported().unwrap() {
            let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                translate(&code, &analysis, &profile, &entry, &*isa, &h)
            }))
            .expect("the translator must not panic");
            let refusal = r.err().expect("refused");
            assert!(refusal.0.contains("range iterator"), "{}", refusal.0);
        }
    });
}
