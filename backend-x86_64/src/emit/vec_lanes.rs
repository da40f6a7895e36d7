//! Lane-wise vector ops: bitwise logic, add/sub/mul, compares, min/max, saturating, halving and
//! absolute-difference arithmetic (AArch64 "three same" and "two-register misc" integer rows),
//! CNT/CLZ/CLS/RBIT, BSL/MLA/MLS/UABA/SABA/TBX, and the sign-bit FP ops FABS/FNEG, which raise
//! no flags.
//!
//! Operands arrive in xmm0 (a), xmm1 (b), xmm2 (c); the result is left in xmm0. Returning
//! `false` means "not this file's op" (nothing emitted).

use super::super::regalloc::Ctx;
use super::{add, asr, eq, gt, lane_mask, lsr, minmax, mov, ones, shl, sign_mask, splat, sub, zero, Feats};
use dynasmrt::{dynasm, DynasmApi};
use emu_core::ir::{VecBinOp, VecTerOp, VecUnOp};

pub(super) fn unary_native(op: VecUnOp, es: u32) -> bool {
    use VecUnOp::*;
    match op {
        Not | Neg | Abs | CmpEqZero | CmpGtZero | CmpGeZero | CmpLeZero | CmpLtZero => true,
        FAbs | FNeg => es >= 32,
        Cnt | Clz | Cls | Rbit => true,
        _ => false,
    }
}

pub(super) fn unary(c: &mut Ctx, op: VecUnOp, es: u32) -> bool {
    use VecUnOp::*;
    match op {
        Not => {
            ones(c, 3);
            dynasm!(c.a ; .arch x64 ; pxor xmm0, xmm3);
        }
        Neg => {
            zero(c, 3);
            sub(c, es, 3, 0);
            mov(c, 0, 3);
        }
        Abs => {
            // (x ^ s) - s with s the sign mask.
            sign_mask(c, es, 3, 0);
            dynasm!(c.a ; .arch x64 ; pxor xmm0, xmm3);
            sub(c, es, 0, 3);
        }
        CmpEqZero | CmpGtZero | CmpGeZero | CmpLeZero | CmpLtZero => {
            // Everything from "< 0" (xmm3) and "== 0" (xmm0).
            sign_mask(c, es, 3, 0);
            zero(c, 4);
            eq(c, es, 0, 4, 5);
            match op {
                CmpEqZero => {}
                CmpLtZero => mov(c, 0, 3),
                CmpLeZero => dynasm!(c.a ; .arch x64 ; por xmm0, xmm3),
                CmpGeZero => {
                    ones(c, 0);
                    dynasm!(c.a ; .arch x64 ; pxor xmm0, xmm3);
                }
                _ => {
                    ones(c, 4);
                    dynasm!(c.a ; .arch x64 ; por xmm0, xmm3 ; pxor xmm0, xmm4);
                }
            }
        }
        FAbs | FNeg => {
            splat(c, 3, es, 1 << (es - 1));
            if op == FAbs {
                dynasm!(c.a ; .arch x64 ; pandn xmm3, xmm0 ; movdqa xmm0, xmm3);
            } else {
                dynasm!(c.a ; .arch x64 ; pxor xmm0, xmm3);
            }
        }
        Cnt => {
            // SWAR popcount per byte.
            splat(c, 5, 8, 0x55);
            dynasm!(c.a ; .arch x64
                ; movdqa xmm3, xmm0 ; psrlw xmm3, 1 ; pand xmm3, xmm5 ; psubb xmm0, xmm3);
            splat(c, 5, 8, 0x33);
            dynasm!(c.a ; .arch x64
                ; movdqa xmm3, xmm0 ; pand xmm3, xmm5 ; psrlw xmm0, 2 ; pand xmm0, xmm5
                ; paddb xmm0, xmm3
                ; movdqa xmm3, xmm0 ; psrlw xmm3, 4 ; paddb xmm0, xmm3);
            splat(c, 5, 8, 0x0f);
            dynasm!(c.a ; .arch x64 ; pand xmm0, xmm5);
            // Wider lanes sum their bytes' counts.
            if es == 64 {
                dynasm!(c.a ; .arch x64 ; pxor xmm5, xmm5 ; psadbw xmm0, xmm5);
            } else if es >= 16 {
                splat(c, 5, 16, 0x00ff);
                dynasm!(c.a ; .arch x64 ; movdqa xmm3, xmm0 ; psrlw xmm3, 8 ; paddb xmm0, xmm3 ; pand xmm0, xmm5);
                if es == 32 {
                    dynasm!(c.a ; .arch x64 ; movdqa xmm3, xmm0 ; psrld xmm3, 16 ; paddw xmm0, xmm3);
                    splat(c, 5, 32, 0xffff);
                    dynasm!(c.a ; .arch x64 ; pand xmm0, xmm5);
                }
            }
        }
        Clz => clz(c, es),
        Cls => {
            // Leading sign bits below the sign bit: clz(x ^ (x >> 1)) - 1 with an arithmetic
            // shift, which clears the top bit and marks where the sign run ends.
            dynasm!(c.a ; .arch x64 ; movdqa xmm3, xmm0);
            asr(c, es, 3, 1, 4);
            dynasm!(c.a ; .arch x64 ; pxor xmm0, xmm3);
            clz(c, es);
            splat(c, 3, es, 1);
            sub(c, es, 0, 3);
        }
        Rbit => {
            // Reverse the bits of each byte by swapping 1-, 2- and 4-bit groups, then the bytes
            // of each lane.
            for (k, m) in [(1u32, 0x55u64), (2, 0x33), (4, 0x0f)] {
                splat(c, 5, 8, m);
                let k = k as i8;
                dynasm!(c.a ; .arch x64
                    ; movdqa xmm3, xmm0 ; psrlw xmm3, k ; pand xmm3, xmm5
                    ; pand xmm0, xmm5 ; psllw xmm0, k ; por xmm0, xmm3);
            }
            let rev = match es {
                8 => None,
                16 => Some(VecUnOp::Rev16),
                32 => Some(VecUnOp::Rev32),
                _ => Some(VecUnOp::Rev64),
            };
            if let Some(rev) = rev {
                super::perm::unary(c, rev, 8);
            }
        }
        _ => return false,
    }
    true
}

/// xmm0 = count of leading zeros of each `es` lane, by halving: where the top s bits are zero,
/// add s and shift the lane left by s. Scratch xmm3..xmm7.
fn clz(c: &mut Ctx, es: u32) {
    zero(c, 7); // the count
    let mut s = es / 2;
    while s >= 1 {
        dynasm!(c.a ; .arch x64 ; movdqa xmm3, xmm0);
        lsr(c, es, 3, es - s, 4);
        zero(c, 4);
        eq(c, es, 3, 4, 5); // top s bits zero
        splat(c, 4, es, s as u64);
        dynasm!(c.a ; .arch x64 ; pand xmm4, xmm3);
        add(c, es, 7, 4);
        dynasm!(c.a ; .arch x64 ; movdqa xmm6, xmm0);
        shl(c, es, 6, s, 4);
        super::select(c, 3, 6, 0);
        mov(c, 0, 6);
        s /= 2;
    }
    // Only a zero lane still has its top bit clear.
    sign_mask(c, es, 3, 0);
    splat(c, 4, es, 1);
    dynasm!(c.a ; .arch x64 ; pandn xmm3, xmm4 ; movdqa xmm0, xmm7);
    add(c, es, 0, 3);
}

pub(super) fn binary_native(op: VecBinOp, _es: u32) -> bool {
    use VecBinOp::*;
    matches!(
        op,
        And | Or
            | Xor
            | AndNot
            | OrNot
            | Add
            | Sub
            | Mul
            | CmpEq
            | CmpGt
            | CmpGe
            | CmpHi
            | CmpHs
            | CmpTst
            | UMin
            | UMax
            | SMin
            | SMax
            | UQSub
            | UQAdd
            | SQAdd
            | SQSub
            | UHAdd
            | URHAdd
            | SHAdd
            | UHSub
            | SHSub
            | UAbd
            | SAbd
    )
}

pub(super) fn binary(c: &mut Ctx, op: VecBinOp, es: u32) -> bool {
    use VecBinOp::*;
    match op {
        And => dynasm!(c.a ; .arch x64 ; pand xmm0, xmm1),
        Or => dynasm!(c.a ; .arch x64 ; por xmm0, xmm1),
        Xor => dynasm!(c.a ; .arch x64 ; pxor xmm0, xmm1),
        AndNot => dynasm!(c.a ; .arch x64 ; pandn xmm1, xmm0 ; movdqa xmm0, xmm1),
        OrNot => {
            ones(c, 3);
            dynasm!(c.a ; .arch x64 ; pxor xmm1, xmm3 ; por xmm0, xmm1);
        }
        Add => add(c, es, 0, 1),
        Sub => sub(c, es, 0, 1),
        Mul => mul(c, es, 0, 1),
        CmpEq => eq(c, es, 0, 1, 3),
        CmpGt | CmpHi => gt(c, es, op == CmpGt, 0, 1, [3, 4]),
        CmpGe | CmpHs => {
            // a >= b is !(b > a).
            gt(c, es, op == CmpGe, 1, 0, [3, 4]);
            ones(c, 0);
            dynasm!(c.a ; .arch x64 ; pxor xmm0, xmm1);
        }
        CmpTst => {
            dynasm!(c.a ; .arch x64 ; pand xmm0, xmm1);
            zero(c, 1);
            eq(c, es, 0, 1, 3);
            ones(c, 1);
            dynasm!(c.a ; .arch x64 ; pxor xmm0, xmm1);
        }
        UMin | UMax | SMin | SMax => {
            minmax(c, es, matches!(op, SMin | SMax), matches!(op, UMax | SMax), 0, 1, [3, 4, 5, 6])
        }
        UQSub => match es {
            8 => dynasm!(c.a ; .arch x64 ; psubusb xmm0, xmm1),
            16 => dynasm!(c.a ; .arch x64 ; psubusw xmm0, xmm1),
            _ => {
                // a - min(a, b)
                mov(c, 2, 0);
                minmax(c, es, false, false, 2, 1, [3, 4, 5, 6]);
                sub(c, es, 0, 2);
            }
        },
        UQAdd => match es {
            8 => dynasm!(c.a ; .arch x64 ; paddusb xmm0, xmm1),
            16 => dynasm!(c.a ; .arch x64 ; paddusw xmm0, xmm1),
            _ => {
                // a + min(b, !a)
                ones(c, 2);
                dynasm!(c.a ; .arch x64 ; pxor xmm2, xmm0);
                minmax(c, es, false, false, 1, 2, [3, 4, 5, 6]);
                add(c, es, 0, 1);
            }
        },
        SQAdd if es == 8 => dynasm!(c.a ; .arch x64 ; paddsb xmm0, xmm1),
        SQAdd if es == 16 => dynasm!(c.a ; .arch x64 ; paddsw xmm0, xmm1),
        SQSub if es == 8 => dynasm!(c.a ; .arch x64 ; psubsb xmm0, xmm1),
        SQSub if es == 16 => dynasm!(c.a ; .arch x64 ; psubsw xmm0, xmm1),
        SQAdd | SQSub => {
            // r = a +- b; it overflowed where the sign of r differs from a's and (add) equals
            // b's / (sub) differs from b's; there the result saturates toward a's sign.
            dynasm!(c.a ; .arch x64 ; movdqa xmm2, xmm0);
            if op == SQAdd {
                add(c, es, 2, 1);
                dynasm!(c.a ; .arch x64
                    ; movdqa xmm3, xmm2 ; pxor xmm3, xmm0 ; pxor xmm1, xmm2 ; pand xmm3, xmm1);
            } else {
                sub(c, es, 2, 1);
                dynasm!(c.a ; .arch x64
                    ; movdqa xmm3, xmm2 ; pxor xmm3, xmm0 ; pxor xmm1, xmm0 ; pand xmm3, xmm1);
            }
            sign_mask(c, es, 4, 3); // overflow lanes
            sign_mask(c, es, 5, 0);
            splat(c, 6, es, lane_mask(es) >> 1);
            dynasm!(c.a ; .arch x64 ; pxor xmm5, xmm6); // a < 0 ? MIN : MAX
            super::select(c, 4, 5, 2);
            mov(c, 0, 5);
        }
        UHAdd | SHAdd => {
            // (a & b) + ((a ^ b) >> 1), exact in es bits for both signednesses.
            dynasm!(c.a ; .arch x64 ; movdqa xmm2, xmm0 ; pand xmm2, xmm1 ; pxor xmm0, xmm1);
            if op == SHAdd {
                asr(c, es, 0, 1, 3);
            } else {
                lsr(c, es, 0, 1, 3);
            }
            add(c, es, 0, 2);
        }
        URHAdd => match es {
            8 => dynasm!(c.a ; .arch x64 ; pavgb xmm0, xmm1),
            16 => dynasm!(c.a ; .arch x64 ; pavgw xmm0, xmm1),
            _ => {
                // (a | b) - ((a ^ b) >> 1)
                dynasm!(c.a ; .arch x64 ; movdqa xmm2, xmm0 ; por xmm2, xmm1 ; pxor xmm0, xmm1);
                lsr(c, es, 0, 1, 3);
                sub(c, es, 2, 0);
                mov(c, 0, 2);
            }
        },
        UHSub | SHSub => {
            // ((a ^ b) >> 1) - (!a & b): a - b = (a ^ b) - 2 (!a & b) bit by bit.
            dynasm!(c.a ; .arch x64 ; movdqa xmm2, xmm0 ; pandn xmm2, xmm1 ; pxor xmm0, xmm1);
            if op == SHSub {
                asr(c, es, 0, 1, 3);
            } else {
                lsr(c, es, 0, 1, 3);
            }
            sub(c, es, 0, 2);
        }
        UAbd | SAbd => abd(c, es, op == SAbd, 0, 1),
        _ => return false,
    }
    true
}

/// xmm`x` = |xmm`x` - xmm`y`| per lane (xmm`y` clobbered); scratch xmm3..xmm6.
pub(super) fn abd(c: &mut Ctx, es: u32, signed: bool, x: u8, y: u8) {
    // m = b > a; (a - b) ^ m - m.
    dynasm!(c.a ; .arch x64 ; movdqa xmm3, Rx(y) ; movdqa xmm4, Rx(x));
    gt(c, es, signed, 3, 4, [5, 6]);
    sub(c, es, x, y);
    dynasm!(c.a ; .arch x64 ; pxor Rx(x), xmm3);
    sub(c, es, x, 3);
}

/// xmm`x` *= xmm`y` per lane, low es bits (xmm`y` preserved); scratch xmm3, xmm4.
pub(super) fn mul(c: &mut Ctx, es: u32, x: u8, y: u8) {
    match es {
        8 => {
            // Even bytes from the low byte of word products; odd bytes from the products of the
            // shifted-down odd bytes.
            dynasm!(c.a ; .arch x64
                ; movdqa xmm3, Rx(x) ; movdqa xmm4, Rx(y)
                ; pmullw Rx(x), Rx(y)
                ; psrlw xmm3, 8 ; psrlw xmm4, 8 ; pmullw xmm3, xmm4 ; psllw xmm3, 8);
            splat(c, 4, 16, 0x00ff);
            dynasm!(c.a ; .arch x64 ; pand Rx(x), xmm4 ; por Rx(x), xmm3);
        }
        16 => dynasm!(c.a ; .arch x64 ; pmullw Rx(x), Rx(y)),
        32 if super::feats().sse41 => dynasm!(c.a ; .arch x64 ; pmulld Rx(x), Rx(y)),
        32 => dynasm!(c.a ; .arch x64
            ; movdqa xmm3, Rx(x) ; movdqa xmm4, Rx(y)
            ; pmuludq Rx(x), Rx(y)
            ; psrlq xmm3, 32 ; psrlq xmm4, 32 ; pmuludq xmm3, xmm4
            ; pshufd Rx(x), Rx(x), 0x08 ; pshufd xmm3, xmm3, 0x08
            ; punpckldq Rx(x), xmm3),
        _ => dynasm!(c.a ; .arch x64
            // lo*lo + ((hi_a*lo_b + lo_a*hi_b) << 32)
            ; movdqa xmm3, Rx(x) ; psrlq xmm3, 32 ; pmuludq xmm3, Rx(y)
            ; movdqa xmm4, Rx(y) ; psrlq xmm4, 32 ; pmuludq xmm4, Rx(x)
            ; paddq xmm3, xmm4 ; psllq xmm3, 32
            ; pmuludq Rx(x), Rx(y) ; paddq Rx(x), xmm3),
    }
}

pub(super) fn ternary_native(op: VecTerOp, _es: u32, f: Feats) -> bool {
    use VecTerOp::*;
    match op {
        Bsl | Mla | Mls | UAba | SAba => true,
        Tbx => f.ssse3,
        _ => false,
    }
}

pub(super) fn ternary(c: &mut Ctx, op: VecTerOp, es: u32) -> bool {
    use VecTerOp::*;
    match op {
        Bsl => {
            // b ^ ((a ^ b) & c)
            dynasm!(c.a ; .arch x64 ; pxor xmm0, xmm1 ; pand xmm0, xmm2 ; pxor xmm0, xmm1);
        }
        Mla | Mls => {
            mul(c, es, 1, 2);
            if op == Mla {
                add(c, es, 0, 1);
            } else {
                sub(c, es, 0, 1);
            }
        }
        UAba | SAba => {
            abd(c, es, op == SAba, 1, 2);
            add(c, es, 0, 1);
        }
        Tbx => {
            // In-range bytes from the table; the others keep a.
            super::perm::tbl(c, 1, 2, 3);
            splat(c, 4, 8, 15);
            dynasm!(c.a ; .arch x64 ; psubusb xmm2, xmm4 ; pxor xmm4, xmm4 ; pcmpeqb xmm2, xmm4
                ; pandn xmm2, xmm0 ; por xmm1, xmm2 ; movdqa xmm0, xmm1);
        }
        _ => return false,
    }
    true
}
