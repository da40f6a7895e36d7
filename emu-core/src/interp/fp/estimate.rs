//! AArch64 reciprocal and reciprocal-square-root estimates (FPRecipEstimate, FPRSqrtEstimate with
//! the RecipEstimate / RecipSqrtEstimate tables, FEAT_RPRES off) and FRECPX (FPRecpX).
//!
//! The estimates work on a 9-bit fixed-point view of the significand and produce an 8-bit
//! fraction; the arithmetic below follows the pseudocode's integer formulation.

use super::nan::{invalid, process_nans};
use super::soft::{unpack, Ctx, Fmt, Kind, DIVZERO, INEXACT, OVERFLOW, UNDERFLOW};
use crate::ir::Rm;

/// RecipEstimate: `a` in 256..512 stands for [0.5, 1); the result in 256..512 for [1, 2).
fn recip_estimate(a: u64) -> u64 {
    let a = a * 2 + 1;
    let b = (1 << 19) / a;
    b.div_ceil(2) // (b + 1) / 2: round to nearest
}

/// RecipSqrtEstimate: `a` in 128..512 stands for [0.25, 1); the result in 256..512.
fn rsqrt_estimate(a: u64) -> u64 {
    let a = if a < 256 { a * 2 + 1 } else { ((a >> 1) << 1) * 2 + 2 };
    // The largest b with a * (b+1)^2 < 2^28, found from a float guess and corrected exactly.
    let mut b = ((1u64 << 28) as f64 / a as f64).sqrt() as u64;
    b = b.saturating_sub(2).max(512);
    while a * (b + 1) * (b + 1) < 1 << 28 {
        b += 1;
    }
    b.div_ceil(2) // (b + 1) / 2: round to nearest
}

/// The 52-bit fraction and biased exponent of `x`, widened to the double layout.
fn frac_exp(fmt: Fmt, x: u64) -> (u64, i64) {
    let frac = (x & fmt.frac_mask()) << (52 - fmt.mbits);
    (frac, fmt.exp_field(x) as i64)
}

/// FPRecipEstimate (FRECPE).
pub(crate) fn recip_est(ctx: &mut Ctx, fmt: Fmt, a: u64) -> u64 {
    let u = unpack(ctx, fmt, a);
    if let Some(n) = process_nans(ctx, fmt, &[a]) {
        return n;
    }
    let sign = u.sign;
    match u.kind {
        Kind::Inf => return fmt.zero(sign),
        Kind::Zero => {
            ctx.raise(DIVZERO);
            return fmt.inf(sign);
        }
        _ => {}
    }
    // |value| < 2^-(bias+1): the reciprocal overflows.
    let top = u.exp + 63 - (u.sig.leading_zeros() as i32);
    if top < -fmt.bias() - 1 {
        ctx.raise(OVERFLOW | INEXACT);
        let to_inf = match ctx.rm {
            Rm::Rup => !sign,
            Rm::Rdn => sign,
            Rm::Rtz | Rm::Rodd => false,
            _ => true,
        };
        return if to_inf { fmt.inf(sign) } else { fmt.max_normal(sign) };
    }
    if ctx.fz && top >= fmt.bias() - 1 {
        ctx.raise(UNDERFLOW);
        return fmt.zero(sign);
    }
    let (mut frac, mut exp) = frac_exp(fmt, a);
    if exp == 0 {
        if frac >> 51 & 1 == 0 {
            exp = -1;
            frac = (frac << 2) & ((1 << 52) - 1);
        } else {
            frac = (frac << 1) & ((1 << 52) - 1);
        }
    }
    let scaled = (1 << 8) | (frac >> 44);
    let mut rexp = 2 * fmt.bias() as i64 - 1 - exp;
    let est = recip_estimate(scaled);
    let mut frac = (est & 0xff) << 44;
    if rexp == 0 {
        frac = (1 << 51) | (frac >> 1);
    } else if rexp == -1 {
        frac = (1 << 50) | (frac >> 2);
        rexp = 0;
    }
    let s = if sign { fmt.sign_bit() } else { 0 };
    s | ((rexp as u64) << fmt.mbits) | (frac >> (52 - fmt.mbits))
}

/// FPRSqrtEstimate (FRSQRTE).
pub(crate) fn rsqrt_est(ctx: &mut Ctx, fmt: Fmt, a: u64) -> u64 {
    let u = unpack(ctx, fmt, a);
    if let Some(n) = process_nans(ctx, fmt, &[a]) {
        return n;
    }
    match u.kind {
        Kind::Zero => {
            ctx.raise(DIVZERO);
            return fmt.inf(u.sign);
        }
        _ if u.sign => return invalid(ctx, fmt),
        Kind::Inf => return fmt.zero(false),
        _ => {}
    }
    let (mut frac, mut exp) = frac_exp(fmt, a);
    if exp == 0 {
        while frac >> 51 & 1 == 0 {
            frac = (frac << 1) & ((1 << 52) - 1);
            exp -= 1;
        }
        frac = (frac << 1) & ((1 << 52) - 1);
    }
    let scaled = if exp & 1 == 0 { (1 << 8) | (frac >> 44) } else { (1 << 7) | (frac >> 45) };
    let rexp = (3 * fmt.bias() as i64 - 1 - exp).div_euclid(2);
    let est = rsqrt_estimate(scaled);
    ((rexp as u64) << fmt.mbits) | ((est & 0xff) << (fmt.mbits - 8))
}

/// FPRecpX (FRECPX): the exponent inverted, fraction cleared; a zero or denormal exponent gives
/// the largest normal exponent.
pub(crate) fn recip_exp(ctx: &mut Ctx, fmt: Fmt, a: u64) -> u64 {
    let _ = unpack(ctx, fmt, a); // FZ input flush flags IDC
    if let Some(n) = process_nans(ctx, fmt, &[a]) {
        return n;
    }
    let e = fmt.exp_field(a);
    let all = (1u64 << fmt.ebits) - 1;
    let ne = if e == 0 { all - 1 } else { !e & all };
    (a & fmt.sign_bit()) | (ne << fmt.mbits)
}
