//! M extension: integer multiplication and division (unprivileged manual, "M Extension for
//! Integer Multiplication and Division").
//!
//! The IR's division already matches RISC-V for overflow (MIN / -1 = MIN, MIN % -1 = 0) and for
//! remainder by zero (x % 0 = x); only quotient by zero differs (RISC-V: all ones, IR: 0), which
//! a Select fixes.

use super::Translator;
use crate::decoder::rv32::Rv64m;
use emu_core::ir::{Cmp, Op, Ty};

impl Translator {
    /// rd = rs1 / rs2 with RISC-V's divide-by-zero result (all ones), at type `ty`.
    fn div(&mut self, ty: Ty, rd: u32, rs1: u32, rs2: u32, signed: bool) {
        let (a, b) = if ty == Ty::I32 { (self.xw(rs1), self.xw(rs2)) } else { (self.x(rs1), self.x(rs2)) };
        let q = if signed { self.op(ty, Op::DivS { a, b }) } else { self.op(ty, Op::DivU { a, b }) };
        let zero = self.b.iconst(ty, 0);
        let ones = self.b.iconst(ty, if ty == Ty::I32 { 0xffff_ffff } else { u64::MAX });
        let by_zero = self.b.icmp(Cmp::Eq, b, zero);
        let r = self.b.select(ty, by_zero, ones, q);
        self.set_x(rd, r);
    }
}

impl Rv64m for Translator {
    fn mul(&mut self, rs2: u32, rs1: u32, rd: u32) {
        self.rr(Ty::I64, rd, rs1, rs2, |a, b| Op::Mul { a, b });
    }
    fn mulh(&mut self, rs2: u32, rs1: u32, rd: u32) {
        self.rr(Ty::I64, rd, rs1, rs2, |a, b| Op::MulHiS { a, b });
    }
    fn mulhsu(&mut self, rs2: u32, rs1: u32, rd: u32) {
        self.rr(Ty::I64, rd, rs1, rs2, |a, b| Op::MulHiSU { a, b });
    }
    fn mulhu(&mut self, rs2: u32, rs1: u32, rd: u32) {
        self.rr(Ty::I64, rd, rs1, rs2, |a, b| Op::MulHiU { a, b });
    }
    fn mulw(&mut self, rs2: u32, rs1: u32, rd: u32) {
        self.rr(Ty::I32, rd, rs1, rs2, |a, b| Op::Mul { a, b });
    }
    fn div(&mut self, rs2: u32, rs1: u32, rd: u32) {
        Translator::div(self, Ty::I64, rd, rs1, rs2, true);
    }
    fn divu(&mut self, rs2: u32, rs1: u32, rd: u32) {
        Translator::div(self, Ty::I64, rd, rs1, rs2, false);
    }
    fn rem(&mut self, rs2: u32, rs1: u32, rd: u32) {
        self.rr(Ty::I64, rd, rs1, rs2, |a, b| Op::RemS { a, b });
    }
    fn remu(&mut self, rs2: u32, rs1: u32, rd: u32) {
        self.rr(Ty::I64, rd, rs1, rs2, |a, b| Op::RemU { a, b });
    }
    fn divw(&mut self, rs2: u32, rs1: u32, rd: u32) {
        Translator::div(self, Ty::I32, rd, rs1, rs2, true);
    }
    fn divuw(&mut self, rs2: u32, rs1: u32, rd: u32) {
        Translator::div(self, Ty::I32, rd, rs1, rs2, false);
    }
    fn remw(&mut self, rs2: u32, rs1: u32, rd: u32) {
        self.rr(Ty::I32, rd, rs1, rs2, |a, b| Op::RemS { a, b });
    }
    fn remuw(&mut self, rs2: u32, rs1: u32, rd: u32) {
        self.rr(Ty::I32, rd, rs1, rs2, |a, b| Op::RemU { a, b });
    }
}
