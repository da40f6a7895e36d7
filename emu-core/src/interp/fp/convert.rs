//! Conversions: FP <-> integer and fixed point (FPToFixed, FixedToFP; RISC-V FCVT), F32 <-> F64
//! (FPConvert, FCVT.S.D / FCVT.D.S), and round to integral (FPRoundInt; Zfa FROUND/FROUNDNX).
//!
//! Every conversion works on the exact value and rounds once, so u64/i64 -> f32 has no double
//! rounding, and fixed-point scaling by 2^fbits is an exponent adjustment.

use super::nan::process_nans;
use super::soft::{round_pack, shift_round, unpack, Ctx, Fmt, Kind, INEXACT, INVALID};

/// FP `a` (times 2^fbits) to a `width`-bit integer, saturating. NaN gives 0 on AArch64 and the
/// maximum on RISC-V; NaN, infinity and out-of-range raise only invalid.
pub(crate) fn to_int(ctx: &mut Ctx, fmt: Fmt, a: u64, width: u32, signed: bool, fbits: u8) -> u64 {
    let u = unpack(ctx, fmt, a);
    let (min, max): (i128, i128) = if signed {
        (-(1i128 << (width - 1)), (1i128 << (width - 1)) - 1)
    } else {
        (0, (1i128 << width) - 1)
    };
    let sat = |ctx: &mut Ctx, neg: bool| {
        ctx.raise(INVALID);
        if neg {
            min
        } else {
            max
        }
    };
    let r: i128 = match u.kind {
        Kind::QNaN | Kind::SNaN => {
            ctx.raise(INVALID);
            if ctx.arm() {
                0
            } else {
                max
            }
        }
        Kind::Inf => sat(ctx, u.sign),
        Kind::Zero => 0,
        Kind::Finite => {
            let e = u.exp + fbits as i32;
            if e > 64 {
                sat(ctx, u.sign) // |value| >= 2^64 (the significand is at least 1)
            } else {
                let (n, inexact) = if e >= 0 {
                    ((u.sig as u128) << e, false)
                } else {
                    shift_round(u.sig as u128, (-e) as u32, u.sign, ctx.rm)
                };
                let v = if u.sign { -(n as i128) } else { n as i128 };
                if v < min || v > max {
                    sat(ctx, u.sign)
                } else {
                    if inexact {
                        ctx.raise(INEXACT);
                    }
                    v
                }
            }
        }
    };
    (r as u64) & (u64::MAX >> (64 - width))
}

/// A `width`-bit integer (with `fbits` fraction bits) to FP, rounded by `ctx.rm`.
pub(crate) fn from_int(ctx: &mut Ctx, fmt: Fmt, a: u64, width: u32, signed: bool, fbits: u8) -> u64 {
    let a = a & (u64::MAX >> (64 - width));
    let (neg, mag) = if signed {
        let s = ((a << (64 - width)) as i64) >> (64 - width);
        (s < 0, s.unsigned_abs())
    } else {
        (false, a)
    };
    if mag == 0 {
        return fmt.zero(false);
    }
    round_pack(ctx, fmt, neg, -(fbits as i32), mag as u128)
}

/// F32 <-> F64 (FPConvert). AArch64 keeps the NaN payload's top bits, quietened; RISC-V (and
/// FPCR.DN) give the canonical NaN.
pub(crate) fn convert(ctx: &mut Ctx, from: Fmt, to: Fmt, a: u64) -> u64 {
    let u = unpack(ctx, from, a);
    match u.kind {
        Kind::QNaN | Kind::SNaN => {
            if u.kind == Kind::SNaN {
                ctx.raise(INVALID);
            }
            if ctx.dn {
                return to.default_nan();
            }
            let frac = a & from.frac_mask();
            let frac = if from.mbits >= to.mbits {
                frac >> (from.mbits - to.mbits)
            } else {
                frac << (to.mbits - from.mbits)
            };
            let sign = if u.sign { to.sign_bit() } else { 0 };
            sign | to.exp_all_ones() | to.quiet_bit() | frac
        }
        Kind::Inf => to.inf(u.sign),
        Kind::Zero => to.zero(u.sign),
        Kind::Finite => round_pack(ctx, to, u.sign, u.exp, u.sig as u128),
    }
}

/// FPRoundInt: round to an integral value in the same format; `exact` raises inexact when the
/// value changes (FRINTX, FROUNDNX). A zero result keeps the operand's sign.
pub(crate) fn round_int(ctx: &mut Ctx, fmt: Fmt, a: u64, exact: bool) -> u64 {
    let u = unpack(ctx, fmt, a);
    if let Some(n) = process_nans(ctx, fmt, &[a]) {
        return n;
    }
    match u.kind {
        Kind::Inf => fmt.inf(u.sign),
        Kind::Finite if u.exp < 0 => {
            let (n, inexact) = shift_round(u.sig as u128, (-u.exp) as u32, u.sign, ctx.rm);
            if exact && inexact {
                ctx.raise(INEXACT);
            }
            // n has at most mbits+1 bits, so this packs exactly and raises nothing.
            round_pack(ctx, fmt, u.sign, 0, n)
        }
        Kind::Finite => a,
        _ => fmt.zero(u.sign),
    }
}
