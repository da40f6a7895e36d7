//! Arm ARM C4.1.96.31-37: scalar floating-point data processing — FMOV (register, immediate),
//! FABS/FNEG/FSQRT/FCVT/FRINT*, two- and three-source arithmetic, FCMP/FCMPE, FCCMP/FCCMPE
//! and FCSEL — in single and double precision. The conversion classes are in `fp_convert.rs`.
//! Results are written as scalars, zeroing the rest of the vector register.

use super::simd_copy::vfp_expand;
use super::simd_helpers::ftype_ty;
use super::Translator;
use crate::decoder::FpScalar;
use emu_core::ir::{FpBinOp, FpTerOp, FpUnOp, Op, Rm, Ty, Val};

impl Translator {
    pub(super) fn fun(&mut self, ty: Ty, op: FpUnOp, a: Val, rm: Rm) -> Val {
        self.op(ty, Op::FUnary { op, a, rm })
    }

    pub(super) fn fbin(&mut self, ty: Ty, op: FpBinOp, a: Val, b: Val) -> Val {
        self.op(ty, Op::FBinary { op, a, b, rm: Rm::Dyn })
    }
}

impl FpScalar for Translator {
    fn fcvt_fixed(&mut self, sf: u32, ftype: u32, rmode: u32, opcode: u32, scale: u32, rn: u32, rd: u32) {
        self.fp_fixed_convert(sf, ftype, rmode, opcode, scale, rn, rd);
    }

    fn fcvt_int(&mut self, sf: u32, ftype: u32, rmode: u32, opcode: u32, rn: u32, rd: u32) {
        self.fp_int_convert(sf, ftype, rmode, opcode, rn, rd);
    }

    fn fp_dp1(&mut self, ftype: u32, opcode: u32, rn: u32, rd: u32) {
        let Some(ty) = ftype_ty(ftype) else { return self.undefined() };
        let a = self.freg(ty, rn);
        let r = match opcode {
            0b000000 => a,
            0b000001 => self.fun(ty, FpUnOp::Abs, a, Rm::Dyn),
            0b000010 => self.fun(ty, FpUnOp::Neg, a, Rm::Dyn),
            0b000011 => self.fun(ty, FpUnOp::Sqrt, a, Rm::Dyn),
            // FCVT: opc (bits 1:0) is the destination type; same-type and half are SIGILL.
            0b000100 | 0b000101 => {
                let Some(dty) = ftype_ty(opcode & 3) else { return self.undefined() };
                if dty == ty {
                    return self.undefined();
                }
                self.fun(dty, FpUnOp::Convert, a, Rm::Dyn)
            }
            0b001000..=0b001111 => {
                let (op, rm) = match opcode & 7 {
                    0 => (FpUnOp::RoundInt, Rm::Rne),
                    1 => (FpUnOp::RoundInt, Rm::Rup),
                    2 => (FpUnOp::RoundInt, Rm::Rdn),
                    3 => (FpUnOp::RoundInt, Rm::Rtz),
                    4 => (FpUnOp::RoundInt, Rm::Rmm),
                    6 => (FpUnOp::RoundIntExact, Rm::Dyn),
                    7 => (FpUnOp::RoundInt, Rm::Dyn),
                    _ => return self.undefined(),
                };
                self.fun(ty, op, a, rm)
            }
            _ => return self.undefined(),
        };
        self.set_scalar(rd, r);
    }

    fn fp_compare(&mut self, ftype: u32, rm: u32, rn: u32, opc: u32) {
        let Some(ty) = ftype_ty(ftype) else { return self.undefined() };
        let a = self.freg(ty, rn);
        // The zero forms compare with +0.0; their Rm field is ignored.
        let b = if opc & 1 == 1 { self.cty(ty, 0) } else { self.freg(ty, rm) };
        let f = self.op(Ty::I32, Op::FCmp { a, b, signaling: opc & 2 != 0 });
        self.set_nzcv(f);
    }

    fn fmov_imm(&mut self, ftype: u32, imm8: u32, rd: u32) {
        let Some(ty) = ftype_ty(ftype) else { return self.undefined() };
        let bits = vfp_expand(imm8 as u64, ty.bits());
        let c = self.cty(ty, bits);
        self.set_scalar(rd, c);
    }

    fn fp_ccmp(&mut self, ftype: u32, rm: u32, cond: u32, rn: u32, op: u32, nzcv: u32) {
        let Some(ty) = ftype_ty(ftype) else { return self.undefined() };
        let (a, b) = (self.freg(ty, rn), self.freg(ty, rm));
        let flags = self.nzcv();
        let holds = self.op(Ty::I1, Op::CondHolds { cond: cond as u8, nzcv: flags });
        // The compare only happens (and only raises exceptions) when the condition holds, but
        // the IR has no conditional side effects inside a block; computing it always differs
        // only in FPSR flags for NaN operands of a skipped compare.
        let cmp = self.op(Ty::I32, Op::FCmp { a, b, signaling: op == 1 });
        let imm = self.c32(nzcv << 28);
        let r = self.b.select(Ty::I32, holds, cmp, imm);
        self.set_nzcv(r);
    }

    fn fp_dp2(&mut self, ftype: u32, rm: u32, opcode: u32, rn: u32, rd: u32) {
        let Some(ty) = ftype_ty(ftype) else { return self.undefined() };
        let (a, b) = (self.freg(ty, rn), self.freg(ty, rm));
        let op = match opcode {
            0b0000 | 0b1000 => FpBinOp::Mul,
            0b0001 => FpBinOp::Div,
            0b0010 => FpBinOp::Add,
            0b0011 => FpBinOp::Sub,
            0b0100 => FpBinOp::Max,
            0b0101 => FpBinOp::Min,
            0b0110 => FpBinOp::MaxNum,
            0b0111 => FpBinOp::MinNum,
            _ => return self.undefined(),
        };
        let mut r = self.fbin(ty, op, a, b);
        if opcode == 0b1000 {
            r = self.fun(ty, FpUnOp::Neg, r, Rm::Dyn); // FNMUL negates the rounded product
        }
        self.set_scalar(rd, r);
    }

    fn fcsel(&mut self, ftype: u32, rm: u32, cond: u32, rn: u32, rd: u32) {
        let Some(ty) = ftype_ty(ftype) else { return self.undefined() };
        let (a, b) = (self.freg(ty, rn), self.freg(ty, rm));
        let flags = self.nzcv();
        let holds = self.op(Ty::I1, Op::CondHolds { cond: cond as u8, nzcv: flags });
        let r = self.b.select(ty, holds, a, b);
        self.set_scalar(rd, r);
    }

    #[allow(clippy::too_many_arguments)]
    fn fp_dp3(&mut self, ftype: u32, o1: u32, rm: u32, o0: u32, ra: u32, rn: u32, rd: u32) {
        let Some(ty) = ftype_ty(ftype) else { return self.undefined() };
        let (mut n, m, mut acc) = (self.freg(ty, rn), self.freg(ty, rm), self.freg(ty, ra));
        // FMADD: a + n*m; FMSUB: a - n*m; FNMADD: -a - n*m; FNMSUB: -a + n*m. The negations
        // are applied to the operands before the single fused rounding, as the manual does.
        if o1 != o0 {
            n = self.fun(ty, FpUnOp::Neg, n, Rm::Dyn);
        }
        if o1 == 1 {
            acc = self.fun(ty, FpUnOp::Neg, acc, Rm::Dyn);
        }
        let r = self.op(ty, Op::FTernary { op: FpTerOp::MulAdd, a: n, b: m, c: acc, rm: Rm::Dyn });
        self.set_scalar(rd, r);
    }
}
