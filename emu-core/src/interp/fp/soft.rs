//! Soft-float core of the FP interpreter: formats, the per-op context, unpacking (with AArch64
//! FPCR.FZ input flushing) and the one rounding routine every op ends in.
//!
//! Values are handled as `sig * 2^exp` with an integer significand of up to 128 bits, so every
//! op computes its exact result (or an exact result plus a "sticky" lsb standing for a non-zero
//! remainder far below the rounding point) and rounds once in [`round_pack`]. This is the
//! reference the JIT is compared against, so it favours obviously-correct over fast: no host FP
//! instruction is involved, which also keeps the results independent of MXCSR.
//!
//! Underflow: AArch64 (FPCR.AH = 0) detects tininess *before* rounding (FPRoundBase: `biased_exp
//! == 0` is decided on the exact value), RISC-V *after* rounding (like x86). Both raise the
//! underflow flag only when the result is also inexact.

use crate::cpu::CpuState;
use crate::guest::Arch;
use crate::ir::{Rm, Ty};

/// Exception flag bits, MXCSR layout (as `CpuState::fp_exc`).
pub(crate) const INVALID: u32 = 1 << 0;
/// AArch64 IDC: an input denormal was flushed to zero (FPCR.FZ).
pub(crate) const DENORMAL: u32 = 1 << 1;
pub(crate) const DIVZERO: u32 = 1 << 2;
pub(crate) const OVERFLOW: u32 = 1 << 3;
pub(crate) const UNDERFLOW: u32 = 1 << 4;
pub(crate) const INEXACT: u32 = 1 << 5;

/// FPCR.DN: default NaN.
const FPCR_DN: u64 = 1 << 25;
/// FPCR.FZ: flush denormals to zero.
const FPCR_FZ: u64 = 1 << 24;

/// An IEEE binary interchange format.
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub(crate) struct Fmt {
    /// Exponent field width.
    pub ebits: u32,
    /// Fraction field width (precision minus one).
    pub mbits: u32,
}

pub(crate) const F32: Fmt = Fmt { ebits: 8, mbits: 23 };
pub(crate) const F64: Fmt = Fmt { ebits: 11, mbits: 52 };

impl Fmt {
    /// The format of an FP type: `F32` is single, anything else double (callers pass FP types).
    pub fn of(ty: Ty) -> Fmt {
        if ty == Ty::F32 {
            F32
        } else {
            F64
        }
    }
    pub fn width(self) -> u32 {
        1 + self.ebits + self.mbits
    }
    pub fn mask(self) -> u64 {
        u64::MAX >> (64 - self.width())
    }
    pub fn bias(self) -> i32 {
        (1 << (self.ebits - 1)) - 1
    }
    /// Unbiased exponent of the smallest normal.
    pub fn emin(self) -> i32 {
        1 - self.bias()
    }
    pub fn sign_bit(self) -> u64 {
        1 << (self.width() - 1)
    }
    pub fn exp_all_ones(self) -> u64 {
        ((1u64 << self.ebits) - 1) << self.mbits
    }
    pub fn frac_mask(self) -> u64 {
        (1u64 << self.mbits) - 1
    }
    pub fn quiet_bit(self) -> u64 {
        1 << (self.mbits - 1)
    }
    pub fn exp_field(self, x: u64) -> u64 {
        (x >> self.mbits) & ((1 << self.ebits) - 1)
    }
    pub fn sign(self, x: u64) -> bool {
        x & self.sign_bit() != 0
    }
    fn signed(self, sign: bool, mag: u64) -> u64 {
        if sign {
            mag | self.sign_bit()
        } else {
            mag
        }
    }
    pub fn zero(self, sign: bool) -> u64 {
        self.signed(sign, 0)
    }
    pub fn inf(self, sign: bool) -> u64 {
        self.signed(sign, self.exp_all_ones())
    }
    pub fn max_normal(self, sign: bool) -> u64 {
        self.signed(sign, self.exp_all_ones() - 1)
    }
    /// 1.0 * 2^e for a normal exponent `e`.
    pub fn pow2(self, sign: bool, e: i32) -> u64 {
        self.signed(sign, ((e + self.bias()) as u64) << self.mbits)
    }
    /// The AArch64 default NaN, which is also the RISC-V canonical NaN.
    pub fn default_nan(self) -> u64 {
        self.exp_all_ones() | self.quiet_bit()
    }
    pub fn is_nan(self, x: u64) -> bool {
        x & (self.mask() >> 1) > self.exp_all_ones()
    }
    pub fn is_snan(self, x: u64) -> bool {
        self.is_nan(x) && x & self.quiet_bit() == 0
    }
    pub fn is_inf(self, x: u64) -> bool {
        x & (self.mask() >> 1) == self.exp_all_ones()
    }
    pub fn is_denormal(self, x: u64) -> bool {
        self.exp_field(x) == 0 && x & self.frac_mask() != 0
    }
}

/// Per-op environment: guest, resolved rounding mode, FPCR bits, and the flags raised so far.
pub(crate) struct Ctx {
    pub arch: Arch,
    /// Never `Rm::Dyn`.
    pub rm: Rm,
    /// Every NaN result is the default NaN (FPCR.DN; always on RISC-V, whose canonical NaN is the
    /// same bit pattern and which also never propagates payloads).
    pub dn: bool,
    /// AArch64 FPCR.FZ.
    pub fz: bool,
    pub flags: u32,
}

impl Ctx {
    pub fn new(arch: Arch, cpu: &CpuState, rm: Rm) -> Ctx {
        let rm = if rm == Rm::Dyn { Rm::from_state(cpu.fp_rm) } else { rm };
        let arm = arch == Arch::Aarch64;
        Ctx { arch, rm, dn: !arm || cpu.fpcr & FPCR_DN != 0, fz: arm && cpu.fpcr & FPCR_FZ != 0, flags: 0 }
    }
    pub fn arm(&self) -> bool {
        self.arch == Arch::Aarch64
    }
    pub fn raise(&mut self, f: u32) {
        self.flags |= f;
    }
    /// Hand the raised flags to the guest state.
    pub fn commit(self, cpu: &mut CpuState) {
        cpu.fp_exc |= self.flags as u64;
    }
}

/// What kind of value an operand holds.
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub(crate) enum Kind {
    Zero,
    /// Finite and non-zero: the value is `sig * 2^exp`.
    Finite,
    Inf,
    QNaN,
    SNaN,
}

/// A decoded operand.
#[derive(Copy, Clone, Debug)]
pub(crate) struct Unpacked {
    pub kind: Kind,
    pub sign: bool,
    pub exp: i32,
    pub sig: u64,
}

/// Decode `x` (FPUnpack): a denormal becomes a signed zero under FPCR.FZ, raising IDC.
pub(crate) fn unpack(ctx: &mut Ctx, fmt: Fmt, x: u64) -> Unpacked {
    let sign = fmt.sign(x);
    let e = fmt.exp_field(x);
    let frac = x & fmt.frac_mask();
    let emin = fmt.emin() - fmt.mbits as i32;
    let (kind, exp, sig) = if e == 0 {
        if frac == 0 {
            (Kind::Zero, 0, 0)
        } else if ctx.fz {
            ctx.raise(DENORMAL);
            (Kind::Zero, 0, 0)
        } else {
            (Kind::Finite, emin, frac)
        }
    } else if e == (1 << fmt.ebits) - 1 {
        if frac == 0 {
            (Kind::Inf, 0, 0)
        } else if frac & fmt.quiet_bit() != 0 {
            (Kind::QNaN, 0, 0)
        } else {
            (Kind::SNaN, 0, 0)
        }
    } else {
        (Kind::Finite, emin + e as i32 - 1, frac | (1 << fmt.mbits))
    };
    Unpacked { kind, sign, exp, sig }
}

/// `x` as seen after FZ input flushing: a flushed denormal reads as a signed zero.
pub(crate) fn flushed(ctx: &mut Ctx, fmt: Fmt, x: u64) -> u64 {
    if ctx.fz && fmt.is_denormal(x) {
        ctx.raise(DENORMAL);
        x & fmt.sign_bit()
    } else {
        x
    }
}

/// `sig >> shift` rounded by `rm` for a value of sign `sign`; returns it and whether bits were
/// lost. Round-to-odd truncates and then forces the lsb when inexact.
pub(crate) fn shift_round(sig: u128, shift: u32, sign: bool, rm: Rm) -> (u128, bool) {
    if shift == 0 {
        return (sig, false);
    }
    // (quotient, remainder > half, remainder == half)
    let (q, gt, eq) = if shift > 128 {
        (0, false, false) // sig < 2^128 <= 2^(shift - 1): below half an ulp
    } else if shift == 128 {
        let half = 1u128 << 127;
        (0, sig > half, sig == half)
    } else {
        let rem = sig & ((1u128 << shift) - 1);
        let half = 1u128 << (shift - 1);
        (sig >> shift, rem > half, rem == half)
    };
    let inexact = if shift >= 128 { sig != 0 } else { sig & ((1u128 << shift) - 1) != 0 };
    let up = match rm {
        Rm::Rne | Rm::Dyn => gt || (eq && q & 1 == 1),
        Rm::Rmm => gt || eq,
        Rm::Rtz | Rm::Rodd => false,
        Rm::Rdn => inexact && sign,
        Rm::Rup => inexact && !sign,
    };
    let mut q = q + up as u128;
    if rm == Rm::Rodd && inexact {
        q |= 1;
    }
    (q, inexact)
}

/// Whether an overflowing result becomes infinity (else the largest finite number).
fn overflow_to_inf(rm: Rm, sign: bool) -> bool {
    match rm {
        Rm::Rne | Rm::Rmm | Rm::Dyn => true,
        Rm::Rtz | Rm::Rodd => false,
        Rm::Rup => !sign,
        Rm::Rdn => sign,
    }
}

/// Round the exact value `(-1)^sign * sig * 2^exp` (`sig` non-zero) to `fmt` with `ctx.rm`,
/// raising overflow, underflow and inexact, and flushing tiny results under FPCR.FZ.
pub(crate) fn round_pack(ctx: &mut Ctx, fmt: Fmt, sign: bool, exp: i32, sig: u128) -> u64 {
    if sig == 0 {
        return fmt.zero(sign);
    }
    let mb = fmt.mbits as i32;
    let emin = fmt.emin();
    let msb = 127 - sig.leading_zeros() as i32;
    // The value lies in [2^e, 2^(e+1)).
    let e = msb + exp;
    if ctx.fz && e < emin {
        // FPRoundBase flushes before rounding: UFC only, never inexact.
        ctx.raise(UNDERFLOW);
        return fmt.zero(sign);
    }
    // Weight of the result's lsb: precision mbits+1 for normals, fixed for subnormals.
    let lsb = (e - mb).max(emin - mb);
    let (m, inexact) = if lsb <= exp {
        (sig << (exp - lsb), false) // exact: the msb lands at or below bit mbits
    } else {
        shift_round(sig, (lsb - exp) as u32, sign, ctx.rm)
    };
    let tiny = if e >= emin {
        false
    } else if ctx.arm() || e < emin - 1 {
        true
    } else {
        // After rounding: tiny unless rounding to full precision (unbounded exponent) carries the
        // value up to 2^emin.
        let (m2, _) = shift_round(sig, (e - mb - exp).max(0) as u32, sign, ctx.rm);
        m2 >> (mb + 1) == 0
    };
    if inexact {
        ctx.raise(INEXACT);
        if tiny {
            ctx.raise(UNDERFLOW);
        }
    }
    if m == 0 {
        return fmt.zero(sign);
    }
    // Biased exponent for a significand whose implicit bit sits at bit mbits; adding `m` then
    // carries that bit into the exponent field (and a subnormal that rounded up becomes normal).
    let mut base = lsb + mb + fmt.bias() - 1;
    let mut m = m as u64;
    if m >> (mb + 1) != 0 {
        m >>= 1; // carried out to 2^(mbits+1): exact, the low bits are zero
        base += 1;
    }
    let field = base + (m >> mb) as i32;
    if field >= (1 << fmt.ebits) - 1 {
        ctx.raise(OVERFLOW | INEXACT);
        return if overflow_to_inf(ctx.rm, sign) { fmt.inf(sign) } else { fmt.max_normal(sign) };
    }
    fmt.signed(sign, ((base as u64) << fmt.mbits) + m)
}

/// Round an unpacked finite value (used where a finite operand is returned as the result, so
/// that FZ flushing and format changes go through the one rounding path).
pub(crate) fn repack(ctx: &mut Ctx, fmt: Fmt, u: &Unpacked) -> u64 {
    match u.kind {
        Kind::Finite => round_pack(ctx, fmt, u.sign, u.exp, u.sig as u128),
        Kind::Inf => fmt.inf(u.sign),
        _ => fmt.zero(u.sign),
    }
}
