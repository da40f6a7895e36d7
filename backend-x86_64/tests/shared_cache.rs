//! One code cache, several guest threads: each OS thread has its own `CpuState`, guest stack
//! and engine handle (`Jit::on`) on a shared `JitCache`, runs the same guest code at the same
//! time, and must end in the state the interpreter computes. Variants force flushes (a code
//! region smaller than the program) and invalidations while the others run, and chain jumps
//! concurrently (every thread starts cold on the same blocks).

use emu_core::cpu::CpuState;
use emu_core::engine::{Engine, Exit};
use emu_core::interp::Interp;
use emu_core::ir::{parse_block, Block};
use emu_core::tb::BlockCache;
use remu_backend_x86_64::{Jit, JitCache};
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Barrier, Mutex};

mod common;
use common::calls::{self, MAIN, STOP};
use common::TableGuest;

const THREADS: u64 = 4;

fn guest(blocks: Vec<Block>) -> Arc<TableGuest> {
    let g = Arc::new(TableGuest(Mutex::new(HashMap::new())));
    calls::install(&g, blocks);
    g
}

/// Run the program from `main` with x0 = n on a fresh stack; pc, x0-x4, x30 and the stack
/// pointer relative to its top.
fn run(engine: &mut dyn Engine, n: u64) -> (u64, Vec<u64>) {
    let (stack, top) = calls::stack(8192);
    let mut cpu = CpuState::default();
    (cpu.x[0], cpu.x[31], cpu.pc) = (n, top, MAIN);
    assert_eq!(engine.run(&mut cpu), Exit::Syscall);
    assert_eq!(cpu.pc, STOP + 1);
    drop(stack);
    let mut r = cpu.x[..5].to_vec();
    r.extend([cpu.x[30], top - cpu.x[31]]);
    (cpu.pc, r)
}

fn reference(program: fn() -> Vec<Block>, n: u64) -> (u64, Vec<u64>) {
    run(&mut Interp::new(guest(program()), Arc::new(BlockCache::new())), n)
}

/// `THREADS` threads each run `program` at least `rounds` times (argument `n + thread`), and
/// until `enough()`, on handles of one cache with `size`-byte regions; `also` runs beside them
/// until they finish.
fn race(
    program: fn() -> Vec<Block>,
    n: u64,
    rounds: usize,
    size: usize,
    predict: bool,
    enough: &(dyn Fn() -> bool + Sync),
    also: impl FnOnce(Arc<JitCache>, &AtomicBool) + Send,
) -> Arc<JitCache> {
    let g = guest(program());
    let shared = JitCache::new(g, Arc::new(BlockCache::new()), size).unwrap();
    Jit::on(shared.clone()).set_return_prediction(predict);
    let want: Vec<_> = (0..THREADS).map(|t| reference(program, n + t)).collect();
    let start = Barrier::new(THREADS as usize + 1);
    let done = AtomicBool::new(false);
    std::thread::scope(|s| {
        let workers: Vec<_> = (0..THREADS)
            .map(|t| {
                let (shared, want, start) = (shared.clone(), want[t as usize].clone(), &start);
                s.spawn(move || {
                    let mut j = Jit::on(shared);
                    start.wait();
                    let mut round = 0;
                    while round < rounds || !enough() {
                        assert_eq!(run(&mut j, n + t), want, "thread {t}");
                        round += 1;
                    }
                })
            })
            .collect();
        let (shared2, done2, start2) = (shared.clone(), &done, &start);
        let side = s.spawn(move || {
            start2.wait();
            also(shared2, done2)
        });
        for w in workers {
            w.join().unwrap();
        }
        done.store(true, Ordering::Relaxed);
        side.join().unwrap();
    });
    shared
}

fn recursion() -> Vec<Block> {
    calls::recursion(false)
}

fn chain() -> Vec<Block> {
    calls::chain(200)
}

#[test]
fn threads_run_the_same_code_on_one_cache() {
    for predict in [false, true] {
        let shared = race(recursion, 300, 50, 1 << 20, predict, &|| true, |_, _| {});
        let j = Jit::on(shared);
        assert!(j.chained() > 0);
        assert_eq!(j.flushes(), 0);
    }
}

#[test]
fn flushes_while_threads_run() {
    // 200 functions (400 blocks) in 16 KiB regions: every round flushes several times, while
    // the other threads are inside the code being retired.
    for predict in [false, true] {
        let shared = race(chain, 0, 20, 16 << 10, predict, &|| true, |_, _| {});
        let j = Jit::on(shared);
        assert!(j.flushes() > 10, "flushes {}", j.flushes());
    }
}

#[test]
fn invalidations_while_threads_run() {
    // A fifth thread keeps invalidating the recursive function's blocks (whose code does not
    // change): the runners lose their chains and recompile, and must still agree.
    let n = AtomicU64::new(0);
    let enough = || n.load(Ordering::Relaxed) >= 50;
    let shared = race(recursion, 200, 50, 1 << 20, true, &enough, |shared, done| {
        let mut j = Jit::on(shared);
        while !done.load(Ordering::Relaxed) {
            j.invalidate(calls::F, 0x200);
            n.fetch_add(1, Ordering::Relaxed);
            std::thread::sleep(std::time::Duration::from_micros(100));
        }
    });
    let j = Jit::on(shared);
    assert!(j.compiled() > 16, "compiled {}", j.compiled());
}

// x0 -= 1; loop while x0 != 0, then stop (as in tests/chaining.rs).
const LOOP: &str = "block aarch64 0x5000..0x5004
  v0 = get.i64 0x0
  v1 = const.i64 1
  v2 = sub.i64 v0, v1
  v3 = set 0x0, v2
  v4 = const.i64 0
  v5 = icmp.i1 ne, v2, v4
  branch v5, 0x5000, 0x6000";

#[test]
fn concurrent_chaining_of_cold_blocks() {
    // Every thread starts at once on blocks nobody has compiled: the compile lock serialises
    // them, all patch (or find patched) the same loop jump, and every loop runs to the end.
    for _ in 0..20 {
        let g = Arc::new(TableGuest(Mutex::new(HashMap::new())));
        let b = parse_block(LOOP).unwrap();
        g.0.lock().unwrap().insert(b.pc, b);
        let shared = JitCache::new(g, Arc::new(BlockCache::new()), 1 << 20).unwrap();
        let start = Barrier::new(THREADS as usize);
        std::thread::scope(|s| {
            for t in 0..THREADS {
                let (shared, start) = (shared.clone(), &start);
                s.spawn(move || {
                    let mut j = Jit::on(shared);
                    let mut cpu = CpuState::default();
                    (cpu.x[0], cpu.pc) = (10_000 * (t + 1), 0x5000);
                    start.wait();
                    assert_eq!(j.run(&mut cpu), Exit::Syscall);
                    assert_eq!((cpu.x[0], cpu.pc), (0, 0x6001));
                    assert!(j.dispatches < 10, "dispatches {}", j.dispatches);
                });
            }
        });
        // One loop jump, one exit jump; threads racing through the same slow path may each
        // patch it (to the same place).
        let chained = Jit::on(shared).chained();
        assert!((2..=2 * THREADS).contains(&chained), "chained {chained}");
    }
}
