//! Shared scaffolding of the backend's integration tests: a seeded xorshift generator and a
//! guest whose "translation" is a table of prepared IR blocks (pcs without an entry translate to
//! an empty block ending in a syscall, so a run stops there).
#![allow(dead_code)] // each test file uses a different part

use emu_core::cpu::CpuState;
use emu_core::engine::{Engine, Exit};
use emu_core::guest::{Arch, Guest};
use emu_core::interp::{exec_block, Flow};
use emu_core::ir::{Block, Term};
use emu_core::tb::BlockCache;
use remu_backend_x86_64::Jit;
use std::collections::HashMap;
use std::sync::Mutex;

pub mod calls;

/// Seeded xorshift64: reproducible test data.
pub struct Rng(pub u64);
impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    pub fn pick<T: Clone>(&mut self, v: &[T]) -> T {
        v[self.below(v.len() as u64) as usize].clone()
    }
}

/// A guest whose "translation" is a table of prepared blocks.
pub struct TableGuest(pub Mutex<HashMap<u64, Block>>);

impl Guest for TableGuest {
    fn arch(&self) -> Arch {
        Arch::Aarch64
    }
    fn translate(&self, pc: u64) -> Block {
        self.0.lock().unwrap().get(&pc).cloned().unwrap_or_else(|| {
            let mut b = Block::new(Arch::Aarch64, pc);
            b.term = Term::Syscall { next: pc + 1 };
            b
        })
    }
    fn init_cpu(&self, _: &mut CpuState, _: u64, _: u64) {}
    fn syscall_args(&self, cpu: &CpuState) -> (u64, [u64; 6]) {
        (cpu.x[8], [0; 6])
    }
    fn set_syscall_ret(&self, _: &mut CpuState, _: u64) {}
    fn sp(&self, cpu: &CpuState) -> u64 {
        cpu.x[31]
    }
    fn set_sp(&self, _: &mut CpuState, _: u64) {}
    fn set_tls(&self, _: &mut CpuState, _: u64) {}
    fn hwcap(&self) -> (u64, u64) {
        (0, 0)
    }
}

/// Run `block` from `start` on the interpreter (the block as given) and on `jit` (which gets it
/// through `guest`, optimised, compiled and dispatched). `between` runs after the interpreter
/// and before the JIT, to reset memory the block touches. Returns the interpreter's state, its
/// successor pc, and the JIT's state, which stopped in the successor's syscall stub (so its `pc`
/// is the successor + 1 when both agree).
pub fn run_both(
    jit: &mut Jit,
    guest: &TableGuest,
    block: &Block,
    start: &CpuState,
    between: impl FnOnce(),
) -> (CpuState, u64, CpuState) {
    guest.0.lock().unwrap().insert(block.pc, block.clone());
    let mut c_ref = start.clone();
    let flow = exec_block(block, &mut c_ref, &mut Vec::new(), &BlockCache::new());
    let Flow::Next(next) = flow else { panic!("reference exited: {flow:?}") };
    between();
    let mut c_jit = start.clone();
    c_jit.pc = block.pc;
    assert_eq!(jit.run(&mut c_jit), Exit::Syscall);
    (c_ref, next, c_jit)
}
