//! Self-loop differential test: random blocks that branch back to themselves (where the JIT keeps
//! loop-carried guest registers in host registers, emit/looping.rs) run to completion on the
//! interpreter and on the JIT; guest registers, memory and the exit pc must agree.
//!
//! Bodies mix 64-bit register writes (cacheable), 32-bit writes and W-register zero-extends,
//! pinned registers, loads and stores at register-derived addresses, side exits (`ExitIf`), and
//! now and then an op that calls out (the block must then be compiled without caching).

use emu_core::cpu::{off, CpuState};
use emu_core::engine::{Engine, Exit};
use emu_core::guest::Arch;
use emu_core::interp::{exec_block, Flow};
use emu_core::ir::{Block, Cmp, Op, Term, Ty};
use emu_core::tb::BlockCache;
use remu_backend_x86_64::Jit;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

mod common;
use common::{Rng, TableGuest};

const PC: u64 = 0x4000;
const EXIT: u64 = 0x5000;
/// Where side exits (`ExitIf`) go.
const SIDE: u64 = 0x6000;
/// Registers the bodies use: pinned (x0, x1, x2, SP) and unpinned ones.
const REGS: [usize; 9] = [0, 1, 2, 31, 3, 5, 9, 19, 30];
const COUNTER: usize = 7;

fn body(seed: u64, buf: u64) -> Block {
    let mut r = Rng(seed | 1);
    let mut b = Block::new(Arch::Aarch64, PC);
    let mut pc = PC;
    for _ in 0..2 + r.below(8) {
        b.mark(pc);
        pc += 4;
        let x = b.get(Ty::I64, off::x(r.pick(&REGS)));
        let y = b.get(Ty::I64, off::x(r.pick(&REGS)));
        let k = b.iconst(Ty::I64, r.next() >> r.below(64));
        let v = match r.below(6) {
            0 => b.add(Ty::I64, x, y),
            1 => b.push(Ty::I64, Op::Xor { a: x, b: k }),
            2 => b.push(Ty::I64, Op::Mul { a: x, b: y }),
            3 => {
                // A load from the buffer at a register-derived index.
                let m = b.iconst(Ty::I64, 0xf8);
                let i = b.push(Ty::I64, Op::And { a: x, b: m });
                let base = b.iconst(Ty::I64, buf);
                let a = b.add(Ty::I64, base, i);
                b.load(Ty::I64, a, 8, false)
            }
            4 => {
                let m = b.iconst(Ty::I64, 0xf8);
                let i = b.push(Ty::I64, Op::And { a: y, b: m });
                let base = b.iconst(Ty::I64, buf);
                let a = b.add(Ty::I64, base, i);
                b.store(a, x, 8);
                b.push(Ty::I64, Op::Sub { a: x, b: k })
            }
            _ if r.below(4) == 0 => b.push(Ty::I64, Op::Bswap { a: x }), // a fallback call
            _ => b.push(Ty::I64, Op::Shl { a: x, b: k }),
        };
        // Now and then a side exit (a two-block loop merged into one): the cached registers
        // must be written back on that way out too.
        if r.below(5) == 0 {
            let t = b.iconst(Ty::I64, r.next());
            let cond = b.icmp(r.pick(&[Cmp::Ult, Cmp::Eq, Cmp::Sgt]), v, t);
            b.push(Ty::Void, Op::ExitIf { cond, target: SIDE });
        }
        let dst = off::x(r.pick(&REGS));
        match r.below(5) {
            0 => {
                let w = b.trunc(Ty::I32, v);
                b.set(dst, w); // a 32-bit write: that register is not cached
            }
            1 => {
                let w = b.trunc(Ty::I32, v);
                let z = b.push(Ty::I64, Op::Zext { a: w });
                b.set(dst, z);
            }
            _ => b.set(dst, v),
        }
    }
    b.mark(pc);
    let n = b.get(Ty::I64, off::x(COUNTER));
    let one = b.iconst(Ty::I64, 1);
    let n1 = b.sub(Ty::I64, n, one);
    b.set(off::x(COUNTER), n1);
    let zero = b.iconst(Ty::I64, 0);
    let more = b.icmp(Cmp::Ne, n1, zero);
    b.term = if r.below(2) == 0 {
        Term::Branch { cond: more, taken: PC, not_taken: EXIT }
    } else {
        let done = b.icmp(Cmp::Eq, n1, zero);
        Term::Branch { cond: done, taken: EXIT, not_taken: PC }
    };
    b.end = pc + 4;
    b
}

#[test]
fn random_self_loops_agree_between_interpreter_and_jit() {
    let mut mem = vec![0u64; 32];
    let buf = mem.as_mut_ptr() as u64;
    let guest = Arc::new(TableGuest(Mutex::new(HashMap::new())));
    let mut failures = Vec::new();
    for seed in 1..=400u64 {
        let block = body(seed, buf);
        let mut start = CpuState::default();
        let mut r = Rng(seed * 77 + 5);
        start.x.iter_mut().for_each(|x| *x = r.next());
        start.x[COUNTER] = 1 + r.below(12);
        let init: Vec<u64> = (0..32).map(|_| r.next()).collect();

        mem.copy_from_slice(&init);
        let mut c_ref = start.clone();
        let (cache, mut vals) = (BlockCache::new(), Vec::new());
        let mut ref_block = block.clone();
        emu_core::ir::opt::optimize(&mut ref_block);
        loop {
            match exec_block(&ref_block, &mut c_ref, &mut vals, &cache) {
                Flow::Next(PC) => {}
                Flow::Next(n) => {
                    c_ref.pc = n;
                    break;
                }
                f => panic!("reference exited: {f:?}"),
            }
        }
        let mem_ref = mem.clone();

        mem.copy_from_slice(&init);
        guest.0.lock().unwrap().clear();
        guest.0.lock().unwrap().insert(PC, block.clone());
        let mut jit = Jit::new(guest.clone(), Arc::new(BlockCache::new())).expect("jit");
        let mut c_jit = start.clone();
        c_jit.pc = PC;
        assert_eq!(jit.run(&mut c_jit), Exit::Syscall);
        // Exit blocks are missing: the table guest ends there with a syscall at the exit + 1.
        if c_jit.pc != c_ref.pc + 1 || c_ref.x != c_jit.x || mem_ref != mem {
            let regs: Vec<String> = (0..32)
                .filter(|&i| c_ref.x[i] != c_jit.x[i])
                .map(|i| format!("x{i}: {:#x} vs {:#x}", c_ref.x[i], c_jit.x[i]))
                .collect();
            failures.push(format!(
                "seed {seed}: pc {:#x}; {}; mem equal {}\n{block}",
                c_jit.pc,
                regs.join(", "),
                mem_ref == mem
            ));
            if failures.len() >= 3 {
                break;
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
