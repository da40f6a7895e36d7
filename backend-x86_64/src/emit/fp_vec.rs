//! The fast paths of the lane-wise AArch64 vector FP arithmetic: `VBinary` FADD, FSUB, FMUL,
//! FDIV and `VTernary` FMLA, FMLS on 2x64 and 4x32 lanes (the 64-bit `.2s` forms are the 4x32
//! op followed by `ZeroHigh`, so all four lanes are computed, and flagged, as the interpreter
//! does). They are SSE2 packed ops (FMLA/FMLS need FMA3) and take part in MXCSR regions like
//! the scalar ops; the exactness cases of the parent module's docs apply lane by lane:
//! * any NaN lane in any operand sends the whole op to the slow path (`cmpunordp` + `movmskp`);
//! * NaN result lanes can then only be x86's indefinite, whose sign is cleared branch-free;
//! * FPCR.FZ set or a dynamic rounding mode x86 lacks goes slow ([`Emit::guard_control`]);
//! * a FMUL/FDIV/FMLA/FMLS result lane of exactly the smallest normal magnitude goes slow
//!   (tininess before rounding). The packed op has raised its flags by then; as for the
//!   scalar ops they are a subset of what the interpreter raises for the same operands. (For
//!   FDIV the check is only kept for symmetry with the scalar path: a quotient of two p-bit
//!   numbers is never within half an ulp below a power of two, so the tininess rules cannot
//!   disagree there.)
//!
//! FMLA is `a + b * c` with the interpreter's operand order `mul_add(b, c, a)`; FMLS negates
//! `b`, which for non-NaN operands is the same fused result as x86's `-(b * c) + a`
//! (`vfnmadd231`). FPCR.DN only changes NaN propagation, which is always the slow path.
//!
//! Register use: operands in `xmm0`-`xmm2`, the result in `xmm0`, `xmm3`/`xmm4` and
//! `rax`/`rcx` scratch.

// dynasm expands dynamic register operands (`Rx(n)`) to an `.into()` of the number.
#![allow(clippy::useless_conversion)]

use super::{Emit, Mx};
use dynasmrt::{dynasm, DynasmApi, DynasmLabelApi};
use emu_core::guest::Arch;
use emu_core::ir::{Block, Inst, Op, Rm, Val, VecBinOp, VecTerOp};

/// Lane masks for the smallest-normal check, 16-byte aligned for SSE memory operands:
/// the magnitude mask and the smallest normal, for F64 lanes then for F32 lanes.
#[repr(C, align(16))]
struct Consts([u64; 8]);

static CONSTS: Consts = Consts([
    0x7fff_ffff_ffff_ffff,
    0x7fff_ffff_ffff_ffff,
    0x0010_0000_0000_0000,
    0x0010_0000_0000_0000,
    0x7fff_ffff_7fff_ffff,
    0x7fff_ffff_7fff_ffff,
    0x0080_0000_0080_0000,
    0x0080_0000_0080_0000,
]);

/// Whether the op kind has a native form (for `is_native`).
pub(super) fn native_kind(op: &Op) -> bool {
    if !super::ops::enabled() {
        return false;
    }
    match op {
        Op::VBinary { op, es, .. } => {
            matches!(op, VecBinOp::FAdd | VecBinOp::FSub | VecBinOp::FMul | VecBinOp::FDiv)
                && matches!(es, 32 | 64)
        }
        Op::VTernary { op, es, .. } => {
            matches!(op, VecTerOp::FMla | VecTerOp::FMls) && matches!(es, 32 | 64) && super::ops::has_fma()
        }
        _ => false,
    }
}

/// The MXCSR need of `inst` when it is native: the guest's (dynamic) rounding and the flags.
/// The guards implement AArch64's rules (the only guest with vector ops; the interpreter's
/// vector family uses them whatever the block's arch), so other blocks keep the fallback.
pub(super) fn native(b: &Block, inst: &Inst) -> Option<Mx> {
    (b.arch == Arch::Aarch64 && native_kind(&inst.op)).then_some(Mx::Round(Rm::Dyn))
}

/// Copy V128 `v` into `xmm{x}`.
fn load(e: &mut Emit, x: u8, v: Val) {
    e.c.vld(x, v);
}

/// Any NaN lane in `xmm{x}`, `xmm{y}` or `xmm{z}` goes slow (clobbers xmm3, xmm4, rcx). A
/// signalling NaN raises invalid here, which the interpreter raises for it as well.
fn nan_guard(e: &mut Emit, f64: bool, x: u8, y: u8, z: Option<u8>) {
    let slow = e.slow_label();
    dynasm!(e.c.a ; .arch x64 ; movaps xmm3, Rx(x));
    if let Some(z) = z {
        dynasm!(e.c.a ; .arch x64 ; movaps xmm4, Rx(z));
    }
    if f64 {
        dynasm!(e.c.a ; .arch x64 ; cmpunordpd xmm3, Rx(y));
        if z.is_some() {
            dynasm!(e.c.a ; .arch x64 ; cmpunordpd xmm4, xmm4 ; orpd xmm3, xmm4);
        }
        dynasm!(e.c.a ; .arch x64 ; movmskpd ecx, xmm3);
    } else {
        dynasm!(e.c.a ; .arch x64 ; cmpunordps xmm3, Rx(y));
        if z.is_some() {
            dynasm!(e.c.a ; .arch x64 ; cmpunordps xmm4, xmm4 ; orps xmm3, xmm4);
        }
        dynasm!(e.c.a ; .arch x64 ; movmskps ecx, xmm3);
    }
    dynasm!(e.c.a ; .arch x64 ; test ecx, ecx ; jnz =>slow);
}

/// NaN lanes of the result (from non-NaN operands: x86's indefinite, sign set) get the
/// guests' default NaN by flipping their sign bit. Clobbers xmm3.
fn fix_invalid_nans(e: &mut Emit, f64: bool) {
    if f64 {
        dynasm!(e.c.a ; .arch x64
            ; movaps xmm3, xmm0 ; cmpunordpd xmm3, xmm3 ; psllq xmm3, 63 ; xorpd xmm0, xmm3);
    } else {
        dynasm!(e.c.a ; .arch x64
            ; movaps xmm3, xmm0 ; cmpunordps xmm3, xmm3 ; pslld xmm3, 31 ; xorps xmm0, xmm3);
    }
}

/// On AArch64, a result lane of exactly the smallest normal magnitude goes slow. Clobbers
/// xmm3, rax, rcx.
fn guard_min_normal(e: &mut Emit, f64: bool) {
    let slow = e.slow_label();
    let k = &CONSTS as *const Consts as i64 + if f64 { 0 } else { 32 };
    dynasm!(e.c.a ; .arch x64 ; mov rax, QWORD k ; movaps xmm3, xmm0);
    if f64 {
        dynasm!(e.c.a ; .arch x64 ; andpd xmm3, [rax] ; cmpeqpd xmm3, [rax + 16] ; movmskpd ecx, xmm3);
    } else {
        dynasm!(e.c.a ; .arch x64 ; andps xmm3, [rax] ; cmpeqps xmm3, [rax + 16] ; movmskps ecx, xmm3);
    }
    dynasm!(e.c.a ; .arch x64 ; test ecx, ecx ; jnz =>slow);
}

/// `xmm0 = xmm0 + xmm1 * xmm2` (`vfmadd231pd`/`ps`), or `xmm0 - xmm1 * xmm2` (`vfnmadd231`),
/// fused. Encoded by hand: dynasm 5.1 assembles the `pd` forms without VEX.W, i.e. as `ps`.
fn fma231(e: &mut Emit, f64: bool, neg: bool) {
    // VEX3: C4, RXB=111 map 0F38, W vvvv=~xmm1 L=0 pp=66; opcode; modrm reg xmm0, rm xmm2.
    let w_vvvv_l_pp = if f64 { 0xf1 } else { 0x71 };
    let opcode = if neg { 0xbc } else { 0xb8 };
    e.c.a.extend([0xc4u8, 0xe2, w_vvvv_l_pp, opcode, 0xc2]);
}

pub(super) fn emit(e: &mut Emit, inst: &Inst) {
    match inst.op {
        Op::VBinary { op, es, a, b } => {
            let f64 = es == 64;
            e.guard_control(true, Rm::Dyn);
            load(e, 0, a);
            load(e, 1, b);
            nan_guard(e, f64, 0, 1, None);
            match (op, f64) {
                (VecBinOp::FAdd, true) => dynasm!(e.c.a ; .arch x64 ; addpd xmm0, xmm1),
                (VecBinOp::FAdd, false) => dynasm!(e.c.a ; .arch x64 ; addps xmm0, xmm1),
                (VecBinOp::FSub, true) => dynasm!(e.c.a ; .arch x64 ; subpd xmm0, xmm1),
                (VecBinOp::FSub, false) => dynasm!(e.c.a ; .arch x64 ; subps xmm0, xmm1),
                (VecBinOp::FMul, true) => dynasm!(e.c.a ; .arch x64 ; mulpd xmm0, xmm1),
                (VecBinOp::FMul, false) => dynasm!(e.c.a ; .arch x64 ; mulps xmm0, xmm1),
                (_, true) => dynasm!(e.c.a ; .arch x64 ; divpd xmm0, xmm1),
                (_, false) => dynasm!(e.c.a ; .arch x64 ; divps xmm0, xmm1),
            }
            fix_invalid_nans(e, f64);
            // Add/sub results that small are exact.
            if matches!(op, VecBinOp::FMul | VecBinOp::FDiv) {
                guard_min_normal(e, f64);
            }
        }
        Op::VTernary { op, es, a, b, c } => {
            let f64 = es == 64;
            e.guard_control(true, Rm::Dyn);
            load(e, 0, a);
            load(e, 1, b);
            load(e, 2, c);
            nan_guard(e, f64, 0, 1, Some(2));
            fma231(e, f64, op == VecTerOp::FMls);
            fix_invalid_nans(e, f64);
            guard_min_normal(e, f64);
        }
        _ => unreachable!("not a native vector FP op"),
    }
}
