//! Syscalls serviced from inside generated code (`Jit::set_syscall_handler`, src/syscall.rs):
//! a loop making thousands of syscalls must never return to the dispatcher between them, the
//! handler must see and be seen in pinned and unpinned registers exactly, ranges it invalidates
//! must be applied before the next block runs, and "stop", a moved pc, a panic and blocks too
//! large to compile must behave as on the dispatcher path.

use emu_core::cpu::CpuState;
use emu_core::engine::{CodeInvalidator, Engine, Exit};
use emu_core::ir::parse_block;
use emu_core::tb::BlockCache;
use remu_backend_x86_64::Jit;
use std::cell::Cell;
use std::collections::HashMap;
use std::rc::Rc;
use std::sync::{Arc, Mutex};

mod common;
use common::TableGuest;

// x3 += 1; x1 = 2 * x3 (x1 is pinned, x3 is not); syscall, continuing at 0x2000.
const CALLER: &str = "block aarch64 0x1000..0x1004
  v0 = get.i64 0x18
  v1 = const.i64 1
  v2 = add.i64 v0, v1
  v3 = set 0x18, v2
  v4 = add.i64 v2, v2
  v5 = set 0x8, v4
  syscall 0x2000";

// x5 += x0 + x2 + x4 (what the handler wrote: x0 and x2 pinned, x4 not); x10 -= 1; loop to
// 0x1000 while x10 != 0, else to 0x3000 (no block there: a syscall continuing at 0x3001).
const AFTER: &str = "block aarch64 0x2000..0x2004
  v0 = get.i64 0x28
  v1 = get.i64 0x0
  v2 = add.i64 v0, v1
  v3 = get.i64 0x10
  v4 = add.i64 v2, v3
  v5 = get.i64 0x20
  v6 = add.i64 v4, v5
  v7 = set 0x28, v6
  v8 = get.i64 0x50
  v9 = const.i64 1
  v10 = sub.i64 v8, v9
  v11 = set 0x50, v10
  v12 = const.i64 0
  v13 = icmp.i1 ne, v10, v12
  branch v13, 0x1000, 0x3000";

/// Where the loop ends: the handler says stop at the syscall of the empty block at 0x3000.
const END: u64 = 0x3001;

fn setup(blocks: &[&str]) -> (Arc<TableGuest>, Jit) {
    let g = Arc::new(TableGuest(Mutex::new(HashMap::new())));
    blocks.iter().for_each(|t| put(&g, t));
    let jit = Jit::new(g.clone(), Arc::new(BlockCache::new())).unwrap();
    (g, jit)
}

fn put(g: &TableGuest, text: &str) {
    let b = parse_block(text).unwrap();
    g.0.lock().unwrap().insert(b.pc, b);
}

/// The loop's state to start `n` iterations at the caller.
fn start(n: u64) -> CpuState {
    let mut cpu = CpuState::default();
    cpu.x[10] = n;
    cpu.pc = 0x1000;
    cpu
}

/// The handler's side of the loop for call `k` (1-based): checks what the caller block left
/// and writes the registers the next block adds up.
fn service(cpu: &mut CpuState, k: u64) {
    assert_eq!(cpu.pc, 0x2000, "call {k}: pc is not past the syscall");
    assert_eq!(cpu.x[3], k, "call {k}: unpinned register written by the block");
    assert_eq!(cpu.x[1], 2 * k, "call {k}: pinned register written by the block");
    cpu.x[0] = k;
    cpu.x[2] = 2 * k;
    cpu.x[4] = 3 * k;
}

#[test]
fn thousands_of_syscalls_stay_in_generated_code() {
    const N: u64 = 20_000;
    let (_, mut jit) = setup(&[CALLER, AFTER]);
    let calls = Rc::new(Cell::new(0u64));
    let seen = calls.clone();
    jit.set_syscall_handler(Box::new(move |cpu, _| {
        if cpu.pc == END {
            return false;
        }
        seen.set(seen.get() + 1);
        service(cpu, seen.get());
        true
    }));
    let mut cpu = start(N);
    assert_eq!(jit.run(&mut cpu), Exit::Syscall);
    assert_eq!((cpu.pc, cpu.x[10]), (END, 0));
    assert_eq!(calls.get(), N);
    assert_eq!(cpu.x[5], 3 * N * (N + 1), "the blocks after the syscalls missed handler writes");
    assert_eq!(jit.syscalls_inline(), N);
    assert_eq!(jit.syscalls_dispatched(), 0);
    // Entering the caller, the block after it and the end, each once, plus the first time
    // each of the three direct exits is taken (before it is patched).
    let back = jit.dispatches + jit.slow_exits;
    assert!(back < 10, "{back} returns to the dispatcher for {N} syscalls");
    assert!(jit.stats().contains(&format!("syscalls serviced in generated code: {N}")));
}

#[test]
fn without_a_handler_run_returns_at_each_syscall() {
    let (_, mut jit) = setup(&[CALLER, AFTER]);
    let mut cpu = start(3);
    for k in 1..=3 {
        assert_eq!(jit.run(&mut cpu), Exit::Syscall);
        service(&mut cpu, k);
    }
    assert_eq!(jit.run(&mut cpu), Exit::Syscall);
    assert_eq!((cpu.pc, cpu.x[5]), (END, 3 * 3 * 4));
    assert_eq!(jit.syscalls_inline(), 0);
}

#[test]
fn stop_returns_from_run_and_run_resumes() {
    let (_, mut jit) = setup(&[CALLER, AFTER]);
    let calls = Rc::new(Cell::new(0u64));
    let seen = calls.clone();
    jit.set_syscall_handler(Box::new(move |cpu, _| {
        if cpu.pc == END {
            return false;
        }
        seen.set(seen.get() + 1);
        service(cpu, seen.get());
        // Stop after the 7th call, with its effects done (as exit would be).
        seen.get() != 7
    }));
    let mut cpu = start(10);
    assert_eq!(jit.run(&mut cpu), Exit::Syscall);
    assert_eq!((calls.get(), cpu.pc, cpu.x[0], cpu.x[2], cpu.x[4]), (7, 0x2000, 7, 14, 21));
    assert_eq!(cpu.x[5], 3 * 6 * 7, "six blocks after the syscalls ran");
    assert_eq!(jit.run(&mut cpu), Exit::Syscall);
    assert_eq!((calls.get(), cpu.pc, cpu.x[5]), (10, END, 3 * 10 * 11));
}

#[test]
fn invalidations_are_applied_before_the_next_block() {
    const N: u64 = 100;
    const SWAP: u64 = 50;
    let (g, mut jit) = setup(&[CALLER, AFTER]);
    let calls = Rc::new(Cell::new(0u64));
    let (seen, guest) = (calls.clone(), g.clone());
    jit.set_syscall_handler(Box::new(move |cpu, code: &mut dyn CodeInvalidator| {
        if cpu.pc == END {
            return false;
        }
        seen.set(seen.get() + 1);
        service(cpu, seen.get());
        if seen.get() == SWAP {
            // Both blocks are chained by now. Replace them with versions that also count in
            // x7 (the caller) and x8 (the block after it), and invalidate both ranges: two
            // invalidations in one syscall, merged into one range.
            let caller = CALLER.replace(
                "  syscall 0x2000",
                "  v6 = get.i64 0x38\n  v7 = add.i64 v6, v1\n  v8 = set 0x38, v7\n  syscall 0x2000",
            );
            let after = AFTER.replace(
                "  branch v13",
                "  v14 = get.i64 0x40\n  v15 = add.i64 v14, v9\n  v16 = set 0x40, v15\n  branch v13",
            );
            put(&guest, &after);
            put(&guest, &caller);
            code.invalidate(0x2000, 4);
            code.invalidate(0x1000, 4);
        }
        true
    }));
    let mut cpu = start(N);
    assert_eq!(jit.run(&mut cpu), Exit::Syscall);
    assert_eq!((calls.get(), cpu.pc, cpu.x[5]), (N, END, 3 * N * (N + 1)));
    // The block after syscall SWAP already ran the new code; the caller from the next round on.
    assert_eq!(cpu.x[8], N - SWAP + 1, "stale block after the syscall ran");
    assert_eq!(cpu.x[7], N - SWAP, "stale caller ran");
    assert_eq!(jit.syscalls_inline(), N);
}

#[test]
fn a_moved_pc_goes_through_the_dispatcher() {
    let (g, mut jit) = setup(&[CALLER, AFTER]);
    // x9 += 1, then back to the caller.
    put(
        &g,
        "block aarch64 0x4000..0x4004
      v0 = get.i64 0x48
      v1 = const.i64 1
      v2 = add.i64 v0, v1
      v3 = set 0x48, v2
      v4 = get.i64 0x50
      v5 = sub.i64 v4, v1
      v6 = set 0x50, v5
      jump 0x1000",
    );
    let calls = Rc::new(Cell::new(0u64));
    let seen = calls.clone();
    jit.set_syscall_handler(Box::new(move |cpu, _| {
        if cpu.pc == END {
            return false;
        }
        seen.set(seen.get() + 1);
        service(cpu, seen.get());
        // Every 10th call returns elsewhere (as a signal return would).
        if seen.get().is_multiple_of(10) {
            cpu.pc = 0x4000;
        }
        true
    }));
    // 101 rounds: the last call (101) goes on normally, to the end.
    let mut cpu = start(101);
    assert_eq!(jit.run(&mut cpu), Exit::Syscall);
    // Calls 10, 20, ..., 100 skipped the block after the syscall; the detour ran instead.
    let sum: u64 = (1..=101u64).filter(|k| !k.is_multiple_of(10)).map(|k| 6 * k).sum();
    assert_eq!((calls.get(), cpu.x[9]), (101, 10));
    assert_eq!((cpu.pc, cpu.x[10], cpu.x[5]), (END, 0, sum));
    assert!(jit.dispatches >= 10, "a moved pc must leave for the dispatcher");
}

#[test]
fn a_panicking_handler_unwinds_from_run() {
    let (_, mut jit) = setup(&[CALLER, AFTER]);
    jit.set_syscall_handler(Box::new(|cpu, _| {
        if cpu.x[3] == 5 {
            panic!("handler gave up at call 5");
        }
        true
    }));
    let mut cpu = start(10);
    let err = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| jit.run(&mut cpu))).unwrap_err();
    assert_eq!(err.downcast_ref::<&str>(), Some(&"handler gave up at call 5"));
    assert_eq!((cpu.pc, cpu.x[3]), (0x2000, 5));
}

#[test]
fn blocks_too_large_to_compile_call_the_handler_from_the_dispatcher() {
    // More values than the frame holds: the dispatcher interprets this block.
    let mut big = String::from("block aarch64 0x1000..0x1004\n  v0 = get.i64 0x18\n");
    let n = remu_backend_x86_64::emit::MAX_VALS + 10;
    for i in 1..n {
        big += &format!("  v{i} = add.i64 v{}, v0\n", i - 1);
    }
    big += &format!("  v{n} = set 0x30, v{}\n  v{} = const.i64 1\n", n - 1, n + 1);
    big += &format!("  v{} = add.i64 v0, v{}\n  v{} = set 0x18, v{}\n", n + 2, n + 1, n + 3, n + 2);
    big += &format!("  v{} = add.i64 v{}, v{}\n  v{} = set 0x8, v{}\n", n + 4, n + 2, n + 2, n + 5, n + 4);
    big += "  syscall 0x2000";
    let (_, mut jit) = setup(&[&big, AFTER]);
    let calls = Rc::new(Cell::new(0u64));
    let seen = calls.clone();
    jit.set_syscall_handler(Box::new(move |cpu, _| {
        if cpu.pc == END {
            return false;
        }
        seen.set(seen.get() + 1);
        service(cpu, seen.get());
        true
    }));
    let mut cpu = start(20);
    assert_eq!(jit.run(&mut cpu), Exit::Syscall);
    assert_eq!((calls.get(), cpu.pc, cpu.x[5]), (20, END, 3 * 20 * 21));
    assert_eq!((jit.syscalls_dispatched(), jit.syscalls_inline()), (20, 0));
}
