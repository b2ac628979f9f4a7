//! The same CLIF compiles for the host and for AArch64: the translator has one code path.

use cranelift_codegen::control::ControlPlane;
use cranelift_codegen::ir::{types, AbiParam, Function, InstBuilder, Signature, UserFuncName};
use cranelift_codegen::isa::{CallConv, TargetIsa};
use cranelift_codegen::Context;
use cranelift_frontend::{FunctionBuilder, FunctionBuilderContext};

/// `fn(a: i64, b: i64) -> i64 { if a < b { a + b } else { a * b } }` for the given ISA's
/// default calling convention.
fn small_function(isa: &dyn TargetIsa) -> Function {
    let mut sig = Signature::new(CallConv::triple_default(isa.triple()));
    sig.params.push(AbiParam::new(types::I64));
    sig.params.push(AbiParam::new(types::I64));
    sig.returns.push(AbiParam::new(types::I64));
    let mut func = Function::with_name_signature(UserFuncName::user(0, 0), sig);
    let mut fctx = FunctionBuilderContext::new();
    let mut b = FunctionBuilder::new(&mut func, &mut fctx);
    let entry = b.create_block();
    let then_b = b.create_block();
    let else_b = b.create_block();
    b.append_block_params_for_function_params(entry);
    b.switch_to_block(entry);
    let (x, y) = (b.block_params(entry)[0], b.block_params(entry)[1]);
    let lt = b.ins().icmp(
        cranelift_codegen::ir::condcodes::IntCC::SignedLessThan,
        x,
        y,
    );
    b.ins().brif(lt, then_b, &[], else_b, &[]);
    b.switch_to_block(then_b);
    let s = b.ins().iadd(x, y);
    b.ins().return_(&[s]);
    b.switch_to_block(else_b);
    let p = b.ins().imul(x, y);
    b.ins().return_(&[p]);
    b.seal_all_blocks();
    b.finalize(isa.frontend_config());
    func
}

fn compile_for(isa: &dyn TargetIsa) -> usize {
    let mut ctx = Context::for_function(small_function(isa));
    let code = ctx
        .compile(isa, &mut ControlPlane::default())
        .unwrap_or_else(|e| panic!("{} failed: {:?}", isa.triple(), e.inner));
    code.code_buffer().len()
}

#[test]
fn small_clif_function_compiles_for_the_host() {
    let isa = rpyjit_jit::isa::host().expect("host ISA");
    assert!(compile_for(&*isa) > 0);
}

#[test]
fn small_clif_function_compiles_for_aarch64() {
    let isa = rpyjit_jit::isa::aarch64().expect("aarch64 ISA");
    assert_eq!(
        isa.triple().architecture,
        target_lexicon::Architecture::Aarch64(target_lexicon::Aarch64Architecture::Aarch64)
    );
    assert!(compile_for(&*isa) > 0);
}

#[test]
fn both_supported_architectures_are_available() {
    let isas = rpyjit_jit::isa::all_supported().expect("ISAs");
    let names: Vec<String> = isas
        .iter()
        .map(|i| i.triple().architecture.to_string())
        .collect();
    assert!(names.contains(&"aarch64".to_string()), "{names:?}");
    assert!(names.contains(&"x86_64".to_string()), "{names:?}");
    for isa in &isas {
        assert!(compile_for(&**isa) > 0);
    }
}
