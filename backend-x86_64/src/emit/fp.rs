//! Native emitters for the scalar FP family (FUnary, FBinary, FTernary, FCmp, FCmpBool,
//! FToInt, IntToF). None yet: every FP op takes the interpreter fallback.

use super::regalloc::Ctx;
use emu_core::ir::{Inst, Op};

pub(super) fn is_native(_op: &Op) -> bool {
    false
}

pub(super) fn emit(_c: &mut Ctx, _inst: &Inst) -> bool {
    false
}
