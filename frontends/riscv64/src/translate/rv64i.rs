//! RV32I and RV64I base integer instructions (unprivileged manual chapters "RV32I Base Integer
//! Instruction Set" and "RV64I Base Integer Instruction Set"), plus Zifencei's FENCE.I. The
//! helpers here (`rr`, `ri`, `load`, `store`, `branch`, `jal`, `jalr`) are shared with the C
//! extension, whose instructions are abbreviations of these.

use super::{sext, Translator};
use crate::decoder::rv32::{Rv64i, Zifencei};
use emu_core::ir::{BranchKind, Cmp, FenceKind, Op, Term, TrapKind, Ty, Val};

/// Link registers: the manual's return-address-stack hints treat x1 (ra) and x5 (t0) alike.
fn is_link(r: u32) -> bool {
    r == 1 || r == 5
}

impl Translator {
    /// rd = f(rs1, rs2) at type `ty` (I64, or I32 for the `W` forms, sign-extended on write).
    pub(crate) fn rr(&mut self, ty: Ty, rd: u32, rs1: u32, rs2: u32, f: impl FnOnce(Val, Val) -> Op) {
        let (a, b) = if ty == Ty::I32 { (self.xw(rs1), self.xw(rs2)) } else { (self.x(rs1), self.x(rs2)) };
        let r = self.op(ty, f(a, b));
        self.set_x(rd, r);
    }

    /// rd = f(rs1, imm) at type `ty`.
    pub(crate) fn ri(&mut self, ty: Ty, rd: u32, rs1: u32, imm: i64, f: impl FnOnce(Val, Val) -> Op) {
        let a = if ty == Ty::I32 { self.xw(rs1) } else { self.x(rs1) };
        let k = self.b.iconst(ty, imm as u64 & if ty == Ty::I32 { 0xffff_ffff } else { u64::MAX });
        let r = self.op(ty, f(a, k));
        self.set_x(rd, r);
    }

    /// rd = (rs1 cc rs2) ? 1 : 0.
    fn set_cmp(&mut self, cc: Cmp, rd: u32, a: Val, b: Val) {
        let c = self.b.icmp(cc, a, b);
        self.set_x(rd, c);
    }

    /// rd = load `size` bytes at rs1 + imm.
    pub(crate) fn load(&mut self, rd: u32, rs1: u32, imm: i64, size: u8, signed: bool) {
        let a = self.addr(rs1, imm);
        let v = self.b.load(Ty::I64, a, size, signed);
        self.set_x(rd, v);
    }

    /// Store the low `size` bytes of rs2 at rs1 + imm.
    pub(crate) fn store(&mut self, rs1: u32, rs2: u32, imm: i64, size: u8) {
        let a = self.addr(rs1, imm);
        let v = self.x(rs2);
        self.b.store(a, v, size);
    }

    /// Conditional branch to pc + off when `rs1 cc rs2`.
    pub(crate) fn branch(&mut self, cc: Cmp, rs1: u32, rs2: u32, off: i64) {
        let (a, b) = (self.x(rs1), self.x(rs2));
        let cond = self.b.icmp(cc, a, b);
        let taken = self.pc.wrapping_add(off as u64);
        self.end(Term::Branch { cond, taken, not_taken: self.next_pc() });
    }

    /// JAL: rd = next pc; jump to pc + off. A link register makes it a call.
    pub(crate) fn jal(&mut self, rd: u32, off: i64) {
        let target = self.pc.wrapping_add(off as u64);
        let ret = self.next_pc();
        let link = self.c64(ret);
        self.set_x(rd, link);
        if is_link(rd) {
            self.end(Term::Call { target, ret });
        } else {
            self.end(Term::Jump { target });
        }
    }

    /// JALR: target = (rs1 + off) & !1, computed before rd is written (rd may be rs1).
    pub(crate) fn jalr(&mut self, rd: u32, rs1: u32, off: i64) {
        let sum = self.addr(rs1, off);
        let m = self.c64(!1);
        let target = self.b.and(Ty::I64, sum, m);
        let link = self.c64(self.next_pc());
        self.set_x(rd, link);
        let kind = if is_link(rd) {
            BranchKind::Call
        } else if rd == 0 && is_link(rs1) {
            BranchKind::Return
        } else {
            BranchKind::Plain
        };
        self.end(Term::Indirect { target, kind });
    }

    /// rd = imm (LUI, C.LI, C.LUI).
    pub(crate) fn li(&mut self, rd: u32, imm: i64) {
        let v = self.c64(imm as u64);
        self.set_x(rd, v);
    }
}

/// B-type immediate from its pieces.
fn b_imm(imm12: u32, imm10_5: u32, imm4_1: u32, imm11: u32) -> i64 {
    sext(imm12 << 12 | imm11 << 11 | imm10_5 << 5 | imm4_1 << 1, 13)
}

impl Rv64i for Translator {
    fn addi(&mut self, imm: u32, rs1: u32, rd: u32) {
        self.ri(Ty::I64, rd, rs1, sext(imm, 12), |a, b| Op::Add { a, b });
    }
    fn slti(&mut self, imm: u32, rs1: u32, rd: u32) {
        let a = self.x(rs1);
        let k = self.c64(sext(imm, 12) as u64);
        self.set_cmp(Cmp::Slt, rd, a, k);
    }
    fn sltiu(&mut self, imm: u32, rs1: u32, rd: u32) {
        // The immediate is sign-extended, then compared unsigned (manual: "SLTIU rd, rs1, 1"
        // sets rd to 1 if rs1 equals zero).
        let a = self.x(rs1);
        let k = self.c64(sext(imm, 12) as u64);
        self.set_cmp(Cmp::Ult, rd, a, k);
    }
    fn xori(&mut self, imm: u32, rs1: u32, rd: u32) {
        self.ri(Ty::I64, rd, rs1, sext(imm, 12), |a, b| Op::Xor { a, b });
    }
    fn ori(&mut self, imm: u32, rs1: u32, rd: u32) {
        self.ri(Ty::I64, rd, rs1, sext(imm, 12), |a, b| Op::Or { a, b });
    }
    fn andi(&mut self, imm: u32, rs1: u32, rd: u32) {
        self.ri(Ty::I64, rd, rs1, sext(imm, 12), |a, b| Op::And { a, b });
    }
    fn slli(&mut self, shamt: u32, rs1: u32, rd: u32) {
        self.ri(Ty::I64, rd, rs1, shamt as i64, |a, b| Op::Shl { a, b });
    }
    fn srli(&mut self, shamt: u32, rs1: u32, rd: u32) {
        self.ri(Ty::I64, rd, rs1, shamt as i64, |a, b| Op::Lshr { a, b });
    }
    fn srai(&mut self, shamt: u32, rs1: u32, rd: u32) {
        self.ri(Ty::I64, rd, rs1, shamt as i64, |a, b| Op::Ashr { a, b });
    }
    fn lui(&mut self, imm: u32, rd: u32) {
        self.li(rd, sext(imm << 12, 32));
    }
    fn auipc(&mut self, imm: u32, rd: u32) {
        let v = self.pc.wrapping_add(sext(imm << 12, 32) as u64);
        self.li(rd, v as i64);
    }

    fn add(&mut self, rs2: u32, rs1: u32, rd: u32) {
        self.rr(Ty::I64, rd, rs1, rs2, |a, b| Op::Add { a, b });
    }
    fn sub(&mut self, rs2: u32, rs1: u32, rd: u32) {
        self.rr(Ty::I64, rd, rs1, rs2, |a, b| Op::Sub { a, b });
    }
    fn sll(&mut self, rs2: u32, rs1: u32, rd: u32) {
        self.rr(Ty::I64, rd, rs1, rs2, |a, b| Op::Shl { a, b });
    }
    fn slt(&mut self, rs2: u32, rs1: u32, rd: u32) {
        let (a, b) = (self.x(rs1), self.x(rs2));
        self.set_cmp(Cmp::Slt, rd, a, b);
    }
    fn sltu(&mut self, rs2: u32, rs1: u32, rd: u32) {
        let (a, b) = (self.x(rs1), self.x(rs2));
        self.set_cmp(Cmp::Ult, rd, a, b);
    }
    fn xor(&mut self, rs2: u32, rs1: u32, rd: u32) {
        self.rr(Ty::I64, rd, rs1, rs2, |a, b| Op::Xor { a, b });
    }
    fn srl(&mut self, rs2: u32, rs1: u32, rd: u32) {
        self.rr(Ty::I64, rd, rs1, rs2, |a, b| Op::Lshr { a, b });
    }
    fn sra(&mut self, rs2: u32, rs1: u32, rd: u32) {
        self.rr(Ty::I64, rd, rs1, rs2, |a, b| Op::Ashr { a, b });
    }
    fn or(&mut self, rs2: u32, rs1: u32, rd: u32) {
        self.rr(Ty::I64, rd, rs1, rs2, |a, b| Op::Or { a, b });
    }
    fn and(&mut self, rs2: u32, rs1: u32, rd: u32) {
        self.rr(Ty::I64, rd, rs1, rs2, |a, b| Op::And { a, b });
    }

    fn jal(&mut self, imm20: u32, imm10_1: u32, imm11: u32, imm19_12: u32, rd: u32) {
        let off = sext(imm20 << 20 | imm19_12 << 12 | imm11 << 11 | imm10_1 << 1, 21);
        Translator::jal(self, rd, off);
    }
    fn jalr(&mut self, imm: u32, rs1: u32, rd: u32) {
        Translator::jalr(self, rd, rs1, sext(imm, 12));
    }

    fn beq(&mut self, imm12: u32, imm10_5: u32, rs2: u32, rs1: u32, imm4_1: u32, imm11: u32) {
        self.branch(Cmp::Eq, rs1, rs2, b_imm(imm12, imm10_5, imm4_1, imm11));
    }
    fn bne(&mut self, imm12: u32, imm10_5: u32, rs2: u32, rs1: u32, imm4_1: u32, imm11: u32) {
        self.branch(Cmp::Ne, rs1, rs2, b_imm(imm12, imm10_5, imm4_1, imm11));
    }
    fn blt(&mut self, imm12: u32, imm10_5: u32, rs2: u32, rs1: u32, imm4_1: u32, imm11: u32) {
        self.branch(Cmp::Slt, rs1, rs2, b_imm(imm12, imm10_5, imm4_1, imm11));
    }
    fn bge(&mut self, imm12: u32, imm10_5: u32, rs2: u32, rs1: u32, imm4_1: u32, imm11: u32) {
        self.branch(Cmp::Sge, rs1, rs2, b_imm(imm12, imm10_5, imm4_1, imm11));
    }
    fn bltu(&mut self, imm12: u32, imm10_5: u32, rs2: u32, rs1: u32, imm4_1: u32, imm11: u32) {
        self.branch(Cmp::Ult, rs1, rs2, b_imm(imm12, imm10_5, imm4_1, imm11));
    }
    fn bgeu(&mut self, imm12: u32, imm10_5: u32, rs2: u32, rs1: u32, imm4_1: u32, imm11: u32) {
        self.branch(Cmp::Uge, rs1, rs2, b_imm(imm12, imm10_5, imm4_1, imm11));
    }

    fn lb(&mut self, imm: u32, rs1: u32, rd: u32) {
        self.load(rd, rs1, sext(imm, 12), 1, true);
    }
    fn lh(&mut self, imm: u32, rs1: u32, rd: u32) {
        self.load(rd, rs1, sext(imm, 12), 2, true);
    }
    fn lw(&mut self, imm: u32, rs1: u32, rd: u32) {
        self.load(rd, rs1, sext(imm, 12), 4, true);
    }
    fn lbu(&mut self, imm: u32, rs1: u32, rd: u32) {
        self.load(rd, rs1, sext(imm, 12), 1, false);
    }
    fn lhu(&mut self, imm: u32, rs1: u32, rd: u32) {
        self.load(rd, rs1, sext(imm, 12), 2, false);
    }
    fn sb(&mut self, imm: u32, rs2: u32, rs1: u32) {
        self.store(rs1, rs2, sext(imm, 12), 1);
    }
    fn sh(&mut self, imm: u32, rs2: u32, rs1: u32) {
        self.store(rs1, rs2, sext(imm, 12), 2);
    }
    fn sw(&mut self, imm: u32, rs2: u32, rs1: u32) {
        self.store(rs1, rs2, sext(imm, 12), 4);
    }

    fn fence(&mut self, fm: u32, pred: u32, succ: u32, _rs1: u32, _rd: u32) {
        // pred/succ bits: I=8 O=4 R=2 W=1. Under x86 TSO only an earlier store against a later
        // load needs a real barrier; FENCE.TSO (fm=1000) never orders that pair. Device I/O
        // bits are treated like memory (user-mode programs see no devices).
        let (pw, sr) = (pred & 0b0101 != 0, succ & 0b1010 != 0);
        let kind = if pw && sr && fm != 0b1000 {
            FenceKind::Full
        } else if pred & 0b1010 != 0 {
            FenceKind::Load
        } else {
            FenceKind::Store
        };
        if pred != 0 && succ != 0 {
            self.op(Ty::Void, Op::Fence { kind });
        }
    }
    fn ecall(&mut self) {
        self.end(Term::Syscall { next: self.next_pc() });
    }
    fn ebreak(&mut self) {
        self.end(Term::Trap { pc: self.pc, kind: TrapKind::Breakpoint });
    }

    fn addiw(&mut self, imm: u32, rs1: u32, rd: u32) {
        self.ri(Ty::I32, rd, rs1, sext(imm, 12), |a, b| Op::Add { a, b });
    }
    fn slliw(&mut self, shamt: u32, rs1: u32, rd: u32) {
        self.ri(Ty::I32, rd, rs1, shamt as i64, |a, b| Op::Shl { a, b });
    }
    fn srliw(&mut self, shamt: u32, rs1: u32, rd: u32) {
        self.ri(Ty::I32, rd, rs1, shamt as i64, |a, b| Op::Lshr { a, b });
    }
    fn sraiw(&mut self, shamt: u32, rs1: u32, rd: u32) {
        self.ri(Ty::I32, rd, rs1, shamt as i64, |a, b| Op::Ashr { a, b });
    }
    fn addw(&mut self, rs2: u32, rs1: u32, rd: u32) {
        self.rr(Ty::I32, rd, rs1, rs2, |a, b| Op::Add { a, b });
    }
    fn subw(&mut self, rs2: u32, rs1: u32, rd: u32) {
        self.rr(Ty::I32, rd, rs1, rs2, |a, b| Op::Sub { a, b });
    }
    fn sllw(&mut self, rs2: u32, rs1: u32, rd: u32) {
        self.rr(Ty::I32, rd, rs1, rs2, |a, b| Op::Shl { a, b });
    }
    fn srlw(&mut self, rs2: u32, rs1: u32, rd: u32) {
        self.rr(Ty::I32, rd, rs1, rs2, |a, b| Op::Lshr { a, b });
    }
    fn sraw(&mut self, rs2: u32, rs1: u32, rd: u32) {
        self.rr(Ty::I32, rd, rs1, rs2, |a, b| Op::Ashr { a, b });
    }
    fn lwu(&mut self, imm: u32, rs1: u32, rd: u32) {
        self.load(rd, rs1, sext(imm, 12), 4, false);
    }
    fn ld(&mut self, imm: u32, rs1: u32, rd: u32) {
        self.load(rd, rs1, sext(imm, 12), 8, false);
    }
    fn sd(&mut self, imm: u32, rs2: u32, rs1: u32) {
        self.store(rs1, rs2, sext(imm, 12), 8);
    }
}

impl Zifencei for Translator {
    fn fence_i(&mut self, _imm: u32, _rs1: u32, _rd: u32) {
        // Local instruction-fetch fence: drop every translation (the guest gives no range) and
        // end the block so the next instruction is fetched afresh.
        let any = self.c64(0);
        self.op(Ty::Void, Op::CodeInval { addr: any, len: u32::MAX });
        self.end(Term::Jump { target: self.next_pc() });
    }
}
