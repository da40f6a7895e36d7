//! Interpreter semantics of the vector op family (placeholder: being written).

use crate::cpu::CpuState;
use crate::ir::{VecBinOp, VecImmOp, VecTerOp, VecUnOp};

pub(super) fn unary(_cpu: &mut CpuState, _op: VecUnOp, _es: u8, _a: u128) -> u128 {
    unimplemented!("vunary")
}
pub(super) fn binary(_cpu: &mut CpuState, _op: VecBinOp, _es: u8, _a: u128, _b: u128) -> u128 {
    unimplemented!("vbinary")
}
pub(super) fn ternary(_cpu: &mut CpuState, _op: VecTerOp, _es: u8, _a: u128, _b: u128, _c: u128) -> u128 {
    unimplemented!("vternary")
}
pub(super) fn imm(_op: VecImmOp, _es: u8, _a: u128, _imm: u32) -> u128 {
    unimplemented!("vimm")
}
