//! Arm ARM C4.1.96.18/8/24/25/15: AdvSIMD copy (DUP, INS, UMOV, SMOV), scalar copy, modified
//! immediate (MOVI, MVNI, ORR, BIC, FMOV vector immediate) and shift by immediate, vector and
//! scalar. Saturating shifts are not implemented (SIGILL).

use super::simd_helpers::ety;
use super::Translator;
use crate::decoder::SimdCopy;
use emu_core::ir::{Op, Ty, VecBinOp as B, VecImm2Op as I2, VecImmOp as I, VecUnOp as U};

/// Element size and index from a copy-class `imm5` (lowest set bit gives the size).
fn imm5_lane(imm5: u32) -> Option<(u8, u8)> {
    let size = (imm5 & 0xf).trailing_zeros();
    if size > 3 {
        return None;
    }
    Some((8 << size, (imm5 >> (size + 1)) as u8))
}

/// Replicate the low `es` bits of `x` over 64 bits.
fn repl(x: u64, es: u32) -> u64 {
    let mut r = 0;
    for i in 0..64 / es {
        r |= x << (i * es);
    }
    r
}

/// AdvSIMDExpandImm for `op`, `cmode`, imm8 (the 64-bit pattern, replicated to both halves);
/// None for the FP16 and reserved forms.
pub fn expand_imm(op: u32, cmode: u32, imm8: u64) -> Option<u64> {
    Some(match cmode >> 1 {
        0..=3 => repl(imm8 << (8 * (cmode >> 1)), 32),
        4 | 5 => repl(imm8 << (8 * (cmode >> 1 & 1)), 16),
        6 => {
            let ones = if cmode & 1 == 0 { 0xff } else { 0xffff };
            repl(imm8 << (8 * (1 + (cmode & 1))) | ones, 32)
        }
        _ => match (cmode & 1, op) {
            (0, 0) => repl(imm8, 8),
            (0, _) => (0..8).fold(0, |r, i| if imm8 >> i & 1 != 0 { r | 0xff << (8 * i) } else { r }),
            (_, 0) => repl(vfp_expand(imm8, 32), 32),
            (_, _) => vfp_expand(imm8, 64),
        },
    })
}

/// VFPExpandImm: the 8-bit FP immediate a:b:cd:efgh -> single or double bits.
pub fn vfp_expand(imm8: u64, bits: u32) -> u64 {
    let a = imm8 >> 7 & 1;
    let b = imm8 >> 6 & 1;
    let cdefgh = imm8 & 0x3f;
    if bits == 32 {
        let exp = (!b & 1) << 7 | (if b != 0 { 0x1f } else { 0 }) << 2 | (cdefgh >> 4);
        a << 31 | exp << 23 | (cdefgh & 0xf) << 19
    } else {
        let exp = (!b & 1) << 10 | (if b != 0 { 0xff } else { 0 }) << 2 | (cdefgh >> 4);
        a << 63 | exp << 52 | (cdefgh & 0xf) << 48
    }
}

/// Element size for a shift-by-immediate `immh` (highest set bit), or None for 0000.
fn immh_es(immh: u32) -> Option<u32> {
    (immh != 0).then(|| 8 << (31 - immh.leading_zeros()))
}

impl SimdCopy for Translator {
    fn simd_copy(&mut self, q: u32, op: u32, imm5: u32, imm4: u32, rn: u32, rd: u32) {
        let Some((es, idx)) = imm5_lane(imm5) else { return self.undefined() };
        match (op, imm4) {
            (0, 0b0000) if !(es == 64 && q == 0) => {
                let v = self.vreg(rn);
                let r = self.vimm(I::DupLane, es, v, idx as u32);
                self.set_vreg_q(q, rd, r)
            }
            (0, 0b0001) if !(es == 64 && q == 0) => {
                let x = self.xr(ety(es), rn);
                let r = self.op(Ty::V128, Op::VDup { a: x, es });
                self.set_vreg_q(q, rd, r)
            }
            (0, 0b0101) if es < 32 || (es == 32 && q == 1) => {
                let v = self.vreg(rn);
                let ty = if q == 1 { Ty::I64 } else { Ty::I32 };
                let x = self.op(Ty::I64, Op::VExtract { a: v, es, idx });
                let x = self.op(Ty::I64, Op::SExtract { a: x, lsb: 0, width: es });
                let x = if ty == Ty::I32 { self.b.trunc(Ty::I32, x) } else { x };
                self.set_xr(rd, x)
            }
            (0, 0b0111) if (q == 0 && es < 64) || (q == 1 && es == 64) => {
                let v = self.vreg(rn);
                let x = self.op(ety(es), Op::VExtract { a: v, es, idx });
                self.set_xr(rd, x)
            }
            (0, 0b0011) if q == 1 => {
                let x = self.xr(ety(es), rn);
                let d = self.vreg(rd);
                let r = self.op(Ty::V128, Op::VInsert { a: d, b: x, es, idx });
                self.set_vreg(rd, r)
            }
            (1, _) if q == 1 => {
                let src = (imm4 >> (es.trailing_zeros() - 3)) as u8;
                let v = self.vreg(rn);
                let x = self.op(ety(es), Op::VExtract { a: v, es, idx: src });
                let d = self.vreg(rd);
                let r = self.op(Ty::V128, Op::VInsert { a: d, b: x, es, idx });
                self.set_vreg(rd, r)
            }
            _ => self.undefined(),
        }
    }

    fn scalar_copy(&mut self, op: u32, imm5: u32, imm4: u32, rn: u32, rd: u32) {
        let Some((es, idx)) = imm5_lane(imm5) else { return self.undefined() };
        if op != 0 || imm4 != 0 {
            return self.undefined();
        }
        let v = self.vreg(rn);
        let x = self.op(ety(es), Op::VExtract { a: v, es, idx });
        self.set_scalar(rd, x);
    }

    #[allow(clippy::too_many_arguments)]
    fn modified_imm(&mut self, q: u32, op: u32, abc: u32, cmode: u32, o2: u32, defgh: u32, rd: u32) {
        let imm8 = (abc << 5 | defgh) as u64;
        if o2 != 0 || (cmode == 0b1111 && op == 1 && q == 0) {
            return self.undefined();
        }
        let Some(imm) = expand_imm(op, cmode, imm8) else { return self.undefined() };
        // ORR / BIC (immediate) are the odd cmodes below 12; MVNI is op=1 with the other cmodes
        // below 14; everything else is a plain move of the expanded pattern.
        let orr_bic = cmode < 12 && cmode & 1 == 1;
        let r = if orr_bic {
            let c = self.vconst(imm, imm);
            let d = self.vreg(rd);
            self.vbin(if op == 0 { B::Or } else { B::AndNot }, 8, d, c)
        } else if op == 1 && cmode < 14 {
            self.vconst(!imm, !imm)
        } else {
            self.vconst(imm, imm)
        };
        self.set_vreg_q(q, rd, r);
    }

    fn shift_imm(&mut self, q: u32, u: u32, immh: u32, immb: u32, opcode: u32, rn: u32, rd: u32) {
        let Some(es) = immh_es(immh) else { return self.undefined() };
        let ihb = immh << 3 | immb;
        let (shr, shl) = (2 * es - ihb, ihb - es);
        let a = self.vreg(rn);
        let e = es as u8;
        let narrow_or_long = matches!(opcode, 0b10000 | 0b10001 | 0b10100);
        if es == 64 && (narrow_or_long || q == 0) {
            return self.undefined();
        }
        let r = match (u, opcode) {
            (0, 0b00000) => self.vimm(I::SShr, e, a, shr),
            (1, 0b00000) => self.vimm(I::UShr, e, a, shr),
            (0, 0b00100) => self.vimm(I::SRShr, e, a, shr),
            (1, 0b00100) => self.vimm(I::URShr, e, a, shr),
            (0, 0b01010) => self.vimm(I::Shl, e, a, shl),
            (_, 0b00010 | 0b00110 | 0b01000) | (1, 0b01010) => {
                let op = match (u, opcode) {
                    (0, 0b00010) => I2::Ssra,
                    (1, 0b00010) => I2::Usra,
                    (0, 0b00110) => I2::Srsra,
                    (1, 0b00110) => I2::Ursra,
                    (1, 0b01000) => I2::Sri,
                    (1, 0b01010) => I2::Sli,
                    _ => return self.undefined(),
                };
                let d = self.vreg(rd);
                self.vimm2(op, e, d, a, if op == I2::Sli { shl } else { shr })
            }
            (0, 0b10000 | 0b10001) => {
                let op = if opcode == 0b10000 { I::ShrNarrow } else { I::RShrNarrow };
                let r = self.vimm(op, e * 2, a, shr);
                return self.write_narrow(q, rd, r);
            }
            (_, 0b10100) => {
                let op = match (u, q) {
                    (0, 0) => I::SShllLow,
                    (0, _) => I::SShllHigh,
                    (_, 0) => I::UShllLow,
                    _ => I::UShllHigh,
                };
                let r = self.vimm(op, e, a, shl);
                return self.set_vreg(rd, r);
            }
            (_, 0b11100 | 0b11111) if es >= 32 => {
                let op = match (u, opcode) {
                    (0, 0b11100) => I::SCvtFFixed,
                    (1, 0b11100) => I::UCvtFFixed,
                    (0, _) => I::FCvtZSFixed,
                    _ => I::FCvtZUFixed,
                };
                self.vimm(op, e, a, shr)
            }
            _ => return self.undefined(),
        };
        self.set_vreg_q(q, rd, r);
    }

    fn scalar_shift_imm(&mut self, u: u32, immh: u32, immb: u32, opcode: u32, rn: u32, rd: u32) {
        let Some(es) = immh_es(immh) else { return self.undefined() };
        let ihb = immh << 3 | immb;
        let (shr, shl) = (2 * es - ihb, ihb - es);
        let a = self.vreg(rn);
        let r = match (u, opcode, es) {
            (0, 0b00000, 64) => self.vimm(I::SShr, 64, a, shr),
            (1, 0b00000, 64) => self.vimm(I::UShr, 64, a, shr),
            (0, 0b00100, 64) => self.vimm(I::SRShr, 64, a, shr),
            (1, 0b00100, 64) => self.vimm(I::URShr, 64, a, shr),
            (0, 0b01010, 64) => self.vimm(I::Shl, 64, a, shl),
            (_, 0b00010 | 0b00110, 64) | (1, 0b01000 | 0b01010, 64) => {
                let op = match (u, opcode) {
                    (0, 0b00010) => I2::Ssra,
                    (1, 0b00010) => I2::Usra,
                    (0, 0b00110) => I2::Srsra,
                    (1, 0b00110) => I2::Ursra,
                    (1, 0b01000) => I2::Sri,
                    _ => I2::Sli,
                };
                let d = self.vreg(rd);
                self.vimm2(op, 64, d, a, if op == I2::Sli { shl } else { shr })
            }
            (_, 0b11100 | 0b11111, 32 | 64) => {
                let op = match (u, opcode) {
                    (0, 0b11100) => I::SCvtFFixed,
                    (1, 0b11100) => I::UCvtFFixed,
                    (0, _) => I::FCvtZSFixed,
                    _ => I::FCvtZUFixed,
                };
                self.vimm(op, es as u8, a, shr)
            }
            _ => return self.undefined(),
        };
        let r = if es == 64 { r } else { self.vun(U::ZeroHigh, 64, r) };
        self.set_scalar_lane0(rd, es as u8, r);
    }
}
