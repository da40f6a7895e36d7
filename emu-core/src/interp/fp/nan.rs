//! NaN propagation, min/max, comparisons and FCLASS.
//!
//! AArch64 follows FPProcessNaNs / FPProcessNaNs3: the first signalling NaN in operand order,
//! else the first quiet NaN, is returned quieted (payload kept), or the default NaN under
//! FPCR.DN; a signalling NaN raises invalid. RISC-V returns the canonical NaN, which is the
//! same bit pattern as Arm's default NaN, so it is handled as "DN always on" (`Ctx::dn`).

use super::soft::{flushed, Ctx, Fmt, INVALID};
use crate::ir::{FpBinOp, FpCmpCc};

/// The NaN result for `ops` (in the guest's priority order), or `None` when none is a NaN.
pub(crate) fn process_nans(ctx: &mut Ctx, fmt: Fmt, ops: &[u64]) -> Option<u64> {
    let pick = ops.iter().find(|&&x| fmt.is_snan(x)).or_else(|| ops.iter().find(|&&x| fmt.is_nan(x)))?;
    if fmt.is_snan(*pick) {
        ctx.raise(INVALID);
    }
    Some(if ctx.dn { fmt.default_nan() } else { *pick | fmt.quiet_bit() })
}

/// The invalid-operation result: raises invalid and gives the default (canonical) NaN.
pub(crate) fn invalid(ctx: &mut Ctx, fmt: Fmt) -> u64 {
    ctx.raise(INVALID);
    fmt.default_nan()
}

/// An ordering key for non-NaN values: monotone in the value, equal for -0 and +0.
fn key(fmt: Fmt, x: u64) -> i64 {
    let mag = (x & !fmt.sign_bit()) as i64;
    if fmt.sign(x) {
        -mag
    } else {
        mag
    }
}

/// Min, Max, MinNum, MaxNum (see `ir::fp` for the per-guest rules).
pub(crate) fn minmax(ctx: &mut Ctx, fmt: Fmt, op: FpBinOp, a: u64, b: u64) -> u64 {
    let max = matches!(op, FpBinOp::Max | FpBinOp::MaxNum);
    let (mut a, mut b) = (flushed(ctx, fmt, a), flushed(ctx, fmt, b));
    if matches!(op, FpBinOp::MinNum | FpBinOp::MaxNum) {
        if !ctx.arm() {
            // RISC-V FMIN/FMAX (IEEE 754-2019 minimumNumber/maximumNumber).
            if fmt.is_snan(a) || fmt.is_snan(b) {
                ctx.raise(INVALID);
            }
            match (fmt.is_nan(a), fmt.is_nan(b)) {
                (true, true) => return fmt.default_nan(),
                (true, false) => return b,
                (false, true) => return a,
                _ => {}
            }
        } else {
            // FPMaxNum: a lone quiet NaN is replaced by the infinity that loses.
            let qa = fmt.is_nan(a) && !fmt.is_snan(a);
            let qb = fmt.is_nan(b) && !fmt.is_snan(b);
            if qa && !qb {
                a = fmt.inf(max);
            } else if qb && !qa {
                b = fmt.inf(max);
            }
        }
    }
    if let Some(n) = process_nans(ctx, fmt, &[a, b]) {
        return n;
    }
    let (ka, kb) = (key(fmt, a), key(fmt, b));
    if ka == kb && ka == 0 {
        // Both zero: -0 < +0.
        let neg = if max { fmt.sign(a) && fmt.sign(b) } else { fmt.sign(a) || fmt.sign(b) };
        return fmt.zero(neg);
    }
    if (ka > kb) == max {
        a
    } else {
        b
    }
}

/// FCMP/FCMPE: NZCV in bits 31:28.
pub(crate) fn cmp_nzcv(ctx: &mut Ctx, fmt: Fmt, a: u64, b: u64, signaling: bool) -> u32 {
    let (a, b) = (flushed(ctx, fmt, a), flushed(ctx, fmt, b));
    if fmt.is_nan(a) || fmt.is_nan(b) {
        if signaling || fmt.is_snan(a) || fmt.is_snan(b) {
            ctx.raise(INVALID);
        }
        return 0b0011 << 28;
    }
    let (ka, kb) = (key(fmt, a), key(fmt, b));
    let r = if ka == kb {
        0b0110
    } else if ka < kb {
        0b1000
    } else {
        0b0010
    };
    r << 28
}

/// FEQ/FLT/FLE (and the AArch64 vector FCMEQ/FCMGT/FCMGE with swapped operands).
pub(crate) fn cmp_bool(ctx: &mut Ctx, fmt: Fmt, cc: FpCmpCc, a: u64, b: u64) -> bool {
    let (a, b) = (flushed(ctx, fmt, a), flushed(ctx, fmt, b));
    if fmt.is_nan(a) || fmt.is_nan(b) {
        if cc != FpCmpCc::Eq || fmt.is_snan(a) || fmt.is_snan(b) {
            ctx.raise(INVALID);
        }
        return false;
    }
    let (ka, kb) = (key(fmt, a), key(fmt, b));
    match cc {
        FpCmpCc::Eq => ka == kb,
        FpCmpCc::Lt => ka < kb,
        FpCmpCc::Le => ka <= kb,
    }
}

/// RISC-V FCLASS: one-hot class mask.
pub(crate) fn class(fmt: Fmt, x: u64) -> u64 {
    let neg = fmt.sign(x);
    let bit = if fmt.is_nan(x) {
        if fmt.is_snan(x) {
            8
        } else {
            9
        }
    } else if fmt.is_inf(x) {
        if neg {
            0
        } else {
            7
        }
    } else if x & !fmt.sign_bit() == 0 {
        if neg {
            3
        } else {
            4
        }
    } else if fmt.is_denormal(x) {
        if neg {
            2
        } else {
            5
        }
    } else if neg {
        1
    } else {
        6
    };
    1 << bit
}
