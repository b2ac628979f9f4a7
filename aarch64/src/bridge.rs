//! Calling a host function (x86-64, System V) with the arguments an AArch64 caller put in
//! its registers (AAPCS64), and handing its result back in `x0`/`d0`.
//!
//! Both conventions assign integer and floating-point arguments to registers
//! independently, in order: the k-th integer argument is `x<k>` on AArch64, and the k-th
//! integer register or stack slot of System V; the k-th float is `v<k>` and `xmm<k>`. So
//! every host function with at most eight arguments of each class is called the same
//! way: with all eight integer registers as its integer arguments and all eight vector
//! registers as its float arguments, in order. The arguments it does not declare are
//! ignored (System V: registers the callee does not read, stack slots the caller pops).

/// How a parameter is passed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Param {
    /// An integer or pointer of `bits` bits. System V callees compiled by LLVM assume
    /// arguments narrower than 32 bits extended to 32 (AAPCS64 callers need not do
    /// it), so the bridge extends them.
    Int {
        bits: u8,
        signed: bool,
    },
    F64,
    /// In the low half of the register, on both architectures.
    F32,
}

/// What a host function returns.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ret {
    Void,
    /// Extended to 64 bits in `x0` (the host leaves the bits above `bits` undefined).
    Int {
        bits: u8,
        signed: bool,
    },
    F64,
    F32,
}

/// A host function emulated code may call, and how.
#[derive(Clone, Debug)]
pub struct HostFn {
    pub name: String,
    pub addr: u64,
    pub params: Vec<Param>,
    pub ret: Ret,
}

/// The most arguments of one class a bridged call passes in registers.
pub const MAX_ARGS_PER_CLASS: usize = 8;

impl HostFn {
    /// `None` unless every argument travels in a register on both sides.
    pub fn new(name: &str, addr: u64, params: Vec<Param>, ret: Ret) -> Option<Self> {
        let ints = params
            .iter()
            .filter(|p| matches!(p, Param::Int { .. }))
            .count();
        let floats = params.len() - ints;
        (ints <= MAX_ARGS_PER_CLASS && floats <= MAX_ARGS_PER_CLASS).then(|| HostFn {
            name: name.to_string(),
            addr,
            params,
            ret,
        })
    }
}

/// Register contents at a call or a return: `x0..x7` and the low 64 bits of `v0..v7`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Registers {
    pub x: [u64; MAX_ARGS_PER_CLASS],
    pub d: [u64; MAX_ARGS_PER_CLASS],
}

fn extend(value: u64, bits: u8, signed: bool) -> u64 {
    if bits >= 64 {
        return value;
    }
    let shift = 64 - u32::from(bits);
    if signed {
        (((value << shift) as i64) >> shift) as u64
    } else {
        (value << shift) >> shift
    }
}

/// Every bridged host function, called as returning `R` (`u64`: in `rax`; `f64`: in
/// `xmm0`).
type AllRegisters<R> = unsafe extern "C" fn(
    u64,
    u64,
    u64,
    u64,
    u64,
    u64,
    u64,
    u64,
    f64,
    f64,
    f64,
    f64,
    f64,
    f64,
    f64,
    f64,
) -> R;

/// Calls the host function at `addr` with every argument register of both classes.
///
/// # Safety
/// As for [`call`]; `R` is where the function leaves its result.
unsafe fn call_with_all<R>(addr: u64, x: &[u64; 8], d: &[f64; 8]) -> R {
    // SAFETY: the caller guarantees the function and its signature; the module doc says
    // why passing every register of both classes calls it correctly.
    let func: AllRegisters<R> = unsafe { std::mem::transmute(addr as usize) };
    unsafe {
        func(
            x[0], x[1], x[2], x[3], x[4], x[5], x[6], x[7], d[0], d[1], d[2], d[3], d[4], d[5],
            d[6], d[7],
        )
    }
}

/// Calls `f` with the arguments in `args` (as an AArch64 caller left them) and returns
/// the registers an AArch64 caller reads its result from.
///
/// # Safety
/// `f.addr` must be a host function with the System V convention whose parameters and
/// result are `f.params` and `f.ret`, and calling it with these arguments must be sound
/// (what the emulated caller passes is what its native twin passes).
pub unsafe fn call(f: &HostFn, args: &Registers) -> Registers {
    let mut x = args.x;
    let mut ints = 0;
    for p in &f.params {
        if let Param::Int { bits, signed } = *p {
            if bits < 32 {
                x[ints] = extend(x[ints], bits, signed) & 0xffff_ffff;
            }
            ints += 1;
        }
    }
    let d = args.d.map(f64::from_bits);
    let mut out = Registers::default();
    match f.ret {
        // SAFETY (every arm): the caller's guarantees, and the result register of `f.ret`.
        Ret::Void => {
            unsafe { call_with_all::<u64>(f.addr, &x, &d) };
        }
        Ret::Int { bits, signed } => {
            out.x[0] = extend(
                unsafe { call_with_all::<u64>(f.addr, &x, &d) },
                bits,
                signed,
            );
        }
        Ret::F64 => out.d[0] = unsafe { call_with_all::<f64>(f.addr, &x, &d) }.to_bits(),
        Ret::F32 => {
            out.d[0] = unsafe { call_with_all::<f64>(f.addr, &x, &d) }.to_bits() & 0xffff_ffff;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    extern "C" fn mixed(a: i64, x: f64, b: i32, y: f64, c: u8) -> f64 {
        a as f64 * 1000.0 + x * 100.0 + f64::from(b) * 10.0 + y + f64::from(c)
    }

    extern "C" fn narrow(a: i8, b: u16) -> i8 {
        a.wrapping_sub(b as i8)
    }

    extern "C" fn eight_ints(
        a: u64,
        b: u64,
        c: u64,
        d: u64,
        e: u64,
        f: u64,
        g: u64,
        h: u64,
    ) -> u64 {
        a + 2 * b + 3 * c + 4 * d + 5 * e + 6 * f + 7 * g + 8 * h
    }

    #[test]
    fn ints_and_floats_reach_their_parameters_in_order_of_their_class() {
        let f = HostFn::new(
            "mixed",
            mixed as *const () as u64,
            vec![
                Param::Int {
                    bits: 64,
                    signed: true,
                },
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
        .unwrap();
        let mut r = Registers::default();
        // Garbage above the declared widths, as an AArch64 caller may leave it.
        r.x[..3].copy_from_slice(&[3, 0xdead_beef_0000_0004, 0xffff_ff00 | 5]);
        r.d[..2].copy_from_slice(&[2.0f64.to_bits(), 1.0f64.to_bits()]);
        let out = unsafe { call(&f, &r) };
        assert_eq!(f64::from_bits(out.d[0]), 3000.0 + 200.0 + 40.0 + 1.0 + 5.0);
    }

    #[test]
    fn narrow_results_come_back_extended_to_the_whole_register() {
        let f = HostFn::new(
            "narrow",
            narrow as *const () as u64,
            vec![
                Param::Int {
                    bits: 8,
                    signed: true,
                },
                Param::Int {
                    bits: 16,
                    signed: false,
                },
            ],
            Ret::Int {
                bits: 8,
                signed: true,
            },
        )
        .unwrap();
        let mut r = Registers::default();
        r.x[0] = 0xffff_ff00 | 3; // 3 as an i8 with garbage above
        r.x[1] = 5;
        let out = unsafe { call(&f, &r) };
        assert_eq!(out.x[0] as i64, -2);
    }

    #[test]
    fn eight_integer_arguments_pass_where_system_v_puts_two_on_the_stack() {
        let f = HostFn::new(
            "eight_ints",
            eight_ints as *const () as u64,
            vec![
                Param::Int {
                    bits: 64,
                    signed: false
                };
                8
            ],
            Ret::Int {
                bits: 64,
                signed: false,
            },
        )
        .unwrap();
        let r = Registers {
            x: [1, 1, 1, 1, 1, 1, 1, 1],
            ..Default::default()
        };
        assert_eq!(unsafe { call(&f, &r) }.x[0], 36);
        assert!(HostFn::new("too_many", 0, vec![Param::F64; 9], Ret::Void).is_none());
    }
}
