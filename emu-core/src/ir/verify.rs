//! IR verifier: operands defined before use, operand and result types consistent with the op.
//!
//! Frontend tests run every translated block through it; a failure names the instruction.

use super::*;
use std::fmt;

/// A verification failure at instruction `inst` (or the terminator when `inst` is the length).
#[derive(Debug, Clone, PartialEq)]
pub struct VerifyError {
    pub inst: usize,
    pub msg: String,
}

impl fmt::Display for VerifyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "inst {}: {}", self.inst, self.msg)
    }
}

impl std::error::Error for VerifyError {}

fn int_or_vec(t: Ty) -> bool {
    matches!(t, Ty::I32 | Ty::I64)
}

/// Check `b`; returns the first problem found.
pub fn verify(b: &Block) -> Result<(), VerifyError> {
    for (i, inst) in b.insts.iter().enumerate() {
        let e = |msg: String| VerifyError { inst: i, msg: format!("{msg} in `{inst}`") };
        let mut bad = None;
        inst.op.for_each_arg(|v| {
            if v.0 as usize >= i {
                bad = Some(format!("v{} used before definition", v.0));
            } else if b.insts[v.0 as usize].ty == Ty::Void {
                bad = Some(format!("v{} is void", v.0));
            }
        });
        if let Some(m) = bad {
            return Err(e(m));
        }
        let t = |v: &Val| b.ty(*v);
        let ty = inst.ty;
        let ok = match &inst.op {
            Op::Mark { .. } | Op::Set { .. } | Op::Store { .. } | Op::Fence { .. } => ty == Ty::Void,
            Op::ZeroBlock { addr, .. } | Op::CodeInval { addr, .. } => ty == Ty::Void && t(addr) == Ty::I64,
            Op::ExitIf { cond, .. } => ty == Ty::Void && t(cond) == Ty::I1,
            Op::Const { .. } => ty != Ty::Void && ty != Ty::V128,
            Op::ConstV128 { .. } => ty == Ty::V128,
            Op::Get { off } => ty != Ty::Void && off + ty.bits().max(8) / 8 <= crate::cpu::STATE_SIZE,
            Op::Add { a, b }
            | Op::Sub { a, b }
            | Op::Mul { a, b }
            | Op::MulHiU { a, b }
            | Op::MulHiS { a, b }
            | Op::MulHiSU { a, b }
            | Op::DivU { a, b }
            | Op::DivS { a, b }
            | Op::RemU { a, b }
            | Op::RemS { a, b }
            | Op::Shl { a, b }
            | Op::Lshr { a, b }
            | Op::Ashr { a, b }
            | Op::Rotr { a, b }
            | Op::Rotl { a, b } => int_or_vec(ty) && t(a) == ty && t(b) == ty,
            Op::And { a, b }
            | Op::Or { a, b }
            | Op::Xor { a, b }
            | Op::AndNot { a, b }
            | Op::OrNot { a, b }
            | Op::XorNot { a, b } => (int_or_vec(ty) || ty == Ty::I1) && t(a) == ty && t(b) == ty,
            Op::Neg { a }
            | Op::Not { a }
            | Op::Clz { a }
            | Op::Cls { a }
            | Op::Ctz { a }
            | Op::Popcnt { a }
            | Op::Rbit { a }
            | Op::Bswap { a }
            | Op::OrcB { a } => {
                (int_or_vec(ty) || (ty == Ty::I1 && matches!(inst.op, Op::Not { .. }))) && t(a) == ty
            }
            Op::Zext { a } | Op::Sext { a } => int_or_vec(ty) && t(a).is_int() && t(a).bits() <= ty.bits(),
            Op::Trunc { a } => ty.is_int() && t(a).is_int() && t(a).bits() >= ty.bits(),
            Op::Extract { a, lsb, width } | Op::SExtract { a, lsb, width } => {
                int_or_vec(ty) && t(a) == ty && *width >= 1 && (*lsb as u32 + *width as u32) <= ty.bits()
            }
            Op::Deposit { a, b, lsb, width } => {
                int_or_vec(ty)
                    && t(a) == ty
                    && int_or_vec(t(b))
                    && *width >= 1
                    && (*lsb as u32 + *width as u32) <= ty.bits()
            }
            Op::Bitcast { a } => ty != Ty::Void && ty != Ty::I1 && t(a) != Ty::I1,
            Op::Icmp { a, b, .. } => ty == Ty::I1 && t(a) == t(b) && t(a).is_int(),
            Op::Select { c, a, b } => t(c) == Ty::I1 && t(a) == ty && t(b) == ty,
            Op::NzcvAdd { a, b } | Op::NzcvSub { a, b } => ty == Ty::I32 && int_or_vec(t(a)) && t(a) == t(b),
            Op::NzcvAdc { a, b, nzcv } | Op::NzcvSbc { a, b, nzcv } => {
                ty == Ty::I32 && int_or_vec(t(a)) && t(a) == t(b) && t(nzcv) == Ty::I32
            }
            Op::NzcvLogic { a } => ty == Ty::I32 && int_or_vec(t(a)),
            Op::Adc { a, b, nzcv } | Op::Sbc { a, b, nzcv } => {
                int_or_vec(ty) && t(a) == ty && t(b) == ty && t(nzcv) == Ty::I32
            }
            Op::CondHolds { cond, nzcv } => ty == Ty::I1 && *cond < 16 && t(nzcv) == Ty::I32,
            Op::Load { addr, size, .. } => {
                t(addr) == Ty::I64 && matches!(size, 1 | 2 | 4 | 8 | 16) && (*size as u32) * 8 <= ty.bits()
            }
            Op::AtomicRmw { addr, v, size, .. } => {
                t(addr) == Ty::I64 && matches!(size, 1 | 2 | 4 | 8) && int_or_vec(ty) && t(v) == ty
            }
            Op::Cas { addr, expected, new, size } => {
                t(addr) == Ty::I64 && matches!(size, 1 | 2 | 4 | 8 | 16) && t(expected) == ty && t(new) == ty
            }
            Op::SysRead { .. } => ty == Ty::I64,
            Op::Crc32 { acc, v, size, .. } => {
                ty == Ty::I32 && t(acc) == Ty::I32 && int_or_vec(t(v)) && matches!(size, 1 | 2 | 4 | 8)
            }
            Op::FUnary { op, a, .. } => match op {
                FpUnOp::Class => ty == Ty::I64 && t(a).is_float(),
                FpUnOp::Convert => ty.is_float() && t(a).is_float(),
                _ => ty.is_float() && t(a) == ty,
            },
            Op::FBinary { a, b, .. } => ty.is_float() && t(a) == ty && t(b) == ty,
            Op::FTernary { a, b, c, .. } => ty.is_float() && t(a) == ty && t(b) == ty && t(c) == ty,
            Op::FCmp { a, b, .. } => ty == Ty::I32 && t(a).is_float() && t(a) == t(b),
            Op::FCmpBool { a, b, .. } => ty == Ty::I1 && t(a).is_float() && t(a) == t(b),
            Op::FToInt { a, .. } => int_or_vec(ty) && t(a).is_float(),
            Op::IntToF { a, .. } => ty.is_float() && int_or_vec(t(a)),
            Op::VUnary { es, a, .. } | Op::VImm { es, a, .. } => {
                ty == Ty::V128 && t(a) == Ty::V128 && matches!(es, 8 | 16 | 32 | 64)
            }
            Op::VBinary { es, a, b, .. } | Op::VImm2 { es, a, b, .. } => {
                ty == Ty::V128 && t(a) == Ty::V128 && t(b) == Ty::V128 && matches!(es, 8 | 16 | 32 | 64)
            }
            Op::VTernary { es, a, b, c, .. } => {
                ty == Ty::V128
                    && t(a) == Ty::V128
                    && t(b) == Ty::V128
                    && t(c) == Ty::V128
                    && matches!(es, 8 | 16 | 32 | 64)
            }
            Op::VExtract { a, es, idx } => {
                t(a) == Ty::V128
                    && matches!(es, 8 | 16 | 32 | 64)
                    && (*idx as u32) < 128 / *es as u32
                    && ty.bits() >= *es as u32
            }
            Op::VInsert { a, b, es, idx } => {
                ty == Ty::V128
                    && t(a) == Ty::V128
                    && matches!(es, 8 | 16 | 32 | 64)
                    && (*idx as u32) < 128 / *es as u32
                    && t(b) != Ty::V128
            }
            Op::VDup { a, es } => ty == Ty::V128 && matches!(es, 8 | 16 | 32 | 64) && t(a) != Ty::V128,
        };
        if !ok {
            return Err(e("operand or result types do not fit the op".into()));
        }
        if let Op::Set { off, v } = &inst.op {
            if off + t(v).bits().max(8) / 8 > crate::cpu::STATE_SIZE {
                return Err(e("state offset out of range".into()));
            }
        }
    }
    let n = b.insts.len();
    let te = |msg: &str| VerifyError { inst: n, msg: format!("{msg} in `{}`", b.term) };
    match &b.term {
        Term::Branch { cond, .. } if cond.0 as usize >= n || b.ty(*cond) != Ty::I1 => {
            return Err(te("branch condition must be a defined i1"));
        }
        Term::Indirect { target, .. } if target.0 as usize >= n || b.ty(*target) != Ty::I64 => {
            return Err(te("indirect target must be a defined i64"));
        }
        _ => {}
    }
    Ok(())
}
