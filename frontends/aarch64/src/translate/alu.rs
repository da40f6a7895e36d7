//! Operand helpers shared by the integer data-processing families: shifted and extended
//! register operands (Arm ARM J1 ShiftReg / ExtendReg), add/subtract with optional flags,
//! logical ops, REV16, and condition evaluation.

use super::Translator;
use emu_core::ir::{Op, Ty, Val};

/// The shift applied to a shifted-register operand (`shift` field).
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub enum Shift {
    Lsl,
    Lsr,
    Asr,
    Ror,
}

impl Shift {
    pub fn from_bits(v: u32) -> Shift {
        match v & 3 {
            0 => Shift::Lsl,
            1 => Shift::Lsr,
            2 => Shift::Asr,
            _ => Shift::Ror,
        }
    }
}

/// The logical operation of a logical (shifted register) instruction.
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub enum Logic {
    And,
    AndNot,
    Or,
    OrNot,
    Xor,
    XorNot,
}

/// ADD, ADDS, SUB or SUBS.
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub enum AddSub {
    Add,
    Adds,
    Sub,
    Subs,
}

impl AddSub {
    pub fn sub(self) -> bool {
        matches!(self, AddSub::Sub | AddSub::Subs)
    }
    pub fn flags(self) -> bool {
        matches!(self, AddSub::Adds | AddSub::Subs)
    }
}

impl Translator {
    /// Whether condition `cond` (EQ..NV) holds for the current NZCV (I1).
    pub fn cond(&mut self, cond: u32) -> Val {
        let f = self.nzcv();
        self.op(Ty::I1, Op::CondHolds { cond: (cond & 15) as u8, nzcv: f })
    }

    /// `a +/- b` at type `ty`; with `flags`, NZCV is set from the operation.
    pub fn add_sub(&mut self, ty: Ty, a: Val, b: Val, sub: bool, flags: bool) -> Val {
        if flags {
            let f = if sub {
                self.op(Ty::I32, Op::NzcvSub { a, b })
            } else {
                self.op(Ty::I32, Op::NzcvAdd { a, b })
            };
            self.set_nzcv(f);
        }
        if sub {
            self.b.sub(ty, a, b)
        } else {
            self.b.add(ty, a, b)
        }
    }

    /// ShiftReg: `v` shifted by the constant `amount` (< width).
    pub fn shift_reg(&mut self, ty: Ty, v: Val, shift: Shift, amount: u32) -> Val {
        if amount == 0 {
            return v;
        }
        let s = self.cty(ty, amount as u64);
        let op = match shift {
            Shift::Lsl => Op::Shl { a: v, b: s },
            Shift::Lsr => Op::Lshr { a: v, b: s },
            Shift::Asr => Op::Ashr { a: v, b: s },
            Shift::Ror => Op::Rotr { a: v, b: s },
        };
        self.op(ty, op)
    }

    /// ExtendReg: the low byte/half/word/doubleword of the I64 `v`, zero- or sign-extended by
    /// `option` (UXTB..SXTX), then shifted left by `shift`, at type `ty`.
    pub fn extend_reg(&mut self, ty: Ty, v: Val, option: u32, shift: u32) -> Val {
        let width = 8u8 << (option & 3);
        let signed = option & 4 != 0;
        let v = if ty == Ty::I32 { self.b.trunc(Ty::I32, v) } else { v };
        let e = if width as u32 >= ty.bits() {
            v
        } else if signed {
            self.op(ty, Op::SExtract { a: v, lsb: 0, width })
        } else {
            self.op(ty, Op::Extract { a: v, lsb: 0, width })
        };
        self.shift_reg(ty, e, Shift::Lsl, shift)
    }

    /// A logical op at type `ty`.
    pub fn logic(&mut self, ty: Ty, op: Logic, a: Val, b: Val) -> Val {
        let op = match op {
            Logic::And => Op::And { a, b },
            Logic::AndNot => Op::AndNot { a, b },
            Logic::Or => Op::Or { a, b },
            Logic::OrNot => Op::OrNot { a, b },
            Logic::Xor => Op::Xor { a, b },
            Logic::XorNot => Op::XorNot { a, b },
        };
        self.op(ty, op)
    }

    /// REV16: swap the bytes within each halfword.
    pub fn rev16_val(&mut self, ty: Ty, x: Val) -> Val {
        let m = if ty == Ty::I64 { u64::MAX } else { 0xffff_ffff };
        let lo = self.cty(ty, 0x00ff_00ff_00ff_00ff & m);
        let hi = self.cty(ty, 0xff00_ff00_ff00_ff00 & m);
        let eight = self.cty(ty, 8);
        let r = self.op(ty, Op::Lshr { a: x, b: eight });
        let r = self.b.and(ty, r, lo);
        let l = self.op(ty, Op::Shl { a: x, b: eight });
        let l = self.b.and(ty, l, hi);
        self.b.or(ty, r, l)
    }
}
