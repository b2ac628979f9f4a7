//! An AArch64 CPU (Unicorn's, Cortex-A72: ARMv8.0, so atomics are load/store-exclusive
//! loops, as Cranelift emits them for a baseline AArch64 target) that runs code in this
//! process's memory:
//!
//! - **Memory**: the emulator starts empty; the first access to an address maps the
//!   host memory around it (its 2 MiB chunk, within the host mapping that holds it) at
//!   the same addresses ([`Unicorn::mem_map_ptr`]: the emulator reads and writes host
//!   memory in place). Host code is never mapped, so a branch into host code stops the
//!   emulation; writable host memory is executable in the emulator (code buffers live
//!   there), read-only memory is read-only.
//! - **Code**: only [`CodeBuffer`]s registered with [`Emulator::add_code`] are
//!   fetched from when first reached.
//! - **Host calls**: a branch to the address of a registered [`HostFn`] stops the
//!   emulation at that address; the driver calls the host function with the argument
//!   registers ([`bridge::call`]), puts its result in `x0`/`d0` and continues at the
//!   return address in `x30`. The host function may itself call emulated code again
//!   ([`Emulator::call`] nests: the suspended caller's registers are saved around it).
//!
//! A host page mapped once stays mapped: the emulator touches host memory only where
//! the emulated code accesses it, and code that accesses memory holds what lives there,
//! so a page the host unmapped later is never accessed through a stale mapping unless
//! its native twin would fault too. Code memory is the exception (the emulator caches
//! translations of it): [`Emulator::remove_code`] before a code buffer is freed.

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};

use unicorn_engine::unicorn_const::{uc_error, Arch, HookType, MemType, Mode, Permission};
use unicorn_engine::{RegisterARM64 as Reg, Unicorn};

use crate::bridge::{self, HostFn, Registers, MAX_ARGS_PER_CLASS};
use crate::host_memory::{self, page_of, CodeBuffer, Region, PAGE};

/// Why an emulated call did not return normally.
#[derive(Clone, Debug, PartialEq)]
pub enum EmuError {
    /// Unicorn stopped with `error` at `pc` (an invalid instruction, an access to
    /// memory the host does not have, a write to read-only memory, ...).
    Stopped { error: uc_error, pc: u64 },
    /// A branch to host code that is not a registered host function.
    UnknownHostCode { pc: u64, return_address: u64 },
    /// More arguments than [`MAX_ARGS_PER_CLASS`] of one class.
    TooManyArguments,
    /// The call did not return within its instruction budget.
    OutOfTime { pc: u64 },
}

/// Counts of what the emulator did, for reports.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct EmuStats {
    pub calls: u64,
    pub host_calls: u64,
    /// Host ranges mapped into the emulator.
    pub mappings: u64,
}

struct State {
    /// This process's mappings as last read (reread when an address is not in them).
    regions: Vec<Region>,
    /// Code the emulator may execute: (start, end).
    code: Vec<(u64, u64)>,
    /// Host ranges mapped so far, disjoint: start → end.
    mapped: BTreeMap<u64, u64>,
    host_fns: HashMap<u64, HostFn>,
    stats: EmuStats,
}

/// Host memory is mapped in pieces of at most this size (aligned to it), each within one
/// host mapping: large enough that a program's heap takes few of them (QEMU's table of
/// memory sections is small), small enough not to map what the code never touches.
const CHUNK: u64 = 2 << 20;

impl State {
    fn in_code(&self, page: u64) -> bool {
        self.code.iter().any(|&(s, e)| page < e && s < page + PAGE)
    }

    fn is_mapped(&self, page: u64) -> bool {
        self.mapped
            .range(..=page)
            .next_back()
            .is_some_and(|(_, &end)| page < end)
    }

    /// The host range to map for an access to `page`, and the emulator's permissions
    /// for it: the unmapped part of `page`'s chunk within its host mapping. `None` when
    /// the host does not have the page, or has it as code (reached through the bridge,
    /// never executed here), or when a fetch is not from a registered code buffer.
    fn range_for(&mut self, page: u64, fetch: bool) -> Option<(u64, u64, Permission)> {
        if fetch && !self.in_code(page) {
            return None;
        }
        // Mappings change under a snapshot (malloc reserves arenas without access and
        // opens them as they grow): a page the snapshot does not show as readable data
        // is looked up again in a fresh one.
        let usable = |r: &Region| r.read && !r.exec;
        let mut region = host_memory::find(&self.regions, page).filter(usable);
        if region.is_none() {
            self.regions = host_memory::snapshot().ok()?;
            region = host_memory::find(&self.regions, page).filter(usable);
        }
        let r = region?;
        let mut lo = r.start.max(page & !(CHUNK - 1));
        let mut hi = r.end.min((page | (CHUNK - 1)) + 1);
        if let Some((_, &end)) = self.mapped.range(..=page).next_back() {
            lo = lo.max(end);
        }
        if let Some((&start, _)) = self.mapped.range(page + 1..).next() {
            hi = hi.min(start);
        }
        // Writable host memory may hold code buffers: executable in the emulator.
        let perms = if r.write {
            Permission::ALL
        } else {
            Permission::READ
        };
        Some((lo, hi, perms))
    }

    /// Forgets that `[start, end)` is mapped (splitting the ranges that cover it).
    fn forget(&mut self, start: u64, end: u64) {
        let covering: Vec<(u64, u64)> = self
            .mapped
            .range(..end)
            .filter(|(_, &e)| e > start)
            .map(|(&s, &e)| (s, e))
            .collect();
        for (s, e) in covering {
            self.mapped.remove(&s);
            if s < start {
                self.mapped.insert(s, start);
            }
            if end < e {
                self.mapped.insert(end, e);
            }
        }
    }
}

/// The address emulated calls return to: a code page of the emulator's own whose first
/// instruction is never executed (reaching it ends the call).
struct ReturnPad(CodeBuffer);

pub struct Emulator {
    uc: RefCell<Unicorn<'static, State>>,
    pad: ReturnPad,
    _stack: CodeBuffer,
    stack_top: u64,
    /// Emulated calls in progress on this emulator (nested through host functions).
    depth: std::cell::Cell<usize>,
    /// Instructions one top-level call may run (0: no limit).
    pub budget: usize,
}

/// The registers of AArch64's argument and result convention, in order.
const X: [Reg; MAX_ARGS_PER_CLASS] = [
    Reg::X0,
    Reg::X1,
    Reg::X2,
    Reg::X3,
    Reg::X4,
    Reg::X5,
    Reg::X6,
    Reg::X7,
];
const D: [Reg; MAX_ARGS_PER_CLASS] = [
    Reg::D0,
    Reg::D1,
    Reg::D2,
    Reg::D3,
    Reg::D4,
    Reg::D5,
    Reg::D6,
    Reg::D7,
];

/// Stack of every emulated call chain.
const STACK_BYTES: usize = 4 << 20;

impl Emulator {
    pub fn new() -> Result<Self, uc_error> {
        let state = State {
            regions: host_memory::snapshot().unwrap_or_default(),
            code: Vec::new(),
            mapped: Default::default(),
            host_fns: HashMap::new(),
            stats: EmuStats::default(),
        };
        let mut uc = Unicorn::new_with_data(Arch::ARM64, Mode::LITTLE_ENDIAN, state)?;
        uc.add_mem_hook(HookType::MEM_UNMAPPED, 1, 0, map_host_page)?;
        let pad = ReturnPad(CodeBuffer::new(16));
        let stack = CodeBuffer::new(STACK_BYTES);
        let stack_top = stack.addr() + stack.len() as u64;
        let emu = Emulator {
            uc: RefCell::new(uc),
            pad,
            _stack: stack,
            stack_top,
            depth: Default::default(),
            budget: 0,
        };
        emu.add_code(&emu.pad.0);
        Ok(emu)
    }

    /// Lets the emulator execute `code` (until [`Emulator::remove_code`]).
    pub fn add_code(&self, code: &CodeBuffer) {
        let mut uc = self.uc.borrow_mut();
        uc.get_data_mut()
            .code
            .push((code.addr(), code.addr() + code.len() as u64));
    }

    /// Forgets `code` and what the emulator translated of it: call before freeing it.
    pub fn remove_code(&self, code: &CodeBuffer) {
        let mut uc = self.uc.borrow_mut();
        let (start, end) = (code.addr(), code.addr() + code.len() as u64);
        uc.get_data_mut().code.retain(|&c| c != (start, end));
        for page in (start..end).step_by(PAGE as usize) {
            if uc.get_data().is_mapped(page) {
                // Unmapping drops the translations Unicorn cached for the page.
                let _ = uc.mem_unmap(page, PAGE as usize);
                uc.get_data_mut().forget(page, page + PAGE);
            }
        }
    }

    /// Lets emulated code call `f` (a branch to `f.addr`).
    pub fn add_host_fn(&self, f: HostFn) {
        self.uc
            .borrow_mut()
            .get_data_mut()
            .host_fns
            .insert(f.addr, f);
    }

    pub fn stats(&self) -> EmuStats {
        self.uc.borrow().get_data().stats
    }

    /// Calls the AArch64 function at `entry` with integer arguments `ints` and float
    /// arguments `floats` (bit patterns), and returns `x0` and `d0` as it left them.
    pub fn call(&self, entry: u64, ints: &[u64], floats: &[u64]) -> Result<Registers, EmuError> {
        if ints.len() > MAX_ARGS_PER_CLASS || floats.len() > MAX_ARGS_PER_CLASS {
            return Err(EmuError::TooManyArguments);
        }
        let mut uc = self.uc.borrow_mut();
        uc.get_data_mut().stats.calls += 1;
        // A call from a bridged host function suspends an emulated caller: keep its
        // registers, and put this call's frames below its stack pointer.
        let nested = self.depth.get() > 0;
        let saved = if nested {
            Some(uc.context_init().map_err(|e| stopped(&uc, e))?)
        } else {
            None
        };
        let sp = if nested {
            (uc.reg_read(Reg::SP).map_err(|e| stopped(&uc, e))? - 256) & !15
        } else {
            self.stack_top
        };
        let mut regs = Registers::default();
        regs.x[..ints.len()].copy_from_slice(ints);
        regs.d[..floats.len()].copy_from_slice(floats);
        write_args(&mut uc, &regs).map_err(|e| stopped(&uc, e))?;
        let pad = self.pad.0.addr();
        for (reg, v) in [(Reg::SP, sp), (Reg::X30, pad), (Reg::X29, 0)] {
            uc.reg_write(reg, v).map_err(|e| stopped(&uc, e))?;
        }
        drop(uc);
        self.depth.set(self.depth.get() + 1);
        let result = self.run_until_return(entry, pad);
        self.depth.set(self.depth.get() - 1);
        let uc = self.uc.borrow_mut();
        let result = result.and_then(|()| read_result(&uc).map_err(|e| stopped(&uc, e)));
        if let Some(ctx) = saved {
            uc.context_restore(&ctx).map_err(|e| stopped(&uc, e))?;
        }
        result
    }

    /// Runs from `pc` until the code returns to `pad`, bridging host calls on the way.
    fn run_until_return(&self, mut pc: u64, pad: u64) -> Result<(), EmuError> {
        loop {
            let mut uc = self.uc.borrow_mut();
            let run = uc.emu_start(pc, pad, 0, self.budget);
            let at = uc.pc_read().unwrap_or(0);
            match run {
                Ok(()) if at == pad => return Ok(()),
                Ok(()) => return Err(EmuError::OutOfTime { pc: at }),
                Err(uc_error::FETCH_UNMAPPED | uc_error::FETCH_PROT) => {
                    let return_address = uc.reg_read(Reg::X30).map_err(|e| stopped(&uc, e))?;
                    let Some(f) = uc.get_data().host_fns.get(&at).cloned() else {
                        return Err(EmuError::UnknownHostCode {
                            pc: at,
                            return_address,
                        });
                    };
                    let args = read_args(&uc).map_err(|e| stopped(&uc, e))?;
                    uc.get_data_mut().stats.host_calls += 1;
                    // The host function may call back into emulated code.
                    drop(uc);
                    // SAFETY: `f` was registered with its signature; the emulated caller
                    // passes what its native twin would.
                    let out = unsafe { bridge::call(&f, &args) };
                    let mut uc = self.uc.borrow_mut();
                    uc.reg_write(Reg::X0, out.x[0])
                        .map_err(|e| stopped(&uc, e))?;
                    uc.reg_write(Reg::D0, out.d[0])
                        .map_err(|e| stopped(&uc, e))?;
                    pc = return_address;
                }
                Err(error) => return Err(EmuError::Stopped { error, pc: at }),
            }
        }
    }
}

/// Maps the host memory an access of the emulated code touched, if the host has it.
fn map_host_page(
    uc: &mut Unicorn<'_, State>,
    kind: MemType,
    addr: u64,
    size: usize,
    _value: i64,
) -> bool {
    let fetch = kind == MemType::FETCH_UNMAPPED;
    let last = page_of(addr.saturating_add(size.max(1) as u64 - 1));
    let mut page = page_of(addr);
    while page <= last {
        if !uc.get_data().is_mapped(page) {
            let Some((lo, hi, perms)) = uc.get_data_mut().range_for(page, fetch) else {
                return false;
            };
            // SAFETY: `[lo, hi)` is mapped in this process with at least `perms`' read
            // and write rights; the emulator accesses it only where the emulated code
            // does.
            let len = (hi - lo) as usize;
            if unsafe { uc.mem_map_ptr(lo, len, perms, lo as *mut _) }.is_err() {
                return false;
            }
            let state = uc.get_data_mut();
            state.mapped.insert(lo, hi);
            state.stats.mappings += 1;
        }
        page += PAGE;
    }
    true
}

fn stopped(uc: &Unicorn<'_, State>, error: uc_error) -> EmuError {
    EmuError::Stopped {
        error,
        pc: uc.pc_read().unwrap_or(0),
    }
}

fn write_args(uc: &mut Unicorn<'_, State>, regs: &Registers) -> Result<(), uc_error> {
    for i in 0..MAX_ARGS_PER_CLASS {
        uc.reg_write(X[i], regs.x[i])?;
        uc.reg_write(D[i], regs.d[i])?;
    }
    Ok(())
}

fn read_args(uc: &Unicorn<'_, State>) -> Result<Registers, uc_error> {
    let mut regs = Registers::default();
    for i in 0..MAX_ARGS_PER_CLASS {
        regs.x[i] = uc.reg_read(X[i])?;
        regs.d[i] = uc.reg_read(D[i])?;
    }
    Ok(regs)
}

fn read_result(uc: &Unicorn<'_, State>) -> Result<Registers, uc_error> {
    let mut regs = Registers::default();
    regs.x[0] = uc.reg_read(Reg::X0)?;
    regs.d[0] = uc.reg_read(Reg::D0)?;
    Ok(regs)
}
