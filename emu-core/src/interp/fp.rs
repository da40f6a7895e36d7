//! Interpreter semantics of the FP op family (placeholder: being written).

use crate::cpu::CpuState;
use crate::guest::Arch;
use crate::ir::{FpBinOp, FpCmpCc, FpTerOp, FpUnOp, Rm, Ty};

pub(super) fn unary(
    _arch: Arch,
    _cpu: &mut CpuState,
    _op: FpUnOp,
    _ty: Ty,
    _aty: Ty,
    _a: u128,
    _rm: Rm,
) -> u128 {
    unimplemented!("fp unary")
}
pub(super) fn binary(
    _arch: Arch,
    _cpu: &mut CpuState,
    _op: FpBinOp,
    _ty: Ty,
    _a: u128,
    _b: u128,
    _rm: Rm,
) -> u128 {
    unimplemented!("fp binary")
}
#[allow(clippy::too_many_arguments)]
pub(super) fn ternary(
    _arch: Arch,
    _cpu: &mut CpuState,
    _op: FpTerOp,
    _ty: Ty,
    _a: u128,
    _b: u128,
    _c: u128,
    _rm: Rm,
) -> u128 {
    unimplemented!("fp ternary")
}
pub(super) fn cmp_nzcv(
    _arch: Arch,
    _cpu: &mut CpuState,
    _ty: Ty,
    _a: u128,
    _b: u128,
    _signaling: bool,
) -> u128 {
    unimplemented!("fcmp")
}
pub(super) fn cmp_bool(_arch: Arch, _cpu: &mut CpuState, _cc: FpCmpCc, _ty: Ty, _a: u128, _b: u128) -> u128 {
    unimplemented!("fcmpb")
}
#[allow(clippy::too_many_arguments)]
pub(super) fn to_int(
    _arch: Arch,
    _cpu: &mut CpuState,
    _ty: Ty,
    _aty: Ty,
    _a: u128,
    _signed: bool,
    _fbits: u8,
    _rm: Rm,
) -> u128 {
    unimplemented!("ftoint")
}
#[allow(clippy::too_many_arguments)]
pub(super) fn from_int(
    _arch: Arch,
    _cpu: &mut CpuState,
    _ty: Ty,
    _aty: Ty,
    _a: u128,
    _signed: bool,
    _fbits: u8,
    _rm: Rm,
) -> u128 {
    unimplemented!("inttof")
}
