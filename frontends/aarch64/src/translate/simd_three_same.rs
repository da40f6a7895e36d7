//! Arm ARM C4.1.96.19/20/12/23: AdvSIMD "three same", "three different", scalar three same and
//! vector-by-element arithmetic. Each class handler maps its (U, size, opcode) table onto one
//! vector-family op; D-form (Q=0) results clear the top half, and combinations that are
//! reserved or not implemented go to SIGILL.

use super::simd_helpers::es_of;
use super::Translator;
use crate::decoder::SimdThreeSame;
use emu_core::ir::{VecBinOp as B, VecImmOp, VecTerOp as T};

/// What a three-same (U, opcode, size) combination computes.
enum Three {
    Bin(B),
    /// Accumulating op: Vd = op(Vd, Vn, Vm).
    Acc(T),
    /// Bitwise select family: BSL, BIT, BIF (operand orders differ).
    Bsl,
    Bit,
    Bif,
    /// Pairwise ops need the D-form halves packed first.
    Pair(B),
}

/// Integer three-same table (size is the element size, 11 allowed only where noted).
fn int_three(u: u32, opcode: u32, size: u32) -> Option<Three> {
    use Three::*;
    let d_ok = size != 3;
    Some(match (u, opcode) {
        (0, 0b00011) => Bin([B::And, B::AndNot, B::Or, B::OrNot][size as usize]),
        (1, 0b00011) => [Bin(B::Xor), Bsl, Bit, Bif].into_iter().nth(size as usize)?,
        (0, 0b10000) => Bin(B::Add),
        (1, 0b10000) => Bin(B::Sub),
        (0, 0b00110) => Bin(B::CmpGt),
        (1, 0b00110) => Bin(B::CmpHi),
        (0, 0b00111) => Bin(B::CmpGe),
        (1, 0b00111) => Bin(B::CmpHs),
        (0, 0b10001) => Bin(B::CmpTst),
        (1, 0b10001) => Bin(B::CmpEq),
        (0, 0b01000) => Bin(B::SShl),
        (1, 0b01000) => Bin(B::UShl),
        (0, 0b00001) => Bin(B::SQAdd),
        (1, 0b00001) => Bin(B::UQAdd),
        (0, 0b00101) => Bin(B::SQSub),
        (1, 0b00101) => Bin(B::UQSub),
        _ if !d_ok => return None,
        (0, 0b00000) => Bin(B::SHAdd),
        (1, 0b00000) => Bin(B::UHAdd),
        (1, 0b00010) => Bin(B::URHAdd),
        (0, 0b00100) => Bin(B::SHSub),
        (1, 0b00100) => Bin(B::UHSub),
        (0, 0b01100) => Bin(B::SMax),
        (1, 0b01100) => Bin(B::UMax),
        (0, 0b01101) => Bin(B::SMin),
        (1, 0b01101) => Bin(B::UMin),
        (0, 0b01110) => Bin(B::SAbd),
        (1, 0b01110) => Bin(B::UAbd),
        (0, 0b01111) => Acc(T::SAba),
        (1, 0b01111) => Acc(T::UAba),
        (0, 0b10010) => Acc(T::Mla),
        (1, 0b10010) => Acc(T::Mls),
        (0, 0b10011) => Bin(B::Mul),
        (0, 0b10100) => Pair(B::SMaxPairwise),
        (1, 0b10100) => Pair(B::UMaxPairwise),
        (0, 0b10101) => Pair(B::SMinPairwise),
        (1, 0b10101) => Pair(B::UMinPairwise),
        _ => return None,
    })
}

/// FP three-same table: `hi` is size<1>, the element is 64-bit when size<0> is set.
fn fp_three(u: u32, opcode: u32, hi: u32) -> Option<Three> {
    use Three::*;
    Some(match (u, opcode, hi) {
        (0, 0b11000, 0) => Bin(B::FMaxNum),
        (0, 0b11000, 1) => Bin(B::FMinNum),
        (1, 0b11000, 0) => Pair(B::FMaxNumPairwise),
        (1, 0b11000, 1) => Pair(B::FMinNumPairwise),
        (0, 0b11001, 0) => Acc(T::FMla),
        (0, 0b11001, 1) => Acc(T::FMls),
        (0, 0b11010, 0) => Bin(B::FAdd),
        (0, 0b11010, 1) => Bin(B::FSub),
        (1, 0b11010, 0) => Pair(B::FAddPairwise),
        (1, 0b11010, 1) => Bin(B::FAbd),
        (1, 0b11011, 0) => Bin(B::FMul),
        (0, 0b11100, 0) => Bin(B::FCmpEq),
        (1, 0b11100, 0) => Bin(B::FCmpGe),
        (1, 0b11100, 1) => Bin(B::FCmpGt),
        (1, 0b11101, 0) => Bin(B::FAbsCmpGe),
        (1, 0b11101, 1) => Bin(B::FAbsCmpGt),
        (0, 0b11110, 0) => Bin(B::FMax),
        (0, 0b11110, 1) => Bin(B::FMin),
        (1, 0b11110, 0) => Pair(B::FMaxPairwise),
        (1, 0b11110, 1) => Pair(B::FMinPairwise),
        (1, 0b11111, 0) => Bin(B::FDiv),
        _ => return None,
    })
}

impl Translator {
    /// Compute a three-same operation on full registers; D-form pairwise inputs are packed so the
    /// pairs come from the low halves of Vn then Vm.
    fn three(&mut self, q: u32, what: Three, es: u8, rd: u32, rn: u32, rm: u32) {
        let (a, b) = (self.vreg(rn), self.vreg(rm));
        let r = match what {
            Three::Bin(op) => self.vbin(op, es, a, b),
            Three::Acc(op) => {
                let d = self.vreg(rd);
                self.vter(op, es, d, a, b)
            }
            Three::Bsl => {
                let d = self.vreg(rd);
                self.vter(T::Bsl, 8, a, b, d)
            }
            Three::Bit => {
                let d = self.vreg(rd);
                self.vter(T::Bsl, 8, a, d, b)
            }
            Three::Bif => {
                let d = self.vreg(rd);
                self.vter(T::Bsl, 8, d, a, b)
            }
            Three::Pair(op) => {
                if q == 0 {
                    let t = self.vbin(B::Zip1, 64, a, b);
                    self.vbin(op, es, t, t)
                } else {
                    self.vbin(op, es, a, b)
                }
            }
        };
        self.set_vreg_q(q, rd, r);
    }
}

impl SimdThreeSame for Translator {
    fn three_same(&mut self, q: u32, u: u32, size: u32, rm: u32, opcode: u32, rn: u32, rd: u32) {
        if opcode >= 0b11000 {
            // FP: size<0> is sz; 2D needs Q=1.
            let sz = size & 1;
            if sz == 1 && q == 0 {
                return self.undefined();
            }
            return match fp_three(u, opcode, size >> 1) {
                Some(w) => self.three(q, w, 32 << sz, rd, rn, rm),
                None => self.undefined(),
            };
        }
        if opcode == 0b10111 && u == 0 {
            // ADDP (vector)
            if size == 3 && q == 0 {
                return self.undefined();
            }
            return self.three(q, Three::Pair(B::AddPairwise), es_of(size), rd, rn, rm);
        }
        if size == 3 && q == 0 && opcode != 0b00011 {
            return self.undefined();
        }
        match int_three(u, opcode, size) {
            Some(w) => {
                let es = if opcode == 0b00011 { 8 } else { es_of(size) };
                self.three(q, w, es, rd, rn, rm)
            }
            None => self.undefined(),
        }
    }

    fn three_different(&mut self, q: u32, u: u32, size: u32, rm: u32, opcode: u32, rn: u32, rd: u32) {
        if size == 3 {
            return self.undefined();
        }
        let es = es_of(size);
        let hi = q == 1;
        let s = u == 0;
        let pick = |lo_u: B, hi_u: B, lo_s: B, hi_s: B| match (s, hi) {
            (false, false) => lo_u,
            (false, true) => hi_u,
            (true, false) => lo_s,
            (true, true) => hi_s,
        };
        let (a, b) = (self.vreg(rn), self.vreg(rm));
        let r = match opcode {
            0b0000 => self.vbin(pick(B::UAddlLow, B::UAddlHigh, B::SAddlLow, B::SAddlHigh), es, a, b),
            0b0001 => self.vbin(pick(B::UAddwLow, B::UAddwHigh, B::SAddwLow, B::SAddwHigh), es, a, b),
            0b0010 => self.vbin(pick(B::USublLow, B::USublHigh, B::SSublLow, B::SSublHigh), es, a, b),
            0b0011 => self.vbin(pick(B::USubwLow, B::USubwHigh, B::SSubwLow, B::SSubwHigh), es, a, b),
            0b0111 => self.vbin(pick(B::UAbdlLow, B::UAbdlHigh, B::SAbdlLow, B::SAbdlHigh), es, a, b),
            0b1100 => self.vbin(pick(B::UMullLow, B::UMullHigh, B::SMullLow, B::SMullHigh), es, a, b),
            // ADDHN/RADDHN/SUBHN/RSUBHN: the (rounded) high half of each 2*es-bit sum or
            // difference, narrowed into the low half (the "2" forms fill the high half).
            0b0100 | 0b0110 => {
                let wide = if opcode == 0b0100 { B::Add } else { B::Sub };
                let sum = self.vbin(wide, es * 2, a, b);
                let narrow = if u == 0 { VecImmOp::ShrNarrow } else { VecImmOp::RShrNarrow };
                let r = self.vimm(narrow, es * 2, sum, es as u32);
                return self.write_narrow(q, rd, r);
            }
            0b0101 | 0b1000 | 0b1010 => {
                let d = self.vreg(rd);
                let op = match opcode {
                    0b0101 => pick(B::UAbdlLow, B::UAbdlHigh, B::SAbdlLow, B::SAbdlHigh),
                    _ => pick(B::UMullLow, B::UMullHigh, B::SMullLow, B::SMullHigh),
                };
                let p = self.vbin(op, es, a, b);
                let acc = if opcode == 0b1010 { B::Sub } else { B::Add };
                self.vbin(acc, es * 2, d, p)
            }
            _ => return self.undefined(),
        };
        self.set_vreg(rd, r);
    }

    fn scalar_three_same(&mut self, u: u32, size: u32, rm: u32, opcode: u32, rn: u32, rd: u32) {
        // Only the 64-bit integer forms used by compiled code: ADD/SUB, compares, USHL/SSHL.
        let op = match (u, opcode) {
            (0, 0b10000) => B::Add,
            (1, 0b10000) => B::Sub,
            (0, 0b00110) => B::CmpGt,
            (1, 0b00110) => B::CmpHi,
            (0, 0b00111) => B::CmpGe,
            (1, 0b00111) => B::CmpHs,
            (0, 0b10001) => B::CmpTst,
            (1, 0b10001) => B::CmpEq,
            (0, 0b01000) => B::SShl,
            (1, 0b01000) => B::UShl,
            _ => return self.undefined(),
        };
        if size != 3 {
            return self.undefined();
        }
        let (a, b) = (self.vreg(rn), self.vreg(rm));
        let r = self.vbin(op, 64, a, b);
        self.set_scalar_lane0(rd, 64, r);
    }

    #[allow(clippy::too_many_arguments)]
    fn vec_indexed(
        &mut self,
        q: u32,
        u: u32,
        size: u32,
        l: u32,
        m: u32,
        rm: u32,
        opcode: u32,
        h: u32,
        rn: u32,
        rd: u32,
    ) {
        // MUL/MLA/MLS (integer, H and S) and FMUL/FMLA/FMLS (S and D) by element.
        let fp = matches!(opcode, 0b0001 | 0b0101 | 0b1001);
        let (es, idx, reg) = if fp {
            match (size, l) {
                (2, _) => (32, h << 1 | l, m << 4 | rm),
                (3, 0) if q == 1 => (64, h, m << 4 | rm),
                _ => return self.undefined(),
            }
        } else {
            match size {
                1 => (16, h << 2 | l << 1 | m, rm),
                2 => (32, h << 1 | l, m << 4 | rm),
                _ => return self.undefined(),
            }
        };
        let which = match (u, opcode) {
            (0, 0b1000) => Three::Bin(B::Mul),
            (1, 0b0000) => Three::Acc(T::Mla),
            (1, 0b0100) => Three::Acc(T::Mls),
            (0, 0b1001) => Three::Bin(B::FMul),
            (0, 0b0001) => Three::Acc(T::FMla),
            (0, 0b0101) => Three::Acc(T::FMls),
            _ => return self.undefined(),
        };
        let v = self.vreg(reg);
        let dup = self.vimm(VecImmOp::DupLane, es, v, idx);
        let a = self.vreg(rn);
        let r = match which {
            Three::Bin(op) => self.vbin(op, es, a, dup),
            Three::Acc(op) => {
                let d = self.vreg(rd);
                self.vter(op, es, d, a, dup)
            }
            _ => return self.undefined(),
        };
        self.set_vreg_q(q, rd, r);
    }
}
