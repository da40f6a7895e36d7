//! Vector permutes and lane moves: ZIP/UZP/TRN, pairwise ADDP/UMAXP/..., REV16/32/64, TBL/TBX
//! (SSSE3 pshufb), EXT, ZeroHigh, DUP (general and element), UMOV/INS (`VExtract`/`VInsert`).
//!
//! Register conventions as in the parent: a in xmm0, b in xmm1, result in xmm0.

use super::super::regalloc::{Ctx, Scratch::Rax};
use super::{add, lane_mask, load, minmax, splat, store, Feats};
use dynasmrt::{dynasm, DynasmApi};
use emu_core::ir::{Val, VecBinOp, VecUnOp};

pub(super) fn unary_native(op: VecUnOp, _es: u32) -> bool {
    use VecUnOp::*;
    matches!(op, ZeroHigh | Rev16 | Rev32 | Rev64)
}

pub(super) fn unary(c: &mut Ctx, op: VecUnOp, es: u32) -> bool {
    use VecUnOp::*;
    let container = match op {
        ZeroHigh => {
            dynasm!(c.a ; .arch x64 ; movq xmm0, xmm0);
            return true;
        }
        Rev16 => 16,
        Rev32 => 32,
        Rev64 => 64,
        _ => return false,
    };
    if es >= container {
        return true; // one element per container: unchanged
    }
    if es == 8 {
        dynasm!(c.a ; .arch x64 ; movdqa xmm3, xmm0 ; psrlw xmm0, 8 ; psllw xmm3, 8 ; por xmm0, xmm3);
    }
    match (container, es) {
        (32, _) => {
            dynasm!(c.a ; .arch x64 ; pshuflw xmm0, xmm0, 0xb1u8 as i8 ; pshufhw xmm0, xmm0, 0xb1u8 as i8)
        }
        (64, 32) => dynasm!(c.a ; .arch x64 ; pshufd xmm0, xmm0, 0xb1u8 as i8),
        (64, _) => dynasm!(c.a ; .arch x64 ; pshuflw xmm0, xmm0, 0x1b ; pshufhw xmm0, xmm0, 0x1b),
        _ => {}
    }
    true
}

pub(super) fn binary_native(op: VecBinOp, _es: u32, f: Feats) -> bool {
    use VecBinOp::*;
    match op {
        Zip1 | Zip2 | Uzp1 | Uzp2 | Trn1 | Trn2 => true,
        AddPairwise | UMinPairwise | UMaxPairwise | SMinPairwise | SMaxPairwise => true,
        Tbl => f.ssse3,
        _ => false,
    }
}

pub(super) fn binary(c: &mut Ctx, op: VecBinOp, es: u32, _f: Feats) -> bool {
    use VecBinOp::*;
    match op {
        Zip1 => super::by_es!(c, es, 0, 1, punpcklbw, punpcklwd, punpckldq, punpcklqdq),
        Zip2 => super::by_es!(c, es, 0, 1, punpckhbw, punpckhwd, punpckhdq, punpckhqdq),
        Uzp1 | Uzp2 => uzp(c, es, op == Uzp2, 0, 1, 3),
        Trn1 | Trn2 => trn(c, es, op == Trn2),
        AddPairwise | UMinPairwise | UMaxPairwise | SMinPairwise | SMaxPairwise => {
            // op(even lanes of a:b, odd lanes of a:b)
            dynasm!(c.a ; .arch x64 ; movdqa xmm2, xmm0 ; movdqa xmm3, xmm1);
            uzp(c, es, false, 0, 1, 4);
            uzp(c, es, true, 2, 3, 4);
            match op {
                AddPairwise => add(c, es, 0, 2),
                _ => {
                    let signed = matches!(op, SMinPairwise | SMaxPairwise);
                    let max = matches!(op, UMaxPairwise | SMaxPairwise);
                    minmax(c, es, signed, max, 0, 2, [4, 5, 6, 7]);
                }
            }
        }
        Tbl => tbl(c, 0, 1, 3),
        _ => return false,
    }
    true
}

/// xmm`x` = the even (or odd) `es` lanes of xmm`x`:xmm`y`, x lowest; xmm`y` and xmm`t` are
/// clobbered.
fn uzp(c: &mut Ctx, es: u32, odd: bool, x: u8, y: u8, t: u8) {
    match (es, odd) {
        (8, false) => {
            splat(c, t, 16, 0x00ff);
            dynasm!(c.a ; .arch x64 ; pand Rx(x), Rx(t) ; pand Rx(y), Rx(t) ; packuswb Rx(x), Rx(y));
        }
        (8, true) => dynasm!(c.a ; .arch x64 ; psrlw Rx(x), 8 ; psrlw Rx(y), 8 ; packuswb Rx(x), Rx(y)),
        (16, false) => dynasm!(c.a ; .arch x64
            ; pslld Rx(x), 16 ; psrad Rx(x), 16 ; pslld Rx(y), 16 ; psrad Rx(y), 16
            ; packssdw Rx(x), Rx(y)),
        (16, true) => dynasm!(c.a ; .arch x64 ; psrad Rx(x), 16 ; psrad Rx(y), 16 ; packssdw Rx(x), Rx(y)),
        (32, false) => dynasm!(c.a ; .arch x64 ; shufps Rx(x), Rx(y), 0x88u8 as i8),
        (32, true) => dynasm!(c.a ; .arch x64 ; shufps Rx(x), Rx(y), 0xddu8 as i8),
        (_, false) => dynasm!(c.a ; .arch x64 ; punpcklqdq Rx(x), Rx(y)),
        (_, true) => dynasm!(c.a ; .arch x64 ; punpckhqdq Rx(x), Rx(y)),
    }
}

/// TRN1/TRN2 of xmm0, xmm1 into xmm0.
fn trn(c: &mut Ctx, es: u32, odd: bool) {
    if es == 64 {
        if odd {
            dynasm!(c.a ; .arch x64 ; punpckhqdq xmm0, xmm1);
        } else {
            dynasm!(c.a ; .arch x64 ; punpcklqdq xmm0, xmm1);
        }
        return;
    }
    // Within each 2*es container: trn1 = a.lo | b.lo << es, trn2 = a.hi >> es | b.hi.
    splat(c, 3, 2 * es, lane_mask(es));
    let k = es as i8;
    match (es, odd) {
        (8, false) => dynasm!(c.a ; .arch x64 ; psllw xmm1, k),
        (16, false) => dynasm!(c.a ; .arch x64 ; pslld xmm1, k),
        (_, false) => dynasm!(c.a ; .arch x64 ; psllq xmm1, k),
        (8, true) => dynasm!(c.a ; .arch x64 ; psrlw xmm0, k),
        (16, true) => dynasm!(c.a ; .arch x64 ; psrld xmm0, k),
        (_, true) => dynasm!(c.a ; .arch x64 ; psrlq xmm0, k),
    }
    if odd {
        dynasm!(c.a ; .arch x64 ; pandn xmm3, xmm1 ; por xmm0, xmm3);
    } else {
        dynasm!(c.a ; .arch x64 ; pand xmm0, xmm3 ; por xmm0, xmm1);
    }
}

/// xmm`table` = bytes of xmm`table` indexed by the bytes of xmm`idx`, 0 for indices >= 16
/// (SSSE3). xmm`idx` is preserved, xmm`t` clobbered.
pub(super) fn tbl(c: &mut Ctx, table: u8, idx: u8, t: u8) {
    // Saturating idx + 0x70 keeps 0..15 in the low nibble with bit 7 clear and sets bit 7 for
    // every larger index, which pshufb turns into a zero byte.
    splat(c, t, 8, 0x70);
    dynasm!(c.a ; .arch x64 ; paddusb Rx(t), Rx(idx) ; pshufb Rx(table), Rx(t));
}

/// EXT: bytes imm..imm+16 of xmm1:xmm0 into xmm0.
pub(super) fn ext(c: &mut Ctx, imm: u32, f: Feats) {
    let sh = (imm % 16) as i8;
    if sh == 0 {
        return;
    }
    if f.ssse3 {
        dynasm!(c.a ; .arch x64 ; palignr xmm1, xmm0, sh ; movdqa xmm0, xmm1);
    } else {
        dynasm!(c.a ; .arch x64 ; psrldq xmm0, sh ; pslldq xmm1, 16 - sh ; por xmm0, xmm1);
    }
}

/// Every `es` lane of xmm0 = the low `es` bits of `rax`.
fn broadcast_rax(c: &mut Ctx, es: u32) {
    match es {
        8 => dynasm!(c.a ; .arch x64
            ; movzx eax, al ; imul eax, eax, 0x0101_0101 ; movd xmm0, eax ; pshufd xmm0, xmm0, 0),
        16 => dynasm!(c.a ; .arch x64
            ; movzx eax, ax ; imul eax, eax, 0x0001_0001 ; movd xmm0, eax ; pshufd xmm0, xmm0, 0),
        32 => dynasm!(c.a ; .arch x64 ; movd xmm0, eax ; pshufd xmm0, xmm0, 0),
        _ => dynasm!(c.a ; .arch x64 ; movq xmm0, rax ; punpcklqdq xmm0, xmm0),
    }
}

/// `VDup`: every lane = scalar `a`.
pub(super) fn dup(c: &mut Ctx, a: Val, es: u32) {
    c.ld(Rax, a);
    broadcast_rax(c, es);
    store(c, 0);
}

/// Load lane `idx` of V128 `a` (zero-extended) into `rax`.
fn lane_to_rax(c: &mut Ctx, a: Val, es: u32, idx: u32) {
    let s = c.slot_of(a) + (idx * es / 8) as i32;
    match es {
        8 => dynasm!(c.a ; .arch x64 ; movzx eax, BYTE [rsp + s]),
        16 => dynasm!(c.a ; .arch x64 ; movzx eax, WORD [rsp + s]),
        32 => dynasm!(c.a ; .arch x64 ; mov eax, DWORD [rsp + s]),
        _ => dynasm!(c.a ; .arch x64 ; mov rax, QWORD [rsp + s]),
    }
}

/// DUP (element): every lane = lane `imm mod lanes` of `a`.
pub(super) fn dup_lane(c: &mut Ctx, a: Val, es: u32, imm: u32) {
    lane_to_rax(c, a, es, imm % (128 / es));
    broadcast_rax(c, es);
    store(c, 0);
}

/// `VExtract` (UMOV, FMOV from an element): lane `idx`, zero-extended, as a scalar.
pub(super) fn extract(c: &mut Ctx, a: Val, es: u32, idx: u32) {
    lane_to_rax(c, a, es, idx);
    c.def();
}

/// `VInsert` (INS): `a` with lane `idx` replaced by scalar `b`.
pub(super) fn insert(c: &mut Ctx, a: Val, b: Val, es: u32, idx: u32) {
    load(c, 0, a);
    c.ld(Rax, b);
    let f = super::feats();
    let i = idx as i8;
    match es {
        16 => dynasm!(c.a ; .arch x64 ; pinsrw xmm0, eax, i),
        8 if f.sse41 => dynasm!(c.a ; .arch x64 ; pinsrb xmm0, eax, i),
        32 if f.sse41 => dynasm!(c.a ; .arch x64 ; pinsrd xmm0, eax, i),
        64 if idx == 0 => dynasm!(c.a ; .arch x64 ; movq xmm3, rax ; movsd xmm0, xmm3),
        64 => dynasm!(c.a ; .arch x64 ; movq xmm3, rax ; punpcklqdq xmm0, xmm3),
        _ => {
            // SSE2 has no byte/dword insert: patch the lane in memory.
            let s = 16 * c.cur as i32;
            let o = s + (idx * es / 8) as i32;
            dynasm!(c.a ; .arch x64 ; movdqu [rsp + s], xmm0);
            if es == 8 {
                dynasm!(c.a ; .arch x64 ; mov BYTE [rsp + o], al);
            } else {
                dynasm!(c.a ; .arch x64 ; mov DWORD [rsp + o], eax);
            }
            c.def_slot();
            return;
        }
    }
    store(c, 0);
}
