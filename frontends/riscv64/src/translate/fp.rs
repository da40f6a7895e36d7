//! Helpers shared by the F and D extensions (and the C extension's FP loads and stores): FP
//! register access with NaN-boxing, the rounding-mode field, and one helper per instruction
//! shape, parameterised by the FP type (F32 for F, F64 for D).
//!
//! fN lives in `CpuState::v[N][0]`. A single-precision value is NaN-boxed on write (upper 32 bits
//! all ones); an operation reading a single-precision operand that is not properly boxed sees the
//! canonical NaN, as the manual's "NaN Boxing of Narrower Values" requires. Loads, stores and
//! FMV moves copy bits and never check the box.

use super::Translator;
use emu_core::cpu::off;
use emu_core::ir::{Cmp, FpBinOp, FpCmpCc, FpTerOp, FpUnOp, Op, Rm, Ty, Val};

/// Canonical single-precision NaN.
const CANONICAL_NAN_S: u64 = 0x7fc0_0000;
/// The NaN box: upper 32 bits of a single-precision value in a 64-bit register.
const BOX: u64 = 0xffff_ffff_0000_0000;

impl Translator {
    /// The instruction's rounding mode, or None (the caller raises SIGILL) for reserved 5 and 6.
    pub(crate) fn rm(rm: u32) -> Option<Rm> {
        Some(match rm {
            0 => Rm::Rne,
            1 => Rm::Rtz,
            2 => Rm::Rdn,
            3 => Rm::Rup,
            4 => Rm::Rmm,
            7 => Rm::Dyn,
            _ => return None,
        })
    }

    /// Read fN as `ty` (F32 unboxes, F64 reads the whole register).
    pub(crate) fn f(&mut self, ty: Ty, n: u32) -> Val {
        let o = off::v(n as usize);
        if ty == Ty::F64 {
            return self.b.get(Ty::F64, o);
        }
        let hi = self.b.get(Ty::I32, o + 4);
        let lo = self.b.get(Ty::I32, o);
        let ones = self.c32(u32::MAX);
        let boxed = self.b.icmp(Cmp::Eq, hi, ones);
        let nan = self.c32(CANONICAL_NAN_S as u32);
        let bits = self.b.select(Ty::I32, boxed, lo, nan);
        self.op(Ty::F32, Op::Bitcast { a: bits })
    }

    /// Write fN from an F32 (NaN-boxed), F64, I32 bit pattern (NaN-boxed) or I64 bit pattern.
    pub(crate) fn set_f(&mut self, n: u32, v: Val) {
        let v = match self.b.ty(v) {
            Ty::F32 => {
                let bits = self.op(Ty::I32, Op::Bitcast { a: v });
                self.nan_box(bits)
            }
            Ty::I32 => self.nan_box(v),
            _ => v,
        };
        self.b.set(off::v(n as usize), v);
    }

    fn nan_box(&mut self, bits: Val) -> Val {
        let wide = self.b.zext(Ty::I64, bits);
        let ones = self.c64(BOX);
        self.b.or(Ty::I64, wide, ones)
    }

    /// FLW / FLD.
    pub(crate) fn fload(&mut self, ty: Ty, rd: u32, rs1: u32, imm: i64) {
        let a = self.addr(rs1, imm);
        if ty == Ty::F32 {
            let v = self.b.load(Ty::I32, a, 4, false);
            self.set_f(rd, v);
        } else {
            let v = self.b.load(Ty::I64, a, 8, false);
            self.set_f(rd, v);
        }
    }

    /// FSW / FSD: the register's low bits, boxed or not.
    pub(crate) fn fstore(&mut self, ty: Ty, rs1: u32, rs2: u32, imm: i64) {
        let a = self.addr(rs1, imm);
        let (ity, size) = if ty == Ty::F32 { (Ty::I32, 4) } else { (Ty::I64, 8) };
        let v = self.b.get(ity, off::v(rs2 as usize));
        self.b.store(a, v, size);
    }

    /// rd = op(rs1, rs2) rounded by `rm` (FADD, FSUB, FMUL, FDIV).
    pub(crate) fn fbin(&mut self, ty: Ty, op: FpBinOp, rd: u32, rs1: u32, rs2: u32, rm: u32) {
        let Some(rm) = Self::rm(rm) else { return self.undefined() };
        self.fbin_rm(ty, op, rd, rs1, rs2, rm);
    }

    /// rd = op(rs1, rs2) for ops that do not round (sign injection, min/max).
    pub(crate) fn fbin_rm(&mut self, ty: Ty, op: FpBinOp, rd: u32, rs1: u32, rs2: u32, rm: Rm) {
        let (a, b) = (self.f(ty, rs1), self.f(ty, rs2));
        let r = self.op(ty, Op::FBinary { op, a, b, rm });
        self.set_f(rd, r);
    }

    /// FSQRT.
    pub(crate) fn fsqrt(&mut self, ty: Ty, rd: u32, rs1: u32, rm: u32) {
        let Some(rm) = Self::rm(rm) else { return self.undefined() };
        let a = self.f(ty, rs1);
        let r = self.op(ty, Op::FUnary { op: FpUnOp::Sqrt, a, rm });
        self.set_f(rd, r);
    }

    /// FMADD family: rd = (±rs1 * rs2) ± rs3 with one rounding. `neg_prod` negates the
    /// product (FNMSUB, FNMADD), `neg_add` the addend (FMSUB, FNMADD).
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn fma(
        &mut self,
        ty: Ty,
        neg_prod: bool,
        neg_add: bool,
        rd: u32,
        rs1: u32,
        rs2: u32,
        rs3: u32,
        rm: u32,
    ) {
        let Some(rm) = Self::rm(rm) else { return self.undefined() };
        let (mut a, b, mut c) = (self.f(ty, rs1), self.f(ty, rs2), self.f(ty, rs3));
        if neg_prod {
            a = self.op(ty, Op::FUnary { op: FpUnOp::Neg, a, rm: Rm::Rne });
        }
        if neg_add {
            c = self.op(ty, Op::FUnary { op: FpUnOp::Neg, a: c, rm: Rm::Rne });
        }
        let r = self.op(ty, Op::FTernary { op: FpTerOp::MulAdd, a, b, c, rm });
        self.set_f(rd, r);
    }

    /// FCVT.{W,WU,L,LU}.{S,D}: rd = rs1 converted to an `ity` integer (I32 results are
    /// sign-extended, also for the unsigned forms, as the manual specifies for RV64).
    pub(crate) fn f2i(&mut self, ty: Ty, ity: Ty, signed: bool, rd: u32, rs1: u32, rm: u32) {
        let Some(rm) = Self::rm(rm) else { return self.undefined() };
        let a = self.f(ty, rs1);
        let r = self.op(ity, Op::FToInt { a, signed, fbits: 0, rm });
        self.set_x(rd, r);
    }

    /// FCVT.{S,D}.{W,WU,L,LU}: rd = integer rs1 (low 32 bits for I32) converted to `ty`.
    pub(crate) fn i2f(&mut self, ty: Ty, ity: Ty, signed: bool, rd: u32, rs1: u32, rm: u32) {
        let Some(rm) = Self::rm(rm) else { return self.undefined() };
        let a = if ity == Ty::I32 { self.xw(rs1) } else { self.x(rs1) };
        let r = self.op(ty, Op::IntToF { a, signed, fbits: 0, rm });
        self.set_f(rd, r);
    }

    /// FCVT.S.D / FCVT.D.S: rd (`ty`) = rs1 (`from`).
    pub(crate) fn fcvt_ff(&mut self, ty: Ty, from: Ty, rd: u32, rs1: u32, rm: u32) {
        let Some(rm) = Self::rm(rm) else { return self.undefined() };
        let a = self.f(from, rs1);
        let r = self.op(ty, Op::FUnary { op: FpUnOp::Convert, a, rm });
        self.set_f(rd, r);
    }

    /// FEQ / FLT / FLE: rd = 1 if the comparison holds, 0 otherwise (also when unordered).
    pub(crate) fn fcmp(&mut self, ty: Ty, cc: FpCmpCc, rd: u32, rs1: u32, rs2: u32) {
        let (a, b) = (self.f(ty, rs1), self.f(ty, rs2));
        let r = self.op(Ty::I1, Op::FCmpBool { cc, a, b });
        self.set_x(rd, r);
    }

    /// FCLASS: rd = the 10-bit class mask.
    pub(crate) fn fclass(&mut self, ty: Ty, rd: u32, rs1: u32) {
        let a = self.f(ty, rs1);
        let r = self.op(Ty::I64, Op::FUnary { op: FpUnOp::Class, a, rm: Rm::Rne });
        self.set_x(rd, r);
    }

    /// FMV.X.W / FMV.X.D: the raw bits of fN (W sign-extended from bit 31).
    pub(crate) fn fmv_x_f(&mut self, ity: Ty, rd: u32, rs1: u32) {
        let v = self.b.get(ity, off::v(rs1 as usize));
        self.set_x(rd, v);
    }

    /// FMV.W.X / FMV.D.X: the raw bits of xN (W NaN-boxed).
    pub(crate) fn fmv_f_x(&mut self, ity: Ty, rd: u32, rs1: u32) {
        let v = if ity == Ty::I32 { self.xw(rs1) } else { self.x(rs1) };
        self.set_f(rd, v);
    }
}
