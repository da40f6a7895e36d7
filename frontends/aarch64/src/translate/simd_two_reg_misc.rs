//! Arm ARM C4.1.96.21/22/13/14: AdvSIMD two-register miscellaneous, across lanes, and the
//! scalar two-register miscellaneous and scalar pairwise classes. Saturating narrows, the
//! reciprocal estimates and FP16 forms are not implemented (SIGILL).

use super::simd_helpers::es_of;
use super::Translator;
use crate::decoder::SimdTwoRegMisc;
use emu_core::ir::{Val, VecBinOp as B, VecImmOp, VecUnOp as U};

/// Integer two-register misc ops that map to one unary op: (U, opcode) -> op, max size.
fn int_misc(u: u32, opcode: u32) -> Option<(U, u32)> {
    Some(match (u, opcode) {
        (0, 0b00000) => (U::Rev64, 2),
        (0, 0b00001) => (U::Rev16, 0),
        (1, 0b00000) => (U::Rev32, 1),
        (0, 0b00100) => (U::Cls, 2),
        (1, 0b00100) => (U::Clz, 2),
        (0, 0b00101) => (U::Cnt, 0),
        (0, 0b01000) => (U::CmpGtZero, 3),
        (1, 0b01000) => (U::CmpGeZero, 3),
        (0, 0b01001) => (U::CmpEqZero, 3),
        (1, 0b01001) => (U::CmpLeZero, 3),
        (0, 0b01010) => (U::CmpLtZero, 3),
        (0, 0b01011) => (U::Abs, 3),
        (1, 0b01011) => (U::Neg, 3),
        _ => return None,
    })
}

/// FP two-register misc ops (size<1>, U, opcode) -> op, for single and double lanes.
fn fp_misc(hi: u32, u: u32, opcode: u32) -> Option<U> {
    Some(match (hi, u, opcode) {
        (1, 0, 0b01111) => U::FAbs,
        (1, 1, 0b01111) => U::FNeg,
        (1, 1, 0b11111) => U::FSqrt,
        (0, 0, 0b11000) => U::FRintN,
        (1, 0, 0b11000) => U::FRintP,
        (0, 0, 0b11001) => U::FRintM,
        (1, 0, 0b11001) => U::FRintZ,
        (0, 1, 0b11000) => U::FRintA,
        (0, 1, 0b11001) => U::FRintX,
        (1, 1, 0b11001) => U::FRintI,
        (1, 0, 0b11011) => U::FCvtZS,
        (1, 1, 0b11011) => U::FCvtZU,
        (0, 0, 0b11101) => U::SCvtF,
        (0, 1, 0b11101) => U::UCvtF,
        _ => return None,
    })
}

/// FP compares against zero (size<1> = 1): (U, opcode) -> (op, swap operands).
fn fp_cmp_zero(u: u32, opcode: u32) -> Option<(B, bool)> {
    Some(match (u, opcode) {
        (0, 0b01100) => (B::FCmpGt, false),
        (1, 0b01100) => (B::FCmpGe, false),
        (0, 0b01101) => (B::FCmpEq, false),
        (1, 0b01101) => (B::FCmpGe, true),
        (0, 0b01110) => (B::FCmpGt, true),
        _ => return None,
    })
}

impl SimdTwoRegMisc for Translator {
    fn two_reg_misc(&mut self, q: u32, u: u32, size: u32, opcode: u32, rn: u32, rd: u32) {
        let a = self.vreg(rn);
        let es = es_of(size);
        if let Some((op, max)) = int_misc(u, opcode) {
            if size > max || (size == 3 && q == 0) {
                return self.undefined();
            }
            let r = self.vun(op, es, a);
            return self.set_vreg_q(q, rd, r);
        }
        let fp_es = 32 << (size & 1);
        let fp_ok = !(size & 1 == 1 && q == 0);
        if opcode >= 0b01100 {
            if let Some(op) = fp_misc(size >> 1, u, opcode) {
                if !fp_ok {
                    return self.undefined();
                }
                let r = self.vun(op, fp_es, a);
                return self.set_vreg_q(q, rd, r);
            }
            if let (1, Some((op, swap))) = (size >> 1, fp_cmp_zero(u, opcode)) {
                if !fp_ok {
                    return self.undefined();
                }
                let z = self.vconst(0, 0);
                let r = if swap { self.vbin(op, fp_es, z, a) } else { self.vbin(op, fp_es, a, z) };
                return self.set_vreg_q(q, rd, r);
            }
        }
        match (u, opcode, size) {
            // NOT / RBIT
            (1, 0b00101, 0) => {
                let r = self.vun(U::Not, 8, a);
                self.set_vreg_q(q, rd, r)
            }
            (1, 0b00101, 1) => {
                let r = self.vun(U::Rbit, 8, a);
                self.set_vreg_q(q, rd, r)
            }
            // SADDLP / UADDLP, SADALP / UADALP
            (_, 0b00010 | 0b00110, 0..=2) => {
                let a = self.vreg_q(q, rn);
                let op = if u == 0 { U::AddPairwiseLongS } else { U::AddPairwiseLongU };
                let mut r = self.vun(op, es, a);
                if opcode == 0b00110 {
                    let d = self.vreg(rd);
                    r = self.vbin(B::Add, es * 2, d, r);
                }
                self.set_vreg_q(q, rd, r)
            }
            // XTN / XTN2
            (0, 0b10010, 0..=2) => {
                let r = self.vun(U::Narrow, es * 2, a);
                self.write_narrow(q, rd, r)
            }
            // SHLL / SHLL2: widen and shift by the element size
            (1, 0b10011, 0..=2) => {
                let op = if q == 1 { VecImmOp::UShllHigh } else { VecImmOp::UShllLow };
                let r = self.vimm(op, es, a, es as u32);
                self.set_vreg(rd, r)
            }
            _ => self.undefined(),
        }
    }

    fn across_lanes(&mut self, q: u32, u: u32, size: u32, opcode: u32, rn: u32, rd: u32) {
        if size == 3 || (size == 2 && q == 0) {
            return self.undefined();
        }
        let es = es_of(size);
        let (op, sum) = match (u, opcode) {
            (0, 0b11011) => (U::AddAcross, true),
            (0, 0b00011) => (U::SAddlAcross, true),
            (1, 0b00011) => (U::UAddlAcross, true),
            (0, 0b01010) => (U::SmaxAcross, false),
            (1, 0b01010) => (U::UmaxAcross, false),
            (0, 0b11010) => (U::SminAcross, false),
            (1, 0b11010) => (U::UminAcross, false),
            _ => return self.undefined(),
        };
        let mut a = self.vreg(rn);
        if q == 0 {
            // Sums must not see the stale top half; min/max see a copy of the low half instead.
            a = if sum { self.vun(U::ZeroHigh, 64, a) } else { self.vimm(VecImmOp::DupLane, 64, a, 0) };
        }
        let r = self.vun(op, es, a);
        self.set_vreg(rd, r);
    }

    fn scalar_two_reg_misc(&mut self, u: u32, size: u32, opcode: u32, rn: u32, rd: u32) {
        let a = self.vreg(rn);
        let (op, es) = match (u, opcode, size) {
            (0, 0b01000, 3) => (U::CmpGtZero, 64),
            (1, 0b01000, 3) => (U::CmpGeZero, 64),
            (0, 0b01001, 3) => (U::CmpEqZero, 64),
            (1, 0b01001, 3) => (U::CmpLeZero, 64),
            (0, 0b01010, 3) => (U::CmpLtZero, 64),
            (0, 0b01011, 3) => (U::Abs, 64),
            (1, 0b01011, 3) => (U::Neg, 64),
            (_, _, _) => match fp_misc(size >> 1, u, opcode) {
                Some(op @ (U::FCvtZS | U::FCvtZU | U::SCvtF | U::UCvtF)) => (op, 32 << (size & 1)),
                _ => return self.undefined(),
            },
        };
        let r = self.vun(op, es, a);
        self.set_scalar_lane0(rd, es, r);
    }

    fn scalar_pairwise(&mut self, u: u32, size: u32, opcode: u32, rn: u32, rd: u32) {
        let (op, es) = match (u, opcode, size) {
            (0, 0b11011, 3) => (B::AddPairwise, 64),
            (1, 0b01101, 0 | 1) => (B::FAddPairwise, 32 << size),
            (1, 0b01100, 0 | 1) => (B::FMaxNumPairwise, 32 << size),
            (1, 0b01100, 2 | 3) => (B::FMinNumPairwise, 32 << (size & 1)),
            (1, 0b01111, 0 | 1) => (B::FMaxPairwise, 32 << size),
            (1, 0b01111, 2 | 3) => (B::FMinPairwise, 32 << (size & 1)),
            _ => return self.undefined(),
        };
        let a = self.vreg(rn);
        let r = self.vbin(op, es, a, a);
        self.set_scalar_lane0(rd, es, r);
    }
}

impl Translator {
    /// Write a narrowed result (in the low half of `r`): the plain form replaces Vd with it
    /// (top half zero), the "2" form (Q=1) puts it in the top half and keeps Vd's low half.
    pub(super) fn write_narrow(&mut self, q: u32, rd: u32, r: Val) {
        if q == 0 {
            self.set_vreg(rd, r);
        } else {
            let d = self.vreg(rd);
            let v = self.insert_high(d, r);
            self.set_vreg(rd, v);
        }
    }
}
