//! Interpreter semantics of the FP op family (`FUnary`, `FBinary`, `FTernary`, `FCmp`,
//! `FCmpBool`, `FToInt`, `IntToF`; contract in [`crate::ir::fp`]) for both guests.
//!
//! The arithmetic is a soft-float ([`soft`]): exact intermediate results on 128-bit integers,
//! rounded once in every rounding mode (including ties-away and round-to-odd, which x86 lacks),
//! with AArch64 FPCR.DN/FZ and both guests' NaN and underflow rules. Flags are accumulated into
//! `CpuState::fp_exc` in the MXCSR layout.
//!
//! # Lane helpers for the vector interpreter
//!
//! Per-lane FP for AdvSIMD calls these with `Arch::Aarch64` on one lane's bits (an F32 lane in
//! the low 32 bits of the `u64`; higher bits are ignored; the result is zero-extended):
//! * [`unary_lane`]`(arch, cpu, op, ty, aty, a, rm)`: FSQRT, FRINT*, FRECPE, FRSQRTE, FRECPX, ...
//!   (`aty` is the operand's type; it differs from `ty` only for `Convert`).
//! * [`binary_lane`]`(arch, cpu, op, ty, a, b, rm)`: FADD ... FRSQRTS, FMINNM, FABD, FMULX.
//! * [`ternary_lane`]`(arch, cpu, op, ty, a, b, c, rm)`: FMLA is `MulAdd(a=n, b=m, c=d)`.
//! * [`cmp_lane`]`(arch, cpu, cc, ty, a, b) -> bool`: FCMEQ is `Eq(n, m)`, FCMGT is `Lt(m, n)`,
//!   FCMGE is `Le(m, n)` (both signalling, as FPCompareGT/GE); FACGE/FACGT compare the `Abs` of
//!   the lanes; the compare-with-zero forms pass 0 as the other operand.
//! * [`to_int_lane`]`(arch, cpu, ity, aty, a, signed, fbits, rm)`: FCVTZS/FCVTZU/FCVTNS..., with
//!   `ity` I32 or I64 (the lane width), saturating.
//! * [`from_int_lane`]`(arch, cpu, ty, ity, a, signed, fbits, rm)`: SCVTF/UCVTF.
//!
//! `rm` is the op's rounding; `Rm::Dyn` reads `CpuState::fp_rm`.

mod arith;
mod convert;
mod estimate;
mod nan;
mod soft;

use crate::cpu::CpuState;
use crate::guest::Arch;
use crate::ir::{FpBinOp, FpCmpCc, FpTerOp, FpUnOp, Rm, Ty};
use soft::{Ctx, Fmt};

/// One FP lane: a one-operand op. `aty` is the operand type (the source format for `Convert`).
pub(crate) fn unary_lane(arch: Arch, cpu: &mut CpuState, op: FpUnOp, ty: Ty, aty: Ty, a: u64, rm: Rm) -> u64 {
    let fmt = Fmt::of(aty);
    let a = a & fmt.mask();
    let mut ctx = Ctx::new(arch, cpu, rm);
    let r = match op {
        FpUnOp::Sqrt => arith::sqrt(&mut ctx, fmt, a),
        FpUnOp::Neg => a ^ fmt.sign_bit(),
        FpUnOp::Abs => a & !fmt.sign_bit(),
        FpUnOp::RoundInt => convert::round_int(&mut ctx, fmt, a, false),
        FpUnOp::RoundIntExact => convert::round_int(&mut ctx, fmt, a, true),
        FpUnOp::Convert => convert::convert(&mut ctx, fmt, Fmt::of(ty), a),
        FpUnOp::RecipEst => estimate::recip_est(&mut ctx, fmt, a),
        FpUnOp::RsqrtEst => estimate::rsqrt_est(&mut ctx, fmt, a),
        FpUnOp::RecipExp => estimate::recip_exp(&mut ctx, fmt, a),
        FpUnOp::Class => nan::class(fmt, a),
    };
    ctx.commit(cpu);
    r
}

/// One FP lane: a two-operand op on operands of type `ty`.
pub(crate) fn binary_lane(
    arch: Arch,
    cpu: &mut CpuState,
    op: FpBinOp,
    ty: Ty,
    a: u64,
    b: u64,
    rm: Rm,
) -> u64 {
    let fmt = Fmt::of(ty);
    let (a, b) = (a & fmt.mask(), b & fmt.mask());
    let sign = fmt.sign_bit();
    let mut ctx = Ctx::new(arch, cpu, rm);
    let c = &mut ctx;
    let r = match op {
        FpBinOp::Add => arith::add(c, fmt, a, b, false),
        FpBinOp::Sub => arith::add(c, fmt, a, b, true),
        FpBinOp::Mul => arith::mul(c, fmt, a, b, false),
        FpBinOp::MulX => arith::mul(c, fmt, a, b, true),
        FpBinOp::Div => arith::div(c, fmt, a, b),
        FpBinOp::Min | FpBinOp::Max | FpBinOp::MinNum | FpBinOp::MaxNum => nan::minmax(c, fmt, op, a, b),
        // FPAbs(FPSub(..)): the sign of a NaN result is cleared too.
        FpBinOp::AbsDiff => arith::add(c, fmt, a, b, true) & !sign,
        FpBinOp::RecipStep => arith::step(c, fmt, a, b, false),
        FpBinOp::RsqrtStep => arith::step(c, fmt, a, b, true),
        FpBinOp::CopySign => (a & !sign) | (b & sign),
        FpBinOp::CopySignNeg => (a & !sign) | (!b & sign),
        FpBinOp::XorSign => a ^ (b & sign),
    };
    ctx.commit(cpu);
    r
}

/// One FP lane: a three-operand op.
#[allow(clippy::too_many_arguments)]
pub(crate) fn ternary_lane(
    arch: Arch,
    cpu: &mut CpuState,
    op: FpTerOp,
    ty: Ty,
    a: u64,
    b: u64,
    c: u64,
    rm: Rm,
) -> u64 {
    let fmt = Fmt::of(ty);
    let mut ctx = Ctx::new(arch, cpu, rm);
    let r = match op {
        FpTerOp::MulAdd => arith::mul_add(&mut ctx, fmt, a & fmt.mask(), b & fmt.mask(), c & fmt.mask()),
    };
    ctx.commit(cpu);
    r
}

/// One FP lane: a boolean comparison (see the module docs for the AArch64 forms).
pub(crate) fn cmp_lane(arch: Arch, cpu: &mut CpuState, cc: FpCmpCc, ty: Ty, a: u64, b: u64) -> bool {
    let fmt = Fmt::of(ty);
    let mut ctx = Ctx::new(arch, cpu, Rm::Rne);
    let r = nan::cmp_bool(&mut ctx, fmt, cc, a & fmt.mask(), b & fmt.mask());
    ctx.commit(cpu);
    r
}

/// One FP lane to an integer of type `ity` (I32 or I64), with `fbits` fraction bits, saturating.
#[allow(clippy::too_many_arguments)]
pub(crate) fn to_int_lane(
    arch: Arch,
    cpu: &mut CpuState,
    ity: Ty,
    aty: Ty,
    a: u64,
    signed: bool,
    fbits: u8,
    rm: Rm,
) -> u64 {
    let fmt = Fmt::of(aty);
    let mut ctx = Ctx::new(arch, cpu, rm);
    let width = if ity == Ty::I32 { 32 } else { 64 };
    let r = convert::to_int(&mut ctx, fmt, a & fmt.mask(), width, signed, fbits.min(64));
    ctx.commit(cpu);
    r
}

/// One integer lane of type `ity` (I32 or I64; `fbits` fraction bits) to FP type `ty`.
#[allow(clippy::too_many_arguments)]
pub(crate) fn from_int_lane(
    arch: Arch,
    cpu: &mut CpuState,
    ty: Ty,
    ity: Ty,
    a: u64,
    signed: bool,
    fbits: u8,
    rm: Rm,
) -> u64 {
    let fmt = Fmt::of(ty);
    let mut ctx = Ctx::new(arch, cpu, rm);
    let width = if ity == Ty::I32 { 32 } else { 64 };
    let r = convert::from_int(&mut ctx, fmt, a, width, signed, fbits.min(64));
    ctx.commit(cpu);
    r
}

// ---- IR entry points (called from `interp::eval`) ----

pub(super) fn unary(arch: Arch, cpu: &mut CpuState, op: FpUnOp, ty: Ty, aty: Ty, a: u128, rm: Rm) -> u128 {
    unary_lane(arch, cpu, op, ty, aty, a as u64, rm) as u128
}

pub(super) fn binary(arch: Arch, cpu: &mut CpuState, op: FpBinOp, ty: Ty, a: u128, b: u128, rm: Rm) -> u128 {
    binary_lane(arch, cpu, op, ty, a as u64, b as u64, rm) as u128
}

#[allow(clippy::too_many_arguments)]
pub(super) fn ternary(
    arch: Arch,
    cpu: &mut CpuState,
    op: FpTerOp,
    ty: Ty,
    a: u128,
    b: u128,
    c: u128,
    rm: Rm,
) -> u128 {
    ternary_lane(arch, cpu, op, ty, a as u64, b as u64, c as u64, rm) as u128
}

pub(super) fn cmp_nzcv(arch: Arch, cpu: &mut CpuState, ty: Ty, a: u128, b: u128, signaling: bool) -> u128 {
    let fmt = Fmt::of(ty);
    let mut ctx = Ctx::new(arch, cpu, Rm::Rne);
    let r = nan::cmp_nzcv(&mut ctx, fmt, a as u64 & fmt.mask(), b as u64 & fmt.mask(), signaling);
    ctx.commit(cpu);
    r as u128
}

pub(super) fn cmp_bool(arch: Arch, cpu: &mut CpuState, cc: FpCmpCc, ty: Ty, a: u128, b: u128) -> u128 {
    cmp_lane(arch, cpu, cc, ty, a as u64, b as u64) as u128
}

#[allow(clippy::too_many_arguments)]
pub(super) fn to_int(
    arch: Arch,
    cpu: &mut CpuState,
    ty: Ty,
    aty: Ty,
    a: u128,
    signed: bool,
    fbits: u8,
    rm: Rm,
) -> u128 {
    to_int_lane(arch, cpu, ty, aty, a as u64, signed, fbits, rm) as u128
}

#[allow(clippy::too_many_arguments)]
pub(super) fn from_int(
    arch: Arch,
    cpu: &mut CpuState,
    ty: Ty,
    aty: Ty,
    a: u128,
    signed: bool,
    fbits: u8,
    rm: Rm,
) -> u128 {
    from_int_lane(arch, cpu, ty, aty, a as u64, signed, fbits, rm) as u128
}
