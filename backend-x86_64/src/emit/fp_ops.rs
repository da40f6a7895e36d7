//! The fast paths of the scalar FP emitters: which op forms are native ([`native`]) and their
//! SSE code ([`emit`]). Exactness arguments for each guard are in the parent module's docs;
//! the notes here say which case of them applies.
//!
//! Register use: operands in `rax`/`rcx`/`rdx` and `xmm0`-`xmm2`; the result in `rax` (F32
//! and I32 zero-extended, I1 as 0/1).

// dynasm expands dynamic register operands (`Rx(n)`) to an `.into()` of the number.
#![allow(clippy::useless_conversion)]

use super::{Emit, Fixup, Mx};
use crate::emit::regalloc::Scratch::*;
use dynasmrt::{dynasm, DynasmApi, DynasmLabelApi};
use emu_core::ir::{Block, FpBinOp, FpCmpCc, FpTerOp, FpUnOp, Inst, Op, Rm, Ty, Val};

/// The JIT's host-feature switch (`REMU_JIT_X86_BASELINE`, shared with the vector emitters):
/// `fallback` turns native FP off, `sse2` keeps it to SSE2 (no `roundsd`, no FMA).
pub(super) fn enabled() -> bool {
    crate::emit::vec::feats().native
}

pub(super) fn has_fma() -> bool {
    crate::emit::vec::feats().sse41 && std::arch::is_x86_feature_detected!("fma")
}

fn has_sse41() -> bool {
    crate::emit::vec::feats().sse41
}

/// The MXCSR need of a rounding op, or `None` when x86 has no such mode.
fn round(rm: Rm) -> Option<Mx> {
    match rm {
        Rm::Rne | Rm::Rtz | Rm::Rdn | Rm::Rup | Rm::Dyn => Some(Mx::Round(rm)),
        Rm::Rmm | Rm::Rodd => None,
    }
}

/// Whether the op kind has a native form at some type (for `is_native`).
pub(super) fn native_kind(op: &Op) -> bool {
    if !enabled() {
        return false;
    }
    match op {
        Op::FUnary { op, rm, .. } => match op {
            FpUnOp::Sqrt | FpUnOp::Convert => round(*rm).is_some(),
            FpUnOp::Neg | FpUnOp::Abs => true,
            FpUnOp::RoundInt | FpUnOp::RoundIntExact => round(*rm).is_some() && has_sse41(),
            _ => false,
        },
        Op::FBinary { op, rm, .. } => match op {
            FpBinOp::Add | FpBinOp::Sub | FpBinOp::Mul | FpBinOp::Div | FpBinOp::AbsDiff => {
                round(*rm).is_some()
            }
            FpBinOp::Min | FpBinOp::Max | FpBinOp::MinNum | FpBinOp::MaxNum => true,
            FpBinOp::CopySign | FpBinOp::CopySignNeg | FpBinOp::XorSign => true,
            FpBinOp::MulX | FpBinOp::RecipStep | FpBinOp::RsqrtStep => false,
        },
        Op::FTernary { op: FpTerOp::MulAdd, rm, .. } => round(*rm).is_some() && has_fma(),
        Op::FCmp { .. } | Op::FCmpBool { .. } => true,
        Op::FToInt { fbits, rm, .. } | Op::IntToF { fbits, rm, .. } => *fbits == 0 && round(*rm).is_some(),
        _ => false,
    }
}

fn is_int(ty: Ty) -> bool {
    matches!(ty, Ty::I32 | Ty::I64)
}

/// The MXCSR need of `inst` when it has a native emitter at its types, else `None`.
pub(super) fn native(b: &Block, inst: &Inst) -> Option<Mx> {
    if !native_kind(&inst.op) {
        return None;
    }
    let ty = inst.ty;
    match &inst.op {
        Op::FUnary { op, a, rm } => match op {
            FpUnOp::Neg | FpUnOp::Abs => Some(Mx::None),
            // Widening is exact: no flags, no rounding.
            FpUnOp::Convert if ty == Ty::F64 && b.ty(*a) == Ty::F32 => Some(Mx::None),
            FpUnOp::Convert if ty == Ty::F32 && b.ty(*a) == Ty::F64 => round(*rm),
            FpUnOp::Convert => None,
            // roundsd takes a static mode as an immediate; only FRINTX needs the inexact flag.
            FpUnOp::RoundInt | FpUnOp::RoundIntExact if *rm == Rm::Dyn => round(*rm),
            FpUnOp::RoundInt => Some(Mx::None),
            FpUnOp::RoundIntExact => Some(Mx::Flags),
            _ => round(*rm),
        },
        Op::FBinary { op, rm, .. } => match op {
            FpBinOp::Add | FpBinOp::Sub | FpBinOp::Mul | FpBinOp::Div | FpBinOp::AbsDiff => round(*rm),
            _ => Some(Mx::None),
        },
        Op::FTernary { rm, .. } => round(*rm),
        Op::FCmp { .. } | Op::FCmpBool { .. } => Some(Mx::None),
        Op::FToInt { rm, .. } if is_int(ty) => {
            if *rm == Rm::Rtz {
                Some(Mx::Flags)
            } else {
                round(*rm)
            }
        }
        Op::IntToF { a, rm, .. } if is_int(b.ty(*a)) => {
            // 32-bit integers convert to F64 exactly.
            if b.ty(*a) == Ty::I32 && ty == Ty::F64 {
                Some(Mx::None)
            } else {
                round(*rm)
            }
        }
        _ => None,
    }
}

/// Load `v` into `xmm{x}` through scratch `s`.
fn ldx(e: &mut Emit, s: crate::emit::regalloc::Scratch, v: Val, x: u8) {
    e.c.ld(s, v);
    let r = s as u8;
    dynasm!(e.c.a ; .arch x64 ; movq Rx(x), Rq(r));
}

/// `ucomis` of `xmm{x}` with `xmm{y}`; unordered (a NaN operand) goes slow.
fn nan_guard(e: &mut Emit, f64: bool, x: u8, y: u8) {
    let slow = e.slow_label();
    if f64 {
        dynasm!(e.c.a ; .arch x64 ; ucomisd Rx(x), Rx(y) ; jp =>slow);
    } else {
        dynasm!(e.c.a ; .arch x64 ; ucomiss Rx(x), Rx(y) ; jp =>slow);
    }
}

/// Move the FP result from xmm0 to rax.
fn result(e: &mut Emit, f64: bool) {
    if f64 {
        dynasm!(e.c.a ; .arch x64 ; movq rax, xmm0);
    } else {
        dynasm!(e.c.a ; .arch x64 ; movd eax, xmm0);
    }
}

/// A NaN result from non-NaN operands is x86's indefinite: clear its sign.
fn fix_invalid_nan(e: &mut Emit, f64: bool) {
    let fix = e.fixup(Fixup::ClearSign { f64 });
    if f64 {
        dynasm!(e.c.a ; .arch x64 ; ucomisd xmm0, xmm0 ; jp =>fix);
    } else {
        dynasm!(e.c.a ; .arch x64 ; ucomiss xmm0, xmm0 ; jp =>fix);
    }
}

pub(super) fn emit(e: &mut Emit, inst: &Inst) {
    let f64 = inst.ty == Ty::F64;
    match &inst.op {
        Op::FUnary { op, a, rm } => unary(e, inst.ty, *op, *a, *rm),
        Op::FBinary { op, a, b, rm } => binary(e, f64, *op, *a, *b, *rm),
        Op::FTernary { a, b, c, rm, .. } => {
            e.guard_control(true, *rm);
            ldx(e, Rax, *a, 0);
            ldx(e, Rcx, *b, 1);
            ldx(e, Rdx, *c, 2);
            nan_guard(e, f64, 0, 1);
            nan_guard(e, f64, 2, 2);
            if f64 {
                dynasm!(e.c.a ; .arch x64 ; vfmadd213sd xmm0, xmm1, xmm2);
            } else {
                dynasm!(e.c.a ; .arch x64 ; vfmadd213ss xmm0, xmm1, xmm2);
            }
            result(e, f64);
            fix_invalid_nan(e, f64);
            e.guard_min_normal(f64);
        }
        Op::FCmp { a, b, signaling } => {
            let f64 = e.c.b.ty(*a) == Ty::F64;
            e.guard_control(true, Rm::Rne);
            ldx(e, Rax, *a, 0);
            ldx(e, Rcx, *b, 1);
            compare(e, f64, *signaling);
            // Ordered: greater 0010, equal 0110, less 1000 (NZCV in bits 31:28).
            dynasm!(e.c.a
                ; .arch x64
                ; mov eax, 0x2000_0000
                ; mov ecx, 0x6000_0000
                ; cmove eax, ecx
                ; mov ecx, 0x8000_0000u32 as i32
                ; cmovb eax, ecx
            );
        }
        Op::FCmpBool { cc, a, b } => {
            let f64 = e.c.b.ty(*a) == Ty::F64;
            e.guard_control(true, Rm::Rne);
            ldx(e, Rax, *a, 0);
            ldx(e, Rcx, *b, 1);
            compare(e, f64, *cc != FpCmpCc::Eq);
            match cc {
                FpCmpCc::Eq => dynasm!(e.c.a ; .arch x64 ; sete al),
                FpCmpCc::Lt => dynasm!(e.c.a ; .arch x64 ; setb al),
                FpCmpCc::Le => dynasm!(e.c.a ; .arch x64 ; setbe al),
            }
            dynasm!(e.c.a ; .arch x64 ; movzx eax, al);
        }
        Op::FToInt { a, signed, rm, .. } => to_int(e, inst.ty, *a, *signed, *rm),
        Op::IntToF { a, signed, rm, .. } => from_int(e, f64, *a, *signed, *rm),
        _ => unreachable!("not a native FP op"),
    }
}

/// `(u)comis` of xmm0 with xmm1 (signalling compares raise invalid on quiet NaNs too, as
/// `comis` does); unordered goes slow, so only the ordered flags remain.
fn compare(e: &mut Emit, f64: bool, signaling: bool) {
    let slow = e.slow_label();
    match (f64, signaling) {
        (true, false) => dynasm!(e.c.a ; .arch x64 ; ucomisd xmm0, xmm1),
        (true, true) => dynasm!(e.c.a ; .arch x64 ; comisd xmm0, xmm1),
        (false, false) => dynasm!(e.c.a ; .arch x64 ; ucomiss xmm0, xmm1),
        (false, true) => dynasm!(e.c.a ; .arch x64 ; comiss xmm0, xmm1),
    }
    dynasm!(e.c.a ; .arch x64 ; jp =>slow);
}

fn unary(e: &mut Emit, ty: Ty, op: FpUnOp, a: Val, rm: Rm) {
    let f64 = ty == Ty::F64;
    match op {
        FpUnOp::Neg | FpUnOp::Abs => {
            e.c.ld(Rax, a);
            match (op, f64) {
                (FpUnOp::Neg, true) => dynasm!(e.c.a ; .arch x64 ; btc rax, 63),
                (FpUnOp::Neg, false) => dynasm!(e.c.a ; .arch x64 ; xor eax, 0x8000_0000u32 as i32),
                (_, true) => dynasm!(e.c.a ; .arch x64 ; btr rax, 63),
                (_, false) => dynasm!(e.c.a ; .arch x64 ; and eax, 0x7fff_ffff),
            }
        }
        FpUnOp::Sqrt => {
            e.guard_control(true, rm);
            ldx(e, Rax, a, 0);
            nan_guard(e, f64, 0, 0);
            if f64 {
                dynasm!(e.c.a ; .arch x64 ; sqrtsd xmm0, xmm0);
            } else {
                dynasm!(e.c.a ; .arch x64 ; sqrtss xmm0, xmm0);
            }
            result(e, f64);
            // Negative operands give the indefinite NaN; roots are never tiny.
            fix_invalid_nan(e, f64);
        }
        FpUnOp::Convert => {
            e.guard_control(true, rm);
            ldx(e, Rax, a, 0);
            nan_guard(e, !f64, 0, 0);
            if f64 {
                dynasm!(e.c.a ; .arch x64 ; cvtss2sd xmm0, xmm0);
            } else {
                dynasm!(e.c.a ; .arch x64 ; cvtsd2ss xmm0, xmm0);
            }
            result(e, f64);
            if !f64 {
                e.guard_min_normal(false);
            }
        }
        FpUnOp::RoundInt | FpUnOp::RoundIntExact => {
            e.guard_control(true, rm);
            ldx(e, Rax, a, 0);
            nan_guard(e, f64, 0, 0);
            // imm8: bits 1:0 the mode, bit 2 "use MXCSR.RC", bit 3 suppress inexact.
            let mode = match rm {
                Rm::Dyn => 4,
                r => super::rc(r) as i8,
            };
            let imm = mode | if op == FpUnOp::RoundInt { 8 } else { 0 };
            if f64 {
                dynasm!(e.c.a ; .arch x64 ; roundsd xmm0, xmm0, imm);
            } else {
                dynasm!(e.c.a ; .arch x64 ; roundss xmm0, xmm0, imm);
            }
            result(e, f64);
        }
        _ => unreachable!("not a native FP unary op"),
    }
}

fn binary(e: &mut Emit, f64: bool, op: FpBinOp, a: Val, b: Val, rm: Rm) {
    match op {
        FpBinOp::CopySign | FpBinOp::CopySignNeg | FpBinOp::XorSign => {
            e.c.ld(Rax, a);
            e.c.ld(Rcx, b);
            if op == FpBinOp::CopySignNeg {
                dynasm!(e.c.a ; .arch x64 ; not rcx);
            }
            if f64 {
                dynasm!(e.c.a ; .arch x64 ; shr rcx, 63 ; shl rcx, 63);
                if op != FpBinOp::XorSign {
                    dynasm!(e.c.a ; .arch x64 ; btr rax, 63);
                }
                dynasm!(e.c.a ; .arch x64 ; xor rax, rcx);
            } else {
                dynasm!(e.c.a ; .arch x64 ; and ecx, 0x8000_0000u32 as i32);
                if op != FpBinOp::XorSign {
                    dynasm!(e.c.a ; .arch x64 ; and eax, 0x7fff_ffff);
                }
                dynasm!(e.c.a ; .arch x64 ; xor eax, ecx);
            }
        }
        FpBinOp::Min | FpBinOp::Max | FpBinOp::MinNum | FpBinOp::MaxNum => {
            // Without NaNs all four agree: the smaller/larger value, -0 < +0.
            let max = matches!(op, FpBinOp::Max | FpBinOp::MaxNum);
            e.guard_control(true, Rm::Rne);
            ldx(e, Rax, a, 0);
            ldx(e, Rcx, b, 1);
            nan_guard(e, f64, 0, 1);
            let (ne, done) = (e.c.a.new_dynamic_label(), e.done);
            // Equal values are identical bits or zeros of either sign: OR gives min, AND max.
            dynasm!(e.c.a ; .arch x64 ; jne =>ne);
            if max {
                dynasm!(e.c.a ; .arch x64 ; and rax, rcx ; jmp =>done ; =>ne ; cmovb rax, rcx);
            } else {
                dynasm!(e.c.a ; .arch x64 ; or rax, rcx ; jmp =>done ; =>ne ; cmova rax, rcx);
            }
        }
        _ => {
            // Add, Sub, Mul, Div, AbsDiff.
            e.guard_control(true, rm);
            ldx(e, Rax, a, 0);
            ldx(e, Rcx, b, 1);
            nan_guard(e, f64, 0, 1);
            match (op, f64) {
                (FpBinOp::Add, true) => dynasm!(e.c.a ; .arch x64 ; addsd xmm0, xmm1),
                (FpBinOp::Add, false) => dynasm!(e.c.a ; .arch x64 ; addss xmm0, xmm1),
                (FpBinOp::Mul, true) => dynasm!(e.c.a ; .arch x64 ; mulsd xmm0, xmm1),
                (FpBinOp::Mul, false) => dynasm!(e.c.a ; .arch x64 ; mulss xmm0, xmm1),
                (FpBinOp::Div, true) => dynasm!(e.c.a ; .arch x64 ; divsd xmm0, xmm1),
                (FpBinOp::Div, false) => dynasm!(e.c.a ; .arch x64 ; divss xmm0, xmm1),
                (_, true) => dynasm!(e.c.a ; .arch x64 ; subsd xmm0, xmm1),
                (_, false) => dynasm!(e.c.a ; .arch x64 ; subss xmm0, xmm1),
            }
            result(e, f64);
            if op == FpBinOp::AbsDiff {
                // |a - b|: clearing the sign also turns indefinite into the default NaN.
                if f64 {
                    dynasm!(e.c.a ; .arch x64 ; btr rax, 63);
                } else {
                    dynasm!(e.c.a ; .arch x64 ; and eax, 0x7fff_ffff);
                }
            } else {
                fix_invalid_nan(e, f64);
            }
            if matches!(op, FpBinOp::Mul | FpBinOp::Div) {
                e.guard_min_normal(f64);
            }
        }
    }
}

/// FP -> integer, fbits 0. Signed: x86 gives INT_MIN ("integer indefinite", raising only
/// invalid) for NaN and out-of-range operands, so INT_MIN goes slow (the interpreter raises at
/// least the same flags). Unsigned: x86 has no unsigned conversion, so operands outside
/// [-0, largest value whose rounding fits] go slow before converting with the signed 64-bit
/// form.
fn to_int(e: &mut Emit, ity: Ty, a: Val, signed: bool, rm: Rm) {
    let f64 = e.c.b.ty(a) == Ty::F64;
    let w64 = ity == Ty::I64;
    e.guard_control(true, rm);
    ldx(e, Rax, a, 0);
    let slow = e.slow_label();
    if !signed {
        // Largest F32/F64 values no larger than u32::MAX / i64::MAX.
        let bound: u64 = match (w64, f64) {
            (false, true) => 0x41ef_ffff_ffe0_0000,
            (false, false) => 0x4f7f_ffff,
            (true, true) => 0x43df_ffff_ffff_ffff,
            (true, false) => 0x5eff_ffff,
        };
        dynasm!(e.c.a
            ; .arch x64
            ; xorps xmm1, xmm1
            ; mov rcx, QWORD bound as i64
            ; movq xmm2, rcx
        );
        if f64 {
            dynasm!(e.c.a ; .arch x64 ; ucomisd xmm0, xmm1 ; jb =>slow ; ucomisd xmm0, xmm2 ; ja =>slow);
        } else {
            dynasm!(e.c.a ; .arch x64 ; ucomiss xmm0, xmm1 ; jb =>slow ; ucomiss xmm0, xmm2 ; ja =>slow);
        }
    }
    let trunc = rm == Rm::Rtz;
    let wide = w64 || !signed;
    match (f64, trunc, wide) {
        (true, true, true) => dynasm!(e.c.a ; .arch x64 ; cvttsd2si rax, xmm0),
        (true, true, false) => dynasm!(e.c.a ; .arch x64 ; cvttsd2si eax, xmm0),
        (true, false, true) => dynasm!(e.c.a ; .arch x64 ; cvtsd2si rax, xmm0),
        (true, false, false) => dynasm!(e.c.a ; .arch x64 ; cvtsd2si eax, xmm0),
        (false, true, true) => dynasm!(e.c.a ; .arch x64 ; cvttss2si rax, xmm0),
        (false, true, false) => dynasm!(e.c.a ; .arch x64 ; cvttss2si eax, xmm0),
        (false, false, true) => dynasm!(e.c.a ; .arch x64 ; cvtss2si rax, xmm0),
        (false, false, false) => dynasm!(e.c.a ; .arch x64 ; cvtss2si eax, xmm0),
    }
    if signed {
        // `x - 1` overflows exactly for INT_MIN.
        if w64 {
            dynasm!(e.c.a ; .arch x64 ; cmp rax, 1 ; jo =>slow);
        } else {
            dynasm!(e.c.a ; .arch x64 ; cmp eax, 1 ; jo =>slow);
        }
    }
}

/// Integer -> FP, fbits 0. 32-bit integers go through the signed 64-bit form (exact range);
/// unsigned 64-bit values with the top bit set go slow.
fn from_int(e: &mut Emit, f64: bool, a: Val, signed: bool, rm: Rm) {
    let i64 = e.c.b.ty(a) == Ty::I64;
    let exact = !i64 && f64;
    if !exact {
        e.guard_control(false, rm);
    }
    e.c.ld(Rax, a);
    match (i64, signed) {
        (false, true) => dynasm!(e.c.a ; .arch x64 ; movsxd rax, eax),
        (false, false) => dynasm!(e.c.a ; .arch x64 ; mov eax, eax),
        (true, true) => {}
        (true, false) => {
            let slow = e.slow_label();
            dynasm!(e.c.a ; .arch x64 ; test rax, rax ; js =>slow);
        }
    }
    dynasm!(e.c.a ; .arch x64 ; xorps xmm0, xmm0);
    if f64 {
        dynasm!(e.c.a ; .arch x64 ; cvtsi2sd xmm0, rax);
    } else {
        dynasm!(e.c.a ; .arch x64 ; cvtsi2ss xmm0, rax);
    }
    result(e, f64);
}
