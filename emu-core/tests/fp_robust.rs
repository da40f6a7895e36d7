//! Every FP op on arbitrary operand bits (including garbage above an F32's low 32 bits), every
//! rounding mode, FPCR.DN/FZ and out-of-range `fbits` must produce a value of the result's width
//! and only MXCSR flag bits, never panic; plus directed cases for the rules that the reference
//! vectors sample only sparsely (round-to-odd, ties-away, fixed-point scaling, FZ underflow).

mod fp_common;

use emu_core::ir::{FpBinOp, FpCmpCc, FpTerOp, FpUnOp, Rm, Ty};
use emu_core::Arch;
use fp_common::*;

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

fn fits(v: u64, ty: Ty) -> bool {
    ty.bits() >= 64 || v >> ty.bits() == 0
}

#[test]
fn arbitrary_bits_never_panic() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    for i in 0..4000 {
        let arch = if i & 1 == 0 { Arch::Aarch64 } else { Arch::Riscv64 };
        let env = Env { arch, fpcr: rng.next() & (3 << 24), fp_rm: rng.next() % 8 };
        let rm = Rm::ALL[i % Rm::ALL.len()];
        let ty = if i & 2 == 0 { Ty::F32 } else { Ty::F64 };
        let (a, b, c) = (rng.next(), rng.next(), rng.next());
        for &op in FpUnOp::ALL {
            let (rty, aty) = match op {
                FpUnOp::Class => (Ty::I64, ty),
                FpUnOp::Convert => (if ty == Ty::F32 { Ty::F64 } else { Ty::F32 }, ty),
                _ => (ty, ty),
            };
            let (r, f) = unary(env, op, rty, aty, a, rm);
            assert!(fits(r, rty) && f < 64, "{op:?} {a:#x}");
        }
        for &op in FpBinOp::ALL {
            let (r, f) = binary(env, op, ty, a, b, rm);
            assert!(fits(r, ty) && f < 64, "{op:?} {a:#x} {b:#x}");
        }
        for &op in FpTerOp::ALL {
            let (r, f) = ternary(env, op, ty, a, b, c, rm);
            assert!(fits(r, ty) && f < 64, "{op:?}");
        }
        for &cc in FpCmpCc::ALL {
            let (r, _) = fcmpb(env, cc, ty, a, b);
            assert!(r <= 1);
        }
        let (r, _) = fcmp(env, ty, a, b, i & 4 != 0);
        assert_eq!(r & 0x0fff_ffff, 0);
        let fbits = (rng.next() % 256) as u8;
        for ity in [Ty::I32, Ty::I64] {
            let (r, _) = ftoint(env, ity, ty, a, i & 8 != 0, fbits, rm);
            assert!(fits(r, ity));
            let (r, _) = inttof(env, ty, ity, a, i & 8 != 0, fbits, rm);
            assert!(fits(r, ty));
        }
    }
}

#[test]
fn directed_cases() {
    let a64 = A64;
    let fz = Env { fpcr: 1 << 24, ..A64 };
    // Round to odd: 1 + 2^-24 in f64 -> f32 sets the lsb (FCVTXN); exact values are untouched.
    assert_eq!(
        unary(a64, FpUnOp::Convert, Ty::F32, Ty::F64, 0x3ff0_0000_1000_0000, Rm::Rodd),
        (0x3f80_0001, NX)
    );
    assert_eq!(
        unary(a64, FpUnOp::Convert, Ty::F32, Ty::F64, 0x3ff0_0000_0000_0000, Rm::Rodd),
        (0x3f80_0000, 0)
    );
    // Ties away: 2.5 -> 3, -2.5 -> -3; ties to even: 2.5 -> 2.
    assert_eq!(
        unary(RV, FpUnOp::RoundInt, Ty::F64, Ty::F64, 0x4004_0000_0000_0000, Rm::Rmm).0,
        0x4008_0000_0000_0000
    );
    assert_eq!(
        unary(RV, FpUnOp::RoundInt, Ty::F64, Ty::F64, 0xc004_0000_0000_0000, Rm::Rmm).0,
        0xc008_0000_0000_0000
    );
    assert_eq!(
        unary(RV, FpUnOp::RoundInt, Ty::F64, Ty::F64, 0x4004_0000_0000_0000, Rm::Rne).0,
        0x4000_0000_0000_0000
    );
    // -0.25 rounds to -0, keeping the sign; only the exact form raises inexact.
    assert_eq!(unary(RV, FpUnOp::RoundInt, Ty::F32, Ty::F32, 0xbe80_0000, Rm::Rne), (0x8000_0000, 0));
    assert_eq!(unary(RV, FpUnOp::RoundIntExact, Ty::F32, Ty::F32, 0xbe80_0000, Rm::Rne), (0x8000_0000, NX));
    // Fixed point: 1.75 with 4 fraction bits is 28; 28 with 4 fraction bits back is 1.75.
    assert_eq!(ftoint(a64, Ty::I32, Ty::F32, 0x3fe0_0000, true, 4, Rm::Rtz), (28, 0));
    assert_eq!(inttof(a64, Ty::F32, Ty::I32, 28, true, 4, Rm::Rne), (0x3fe0_0000, 0));
    // FZ: a product below the normal range flushes to +0 with UFC only; a denormal input is
    // flushed with IDC.
    assert_eq!(binary(fz, FpBinOp::Mul, Ty::F32, 0x0080_0000, 0x3f00_0000, Rm::Rne), (0, UF));
    assert_eq!(binary(fz, FpBinOp::Add, Ty::F32, 0x0000_0001, 0x3f80_0000, Rm::Rne), (0x3f80_0000, ID));
    // Tininess: 2^-126 * (1 - 2^-25) (an f64) rounds up to the smallest f32 normal in RNE.
    // AArch64 detects tininess before rounding (underflow), RISC-V after rounding (none).
    let x = 0x380f_ffff_f000_0000;
    assert_eq!(unary(a64, FpUnOp::Convert, Ty::F32, Ty::F64, x, Rm::Rne), (0x0080_0000, UF | NX));
    assert_eq!(unary(RV, FpUnOp::Convert, Ty::F32, Ty::F64, x, Rm::Rne), (0x0080_0000, NX));
    // ... whereas 2^-126 * (1 - 2^-24) is tiny after rounding too (it needs only 24 bits).
    assert_eq!(binary(RV, FpBinOp::Mul, Ty::F32, 0x0080_0000, 0x3f7f_ffff, Rm::Rne), (0x0080_0000, UF | NX));
    // FMA hard case: a*b exactly cancels c's high part; the tiny residue must survive.
    // (1 + 2^-52)^2 - (1 + 2^-51) = 2^-104.
    let one_ulp = 0x3ff0_0000_0000_0001;
    let (r, f) = ternary(RV, FpTerOp::MulAdd, Ty::F64, one_ulp, one_ulp, 0xbff0_0000_0000_0002, Rm::Rne);
    assert_eq!((r, f), (0x3970_0000_0000_0000, 0));
    // AArch64 NaN order for FMADD: the addend's NaN wins over a's; DN replaces it.
    let (qa, qc) = (0x7ff8_0000_0000_0aaa, 0x7ff8_0000_0000_0ccc);
    assert_eq!(ternary(a64, FpTerOp::MulAdd, Ty::F64, qa, 0, qc, Rm::Rne), (qc, 0));
    let dn = Env { fpcr: 1 << 25, ..A64 };
    assert_eq!(ternary(dn, FpTerOp::MulAdd, Ty::F64, qa, 0, qc, Rm::Rne), (0x7ff8_0000_0000_0000, 0));
    // An F32 operand ignores the bits above 32.
    assert_eq!(
        binary(RV, FpBinOp::Add, Ty::F32, 0xffff_ffff_3f80_0000, 0x3f80_0000, Rm::Rne),
        (0x4000_0000, 0)
    );
}
