//! The JIT's atomics (`emit/atomic.rs`) against the interpreter's (`interp/mem.rs`):
//!
//! * random blocks of `AtomicRmw` (every op, 1/2/4/8 bytes, I32 and I64 results) and `Cas`
//!   (1/2/4/8/16 bytes) on a small buffer, so the same locations are hit again and again, with
//!   `expected` values that often equal memory (read back by a load just before), sometimes only
//!   in the accessed bytes (the bits above must not matter) and otherwise random; every result
//!   is written to a guest register, and registers and memory must agree after the block;
//! * several host threads, each with its own JIT (and one with the interpreter), incrementing
//!   shared counters through compiled loops of `AtomicRmw Add` and `Cas` retry loops: no
//!   increment may be lost (what guest threads will rely on).

use emu_core::cpu::{off, CpuState};
use emu_core::engine::{Engine, Exit};
use emu_core::guest::Arch;
use emu_core::interp::Interp;
use emu_core::ir::{AtomicOp, Block, Cmp, Op, Term, Ty, Val};
use emu_core::tb::BlockCache;
use remu_backend_x86_64::Jit;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

mod common;
use common::{run_both, Rng, TableGuest};

const OPS: [AtomicOp; 10] = [
    AtomicOp::Add,
    AtomicOp::Clr,
    AtomicOp::And,
    AtomicOp::Eor,
    AtomicOp::Set,
    AtomicOp::Smax,
    AtomicOp::Smin,
    AtomicOp::Umax,
    AtomicOp::Umin,
    AtomicOp::Swap,
];

/// 16-byte aligned guest memory (for `cmpxchg16b`) seen as bytes.
struct Mem(Vec<u128>);
impl Mem {
    fn bytes(&mut self) -> &mut [u8] {
        // SAFETY: a u128 buffer is also a valid byte buffer of 16x the length.
        unsafe { std::slice::from_raw_parts_mut(self.0.as_mut_ptr().cast(), self.0.len() * 16) }
    }
    fn base(&self) -> u64 {
        self.0.as_ptr() as u64
    }
}

struct Gen {
    r: Rng,
    b: Block,
    base: u64,
    len: u64,
    results: usize,
}

impl Gen {
    /// An operand of type `ty`: a constant near a width boundary, a random one, or an earlier value.
    fn of(&mut self, ty: Ty) -> Val {
        let cands: Vec<Val> =
            (0..self.b.insts.len() as u32).map(Val).filter(|v| self.b.ty(*v) == ty).collect();
        if ty == Ty::V128 {
            if cands.is_empty() || self.r.below(3) == 0 {
                let (lo, hi) = (self.r.next(), self.r.next());
                return self.b.push(Ty::V128, Op::ConstV128 { lo, hi });
            }
            return self.r.pick(&cands);
        }
        if cands.is_empty() || self.r.below(2) == 0 {
            let k = match self.r.below(3) {
                0 => self.r.pick(&[0, 1, 0x7f, 0x80, 0xff, 0x7fff, 0x8000, 0xffff, 0x7fff_ffff, 0x8000_0000]),
                1 => u64::MAX - self.r.below(2),
                _ => self.r.next() >> self.r.below(64),
            };
            let k = if ty == Ty::I32 { k & 0xffff_ffff } else { k };
            return self.b.iconst(ty, k);
        }
        self.r.pick(&cands)
    }

    /// An address in the buffer aligned to `align`.
    fn addr(&mut self, size: u64, align: u64) -> Val {
        let o = self.r.below(self.len - size + 1) & !(align - 1);
        self.b.iconst(Ty::I64, self.base + o)
    }

    /// Keep `v` observable: write it to the next guest register (cycling over x0..x27).
    fn record(&mut self, v: Val) {
        let v = if self.b.ty(v) == Ty::I32 { self.b.zext(Ty::I64, v) } else { v };
        let n = self.results % 28;
        self.results += 1;
        if self.b.ty(v) == Ty::V128 {
            self.b.set(off::v(n), v);
        } else {
            self.b.set(off::x(n), v);
        }
    }

    fn rmw(&mut self) {
        let size = self.r.pick(&[1u8, 2, 4, 8]);
        let ty = if size == 8 || self.r.below(2) == 0 { Ty::I64 } else { Ty::I32 };
        let op = self.r.pick(&OPS);
        let addr = self.addr(size as u64, size as u64);
        let v = self.of(ty);
        let old = self.b.push(ty, Op::AtomicRmw { op, addr, v, size });
        self.record(old);
    }

    fn cas(&mut self) {
        let size = self.r.pick(&[1u8, 2, 4, 8, 16]);
        if size == 16 {
            // Mostly aligned (cmpxchg16b); sometimes 8-aligned, which takes the plain path.
            let align = if self.r.below(4) == 0 { 8 } else { 16 };
            let addr = self.addr(16, align);
            let expected = match self.r.below(3) {
                0 => self.of(Ty::V128),
                _ => self.b.load(Ty::V128, addr, 16, false),
            };
            let new = self.of(Ty::V128);
            let old = self.b.push(Ty::V128, Op::Cas { addr, expected, new, size });
            self.record(old);
            return;
        }
        let ty = if size == 8 || self.r.below(2) == 0 { Ty::I64 } else { Ty::I32 };
        let addr = self.addr(size as u64, size as u64);
        let expected = match self.r.below(4) {
            0 => self.of(ty),
            1 if size < ty.bits() as u8 / 8 => {
                // Equal in the accessed bytes, different above them.
                let cur = self.b.load(ty, addr, size, false);
                let junk = self.r.next() << (8 * size as u32) | 1 << (8 * size as u32);
                let junk = if ty == Ty::I32 { junk & 0xffff_ffff } else { junk };
                let k = self.b.iconst(ty, junk);
                self.b.or(ty, cur, k)
            }
            _ => self.b.load(ty, addr, size, false),
        };
        let new = self.of(ty);
        let old = self.b.push(ty, Op::Cas { addr, expected, new, size });
        self.record(old);
    }
}

fn random_block(seed: u64, pc: u64, base: u64, len: u64) -> Block {
    let r = Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
    let mut g = Gen { r, b: Block::new(Arch::Aarch64, pc), base, len, results: 0 };
    g.b.mark(pc);
    for _ in 0..4 + g.r.below(40) {
        match g.r.below(3) {
            0 => g.cas(),
            _ => g.rmw(),
        }
    }
    g.b.term = Term::Jump { target: 0x3000 };
    g.b.end = pc + 4;
    emu_core::ir::verify(&g.b).unwrap_or_else(|e| panic!("generator made a bad block: {e}\n{}", g.b));
    g.b
}

#[test]
fn atomics_agree_between_interpreter_and_jit() {
    let mut mem = Mem(vec![0; 4]); // 64 bytes: operations collide often
    let fill = |m: &mut Mem, seed: u64| {
        let mut r = Rng(seed | 3);
        // Small byte values too, so CAS/min/max see equal and near-equal operands.
        m.bytes()
            .iter_mut()
            .for_each(|b| *b = if r.below(3) == 0 { r.below(3) as u8 } else { r.next() as u8 });
    };
    let guest = Arc::new(TableGuest(Mutex::new(HashMap::new())));
    let mut jit = Jit::new(guest.clone(), Arc::new(BlockCache::new())).expect("jit");
    let mut failures = Vec::new();
    let (mut ops, mut native) = (0, 0);
    for seed in 1..=3000u64 {
        let pc = 0x10_0000 + seed * 16;
        let block = random_block(seed, pc, mem.base(), 64);
        for i in &block.insts {
            ops += 1;
            native += remu_backend_x86_64::emit::is_native(&i.op) as usize;
        }
        fill(&mut mem, seed);
        let mut mem_ref = Vec::new();
        let (c_ref, next, c_jit) = run_both(&mut jit, &guest, &block, &CpuState::default(), || {
            mem_ref = mem.0.clone();
            fill(&mut mem, seed);
        });
        assert_eq!(next, 0x3000, "reference left the block for {next:#x}");
        if c_ref.x != c_jit.x || c_ref.v != c_jit.v || mem_ref != mem.0 {
            let regs: Vec<String> = (0..28)
                .filter(|&i| c_ref.x[i] != c_jit.x[i])
                .map(|i| format!("x{i}: {:#x} vs {:#x}", c_ref.x[i], c_jit.x[i]))
                .chain(
                    (0..28)
                        .filter(|&i| c_ref.v[i] != c_jit.v[i])
                        .map(|i| format!("v{i}: {:x?} vs {:x?}", c_ref.v[i], c_jit.v[i])),
                )
                .collect();
            failures.push(format!(
                "seed {seed}: {}; memory {:x?} vs {:x?}\n{block}",
                regs.join(", "),
                mem_ref,
                mem.0
            ));
            if failures.len() >= 3 {
                break;
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    assert_eq!(ops, native, "every op of these blocks has a native emitter");
}

/// A loop block at `pc` running `x0` times: `AtomicRmw Add` of 1 to an 8-byte and a 4-byte
/// counter, and a load + `Cas` increment of a third counter whose successes count in `x1`
/// (a failed CAS is retried by the next iteration, so x0 counts successes only).
fn counter_loop(pc: u64, counters: u64) -> Block {
    let mut b = Block::new(Arch::Aarch64, pc);
    b.mark(pc);
    let one64 = b.iconst(Ty::I64, 1);
    let one32 = b.iconst(Ty::I32, 1);
    let c8 = b.iconst(Ty::I64, counters);
    let c4 = b.iconst(Ty::I64, counters + 8);
    let cc = b.iconst(Ty::I64, counters + 16);
    b.push(Ty::I64, Op::AtomicRmw { op: AtomicOp::Add, addr: c8, v: one64, size: 8 });
    b.push(Ty::I32, Op::AtomicRmw { op: AtomicOp::Add, addr: c4, v: one32, size: 4 });
    let cur = b.load(Ty::I64, cc, 8, false);
    let next = b.add(Ty::I64, cur, one64);
    let got = b.push(Ty::I64, Op::Cas { addr: cc, expected: cur, new: next, size: 8 });
    let ok = b.icmp(Cmp::Eq, got, cur);
    let ok = b.zext(Ty::I64, ok);
    let n = b.get(Ty::I64, off::x(1));
    let n = b.add(Ty::I64, n, ok);
    b.set(off::x(1), n);
    let left = b.get(Ty::I64, off::x(0));
    let left = b.push(Ty::I64, Op::Sub { a: left, b: one64 });
    b.set(off::x(0), left);
    let zero = b.iconst(Ty::I64, 0);
    let more = b.icmp(Cmp::Ne, left, zero);
    b.term = Term::Branch { cond: more, taken: pc, not_taken: pc + 0x100 };
    b.end = pc + 4;
    emu_core::ir::verify(&b).expect("counter loop");
    b
}

#[test]
fn threads_share_counters_through_jit_atomics() {
    const ITERS: u64 = 2_000_000;
    const JIT_THREADS: u64 = 2;
    let counters = Mem(vec![0; 2]);
    let pc = 0x40_0000;
    let guest = Arc::new(TableGuest(Mutex::new(HashMap::new())));
    guest.0.lock().unwrap().insert(pc, counter_loop(pc, counters.base()));
    let cache = Arc::new(BlockCache::new());
    let run = |use_jit: bool| {
        let (guest, cache) = (guest.clone(), cache.clone());
        std::thread::spawn(move || {
            let mut engine: Box<dyn Engine> = if use_jit {
                Box::new(Jit::new(guest, cache).expect("jit"))
            } else {
                Box::new(Interp::new(guest, cache))
            };
            let mut cpu = CpuState { pc, ..CpuState::default() };
            cpu.x[0] = ITERS;
            // The loop leaves only when done (to pc + 0x100, which ends in a syscall).
            while engine.run(&mut cpu) != Exit::Syscall {}
            assert_eq!(cpu.pc, pc + 0x101);
            cpu.x[1]
        })
    };
    let threads: Vec<_> = (0..JIT_THREADS).map(|_| run(true)).chain([run(false)]).collect();
    let cas_successes: u64 = threads.into_iter().map(|t| t.join().expect("thread")).sum();
    let total = ITERS * (JIT_THREADS + 1);
    let words: [u64; 4] = unsafe { std::mem::transmute([counters.0[0], counters.0[1]]) };
    assert_eq!(words[0], total, "8-byte AtomicRmw Add lost increments");
    assert_eq!(words[1] as u32 as u64, total, "4-byte AtomicRmw Add lost increments");
    assert_eq!(words[1] >> 32, 0, "4-byte add carried into the next word");
    assert_eq!(words[2], cas_successes, "CAS increments lost or doubled");
    assert!(cas_successes > 0);
}
