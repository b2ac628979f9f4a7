//! The translator never crashes on bytecode it is given: arbitrary instruction streams
//! (random opcodes and arguments in a real function's code object) are either analysed,
//! translated and compiled, or refused with a reason. Deterministic: a fixed seed range,
//! so a failure names the seed that reproduces it.

mod common;
use common::{define_code, interpreter};

use rpyjit_jit::bytecode::Analysis;
use rpyjit_jit::helpers::HelperTable;
use rpyjit_jit::translate::{translate, Entry, Kind, Profile};
use rustpython_vm::bytecode::{CodeUnit, Instruction, OpArgByte};

/// xorshift64*: enough randomness for bytecode soup, reproducible from a seed.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

#[test]
fn random_bytecode_is_translated_or_refused_never_crashes() {
    interpreter().enter(|vm| {
        let code = define_code(
            vm,
            r#"def f(a, b):
    x = a + b
    y = [x, a]
    for i in range(b):
        x += i
    return x, y, len(y)
"#,
            "f",
        );
        let isa = rpyjit_jit::isa::host().unwrap();
        let h = HelperTable::dummy();
        let ops: Vec<Instruction> = (0u8..=255)
            .filter_map(|b| Instruction::try_from(b).ok())
            .collect();
        let (mut translated, mut refused, mut unanalysable) = (0, 0, 0);
        for seed in 1..=3000u64 {
            let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
            // Mostly the function's own instructions, with some replaced by random ones,
            // so streams are sometimes valid enough to reach the translator.
            let mut units: Vec<CodeUnit> = code.code.instructions.iter().copied().collect();
            let edits = 1 + rng.below(4);
            for _ in 0..edits {
                let i = rng.below(units.len() as u64) as usize;
                let op = ops[rng.below(ops.len() as u64) as usize];
                let arg = if rng.below(4) == 0 {
                    rng.below(256)
                } else {
                    rng.below(8)
                };
                units[i] = CodeUnit::new(op, OpArgByte::new(arg as u8));
            }
            let mut c = code.code.clone();
            c.instructions = units.into();
            let candidate = vm.ctx.new_code(c);
            let analysis = match Analysis::new(&candidate.code) {
                Ok(a) => a,
                Err(_) => {
                    unanalysable += 1;
                    continue;
                }
            };
            let kinds = [Kind::Int, Kind::Obj];
            let entry = Entry::Call(kinds.to_vec());
            let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                translate(
                    &candidate,
                    &analysis,
                    &Profile::default(),
                    &entry,
                    &*isa,
                    &h,
                )
            }));
            match result {
                Err(_) => panic!("seed {seed}: the translator panicked"),
                Ok(Err(_)) => refused += 1,
                Ok(Ok(t)) => {
                    let mut ctx = cranelift_codegen::Context::for_function(t.func);
                    ctx.compile(
                        &*isa,
                        &mut cranelift_codegen::control::ControlPlane::default(),
                    )
                    .unwrap_or_else(|e| panic!("seed {seed}: invalid CLIF: {:?}", e.inner));
                    translated += 1;
                }
            }
        }
        assert!(
            translated > 0 && refused > 0,
            "{translated} {refused} {unanalysable}"
        );
    });
}

/// A helper the table lacks is a refused translation, never a call to address 0.
#[test]
fn a_helper_missing_from_the_table_refuses_the_translation() {
    interpreter().enter(|vm| {
        let code = define_code(
            vm,
            r#"def add(a, b):
    return a + b
"#,
            "add",
        );
        let analysis = Analysis::new(&code.code).unwrap();
        let isa = rpyjit_jit::isa::host().unwrap();
        let entry = Entry::Call(vec![Kind::Obj, Kind::Obj]);
        let with =
            |h: &HelperTable| translate(&code, &analysis, &Profile::default(), &entry, &*isa, h);
        assert!(with(&HelperTable::dummy()).is_ok());
        let without = HelperTable::dummy().without(rpyjit_jit::helpers::Op::BinaryOp);
        let refused = with(&without).err().expect("refused");
        assert!(
            refused.0.contains("no helper for BinaryOp"),
            "{}",
            refused.0
        );
    });
}
