//! The FP op family: sub-opcodes of `FUnary`, `FBinary`, `FTernary` and `FCmpBool`.
//!
//! Semantics are IEEE 754 at the op's type (F32 or F64), rounded by the op's [`super::Rm`], with
//! exception flags accumulated into `CpuState::fp_exc` (MXCSR layout). Where the two guests
//! differ, the block's [`crate::Arch`] decides:
//! * NaN results: RISC-V always returns the canonical NaN (0x7fc00000 / 0x7ff8000000000000).
//!   AArch64 propagates the first signalling NaN operand, else the first quiet NaN operand (in
//!   operand order a, b, c; for `MulAdd` the ARM order is c (addend) first, then a, b), quieted;
//!   with FPCR.DN (bit 25) set it returns the default NaN instead.
//! * `MinNum`/`MaxNum`: AArch64 FMINNM/FMAXNM (a quiet NaN operand loses; a signalling NaN
//!   gives a NaN result); RISC-V FMIN/FMAX (any NaN operand loses, both NaN gives canonical NaN,
//!   a signalling NaN also raises invalid). Both order -0 < +0.
//! * FPCR.FZ (bit 24) flushes denormal inputs (raising IDC, MXCSR bit 1) and tiny results
//!   (raising underflow only) to zero on AArch64.
//! * Underflow: AArch64 detects tininess before rounding, RISC-V (like x86) after rounding; both
//!   raise it only together with inexact.
//! * `RecipStep`/`RsqrtStep` negate `a` before NaN processing (FPRecipStepFused), so a NaN `a`
//!   comes back with its sign flipped when FPCR.DN is clear.
//!
//! The interpreter (`interp::fp`) is the reference; it also exports per-lane helpers used by the
//! vector family.

use super::named_enum;

named_enum! {
    /// One-operand FP ops. The result type is the op's `ty`; the operand type is `a`'s.
    pub enum FpUnOp {
        Sqrt = "sqrt",
        /// Sign flip, no NaN processing, no flags.
        Neg = "neg",
        /// Clear sign, no NaN processing, no flags.
        Abs = "abs",
        /// Round to an integral value in the same format, using `rm` (FRINTN/Z/M/P/A/I, FROUND).
        RoundInt = "roundint",
        /// Like `RoundInt` but raises inexact when the value changes (FRINTX).
        RoundIntExact = "roundintx",
        /// Convert between F32 and F64 (operand type -> result type), rounded by `rm`.
        Convert = "cvt",
        /// Reciprocal estimate (AArch64 FRECPE).
        RecipEst = "recpe",
        /// Reciprocal square-root estimate (AArch64 FRSQRTE).
        RsqrtEst = "rsqrte",
        /// Reciprocal exponent (AArch64 FRECPX).
        RecipExp = "recpx",
        /// RISC-V FCLASS: 10-bit class mask, result I64.
        Class = "class",
    }
}

named_enum! {
    /// Two-operand FP ops.
    pub enum FpBinOp {
        Add = "add", Sub = "sub", Mul = "mul", Div = "div",
        /// AArch64 FMIN: NaN operand gives NaN; -0 < +0.
        Min = "min",
        /// AArch64 FMAX.
        Max = "max",
        /// AArch64 FMINNM / RISC-V FMIN (see module docs).
        MinNum = "minnum",
        /// AArch64 FMAXNM / RISC-V FMAX.
        MaxNum = "maxnum",
        /// AArch64 FMULX: like Mul but 0 * inf = 2 with the xor of the signs.
        MulX = "mulx",
        /// AArch64 FABD: |a - b|.
        AbsDiff = "abd",
        /// AArch64 FRECPS: 2 - a*b, fused.
        RecipStep = "recps",
        /// AArch64 FRSQRTS: (3 - a*b) / 2, fused.
        RsqrtStep = "rsqrts",
        /// Sign of `b` on magnitude of `a` (FSGNJ), no flags.
        CopySign = "copysign",
        /// Negated sign of `b` on `a` (FSGNJN).
        CopySignNeg = "copysignn",
        /// Sign of a xor sign of b on `a` (FSGNJX).
        XorSign = "xorsign",
    }
}

named_enum! {
    /// Three-operand FP ops.
    pub enum FpTerOp {
        /// a * b + c with a single rounding. Frontends negate operands for the
        /// FMSUB/FNMADD/FNMSUB forms.
        MulAdd = "muladd",
    }
}

named_enum! {
    /// Conditions of `FCmpBool`.
    pub enum FpCmpCc {
        /// Quiet equality (FEQ): invalid only for signalling NaNs.
        Eq = "eq",
        /// Signalling less-than (FLT): invalid for any NaN.
        Lt = "lt",
        /// Signalling less-or-equal (FLE).
        Le = "le",
    }
}
