//! IR text form round-trips, the verifier catches bad blocks, and the interpreter runs them.

use emu_core::interp::{exec_block, Flow};
use emu_core::ir::{parse_block, verify};
use emu_core::tb::BlockCache;
use emu_core::{cpu::off, CpuState};

const ADD: &str = "
block aarch64 0x400000..0x400008
  v0 = mark 0x400000
  v1 = get.i64 0x8         ; x1
  v2 = const.i64 0x10
  v3 = add.i64 v1, v2
  v4 = set 0x0, v3         ; x0
  v5 = nzcv.sub.i32 v1, v2
  v6 = cond.i1 11, v5      ; lt
  branch v6, 0x500000, 0x400008
";

#[test]
fn text_round_trips() {
    let b = parse_block(ADD).unwrap();
    verify(&b).unwrap();
    let printed = b.to_string();
    assert_eq!(parse_block(&printed).unwrap(), b);
}

#[test]
fn interp_runs_block() {
    let b = parse_block(ADD).unwrap();
    let mut cpu = CpuState::default();
    cpu.x[1] = 5;
    let flow = exec_block(&b, &mut cpu, &mut Vec::new(), &BlockCache::new());
    assert_eq!(cpu.x[0], 0x15);
    assert_eq!(flow, Flow::Next(0x500000)); // 5 < 16 signed
    cpu.x[1] = 0x20;
    let flow = exec_block(&b, &mut cpu, &mut Vec::new(), &BlockCache::new());
    assert_eq!(flow, Flow::Next(0x400008));
    assert_eq!(off::x(1), 8);
}

#[test]
fn verifier_rejects_forward_use_and_type_mismatch() {
    let fwd = "block riscv64 0x0..0x4\n v0 = add.i64 v1, v1\n v1 = const.i64 1\n jump 0x4\n";
    assert!(verify(&parse_block(fwd).unwrap()).is_err());
    let mix =
        "block riscv64 0x0..0x4\n v0 = const.i32 1\n v1 = const.i64 1\n v2 = add.i64 v0, v1\n jump 0x4\n";
    assert!(verify(&parse_block(mix).unwrap()).is_err());
}

#[test]
fn parse_errors_name_the_line() {
    let e = parse_block("block riscv64 0x0..0x4\n v0 = frob.i64 v1\n jump 0x4\n").unwrap_err();
    assert_eq!(e.line, 2);
}
