//! The return-address shadow stack: returns are predicted, and a wrong or stale prediction is
//! never followed. Each program runs on the interpreter and on the JIT from the same state;
//! registers must agree, and the `--stats` counters show the predictions.

use emu_core::cpu::CpuState;
use emu_core::engine::{Engine, Exit};
use emu_core::interp::Interp;
use emu_core::ir::{Block, Op};
use emu_core::tb::BlockCache;
use remu_backend_x86_64::emit::shadow::RING_ENTRIES;
use remu_backend_x86_64::Jit;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

mod common;
use common::calls::{self, F, MAIN, PAUSE, STOP};
use common::TableGuest;

fn guest(blocks: Vec<Block>) -> Arc<TableGuest> {
    let g = Arc::new(TableGuest(Mutex::new(HashMap::new())));
    calls::install(&g, blocks);
    g
}

/// Run `engine` from `main` with x0 = n and x3 = mode until it stops; when it pauses in the
/// leaf (mode 1), call `paused` and continue. Returns the final registers.
fn run_with(engine: &mut dyn Engine, n: u64, mode: u64, paused: impl FnOnce(&mut dyn Engine)) -> CpuState {
    let (stack, top) = calls::stack(4096);
    let mut cpu = CpuState::default();
    (cpu.x[0], cpu.x[3], cpu.x[5], cpu.x[31], cpu.pc) = (n, mode, top, top, MAIN);
    assert_eq!(engine.run(&mut cpu), Exit::Syscall);
    if cpu.pc == PAUSE + 1 {
        paused(engine);
        assert_eq!(engine.run(&mut cpu), Exit::Syscall);
    }
    assert_eq!(cpu.pc, STOP + 1);
    drop(stack);
    cpu
}

fn run(engine: &mut dyn Engine, n: u64, mode: u64) -> CpuState {
    run_with(engine, n, mode, |_| {})
}

fn interp(blocks: Vec<Block>) -> (Arc<TableGuest>, Interp) {
    let g = guest(blocks);
    (g.clone(), Interp::new(g, Arc::new(BlockCache::new())))
}

fn jit(blocks: Vec<Block>, size: usize) -> (Arc<TableGuest>, Jit) {
    let g = guest(blocks);
    let mut j = Jit::with_buffer_size(g.clone(), Arc::new(BlockCache::new()), size).unwrap();
    j.enable_stats();
    j.set_return_prediction(true);
    (g, j)
}

/// Same pc and registers; the stack pointer relative to the stack's top (x5), as each run
/// has its own stack.
fn same(a: &CpuState, b: &CpuState) {
    let regs = |c: &CpuState| (c.pc, c.x[..5].to_vec(), c.x[30], c.x[31].wrapping_sub(c.x[5]));
    assert_eq!(regs(a), regs(b));
}

#[test]
fn shallow_recursion_returns_are_all_predicted() {
    for indirect in [false, true] {
        let want = run(&mut interp(calls::recursion(indirect)).1, 40, 0);
        let (_, mut j) = jit(calls::recursion(indirect), 1 << 20);
        for _ in 0..3 {
            same(&run(&mut j, 40, 0), &want);
        }
        let c = j.counters().unwrap();
        // main's call and 40 recursive ones, three times; all fit in the ring.
        assert_eq!((c.returns, c.return_hits), (3 * 41, 3 * 41), "indirect calls: {indirect}");
    }
}

#[test]
fn deep_recursion_wraps_the_ring() {
    // 1000 calls from one call site: the wrapped ring still predicts all but main's return,
    // whose entry was overwritten.
    let want = run(&mut interp(calls::recursion(false)).1, 1000, 0);
    let (_, mut j) = jit(calls::recursion(false), 1 << 20);
    same(&run(&mut j, 1000, 0), &want);
    let c = j.counters().unwrap();
    assert_eq!((c.returns, c.return_hits), (1001, 1000));
    // 300 call sites deep: only the innermost calls are still in the ring when the
    // unwinding starts; the older entries were overwritten and must not be followed.
    let want = run(&mut interp(calls::chain(300)).1, 0, 0);
    let (_, mut j) = jit(calls::chain(300), 1 << 20);
    same(&run(&mut j, 0, 0), &want);
    let c = j.counters().unwrap();
    let ring = RING_ENTRIES as u64;
    assert_eq!(c.returns, 300);
    assert!(c.return_hits <= ring && c.return_hits + 1 >= ring, "hits {}", c.return_hits);
}

#[test]
fn longjmp_out_of_a_recursion_falls_back_to_the_table() {
    // Mode 2: the leaf restores the stack pointer and "returns" to LANDING, skipping 31
    // frames; LANDING then calls f(3) and returns to main's return address.
    let want = run(&mut interp(calls::recursion(false)).1, 30, 2);
    let (_, mut j) = jit(calls::recursion(false), 1 << 20);
    for _ in 0..3 {
        same(&run(&mut j, 30, 2), &want);
    }
    let c = j.counters().unwrap();
    assert!(c.return_hits < c.returns);
}

/// Change "x1 = 3*x1 + 5" after the recursive call into "x1 = 3*x1 + 6".
fn patched_after_call() -> Block {
    let mut b = calls::recursion(false).into_iter().find(|b| b.pc == F + 8).unwrap();
    for i in b.insts.iter_mut() {
        if let Op::Const { imm: imm @ 5 } = &mut i.op {
            *imm = 6;
        }
    }
    b
}

#[test]
fn invalidated_return_site_is_not_jumped_to() {
    // Pause in the leaf with 21 predictions in the ring whose stubs are chained to the code
    // after the call, replace that code and invalidate it: the returns must run the new code.
    let replace = |g: &TableGuest, e: &mut dyn Engine| {
        calls::install(g, vec![patched_after_call()]);
        e.invalidate(F + 8, 4);
    };
    let (ig, mut i) = interp(calls::recursion(false));
    let want = run_with(&mut i, 20, 1, |e| replace(&ig, e));
    let (jg, mut j) = jit(calls::recursion(false), 1 << 20);
    run(&mut j, 20, 0);
    calls::install(&jg, calls::recursion(false));
    let got = run_with(&mut j, 20, 1, |e| replace(&jg, e));
    same(&got, &want);
    assert_ne!(got.x[1], run(&mut interp(calls::recursion(false)).1, 20, 0).x[1]);
    // The predictions were still used: they lead to the (now unlinked) stubs.
    let c = j.counters().unwrap();
    assert_eq!(c.return_hits, c.returns);
}

#[test]
fn flush_with_predictions_in_flight() {
    // 300 distinct functions in a 16 KiB buffer: the buffer is flushed many times while the
    // ring holds stubs in code that the flush throws away.
    let want = run(&mut interp(calls::chain(300)).1, 0, 0);
    let (_, mut j) = jit(calls::chain(300), 16 << 10);
    for _ in 0..3 {
        same(&run(&mut j, 0, 0), &want);
    }
    assert!(j.flushes() >= 3, "flushes {}", j.flushes());
}
