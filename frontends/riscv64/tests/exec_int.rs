//! Execution of integer instruction sequences (RV64I, M, Zba/Zbb/Zbs, C, control transfer)
//! on the IR interpreter: registers in, registers out. Encodings from the GNU assembler.

mod common;
use common::*;

const M: u64 = u64::MAX;

#[test]
fn rv64i_register_and_immediate_ops() {
    let code = [
        0xffb58513, // addi x10, x11, -5
        0x0645a613, // slti x12, x11, 100
        0x00103693, // sltiu x13, x0, 1
        0xfff5c713, // xori x14, x11, -1
        0x40b007b3, // sub x15, x0, x11
        0x01159833, // sll x16, x11, x17      (shift amount 65 mod 64 = 1)
        0x0119d933, // srl x18, x19, x17
        0x4119da33, // sra x20, x19, x17
        0x00b9aab3, // slt x21, x19, x11
        0x00b9bb33, // sltu x22, x19, x11
        0x80000bb7, // lui x23, 0x80000
        0x00001c17, // auipc x24, 1
        0x00558013, // addi x0, x11, 5
    ];
    let p = Program::new(&code);
    let mut cpu = emu_core::CpuState::default();
    cpu.x[11] = 10;
    cpu.x[17] = 65;
    cpu.x[19] = 0x8000_0000_0000_0010;
    assert_eq!(p.run(&mut cpu), Stop::Done);
    check(
        &cpu,
        &[
            (10, 5),
            (12, 1),
            (13, 1),
            (14, !10),
            (15, 10u64.wrapping_neg()),
            (16, 20),
            (18, 0x4000_0000_0000_0008),
            (20, 0xc000_0000_0000_0008),
            (21, 1),
            (22, 0),
            (23, 0xffff_ffff_8000_0000),
            (24, p.start + 44 + 0x1000),
        ],
    );
}

#[test]
fn w_ops_compute_on_32_bits_and_sign_extend() {
    let code = [
        0x00c5853b, // addw x10, x11, x12
        0x4045d69b, // sraiw x13, x11, 4
        0x0047d71b, // srliw x14, x15, 4
        0x40c0083b, // subw x16, x0, x12
        0x01f6189b, // slliw x17, x12, 31
        0x0136193b, // sllw x18, x12, x19    (amount 33 mod 32 = 1)
        0x00158a1b, // addiw x20, x11, 1
    ];
    let cpu = run_regs(&code, &[(11, 0x7fff_ffff), (12, 1), (15, 0xffff_ffff_8000_0000), (19, 33)]);
    check(
        &cpu,
        &[
            (10, 0xffff_ffff_8000_0000),
            (13, 0x07ff_ffff),
            (14, 0x0800_0000),
            (16, M),
            (17, 0xffff_ffff_8000_0000),
            (18, 2),
            (20, 0xffff_ffff_8000_0000),
        ],
    );
}

#[test]
fn m_division_edge_cases_and_high_multiplies() {
    let code = [
        0x0205c533, // div x10, x11, x0       (x / 0 = -1)
        0x0205d633, // divu x12, x11, x0      (all ones)
        0x0205e6b3, // rem x13, x11, x0       (x % 0 = x)
        0x0205f733, // remu x14, x11, x0
        0x031847b3, // div x15, x16, x17      (MIN / -1 = MIN)
        0x03186933, // rem x18, x16, x17      (MIN % -1 = 0)
        0x0205c9bb, // divw x19, x11, x0
        0x0205da3b, // divuw x20, x11, x0     (0xffffffff, sign-extended)
        0x02087abb, // remuw x21, x16, x0
        0x031bcb3b, // divw x22, x23, x17     (INT32_MIN / -1)
        0x031bec3b, // remw x24, x23, x17
        0x03081cb3, // mulh x25, x16, x16
        0x0318bd33, // mulhu x26, x17, x17
        0x0318adb3, // mulhsu x27, x17, x17
        0x02b58e3b, // mulw x28, x11, x11
    ];
    let cpu = run_regs(&code, &[(11, 7), (16, 1 << 63), (17, M), (23, 0x8000_0000)]);
    check(
        &cpu,
        &[
            (10, M),
            (12, M),
            (13, 7),
            (14, 7),
            (15, 1 << 63),
            (18, 0),
            (19, M),
            (20, M),
            (21, 0),
            (22, 0xffff_ffff_8000_0000),
            (24, 0),
            (25, 1 << 62),
            (26, M - 1),
            (27, M),
            (28, 49),
        ],
    );
}

#[test]
fn loads_and_stores_against_a_local_buffer() {
    let code = [
        0x00b53023, // sd x11, 0(x10)
        0x00c52423, // sw x12, 8(x10)
        0x00c51623, // sh x12, 12(x10)
        0x00c50723, // sb x12, 14(x10)
        0x00053683, // ld x13, 0(x10)
        0x00852703, // lw x14, 8(x10)
        0x00856783, // lwu x15, 8(x10)
        0x00c51803, // lh x16, 12(x10)
        0x00c55883, // lhu x17, 12(x10)
        0x00e50903, // lb x18, 14(x10)
        0x00e54983, // lbu x19, 14(x10)
        0x00853a03, // ld x20, 8(x10)
    ];
    let mut buf = [0u64; 2];
    let cpu = run_regs(
        &code,
        &[(10, buf.as_mut_ptr() as u64), (11, 0x1122_3344_5566_7788), (12, 0x8182_8384_8586_8788)],
    );
    check(
        &cpu,
        &[
            (13, 0x1122_3344_5566_7788),
            (14, 0xffff_ffff_8586_8788),
            (15, 0x8586_8788),
            (16, 0xffff_ffff_ffff_8788),
            (17, 0x8788),
            (18, 0xffff_ffff_ffff_ff88),
            (19, 0x88),
            (20, 0x0088_8788_8586_8788),
        ],
    );
    assert_eq!(buf, [0x1122_3344_5566_7788, 0x0088_8788_8586_8788]);
}

#[test]
fn zbb_zba_ops() {
    let code = [
        0x40c5f533, // andn x10, x11, x12
        0x40c5e6b3, // orn x13, x11, x12
        0x40c5c733, // xnor x14, x11, x12
        0x60061793, // clz x15, x12
        0x6006181b, // clzw x16, x12
        0x60161893, // ctz x17, x12
        0x60259913, // cpop x18, x11
        0x0ac5e9b3, // max x19, x11, x12
        0x0ac5da33, // minu x20, x11, x12
        0x60459a93, // sext.b x21, x11
        0x60559b13, // sext.h x22, x11
        0x0805cbbb, // zext.h x23, x11
        0x60c59c33, // rol x24, x11, x12
        0x60c5dcbb, // rorw x25, x11, x12
        0x6085dd13, // rori x26, x11, 8
        0x28765d93, // orc.b x27, x12
        0x6b85de13, // rev8 x28, x11
        0x20b64eb3, // sh2add x29, x12, x11
        0x08c58f3b, // add.uw x30, x11, x12
        0x08459f9b, // slli.uw x31, x11, 4
    ];
    let x11 = 0x0123_4567_89ab_cdef;
    let cpu = run_regs(&code, &[(11, x11), (12, 0xf04)]);
    check(
        &cpu,
        &[
            (10, 0x0123_4567_89ab_c0eb),
            (13, 0xffff_ffff_ffff_fdff),
            (14, 0xfedc_ba98_7654_3d14),
            (15, 52),
            (16, 20),
            (17, 2),
            (18, 32),
            (19, x11),
            (20, 0xf04),
            (21, 0xffff_ffff_ffff_ffef),
            (22, 0xffff_ffff_ffff_cdef),
            (23, 0xcdef),
            (24, 0x1234_5678_9abc_def0),
            (25, 0xffff_ffff_f89a_bcde),
            (26, 0xef01_2345_6789_abcd),
            (27, 0xffff),
            (28, 0xefcd_ab89_6745_2301),
            (29, 0x0123_4567_89ac_09ff),
            (30, 0x89ab_dcf3),
            (31, 0x8_9abc_def0),
        ],
    );
}

#[test]
fn zbs_single_bit_ops() {
    let code = [
        0x48c59533, // bclr x10, x11, x12   (index 67 mod 64 = 3)
        0x28c016b3, // bset x13, x0, x12
        0x6bf59713, // binvi x14, x11, 63
        0x48c5d7b3, // bext x15, x11, x12
        0x4875d813, // bexti x16, x11, 7
    ];
    let cpu = run_regs(&code, &[(11, 0x0123_4567_89ab_cdef), (12, 67)]);
    check(&cpu, &[(10, 0x0123_4567_89ab_cde7), (13, 8), (14, 0x8123_4567_89ab_cdef), (15, 1), (16, 1)]);
}

#[test]
fn compressed_instructions_expand_correctly() {
    let code = [
        0x5575, // c.li x10, -3
        0x051d, // c.addi x10, 7
        0x7581, // c.lui x11, 0xfffe0
        0x0592, // c.slli x11, 4
        0x8589, // c.srai x11, 2
        0x8185, // c.srli x11, 1
        0x8831, // c.andi x8, 12
        0x862a, // c.mv x12, x10
        0x962a, // c.add x12, x10
        0x8c05, // c.sub x8, x9
        0x9ca5, // c.addw x9, x9
        0x713d, // c.addi16sp x2, -32
        0xe42a, // c.sdsp x10, 8(x2)
        0x66a2, // c.ldsp x13, 8(x2)
        0x0038, // c.addi4spn x14, x2, 8
        0x431c, // c.lw x15, 0(x14)
        0x2785, // c.addiw x15, 1
    ];
    let mut stack = [0u64; 8];
    let sp = stack.as_mut_ptr() as u64 + 64;
    let cpu = run_regs(&code, &[(2, sp), (8, 0x1f), (9, 0x7fff_ffff)]);
    check(
        &cpu,
        &[
            (10, 4),
            (11, 0x7fff_ffff_fffc_0000),
            (12, 8),
            (8, 0xffff_ffff_8000_000d),
            (9, M - 1),
            (2, sp - 32),
            (13, 4),
            (14, sp - 24),
            (15, 5),
        ],
    );
    assert_eq!(stack[5], 4);
}

#[test]
fn jumps_and_branches_mixed_widths() {
    let code = [
        0x008000ef, // 0:  jal x1, .+8
        0x00100513, // 4:  addi x10, x0, 1     (skipped)
        0x00c082e7, // 8:  jalr x5, 12(x1)     -> 16
        0x00100593, // 12: addi x11, x0, 1     (skipped)
        0x00100613, // 16: addi x12, x0, 1
        0x00000463, // 20: beq x0, x0, .+8
        0x00100693, // 24: addi x13, x0, 1     (skipped)
        0xc011,     // 28: c.beqz x8, .+4      (taken)
        0x4785,     // 30: c.li x15, 1         (skipped)
        0xe011,     // 32: c.bnez x8, .+4      (not taken)
        0x00074463, // 34: blt x14, x0, .+8    (taken)
        0x00100813, // 38: addi x16, x0, 1     (skipped)
        0xa011,     // 42: c.j .+4
        0x4885,     // 44: c.li x17, 1         (skipped)
        0x4905,     // 46: c.li x18, 1
    ];
    let p = Program::new(&code);
    let mut cpu = emu_core::CpuState::default();
    cpu.x[14] = M;
    assert_eq!(p.run(&mut cpu), Stop::Done);
    check(
        &cpu,
        &[
            (1, p.start + 4),
            (5, p.start + 12),
            (10, 0),
            (11, 0),
            (12, 1),
            (13, 0),
            (15, 0),
            (16, 0),
            (17, 0),
            (18, 1),
        ],
    );
}

#[test]
fn jalr_computes_target_before_writing_rd_and_clears_bit_0() {
    let code = [
        0x00558567, // jalr x10, 5(x11)  -> (x11 + 5) & !1
        0x00100613, // addi x12, x0, 1   (skipped)
        0x00100693, // addi x13, x0, 1
    ];
    let p = Program::new(&code);
    let mut cpu = emu_core::CpuState::default();
    cpu.x[11] = p.start + 4; // (start + 9) & !1 = start + 8
    assert_eq!(p.run(&mut cpu), Stop::Done);
    check(&cpu, &[(10, p.start + 4), (12, 0), (13, 1)]);
}
