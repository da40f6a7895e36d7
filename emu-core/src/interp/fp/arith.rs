//! FP arithmetic: add, sub, mul, div, sqrt, fused multiply-add and the AArch64 variants built on
//! them (FMULX, FABD, FRECPS, FRSQRTS), following FPAdd, FPMul, FPDiv, FPSqrt, FPMulAdd, FPMulX,
//! FPRecipStepFused and FPRSqrtStepFused of the Arm ARM and the RISC-V F/D chapters.
//!
//! Each op handles NaNs, infinities and zeros first, then forms the exact result as an integer
//! significand (a product fits in 106 bits; quotients and roots carry a sticky lsb) and rounds
//! once with [`round_pack`]. An exactly-zero sum is +0, or -0 when rounding down.

use super::nan::{invalid, process_nans};
use super::soft::{repack, round_pack, unpack, Ctx, Fmt, Kind, Unpacked, DIVZERO};
use crate::ir::Rm;

/// An exact non-zero intermediate `(-1)^sign * sig * 2^exp`.
type Exact = (bool, i32, u128);

/// The sign of an exact zero sum of operands with different signs.
fn zero_sum_sign(ctx: &Ctx) -> bool {
    ctx.rm == Rm::Rdn
}

/// Exact `x + y` of two non-zero values, with the smaller operand's bits far below the rounding
/// point folded into a sticky lsb. `None` when the sum is exactly zero.
fn add_exact(x: Exact, y: Exact) -> Option<Exact> {
    // Normalise both to bit 125, leaving two bits of headroom for the sum.
    let norm = |(s, e, m): Exact| {
        let sh = m.leading_zeros() as i32 - 2;
        (s, e - sh, m << sh)
    };
    let (mut x, mut y) = (norm(x), norm(y));
    if y.1 > x.1 {
        core::mem::swap(&mut x, &mut y);
    }
    let d = (x.1 - y.1) as u32;
    // Jamming is exact enough: when bits are lost, d >= 2 so the sum keeps its msb within one
    // place of bit 125, and the rounding point stays ~70 bits above the sticky bit.
    let ym = if d == 0 {
        y.2
    } else if d >= 128 {
        1
    } else {
        (y.2 >> d) | (y.2 & ((1u128 << d) - 1) != 0) as u128
    };
    let (sign, m) = if x.0 == y.0 {
        (x.0, x.2 + ym)
    } else if x.2 >= ym {
        (x.0, x.2 - ym)
    } else {
        (y.0, ym - x.2)
    };
    (m != 0).then_some((sign, x.1, m))
}

fn exact(u: &Unpacked) -> Exact {
    (u.sign, u.exp, u.sig as u128)
}

/// FPAdd / FPSub.
pub(crate) fn add(ctx: &mut Ctx, fmt: Fmt, a: u64, b: u64, sub: bool) -> u64 {
    let ua = unpack(ctx, fmt, a);
    let mut ub = unpack(ctx, fmt, b);
    if let Some(n) = process_nans(ctx, fmt, &[a, b]) {
        return n;
    }
    ub.sign ^= sub;
    match (ua.kind, ub.kind) {
        (Kind::Inf, Kind::Inf) if ua.sign != ub.sign => invalid(ctx, fmt),
        (Kind::Inf, _) => fmt.inf(ua.sign),
        (_, Kind::Inf) => fmt.inf(ub.sign),
        (Kind::Zero, Kind::Zero) => fmt.zero(if ua.sign == ub.sign { ua.sign } else { zero_sum_sign(ctx) }),
        (Kind::Zero, _) => repack(ctx, fmt, &ub),
        (_, Kind::Zero) => repack(ctx, fmt, &ua),
        _ => match add_exact(exact(&ua), exact(&ub)) {
            Some((s, e, m)) => round_pack(ctx, fmt, s, e, m),
            None => fmt.zero(zero_sum_sign(ctx)),
        },
    }
}

/// FPMul, and FPMulX (`mulx`: infinity times zero is 2.0 instead of invalid).
pub(crate) fn mul(ctx: &mut Ctx, fmt: Fmt, a: u64, b: u64, mulx: bool) -> u64 {
    let ua = unpack(ctx, fmt, a);
    let ub = unpack(ctx, fmt, b);
    if let Some(n) = process_nans(ctx, fmt, &[a, b]) {
        return n;
    }
    let sign = ua.sign ^ ub.sign;
    match (ua.kind, ub.kind) {
        (Kind::Inf, Kind::Zero) | (Kind::Zero, Kind::Inf) => {
            if mulx {
                fmt.pow2(sign, 1)
            } else {
                invalid(ctx, fmt)
            }
        }
        (Kind::Inf, _) | (_, Kind::Inf) => fmt.inf(sign),
        (Kind::Zero, _) | (_, Kind::Zero) => fmt.zero(sign),
        _ => round_pack(ctx, fmt, sign, ua.exp + ub.exp, ua.sig as u128 * ub.sig as u128),
    }
}

/// FPDiv.
pub(crate) fn div(ctx: &mut Ctx, fmt: Fmt, a: u64, b: u64) -> u64 {
    let ua = unpack(ctx, fmt, a);
    let ub = unpack(ctx, fmt, b);
    if let Some(n) = process_nans(ctx, fmt, &[a, b]) {
        return n;
    }
    let sign = ua.sign ^ ub.sign;
    match (ua.kind, ub.kind) {
        (Kind::Inf, Kind::Inf) | (Kind::Zero, Kind::Zero) => invalid(ctx, fmt),
        (Kind::Inf, _) => fmt.inf(sign),
        (_, Kind::Inf) | (Kind::Zero, _) => fmt.zero(sign),
        (_, Kind::Zero) => {
            ctx.raise(DIVZERO);
            fmt.inf(sign)
        }
        _ => {
            // Dividend at bit 126: the quotient has >= 73 bits, plenty above a sticky lsb.
            let sh = (ua.sig as u128).leading_zeros() as i32 - 1;
            let n = (ua.sig as u128) << sh;
            let d = ub.sig as u128;
            let (q, r) = (n / d, n % d);
            round_pack(ctx, fmt, sign, ua.exp - sh - ub.exp - 1, (q << 1) | (r != 0) as u128)
        }
    }
}

/// Integer square root: the largest r with r*r <= n.
fn isqrt(n: u128) -> u128 {
    let mut x = n;
    let mut r = 0u128;
    let mut bit = 1u128 << 126;
    while bit > n {
        bit >>= 2;
    }
    while bit != 0 {
        if x >= r + bit {
            x -= r + bit;
            r = (r >> 1) + bit;
        } else {
            r >>= 1;
        }
        bit >>= 2;
    }
    r
}

/// FPSqrt.
pub(crate) fn sqrt(ctx: &mut Ctx, fmt: Fmt, a: u64) -> u64 {
    let u = unpack(ctx, fmt, a);
    if let Some(n) = process_nans(ctx, fmt, &[a]) {
        return n;
    }
    match u.kind {
        Kind::Zero => fmt.zero(u.sign),
        _ if u.sign => invalid(ctx, fmt),
        Kind::Inf => fmt.inf(false),
        _ => {
            // Significand at bit 126 or 125 so the exponent is even; the root then has >= 62 bits.
            let mut sh = (u.sig as u128).leading_zeros() as i32 - 1;
            if (u.exp - sh) & 1 != 0 {
                sh -= 1;
            }
            let n = (u.sig as u128) << sh;
            let r = isqrt(n);
            round_pack(ctx, fmt, false, (u.exp - sh) / 2 - 1, (r << 1) | (r * r != n) as u128)
        }
    }
}

/// The exact value of `a * b + c` for finite, non-NaN operands with no infinity; `Err(sign)`
/// for an exact zero of that sign.
fn fma_exact(ctx: &Ctx, ua: &Unpacked, ub: &Unpacked, uc: &Unpacked) -> Result<Exact, bool> {
    let sp = ua.sign ^ ub.sign;
    let pzero = ua.kind == Kind::Zero || ub.kind == Kind::Zero;
    match (pzero, uc.kind == Kind::Zero) {
        (true, true) => Err(if sp == uc.sign { sp } else { zero_sum_sign(ctx) }),
        (true, false) => Ok(exact(uc)),
        (false, cz) => {
            let p = (sp, ua.exp + ub.exp, ua.sig as u128 * ub.sig as u128);
            if cz {
                Ok(p)
            } else {
                add_exact(p, exact(uc)).ok_or(zero_sum_sign(ctx))
            }
        }
    }
}

fn inf_times_zero(ua: &Unpacked, ub: &Unpacked) -> bool {
    (ua.kind == Kind::Inf && ub.kind == Kind::Zero) || (ua.kind == Kind::Zero && ub.kind == Kind::Inf)
}

/// FPMulAdd: `a * b + c` rounded once. NaN priority is c, a, b (the addend first).
pub(crate) fn mul_add(ctx: &mut Ctx, fmt: Fmt, a: u64, b: u64, c: u64) -> u64 {
    let ua = unpack(ctx, fmt, a);
    let ub = unpack(ctx, fmt, b);
    let uc = unpack(ctx, fmt, c);
    if let Some(n) = process_nans(ctx, fmt, &[c, a, b]) {
        // Both guests flag inf * 0 even when the addend is a quiet NaN.
        if uc.kind == Kind::QNaN && inf_times_zero(&ua, &ub) {
            return invalid(ctx, fmt);
        }
        return n;
    }
    if inf_times_zero(&ua, &ub) {
        return invalid(ctx, fmt);
    }
    let sp = ua.sign ^ ub.sign;
    let pinf = ua.kind == Kind::Inf || ub.kind == Kind::Inf;
    match (pinf, uc.kind == Kind::Inf) {
        (true, true) if sp != uc.sign => invalid(ctx, fmt),
        (true, _) => fmt.inf(sp),
        (false, true) => fmt.inf(uc.sign),
        _ => match fma_exact(ctx, &ua, &ub, &uc) {
            Ok((s, e, m)) => round_pack(ctx, fmt, s, e, m),
            Err(s) => fmt.zero(s),
        },
    }
}

/// FPRecipStepFused (`2 - a*b`) and FPRSqrtStepFused (`(3 - a*b) / 2`), rounded once.
/// `a` is negated before NaN processing, as in the pseudocode.
pub(crate) fn step(ctx: &mut Ctx, fmt: Fmt, a: u64, b: u64, rsqrt: bool) -> u64 {
    let a = a ^ fmt.sign_bit();
    let ua = unpack(ctx, fmt, a);
    let ub = unpack(ctx, fmt, b);
    if let Some(n) = process_nans(ctx, fmt, &[a, b]) {
        return n;
    }
    if inf_times_zero(&ua, &ub) {
        // 2.0 or 1.5
        return if rsqrt { fmt.pow2(false, 0) | fmt.quiet_bit() } else { fmt.pow2(false, 1) };
    }
    if ua.kind == Kind::Inf || ub.kind == Kind::Inf {
        return fmt.inf(ua.sign ^ ub.sign);
    }
    let konst = if rsqrt { 3 } else { 2 };
    let uc = Unpacked { kind: Kind::Finite, sign: false, exp: 0, sig: konst };
    match fma_exact(ctx, &ua, &ub, &uc) {
        Ok((s, e, m)) => round_pack(ctx, fmt, s, e - rsqrt as i32, m),
        Err(_) => fmt.zero(ctx.rm == Rm::Rdn),
    }
}
