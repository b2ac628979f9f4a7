//! The emulator runs Cranelift's AArch64 code (compiled with the JIT's own AArch64
//! settings) against this process's memory and functions: what each test's function
//! computes natively in Rust, its AArch64 code computes under the emulator.

use std::cell::Cell;
use std::sync::atomic::{AtomicU64, Ordering};

use cranelift_codegen::control::ControlPlane;
use cranelift_codegen::ir::condcodes::IntCC;
use cranelift_codegen::ir::{
    types, AbiParam, AtomicRmwOp, ExtFuncData, ExternalName, Function, InstBuilder, MemFlagsData,
    Signature, Type, UserExternalName, UserFuncName, Value,
};
use cranelift_codegen::isa::OwnedTargetIsa;
use cranelift_codegen::{Context, FinalizedRelocTarget};
use cranelift_frontend::{FunctionBuilder, FunctionBuilderContext};
use rpyjit_aarch64::{CodeBuffer, EmuError, Emulator, HostFn, Param, Ret};

fn isa() -> OwnedTargetIsa {
    rpyjit_jit::isa::aarch64().expect("AArch64 backend")
}

fn signature(isa: &OwnedTargetIsa, params: &[Type], rets: &[Type]) -> Signature {
    let mut sig = Signature::new(isa.default_call_conv());
    sig.params.extend(params.iter().map(|&t| AbiParam::new(t)));
    sig.returns.extend(rets.iter().map(|&t| AbiParam::new(t)));
    sig
}

/// Compiles the function `body` builds (it gets the entry block's parameters) for
/// AArch64, with its calls to imported function `i` bound to `imports[i]`.
fn compile(
    params: &[Type],
    rets: &[Type],
    imports: &[u64],
    body: impl FnOnce(&mut FunctionBuilder, &[Value], &OwnedTargetIsa),
) -> CodeBuffer {
    let isa = isa();
    let mut func =
        Function::with_name_signature(UserFuncName::default(), signature(&isa, params, rets));
    let mut fctx = FunctionBuilderContext::new();
    let mut b = FunctionBuilder::new(&mut func, &mut fctx);
    let entry = b.create_block();
    b.append_block_params_for_function_params(entry);
    b.switch_to_block(entry);
    b.seal_block(entry);
    let args = b.block_params(entry).to_vec();
    body(&mut b, &args, &isa);
    b.finalize(isa.frontend_config());
    let mut ctx = Context::for_function(func);
    rpyjit_jit::isa::verified(&ctx, &*isa).expect("valid CLIF");
    let names = ctx.func.params.user_named_funcs().clone();
    let compiled = ctx
        .compile(&*isa, &mut ControlPlane::default())
        .expect("compiles");
    let mut code = CodeBuffer::with_code(compiled.code_buffer());
    for r in compiled.buffer.relocs() {
        let FinalizedRelocTarget::ExternalName(ExternalName::User(name)) = r.target else {
            panic!("unexpected relocation target {:?}", r.target);
        };
        let index = names[name].index as usize;
        assert_eq!(
            r.kind,
            cranelift_codegen::binemit::Reloc::Abs8,
            "absolute addresses only"
        );
        let value = (imports[index] as i64 + r.addend) as u64;
        let at = r.offset as usize;
        code.bytes_mut()[at..at + 8].copy_from_slice(&value.to_le_bytes());
    }
    code
}

/// Calls the host function at `addr` (an AArch64-convention call the bridge carries).
fn call_host(
    b: &mut FunctionBuilder,
    isa: &OwnedTargetIsa,
    addr: u64,
    args: &[Value],
    params: &[Type],
    rets: &[Type],
) -> Vec<Value> {
    let sig = b.import_signature(signature(isa, params, rets));
    let f = b.ins().iconst(types::I64, addr as i64);
    let call = b.ins().call_indirect(sig, f, args);
    b.inst_results(call).to_vec()
}

/// A host function taking one `i64` and returning one.
fn int_to_int(name: &str, addr: u64) -> HostFn {
    let ret = Ret::Int {
        bits: 64,
        signed: true,
    };
    HostFn::new(name, addr, vec![int64()], ret).unwrap()
}

fn int64() -> Param {
    Param::Int {
        bits: 64,
        signed: true,
    }
}

#[test]
fn overflow_checked_integer_arithmetic_and_wide_constants_match_the_host() {
    const OVERFLOWED: i64 = 0x1234_5678_9abc_def0;
    // f(a, b) = a*b + a - b, or OVERFLOWED if any step overflows; a == OVERFLOWED
    // (a 64-bit immediate compared) gives -1.
    let code = compile(
        &[types::I64, types::I64],
        &[types::I64],
        &[],
        |b, args, _| {
            let (a, bb) = (args[0], args[1]);
            let (m, o1) = b.ins().smul_overflow(a, bb);
            let (s, o2) = b.ins().sadd_overflow(m, a);
            let (d, o3) = b.ins().ssub_overflow(s, bb);
            let any = b.ins().bor(o1, o2);
            let any = b.ins().bor(any, o3);
            let wide = b.ins().iconst(types::I64, OVERFLOWED);
            let r = b.ins().select(any, wide, d);
            let is_wide = b.ins().icmp_imm_s(IntCC::Equal, a, OVERFLOWED);
            let minus_one = b.ins().iconst(types::I64, -1);
            let r = b.ins().select(is_wide, minus_one, r);
            b.ins().return_(&[r]);
        },
    );
    let emu = Emulator::new().unwrap();
    emu.add_code(&code);
    let native = |a: i64, b: i64| -> i64 {
        if a == OVERFLOWED {
            return -1;
        }
        a.checked_mul(b)
            .and_then(|m| m.checked_add(a))
            .and_then(|s| s.checked_sub(b))
            .unwrap_or(OVERFLOWED)
    };
    let cases = [
        (3, 4),
        (-7, 9),
        (i64::MAX, 1),
        (i64::MIN, -1),
        (1 << 32, 1 << 31),
        (i64::MAX, 0),
        (i64::MIN + 1, 1),
        (OVERFLOWED, 2),
        (0, i64::MIN),
    ];
    for (a, b) in cases {
        let got = emu.call(code.addr(), &[a as u64, b as u64], &[]).unwrap().x[0] as i64;
        assert_eq!(got, native(a, b), "f({a}, {b})");
    }
}

#[test]
fn float_conversions_saturate_and_round_like_the_host() {
    // f(x, n) = (float(n) * x, int(x) saturating), returned in d0 and x0.
    let code = compile(
        &[types::F64, types::I64],
        &[types::F64, types::I64],
        &[],
        |b, args, _| {
            let n = b.ins().fcvt_from_sint(types::F64, args[1]);
            let p = b.ins().fmul(n, args[0]);
            let i = b.ins().fcvt_to_sint_sat(types::I64, args[0]);
            b.ins().return_(&[p, i]);
        },
    );
    let emu = Emulator::new().unwrap();
    emu.add_code(&code);
    for (x, n) in [
        (2.5, 3i64),
        (-2.5, -3),
        (f64::NAN, 1),
        (f64::INFINITY, 2),
        (-1e300, 7),
        (9.223372036854776e18, 1),
        (0.1, i64::MAX),
        (-0.0, 5),
    ] {
        let out = emu.call(code.addr(), &[n as u64], &[x.to_bits()]).unwrap();
        let (p, i) = (f64::from_bits(out.d[0]), out.x[0] as i64);
        let want = n as f64 * x;
        assert!(
            p.to_bits() == want.to_bits() || (p.is_nan() && want.is_nan()),
            "{n} * {x}: {p}"
        );
        assert_eq!(i, x as i64, "int({x})"); // Rust's `as` saturates, NaN to 0
    }
}

extern "C" fn mixed(a: i64, x: f64, b: i32, y: f64, c: u8) -> f64 {
    a as f64 * 1000.0 + x * 100.0 + f64::from(b) * 10.0 + y + f64::from(c)
}

#[test]
fn host_functions_get_ints_and_floats_through_the_bridge() {
    let addr = mixed as *const () as u64;
    // f(a, x) = mixed(a, x, 4, 0.5, 200) + 1.0
    let code = compile(
        &[types::I64, types::F64],
        &[types::F64],
        &[],
        |b, args, isa| {
            let four = b.ins().iconst(types::I32, 4);
            let half = b.ins().f64const(0.5);
            let c = b.ins().iconst(types::I8, 200);
            let r = call_host(
                b,
                isa,
                addr,
                &[args[0], args[1], four, half, c],
                &[types::I64, types::F64, types::I32, types::F64, types::I8],
                &[types::F64],
            )[0];
            let one = b.ins().f64const(1.0);
            let r = b.ins().fadd(r, one);
            b.ins().return_(&[r]);
        },
    );
    let emu = Emulator::new().unwrap();
    emu.add_code(&code);
    emu.add_host_fn(
        HostFn::new(
            "mixed",
            addr,
            vec![
                int64(),
                Param::F64,
                Param::Int {
                    bits: 32,
                    signed: true,
                },
                Param::F64,
                Param::Int {
                    bits: 8,
                    signed: false,
                },
            ],
            Ret::F64,
        )
        .unwrap(),
    );
    let out = emu.call(code.addr(), &[7], &[3.0f64.to_bits()]).unwrap();
    assert_eq!(f64::from_bits(out.d[0]), mixed(7, 3.0, 4, 0.5, 200) + 1.0);
    assert_eq!(emu.stats().host_calls, 1);
}

#[test]
fn emulated_code_reads_and_writes_host_memory_in_place_with_atomics() {
    // f(p) = the refcount word at p incremented atomically (old value returned), and
    // p[1] = p[1] * 2 with plain loads and stores.
    let code = compile(&[types::I64], &[types::I64], &[], |b, args, _| {
        let one = b.ins().iconst(types::I64, 1);
        let old = b.ins().atomic_rmw(
            types::I64,
            MemFlagsData::trusted(),
            AtomicRmwOp::Add,
            args[0],
            one,
        );
        let v = b
            .ins()
            .load(types::I64, MemFlagsData::trusted(), args[0], 8);
        let v2 = b.ins().iadd(v, v);
        b.ins().store(MemFlagsData::trusted(), v2, args[0], 8);
        b.ins().return_(&[old]);
    });
    let emu = Emulator::new().unwrap();
    emu.add_code(&code);
    let words: Box<[AtomicU64; 2]> = Box::new([AtomicU64::new(41), AtomicU64::new(21)]);
    let p = words.as_ptr() as u64;
    for round in 0..3u64 {
        let old = emu.call(code.addr(), &[p], &[]).unwrap().x[0];
        assert_eq!(old, 41 + round);
    }
    assert_eq!(words[0].load(Ordering::SeqCst), 44);
    assert_eq!(words[1].load(Ordering::SeqCst), 21 * 8);
    assert!(
        emu.stats().mappings >= 2,
        "the stack and the heap were mapped on demand"
    );
}

thread_local! {
    /// The emulator and function the re-entering host function calls.
    static REENTER: Cell<(usize, u64)> = const { Cell::new((0, 0)) };
}

/// A host function that calls the emulated `g(n - 1)`, as a helper calls back into
/// compiled code.
extern "C" fn reenter(n: i64) -> i64 {
    let (emu, g) = REENTER.with(Cell::get);
    // SAFETY: the test keeps the emulator alive for the whole emulated call.
    let emu = unsafe { &*(emu as *const Emulator) };
    emu.call(g, &[(n - 1) as u64], &[]).expect("nested call").x[0] as i64
}

#[test]
fn host_functions_can_call_back_into_emulated_code() {
    let addr = reenter as *const () as u64;
    // g(n) = 0 if n == 0 else n + reenter(n) = n + g(n - 1)
    let code = compile(&[types::I64], &[types::I64], &[], |b, args, isa| {
        let base = b.create_block();
        let step = b.create_block();
        b.ins().brif(args[0], step, &[], base, &[]);
        b.switch_to_block(base);
        b.seal_block(base);
        let zero = b.ins().iconst(types::I64, 0);
        b.ins().return_(&[zero]);
        b.switch_to_block(step);
        b.seal_block(step);
        let r = call_host(b, isa, addr, &[args[0]], &[types::I64], &[types::I64])[0];
        let s = b.ins().iadd(args[0], r);
        b.ins().return_(&[s]);
    });
    let emu = Emulator::new().unwrap();
    emu.add_code(&code);
    emu.add_host_fn(int_to_int("reenter", addr));
    REENTER.with(|c| c.set((&emu as *const Emulator as usize, code.addr())));
    assert_eq!(emu.call(code.addr(), &[10], &[]).unwrap().x[0], 55);
    assert_eq!(emu.stats().host_calls, 10);
    assert_eq!(emu.stats().calls, 11);
    // The top-level call after nested ones starts from a clean stack again.
    assert_eq!(emu.call(code.addr(), &[3], &[]).unwrap().x[0], 6);
}

extern "C" fn triple(x: i64) -> i64 {
    3 * x
}

#[test]
fn calls_through_relocated_absolute_addresses_reach_the_host() {
    // A call to an imported function: Cranelift leaves an absolute 64-bit relocation.
    let addr = triple as *const () as u64;
    let code = compile(&[types::I64], &[types::I64], &[addr], |b, args, isa| {
        let sig = b.import_signature(signature(isa, &[types::I64], &[types::I64]));
        let name = b
            .func
            .declare_imported_user_function(UserExternalName::new(0, 0));
        let f = b.import_function(ExtFuncData {
            name: ExternalName::user(name),
            signature: sig,
            colocated: false,
            patchable: false,
        });
        let call = b.ins().call(f, &[args[0]]);
        let r = b.inst_results(call)[0];
        b.ins().return_(&[r]);
    });
    let emu = Emulator::new().unwrap();
    emu.add_code(&code);
    emu.add_host_fn(int_to_int("triple", addr));
    assert_eq!(emu.call(code.addr(), &[14], &[]).unwrap().x[0], 42);
}

#[test]
fn a_branch_into_unregistered_host_code_stops_with_an_error() {
    let addr = triple as *const () as u64;
    let code = compile(&[types::I64], &[types::I64], &[], |b, args, isa| {
        let r = call_host(b, isa, addr, &[args[0]], &[types::I64], &[types::I64])[0];
        b.ins().return_(&[r]);
    });
    let emu = Emulator::new().unwrap();
    emu.add_code(&code);
    match emu.call(code.addr(), &[1], &[]) {
        Err(EmuError::UnknownHostCode { pc, return_address }) => {
            assert_eq!(pc, addr);
            assert!(
                return_address > code.addr() && return_address < code.addr() + code.len() as u64
            );
        }
        other => panic!("expected an unknown host call, got {other:?}"),
    }
    // A wild load stops the emulation too, and the emulator stays usable.
    let wild = compile(&[], &[types::I64], &[], |b, _, _| {
        let p = b.ins().iconst(types::I64, 0x10);
        let v = b.ins().load(types::I64, MemFlagsData::trusted(), p, 0);
        b.ins().return_(&[v]);
    });
    emu.add_code(&wild);
    assert!(matches!(
        emu.call(wild.addr(), &[], &[]),
        Err(EmuError::Stopped { .. })
    ));
    emu.add_host_fn(int_to_int("triple", addr));
    assert_eq!(emu.call(code.addr(), &[5], &[]).unwrap().x[0], 15);
}

#[test]
fn removed_code_no_longer_runs() {
    let addr = triple as *const () as u64;
    let code = compile(&[types::I64], &[types::I64], &[], |b, args, isa| {
        let r = call_host(b, isa, addr, &[args[0]], &[types::I64], &[types::I64])[0];
        b.ins().return_(&[r]);
    });
    let emu = Emulator::new().unwrap();
    emu.add_code(&code);
    emu.add_host_fn(int_to_int("triple", addr));
    assert_eq!(emu.call(code.addr(), &[2], &[]).unwrap().x[0], 6);
    // Removed, its pages are unmapped (translations dropped) and no longer executable;
    // the memory around it (the same host mapping) stays usable.
    emu.remove_code(&code);
    assert!(matches!(
        emu.call(code.addr(), &[2], &[]),
        Err(EmuError::UnknownHostCode { .. }) | Err(EmuError::Stopped { .. })
    ));
    let again = CodeBuffer::with_code(code.bytes());
    emu.add_code(&again);
    assert_eq!(emu.call(again.addr(), &[5], &[]).unwrap().x[0], 15);
}
