//! Arm ARM C4.1.96.29/30: conversions between floating-point and integer or fixed-point
//! (SCVTF, UCVTF, FCVT{N,P,M,Z,A}{S,U}) and the FMOV moves between general and FP registers,
//! including the top-half `FMOV Xd, Vn.D[1]` / `FMOV Vd.D[1], Xn` forms.

use super::simd_helpers::ftype_ty;
use super::Translator;
use emu_core::ir::{Op, Rm, Ty};

/// Rounding of FCVT{N,P,M,Z}: the rmode field.
fn rmode_rm(rmode: u32) -> Rm {
    [Rm::Rne, Rm::Rup, Rm::Rdn, Rm::Rtz][rmode as usize & 3]
}

impl Translator {
    #[allow(clippy::too_many_arguments)]
    pub(super) fn fp_fixed_convert(
        &mut self,
        sf: u32,
        ftype: u32,
        rmode: u32,
        opcode: u32,
        scale: u32,
        rn: u32,
        rd: u32,
    ) {
        let Some(fty) = ftype_ty(ftype) else { return self.undefined() };
        if sf == 0 && scale < 32 {
            return self.undefined();
        }
        let fbits = (64 - scale) as u8;
        let ity = Self::ity(sf);
        match (rmode, opcode) {
            (0b00, 0b010 | 0b011) => {
                let a = self.xr(ity, rn);
                let r = self.op(fty, Op::IntToF { a, signed: opcode == 0b010, fbits, rm: Rm::Dyn });
                self.set_scalar(rd, r);
            }
            (0b11, 0b000 | 0b001) => {
                let a = self.freg(fty, rn);
                let r = self.op(ity, Op::FToInt { a, signed: opcode == 0b000, fbits, rm: Rm::Rtz });
                self.set_xr(rd, r);
            }
            _ => self.undefined(),
        }
    }

    pub(super) fn fp_int_convert(&mut self, sf: u32, ftype: u32, rmode: u32, opcode: u32, rn: u32, rd: u32) {
        let ity = Self::ity(sf);
        // FMOV to / from the top half of a 128-bit register: sf=1, ftype=10, rmode=01.
        if sf == 1 && ftype == 0b10 && rmode == 0b01 {
            match opcode {
                0b110 => {
                    let v = self.vreg(rn);
                    let x = self.op(Ty::I64, Op::VExtract { a: v, es: 64, idx: 1 });
                    self.set_xr(rd, x);
                }
                0b111 => {
                    let x = self.xr(Ty::I64, rn);
                    let v = self.vreg(rd);
                    let r = self.op(Ty::V128, Op::VInsert { a: v, b: x, es: 64, idx: 1 });
                    self.set_vreg(rd, r);
                }
                _ => self.undefined(),
            }
            return;
        }
        let Some(fty) = ftype_ty(ftype) else { return self.undefined() };
        match (rmode, opcode) {
            (_, 0b000 | 0b001) => {
                let a = self.freg(fty, rn);
                let r = self.op(ity, Op::FToInt { a, signed: opcode == 0, fbits: 0, rm: rmode_rm(rmode) });
                self.set_xr(rd, r);
            }
            (0b00, 0b100 | 0b101) => {
                let a = self.freg(fty, rn);
                let r = self.op(ity, Op::FToInt { a, signed: opcode == 0b100, fbits: 0, rm: Rm::Rmm });
                self.set_xr(rd, r);
            }
            (0b00, 0b010 | 0b011) => {
                let a = self.xr(ity, rn);
                let r = self.op(fty, Op::IntToF { a, signed: opcode == 0b010, fbits: 0, rm: Rm::Dyn });
                self.set_scalar(rd, r);
            }
            // FMOV between same-width general and FP registers (W<->S, X<->D).
            (0b00, 0b110) if ity.bits() == fty.bits() => {
                let x = self.freg(ity, rn);
                self.set_xr(rd, x);
            }
            (0b00, 0b111) if ity.bits() == fty.bits() => {
                let x = self.xr(ity, rn);
                self.set_scalar(rd, x);
            }
            _ => self.undefined(),
        }
    }
}
