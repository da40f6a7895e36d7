//! Differential test of the FP interpreter against the host's SSE/FMA unit on random and edge-case
//! operands, in the four IEEE rounding modes x86 has.
//!
//! x86 rounds like IEEE 754 and, like RISC-V, detects tininess after rounding and raises
//! underflow only when also inexact (with underflow masked), so with the RISC-V guest the result
//! bits and flags must match exactly, except that (a) any x86 NaN result must be the RISC-V
//! canonical NaN and (b) x86's denormal-operand flag (bit 1) has no RISC-V counterpart.

#![cfg(target_arch = "x86_64")]

mod fp_common;

use core::arch::asm;
use emu_core::ir::{FpBinOp, FpTerOp, FpUnOp, Rm, Ty};
use fp_common::*;

/// MXCSR rounding-control values, all exceptions masked, flags clear.
fn mxcsr_for(rm: Rm) -> u32 {
    let rc = match rm {
        Rm::Rne => 0,
        Rm::Rdn => 1,
        Rm::Rup => 2,
        Rm::Rtz => 3,
        _ => unreachable!(),
    };
    0x1f80 | rc << 13
}

/// Runs one scalar SSE instruction (`insn` with xmm0 = a, xmm1 = b) under `rm`; returns xmm0's low
/// 64 bits and the MXCSR flags it raised.
macro_rules! host_op {
    ($insn:literal, $rm:expr, $a:expr, $b:expr) => {{
        let mut m: u32 = mxcsr_for($rm);
        let mut r: u64 = $a;
        let b: u64 = $b;
        // SAFETY: only MXCSR and two xmm registers are touched; MXCSR is restored afterwards.
        unsafe {
            let mut saved: u32 = 0;
            asm!(
                "stmxcsr [{saved}]",
                "movq xmm0, {r}",
                "movq xmm1, {b}",
                "ldmxcsr [{m}]",
                $insn,
                "stmxcsr [{m}]",
                "ldmxcsr [{saved}]",
                "movq {r}, xmm0",
                saved = in(reg) &mut saved,
                m = in(reg) &mut m,
                r = inout(reg) r,
                b = in(reg) b,
                out("xmm0") _, out("xmm1") _, out("rax") _,
            );
        }
        (r, (m & 0x3f) as u64)
    }};
}

fn host_fma(rm: Rm, f64: bool, a: u64, b: u64, c: u64) -> (u64, u64) {
    let mut m: u32 = mxcsr_for(rm);
    let mut r = c;
    // SAFETY: guarded by the caller's runtime FMA check; MXCSR restored.
    unsafe {
        let mut saved: u32 = 0;
        if f64 {
            asm!("stmxcsr [{s}]", "movq xmm0, {r}", "movq xmm1, {a}", "movq xmm2, {b}", "ldmxcsr [{m}]",
                 "vfmadd231sd xmm0, xmm1, xmm2", "stmxcsr [{m}]", "ldmxcsr [{s}]", "movq {r}, xmm0",
                 s = in(reg) &mut saved, m = in(reg) &mut m, r = inout(reg) r, a = in(reg) a, b = in(reg) b,
                 out("xmm0") _, out("xmm1") _, out("xmm2") _);
        } else {
            asm!("stmxcsr [{s}]", "movq xmm0, {r}", "movq xmm1, {a}", "movq xmm2, {b}", "ldmxcsr [{m}]",
                 "vfmadd231ss xmm0, xmm1, xmm2", "stmxcsr [{m}]", "ldmxcsr [{s}]", "movq {r}, xmm0",
                 s = in(reg) &mut saved, m = in(reg) &mut m, r = inout(reg) r, a = in(reg) a, b = in(reg) b,
                 out("xmm0") _, out("xmm1") _, out("xmm2") _);
        }
    }
    (if f64 { r } else { r & 0xffff_ffff }, (m & 0x3f) as u64)
}

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    /// An operand biased towards the interesting parts of the format: edges of the exponent
    /// range, short significands (exact results and ties), specials.
    fn operand(&mut self, f64: bool) -> u64 {
        let (eb, mb) = if f64 { (11, 52) } else { (8, 23) };
        let r = self.next();
        let sign = (r & 1) << (eb + mb);
        let frac = match (r >> 1) % 4 {
            0 => self.next() & ((1 << mb) - 1),
            1 => (self.next() & 0xff) << (mb - 8),
            2 => ((1 << mb) - 1) ^ (self.next() & 7),
            _ => self.next() & 0xf,
        };
        let emax = (1u64 << eb) - 1;
        let exp = match (r >> 4) % 8 {
            0 => 0,
            1 => emax,
            2 => 1 + (self.next() % 4),
            3 => emax - 1 - (self.next() % 4),
            4 => emax / 2 + (self.next() % 8) - 4,
            _ => self.next() % emax,
        };
        sign | (exp << mb) | frac
    }
}

const MODES: [Rm; 4] = [Rm::Rne, Rm::Rtz, Rm::Rdn, Rm::Rup];
const N: usize = 30_000;

/// Compares one emulated op with the host result.
fn check(what: &str, f64: bool, ins: &[u64], rm: Rm, got: (u64, u64), want: (u64, u64)) {
    let nan = if f64 { 0x7ff8_0000_0000_0000 } else { 0x7fc0_0000 };
    let is_nan = |x: u64| {
        if f64 {
            x & !(1 << 63) > 0x7ff0_0000_0000_0000
        } else {
            x & 0x7fff_ffff > 0x7f80_0000
        }
    };
    let want_bits = if is_nan(want.0) { nan } else { want.0 };
    let want_flags = want.1 & !ID;
    assert_eq!(
        (got.0, got.1),
        (want_bits, want_flags),
        "{what} {} {rm:?} inputs {ins:x?}: got {:#x} flags {:#x}, host {:#x} flags {:#x}",
        if f64 { "f64" } else { "f32" },
        got.0,
        got.1,
        want_bits,
        want_flags
    );
}

fn binary_diff(f64: bool) {
    let ty = if f64 { Ty::F64 } else { Ty::F32 };
    let mut rng = Rng(0x1234_5678_9abc_def1 ^ f64 as u64);
    for i in 0..N {
        let (a, b) = (rng.operand(f64), rng.operand(f64));
        let rm = MODES[i % 4];
        for (op, name) in
            [(FpBinOp::Add, "add"), (FpBinOp::Sub, "sub"), (FpBinOp::Mul, "mul"), (FpBinOp::Div, "div")]
        {
            let want = match (op, f64) {
                (FpBinOp::Add, true) => host_op!("addsd xmm0, xmm1", rm, a, b),
                (FpBinOp::Sub, true) => host_op!("subsd xmm0, xmm1", rm, a, b),
                (FpBinOp::Mul, true) => host_op!("mulsd xmm0, xmm1", rm, a, b),
                (FpBinOp::Div, true) => host_op!("divsd xmm0, xmm1", rm, a, b),
                (FpBinOp::Add, false) => host_op!("addss xmm0, xmm1", rm, a, b),
                (FpBinOp::Sub, false) => host_op!("subss xmm0, xmm1", rm, a, b),
                (FpBinOp::Mul, false) => host_op!("mulss xmm0, xmm1", rm, a, b),
                _ => host_op!("divss xmm0, xmm1", rm, a, b),
            };
            let want = (if f64 { want.0 } else { want.0 & 0xffff_ffff }, want.1);
            check(name, f64, &[a, b], rm, binary(RV, op, ty, a, b, rm), want);
        }
        let want = if f64 {
            host_op!("sqrtsd xmm0, xmm1", rm, 0, a)
        } else {
            host_op!("sqrtss xmm0, xmm1", rm, 0, a)
        };
        let want = (if f64 { want.0 } else { want.0 & 0xffff_ffff }, want.1);
        check("sqrt", f64, &[a], rm, unary(RV, FpUnOp::Sqrt, ty, ty, a, rm), want);
    }
}

#[test]
fn add_sub_mul_div_sqrt_f64_match_host() {
    binary_diff(true);
}

#[test]
fn add_sub_mul_div_sqrt_f32_match_host() {
    binary_diff(false);
}

#[test]
fn fma_matches_host() {
    if !std::arch::is_x86_feature_detected!("fma") {
        eprintln!("skipped: host has no FMA");
        return;
    }
    for f64 in [false, true] {
        let ty = if f64 { Ty::F64 } else { Ty::F32 };
        let mut rng = Rng(0xfeed_beef_1234_5678 ^ f64 as u64);
        for i in 0..N {
            let (a, b, mut c) = (rng.operand(f64), rng.operand(f64), rng.operand(f64));
            if i % 3 == 0 {
                // Make the addend cancel most of the product: the hard cases.
                let p = binary(RV, FpBinOp::Mul, ty, a, b, Rm::Rne).0;
                c = p ^ if f64 { 1 << 63 } else { 1 << 31 };
            }
            let rm = MODES[i % 4];
            let want = host_fma(rm, f64, a, b, c);
            check("fma", f64, &[a, b, c], rm, ternary(RV, FpTerOp::MulAdd, ty, a, b, c, rm), want);
        }
    }
}

#[test]
fn conversions_match_host() {
    let mut rng = Rng(0x0dd_ba11_cafe);
    for i in 0..N {
        let rm = MODES[i % 4];
        let d = rng.operand(true);
        let want = host_op!("cvtsd2ss xmm0, xmm1", rm, 0, d);
        check(
            "cvt.s.d",
            false,
            &[d],
            rm,
            unary(RV, FpUnOp::Convert, Ty::F32, Ty::F64, d, rm),
            (want.0 & 0xffff_ffff, want.1),
        );
        let s = rng.operand(false);
        let want = host_op!("cvtss2sd xmm0, xmm1", rm, 0, s);
        check("cvt.d.s", true, &[s], rm, unary(RV, FpUnOp::Convert, Ty::F64, Ty::F32, s, rm), want);
        // Signed 64-bit integers to both formats: i64 -> f32 must not double-round.
        let n = rng.next() >> (rng.next() % 64);
        let n = if i & 1 == 1 { n.wrapping_neg() } else { n };
        let mut m: u32 = mxcsr_for(rm);
        let (mut rs, mut rd): (u64, u64) = (0, 0);
        // SAFETY: MXCSR and two xmm registers only; MXCSR restored.
        unsafe {
            let mut saved: u32 = 0;
            asm!("stmxcsr [{s}]", "ldmxcsr [{m}]", "xorps xmm0, xmm0", "cvtsi2ss xmm0, {n}", "movq {rs}, xmm0",
                 "xorps xmm0, xmm0", "cvtsi2sd xmm0, {n}", "movq {rd}, xmm0", "stmxcsr [{m}]", "ldmxcsr [{s}]",
                 s = in(reg) &mut saved, m = in(reg) &mut m, n = in(reg) n, rs = out(reg) rs, rd = out(reg) rd,
                 out("xmm0") _);
        }
        let (gs, fs) = inttof(RV, Ty::F32, Ty::I64, n, true, 0, rm);
        let (gd, fd) = inttof(RV, Ty::F64, Ty::I64, n, true, 0, rm);
        assert_eq!((gs, gd, fs | fd), (rs, rd, (m & 0x3f) as u64), "i64 {n:#x} -> f32/f64 {rm:?}");
        // f64 -> i64 where x86 is defined (no invalid).
        let (r, f) = host_op!("cvtsd2si rax, xmm1; movq xmm0, rax", rm, 0, d);
        if f & NV == 0 {
            assert_eq!(
                ftoint(RV, Ty::I64, Ty::F64, d, true, 0, rm),
                (r, f & !ID),
                "f64 {d:#x} -> i64 {rm:?}"
            );
        }
    }
}
