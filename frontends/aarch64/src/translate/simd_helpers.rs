//! Helpers shared by the AdvSIMD and scalar FP translation families: element sizes, vector and
//! FP register access, D-form (Q=0) top-half clearing, and the vector-op shorthands the family
//! files build on. Register-file layout: Vn is `CpuState::v[n]`; a scalar write (B/H/S/D) zeroes
//! every bit above the element, which is why scalar results go through [`Translator::set_scalar`].

use super::Translator;
use emu_core::cpu::off;
use emu_core::ir::{Op, Ty, Val, VecBinOp, VecImm2Op, VecImmOp, VecTerOp, VecUnOp};

/// Element size in bits for a 2-bit `size` field.
pub fn es_of(size: u32) -> u8 {
    8 << (size & 3)
}

/// Scalar integer type able to hold an `es`-bit element.
pub fn ety(es: u8) -> Ty {
    if es == 64 {
        Ty::I64
    } else {
        Ty::I32
    }
}

/// FP type for `ftype` (00 single, 01 double); half precision (11) is not implemented.
pub fn ftype_ty(ftype: u32) -> Option<Ty> {
    match ftype {
        0 => Some(Ty::F32),
        1 => Some(Ty::F64),
        _ => None,
    }
}

impl Translator {
    /// Write Vd from a full-width result; the 64-bit (Q=0) forms clear bits 127:64.
    pub fn set_vreg_q(&mut self, q: u32, rd: u32, v: Val) {
        let v = if q == 0 { self.vun(VecUnOp::ZeroHigh, 64, v) } else { v };
        self.set_vreg(rd, v);
    }

    /// Write a scalar (integer or FP, any width up to 64 bits) to Vd, zeroing the rest.
    pub fn set_scalar(&mut self, rd: u32, v: Val) {
        let w = self.op(Ty::V128, Op::Bitcast { a: v });
        self.set_vreg(rd, w);
    }

    /// Write the low `es` bits of lane 0 of vector `v` to Vd as a scalar, zeroing the rest.
    pub fn set_scalar_lane0(&mut self, rd: u32, es: u8, v: Val) {
        let x = self.op(ety(es), Op::VExtract { a: v, es, idx: 0 });
        self.set_scalar(rd, x);
    }

    /// Read the low `ty` bits of Vn (Sn, Dn, or an integer view of them).
    pub fn freg(&mut self, ty: Ty, n: u32) -> Val {
        self.b.get(ty, off::v(n as usize))
    }

    pub fn vconst(&mut self, lo: u64, hi: u64) -> Val {
        self.op(Ty::V128, Op::ConstV128 { lo, hi })
    }

    pub fn vun(&mut self, op: VecUnOp, es: u8, a: Val) -> Val {
        self.op(Ty::V128, Op::VUnary { op, es, a })
    }

    pub fn vbin(&mut self, op: VecBinOp, es: u8, a: Val, b: Val) -> Val {
        self.op(Ty::V128, Op::VBinary { op, es, a, b })
    }

    pub fn vter(&mut self, op: VecTerOp, es: u8, a: Val, b: Val, c: Val) -> Val {
        self.op(Ty::V128, Op::VTernary { op, es, a, b, c })
    }

    pub fn vimm(&mut self, op: VecImmOp, es: u8, a: Val, imm: u32) -> Val {
        self.op(Ty::V128, Op::VImm { op, es, a, imm })
    }

    pub fn vimm2(&mut self, op: VecImm2Op, es: u8, a: Val, b: Val, imm: u32) -> Val {
        self.op(Ty::V128, Op::VImm2 { op, es, a, b, imm })
    }

    /// `dst` with its high 64 bits replaced by the low 64 bits of `lowres` (the "2" forms of
    /// narrowing instructions: XTN2, SHRN2, ...).
    pub fn insert_high(&mut self, dst: Val, lowres: Val) -> Val {
        let lo = self.op(Ty::I64, Op::VExtract { a: lowres, es: 64, idx: 0 });
        self.op(Ty::V128, Op::VInsert { a: dst, b: lo, es: 64, idx: 1 })
    }

    /// Vn, with the top half cleared when `q` is 0 so D-form inputs never leak stale lanes into
    /// across-lane or pairwise results.
    pub fn vreg_q(&mut self, q: u32, n: u32) -> Val {
        let v = self.vreg(n);
        if q == 0 {
            self.vun(VecUnOp::ZeroHigh, 64, v)
        } else {
            v
        }
    }
}
