//! Vector ops that change lane width or reduce across lanes, and the immediate shifts: ADDV,
//! UMAXV & co., UADDLV/SADDLV, XTN, UXTL/SXTL, UADDLP/SADDLP, the widening "three different"
//! rows (UMULL, UADDL, USUBW, UABDL, UMLAL, UABAL, ...), SHL/USHR/SSHR/URSHR/SRSHR,
//! SHRN/RSHRN, USHLL/SSHLL, DUP (element), and the two-operand immediates EXT, SLI, SRI and
//! the shift-and-accumulate forms.
//!
//! Register conventions as in the parent: a in xmm0, b in xmm1, c in xmm2, result in xmm0.

use super::super::regalloc::Ctx;
use super::lanes::{abd, mul};
use super::{add, asr, lane_mask, load, lsr, minmax, shl, sign_mask, splat, store, sub, zero, Feats};
use dynasmrt::{dynasm, DynasmApi};
use emu_core::ir::{Val, VecBinOp, VecImm2Op, VecImmOp, VecTerOp, VecUnOp};

pub(super) fn unary_native(op: VecUnOp, es: u32) -> bool {
    use VecUnOp::*;
    match op {
        AddAcross | UmaxAcross | UminAcross | SmaxAcross | SminAcross => true,
        UAddlAcross | SAddlAcross | WidenLowU | WidenLowS | WidenHighU | WidenHighS => es <= 32,
        AddPairwiseLongU | AddPairwiseLongS => es <= 32,
        Narrow => es >= 16,
        _ => false,
    }
}

pub(super) fn unary(c: &mut Ctx, op: VecUnOp, es: u32) {
    use VecUnOp::*;
    match op {
        AddAcross if es == 8 => {
            // psadbw against zero sums each half's bytes.
            zero(c, 3);
            dynasm!(c.a ; .arch x64
                ; psadbw xmm0, xmm3 ; pshufd xmm3, xmm0, 0x0e ; paddq xmm0, xmm3
                ; movd eax, xmm0 ; movzx eax, al ; movd xmm0, eax);
        }
        AddAcross | UmaxAcross | UminAcross | SmaxAcross | SminAcross => {
            let mut bytes = 8;
            while bytes >= es / 8 {
                dynasm!(c.a ; .arch x64 ; movdqa xmm7, xmm0 ; psrldq xmm7, bytes as i8);
                match op {
                    AddAcross => add(c, es, 0, 7),
                    _ => {
                        let signed = matches!(op, SmaxAcross | SminAcross);
                        let max = matches!(op, UmaxAcross | SmaxAcross);
                        minmax(c, es, signed, max, 0, 7, [3, 4, 5, 6]);
                    }
                }
                bytes /= 2;
            }
            lane0_only(c, es);
        }
        UAddlAcross | SAddlAcross => {
            let signed = op == SAddlAcross;
            match es {
                8 => {
                    // Signed bytes are unsigned ones biased by 0x80: subtract 16 * 0x80.
                    if signed {
                        splat(c, 3, 8, 0x80);
                        dynasm!(c.a ; .arch x64 ; pxor xmm0, xmm3);
                    }
                    zero(c, 3);
                    dynasm!(c.a ; .arch x64
                        ; psadbw xmm0, xmm3 ; pshufd xmm3, xmm0, 0x0e ; paddq xmm0, xmm3
                        ; movd eax, xmm0);
                    if signed {
                        dynasm!(c.a ; .arch x64 ; sub eax, 2048 ; movzx eax, ax);
                    }
                    dynasm!(c.a ; .arch x64 ; movd xmm0, eax);
                }
                16 if signed => {
                    splat(c, 3, 16, 1);
                    dynasm!(c.a ; .arch x64 ; pmaddwd xmm0, xmm3);
                    reduce_add(c, 32);
                }
                _ => {
                    widen_both(c, es, signed);
                    reduce_add(c, 2 * es);
                }
            }
        }
        Narrow => narrow(c, es),
        WidenLowU | WidenLowS | WidenHighU | WidenHighS => {
            let signed = matches!(op, WidenLowS | WidenHighS);
            widen(c, es, signed, matches!(op, WidenHighU | WidenHighS), 0, 3);
        }
        AddPairwiseLongU | AddPairwiseLongS => {
            // Even lanes: shift up and back down within 2*es; odd lanes: shift down.
            let signed = op == AddPairwiseLongS;
            dynasm!(c.a ; .arch x64 ; movdqa xmm3, xmm0);
            shl(c, 2 * es, 0, es, 4);
            for x in [0, 3] {
                if signed {
                    asr(c, 2 * es, x, es, 4);
                } else {
                    lsr(c, 2 * es, x, es, 4);
                }
            }
            add(c, 2 * es, 0, 3);
        }
        _ => unreachable!("width::unary_native admitted {op:?}"),
    }
}

/// Keep only lane 0 (es bits) of xmm0.
fn lane0_only(c: &mut Ctx, es: u32) {
    match es {
        8 => dynasm!(c.a ; .arch x64 ; movd eax, xmm0 ; movzx eax, al ; movd xmm0, eax),
        16 => dynasm!(c.a ; .arch x64 ; movd eax, xmm0 ; movzx eax, ax ; movd xmm0, eax),
        32 => dynasm!(c.a ; .arch x64 ; movd eax, xmm0 ; movd xmm0, eax),
        _ => dynasm!(c.a ; .arch x64 ; movq xmm0, xmm0),
    }
}

/// Sum the `es` (32 or 64) lanes of xmm0 into lane 0, rest zero.
fn reduce_add(c: &mut Ctx, es: u32) {
    dynasm!(c.a ; .arch x64 ; pshufd xmm3, xmm0, 0x0e);
    add(c, es, 0, 3);
    if es == 32 {
        dynasm!(c.a ; .arch x64 ; pshufd xmm3, xmm0, 0x01 ; paddd xmm0, xmm3);
    }
    lane0_only(c, es);
}

/// xmm0 = its low half widened, plus its high half widened (as 2*es lanes).
fn widen_both(c: &mut Ctx, es: u32, signed: bool) {
    dynasm!(c.a ; .arch x64 ; movdqa xmm4, xmm0);
    widen(c, es, signed, false, 0, 3);
    widen(c, es, signed, true, 4, 3);
    add(c, 2 * es, 0, 4);
}

/// xmm`x` = the low or high half's `es` lanes of xmm`x`, extended to 2*es; xmm`t` clobbered.
fn widen(c: &mut Ctx, es: u32, signed: bool, high: bool, x: u8, t: u8) {
    if signed {
        sign_mask(c, es, t, x);
    } else {
        zero(c, t);
    }
    match (es, high) {
        (8, false) => dynasm!(c.a ; .arch x64 ; punpcklbw Rx(x), Rx(t)),
        (16, false) => dynasm!(c.a ; .arch x64 ; punpcklwd Rx(x), Rx(t)),
        (_, false) => dynasm!(c.a ; .arch x64 ; punpckldq Rx(x), Rx(t)),
        (8, true) => dynasm!(c.a ; .arch x64 ; punpckhbw Rx(x), Rx(t)),
        (16, true) => dynasm!(c.a ; .arch x64 ; punpckhwd Rx(x), Rx(t)),
        (_, true) => dynasm!(c.a ; .arch x64 ; punpckhdq Rx(x), Rx(t)),
    }
}

/// XTN of xmm0: each `es` lane truncated to es/2 bits in the low half, high half zero.
fn narrow(c: &mut Ctx, es: u32) {
    match es {
        16 => {
            splat(c, 3, 16, 0xff);
            dynasm!(c.a ; .arch x64 ; pand xmm0, xmm3 ; pxor xmm3, xmm3 ; packuswb xmm0, xmm3);
        }
        32 => dynasm!(c.a ; .arch x64
            // Sign-extending the low half first makes the saturating pack exact.
            ; pslld xmm0, 16 ; psrad xmm0, 16 ; pxor xmm3, xmm3 ; packssdw xmm0, xmm3),
        _ => dynasm!(c.a ; .arch x64 ; pshufd xmm0, xmm0, 0x08 ; movq xmm0, xmm0),
    }
}

/// Widening shape of a "three different" op: (op kind, signed, high half, a already wide).
fn widening(op: VecBinOp) -> Option<(VecBinOp, bool, bool, bool)> {
    use VecBinOp::*;
    Some(match op {
        UMullLow => (Mul, false, false, false),
        UMullHigh => (Mul, false, true, false),
        SMullLow => (Mul, true, false, false),
        SMullHigh => (Mul, true, true, false),
        UAddlLow => (Add, false, false, false),
        UAddlHigh => (Add, false, true, false),
        SAddlLow => (Add, true, false, false),
        SAddlHigh => (Add, true, true, false),
        USublLow => (Sub, false, false, false),
        USublHigh => (Sub, false, true, false),
        SSublLow => (Sub, true, false, false),
        SSublHigh => (Sub, true, true, false),
        UAddwLow => (Add, false, false, true),
        UAddwHigh => (Add, false, true, true),
        SAddwLow => (Add, true, false, true),
        SAddwHigh => (Add, true, true, true),
        USubwLow => (Sub, false, false, true),
        USubwHigh => (Sub, false, true, true),
        SSubwLow => (Sub, true, false, true),
        SSubwHigh => (Sub, true, true, true),
        UAbdlLow => (UAbd, false, false, false),
        UAbdlHigh => (UAbd, false, true, false),
        SAbdlLow => (UAbd, true, false, false),
        SAbdlHigh => (UAbd, true, true, false),
        _ => return None,
    })
}

pub(super) fn binary_native(op: VecBinOp, es: u32) -> bool {
    widening(op).is_some() && es <= 32
}

pub(super) fn binary(c: &mut Ctx, op: VecBinOp, es: u32) {
    let (kind, signed, high, wide_a) = widening(op).expect("width::binary_native admitted it");
    if !wide_a {
        widen(c, es, signed, high, 0, 3);
    }
    widen(c, es, signed, high, 1, 3);
    let w = 2 * es;
    match kind {
        VecBinOp::Mul => mul(c, w, 0, 1),
        VecBinOp::Add => add(c, w, 0, 1),
        VecBinOp::Sub => sub(c, w, 0, 1),
        _ => abd(c, w, signed, 0, 1),
    }
}

pub(super) fn ternary_native(op: VecTerOp, es: u32) -> bool {
    use VecTerOp::*;
    matches!(op, UMlalLow | UMlalHigh | SMlalLow | SMlalHigh | UAbalLow | UAbalHigh | SAbalLow | SAbalHigh)
        && es <= 32
}

pub(super) fn ternary(c: &mut Ctx, op: VecTerOp, es: u32) {
    use VecTerOp::*;
    let signed = matches!(op, SMlalLow | SMlalHigh | SAbalLow | SAbalHigh);
    let high = matches!(op, UMlalHigh | SMlalHigh | UAbalHigh | SAbalHigh);
    widen(c, es, signed, high, 1, 3);
    widen(c, es, signed, high, 2, 3);
    if matches!(op, UMlalLow | UMlalHigh | SMlalLow | SMlalHigh) {
        mul(c, 2 * es, 1, 2);
    } else {
        abd(c, 2 * es, signed, 1, 2);
    }
    add(c, 2 * es, 0, 1);
}

pub(super) fn imm_native(op: VecImmOp, es: u32) -> bool {
    use VecImmOp::*;
    match op {
        Shl | UShr | SShr | URShr | SRShr | DupLane => true,
        ShrNarrow | RShrNarrow => es >= 16,
        UShllLow | UShllHigh | SShllLow | SShllHigh => es <= 32,
        _ => false,
    }
}

pub(super) fn imm(c: &mut Ctx, op: VecImmOp, es: u32, a: Val, imm: u32) {
    use VecImmOp::*;
    if op == DupLane {
        return super::perm::dup_lane(c, a, es, imm);
    }
    load(c, 0, a);
    match op {
        Shl => shl(c, es, 0, imm, 3),
        UShr => lsr(c, es, 0, imm, 3),
        SShr => asr(c, es, 0, imm, 3),
        URShr | SRShr => rshr(c, es, op == SRShr, 0, imm),
        ShrNarrow => {
            lsr(c, es, 0, imm, 3);
            narrow(c, es);
        }
        RShrNarrow => {
            rshr(c, es, false, 0, imm);
            narrow(c, es);
        }
        UShllLow | UShllHigh | SShllLow | SShllHigh => {
            widen(c, es, matches!(op, SShllLow | SShllHigh), matches!(op, UShllHigh | SShllHigh), 0, 3);
            shl(c, 2 * es, 0, imm, 3);
        }
        _ => unreachable!("width::imm_native admitted {op:?}"),
    }
    store(c, 0);
}

/// Rounding shift right of xmm`x` by `s`: (x >> s) + bit s-1 of x, which is exact without
/// the extra carry bit (the interpreter computes in 128 bits). Scratch xmm3, xmm4.
fn rshr(c: &mut Ctx, es: u32, signed: bool, x: u8, s: u32) {
    if s == 0 {
        return;
    }
    dynasm!(c.a ; .arch x64 ; movdqa xmm3, Rx(x));
    if signed {
        asr(c, es, x, s, 4);
        asr(c, es, 3, s - 1, 4);
    } else {
        lsr(c, es, x, s, 4);
        lsr(c, es, 3, s - 1, 4);
    }
    splat(c, 4, es, 1);
    dynasm!(c.a ; .arch x64 ; pand xmm3, xmm4);
    add(c, es, x, 3);
}

pub(super) fn imm2(c: &mut Ctx, op: VecImm2Op, es: u32, imm: u32, f: Feats) {
    use VecImm2Op::*;
    match op {
        Ext => super::perm::ext(c, imm, f),
        Sli | Sri => {
            // (a & !mask) | shifted b, mask = the bits the shifted b covers.
            if imm >= es {
                return;
            }
            let m = lane_mask(es);
            let mask = if op == Sli {
                shl(c, es, 1, imm, 3);
                (m << imm) & m
            } else {
                lsr(c, es, 1, imm, 3);
                m >> imm
            };
            splat(c, 3, es, mask);
            dynasm!(c.a ; .arch x64 ; pandn xmm3, xmm0 ; por xmm3, xmm1 ; movdqa xmm0, xmm3);
        }
        Usra => {
            lsr(c, es, 1, imm, 3);
            add(c, es, 0, 1);
        }
        Ssra => {
            asr(c, es, 1, imm, 3);
            add(c, es, 0, 1);
        }
        Ursra | Srsra => {
            rshr(c, es, op == Srsra, 1, imm);
            add(c, es, 0, 1);
        }
    }
}
