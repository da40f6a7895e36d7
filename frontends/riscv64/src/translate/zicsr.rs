//! Zicsr: the CSR instructions (unprivileged manual, "Zicsr, Control and Status Register (CSR)
//! Instructions") on the CSRs a Linux user program can reach: the FP CSRs fflags, frm and fcsr
//! ("F" chapter, "Floating-Point Control and Status Register") and the read-only counters
//! cycle, time and instret (Zicntr). Any other CSR, and any write to a counter, raises SIGILL.
//!
//! The FP state is kept guest-neutral in `CpuState`: `fp_rm` holds frm in the same encoding,
//! `fp_exc` the accumulated flags in the x86 MXCSR layout (bit 0 invalid, 2 divide by zero,
//! 3 overflow, 4 underflow, 5 inexact). fflags orders them NV DZ OF UF NX from bit 4 down to
//! bit 0, so apart from invalid the two layouts are bit-reversed: a 64-bit bit reverse and a
//! shift convert DZ..NX in either direction, and NV moves separately.

use super::Translator;
use crate::decoder::rv32::Zicsr;
use emu_core::cpu::off;
use emu_core::ir::{Op, SysReg, Ty, Val};

/// The CSRs remu implements.
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
enum Csr {
    Fflags,
    Frm,
    Fcsr,
    Counter(SysReg),
}

fn csr(n: u32) -> Option<Csr> {
    Some(match n {
        0x001 => Csr::Fflags,
        0x002 => Csr::Frm,
        0x003 => Csr::Fcsr,
        0xc00 => Csr::Counter(SysReg::Cycle),
        0xc01 => Csr::Counter(SysReg::Time),
        0xc02 => Csr::Counter(SysReg::Instret),
        _ => return None,
    })
}

/// What a CSR instruction does with its source operand.
#[derive(Copy, Clone, PartialEq, Eq)]
enum Kind {
    Write,
    Set,
    Clear,
}

/// MXCSR invalid-operation bit and the fflags NV bit.
const EXC_IE: u64 = 1;
const FFLAGS_NV_SHIFT: u64 = 4;
/// A 64-bit bit reverse moves MXCSR bits 2..5 (DZ, OF, UF, PE) to 61..58; shifting right by
/// 58 lands them on fflags bits 3..0 (DZ, OF, UF, NX). The same shift undoes it.
const REV_SHIFT: u64 = 58;

impl Translator {
    fn k(&mut self, v: u64) -> Val {
        self.c64(v)
    }

    /// fflags (I64, 5 bits) from `fp_exc`.
    fn read_fflags(&mut self) -> Val {
        let e = self.b.get(Ty::I64, off::FP_EXC);
        let rev = self.op(Ty::I64, Op::Rbit { a: e });
        let sh = self.k(REV_SHIFT);
        let low = self.op(Ty::I64, Op::Lshr { a: rev, b: sh });
        let m = self.k(0xf);
        let low = self.b.and(Ty::I64, low, m);
        let ie = self.k(EXC_IE);
        let nv = self.b.and(Ty::I64, e, ie);
        let sh = self.k(FFLAGS_NV_SHIFT);
        let nv = self.op(Ty::I64, Op::Shl { a: nv, b: sh });
        self.b.or(Ty::I64, nv, low)
    }

    /// Set `fp_exc` from the fflags bits of `v`.
    fn write_fflags(&mut self, v: Val) {
        let m = self.k(0xf);
        let low = self.b.and(Ty::I64, v, m);
        let rev = self.op(Ty::I64, Op::Rbit { a: low });
        let sh = self.k(REV_SHIFT);
        let exc = self.op(Ty::I64, Op::Lshr { a: rev, b: sh });
        let sh = self.k(FFLAGS_NV_SHIFT);
        let nv = self.op(Ty::I64, Op::Lshr { a: v, b: sh });
        let ie = self.k(EXC_IE);
        let nv = self.b.and(Ty::I64, nv, ie);
        let exc = self.b.or(Ty::I64, exc, nv);
        self.b.set(off::FP_EXC, exc);
    }

    fn read_frm(&mut self) -> Val {
        let rm = self.b.get(Ty::I64, off::FP_RM);
        let m = self.k(7);
        self.b.and(Ty::I64, rm, m)
    }

    fn write_frm(&mut self, v: Val) {
        let m = self.k(7);
        let rm = self.b.and(Ty::I64, v, m);
        self.b.set(off::FP_RM, rm);
    }

    fn read_csr(&mut self, c: Csr) -> Val {
        match c {
            Csr::Fflags => self.read_fflags(),
            Csr::Frm => self.read_frm(),
            Csr::Fcsr => {
                let rm = self.read_frm();
                let sh = self.k(5);
                let rm = self.op(Ty::I64, Op::Shl { a: rm, b: sh });
                let fl = self.read_fflags();
                self.b.or(Ty::I64, rm, fl)
            }
            Csr::Counter(reg) => self.op(Ty::I64, Op::SysRead { reg }),
        }
    }

    fn write_csr(&mut self, c: Csr, v: Val) {
        match c {
            Csr::Fflags => self.write_fflags(v),
            Csr::Frm => self.write_frm(v),
            Csr::Fcsr => {
                let sh = self.k(5);
                let rm = self.op(Ty::I64, Op::Lshr { a: v, b: sh });
                self.write_frm(rm);
                self.write_fflags(v);
            }
            // Rejected before any code is generated (see `csr_op`).
            Csr::Counter(_) => unreachable!("write to a read-only counter CSR"),
        }
    }

    /// One CSR instruction. `src` is rs1's value or the zero-extended uimm; `src_is_zero` says
    /// whether the operand is x0 / uimm 0, in which case CSRRS/CSRRC must not write.
    fn csr_op(&mut self, kind: Kind, n: u32, rd: u32, src: Option<u32>, uimm: u32) {
        let Some(c) = csr(n) else { return self.undefined() };
        let src_is_zero = src.map_or(uimm == 0, |r| r == 0);
        let writes = kind == Kind::Write || !src_is_zero;
        // CSR numbers 0xC00-0xFFF are read-only by the manual's CSR address convention.
        if writes && matches!(c, Csr::Counter(_)) {
            return self.undefined();
        }
        let s = match src {
            Some(r) => self.x(r),
            None => self.k(uimm as u64),
        };
        // CSRRW with rd = x0 does not read the CSR (no read side effects).
        let old = if kind == Kind::Write && rd == 0 { None } else { Some(self.read_csr(c)) };
        if writes {
            let new = match (kind, old) {
                (Kind::Set, Some(o)) => self.b.or(Ty::I64, o, s),
                (Kind::Clear, Some(o)) => self.op(Ty::I64, Op::AndNot { a: o, b: s }),
                _ => s,
            };
            self.write_csr(c, new);
        }
        if let Some(o) = old {
            self.set_x(rd, o);
        }
    }
}

impl Zicsr for Translator {
    fn csrrw(&mut self, csr: u32, rs1: u32, rd: u32) {
        self.csr_op(Kind::Write, csr, rd, Some(rs1), 0);
    }
    fn csrrs(&mut self, csr: u32, rs1: u32, rd: u32) {
        self.csr_op(Kind::Set, csr, rd, Some(rs1), 0);
    }
    fn csrrc(&mut self, csr: u32, rs1: u32, rd: u32) {
        self.csr_op(Kind::Clear, csr, rd, Some(rs1), 0);
    }
    fn csrrwi(&mut self, csr: u32, uimm: u32, rd: u32) {
        self.csr_op(Kind::Write, csr, rd, None, uimm);
    }
    fn csrrsi(&mut self, csr: u32, uimm: u32, rd: u32) {
        self.csr_op(Kind::Set, csr, rd, None, uimm);
    }
    fn csrrci(&mut self, csr: u32, uimm: u32, rd: u32) {
        self.csr_op(Kind::Clear, csr, rd, None, uimm);
    }
}

#[cfg(test)]
mod tests {
    /// The conversion constants, checked on plain integers against the bit-by-bit definition.
    #[test]
    fn fflags_layout_round_trip() {
        let to_fflags = |e: u64| ((e.reverse_bits() >> super::REV_SHIFT) & 0xf) | (e & 1) << 4;
        let to_exc = |f: u64| ((f & 0xf).reverse_bits() >> super::REV_SHIFT) | (f >> 4 & 1);
        // (MXCSR bit, fflags bit): IE->NV, ZE->DZ, OE->OF, UE->UF, PE->NX.
        for (m, f) in [(0, 4), (2, 3), (3, 2), (4, 1), (5, 0)] {
            assert_eq!(to_fflags(1 << m), 1 << f, "mxcsr bit {m}");
            assert_eq!(to_exc(1 << f), 1 << m, "fflags bit {f}");
        }
        // The denormal flag (MXCSR bit 1) has no RISC-V counterpart.
        assert_eq!(to_fflags(2), 0);
    }
}
