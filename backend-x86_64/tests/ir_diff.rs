//! IR-level differential test: random blocks run through the interpreter (`exec_block` on the
//! raw block) and through the JIT (block cache -> optimiser -> compiled code, via the
//! dispatcher); guest registers, NZCV, memory and the successor pc must agree.
//!
//! The generator covers natively emitted ops and a sample of fallback ops, so both code paths
//! and their interplay (slot zero-extension before a fallback) are exercised. Seeds are fixed,
//! so a failure is reproducible; it prints the block's text form.

use emu_core::cpu::{off, CpuState};
use emu_core::guest::Arch;
use emu_core::ir::{AtomicOp, Block, Cmp, FpBinOp, Op, Rm, Term, Ty, Val, VecBinOp};
use emu_core::tb::BlockCache;
use remu_backend_x86_64::Jit;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

mod common;
use common::{run_both, Rng, TableGuest};

struct Gen<'a> {
    r: Rng,
    b: Block,
    mem: &'a [u8],
    /// Only plain integer, state and memory ops (no flags, selects, division, vectors or FP):
    /// the blocks in which the JIT also allocates `rdx`.
    int_only: bool,
}

impl Gen<'_> {
    fn of(&mut self, ty: Ty) -> Val {
        let cands: Vec<Val> =
            (0..self.b.insts.len() as u32).map(Val).filter(|v| self.b.ty(*v) == ty).collect();
        if ty == Ty::V128 {
            if cands.is_empty() || self.r.below(6) == 0 {
                let (lo, hi) = (self.r.next(), self.r.next());
                return self.b.push(Ty::V128, Op::ConstV128 { lo, hi });
            }
            return self.r.pick(&cands);
        }
        if cands.is_empty() || self.r.below(6) == 0 {
            let imm = match self.r.below(4) {
                0 => self.r.below(70),
                1 => u64::MAX - self.r.below(3),
                2 => 1u64 << self.r.below(64),
                _ => self.r.next(),
            };
            let imm = match ty {
                Ty::I1 => imm & 1,
                Ty::F64 => [0x3ff0_0000_0000_0000u64, 0xc008_0000_0000_0000, 0x7ff8_0000_0000_0000, 0, imm]
                    [self.r.below(5) as usize],
                Ty::I32 => imm & 0xffff_ffff,
                _ => imm,
            };
            return self.b.iconst(ty, imm);
        }
        self.r.pick(&cands)
    }

    fn int_ty(&mut self) -> Ty {
        if self.r.below(2) == 0 {
            Ty::I32
        } else {
            Ty::I64
        }
    }

    /// An address in the buffer, in the shapes the JIT folds into x86 address modes: a
    /// constant, register + displacement, register + register, and a scaled index. The
    /// non-constant parts come from `scratch[0]`, which is 0 (the optimiser cannot fold it).
    fn addr(&mut self, size: u64) -> Val {
        let base = self.mem.as_ptr() as u64;
        let o = self.r.below(self.mem.len() as u64 - size) & !(size - 1);
        let zero = || Op::Get { off: off::scratch(0) };
        match self.r.below(5) {
            0 => self.b.iconst(Ty::I64, base + o),
            1 => {
                // (zero + base) + o
                let z = self.b.push(Ty::I64, zero());
                let k = self.b.iconst(Ty::I64, base);
                let t = self.b.add(Ty::I64, z, k);
                let d = self.b.iconst(Ty::I64, o);
                self.b.add(Ty::I64, t, d)
            }
            2 => {
                // zero + (base + o)
                let z = self.b.push(Ty::I64, zero());
                let k = self.b.iconst(Ty::I64, base + o);
                self.b.add(Ty::I64, k, z)
            }
            3 => {
                // base + ((zero + o / s) << log2 s), s in 2, 4, 8
                let sh = 1 + self.r.below(3);
                let o = o & !((1 << sh) - 1);
                let z = self.b.push(Ty::I64, zero());
                let q = self.b.iconst(Ty::I64, o >> sh);
                let i = self.b.add(Ty::I64, z, q);
                let k = self.b.iconst(Ty::I64, sh);
                let i = self.b.push(Ty::I64, Op::Shl { a: i, b: k });
                let bv = self.b.push(Ty::I64, zero());
                let bk = self.b.iconst(Ty::I64, base);
                let bv = self.b.add(Ty::I64, bv, bk);
                self.b.add(Ty::I64, i, bv)
            }
            _ => {
                // Used twice: not folded.
                let z = self.b.push(Ty::I64, zero());
                let k = self.b.iconst(Ty::I64, base + o);
                let a = self.b.add(Ty::I64, z, k);
                self.b.set(off::x(24), a);
                a
            }
        }
    }

    fn step(&mut self) {
        let ty = self.int_ty();
        let k = match self.int_only {
            true => self.r.pick(&[0u64, 1, 2, 3, 4, 5, 7, 8, 9, 10, 11, 17, 18, 19, 28, 29, 30, 32]),
            false => self.r.below(33),
        };
        match k {
            32 if self.r.below(2) == 0 => {
                // A side exit (a two-block loop merged into one): on a fresh comparison or flag
                // condition used only here (compared at the exit), or on any I1 value. Writes
                // before it must be in the state when it is taken, later ones must not.
                let target = 0x4000 + 16 * self.r.below(4);
                let cond = match self.r.below(3) {
                    0 => self.of(Ty::I1),
                    1 => {
                        let (a, c) = (self.of(ty), self.of(ty));
                        let cc = self.r.pick(Cmp::ALL);
                        self.b.icmp(cc, a, c)
                    }
                    _ => {
                        let (a, c) = (self.of(ty), self.of(ty));
                        let nzcv = self.b.push(Ty::I32, Op::NzcvSub { a, b: c });
                        let cond = self.r.below(16) as u8;
                        self.b.push(Ty::I1, Op::CondHolds { cond, nzcv })
                    }
                };
                self.b.push(Ty::Void, Op::ExitIf { cond, target });
            }
            31 => {
                // DC ZVA on an address inside a 64-byte-aligned block of the buffer.
                let base = self.mem.as_ptr() as u64;
                let first = base.next_multiple_of(64) - base;
                let a = self.b.iconst(Ty::I64, base + first + self.r.below(64));
                self.b.push(Ty::Void, Op::ZeroBlock { addr: a, size: 64 });
            }
            30 => {
                // `sext.w` of a register read before another write to it (the JIT reads
                // the state word with one `movsxd` only when nothing writes it in between).
                let k = self.r.below(24) as usize;
                let g = self.b.get(Ty::I32, off::x(k));
                if self.r.below(2) == 0 {
                    let v = self.of(Ty::I64);
                    self.b.set(off::x(k), v);
                }
                let s = self.b.push(Ty::I64, Op::Sext { a: g });
                self.b.set(off::x(self.r.below(24) as usize), s);
            }
            28 | 29 => {
                // A RISC-V W op: the low halves of 64-bit values combined at 32 bits and
                // written back sign-extended (the JIT reads the wide values in place).
                let a = self.of(Ty::I64);
                let t = self.b.push(Ty::I32, Op::Trunc { a });
                let u = match self.r.below(2) {
                    0 => {
                        let a = self.of(Ty::I64);
                        self.b.push(Ty::I32, Op::Trunc { a })
                    }
                    _ => self.of(Ty::I32),
                };
                let (t, u) = if self.r.below(2) == 0 { (t, u) } else { (u, t) };
                let x = match self.r.below(6) {
                    0 => self.b.push(Ty::I32, Op::Add { a: t, b: u }),
                    1 => self.b.push(Ty::I32, Op::Sub { a: t, b: u }),
                    2 => self.b.push(Ty::I32, Op::Xor { a: t, b: u }),
                    3 => self.b.push(Ty::I32, Op::Shl { a: t, b: u }),
                    4 => {
                        let k = self.b.iconst(Ty::I32, self.r.below(32));
                        self.b.push(Ty::I32, Op::Lshr { a: t, b: k })
                    }
                    _ => self.b.push(Ty::I32, Op::Mul { a: t, b: u }),
                };
                let s = self.b.push(Ty::I64, Op::Sext { a: x });
                self.b.set(off::x(self.r.below(20) as usize), s);
                if self.r.below(3) == 0 {
                    self.b.set(off::x(self.r.below(20) as usize), t);
                }
            }
            22 => {
                let n = self.r.below(32) as usize;
                self.b.get(Ty::V128, off::v(n));
            }
            23 => {
                let v = self.of(Ty::V128);
                let n = self.r.below(32) as usize;
                self.b.set(off::v(n), v);
            }
            24 => {
                let (a, c) = (self.of(Ty::V128), self.of(Ty::V128));
                let es = self.r.pick(&[8u8, 16, 32, 64]);
                let op = self.r.pick(&[
                    VecBinOp::Add,
                    VecBinOp::Xor,
                    VecBinOp::CmpEq,
                    VecBinOp::UMax,
                    VecBinOp::Zip1,
                ]);
                self.b.push(Ty::V128, Op::VBinary { op, es, a, b: c });
            }
            25 => {
                let a = self.of(Ty::V128);
                let es = self.r.pick(&[8u8, 16, 32, 64]);
                let idx = self.r.below(128 / es as u64) as u8;
                let rty = if es == 64 { Ty::I64 } else { Ty::I32 };
                let x = self.b.push(rty, Op::VExtract { a, es, idx });
                let s = self.of(Ty::I64);
                let y = self.b.push(Ty::V128, Op::VInsert { a, b: s, es, idx: (idx + 1) % (128 / es) });
                let _ = (x, y);
                let d = self.of(Ty::I32);
                self.b.push(Ty::V128, Op::VDup { a: d, es: if es == 64 { 32 } else { es } });
            }
            26 => {
                if self.r.below(2) == 0 {
                    // Vector loads of every size (scalar FP/SIMD register loads zero-extend).
                    let size = self.r.pick(&[1u8, 2, 4, 8, 16]);
                    let addr = self.addr(size as u64);
                    self.b.load(Ty::V128, addr, size, false);
                } else {
                    let v = self.of(Ty::V128);
                    let addr = self.addr(16);
                    self.b.store(addr, v, 16);
                }
            }
            27 => {
                let n = self.r.below(32) as usize;
                let x = self.b.get(Ty::F64, off::v(n));
                let y = self.of(Ty::F64);
                let op = self.r.pick(&[FpBinOp::Add, FpBinOp::Mul, FpBinOp::MinNum]);
                let r = self.b.push(Ty::F64, Op::FBinary { op, a: x, b: y, rm: Rm::Dyn });
                let m = self.r.below(32) as usize;
                self.b.set(off::v(m), r);
            }
            0 => {
                let n = self.r.below(31) as usize;
                self.b.push(ty, Op::Get { off: off::x(n) });
            }
            1 => {
                // 64-bit and (rarely emitted, but legal) 32-bit writes of guest registers.
                let v = self.of(ty);
                let n = self.r.below(31) as usize;
                self.b.set(off::x(n), v);
            }
            2..=5 => {
                let (a, c) = (self.of(ty), self.of(ty));
                let op = match self.r.below(12) {
                    0 => Op::Add { a, b: c },
                    1 => Op::Sub { a, b: c },
                    2 => Op::Mul { a, b: c },
                    3 => Op::And { a, b: c },
                    4 => Op::Or { a, b: c },
                    5 => Op::Xor { a, b: c },
                    6 => Op::AndNot { a, b: c },
                    7 => Op::Shl { a, b: c },
                    8 => Op::Lshr { a, b: c },
                    9 => Op::Ashr { a, b: c },
                    10 => Op::Rotr { a, b: c },
                    _ => Op::Rotl { a, b: c },
                };
                self.b.push(ty, op);
            }
            6 => {
                // Division, high multiply, bit counts (emit/int_ext.rs) and a helper op.
                let (a, c) = (self.of(ty), self.of(ty));
                let op = match self.r.below(14) {
                    0 => Op::DivS { a, b: c },
                    1 => Op::DivU { a, b: c },
                    2 => Op::RemS { a, b: c },
                    3 => Op::MulHiU { a, b: c },
                    4 => Op::MulHiS { a, b: c },
                    5 => Op::Clz { a },
                    6 => Op::Popcnt { a },
                    7 => Op::RemU { a, b: c },
                    8 => Op::Ctz { a },
                    9 => Op::OrNot { a, b: c },
                    10 => Op::XorNot { a, b: c },
                    11 => Op::Cls { a }, // a helper that reads the whole slot
                    12 => Op::Rbit { a },
                    _ => Op::Bswap { a },
                };
                self.b.push(ty, op);
            }
            7 => {
                let a = self.of(ty);
                let op = if self.r.below(2) == 0 { Op::Neg { a } } else { Op::Not { a } };
                self.b.push(ty, op);
            }
            8 => {
                let a = self.of(Ty::I32);
                let op = if self.r.below(2) == 0 { Op::Zext { a } } else { Op::Sext { a } };
                self.b.push(Ty::I64, op);
            }
            9 => {
                let a = self.of(Ty::I64);
                self.b.push(Ty::I32, Op::Trunc { a });
            }
            10 => {
                let a = self.of(ty);
                let bits = ty.bits() as u64;
                let lsb = self.r.below(bits) as u8;
                let width = 1 + self.r.below(bits - lsb as u64) as u8;
                let op = if self.r.below(2) == 0 {
                    Op::Extract { a, lsb, width }
                } else {
                    Op::SExtract { a, lsb, width }
                };
                self.b.push(ty, op);
            }
            11 | 12 => {
                let (a, c) = (self.of(ty), self.of(ty));
                let cc = self.r.pick(Cmp::ALL);
                self.b.icmp(cc, a, c);
            }
            13 => {
                let c = self.of(Ty::I1);
                let (a, x) = (self.of(ty), self.of(ty));
                self.b.select(ty, c, a, x);
            }
            14 => {
                let (a, c) = (self.of(ty), self.of(ty));
                let op = match self.r.below(3) {
                    0 => Op::NzcvAdd { a, b: c },
                    1 => Op::NzcvSub { a, b: c },
                    _ => Op::NzcvLogic { a },
                };
                let n = self.b.push(Ty::I32, op);
                // Conditions read straight off a flag producer (the JIT fuses these).
                for _ in 0..self.r.below(3) {
                    let cond = self.r.below(16) as u8;
                    self.b.push(Ty::I1, Op::CondHolds { cond, nzcv: n });
                }
                if self.r.below(2) == 0 {
                    let w = self.b.zext(Ty::I64, n);
                    self.b.set(off::NZCV, w);
                }
            }
            15 => {
                let nzcv = self.of(Ty::I32);
                let cond = self.r.below(16) as u8;
                self.b.push(Ty::I1, Op::CondHolds { cond, nzcv });
            }
            16 => {
                let (a, c) = (self.of(ty), self.of(ty));
                let nzcv = self.of(Ty::I32);
                let op =
                    if self.r.below(2) == 0 { Op::Adc { a, b: c, nzcv } } else { Op::Sbc { a, b: c, nzcv } };
                self.b.push(ty, op);
            }
            17 | 18 => {
                let size = self.r.pick(&[1u8, 2, 4, 8]);
                let signed = self.r.below(2) == 0;
                let lty = if size == 8 { Ty::I64 } else { ty };
                let addr = self.addr(size as u64);
                self.b.load(lty, addr, size, signed);
            }
            19 => {
                let size = self.r.pick(&[1u8, 2, 4, 8]);
                let v = self.of(Ty::I64);
                let addr = self.addr(size as u64);
                self.b.store(addr, v, size);
            }
            20 => {
                let v = self.of(Ty::I64);
                let addr = self.addr(8);
                let op = self.r.pick(&[AtomicOp::Add, AtomicOp::Swap, AtomicOp::Umax, AtomicOp::Clr]);
                self.b.push(Ty::I64, Op::AtomicRmw { op, addr, v, size: 8 });
            }
            _ => {
                let a = self.of(Ty::I1);
                let c = self.of(Ty::I1);
                let op = self.r.pick(&[
                    Op::And { a, b: c },
                    Op::Or { a, b: c },
                    Op::Xor { a, b: c },
                    Op::Not { a },
                ]);
                self.b.push(Ty::I1, op);
            }
        }
    }
}

fn random_block(seed: u64, pc: u64, mem: &[u8]) -> Block {
    let mut g = Gen {
        r: Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1),
        b: Block::new(Arch::Aarch64, pc),
        mem,
        int_only: seed.is_multiple_of(3),
    };
    let n = 5 + g.r.below(150);
    g.b.mark(pc);
    for _ in 0..n {
        g.step();
    }
    // Make results observable: write a few values to registers.
    for k in 0..4 {
        let v = g.of(Ty::I64);
        g.b.set(off::x(20 + k), v);
    }
    // A W-register write: the JIT stores the I32 value without materialising the zext.
    let w = g.of(Ty::I32);
    let w = g.b.push(Ty::I64, Op::Zext { a: w });
    g.b.set(off::x(19), w);
    g.b.term = if g.r.below(2) == 0 {
        // A fresh comparison used only by the branch is compared at the branch (`cmp; jcc`).
        let c = match g.r.below(3) {
            0 => g.of(Ty::I1),
            1 => {
                let ty = g.int_ty();
                let (x, y) = (g.of(ty), g.of(ty));
                let cc = [
                    Cmp::Eq,
                    Cmp::Ne,
                    Cmp::Ult,
                    Cmp::Ule,
                    Cmp::Ugt,
                    Cmp::Uge,
                    Cmp::Slt,
                    Cmp::Sle,
                    Cmp::Sgt,
                    Cmp::Sge,
                ][g.r.below(10) as usize];
                g.b.icmp(cc, x, y)
            }
            _ => {
                let ty = g.int_ty();
                let (x, y) = (g.of(ty), g.of(ty));
                let nzcv = match g.r.below(3) {
                    0 => g.b.push(Ty::I32, Op::NzcvSub { a: x, b: y }),
                    1 => g.b.push(Ty::I32, Op::NzcvAdd { a: x, b: y }),
                    _ => g.b.push(Ty::I32, Op::NzcvLogic { a: x }),
                };
                g.b.set(off::NZCV, nzcv);
                let cond = g.r.below(16) as u8;
                g.b.push(Ty::I1, Op::CondHolds { cond, nzcv })
            }
        };
        Term::Branch { cond: c, taken: 0x1000, not_taken: 0x2000 }
    } else {
        Term::Jump { target: 0x3000 }
    };
    g.b.end = pc + 4;
    emu_core::ir::verify(&g.b).unwrap_or_else(|e| panic!("generator made a bad block: {e}\n{}", g.b));
    g.b
}

fn initial(seed: u64) -> CpuState {
    let mut r = Rng(seed | 7);
    let mut cpu = CpuState::default();
    for x in cpu.x.iter_mut() {
        *x = r.next() >> r.below(64);
    }
    cpu.nzcv = (r.next() & 0xf) << 28;
    for v in cpu.v.iter_mut() {
        *v = [r.next(), r.next()];
    }
    cpu
}

#[test]
fn random_blocks_agree_between_interpreter_and_jit() {
    // One memory buffer: each block runs on the interpreter, the buffer is snapshotted and
    // refilled, then the same block runs on the JIT (addresses in the block stay valid).
    let mut mem = vec![0u8; 256];
    let fill = |m: &mut [u8], seed: u64| {
        let mut r = Rng(seed | 3);
        m.iter_mut().for_each(|b| *b = r.next() as u8);
    };
    let guest = Arc::new(TableGuest(Mutex::new(HashMap::new())));
    let cache = Arc::new(BlockCache::new());
    let mut jit = Jit::new(guest.clone(), cache.clone()).expect("jit");
    let mut failures = Vec::new();
    for seed in 1..=3000u64 {
        let pc = 0x10_0000 + seed * 16;
        let block = random_block(seed, pc, &mem);
        fill(&mut mem, seed);
        let mut mem_ref = Vec::new();
        let (c_ref, next, c_jit) = run_both(&mut jit, &guest, &block, &initial(seed), || {
            mem_ref = mem.clone();
            fill(&mut mem, seed);
        });
        let ok = c_jit.pc == next + 1
            && c_ref.x == c_jit.x
            && c_ref.v == c_jit.v
            && c_ref.fp_exc == c_jit.fp_exc
            && c_ref.nzcv == c_jit.nzcv
            && mem_ref == mem;
        if !ok {
            let mut regs: Vec<String> = (0..32)
                .filter(|&i| c_ref.x[i] != c_jit.x[i])
                .map(|i| format!("x{i}: {:#x} vs {:#x}", c_ref.x[i], c_jit.x[i]))
                .collect();
            regs.extend(
                (0..32)
                    .filter(|&i| c_ref.v[i] != c_jit.v[i])
                    .map(|i| format!("v{i}: {:x?} vs {:x?}", c_ref.v[i], c_jit.v[i])),
            );
            failures.push(format!(
                "seed {seed}: next {:#x} vs {:#x}; {}; nzcv {:#x} vs {:#x}; mem equal {}\n{}",
                next + 1,
                c_jit.pc,
                regs.join(", "),
                c_ref.nzcv,
                c_jit.nzcv,
                mem_ref == mem,
                block
            ));
            if failures.len() >= 3 {
                break;
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
