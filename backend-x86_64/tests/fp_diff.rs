//! FP differential test: random blocks of scalar FP ops on edge-case operands run through the
//! interpreter (`exec_block` on the raw block) and the JIT (native SSE emitters, their slow
//! paths and the fallback), for both guests' rules, with random rounding mode, FPCR.DN/FZ and
//! FP-control reads and writes in the middle of blocks. Guest registers (where the results are
//! stored) and `fp_exc` must agree bit for bit. Seeds are fixed; a failure prints the block.
//!
//! AArch64 blocks also get lane-wise vector FP ops (FADD/FSUB/FMUL/FDIV/FMLA/FMLS, natively
//! emitted, and a few fallback ones and integer vector ops in between) on vectors whose lanes
//! are edge cases too, including powers of two and smallest-normal multiples whose products
//! and quotients land exactly on (or round to) the smallest normal.

use emu_core::cpu::{off, CpuState};
use emu_core::guest::Arch;
use emu_core::ir::{
    Block, FpBinOp, FpCmpCc, FpTerOp, FpUnOp, Op, Rm, Term, Ty, Val, VecBinOp, VecTerOp, VecUnOp,
};
use emu_core::tb::BlockCache;
use remu_backend_x86_64::Jit;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

mod common;
use common::{run_both, Rng, TableGuest};

fn fmt(ty: Ty) -> (u32, u32) {
    if ty == Ty::F64 {
        (52, 11)
    } else {
        (23, 8)
    }
}

/// An FP bit pattern biased towards the cases where x86 and the guests can differ.
fn fp_value(r: &mut Rng, ty: Ty) -> u64 {
    let (mb, eb) = fmt(ty);
    let bias = (1u64 << (eb - 1)) - 1;
    let emax = (1u64 << eb) - 1;
    let frac = |r: &mut Rng| r.next() & ((1u64 << mb) - 1);
    let pack = |s: u64, e: u64, f: u64| (s << (mb + eb)) | (e << mb) | f;
    let s = r.below(2);
    let f = frac(r);
    match r.below(16) {
        0 => pack(s, 0, 0),
        1 => pack(s, 0, frac(r).max(1)),                     // subnormal
        2 => pack(s, 0, r.pick(&[1, (1 << mb) - 1])),        // extreme subnormals
        3 => pack(s, 1, r.pick(&[0, f])),                    // smallest normals
        4 => pack(s, emax - 1, r.pick(&[(1 << mb) - 1, f])), // largest normals
        5 => pack(s, emax, 0),                               // infinity
        6 => pack(s, emax, (1 << (mb - 1)) | (frac(r) >> r.below(mb as u64))), // qNaN
        7 => pack(s, emax, (frac(r) >> 1).max(1)),           // sNaN
        // Exponents whose products and quotients land near the subnormal range.
        8 | 9 => pack(s, bias / 2 + r.below(8) - 4, frac(r)),
        10 => pack(s, bias + bias / 2 - r.below(8) + 4, frac(r)),
        // Near 1 with few or many fraction bits (ties, exact results).
        11 => pack(s, bias + r.below(4), frac(r) & !((1u64 << r.below(mb as u64)) - 1)),
        12 => pack(s, bias + r.below(70), frac(r)), // integral-ish magnitudes for conversions
        13 => pack(s, 1 + r.below(mb as u64 + 2), frac(r)),
        _ => pack(s, 1 + r.below(emax - 1), frac(r)),
    }
}

/// One lane of a vector operand: an edge case, or a value from small sets of powers of two,
/// smallest-normal multiples and (2 - ulp) / (1 + ulp) scalings, whose products and quotients
/// often are, or round to, exactly the smallest normal.
fn lane_value(r: &mut Rng, ty: Ty) -> u64 {
    let (mb, eb) = fmt(ty);
    let bias = (1u64 << (eb - 1)) - 1;
    let pack = |s: u64, e: u64, f: u64| (s << (mb + eb)) | (e << mb) | f;
    let s = r.below(4) / 3; // mostly positive
    let k = r.below(7);
    match r.below(10) {
        0..=5 => fp_value(r, ty),
        6 => pack(s, bias + k - 3, 0),
        7 if k >= 3 => pack(s, k - 2, 0),
        7 => pack(s, 0, 1 << (mb as u64 - 3 + k)),
        8 => pack(s, bias + k % 3 - 1, (1 << mb) - 1),
        _ => pack(s, r.pick(&[1, bias, bias - 1]), 1),
    }
}

fn int_value(r: &mut Rng, ty: Ty) -> u64 {
    let v = match r.below(6) {
        0 => r.below(5).wrapping_sub(2),
        1 => r.pick(&[i64::MIN as u64, i64::MAX as u64, i32::MIN as u64, i32::MAX as u64, u32::MAX as u64]),
        2 => (1u64 << r.below(64)).wrapping_add(r.below(3).wrapping_sub(1)),
        3 => r.next() >> r.below(64),
        4 => (r.next() >> 11) | 1, // 53+ bit values that need rounding
        _ => r.next(),
    };
    if ty == Ty::I32 {
        v & 0xffff_ffff
    } else {
        v
    }
}

struct Gen {
    r: Rng,
    b: Block,
}

impl Gen {
    fn of(&mut self, ty: Ty) -> Val {
        let cands: Vec<Val> =
            (0..self.b.insts.len() as u32).map(Val).filter(|v| self.b.ty(*v) == ty).collect();
        if cands.is_empty() || self.r.below(3) == 0 {
            let imm = if ty.is_float() { fp_value(&mut self.r, ty) } else { int_value(&mut self.r, ty) };
            return self.b.iconst(ty, imm);
        }
        // Prefer recent values so chains of ops form.
        let n = cands.len();
        let k = n - 1 - (self.r.below(n.min(6) as u64) as usize);
        cands[k]
    }

    /// A V128 operand with `es`-bit FP lanes: a recent vector, a new constant, or a guest
    /// vector register.
    fn vof(&mut self, es: u8) -> Val {
        let cands: Vec<Val> =
            (0..self.b.insts.len() as u32).map(Val).filter(|v| self.b.ty(*v) == Ty::V128).collect();
        let k = self.r.below(8);
        if k == 0 {
            let n = self.r.below(32) as usize;
            return self.b.get(Ty::V128, off::v(n));
        }
        if cands.is_empty() || k < 4 {
            let ty = if es == 64 { Ty::F64 } else { Ty::F32 };
            let mut w = 0u128;
            for i in 0..128 / es as u32 {
                w |= (lane_value(&mut self.r, ty) as u128) << (i * es as u32);
            }
            return self.b.push(Ty::V128, Op::ConstV128 { lo: w as u64, hi: (w >> 64) as u64 });
        }
        let n = cands.len();
        cands[n - 1 - (self.r.below(n.min(6) as u64) as usize)]
    }

    /// Two new constant vectors whose lane-wise product (or quotient, for `div`) is at or near
    /// the smallest normal: `m * 2^j` against `n * 2^k`, with `m` one of 1, 1 + ulp, 2 - ulp,
    /// 2 - 2 ulp or random and `n` 1 or 1 + ulp. (2 - 2 ulp) * (1 + ulp) = 2 (1 - ulp^2) is the
    /// product that rounds to the smallest normal only with x86's tininess after rounding.
    fn partners(&mut self, es: u8, div: bool) -> (Val, Val) {
        let ty = if es == 64 { Ty::F64 } else { Ty::F32 };
        let (mb, eb) = fmt(ty);
        let bias = (1i64 << (eb - 1)) - 1;
        let pow2 = |s: u64, p: i64| {
            let e = if p >= 1 - bias { (p + bias) as u64 } else { 0 };
            let f = if e == 0 { 1u64 << (p - (1 - bias - mb as i64)) } else { 0 };
            (s << (mb + eb)) | (e << mb) | f
        };
        let (mut x, mut y) = (0u128, 0u128);
        for i in 0..128 / es as u32 {
            // Divisors 2^(bias - 1 + j + {0, 1}) must stay finite.
            let j = self.r.below(9) as i64 - 4;
            let j = if div { j.min(0) } else { j };
            let (s1, s2) = (self.r.below(4) / 3, self.r.below(4) / 3);
            let rnd = self.r.next() & ((1u64 << mb) - 1);
            let f = self.r.pick(&[0, 1, (1u64 << mb) - 1, (1u64 << mb) - 2, rnd]);
            let a = pow2(s1, j) | f;
            // m * 2^j * 2^(1-bias-j) lands in [min normal, 2 min normal); one less halves it.
            let p = 1 - bias - j - self.r.below(2) as i64;
            let b = if div { pow2(s2, -p) } else { pow2(s2, p) } | self.r.below(2);
            x |= (a as u128) << (i * es as u32);
            y |= (b as u128) << (i * es as u32);
        }
        let c =
            |g: &mut Self, w: u128| g.b.push(Ty::V128, Op::ConstV128 { lo: w as u64, hi: (w >> 64) as u64 });
        (c(self, x), c(self, y))
    }

    /// A vector op (AArch64 blocks only: the vector family has AArch64 semantics).
    fn vstep(&mut self) {
        let es = if self.r.below(2) == 0 { 32 } else { 64 };
        // Sometimes isolate the op's flags (they are sticky, so a difference in one op's flags
        // is otherwise often hidden by an earlier op's).
        let isolate = self.r.below(3) == 0;
        if isolate {
            let z = self.b.iconst(Ty::I64, 0);
            self.b.set(off::FP_EXC, z);
        }
        let v = match self.r.below(12) {
            0..=5 => {
                let op = self.r.pick(&[VecBinOp::FAdd, VecBinOp::FSub, VecBinOp::FMul, VecBinOp::FDiv]);
                let (a, b) = if self.r.below(3) == 0 {
                    self.partners(es, op == VecBinOp::FDiv)
                } else {
                    (self.vof(es), self.vof(es))
                };
                self.b.push(Ty::V128, Op::VBinary { op, es, a, b })
            }
            6..=8 => {
                let a = self.vof(es);
                let (b, c) = if self.r.below(3) == 0 {
                    self.partners(es, false)
                } else {
                    (self.vof(es), self.vof(es))
                };
                let op = self.r.pick(&[VecTerOp::FMla, VecTerOp::FMls]);
                self.b.push(Ty::V128, Op::VTernary { op, es, a, b, c })
            }
            9 => {
                // Fallback FP ops among the native ones.
                let (a, b) = (self.vof(es), self.vof(es));
                let op =
                    self.r.pick(&[VecBinOp::FMax, VecBinOp::FMinNum, VecBinOp::FAbd, VecBinOp::FAddPairwise]);
                self.b.push(Ty::V128, Op::VBinary { op, es, a, b })
            }
            _ => {
                // Native integer vector ops (regions span them): the D form's clear, FNEG, EOR.
                let a = self.vof(es);
                match self.r.below(3) {
                    0 => self.b.push(Ty::V128, Op::VUnary { op: VecUnOp::ZeroHigh, es, a }),
                    1 => self.b.push(Ty::V128, Op::VUnary { op: VecUnOp::FNeg, es, a }),
                    _ => {
                        let b = self.vof(es);
                        self.b.push(Ty::V128, Op::VBinary { op: VecBinOp::Xor, es, a, b })
                    }
                }
            }
        };
        if self.r.below(3) != 0 {
            let n = self.r.below(32) as usize;
            self.b.set(off::v(n), v);
        }
        if isolate {
            let f = self.b.get(Ty::I64, off::FP_EXC);
            let n = self.r.below(32) as usize;
            self.b.set(off::x(n), f);
        }
    }

    fn fty(&mut self) -> Ty {
        if self.r.below(2) == 0 {
            Ty::F32
        } else {
            Ty::F64
        }
    }

    fn ity(&mut self) -> Ty {
        if self.r.below(2) == 0 {
            Ty::I32
        } else {
            Ty::I64
        }
    }

    fn rm(&mut self) -> Rm {
        match self.r.below(10) {
            0..=4 => Rm::Dyn,
            5 => Rm::Rne,
            _ => self.r.pick(Rm::ALL),
        }
    }

    /// Store a value so the comparison sees it.
    fn observe(&mut self, v: Val) {
        let n = self.r.below(32) as usize;
        if self.b.ty(v).is_float() && self.r.below(2) == 0 {
            if self.r.below(2) == 0 {
                // AArch64's form: the scalar zero-extended to the whole vector register.
                let w = self.b.push(Ty::V128, Op::Bitcast { a: v });
                self.b.set(off::v(n), w);
            } else {
                self.b.set(off::v(n), v);
            }
        } else {
            let w = match self.b.ty(v) {
                Ty::I64 | Ty::F64 => v,
                Ty::F32 => {
                    let i = self.b.push(Ty::I32, Op::Bitcast { a: v });
                    self.b.zext(Ty::I64, i)
                }
                _ => self.b.zext(Ty::I64, v),
            };
            self.b.set(off::x(n), w);
        }
    }

    fn step(&mut self) {
        if self.b.arch == Arch::Aarch64 && self.r.below(4) == 0 {
            return self.vstep();
        }
        let ty = self.fty();
        let v = match self.r.below(24) {
            0..=7 => {
                let (a, b) = (self.of(ty), self.of(ty));
                let op = if self.r.below(4) == 0 {
                    self.r.pick(FpBinOp::ALL)
                } else {
                    self.r.pick(&[FpBinOp::Add, FpBinOp::Sub, FpBinOp::Mul, FpBinOp::Div])
                };
                let rm = self.rm();
                self.b.push(ty, Op::FBinary { op, a, b, rm })
            }
            8..=10 => {
                let op = self.r.pick(FpUnOp::ALL);
                let (rty, aty) = match op {
                    FpUnOp::Convert => (ty, if ty == Ty::F32 { Ty::F64 } else { Ty::F32 }),
                    FpUnOp::Class => (Ty::I64, ty),
                    _ => (ty, ty),
                };
                let a = self.of(aty);
                let rm = self.rm();
                self.b.push(rty, Op::FUnary { op, a, rm })
            }
            11 | 12 => {
                let (a, b, c) = (self.of(ty), self.of(ty), self.of(ty));
                let rm = self.rm();
                self.b.push(ty, Op::FTernary { op: FpTerOp::MulAdd, a, b, c, rm })
            }
            13 => {
                let (a, b) = (self.of(ty), self.of(ty));
                let signaling = self.r.below(2) == 0;
                self.b.push(Ty::I32, Op::FCmp { a, b, signaling })
            }
            14 => {
                let (a, b) = (self.of(ty), self.of(ty));
                let cc = self.r.pick(FpCmpCc::ALL);
                self.b.push(Ty::I1, Op::FCmpBool { cc, a, b })
            }
            15 | 16 => {
                let a = self.of(ty);
                let ity = self.ity();
                let signed = self.r.below(2) == 0;
                let fbits = if self.r.below(8) == 0 { self.r.below(ity.bits() as u64) as u8 } else { 0 };
                let rm = if self.r.below(2) == 0 { Rm::Rtz } else { self.rm() };
                self.b.push(ity, Op::FToInt { a, signed, fbits, rm })
            }
            17 | 18 => {
                let ity = self.ity();
                let a = self.of(ity);
                let signed = self.r.below(2) == 0;
                let fbits = if self.r.below(8) == 0 { self.r.below(ity.bits() as u64) as u8 } else { 0 };
                let rm = self.rm();
                self.b.push(ty, Op::IntToF { a, signed, fbits, rm })
            }
            19 => {
                // Integer work between FP ops (regions span it).
                let (a, b) = (self.of(Ty::I64), self.of(Ty::I64));
                self.b.add(Ty::I64, a, b)
            }
            20 => {
                // FP register traffic.
                let n = self.r.below(32) as usize;
                if self.r.below(2) == 0 {
                    let w = self.b.get(Ty::V128, off::v(n));
                    self.b.push(ty, Op::Bitcast { a: w })
                } else {
                    self.b.get(ty, off::v(n))
                }
            }
            21 => {
                // A guest read of the flags in the middle (FPSR / fflags).
                self.b.get(Ty::I64, off::FP_EXC)
            }
            22 => {
                // A guest write of the flags or the rounding mode (ends regions).
                let (o, imm) = if self.r.below(2) == 0 {
                    (off::FP_EXC, self.r.below(64) & self.r.below(64))
                } else {
                    (off::FP_RM, self.r.pick(&[0, 0, 1, 2, 3, 4, 5]))
                };
                let c = self.b.iconst(Ty::I64, imm);
                self.b.set(o, c);
                return;
            }
            _ => {
                let (a, b) = (self.of(ty), self.of(ty));
                let op = self.r.pick(&[FpBinOp::Min, FpBinOp::MaxNum, FpBinOp::CopySign, FpBinOp::XorSign]);
                self.b.push(ty, Op::FBinary { op, a, b, rm: Rm::Dyn })
            }
        };
        if self.r.below(3) != 0 {
            self.observe(v);
        }
    }
}

fn random_block(seed: u64, pc: u64) -> Block {
    let mut r = Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
    let arch = if r.below(2) == 0 { Arch::Aarch64 } else { Arch::Riscv64 };
    let mut g = Gen { r, b: Block::new(arch, pc) };
    // Mostly short blocks; some long enough to cross the emitter's 256-instruction planning
    // windows.
    let n = if g.r.below(20) == 0 { 100 + g.r.below(200) } else { 3 + g.r.below(40) };
    g.b.mark(pc);
    for _ in 0..n {
        g.step();
    }
    g.b.term = Term::Jump { target: 0x3000 };
    g.b.end = pc + 4;
    emu_core::ir::verify(&g.b).unwrap_or_else(|e| panic!("generator made a bad block: {e}\n{}", g.b));
    g.b
}

fn initial(seed: u64, arch: Arch) -> CpuState {
    let mut r = Rng(seed | 7);
    let mut cpu = CpuState::default();
    for x in cpu.x.iter_mut() {
        *x = r.next();
    }
    for v in cpu.v.iter_mut() {
        let ty = if r.below(2) == 0 { Ty::F32 } else { Ty::F64 };
        *v = [fp_value(&mut r, ty), r.next()];
    }
    cpu.fp_rm = match r.below(8) {
        0..=3 => 0,
        4 => 4,
        5 => 5,
        _ => r.below(4),
    };
    if arch == Arch::Aarch64 {
        cpu.fpcr = [0, 1 << 25, 1 << 24, 3 << 24][r.below(4) as usize];
    }
    cpu.fp_exc = if r.below(4) == 0 { r.below(64) } else { 0 };
    cpu
}

/// Run `count` random blocks from `first_seed` on both engines; return the failure reports.
fn run(first_seed: u64, count: u64) -> (Vec<String>, usize, usize) {
    let guest = Arc::new(TableGuest(Mutex::new(HashMap::new())));
    let cache = Arc::new(BlockCache::new());
    let mut jit = Jit::new(guest.clone(), cache.clone()).expect("jit");
    let (mut failures, mut fp_ops, mut native) = (Vec::new(), 0, 0);
    for seed in first_seed..first_seed + count {
        let pc = 0x10_0000 + seed * 16;
        let block = random_block(seed, pc);
        for i in &block.insts {
            if i.op.touches_fp_state() {
                fp_ops += 1;
                native += remu_backend_x86_64::emit::is_native(&i.op) as usize;
            }
        }
        let (c_ref, next, c_jit) = run_both(&mut jit, &guest, &block, &initial(seed, block.arch), || {});
        let ok =
            c_jit.pc == next + 1 && c_ref.x == c_jit.x && c_ref.v == c_jit.v && c_ref.fp_exc == c_jit.fp_exc;
        if !ok {
            let mut diffs: Vec<String> = (0..32)
                .filter(|&i| c_ref.x[i] != c_jit.x[i])
                .map(|i| format!("x{i}: {:#x} vs {:#x}", c_ref.x[i], c_jit.x[i]))
                .collect();
            diffs.extend(
                (0..32)
                    .filter(|&i| c_ref.v[i] != c_jit.v[i])
                    .map(|i| format!("v{i}: {:#x} vs {:#x}", c_ref.v[i][0], c_jit.v[i][0])),
            );
            failures.push(format!(
                "seed {seed} ({:?}, fp_rm {}, fpcr {:#x}): {}; fp_exc {:#x} vs {:#x}\n{}",
                block.arch,
                initial(seed, block.arch).fp_rm,
                initial(seed, block.arch).fpcr,
                diffs.join(", "),
                c_ref.fp_exc,
                c_jit.fp_exc,
                block
            ));
            if failures.len() >= 3 {
                break;
            }
        }
    }
    (failures, fp_ops, native)
}

#[test]
fn random_fp_blocks_agree_between_interpreter_and_jit() {
    let (failures, fp_ops, native) = run(1, 30000);
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    // The generator must keep exercising the native emitters, not only the fallback (unless
    // they were switched off for bisecting).
    let off = std::env::var("REMU_JIT_X86_BASELINE").is_ok_and(|b| b == "fallback");
    assert!(off || native * 2 > fp_ops, "only {native} of {fp_ops} FP ops native");
}
