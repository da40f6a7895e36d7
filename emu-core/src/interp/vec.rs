//! Interpreter semantics of the vector op family ([`crate::ir::vec`]): `VUnary`, `VBinary`,
//! `VTernary`, `VImm` and `VImm2`.
//!
//! Values are `u128` with lane 0 in the low bits. Integer lanes are handled as `u64` (signed views
//! through [`sext`]); per-lane FP ops call the scalar FP family in [`super::fp`] lane by lane so the
//! vector and scalar paths share one set of NaN, rounding and flag rules. Vector FP is AArch64-only
//! for now (RVV comes later), so those calls pass [`Arch::Aarch64`]. The verifier guarantees `es`
//! is 8, 16, 32 or 64; shift amounts are clamped here so no input can make the interpreter panic.

use super::fp;
use crate::cpu::CpuState;
use crate::guest::Arch;
use crate::ir::{FpBinOp, FpCmpCc, FpTerOp, FpUnOp, Rm, Ty};
use crate::ir::{VecBinOp, VecImm2Op, VecImmOp, VecTerOp, VecUnOp};

/// Mask of an `es`-bit lane as u64 (es <= 64).
fn m(es: u32) -> u64 {
    if es >= 64 {
        u64::MAX
    } else {
        (1u64 << es) - 1
    }
}

fn lane(v: u128, es: u32, i: u32) -> u64 {
    (v >> (es * i)) as u64 & m(es)
}

/// Sign-extend the low `es` bits of `x` (a 64-bit or wider "lane" is taken as is: the verifier
/// admits widening ops on 64-bit lanes, which no frontend emits, and they must not panic).
fn sext(x: u64, es: u32) -> i64 {
    if es >= 64 {
        return x as i64;
    }
    let s = 64 - es;
    ((x << s) as i64) >> s
}

/// Build a vector from `128 / es` lanes produced by `f`.
fn build(es: u32, mut f: impl FnMut(u32) -> u64) -> u128 {
    let mut r = 0u128;
    for i in 0..128 / es {
        r |= ((f(i) & m(es)) as u128) << (es * i);
    }
    r
}

fn map1(es: u32, a: u128, mut f: impl FnMut(u64) -> u64) -> u128 {
    build(es, |i| f(lane(a, es, i)))
}

fn map2(es: u32, a: u128, b: u128, f: impl Fn(u64, u64) -> u64) -> u128 {
    build(es, |i| f(lane(a, es, i), lane(b, es, i)))
}

fn mask_if(c: bool) -> u64 {
    if c {
        u64::MAX
    } else {
        0
    }
}

/// Logical right shift that gives 0 for amounts >= 64.
fn lsr(x: u64, s: u32) -> u64 {
    x.checked_shr(s).unwrap_or(0)
}

/// Left shift that gives 0 for amounts >= 64.
fn lsl(x: u64, s: u32) -> u64 {
    x.checked_shl(s).unwrap_or(0)
}

/// Arithmetic right shift of an `es`-bit lane, saturating the amount at es - 1.
fn asr(x: u64, es: u32, s: u32) -> u64 {
    (sext(x, es) >> s.min(es - 1)) as u64
}

/// Rounding right shift (URSHR-style) of an unsigned / signed lane by 1..=es.
fn rshr(x: u64, es: u32, s: u32, signed: bool) -> u64 {
    if s == 0 {
        return x;
    }
    let v: i128 = if signed { sext(x, es) as i128 } else { x as i128 };
    // Amounts past the lane only shift everything out; cap them so the shifts stay defined.
    let s = s.min(127);
    let r = (v + (1i128 << (s - 1))) >> s;
    r as u64
}

/// The `n` lanes of `a` starting at lane `from` (widening sources), as (unsigned, signed).
fn half(a: u128, es: u32, high: bool) -> impl Fn(u32) -> (u64, i64) {
    let base = if high { 64 / es } else { 0 };
    move |i| {
        let x = lane(a, es, base + i);
        (x, sext(x, es))
    }
}

/// FP type of an `es`-bit lane; the verifier admits 8/16 too, which have no FP meaning here
/// and are computed as F32 on the truncated lane rather than panicking.
fn fty(es: u32) -> Ty {
    if es == 64 {
        Ty::F64
    } else {
        Ty::F32
    }
}

fn ity(es: u32) -> Ty {
    if es == 64 {
        Ty::I64
    } else {
        Ty::I32
    }
}

fn fp_cmp(cpu: &mut CpuState, es: u32, cc: FpCmpCc, a: u64, b: u64) -> bool {
    fp::cmp_bool(Arch::Aarch64, cpu, cc, fty(es), a as u128, b as u128) & 1 != 0
}

fn fp_bin(cpu: &mut CpuState, es: u32, op: FpBinOp, a: u64, b: u64) -> u64 {
    fp::binary(Arch::Aarch64, cpu, op, fty(es), a as u128, b as u128, Rm::Dyn) as u64
}

fn fp_un(cpu: &mut CpuState, es: u32, op: FpUnOp, a: u64, rm: Rm) -> u64 {
    fp::unary(Arch::Aarch64, cpu, op, fty(es), fty(es), a as u128, rm) as u64
}

pub(super) fn unary(cpu: &mut CpuState, op: VecUnOp, es: u8, a: u128) -> u128 {
    use VecUnOp::*;
    let es = es as u32;
    let n = 128 / es;
    let sign = 1u64 << (es - 1);
    match op {
        ZeroHigh => a & u64::MAX as u128,
        Not => !a,
        Neg => map1(es, a, |x| x.wrapping_neg()),
        Abs => map1(es, a, |x| sext(x, es).unsigned_abs()),
        Cnt => map1(es, a, |x| x.count_ones() as u64),
        Clz => map1(es, a, |x| (x.leading_zeros() - (64 - es)) as u64),
        Cls => map1(es, a, |x| {
            let y = (x ^ (x >> 1)) & (m(es) >> 1);
            (y.leading_zeros() - (64 - es) - 1) as u64
        }),
        Rev16 | Rev32 | Rev64 => {
            let c = match op {
                Rev16 => 16,
                Rev32 => 32,
                _ => 64,
            };
            let k = (c / es).max(1);
            build(es, |i| lane(a, es, i ^ (k - 1)))
        }
        Rbit => map1(es, a, |x| x.reverse_bits() >> (64 - es)),
        CmpEqZero => map1(es, a, |x| mask_if(x == 0)),
        CmpGtZero => map1(es, a, |x| mask_if(sext(x, es) > 0)),
        CmpGeZero => map1(es, a, |x| mask_if(sext(x, es) >= 0)),
        CmpLeZero => map1(es, a, |x| mask_if(sext(x, es) <= 0)),
        CmpLtZero => map1(es, a, |x| mask_if(sext(x, es) < 0)),
        AddAcross | UmaxAcross | UminAcross | SmaxAcross | SminAcross => {
            let mut acc = lane(a, es, 0);
            for i in 1..n {
                let x = lane(a, es, i);
                acc = match op {
                    AddAcross => acc.wrapping_add(x),
                    UmaxAcross => acc.max(x),
                    UminAcross => acc.min(x),
                    SmaxAcross => sext(acc, es).max(sext(x, es)) as u64,
                    _ => sext(acc, es).min(sext(x, es)) as u64,
                };
            }
            (acc & m(es)) as u128
        }
        UAddlAcross | SAddlAcross => {
            let s: i128 = (0..n)
                .map(|i| {
                    let x = lane(a, es, i);
                    if op == SAddlAcross {
                        sext(x, es) as i128
                    } else {
                        x as i128
                    }
                })
                .sum();
            (s as u128) & ((1u128 << (2 * es).min(127)) - 1)
        }
        Narrow => {
            let h = es / 2;
            build(h, |i| if i < n { lane(a, es, i) } else { 0 })
        }
        WidenLowU | WidenLowS | WidenHighU | WidenHighS => {
            let src = half(a, es, matches!(op, WidenHighU | WidenHighS));
            let signed = matches!(op, WidenLowS | WidenHighS);
            build(2 * es, |i| if signed { src(i).1 as u64 } else { src(i).0 })
        }
        AddPairwiseLongU | AddPairwiseLongS => build(2 * es, |i| {
            let (x, y) = (lane(a, es, 2 * i), lane(a, es, 2 * i + 1));
            if op == AddPairwiseLongS {
                sext(x, es).wrapping_add(sext(y, es)) as u64
            } else {
                x.wrapping_add(y)
            }
        }),
        FAbs => map1(es, a, |x| x & !sign),
        FNeg => map1(es, a, |x| x ^ sign),
        FSqrt => map1(es, a, |x| fp_un(cpu, es, FpUnOp::Sqrt, x, Rm::Dyn)),
        FRintN | FRintP | FRintM | FRintZ | FRintA | FRintI => {
            let rm = match op {
                FRintN => Rm::Rne,
                FRintP => Rm::Rup,
                FRintM => Rm::Rdn,
                FRintZ => Rm::Rtz,
                FRintA => Rm::Rmm,
                _ => Rm::Dyn,
            };
            map1(es, a, |x| fp_un(cpu, es, FpUnOp::RoundInt, x, rm))
        }
        FRintX => map1(es, a, |x| fp_un(cpu, es, FpUnOp::RoundIntExact, x, Rm::Dyn)),
        FCvtZS | FCvtZU => map1(es, a, |x| to_int(cpu, es, x, op == FCvtZS, 0)),
        SCvtF | UCvtF => map1(es, a, |x| from_int(cpu, es, x, op == SCvtF, 0)),
    }
}

fn to_int(cpu: &mut CpuState, es: u32, x: u64, signed: bool, fbits: u32) -> u64 {
    fp::to_int(Arch::Aarch64, cpu, ity(es), fty(es), x as u128, signed, fbits.min(64) as u8, Rm::Rtz) as u64
}

fn from_int(cpu: &mut CpuState, es: u32, x: u64, signed: bool, fbits: u32) -> u64 {
    fp::from_int(Arch::Aarch64, cpu, fty(es), ity(es), x as u128, signed, fbits.min(64) as u8, Rm::Dyn) as u64
}

/// The 2n lanes of a then b, as one list (pairwise and permute ops).
fn concat(es: u32, a: u128, b: u128) -> Vec<u64> {
    let n = 128 / es;
    (0..n).map(|i| lane(a, es, i)).chain((0..n).map(|i| lane(b, es, i))).collect()
}

/// Bytes of `table` indexed by the bytes of `idx`; out-of-range bytes come from `fallback`.
fn tbx(fallback: u128, table: u128, idx: u128) -> u128 {
    build(8, |i| {
        let j = lane(idx, 8, i) as u32;
        if j < 16 {
            lane(table, 8, j)
        } else {
            lane(fallback, 8, i)
        }
    })
}

/// USHL/SSHL on one lane: shift by the signed low byte of `s`, left if positive.
fn shl_by_reg(x: u64, s: u64, es: u32, signed: bool) -> u64 {
    let sh = s as u8 as i8 as i32;
    if sh >= 0 {
        lsl(x, sh as u32)
    } else if signed {
        asr(x, es, sh.unsigned_abs())
    } else {
        lsr(x, sh.unsigned_abs())
    }
}

/// Widening two-operand op over the low or high halves: f(a lane, b lane) per 2*es result lane,
/// on signed or unsigned views; `wide_a` means `a` already has 2*es lanes (ADDW/SUBW).
fn widen2(
    es: u32,
    a: u128,
    b: u128,
    high: bool,
    signed: bool,
    wide_a: bool,
    f: impl Fn(i128, i128) -> i128,
) -> u128 {
    let hb = half(b, es, high);
    let ha = half(a, es, high);
    build(2 * es, |i| {
        let x = if wide_a {
            let l = lane(a, 2 * es, i);
            if signed {
                sext(l, 2 * es) as i128
            } else {
                l as i128
            }
        } else if signed {
            ha(i).1 as i128
        } else {
            ha(i).0 as i128
        };
        let y = if signed { hb(i).1 as i128 } else { hb(i).0 as i128 };
        f(x, y) as u64
    })
}

pub(super) fn binary(cpu: &mut CpuState, op: VecBinOp, es: u8, a: u128, b: u128) -> u128 {
    use VecBinOp::*;
    let es = es as u32;
    let n = 128 / es;
    let s = |x: u64| sext(x, es);
    let sat_s = |v: i128| v.clamp(-(1i128 << (es - 1)), (1i128 << (es - 1)) - 1) as u64;
    match op {
        And => a & b,
        Or => a | b,
        Xor => a ^ b,
        AndNot => a & !b,
        OrNot => a | !b,
        Add => map2(es, a, b, u64::wrapping_add),
        Sub => map2(es, a, b, u64::wrapping_sub),
        Mul => map2(es, a, b, u64::wrapping_mul),
        CmpEq => map2(es, a, b, |x, y| mask_if(x == y)),
        CmpGt => map2(es, a, b, |x, y| mask_if(s(x) > s(y))),
        CmpGe => map2(es, a, b, |x, y| mask_if(s(x) >= s(y))),
        CmpHi => map2(es, a, b, |x, y| mask_if(x > y)),
        CmpHs => map2(es, a, b, |x, y| mask_if(x >= y)),
        CmpTst => map2(es, a, b, |x, y| mask_if(x & y != 0)),
        UMin => map2(es, a, b, u64::min),
        UMax => map2(es, a, b, u64::max),
        SMin => map2(es, a, b, |x, y| s(x).min(s(y)) as u64),
        SMax => map2(es, a, b, |x, y| s(x).max(s(y)) as u64),
        AddPairwise | UMinPairwise | UMaxPairwise | SMinPairwise | SMaxPairwise => {
            let c = concat(es, a, b);
            build(es, |i| {
                let (x, y) = (c[2 * i as usize], c[2 * i as usize + 1]);
                match op {
                    AddPairwise => x.wrapping_add(y),
                    UMinPairwise => x.min(y),
                    UMaxPairwise => x.max(y),
                    SMinPairwise => s(x).min(s(y)) as u64,
                    _ => s(x).max(s(y)) as u64,
                }
            })
        }
        Zip1 | Zip2 => {
            let base = if op == Zip2 { n / 2 } else { 0 };
            build(es, |i| lane(if i % 2 == 0 { a } else { b }, es, base + i / 2))
        }
        Uzp1 | Uzp2 => {
            let c = concat(es, a, b);
            let odd = (op == Uzp2) as usize;
            build(es, |i| c[2 * i as usize + odd])
        }
        Trn1 | Trn2 => {
            let odd = (op == Trn2) as u32;
            build(es, |i| lane(if i % 2 == 0 { a } else { b }, es, (i & !1) + odd))
        }
        Tbl => tbx(0, a, b),
        UQAdd => map2(es, a, b, |x, y| (x as u128 + y as u128).min(m(es) as u128) as u64),
        UQSub => map2(es, a, b, |x, y| x.saturating_sub(y)),
        SQAdd => map2(es, a, b, |x, y| sat_s(s(x) as i128 + s(y) as i128)),
        SQSub => map2(es, a, b, |x, y| sat_s(s(x) as i128 - s(y) as i128)),
        UHAdd => map2(es, a, b, |x, y| ((x as u128 + y as u128) >> 1) as u64),
        URHAdd => map2(es, a, b, |x, y| ((x as u128 + y as u128 + 1) >> 1) as u64),
        SHAdd => map2(es, a, b, |x, y| ((s(x) as i128 + s(y) as i128) >> 1) as u64),
        UHSub => map2(es, a, b, |x, y| ((x as i128 - y as i128) >> 1) as u64),
        SHSub => map2(es, a, b, |x, y| ((s(x) as i128 - s(y) as i128) >> 1) as u64),
        UAbd => map2(es, a, b, |x, y| x.abs_diff(y)),
        SAbd => map2(es, a, b, |x, y| s(x).abs_diff(s(y))),
        UShl => map2(es, a, b, |x, y| shl_by_reg(x, y, es, false)),
        SShl => map2(es, a, b, |x, y| shl_by_reg(x, y, es, true)),
        UMullLow | UMullHigh | SMullLow | SMullHigh => {
            let signed = matches!(op, SMullLow | SMullHigh);
            widen2(es, a, b, matches!(op, UMullHigh | SMullHigh), signed, false, |x, y| x * y)
        }
        UAddlLow | UAddlHigh | SAddlLow | SAddlHigh => {
            let signed = matches!(op, SAddlLow | SAddlHigh);
            widen2(es, a, b, matches!(op, UAddlHigh | SAddlHigh), signed, false, |x, y| x + y)
        }
        USublLow | USublHigh | SSublLow | SSublHigh => {
            let signed = matches!(op, SSublLow | SSublHigh);
            widen2(es, a, b, matches!(op, USublHigh | SSublHigh), signed, false, |x, y| x - y)
        }
        UAddwLow | UAddwHigh | SAddwLow | SAddwHigh => {
            let signed = matches!(op, SAddwLow | SAddwHigh);
            widen2(es, a, b, matches!(op, UAddwHigh | SAddwHigh), signed, true, |x, y| x + y)
        }
        USubwLow | USubwHigh | SSubwLow | SSubwHigh => {
            let signed = matches!(op, SSubwLow | SSubwHigh);
            widen2(es, a, b, matches!(op, USubwHigh | SSubwHigh), signed, true, |x, y| x - y)
        }
        UAbdlLow | UAbdlHigh | SAbdlLow | SAbdlHigh => {
            let signed = matches!(op, SAbdlLow | SAbdlHigh);
            widen2(es, a, b, matches!(op, UAbdlHigh | SAbdlHigh), signed, false, |x, y| (x - y).abs())
        }
        FAdd | FSub | FMul | FDiv | FMin | FMax | FMinNum | FMaxNum | FAbd => {
            let fop = fp_binop(op);
            let mut out = 0u128;
            for i in 0..n {
                let r = fp_bin(cpu, es, fop, lane(a, es, i), lane(b, es, i));
                out |= ((r & m(es)) as u128) << (es * i);
            }
            out
        }
        FCmpEq | FCmpGe | FCmpGt | FAbsCmpGe | FAbsCmpGt => {
            let sign = 1u64 << (es - 1);
            let abs = matches!(op, FAbsCmpGe | FAbsCmpGt);
            build(es, |i| {
                let (mut x, mut y) = (lane(a, es, i), lane(b, es, i));
                if abs {
                    x &= !sign;
                    y &= !sign;
                }
                mask_if(match op {
                    FCmpEq => fp_cmp(cpu, es, FpCmpCc::Eq, x, y),
                    FCmpGe | FAbsCmpGe => fp_cmp(cpu, es, FpCmpCc::Le, y, x),
                    _ => fp_cmp(cpu, es, FpCmpCc::Lt, y, x),
                })
            })
        }
        FAddPairwise | FMaxPairwise | FMinPairwise | FMaxNumPairwise | FMinNumPairwise => {
            let fop = fp_binop(op);
            let c = concat(es, a, b);
            build(es, |i| fp_bin(cpu, es, fop, c[2 * i as usize], c[2 * i as usize + 1]))
        }
    }
}

fn fp_binop(op: VecBinOp) -> FpBinOp {
    use VecBinOp::*;
    match op {
        FAdd | FAddPairwise => FpBinOp::Add,
        FSub => FpBinOp::Sub,
        FMul => FpBinOp::Mul,
        FDiv => FpBinOp::Div,
        FMin | FMinPairwise => FpBinOp::Min,
        FMax | FMaxPairwise => FpBinOp::Max,
        FMinNum | FMinNumPairwise => FpBinOp::MinNum,
        FMaxNum | FMaxNumPairwise => FpBinOp::MaxNum,
        _ => FpBinOp::AbsDiff,
    }
}

pub(super) fn ternary(cpu: &mut CpuState, op: VecTerOp, es: u8, a: u128, b: u128, c: u128) -> u128 {
    use VecTerOp::*;
    let es = es as u32;
    let s = |x: u64| sext(x, es);
    match op {
        Bsl => (a & c) | (b & !c),
        Mla => build(es, |i| lane(a, es, i).wrapping_add(lane(b, es, i).wrapping_mul(lane(c, es, i)))),
        Mls => build(es, |i| lane(a, es, i).wrapping_sub(lane(b, es, i).wrapping_mul(lane(c, es, i)))),
        FMla | FMls => {
            let sign = 1u64 << (es - 1);
            build(es, |i| {
                let mut x = lane(b, es, i);
                if op == FMls {
                    x ^= sign;
                }
                let r = fp::ternary(
                    Arch::Aarch64,
                    cpu,
                    FpTerOp::MulAdd,
                    fty(es),
                    x as u128,
                    lane(c, es, i) as u128,
                    lane(a, es, i) as u128,
                    Rm::Dyn,
                );
                r as u64
            })
        }
        Tbx => tbx(a, b, c),
        UAba => build(es, |i| lane(a, es, i).wrapping_add(lane(b, es, i).abs_diff(lane(c, es, i)))),
        SAba => build(es, |i| lane(a, es, i).wrapping_add(s(lane(b, es, i)).abs_diff(s(lane(c, es, i))))),
        UMlalLow | UMlalHigh | SMlalLow | SMlalHigh => {
            let signed = matches!(op, SMlalLow | SMlalHigh);
            let p = widen2(es, b, c, matches!(op, UMlalHigh | SMlalHigh), signed, false, |x, y| x * y);
            map2(2 * es, a, p, u64::wrapping_add)
        }
        UAbalLow | UAbalHigh | SAbalLow | SAbalHigh => {
            let signed = matches!(op, SAbalLow | SAbalHigh);
            let high = matches!(op, UAbalHigh | SAbalHigh);
            let p = widen2(es, b, c, high, signed, false, |x, y| (x - y).abs());
            map2(2 * es, a, p, u64::wrapping_add)
        }
    }
}

pub(super) fn imm(cpu: &mut CpuState, op: VecImmOp, es: u8, a: u128, imm: u32) -> u128 {
    use VecImmOp::*;
    let es = es as u32;
    match op {
        Shl => map1(es, a, |x| lsl(x, imm)),
        UShr => map1(es, a, |x| lsr(x, imm)),
        SShr => map1(es, a, |x| asr(x, es, imm)),
        URShr => map1(es, a, |x| rshr(x, es, imm, false)),
        SRShr => map1(es, a, |x| rshr(x, es, imm, true)),
        ShrNarrow | RShrNarrow => {
            let h = es / 2;
            let n = 128 / es;
            build(h, |i| {
                if i >= n {
                    0
                } else if op == RShrNarrow {
                    rshr(lane(a, es, i), es, imm, false)
                } else {
                    lsr(lane(a, es, i), imm)
                }
            })
        }
        DupLane => {
            let x = lane(a, es, imm % (128 / es));
            build(es, |_| x)
        }
        UShllLow | UShllHigh | SShllLow | SShllHigh => {
            let src = half(a, es, matches!(op, UShllHigh | SShllHigh));
            let signed = matches!(op, SShllLow | SShllHigh);
            build(2 * es, |i| lsl(if signed { src(i).1 as u64 } else { src(i).0 }, imm))
        }
        FCvtZSFixed | FCvtZUFixed => map1(es, a, |x| to_int(cpu, es, x, op == FCvtZSFixed, imm)),
        SCvtFFixed | UCvtFFixed => map1(es, a, |x| from_int(cpu, es, x, op == SCvtFFixed, imm)),
    }
}

pub(super) fn imm2(op: VecImm2Op, es: u8, a: u128, b: u128, imm: u32) -> u128 {
    use VecImm2Op::*;
    let es = es as u32;
    match op {
        Ext => {
            let sh = 8 * (imm % 16);
            if sh == 0 {
                a
            } else {
                (a >> sh) | (b << (128 - sh))
            }
        }
        Sli => {
            let mk = lsl(m(es), imm) & m(es);
            map2(es, a, b, |x, y| (x & !mk) | (lsl(y, imm) & mk))
        }
        Sri => {
            let mk = lsr(m(es), imm);
            map2(es, a, b, |x, y| (x & !mk) | (lsr(y, imm) & mk))
        }
        Usra => map2(es, a, b, |x, y| x.wrapping_add(lsr(y, imm))),
        Ssra => map2(es, a, b, |x, y| x.wrapping_add(asr(y, es, imm))),
        Ursra => map2(es, a, b, |x, y| x.wrapping_add(rshr(y, es, imm, false))),
        Srsra => map2(es, a, b, |x, y| x.wrapping_add(rshr(y, es, imm, true))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A vector from lanes of `es` bits, lane 0 first.
    fn v(es: u32, lanes: &[u64]) -> u128 {
        lanes.iter().enumerate().fold(0u128, |r, (i, &x)| r | ((x & m(es)) as u128) << (es * i as u32))
    }

    fn bytes(b: [u8; 16]) -> u128 {
        u128::from_le_bytes(b)
    }

    fn seq() -> u128 {
        bytes([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15])
    }

    #[test]
    fn unary_integer_ops() {
        let mut c = CpuState::default();
        use VecUnOp::*;
        let a16 = v(16, &[1, 0xffff, 0x8000, 0, 7, 0x00f0, 2, 3]);
        let cases: &[(VecUnOp, u8, u128, u128)] = &[
            (ZeroHigh, 8, u128::MAX, u64::MAX as u128),
            (Not, 8, 0, u128::MAX),
            (Neg, 16, a16, v(16, &[0xffff, 1, 0x8000, 0, 0xfff9, 0xff10, 0xfffe, 0xfffd])),
            (Abs, 16, a16, v(16, &[1, 1, 0x8000, 0, 7, 0xf0, 2, 3])),
            (Cnt, 8, v(8, &[0xff, 0x81, 0, 7]), v(8, &[8, 2, 0, 3])),
            (Clz, 16, a16, v(16, &[15, 0, 0, 16, 13, 8, 14, 14])),
            (Cls, 8, v(8, &[0xff, 0x01, 0xc0]), v(8, &[7, 6, 1, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7])),
            (Rev16, 8, seq(), bytes([1, 0, 3, 2, 5, 4, 7, 6, 9, 8, 11, 10, 13, 12, 15, 14])),
            (Rev32, 8, seq(), bytes([3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8, 15, 14, 13, 12])),
            (Rev64, 16, a16, v(16, &[0, 0x8000, 0xffff, 1, 3, 2, 0xf0, 7])),
            (Rbit, 8, v(8, &[1, 0x80, 0x0f]), v(8, &[0x80, 1, 0xf0])),
            (CmpEqZero, 16, a16, v(16, &[0, 0, 0, 0xffff, 0, 0, 0, 0])),
            (CmpGtZero, 16, a16, v(16, &[0xffff, 0, 0, 0, 0xffff, 0xffff, 0xffff, 0xffff])),
            (CmpGeZero, 16, a16, v(16, &[0xffff, 0, 0, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff])),
            (CmpLeZero, 16, a16, v(16, &[0, 0xffff, 0xffff, 0xffff, 0, 0, 0, 0])),
            (CmpLtZero, 16, a16, v(16, &[0, 0xffff, 0xffff, 0, 0, 0, 0, 0])),
            (AddAcross, 8, seq(), 120),
            (UmaxAcross, 16, a16, 0xffff),
            (UminAcross, 16, a16, 0),
            (SmaxAcross, 16, a16, 0xf0),
            (SminAcross, 16, a16, 0x8000),
            (UAddlAcross, 8, u128::MAX, 16 * 255),
            (SAddlAcross, 8, u128::MAX, 0xfff0),
            (Narrow, 16, a16, v(8, &[1, 0xff, 0, 0, 7, 0xf0, 2, 3])),
            (WidenLowU, 8, seq() | 0x80, v(16, &[0x80, 1, 2, 3, 4, 5, 6, 7])),
            (WidenLowS, 8, seq() | 0x80, v(16, &[0xff80, 1, 2, 3, 4, 5, 6, 7])),
            (WidenHighU, 16, a16, v(32, &[7, 0xf0, 2, 3])),
            (WidenHighS, 32, v(32, &[0, 0, 0x8000_0000, 1]), v(64, &[0xffff_ffff_8000_0000, 1])),
            (AddPairwiseLongU, 8, u128::MAX, v(16, &[0x1fe; 8])),
            (AddPairwiseLongS, 8, u128::MAX, v(16, &[0xfffe; 8])),
            (FAbs, 32, v(32, &[0x8000_0001, 1]), v(32, &[1, 1])),
            (FNeg, 64, v(64, &[0, 1 << 63]), v(64, &[1 << 63, 0])),
        ];
        for &(op, es, a, want) in cases {
            assert_eq!(unary(&mut c, op, es, a), want, "{} es {es}", op.name());
        }
    }

    #[test]
    fn binary_integer_ops() {
        let mut c = CpuState::default();
        use VecBinOp::*;
        let a = v(32, &[1, 0xffff_ffff, 5, 0x8000_0000]);
        let b = v(32, &[2, 1, 5, 0x7fff_ffff]);
        let cases: &[(VecBinOp, u8, u128, u128, u128)] = &[
            (And, 8, a, b, a & b),
            (OrNot, 8, 0, u128::MAX, 0),
            (Add, 32, a, b, v(32, &[3, 0, 10, 0xffff_ffff])),
            (Sub, 32, a, b, v(32, &[0xffff_ffff, 0xffff_fffe, 0, 1])),
            (Mul, 32, a, b, v(32, &[2, 0xffff_ffff, 25, 0x8000_0000])),
            (CmpEq, 32, a, b, v(32, &[0, 0, !0, 0])),
            (CmpGt, 32, a, b, v(32, &[0, 0, 0, 0])),
            (CmpGe, 32, a, b, v(32, &[0, 0, !0, 0])),
            (CmpHi, 32, a, b, v(32, &[0, !0, 0, !0])),
            (CmpHs, 32, a, b, v(32, &[0, !0, !0, !0])),
            (CmpTst, 32, a, b, v(32, &[0, !0, !0, 0])),
            (UMin, 32, a, b, v(32, &[1, 1, 5, 0x7fff_ffff])),
            (SMin, 32, a, b, v(32, &[1, 0xffff_ffff, 5, 0x8000_0000])),
            (SMax, 32, a, b, v(32, &[2, 1, 5, 0x7fff_ffff])),
            (AddPairwise, 32, a, b, v(32, &[0, 0x8000_0005, 3, 0x8000_0004])),
            (UMaxPairwise, 32, a, b, v(32, &[0xffff_ffff, 0x8000_0000, 2, 0x7fff_ffff])),
            (SMinPairwise, 32, a, b, v(32, &[0xffff_ffff, 0x8000_0000, 1, 5])),
            (Zip1, 32, a, b, v(32, &[1, 2, 0xffff_ffff, 1])),
            (Zip2, 32, a, b, v(32, &[5, 5, 0x8000_0000, 0x7fff_ffff])),
            (Uzp1, 32, a, b, v(32, &[1, 5, 2, 5])),
            (Uzp2, 32, a, b, v(32, &[0xffff_ffff, 0x8000_0000, 1, 0x7fff_ffff])),
            (Trn1, 32, a, b, v(32, &[1, 2, 5, 5])),
            (Trn2, 32, a, b, v(32, &[0xffff_ffff, 1, 0x8000_0000, 0x7fff_ffff])),
            (Tbl, 8, seq() << 8, v(8, &[1, 2, 16, 0xff, 15]), v(8, &[0, 1, 0, 0, 14])),
            (UQAdd, 32, a, b, v(32, &[3, 0xffff_ffff, 10, 0xffff_ffff])),
            (UQSub, 32, a, b, v(32, &[0, 0xffff_fffe, 0, 1])),
            (SQAdd, 32, a, b, v(32, &[3, 0, 10, 0xffff_ffff])),
            (SQSub, 32, a, b, v(32, &[0xffff_ffff, 0xffff_fffe, 0, 0x8000_0000])),
            (UHAdd, 32, a, b, v(32, &[1, 0x8000_0000, 5, 0x7fff_ffff])),
            (URHAdd, 32, a, b, v(32, &[2, 0x8000_0000, 5, 0x8000_0000])),
            (SHAdd, 32, a, b, v(32, &[1, 0, 5, 0xffff_ffff])),
            (UHSub, 32, a, b, v(32, &[0xffff_ffff, 0x7fff_ffff, 0, 0])),
            (UAbd, 32, a, b, v(32, &[1, 0xffff_fffe, 0, 1])),
            (SAbd, 32, a, b, v(32, &[1, 2, 0, 0xffff_ffff])),
            (UShl, 32, a, v(32, &[4, 0xff, 40, 0xe0]), v(32, &[16, 0x7fff_ffff, 0, 0])),
            (SShl, 32, a, v(32, &[4, 0xff, 40, 0xe0]), v(32, &[16, 0xffff_ffff, 0, 0xffff_ffff])),
            (UMullLow, 32, a, b, v(64, &[2, 0xffff_ffff])),
            (SMullHigh, 32, a, b, v(64, &[25, 0xc000_0000_8000_0000])),
            (UAddlHigh, 32, a, b, v(64, &[10, 0xffff_ffff])),
            (SSublLow, 32, a, b, v(64, &[u64::MAX, u64::MAX - 1])),
            (UAddwLow, 32, v(64, &[1 << 40, 3]), b, v(64, &[(1 << 40) + 2, 4])),
            (SSubwHigh, 32, v(64, &[0, 0]), b, v(64, &[(-5i64) as u64, (-0x7fff_ffffi64) as u64])),
            (SAbdlLow, 32, a, b, v(64, &[1, 2])),
        ];
        for &(op, es, x, y, want) in cases {
            assert_eq!(binary(&mut c, op, es, x, y), want, "{} es {es}", op.name());
        }
    }

    #[test]
    fn ternary_and_imm_ops() {
        let mut c = CpuState::default();
        let (a, b) = (v(16, &[10, 20, 30, 40]), v(16, &[2, 3, 4, 5]));
        let t = |c: &mut CpuState, op, es, x, y, z| ternary(c, op, es, x, y, z);
        assert_eq!(t(&mut c, VecTerOp::Bsl, 8, u128::MAX, 0, 0xf0), 0xf0);
        assert_eq!(t(&mut c, VecTerOp::Mla, 16, a, b, b), v(16, &[14, 29, 46, 65]));
        assert_eq!(t(&mut c, VecTerOp::Mls, 16, a, b, b), v(16, &[6, 11, 14, 15]));
        let tbx = t(&mut c, VecTerOp::Tbx, 8, u128::MAX, seq(), v(8, &[3, 16, 15]));
        assert_eq!(tbx & 0xffff_ffff, 0x000f_ff03);
        assert_eq!(t(&mut c, VecTerOp::UAba, 16, a, b, a), v(16, &[18, 37, 56, 75, 0, 0, 0, 0]));
        assert_eq!(t(&mut c, VecTerOp::UMlalLow, 16, v(32, &[1, 1, 1, 1]), a, b), v(32, &[21, 61, 121, 201]));
        assert_eq!(t(&mut c, VecTerOp::SAbalLow, 16, 0, b, a), v(32, &[8, 17, 26, 35]));

        use VecImmOp::*;
        let x = v(16, &[0x8001, 3, 0xffff, 0x10]);
        let cases: &[(VecImmOp, u8, u128, u32, u128)] = &[
            (Shl, 16, x, 4, v(16, &[0x0010, 0x30, 0xfff0, 0x100])),
            (UShr, 16, x, 16, 0),
            (UShr, 16, x, 1, v(16, &[0x4000, 1, 0x7fff, 8])),
            (SShr, 16, x, 16, v(16, &[0xffff, 0, 0xffff, 0])),
            (URShr, 16, x, 1, v(16, &[0x4001, 2, 0x8000, 8])),
            (SRShr, 16, x, 2, v(16, &[0xe000, 1, 0, 4])),
            (ShrNarrow, 16, x, 4, v(8, &[0, 0, 0xff, 1])),
            (RShrNarrow, 16, x, 1, v(8, &[1, 2, 0, 8])),
            (DupLane, 16, x, 2, v(16, &[0xffff; 8])),
            (UShllLow, 16, x, 0, v(32, &[0x8001, 3, 0xffff, 0x10])),
            (SShllLow, 16, x, 1, v(32, &[0xffff_0002, 6, 0xffff_fffe, 0x20])),
            (UShllHigh, 8, seq(), 1, v(16, &[16, 18, 20, 22, 24, 26, 28, 30])),
        ];
        for &(op, es, a, i, want) in cases {
            assert_eq!(imm(&mut c, op, es, a, i), want, "{} es {es} #{i}", op.name());
        }

        use VecImm2Op::*;
        let hi = seq() + v(8, &[16; 16]);
        assert_eq!(
            imm2(Ext, 8, seq(), hi, 3),
            bytes([3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18])
        );
        assert_eq!(imm2(Ext, 8, seq(), hi, 0), seq());
        assert_eq!(imm2(Sli, 16, v(16, &[0xffff]), v(16, &[1]), 4), v(16, &[0x001f, 0, 0, 0, 0, 0, 0, 0]));
        assert_eq!(imm2(Sri, 16, v(16, &[0xffff]), v(16, &[0x8000]), 4), v(16, &[0xf800]));
        assert_eq!(imm2(Sri, 16, v(16, &[0xffff]), v(16, &[0x8000]), 16), v(16, &[0xffff]));
        assert_eq!(imm2(Usra, 16, v(16, &[1]), v(16, &[0x8000]), 15), v(16, &[2]));
        assert_eq!(imm2(Ssra, 16, v(16, &[1]), v(16, &[0x8000]), 15), v(16, &[0]));
        assert_eq!(imm2(Ursra, 16, v(16, &[1]), v(16, &[3]), 1), v(16, &[3]));
    }
}

#[cfg(test)]
mod total {
    //! Inputs the verifier accepts but no frontend emits must not panic.
    use super::*;
    use crate::cpu::CpuState;

    #[test]
    fn wide_lanes_and_huge_shifts_do_not_panic() {
        let mut cpu = CpuState::default();
        let a = u128::MAX / 3;
        for op in VecUnOp::ALL {
            for es in [8u8, 16, 32, 64] {
                let _ = unary(&mut cpu, *op, es, a);
            }
        }
        for op in VecBinOp::ALL {
            for es in [8u8, 16, 32, 64] {
                let _ = binary(&mut cpu, *op, es, a, !a);
            }
        }
        for op in VecImmOp::ALL {
            for es in [8u8, 16, 32, 64] {
                for n in [0u32, 1, es as u32, 2 * es as u32, 127, 128, 200, u32::MAX] {
                    let _ = imm(&mut cpu, *op, es, a, n);
                }
            }
        }
    }
}
