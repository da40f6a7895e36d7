//! Execution and structure of the A extension (LR/SC, AMOs), Zicsr (fcsr/frm/fflags and the
//! counters), and the instructions that end a block (ECALL, EBREAK, FENCE.I, undefined
//! encodings), plus the branch-kind hints of JAL/JALR.

mod common;
use common::*;
use emu_core::ir::{BranchKind, FenceKind, Op, SysReg, Term, TrapKind};
use emu_core::{CpuState, Exit};
use remu_riscv64::translate::translate_insn;

const M: u64 = u64::MAX;
const PC: u64 = 0x1_0000;

#[test]
fn lr_sc_succeeds_once_and_clears_the_reservation() {
    let code = [
        0x100535af, // lr.d x11, (x10)
        0x18d5362f, // sc.d x12, x13, (x10)   succeeds
        0x18f5372f, // sc.d x14, x15, (x10)   fails: no reservation
        0x1008a82f, // lr.w x16, (x17)
        0x1938a92f, // sc.w x18, x19, (x17)
    ];
    let mut d: u64 = 5;
    let mut w: u32 = 0xffff_fff0;
    let cpu = run_regs(
        &code,
        &[(10, &mut d as *mut u64 as u64), (13, 9), (15, 11), (17, &mut w as *mut u32 as u64), (19, 3)],
    );
    check(&cpu, &[(11, 5), (12, 0), (14, 1), (16, 0xffff_ffff_ffff_fff0), (18, 0)]);
    assert_eq!((d, w), (9, 3));
    assert_eq!(cpu.excl_addr, M);
}

#[test]
fn sc_fails_when_memory_changed_or_address_differs() {
    let code = [
        0x100535af, // lr.d x11, (x10)
        0x00d53023, // sd x13, 0(x10)         the reserved value changes
        0x18f5362f, // sc.d x12, x15, (x10)   fails
        0x100535af, // lr.d x11, (x10)
        0x18f8b72f, // sc.d x14, x15, (x17)   other address: fails, memory untouched
    ];
    let mut d: u64 = 5;
    let mut other: u64 = 9;
    let cpu = run_regs(
        &code,
        &[(10, &mut d as *mut u64 as u64), (13, 9), (15, 11), (17, &mut other as *mut u64 as u64)],
    );
    check(&cpu, &[(11, 9), (12, 1), (14, 1)]);
    assert_eq!((d, other), (9, 9));
}

#[test]
fn amos_return_the_old_value_sign_extended_for_w() {
    let code = [
        0x00c525af, // amoadd.w x11, x12, (x10)
        0x08e7b6af, // amoswap.d x13, x14, (x15)
        0xa115282f, // amomax.w x16, x17, (x10)
        0xc137b92f, // amominu.d x18, x19, (x15)
        0x6137ba2f, // amoand.d x20, x19, (x15)
    ];
    let mut w: u32 = 0x7fff_fffe;
    let mut d: u64 = 100;
    let cpu = run_regs(
        &code,
        &[
            (10, &mut w as *mut u32 as u64),
            (12, 3),
            (15, &mut d as *mut u64 as u64),
            (14, 200),
            (17, 5),
            (19, 0x7f),
        ],
    );
    check(&cpu, &[(11, 0x7fff_fffe), (13, 100), (16, 0xffff_ffff_8000_0001), (18, 200), (20, 0x7f)]);
    assert_eq!((w, d), (5, 0x7f));
}

#[test]
fn fcsr_frm_fflags_round_trip() {
    let code = [
        0x00351073, // csrrw x0, fcsr, x10
        0x003025f3, // csrrs x11, fcsr, x0
        0x00215673, // csrrwi x12, frm, 2
        0x001736f3, // csrrc x13, fflags, x14
        0x003027f3, // csrrs x15, fcsr, x0
        0x00106873, // csrrsi x16, fflags, 0
        0xc01028f3, // rdtime x17
    ];
    let p = Program::new(&code);
    let mut cpu = CpuState::default();
    cpu.x[10] = 0xff;
    cpu.x[14] = 0b00101;
    // Stop after the first instruction to see the guest-neutral encoding of fcsr = 0xff.
    let first = translate_insn(p.start, code[0]);
    emu_core::ir::verify(&first).unwrap();
    let cache = emu_core::tb::BlockCache::new();
    emu_core::interp::exec_block(&first, &mut cpu, &mut Vec::new(), &cache);
    assert_eq!(cpu.fp_rm, 7);
    assert_eq!(cpu.fp_exc, 0b11_1101, "MXCSR layout: IE, ZE, OE, UE, PE");
    assert_eq!(p.run(&mut cpu), Stop::Done);
    check(&cpu, &[(11, 0xff), (12, 7), (13, 0x1f), (15, 2 << 5 | 0x1a), (16, 0x1a)]);
    assert_ne!(cpu.x[17], 0, "time counter");
    assert_eq!(cpu.fp_rm, 2);
    // fflags 0x1a = NV, DZ, UF -> MXCSR IE (0), ZE (2), UE (4).
    assert_eq!(cpu.fp_exc, 0b1_0101);
}

#[test]
fn fflags_ignores_the_x86_denormal_flag() {
    let mut cpu = CpuState { fp_exc: 0x3f, ..Default::default() };
    let code = [0x001025f3]; // csrrs x11, fflags, x0 (frflags)
    let p = Program::new(&code);
    assert_eq!(p.run(&mut cpu), Stop::Done);
    assert_eq!(cpu.x[11], 0x1f);
    assert_eq!(cpu.fp_exc, 0x3f, "a read with rs1 = x0 must not write");
}

#[test]
fn unknown_csrs_and_counter_writes_are_sigill() {
    for insn in [
        0x123010f3u32, // csrrw x1, 0x123, x0
        0xc0009073,    // csrrw x0, cycle, x1
        0xc0116073,    // csrrsi x0, time, 2
    ] {
        let b = translate_insn(PC, insn);
        assert_eq!(b.term, Term::Trap { pc: PC, kind: TrapKind::Undefined { insn } }, "{insn:#x}");
    }
    // rdcycle / rdinstret read the counters.
    for (insn, reg) in [(0xc0002573u32, SysReg::Cycle), (0xc0202573, SysReg::Instret)] {
        let b = translate_insn(PC, insn);
        assert!(b.insts.iter().any(|i| i.op == Op::SysRead { reg }), "{insn:#x}");
    }
}

#[test]
fn ecall_ebreak_fence_i_end_the_block() {
    assert_eq!(translate_insn(PC, 0x00000073).term, Term::Syscall { next: PC + 4 });
    assert_eq!(translate_insn(PC, 0x00100073).term, Term::Trap { pc: PC, kind: TrapKind::Breakpoint });
    assert_eq!(translate_insn(PC, 0x9002).term, Term::Trap { pc: PC, kind: TrapKind::Breakpoint });
    let b = translate_insn(PC, 0x0000100f); // fence.i
    assert!(b.insts.iter().any(|i| matches!(i.op, Op::CodeInval { len: u32::MAX, .. })));
    assert_eq!(b.term, Term::Jump { target: PC + 4 });
}

#[test]
fn fences_map_to_the_barriers_x86_needs() {
    let kind = |insn: u32| {
        translate_insn(PC, insn).insts.iter().find_map(|i| match i.op {
            Op::Fence { kind } => Some(kind),
            _ => None,
        })
    };
    assert_eq!(kind(0x0330000f), Some(FenceKind::Full)); // fence rw, rw
    assert_eq!(kind(0x8330000f), Some(FenceKind::Load)); // fence.tso: no store->load order
    assert_eq!(kind(0x0110000f), Some(FenceKind::Store)); // fence w, w
    assert_eq!(kind(0x0100000f), None); // pause (fence w, 0)
}

#[test]
fn jump_kinds() {
    let term = |insn| translate_insn(PC, insn).term;
    assert_eq!(term(0x008000ef), Term::Call { target: PC + 8, ret: PC + 4 }); // jal ra, .+8
    assert_eq!(term(0x0080006f), Term::Jump { target: PC + 8 }); // j .+8
    assert!(matches!(term(0x00008067), Term::Indirect { kind: BranchKind::Return, .. })); // ret
    assert!(matches!(term(0x000500e7), Term::Indirect { kind: BranchKind::Call, .. })); // jalr a0
    assert!(matches!(term(0x00050067), Term::Indirect { kind: BranchKind::Plain, .. })); // jr a0
    assert!(matches!(term(0x8082), Term::Indirect { kind: BranchKind::Return, .. })); // c.jr ra
    assert!(matches!(term(0x9502), Term::Indirect { kind: BranchKind::Call, .. })); // c.jalr a0
    assert_eq!(term(0xa011), Term::Jump { target: PC + 4 }); // c.j .+4
}

#[test]
fn syscall_exits_with_pc_after_ecall() {
    let code = [
        0x05d00893, // li a7, 93
        0x00000073, // ecall
    ];
    let p = Program::new(&code);
    let mut cpu = CpuState::default();
    assert_eq!(p.run(&mut cpu), Stop::Exit(Exit::Syscall));
    assert_eq!((cpu.x[17], cpu.pc), (93, p.start + 8));
}

#[test]
fn undefined_encoding_traps_after_earlier_instructions_ran() {
    let code = [
        0x00100513, // li a0, 1
        0x0000,     // defined illegal instruction
    ];
    let p = Program::new(&code);
    let mut cpu = CpuState::default();
    let stop = p.run(&mut cpu);
    assert_eq!(stop, Stop::Exit(Exit::Trap { pc: p.start + 4, kind: TrapKind::Undefined { insn: 0 } }));
    assert_eq!((cpu.x[10], cpu.pc), (1, p.start + 4));
}

#[test]
fn reserved_compressed_encodings_are_sigill() {
    for parcel in [
        0x0000u32, // c.addi4spn with nzuimm 0
        0x4002,    // c.lwsp x0
        0x6002,    // c.ldsp x0
        0x8002,    // c.jr x0
        0x2001,    // c.addiw x0
        0x6101,    // c.addi16sp with imm 0
        0x6501,    // c.lui x10, 0
        0x8000,    // quadrant 0 funct3 100: reserved
        0x9c41,    // c.subw funct2 10: reserved
    ] {
        let b = translate_insn(PC, parcel);
        assert_eq!(
            b.term,
            Term::Trap { pc: PC, kind: TrapKind::Undefined { insn: parcel } },
            "{parcel:#06x}"
        );
    }
}

#[test]
fn blocks_stop_at_64_instructions() {
    let code = [0x00000013u32; 70]; // nop x 70
    let p = Program::new(&code);
    let b = remu_riscv64::translate::translate_block(p.start);
    emu_core::ir::verify(&b).unwrap();
    assert_eq!(b.end, p.start + 64 * 4);
    assert_eq!(b.term, Term::Jump { target: p.start + 256 });
}

#[test]
fn unreadable_code_is_a_fetch_fault() {
    let b = remu_riscv64::translate::translate_block(0);
    assert_eq!(b.term, Term::Trap { pc: 0, kind: TrapKind::FetchFault });
}
