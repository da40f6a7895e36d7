//! Which emitter family compiles each IR op: one exhaustive match over `emu_core::ir::Op`, so
//! an op added to the IR's table (`ir_ops!`) does not build until it is given a family here.
//!
//! [`Family::Helper`] ops have no native code: the block calls the interpreter's definition of
//! the op through [`super::fallback`] (exact by construction, slower). A family's emitter may
//! also decline an op at a type or host feature it does not handle; the op then goes to the
//! helper the same way.

use emu_core::ir::Op;

#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub enum Family {
    /// Guest state, ALU, compares, NZCV, loads and stores (emit/int.rs, alu.rs, mem.rs, cond.rs).
    Int,
    /// Division, high multiply, bit counts, byte swap (emit/int_ext.rs).
    IntExt,
    /// Atomics (emit/atomic.rs).
    Atomic,
    /// Scalar and vector FP arithmetic (emit/fp.rs, fp_ops.rs, fp_vec.rs).
    Fp,
    /// Vector integer and permute ops (emit/vec*.rs).
    Vec,
    /// No native emitter: the interpreter's definition, called out of line.
    Helper,
}

pub fn family(op: &Op) -> Family {
    use Family::*;
    match op {
        Op::Mark { .. }
        | Op::Const { .. }
        | Op::ConstV128 { .. }
        | Op::Get { .. }
        | Op::Set { .. }
        | Op::Add { .. }
        | Op::Sub { .. }
        | Op::Mul { .. }
        | Op::And { .. }
        | Op::Or { .. }
        | Op::Xor { .. }
        | Op::AndNot { .. }
        | Op::Neg { .. }
        | Op::Not { .. }
        | Op::Shl { .. }
        | Op::Lshr { .. }
        | Op::Ashr { .. }
        | Op::Rotr { .. }
        | Op::Rotl { .. }
        | Op::Zext { .. }
        | Op::Sext { .. }
        | Op::Trunc { .. }
        | Op::Extract { .. }
        | Op::SExtract { .. }
        | Op::Bitcast { .. }
        | Op::Icmp { .. }
        | Op::Select { .. }
        | Op::NzcvAdd { .. }
        | Op::NzcvSub { .. }
        | Op::NzcvLogic { .. }
        | Op::CondHolds { .. }
        | Op::Load { .. }
        | Op::Store { .. }
        | Op::Fence { .. }
        | Op::CodeInval { .. }
        | Op::ExitIf { .. }
        | Op::ZeroBlock { .. } => Int,
        Op::DivU { .. }
        | Op::DivS { .. }
        | Op::RemU { .. }
        | Op::RemS { .. }
        | Op::MulHiU { .. }
        | Op::MulHiS { .. }
        | Op::OrNot { .. }
        | Op::XorNot { .. }
        | Op::Clz { .. }
        | Op::Ctz { .. }
        | Op::Popcnt { .. }
        | Op::Bswap { .. }
        | Op::Adc { .. }
        | Op::Sbc { .. }
        | Op::Rbit { .. } => IntExt,
        Op::AtomicRmw { .. } | Op::Cas { .. } => Atomic,
        Op::FUnary { .. }
        | Op::FBinary { .. }
        | Op::FTernary { .. }
        | Op::FCmp { .. }
        | Op::FCmpBool { .. }
        | Op::FToInt { .. }
        | Op::IntToF { .. } => Fp,
        Op::VUnary { .. }
        | Op::VBinary { .. }
        | Op::VTernary { .. }
        | Op::VImm { .. }
        | Op::VImm2 { .. }
        | Op::VExtract { .. }
        | Op::VInsert { .. }
        | Op::VDup { .. } => Vec,
        Op::MulHiSU { .. }
        | Op::Cls { .. }
        | Op::OrcB { .. }
        | Op::Deposit { .. }
        | Op::NzcvAdc { .. }
        | Op::NzcvSbc { .. }
        | Op::SysRead { .. }
        | Op::Crc32 { .. } => Helper,
    }
}
