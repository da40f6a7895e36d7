//! Bit manipulation: Zba (address generation), Zbb (basic bit manipulation) and Zbs
//! (single-bit instructions), unprivileged manual chapter "Bit-manipulation", RV64 forms.

use super::Translator;
use crate::decoder::rv32::{Zba, Zbb, Zbs};
use emu_core::ir::{Cmp, Op, Ty, Val};

impl Translator {
    /// Zero-extended low word of xN (the `.uw` operand).
    fn x_uw(&mut self, n: u32) -> Val {
        let w = self.xw(n);
        self.b.zext(Ty::I64, w)
    }

    /// rd = rs2 + (rs1 << sh), with rs1 zero-extended from 32 bits when `uw`.
    fn shadd(&mut self, rd: u32, rs1: u32, rs2: u32, sh: u64, uw: bool) {
        let a = if uw { self.x_uw(rs1) } else { self.x(rs1) };
        let k = self.c64(sh);
        let a = self.op(Ty::I64, Op::Shl { a, b: k });
        let b = self.x(rs2);
        let r = self.b.add(Ty::I64, a, b);
        self.set_x(rd, r);
    }

    /// rd = op(rs1) at type `ty`.
    fn unary(&mut self, ty: Ty, rd: u32, rs1: u32, f: impl FnOnce(Val) -> Op) {
        let a = if ty == Ty::I32 { self.xw(rs1) } else { self.x(rs1) };
        let r = self.op(ty, f(a));
        self.set_x(rd, r);
    }

    /// rd = (cc(rs1, rs2) ? rs1 : rs2).
    fn pick(&mut self, cc: Cmp, rd: u32, rs1: u32, rs2: u32) {
        let (a, b) = (self.x(rs1), self.x(rs2));
        let c = self.b.icmp(cc, a, b);
        let r = self.b.select(Ty::I64, c, a, b);
        self.set_x(rd, r);
    }

    /// The single-bit mask 1 << (index mod 64).
    fn bit(&mut self, index: Val) -> Val {
        let one = self.c64(1);
        self.op(Ty::I64, Op::Shl { a: one, b: index })
    }

    /// rd = f(rs1, 1 << index).
    fn single_bit(&mut self, rd: u32, rs1: u32, index: Val, f: impl FnOnce(Val, Val) -> Op) {
        let a = self.x(rs1);
        let m = self.bit(index);
        let r = self.op(Ty::I64, f(a, m));
        self.set_x(rd, r);
    }

    /// rd = (rs1 >> index) & 1.
    fn bext_val(&mut self, rd: u32, rs1: u32, index: Val) {
        let a = self.x(rs1);
        let s = self.op(Ty::I64, Op::Lshr { a, b: index });
        let one = self.c64(1);
        let r = self.b.and(Ty::I64, s, one);
        self.set_x(rd, r);
    }
}

impl Zba for Translator {
    fn add_uw(&mut self, rs2: u32, rs1: u32, rd: u32) {
        self.shadd(rd, rs1, rs2, 0, true);
    }
    fn sh1add(&mut self, rs2: u32, rs1: u32, rd: u32) {
        self.shadd(rd, rs1, rs2, 1, false);
    }
    fn sh1add_uw(&mut self, rs2: u32, rs1: u32, rd: u32) {
        self.shadd(rd, rs1, rs2, 1, true);
    }
    fn sh2add(&mut self, rs2: u32, rs1: u32, rd: u32) {
        self.shadd(rd, rs1, rs2, 2, false);
    }
    fn sh2add_uw(&mut self, rs2: u32, rs1: u32, rd: u32) {
        self.shadd(rd, rs1, rs2, 2, true);
    }
    fn sh3add(&mut self, rs2: u32, rs1: u32, rd: u32) {
        self.shadd(rd, rs1, rs2, 3, false);
    }
    fn sh3add_uw(&mut self, rs2: u32, rs1: u32, rd: u32) {
        self.shadd(rd, rs1, rs2, 3, true);
    }
    fn slli_uw(&mut self, shamt: u32, rs1: u32, rd: u32) {
        let a = self.x_uw(rs1);
        let k = self.c64(shamt as u64);
        let r = self.op(Ty::I64, Op::Shl { a, b: k });
        self.set_x(rd, r);
    }
}

impl Zbb for Translator {
    fn andn(&mut self, rs2: u32, rs1: u32, rd: u32) {
        self.rr(Ty::I64, rd, rs1, rs2, |a, b| Op::AndNot { a, b });
    }
    fn orn(&mut self, rs2: u32, rs1: u32, rd: u32) {
        self.rr(Ty::I64, rd, rs1, rs2, |a, b| Op::OrNot { a, b });
    }
    fn xnor(&mut self, rs2: u32, rs1: u32, rd: u32) {
        self.rr(Ty::I64, rd, rs1, rs2, |a, b| Op::XorNot { a, b });
    }
    fn clz(&mut self, rs1: u32, rd: u32) {
        self.unary(Ty::I64, rd, rs1, |a| Op::Clz { a });
    }
    fn clzw(&mut self, rs1: u32, rd: u32) {
        self.unary(Ty::I32, rd, rs1, |a| Op::Clz { a });
    }
    fn ctz(&mut self, rs1: u32, rd: u32) {
        self.unary(Ty::I64, rd, rs1, |a| Op::Ctz { a });
    }
    fn ctzw(&mut self, rs1: u32, rd: u32) {
        self.unary(Ty::I32, rd, rs1, |a| Op::Ctz { a });
    }
    fn cpop(&mut self, rs1: u32, rd: u32) {
        self.unary(Ty::I64, rd, rs1, |a| Op::Popcnt { a });
    }
    fn cpopw(&mut self, rs1: u32, rd: u32) {
        self.unary(Ty::I32, rd, rs1, |a| Op::Popcnt { a });
    }
    fn max(&mut self, rs2: u32, rs1: u32, rd: u32) {
        self.pick(Cmp::Sgt, rd, rs1, rs2);
    }
    fn maxu(&mut self, rs2: u32, rs1: u32, rd: u32) {
        self.pick(Cmp::Ugt, rd, rs1, rs2);
    }
    fn min(&mut self, rs2: u32, rs1: u32, rd: u32) {
        self.pick(Cmp::Slt, rd, rs1, rs2);
    }
    fn minu(&mut self, rs2: u32, rs1: u32, rd: u32) {
        self.pick(Cmp::Ult, rd, rs1, rs2);
    }
    fn sext_b(&mut self, rs1: u32, rd: u32) {
        self.unary(Ty::I64, rd, rs1, |a| Op::SExtract { a, lsb: 0, width: 8 });
    }
    fn sext_h(&mut self, rs1: u32, rd: u32) {
        self.unary(Ty::I64, rd, rs1, |a| Op::SExtract { a, lsb: 0, width: 16 });
    }
    fn zext_h(&mut self, rs1: u32, rd: u32) {
        self.unary(Ty::I64, rd, rs1, |a| Op::Extract { a, lsb: 0, width: 16 });
    }
    fn rol(&mut self, rs2: u32, rs1: u32, rd: u32) {
        self.rr(Ty::I64, rd, rs1, rs2, |a, b| Op::Rotl { a, b });
    }
    fn rolw(&mut self, rs2: u32, rs1: u32, rd: u32) {
        self.rr(Ty::I32, rd, rs1, rs2, |a, b| Op::Rotl { a, b });
    }
    fn ror(&mut self, rs2: u32, rs1: u32, rd: u32) {
        self.rr(Ty::I64, rd, rs1, rs2, |a, b| Op::Rotr { a, b });
    }
    fn rori(&mut self, shamt: u32, rs1: u32, rd: u32) {
        self.ri(Ty::I64, rd, rs1, shamt as i64, |a, b| Op::Rotr { a, b });
    }
    fn roriw(&mut self, shamt: u32, rs1: u32, rd: u32) {
        self.ri(Ty::I32, rd, rs1, shamt as i64, |a, b| Op::Rotr { a, b });
    }
    fn rorw(&mut self, rs2: u32, rs1: u32, rd: u32) {
        self.rr(Ty::I32, rd, rs1, rs2, |a, b| Op::Rotr { a, b });
    }
    fn orc_b(&mut self, rs1: u32, rd: u32) {
        self.unary(Ty::I64, rd, rs1, |a| Op::OrcB { a });
    }
    fn rev8(&mut self, rs1: u32, rd: u32) {
        self.unary(Ty::I64, rd, rs1, |a| Op::Bswap { a });
    }
}

impl Zbs for Translator {
    fn bclr(&mut self, rs2: u32, rs1: u32, rd: u32) {
        let i = self.x(rs2);
        self.single_bit(rd, rs1, i, |a, b| Op::AndNot { a, b });
    }
    fn bclri(&mut self, shamt: u32, rs1: u32, rd: u32) {
        let i = self.c64(shamt as u64);
        self.single_bit(rd, rs1, i, |a, b| Op::AndNot { a, b });
    }
    fn bext(&mut self, rs2: u32, rs1: u32, rd: u32) {
        let i = self.x(rs2);
        self.bext_val(rd, rs1, i);
    }
    fn bexti(&mut self, shamt: u32, rs1: u32, rd: u32) {
        let i = self.c64(shamt as u64);
        self.bext_val(rd, rs1, i);
    }
    fn binv(&mut self, rs2: u32, rs1: u32, rd: u32) {
        let i = self.x(rs2);
        self.single_bit(rd, rs1, i, |a, b| Op::Xor { a, b });
    }
    fn binvi(&mut self, shamt: u32, rs1: u32, rd: u32) {
        let i = self.c64(shamt as u64);
        self.single_bit(rd, rs1, i, |a, b| Op::Xor { a, b });
    }
    fn bset(&mut self, rs2: u32, rs1: u32, rd: u32) {
        let i = self.x(rs2);
        self.single_bit(rd, rs1, i, |a, b| Op::Or { a, b });
    }
    fn bseti(&mut self, shamt: u32, rs1: u32, rd: u32) {
        let i = self.c64(shamt as u64);
        self.single_bit(rd, rs1, i, |a, b| Op::Or { a, b });
    }
}
