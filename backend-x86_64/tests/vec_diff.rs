//! Differential test of the vector family: random blocks of `VUnary`/`VBinary`/`VTernary`/
//! `VImm`/`VImm2`/`VExtract`/`VInsert`/`VDup` (and V128 `Bitcast`) over vector registers with
//! structured contents (zero, all ones, 0x7f/0x80/0xff bytes, ascending bytes, small table
//! indices, lane extremes, zero bytes sprinkled into random data) run through the interpreter
//! (`exec_block` on the raw block) and through the JIT (block cache -> optimiser -> native SSE or
//! fallback); all V and X registers and `fp_exc` must agree.
//!
//! Every sub-op is generated, native or not, so the fallback's interplay with native code is
//! covered too; immediates are mostly in the AArch64 ranges with some anywhere in u32, since the
//! verifier does not bound them. Seeds are fixed; a failure prints the block. The SSE2-only
//! sequences are checked by re-running the same test in a child process with
//! `REMU_JIT_X86_BASELINE=sse2`.

use emu_core::cpu::{off, CpuState};
use emu_core::guest::Arch;
use emu_core::ir::{Block, Op, Term, Ty, Val, VecBinOp, VecImm2Op, VecImmOp, VecTerOp, VecUnOp};
use emu_core::tb::BlockCache;
use remu_backend_x86_64::Jit;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

mod common;
use common::{run_both, Rng, TableGuest};

fn structured(r: &mut Rng) -> u128 {
    let bytes = |b: u8| u128::from_le_bytes([b; 16]);
    let rnd = |r: &mut Rng| (r.next() as u128) << 64 | r.next() as u128;
    match r.below(14) {
        0 => 0,
        1 => u128::MAX,
        2 => bytes(0x7f),
        3 => bytes(0x80),
        4 => u128::from_le_bytes(std::array::from_fn(|i| i as u8)),
        5 => u128::from_le_bytes(std::array::from_fn(|_| r.below(24) as u8)),
        6 => {
            // Random data with zero bytes.
            let mut b = rnd(r).to_le_bytes();
            for _ in 0..1 + r.below(4) {
                b[r.below(16) as usize] = 0;
            }
            u128::from_le_bytes(b)
        }
        7 => {
            // Lanes of one size at their extremes.
            let es = r.pick(&[8u32, 16, 32, 64]);
            let n = 128 / es;
            let top = 1u128 << (es - 1);
            (0..n).fold(0u128, |acc, i| {
                let l = match r.below(5) {
                    0 => top,
                    1 => top - 1,
                    2 => (top << 1) - 1,
                    3 => 0,
                    _ => 1,
                };
                acc | l << (es * i)
            })
        }
        8 => u128::from_le_bytes(std::array::from_fn(|_| r.pick(&[0u8, 0x7f, 0x80, 0xff, 1, b'a', b'z']))),
        9 => bytes(0xff) ^ (1u128 << r.below(128)),
        _ => rnd(r),
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
        if cands.is_empty() || self.r.below(5) == 0 {
            return match ty {
                Ty::V128 => {
                    let n = self.r.below(32) as usize;
                    self.b.push(Ty::V128, Op::Get { off: off::v(n) })
                }
                _ => {
                    let n = self.r.below(31) as usize;
                    self.b.push(ty, Op::Get { off: off::x(n) })
                }
            };
        }
        // Prefer recent values so chains of ops form.
        let k = cands.len() as u64;
        cands[(k - 1 - self.r.below(k.min(8))) as usize]
    }

    fn es(&mut self) -> u8 {
        self.r.pick(&[8u8, 16, 32, 64])
    }

    /// Element size for an op that widens to 2*es: AArch64 has no 64-bit source form, and the
    /// interpreter overflows on one (sext to 128 bits, u64 pair sums), so es 64 is left out.
    fn es_widening(&mut self) -> u8 {
        self.r.pick(&[8u8, 16, 32])
    }

    /// A shift or index immediate: usually within the AArch64 range for `es`, sometimes not.
    fn imm(&mut self, lo: u32, hi: u32) -> u32 {
        match self.r.below(16) {
            0 => self.r.next() as u32,
            1 => self.r.below(200) as u32,
            _ => lo + self.r.below((hi - lo + 1) as u64) as u32,
        }
    }

    /// The same for rounding shifts, which the interpreter computes in i128 (amounts <= 128).
    fn imm_rounding(&mut self, lo: u32, hi: u32) -> u32 {
        self.imm(lo, hi) % 129
    }

    fn step(&mut self) {
        let v = Ty::V128;
        match self.r.below(20) {
            0..=3 => {
                let op = self.r.pick(VecUnOp::ALL);
                let wide = matches!(op, VecUnOp::AddPairwiseLongU | VecUnOp::AddPairwiseLongS);
                let es = if wide { self.es_widening() } else { self.es() };
                let a = self.of(v);
                self.b.push(v, Op::VUnary { op, es, a });
            }
            4..=9 => {
                let op = self.r.pick(VecBinOp::ALL);
                let n = op.name().trim_end_matches('2');
                let wide = n.len() == 5 && (n.ends_with('l') || n.ends_with('w')) && n != "fmaxp";
                let es = if wide { self.es_widening() } else { self.es() };
                let (a, b) = (self.of(v), self.of(v));
                self.b.push(v, Op::VBinary { op, es, a, b });
            }
            10 | 11 => {
                let op = self.r.pick(VecTerOp::ALL);
                let wide = op.name().trim_end_matches('2').len() == 5;
                let es = if wide { self.es_widening() } else { self.es() };
                let (a, b, c) = (self.of(v), self.of(v), self.of(v));
                self.b.push(v, Op::VTernary { op, es, a, b, c });
            }
            12 | 13 => {
                let op = self.r.pick(VecImmOp::ALL);
                let es = self.es();
                let e = es as u32;
                let imm = match op {
                    VecImmOp::Shl | VecImmOp::UShllLow | VecImmOp::UShllHigh => self.imm(0, e - 1),
                    VecImmOp::SShllLow | VecImmOp::SShllHigh => self.imm(0, e - 1),
                    VecImmOp::DupLane => self.imm(0, 128 / e - 1),
                    VecImmOp::ShrNarrow => self.imm(1, e / 2),
                    VecImmOp::RShrNarrow => self.imm_rounding(1, e / 2),
                    VecImmOp::URShr | VecImmOp::SRShr => self.imm_rounding(1, e),
                    _ => self.imm(1, e),
                };
                let a = self.of(v);
                self.b.push(v, Op::VImm { op, es, a, imm });
            }
            14 => {
                let op = self.r.pick(VecImm2Op::ALL);
                let es = if op == VecImm2Op::Ext { 8 } else { self.es() };
                let imm = match op {
                    VecImm2Op::Ext => self.imm(0, 15),
                    VecImm2Op::Sli => self.imm(0, es as u32 - 1),
                    VecImm2Op::Ursra | VecImm2Op::Srsra => self.imm_rounding(1, es as u32),
                    _ => self.imm(1, es as u32),
                };
                let (a, b) = (self.of(v), self.of(v));
                self.b.push(v, Op::VImm2 { op, es, a, b, imm });
            }
            15 => {
                let es = self.es();
                let idx = self.r.below(128 / es as u64) as u8;
                let ty = if es == 64 || self.r.below(2) == 0 { Ty::I64 } else { Ty::I32 };
                let a = self.of(v);
                let x = self.b.push(ty, Op::VExtract { a, es, idx });
                let n = self.r.below(31) as usize;
                let w = if ty == Ty::I32 { self.b.zext(Ty::I64, x) } else { x };
                self.b.set(off::x(n), w);
            }
            16 => {
                let es = self.es();
                let idx = self.r.below(128 / es as u64) as u8;
                let ty = if self.r.below(2) == 0 { Ty::I64 } else { Ty::I32 };
                let (a, b) = (self.of(v), self.of(ty));
                self.b.push(v, Op::VInsert { a, b, es, idx });
            }
            17 => {
                let es = self.es();
                let ty = if self.r.below(2) == 0 { Ty::I64 } else { Ty::I32 };
                let a = self.of(ty);
                self.b.push(v, Op::VDup { a, es });
            }
            18 => {
                let ty = self.r.pick(&[Ty::I32, Ty::I64]);
                if self.r.below(2) == 0 {
                    let a = self.of(v);
                    let x = self.b.push(ty, Op::Bitcast { a });
                    let w = if ty == Ty::I32 { self.b.zext(Ty::I64, x) } else { x };
                    let n = self.r.below(31) as usize;
                    self.b.set(off::x(n), w);
                } else {
                    let a = self.of(ty);
                    self.b.push(v, Op::Bitcast { a });
                }
            }
            _ => {
                let a = self.of(v);
                let n = self.r.below(32) as usize;
                self.b.set(off::v(n), a);
            }
        }
    }
}

fn random_block(seed: u64, pc: u64) -> Block {
    let mut g =
        Gen { r: Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1), b: Block::new(Arch::Aarch64, pc) };
    let n = 3 + g.r.below(40);
    g.b.mark(pc);
    for _ in 0..n {
        g.step();
    }
    // Make the last vector results observable.
    for k in 0..4 {
        let v = g.of(Ty::V128);
        g.b.set(off::v(28 + k), v);
    }
    g.b.term = Term::Jump { target: 0x3000 };
    g.b.end = pc + 4;
    emu_core::ir::verify(&g.b).unwrap_or_else(|e| panic!("generator made a bad block: {e}\n{}", g.b));
    g.b
}

fn initial(seed: u64) -> CpuState {
    let mut r = Rng(seed | 7);
    let mut cpu = CpuState::default();
    for x in cpu.x.iter_mut() {
        *x = match r.below(4) {
            0 => r.below(40),
            1 => u64::MAX - r.below(3),
            _ => r.next(),
        };
    }
    for v in cpu.v.iter_mut() {
        let x = structured(&mut r);
        *v = [x as u64, (x >> 64) as u64];
    }
    cpu
}

#[test]
fn random_vector_blocks_agree_between_interpreter_and_jit() {
    let guest = Arc::new(TableGuest(Mutex::new(HashMap::new())));
    let cache = Arc::new(BlockCache::new());
    let mut jit = Jit::new(guest.clone(), cache.clone()).expect("jit");
    let mut failures = Vec::new();
    let (mut native, mut total) = (0usize, 0usize);
    for seed in 1..=6000u64 {
        let pc = 0x10_0000 + seed * 16;
        let block = random_block(seed, pc);
        for i in &block.insts {
            if matches!(
                i.op,
                Op::VUnary { .. }
                    | Op::VBinary { .. }
                    | Op::VTernary { .. }
                    | Op::VImm { .. }
                    | Op::VImm2 { .. }
            ) {
                total += 1;
                native += remu_backend_x86_64::emit::is_native(&i.op) as usize;
            }
        }
        let (c_ref, next, c_jit) = run_both(&mut jit, &guest, &block, &initial(seed), || {});
        let ok =
            c_jit.pc == next + 1 && c_ref.x == c_jit.x && c_ref.v == c_jit.v && c_ref.fp_exc == c_jit.fp_exc;
        if !ok {
            let mut diffs: Vec<String> = (0..32)
                .filter(|&i| c_ref.v[i] != c_jit.v[i])
                .map(|i| {
                    format!(
                        "v{i}: {:016x}{:016x} vs {:016x}{:016x}",
                        c_ref.v[i][1], c_ref.v[i][0], c_jit.v[i][1], c_jit.v[i][0]
                    )
                })
                .collect();
            diffs.extend(
                (0..32)
                    .filter(|&i| c_ref.x[i] != c_jit.x[i])
                    .map(|i| format!("x{i}: {:#x} vs {:#x}", c_ref.x[i], c_jit.x[i])),
            );
            let init = initial(seed);
            let inputs: Vec<String> =
                (0..32).map(|i| format!("v{i}={:016x}{:016x}", init.v[i][1], init.v[i][0])).collect();
            failures.push(format!(
                "seed {seed}: {}; fp_exc {:#x} vs {:#x}\ninputs: {}\n{}",
                diffs.join(", "),
                c_ref.fp_exc,
                c_jit.fp_exc,
                inputs.join(" "),
                block
            ));
            if failures.len() >= 3 {
                break;
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    eprintln!("vector ops generated: {total}, natively emitted: {native}");
    assert!(native * 2 > total, "too few native vector ops: {native} of {total}");
}

/// The same test with every extension beyond SSE2 turned off, in a child process (the feature
/// set is fixed once per process).
#[test]
fn sse2_sequences_agree_too() {
    if std::env::var_os("REMU_JIT_X86_BASELINE").is_some() {
        return;
    }
    let exe = std::env::current_exe().expect("test executable");
    let out = std::process::Command::new(exe)
        .args(["--exact", "random_vector_blocks_agree_between_interpreter_and_jit", "--test-threads=1"])
        .env("REMU_JIT_X86_BASELINE", "sse2")
        .output()
        .expect("run the test binary");
    assert!(
        out.status.success(),
        "SSE2 baseline run failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("1 passed"), "child ran no test");
}
