//! Block chaining, the indirect-branch table and invalidation, observed through the JIT's
//! counters: a hot loop must run without returning to the dispatcher on every iteration, and
//! replaced code must be seen after `invalidate`.

use emu_core::cpu::{off, CpuState};
use emu_core::engine::{Engine, Exit};
use emu_core::ir::parse_block;
use emu_core::tb::BlockCache;
use remu_backend_x86_64::Jit;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

mod common;
use common::TableGuest;

fn setup(blocks: &[&str]) -> (Arc<TableGuest>, Jit) {
    let g = Arc::new(TableGuest(Mutex::new(HashMap::new())));
    for t in blocks {
        let b = parse_block(t).unwrap();
        g.0.lock().unwrap().insert(b.pc, b);
    }
    let jit = Jit::new(g.clone(), Arc::new(BlockCache::new())).unwrap();
    (g, jit)
}

// x0 -= 1; loop while x0 != 0, then go to the stub at 0x6000.
const LOOP: &str = "block aarch64 0x5000..0x5004
  v0 = get.i64 0x0
  v1 = const.i64 1
  v2 = sub.i64 v0, v1
  v3 = set 0x0, v2
  v4 = const.i64 0
  v5 = icmp.i1 ne, v2, v4
  branch v5, 0x5000, 0x6000";

#[test]
fn hot_loop_is_chained() {
    let (_, mut jit) = setup(&[LOOP]);
    let mut cpu = CpuState::default();
    cpu.x[0] = 100_000;
    cpu.pc = 0x5000;
    assert_eq!(jit.run(&mut cpu), Exit::Syscall);
    assert_eq!((cpu.x[0], cpu.pc), (0, 0x6001));
    assert!(jit.chained() >= 1);
    assert!(jit.dispatches < 10, "loop went through the dispatcher {} times", jit.dispatches);
}

#[test]
fn indirect_branches_hit_the_table() {
    // x0 -= 1; x1 += 1; next = x0 != 0 ? 0x7000 : 0x8000 (computed, so an indirect branch).
    let (_, mut jit) = setup(&["block aarch64 0x7000..0x7004
      v0 = get.i64 0x0
      v1 = const.i64 1
      v2 = sub.i64 v0, v1
      v3 = set 0x0, v2
      v4 = get.i64 0x8
      v5 = add.i64 v4, v1
      v6 = set 0x8, v5
      v7 = const.i64 0
      v8 = icmp.i1 ne, v2, v7
      v9 = const.i64 0x7000
      v10 = const.i64 0x8000
      v11 = select.i64 v8, v9, v10
      indirect v11, return"]);
    let mut cpu = CpuState::default();
    cpu.x[0] = 50_000;
    cpu.pc = 0x7000;
    assert_eq!(jit.run(&mut cpu), Exit::Syscall);
    assert_eq!((cpu.x[0], cpu.x[1], cpu.pc), (0, 50_000, 0x8001));
    assert!(jit.dispatches < 10, "indirect loop went through the dispatcher {} times", jit.dispatches);
}

#[test]
fn invalidation_unlinks_and_retranslates() {
    let (g, mut jit) = setup(&[LOOP]);
    let mut cpu = CpuState::default();
    cpu.x[0] = 10;
    cpu.pc = 0x5000;
    jit.run(&mut cpu);
    // Replace the loop body with "x0 += 5; jump 0x6000" and invalidate its bytes.
    let new = parse_block(
        "block aarch64 0x5000..0x5004
      v0 = get.i64 0x0
      v1 = const.i64 5
      v2 = add.i64 v0, v1
      v3 = set 0x0, v2
      jump 0x6000",
    )
    .unwrap();
    g.0.lock().unwrap().insert(0x5000, new);
    jit.invalidate(0x5000, 4);
    cpu.x[0] = 1;
    cpu.pc = 0x5000;
    assert_eq!(jit.run(&mut cpu), Exit::Syscall);
    assert_eq!((cpu.x[0], cpu.pc), (6, 0x6001));
    assert_eq!(off::x(0), 0);
}
