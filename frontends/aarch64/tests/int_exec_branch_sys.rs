//! Execution tests for branches, exception generation and system instructions (Arm ARM
//! C4.1.65, C5): the cases in `int_data/branch_sys.txt`, plus the counter, which has no fixed
//! expected value.

mod int_common;

use emu_core::ir::TrapKind;
use emu_core::{CpuState, Exit};

#[test]
fn branch_and_system_cases() {
    int_common::check_all(include_str!("int_data/branch_sys.txt"));
}

#[test]
fn cntvct_counts_up() {
    // mrs x0, cntvct_el0; mrs x1, cntvct_el0
    let mut cpu = CpuState::default();
    let (exit, base) = int_common::run(&[0xd53be040, 0xd53be041], &mut cpu);
    assert_eq!(exit, Exit::Trap { pc: base + 8, kind: TrapKind::Breakpoint });
    assert!(cpu.x[0] > 0 && cpu.x[1] >= cpu.x[0], "{:#x} {:#x}", cpu.x[0], cpu.x[1]);
}

#[test]
fn ic_ivau_ends_the_block() {
    // ic ivau, x1; nop
    let code: [u32; 2] = [0xd50b7521, 0xd503201f];
    let b = remu_aarch64::translate::translate_block(code.as_ptr() as u64);
    emu_core::ir::verify(&b).unwrap();
    assert_eq!(b.term, emu_core::ir::Term::Jump { target: code.as_ptr() as u64 + 4 });
    assert!(b.insts.iter().any(|i| matches!(i.op, emu_core::ir::Op::CodeInval { len: 64, .. })));
}
