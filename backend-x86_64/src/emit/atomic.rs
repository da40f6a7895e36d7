//! Native emitters for atomics (AtomicRmw, Cas). None yet: both take the interpreter fallback.

use super::regalloc::Ctx;
use emu_core::ir::{Inst, Op};

pub(super) fn is_native(_op: &Op) -> bool {
    false
}

pub(super) fn emit(_c: &mut Ctx, _inst: &Inst) -> bool {
    false
}
