//! A extension: load-reserved/store-conditional and atomic memory operations (unprivileged
//! manual, "A Extension for Atomic Instructions").
//!
//! LR records a reservation in the exclusive monitor of `CpuState` (`excl_addr`, `excl_val`);
//! SC succeeds iff the reservation is for the same address and a compare-and-swap against the
//! value LR loaded succeeds. This is the usual emulator reading of LR/SC (an intervening
//! store of the same value is not noticed, which no correct LR/SC loop can observe). aq/rl need
//! no code: every IR atomic is sequentially consistent.

use super::Translator;
use crate::decoder::rv32::Rv64a;
use emu_core::cpu::off;
use emu_core::ir::{AtomicOp, Cmp, Op, Ty};

impl Translator {
    /// LR.W / LR.D: load (sign-extended for W) and set the reservation.
    fn lr(&mut self, rd: u32, rs1: u32, size: u8) {
        let addr = self.x(rs1);
        let v = self.b.load(Ty::I64, addr, size, true);
        self.b.set(off::EXCL_ADDR, addr);
        self.b.set(off::EXCL_VAL, v);
        self.set_x(rd, v);
    }

    /// SC.W / SC.D: rd = 0 on success, 1 on failure; the reservation is always cleared.
    fn sc(&mut self, rd: u32, rs1: u32, rs2: u32, size: u8) {
        let ty = if size == 4 { Ty::I32 } else { Ty::I64 };
        let addr = self.x(rs1);
        let new = if ty == Ty::I32 { self.xw(rs2) } else { self.x(rs2) };
        let held = self.b.get(Ty::I64, off::EXCL_ADDR);
        let same = self.b.icmp(Cmp::Eq, held, addr);
        let expected = self.b.get(ty, off::EXCL_VAL);
        // Without a reservation for this address the CAS must not change memory: it then
        // offers the expected value as the new one, so memory is left as it was either way.
        let stored = self.b.select(ty, same, new, expected);
        let old = self.op(ty, Op::Cas { addr, expected, new: stored, size });
        let swapped = self.b.icmp(Cmp::Eq, old, expected);
        let ok = self.b.and(Ty::I1, same, swapped);
        let one = self.c64(1);
        let zero = self.c64(0);
        let status = self.b.select(Ty::I64, ok, zero, one);
        let clear = self.c64(u64::MAX);
        self.b.set(off::EXCL_ADDR, clear);
        self.set_x(rd, status);
    }

    /// AMO<op>.W / .D: rd = old memory value (sign-extended for W); memory = op(old, rs2).
    fn amo(&mut self, op: AtomicOp, rd: u32, rs1: u32, rs2: u32, size: u8) {
        let ty = if size == 4 { Ty::I32 } else { Ty::I64 };
        let addr = self.x(rs1);
        let v = if ty == Ty::I32 { self.xw(rs2) } else { self.x(rs2) };
        let old = self.op(ty, Op::AtomicRmw { op, addr, v, size });
        self.set_x(rd, old);
    }
}

impl Rv64a for Translator {
    fn lr_w(&mut self, _aq: u32, _rl: u32, rs1: u32, rd: u32) {
        self.lr(rd, rs1, 4);
    }
    fn sc_w(&mut self, _aq: u32, _rl: u32, rs2: u32, rs1: u32, rd: u32) {
        self.sc(rd, rs1, rs2, 4);
    }
    fn lr_d(&mut self, _aq: u32, _rl: u32, rs1: u32, rd: u32) {
        self.lr(rd, rs1, 8);
    }
    fn sc_d(&mut self, _aq: u32, _rl: u32, rs2: u32, rs1: u32, rd: u32) {
        self.sc(rd, rs1, rs2, 8);
    }
    fn amoswap_w(&mut self, _aq: u32, _rl: u32, rs2: u32, rs1: u32, rd: u32) {
        self.amo(AtomicOp::Swap, rd, rs1, rs2, 4);
    }
    fn amoadd_w(&mut self, _aq: u32, _rl: u32, rs2: u32, rs1: u32, rd: u32) {
        self.amo(AtomicOp::Add, rd, rs1, rs2, 4);
    }
    fn amoxor_w(&mut self, _aq: u32, _rl: u32, rs2: u32, rs1: u32, rd: u32) {
        self.amo(AtomicOp::Eor, rd, rs1, rs2, 4);
    }
    fn amoand_w(&mut self, _aq: u32, _rl: u32, rs2: u32, rs1: u32, rd: u32) {
        self.amo(AtomicOp::And, rd, rs1, rs2, 4);
    }
    fn amoor_w(&mut self, _aq: u32, _rl: u32, rs2: u32, rs1: u32, rd: u32) {
        self.amo(AtomicOp::Set, rd, rs1, rs2, 4);
    }
    fn amomin_w(&mut self, _aq: u32, _rl: u32, rs2: u32, rs1: u32, rd: u32) {
        self.amo(AtomicOp::Smin, rd, rs1, rs2, 4);
    }
    fn amomax_w(&mut self, _aq: u32, _rl: u32, rs2: u32, rs1: u32, rd: u32) {
        self.amo(AtomicOp::Smax, rd, rs1, rs2, 4);
    }
    fn amominu_w(&mut self, _aq: u32, _rl: u32, rs2: u32, rs1: u32, rd: u32) {
        self.amo(AtomicOp::Umin, rd, rs1, rs2, 4);
    }
    fn amomaxu_w(&mut self, _aq: u32, _rl: u32, rs2: u32, rs1: u32, rd: u32) {
        self.amo(AtomicOp::Umax, rd, rs1, rs2, 4);
    }
    fn amoswap_d(&mut self, _aq: u32, _rl: u32, rs2: u32, rs1: u32, rd: u32) {
        self.amo(AtomicOp::Swap, rd, rs1, rs2, 8);
    }
    fn amoadd_d(&mut self, _aq: u32, _rl: u32, rs2: u32, rs1: u32, rd: u32) {
        self.amo(AtomicOp::Add, rd, rs1, rs2, 8);
    }
    fn amoxor_d(&mut self, _aq: u32, _rl: u32, rs2: u32, rs1: u32, rd: u32) {
        self.amo(AtomicOp::Eor, rd, rs1, rs2, 8);
    }
    fn amoand_d(&mut self, _aq: u32, _rl: u32, rs2: u32, rs1: u32, rd: u32) {
        self.amo(AtomicOp::And, rd, rs1, rs2, 8);
    }
    fn amoor_d(&mut self, _aq: u32, _rl: u32, rs2: u32, rs1: u32, rd: u32) {
        self.amo(AtomicOp::Set, rd, rs1, rs2, 8);
    }
    fn amomin_d(&mut self, _aq: u32, _rl: u32, rs2: u32, rs1: u32, rd: u32) {
        self.amo(AtomicOp::Smin, rd, rs1, rs2, 8);
    }
    fn amomax_d(&mut self, _aq: u32, _rl: u32, rs2: u32, rs1: u32, rd: u32) {
        self.amo(AtomicOp::Smax, rd, rs1, rs2, 8);
    }
    fn amominu_d(&mut self, _aq: u32, _rl: u32, rs2: u32, rs1: u32, rd: u32) {
        self.amo(AtomicOp::Umin, rd, rs1, rs2, 8);
    }
    fn amomaxu_d(&mut self, _aq: u32, _rl: u32, rs2: u32, rs1: u32, rd: u32) {
        self.amo(AtomicOp::Umax, rd, rs1, rs2, 8);
    }
}
