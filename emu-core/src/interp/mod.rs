//! The IR interpreter: the reference semantics of every IR op, and the `--engine interp` engine.
//!
//! Values live in a per-block array of `u128`, zero-extended from their type's width (I1 is 0 or
//! 1). Integer ops are here; the FP family is in [`fp`], the vector family in [`vec`]. Guest
//! memory is identity-mapped, so `Load`/`Store` dereference the guest address directly; a bad
//! address faults in the host like it would in the guest.

mod fp;
mod mem;
mod vec;

use crate::cpu::CpuState;
use crate::engine::{Engine, Exit};
use crate::guest::Guest;
use crate::ir::*;
use crate::tb::BlockCache;
use std::sync::Arc;

/// The interpreting engine for one guest thread.
pub struct Interp {
    guest: Arc<dyn Guest>,
    cache: Arc<BlockCache>,
    vals: Vec<u128>,
}

impl Interp {
    pub fn new(guest: Arc<dyn Guest>, cache: Arc<BlockCache>) -> Interp {
        Interp { guest, cache, vals: Vec::new() }
    }
}

impl Engine for Interp {
    fn run(&mut self, cpu: &mut CpuState) -> Exit {
        loop {
            let block = self.cache.get_or_translate(cpu.pc, &*self.guest);
            match exec_block(&block, cpu, &mut self.vals, &self.cache) {
                Flow::Next(pc) => cpu.pc = pc,
                Flow::Exit(e) => return e,
            }
        }
    }

    fn invalidate(&mut self, addr: u64, len: u64) {
        self.cache.invalidate(addr, len);
    }

    fn stats(&self) -> String {
        let n = self.cache.translated.load(std::sync::atomic::Ordering::Relaxed);
        format!("engine: interp\nblocks translated: {n}\n")
    }
}

/// Where control goes after a block.
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub enum Flow {
    Next(u64),
    Exit(Exit),
}

/// Mask `v` to the width of `ty`.
#[inline]
pub(crate) fn mask(ty: Ty, v: u128) -> u128 {
    match ty {
        Ty::Void => 0,
        Ty::I1 => v & 1,
        Ty::I32 | Ty::F32 => v & 0xffff_ffff,
        Ty::I64 | Ty::F64 => v & 0xffff_ffff_ffff_ffff,
        Ty::V128 => v,
    }
}

/// Sign-extend the low `bits` of `v` to i128.
#[inline]
pub(crate) fn sext(v: u128, bits: u32) -> i128 {
    let s = 128 - bits;
    ((v << s) as i128) >> s
}

/// Evaluate instruction `idx` of `b` alone, with operand values taken from `vals` (indexed by
/// value number, zero-extended as the interpreter keeps them). This is the JIT's fallback for
/// ops it does not emit natively, so both engines share one definition of every op.
/// `CodeInval` is not performed here: the JIT handles it itself.
pub fn eval_inst(b: &Block, idx: usize, cpu: &mut CpuState, vals: &[u128]) -> u128 {
    static NO_CACHE: std::sync::OnceLock<BlockCache> = std::sync::OnceLock::new();
    let inst = &b.insts[idx];
    mask(inst.ty, eval(b, inst, cpu, vals, NO_CACHE.get_or_init(BlockCache::new)))
}

/// Execute one block: runs its instructions against `cpu` and returns where to go next. The
/// state's `pc` is updated only on exit (and for traps, to the trapping instruction).
pub fn exec_block(b: &Block, cpu: &mut CpuState, vals: &mut Vec<u128>, cache: &BlockCache) -> Flow {
    vals.clear();
    vals.resize(b.insts.len(), 0);
    for (i, inst) in b.insts.iter().enumerate() {
        if let Op::ExitIf { cond, target } = inst.op {
            if vals[cond.0 as usize] & 1 != 0 {
                return Flow::Next(target);
            }
            continue;
        }
        let r = eval(b, inst, cpu, vals, cache);
        vals[i] = mask(inst.ty, r);
    }
    match &b.term {
        Term::Jump { target } | Term::Call { target, .. } => Flow::Next(*target),
        Term::Branch { cond, taken, not_taken } => {
            Flow::Next(if vals[cond.0 as usize] & 1 != 0 { *taken } else { *not_taken })
        }
        Term::Indirect { target, .. } => Flow::Next(vals[target.0 as usize] as u64),
        Term::Syscall { next } => {
            cpu.pc = *next;
            Flow::Exit(Exit::Syscall)
        }
        Term::Trap { pc, kind } => {
            cpu.pc = *pc;
            Flow::Exit(Exit::Trap { pc: *pc, kind: *kind })
        }
    }
}

fn bits(ty: Ty) -> u32 {
    ty.bits()
}

/// AArch64 condition `cond` against NZCV in bits 31:28.
pub fn cond_holds(cond: u8, nzcv: u32) -> bool {
    let n = nzcv >> 31 & 1 != 0;
    let z = nzcv >> 30 & 1 != 0;
    let c = nzcv >> 29 & 1 != 0;
    let v = nzcv >> 28 & 1 != 0;
    let r = match cond >> 1 {
        0 => z,
        1 => c,
        2 => n,
        3 => v,
        4 => c && !z,
        5 => n == v,
        6 => n == v && !z,
        _ => true,
    };
    if cond & 1 != 0 && cond != 15 {
        !r
    } else {
        r
    }
}

/// NZCV of `a + b + carry` at width `w`.
pub fn nzcv_add(w: u32, a: u128, b: u128, carry: u128) -> u32 {
    let m = (1u128 << w) - 1;
    let (a, b) = (a & m, b & m);
    let full = a + b + carry;
    let r = full & m;
    let n = (r >> (w - 1)) & 1;
    let z = (r == 0) as u128;
    let c = (full >> w) & 1;
    let sa = sext(a, w);
    let sb = sext(b, w);
    let sr = sa + sb + carry as i128;
    let v = (sr != sext(r, w)) as u128;
    ((n << 31) | (z << 30) | (c << 29) | (v << 28)) as u32
}

fn carry_of(nzcv: u128) -> u128 {
    (nzcv >> 29) & 1
}

fn eval(b: &Block, inst: &Inst, cpu: &mut CpuState, vals: &[u128], cache: &BlockCache) -> u128 {
    let ty = inst.ty;
    let w = bits(ty);
    let v = |x: &Val| vals[x.0 as usize];
    let tyof = |x: &Val| b.ty(*x);
    match &inst.op {
        // Taken in `exec_block`; alone (`eval_inst`) it computes nothing.
        Op::Mark { .. } | Op::ExitIf { .. } => 0,
        Op::Const { imm } => *imm as u128,
        Op::ConstV128 { lo, hi } => (*hi as u128) << 64 | *lo as u128,
        Op::Get { off } => {
            let bytes = cpu.as_bytes_mut();
            let n = (w.max(8) / 8) as usize;
            let mut buf = [0u8; 16];
            buf[..n].copy_from_slice(&bytes[*off as usize..*off as usize + n]);
            u128::from_le_bytes(buf)
        }
        Op::Set { off, v: x } => {
            let n = (bits(tyof(x)).max(8) / 8) as usize;
            let val = v(x).to_le_bytes();
            cpu.as_bytes_mut()[*off as usize..*off as usize + n].copy_from_slice(&val[..n]);
            0
        }
        Op::Add { a, b } => v(a).wrapping_add(v(b)),
        Op::Sub { a, b } => v(a).wrapping_sub(v(b)),
        Op::Mul { a, b } => v(a).wrapping_mul(v(b)),
        Op::MulHiU { a, b } => {
            if w == 64 {
                (v(a) * v(b)) >> 64
            } else {
                (v(a) * v(b)) >> 32
            }
        }
        Op::MulHiS { a, b } => (sext(v(a), w).wrapping_mul(sext(v(b), w)) >> w) as u128,
        Op::MulHiSU { a, b } => (sext(v(a), w).wrapping_mul(v(b) as i128) >> w) as u128,
        Op::DivU { a, b } => v(a).checked_div(v(b)).unwrap_or(0),
        Op::RemU { a, b } => v(a).checked_rem(v(b)).unwrap_or(v(a)),
        Op::DivS { a, b } => {
            let (x, y) = (sext(v(a), w), sext(v(b), w));
            if y == 0 {
                0
            } else {
                (x / y) as u128 // MIN / -1 overflows only past `w` bits; masking gives MIN
            }
        }
        Op::RemS { a, b } => {
            let (x, y) = (sext(v(a), w), sext(v(b), w));
            if y == 0 {
                v(a)
            } else {
                (x % y) as u128
            }
        }
        Op::And { a, b } => v(a) & v(b),
        Op::Or { a, b } => v(a) | v(b),
        Op::Xor { a, b } => v(a) ^ v(b),
        Op::AndNot { a, b } => v(a) & !v(b),
        Op::OrNot { a, b } => v(a) | !v(b),
        Op::XorNot { a, b } => v(a) ^ !v(b),
        Op::Neg { a } => v(a).wrapping_neg(),
        Op::Not { a } => !v(a),
        Op::Shl { a, b } => v(a) << (v(b) as u32 % w),
        Op::Lshr { a, b } => v(a) >> (v(b) as u32 % w),
        Op::Ashr { a, b } => (sext(v(a), w) >> (v(b) as u32 % w)) as u128,
        Op::Rotr { a, b } | Op::Rotl { a, b } => {
            let mut s = v(b) as u32 % w;
            if matches!(inst.op, Op::Rotl { .. }) {
                s = (w - s) % w;
            }
            if s == 0 {
                v(a)
            } else {
                (v(a) >> s) | (v(a) << (w - s))
            }
        }
        Op::Clz { a } => (v(a).leading_zeros() - (128 - w)) as u128,
        Op::Cls { a } => {
            let x = v(a);
            let y = (x ^ (x >> 1)) & ((1u128 << (w - 1)) - 1);
            (y.leading_zeros() - (128 - w) - 1) as u128
        }
        Op::Ctz { a } => v(a).trailing_zeros().min(w) as u128,
        Op::Popcnt { a } => v(a).count_ones() as u128,
        Op::Rbit { a } => v(a).reverse_bits() >> (128 - w),
        Op::Bswap { a } => v(a).swap_bytes() >> (128 - w),
        Op::OrcB { a } => {
            let x = v(a);
            let mut r = 0u128;
            for i in 0..(w / 8) {
                if (x >> (8 * i)) & 0xff != 0 {
                    r |= 0xff << (8 * i);
                }
            }
            r
        }
        Op::Zext { a } => v(a),
        Op::Sext { a } => sext(v(a), bits(tyof(a))) as u128,
        Op::Trunc { a } => v(a),
        Op::Extract { a, lsb, width } => (v(a) >> lsb) & ((1u128 << width) - 1),
        Op::SExtract { a, lsb, width } => sext(v(a) >> lsb, *width as u32) as u128,
        Op::Deposit { a, b, lsb, width } => {
            let m = ((1u128 << width) - 1) << lsb;
            (v(a) & !m) | ((v(b) << lsb) & m)
        }
        Op::Bitcast { a } => v(a),
        Op::Icmp { cc, a, b } => {
            let aw = bits(tyof(a));
            let (x, y) = (v(a), v(b));
            let (sx, sy) = (sext(x, aw), sext(y, aw));
            (match cc {
                Cmp::Eq => x == y,
                Cmp::Ne => x != y,
                Cmp::Ult => x < y,
                Cmp::Ule => x <= y,
                Cmp::Ugt => x > y,
                Cmp::Uge => x >= y,
                Cmp::Slt => sx < sy,
                Cmp::Sle => sx <= sy,
                Cmp::Sgt => sx > sy,
                Cmp::Sge => sx >= sy,
            }) as u128
        }
        Op::Select { c, a, b } => {
            if v(c) & 1 != 0 {
                v(a)
            } else {
                v(b)
            }
        }
        Op::NzcvAdd { a, b } => nzcv_add(bits(tyof(a)), v(a), v(b), 0) as u128,
        Op::NzcvSub { a, b } => nzcv_add(bits(tyof(a)), v(a), !v(b), 1) as u128,
        Op::NzcvAdc { a, b, nzcv } => nzcv_add(bits(tyof(a)), v(a), v(b), carry_of(v(nzcv))) as u128,
        Op::NzcvSbc { a, b, nzcv } => nzcv_add(bits(tyof(a)), v(a), !v(b), carry_of(v(nzcv))) as u128,
        Op::NzcvLogic { a } => {
            let aw = bits(tyof(a));
            let x = v(a);
            let n = (x >> (aw - 1)) & 1;
            let z = (x == 0) as u128;
            (n << 31) | (z << 30)
        }
        Op::Adc { a, b, nzcv } => v(a).wrapping_add(v(b)).wrapping_add(carry_of(v(nzcv))),
        Op::Sbc { a, b, nzcv } => v(a).wrapping_add(!v(b)).wrapping_add(carry_of(v(nzcv))),
        Op::CondHolds { cond, nzcv } => cond_holds(*cond, v(nzcv) as u32) as u128,
        Op::Load { addr, size, signed } => {
            let x = mem::load(v(addr) as u64, *size);
            if *signed {
                sext(x, *size as u32 * 8) as u128
            } else {
                x
            }
        }
        Op::Store { addr, v: x, size } => {
            mem::store(v(addr) as u64, v(x), *size);
            0
        }
        Op::AtomicRmw { op, addr, v: x, size } => mem::atomic_rmw(*op, v(addr) as u64, v(x), *size),
        Op::Cas { addr, expected, new, size } => mem::cas(v(addr) as u64, v(expected), v(new), *size),
        Op::Fence { kind } => {
            if *kind == FenceKind::Full {
                std::sync::atomic::fence(std::sync::atomic::Ordering::SeqCst);
            }
            0
        }
        Op::ZeroBlock { addr, size } => {
            let base = v(addr) as u64 & !(*size as u64 - 1);
            // SAFETY: identity-mapped guest memory; a bad address faults like the guest's would.
            unsafe { std::ptr::write_bytes(base as *mut u8, 0, *size as usize) };
            0
        }
        Op::CodeInval { addr, len } => {
            if *len == u32::MAX {
                cache.clear();
            } else {
                cache.invalidate(v(addr) as u64, *len as u64);
            }
            0
        }
        Op::SysRead { reg } => match reg {
            SysReg::Cntfrq => COUNTER_HZ as u128,
            SysReg::Cntvct | SysReg::Time | SysReg::Cycle | SysReg::Instret => monotonic_ns() as u128,
        },
        Op::Crc32 { acc, v: x, size, castagnoli } => {
            crc32(v(acc) as u32, v(x) as u64, *size, *castagnoli) as u128
        }
        Op::FUnary { op, a, rm } => fp::unary(b.arch, cpu, *op, ty, tyof(a), v(a), *rm),
        Op::FBinary { op, a, b: y, rm } => fp::binary(b.arch, cpu, *op, ty, v(a), v(y), *rm),
        Op::FTernary { op, a, b: y, c, rm } => fp::ternary(b.arch, cpu, *op, ty, v(a), v(y), v(c), *rm),
        Op::FCmp { a, b: y, signaling } => fp::cmp_nzcv(b.arch, cpu, tyof(a), v(a), v(y), *signaling),
        Op::FCmpBool { cc, a, b: y } => fp::cmp_bool(b.arch, cpu, *cc, tyof(a), v(a), v(y)),
        Op::FToInt { a, signed, fbits, rm } => {
            fp::to_int(b.arch, cpu, ty, tyof(a), v(a), *signed, *fbits, *rm)
        }
        Op::IntToF { a, signed, fbits, rm } => {
            fp::from_int(b.arch, cpu, ty, tyof(a), v(a), *signed, *fbits, *rm)
        }
        Op::VUnary { op, es, a } => vec::unary(cpu, *op, *es, v(a)),
        Op::VBinary { op, es, a, b: y } => vec::binary(cpu, *op, *es, v(a), v(y)),
        Op::VTernary { op, es, a, b: y, c } => vec::ternary(cpu, *op, *es, v(a), v(y), v(c)),
        Op::VImm { op, es, a, imm } => vec::imm(cpu, *op, *es, v(a), *imm),
        Op::VImm2 { op, es, a, b: y, imm } => vec::imm2(*op, *es, v(a), v(y), *imm),
        Op::VExtract { a, es, idx } => (v(a) >> (*es as u32 * *idx as u32)) & lane_mask(*es),
        Op::VInsert { a, b: y, es, idx } => {
            let sh = *es as u32 * *idx as u32;
            (v(a) & !(lane_mask(*es) << sh)) | ((v(y) & lane_mask(*es)) << sh)
        }
        Op::VDup { a, es } => {
            let x = v(a) & lane_mask(*es);
            let mut r = 0u128;
            for i in 0..(128 / *es as u32) {
                r |= x << (i * *es as u32);
            }
            r
        }
    }
}

/// All-ones mask of an `es`-bit lane.
#[inline]
pub(crate) fn lane_mask(es: u8) -> u128 {
    if es >= 128 {
        u128::MAX
    } else {
        (1u128 << es) - 1
    }
}

/// Nanoseconds of CLOCK_MONOTONIC: the guest's counter (CNTVCT_EL0, RISC-V time).
pub fn monotonic_ns() -> u64 {
    let mut ts = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: valid out-pointer.
    unsafe { libc::clock_gettime(libc::CLOCK_MONOTONIC, &mut ts) };
    ts.tv_sec as u64 * 1_000_000_000 + ts.tv_nsec as u64
}

/// Bitwise reflected CRC-32 over the low `size` bytes of `v` (AArch64 CRC32*/CRC32C*).
pub fn crc32(mut acc: u32, v: u64, size: u8, castagnoli: bool) -> u32 {
    let poly = if castagnoli { 0x82F6_3B78 } else { 0xEDB8_8320 };
    for i in 0..size as u32 {
        acc ^= ((v >> (8 * i)) & 0xff) as u32;
        for _ in 0..8 {
            acc = if acc & 1 != 0 { (acc >> 1) ^ poly } else { acc >> 1 };
        }
    }
    acc
}
