//! C extension: compressed instructions (unprivileged manual, "C Extension for Compressed
//! Instructions", RV64C). Each handler expands its instruction to the 32-bit instruction it
//! abbreviates, through the same helpers. Three-bit register fields name x8..x15 (f8..f15).
//! Reserved encodings raise SIGILL; HINT encodings (rd = x0 and the like) execute as the
//! instruction they abbreviate, which leaves no architectural effect.

use super::{sext, Translator};
use crate::decoder::rvc::Rv64c;
use emu_core::ir::{Cmp, Op, Term, TrapKind, Ty};

/// Stack pointer.
const SP: u32 = 2;
/// Return address register.
const RA: u32 = 1;

/// A primed (3-bit) register field: x8..x15.
fn p(r: u32) -> u32 {
    r + 8
}

impl Rv64c for Translator {
    fn c_lwsp(&mut self, imm5: u32, rd: u32, imm4_2: u32, imm7_6: u32) {
        if rd == 0 {
            return self.undefined();
        }
        self.load(rd, SP, (imm7_6 << 6 | imm5 << 5 | imm4_2 << 2) as i64, 4, true);
    }
    fn c_ldsp(&mut self, imm5: u32, rd: u32, imm4_3: u32, imm8_6: u32) {
        if rd == 0 {
            return self.undefined();
        }
        self.load(rd, SP, (imm8_6 << 6 | imm5 << 5 | imm4_3 << 3) as i64, 8, false);
    }
    fn c_fldsp(&mut self, imm5: u32, rd: u32, imm4_3: u32, imm8_6: u32) {
        self.fload(Ty::F64, rd, SP, (imm8_6 << 6 | imm5 << 5 | imm4_3 << 3) as i64);
    }
    fn c_swsp(&mut self, imm5_2: u32, imm7_6: u32, rs2: u32) {
        self.store(SP, rs2, (imm7_6 << 6 | imm5_2 << 2) as i64, 4);
    }
    fn c_sdsp(&mut self, imm5_3: u32, imm8_6: u32, rs2: u32) {
        self.store(SP, rs2, (imm8_6 << 6 | imm5_3 << 3) as i64, 8);
    }
    fn c_fsdsp(&mut self, imm5_3: u32, imm8_6: u32, rs2: u32) {
        self.fstore(Ty::F64, SP, rs2, (imm8_6 << 6 | imm5_3 << 3) as i64);
    }

    fn c_lw(&mut self, imm5_3: u32, rs1: u32, imm2: u32, imm6: u32, rd: u32) {
        self.load(p(rd), p(rs1), (imm6 << 6 | imm5_3 << 3 | imm2 << 2) as i64, 4, true);
    }
    fn c_ld(&mut self, imm5_3: u32, rs1: u32, imm7_6: u32, rd: u32) {
        self.load(p(rd), p(rs1), (imm7_6 << 6 | imm5_3 << 3) as i64, 8, false);
    }
    fn c_fld(&mut self, imm5_3: u32, rs1: u32, imm7_6: u32, rd: u32) {
        self.fload(Ty::F64, p(rd), p(rs1), (imm7_6 << 6 | imm5_3 << 3) as i64);
    }
    fn c_sw(&mut self, imm5_3: u32, rs1: u32, imm2: u32, imm6: u32, rs2: u32) {
        self.store(p(rs1), p(rs2), (imm6 << 6 | imm5_3 << 3 | imm2 << 2) as i64, 4);
    }
    fn c_sd(&mut self, imm5_3: u32, rs1: u32, imm7_6: u32, rs2: u32) {
        self.store(p(rs1), p(rs2), (imm7_6 << 6 | imm5_3 << 3) as i64, 8);
    }
    fn c_fsd(&mut self, imm5_3: u32, rs1: u32, imm7_6: u32, rs2: u32) {
        self.fstore(Ty::F64, p(rs1), p(rs2), (imm7_6 << 6 | imm5_3 << 3) as i64);
    }

    #[allow(clippy::too_many_arguments)]
    fn c_j(
        &mut self,
        imm11: u32,
        imm4: u32,
        imm9_8: u32,
        imm10: u32,
        imm6: u32,
        imm7: u32,
        imm3_1: u32,
        imm5: u32,
    ) {
        let off = imm11 << 11
            | imm10 << 10
            | imm9_8 << 8
            | imm7 << 7
            | imm6 << 6
            | imm5 << 5
            | imm4 << 4
            | imm3_1 << 1;
        self.jal(0, sext(off, 12));
    }
    fn c_jr(&mut self, rs1: u32) {
        if rs1 == 0 {
            return self.undefined();
        }
        self.jalr(0, rs1, 0);
    }
    fn c_ebreak(&mut self) {
        self.end(Term::Trap { pc: self.pc, kind: TrapKind::Breakpoint });
    }
    fn c_jalr(&mut self, rs1: u32) {
        self.jalr(RA, rs1, 0);
    }
    fn c_beqz(&mut self, imm8: u32, imm4_3: u32, rs1: u32, imm7_6: u32, imm2_1: u32, imm5: u32) {
        let off = imm8 << 8 | imm7_6 << 6 | imm5 << 5 | imm4_3 << 3 | imm2_1 << 1;
        self.branch(Cmp::Eq, p(rs1), 0, sext(off, 9));
    }
    fn c_bnez(&mut self, imm8: u32, imm4_3: u32, rs1: u32, imm7_6: u32, imm2_1: u32, imm5: u32) {
        let off = imm8 << 8 | imm7_6 << 6 | imm5 << 5 | imm4_3 << 3 | imm2_1 << 1;
        self.branch(Cmp::Ne, p(rs1), 0, sext(off, 9));
    }

    fn c_li(&mut self, imm: u32, rd: u32) {
        self.li(rd, sext(imm, 6));
    }
    fn c_addi16sp(&mut self, imm9: u32, imm4: u32, imm6: u32, imm8_7: u32, imm5: u32) {
        let off = imm9 << 9 | imm8_7 << 7 | imm6 << 6 | imm5 << 5 | imm4 << 4;
        if off == 0 {
            return self.undefined();
        }
        self.ri(Ty::I64, SP, SP, sext(off, 10), |a, b| Op::Add { a, b });
    }
    fn c_lui(&mut self, imm: u32, rd: u32) {
        if imm == 0 {
            return self.undefined();
        }
        self.li(rd, sext(imm << 12, 18));
    }

    fn c_addi(&mut self, imm: u32, rd: u32) {
        self.ri(Ty::I64, rd, rd, sext(imm, 6), |a, b| Op::Add { a, b });
    }
    fn c_addiw(&mut self, imm: u32, rd: u32) {
        if rd == 0 {
            return self.undefined();
        }
        self.ri(Ty::I32, rd, rd, sext(imm, 6), |a, b| Op::Add { a, b });
    }
    fn c_addi4spn(&mut self, imm5_4: u32, imm9_6: u32, imm2: u32, imm3: u32, rd: u32) {
        let off = imm9_6 << 6 | imm5_4 << 4 | imm3 << 3 | imm2 << 2;
        // nzuimm = 0 is reserved; with rd' = x8 that is the all-zero parcel, the manual's
        // defined illegal instruction.
        if off == 0 {
            return self.undefined();
        }
        self.ri(Ty::I64, p(rd), SP, off as i64, |a, b| Op::Add { a, b });
    }
    fn c_slli(&mut self, shamt: u32, rd: u32) {
        self.ri(Ty::I64, rd, rd, shamt as i64, |a, b| Op::Shl { a, b });
    }
    fn c_srli(&mut self, shamt: u32, rd: u32) {
        self.ri(Ty::I64, p(rd), p(rd), shamt as i64, |a, b| Op::Lshr { a, b });
    }
    fn c_srai(&mut self, shamt: u32, rd: u32) {
        self.ri(Ty::I64, p(rd), p(rd), shamt as i64, |a, b| Op::Ashr { a, b });
    }
    fn c_andi(&mut self, imm: u32, rd: u32) {
        self.ri(Ty::I64, p(rd), p(rd), sext(imm, 6), |a, b| Op::And { a, b });
    }

    fn c_mv(&mut self, rd: u32, rs2: u32) {
        let v = self.x(rs2);
        self.set_x(rd, v);
    }
    fn c_add(&mut self, rd: u32, rs2: u32) {
        self.rr(Ty::I64, rd, rd, rs2, |a, b| Op::Add { a, b });
    }
    fn c_and(&mut self, rd: u32, rs2: u32) {
        self.rr(Ty::I64, p(rd), p(rd), p(rs2), |a, b| Op::And { a, b });
    }
    fn c_or(&mut self, rd: u32, rs2: u32) {
        self.rr(Ty::I64, p(rd), p(rd), p(rs2), |a, b| Op::Or { a, b });
    }
    fn c_xor(&mut self, rd: u32, rs2: u32) {
        self.rr(Ty::I64, p(rd), p(rd), p(rs2), |a, b| Op::Xor { a, b });
    }
    fn c_sub(&mut self, rd: u32, rs2: u32) {
        self.rr(Ty::I64, p(rd), p(rd), p(rs2), |a, b| Op::Sub { a, b });
    }
    fn c_addw(&mut self, rd: u32, rs2: u32) {
        self.rr(Ty::I32, p(rd), p(rd), p(rs2), |a, b| Op::Add { a, b });
    }
    fn c_subw(&mut self, rd: u32, rs2: u32) {
        self.rr(Ty::I32, p(rd), p(rd), p(rs2), |a, b| Op::Sub { a, b });
    }
}
