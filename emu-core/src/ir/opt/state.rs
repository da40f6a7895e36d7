//! Guest-state forwarding: a `Get` of a state slot whose value is already known in the block
//! (from an earlier `Get` or `Set` of the same slot and type) becomes a use of that value, and a
//! `Set` that a later `Set` of the same slot overwrites, with nothing in between that could
//! observe it, is dropped.
//!
//! "Could observe" is conservative: another access to an overlapping slot, any memory access
//! (it may fault, and a fault must see the guest's state) and any side-effecting op (FP ops read
//! the rounding mode and write the exception flags implicitly).

use super::Subst;
use crate::cpu::off;
use crate::ir::{Block, Effect, Op, Ty, Val};

fn bytes(ty: Ty) -> u32 {
    ty.bits().max(8) / 8
}

fn overlaps(a: u32, an: u32, b: u32, bn: u32) -> bool {
    a < b + bn && b < a + an
}

/// Known slot contents: (offset, type, value).
struct Known(Vec<(u32, Ty, Val)>);

impl Known {
    fn kill(&mut self, o: u32, n: u32) {
        self.0.retain(|&(ko, kt, _)| !overlaps(ko, bytes(kt), o, n));
    }
    fn find(&self, o: u32, ty: Ty) -> Option<Val> {
        self.0.iter().find(|&&(ko, kt, _)| ko == o && kt == ty).map(|&(_, _, v)| v)
    }
}

pub(super) fn forward(b: &mut Block, subst: &mut Subst) {
    let mut known = Known(Vec::new());
    // Index of a `Set` not yet observed, per slot: candidate for removal.
    let mut pending: Vec<(u32, u32, usize)> = Vec::new();
    let mut dead_sets: Vec<usize> = Vec::new();
    for i in 0..b.insts.len() {
        let ty = b.insts[i].ty;
        match b.insts[i].op.clone() {
            Op::Get { off } => {
                // A forwarded read never touches the state, so it does not observe pending sets.
                match known.find(off, ty) {
                    Some(v) => subst.set(Val(i as u32), v),
                    // The low half of a known 64-bit value: truncate it instead of re-reading.
                    None if ty == Ty::I32 && known.find(off, Ty::I64).is_some() => {
                        let v = known.find(off, Ty::I64).expect("checked");
                        b.insts[i].op = Op::Trunc { a: v };
                        known.0.push((off, ty, Val(i as u32)));
                    }
                    None => {
                        let n = bytes(ty);
                        pending.retain(|&(po, pn, _)| !overlaps(po, pn, off, n));
                        known.0.push((off, ty, Val(i as u32)));
                    }
                }
            }
            Op::Set { off, v } => {
                let v = subst.resolve(v);
                let vty = b.ty(v);
                let n = bytes(vty);
                if let Some(k) = pending.iter().position(|&(po, pn, _)| po == off && pn == n) {
                    dead_sets.push(pending[k].2);
                    pending.remove(k);
                }
                pending.retain(|&(po, pn, _)| !overlaps(po, pn, off, n));
                pending.push((off, n, i));
                known.kill(off, n);
                known.0.push((off, vty, v));
                // A zero- or sign-extended 32-bit value (AArch64 W-register writes, NZCV,
                // RISC-V W ops) also answers a later 32-bit read of the slot.
                if let Op::Zext { a } | Op::Sext { a } = b.insts[v.0 as usize].op {
                    if vty == Ty::I64 && b.ty(a) == Ty::I32 {
                        known.0.push((off, Ty::I32, a));
                    }
                }
                // Likewise a scalar written to a whole vector register (AArch64 scalar FP: the
                // upper bits are zeroed) answers a scalar read of its low bits.
                if let Op::Bitcast { a } = b.insts[v.0 as usize].op {
                    if vty == Ty::V128 && matches!(b.ty(a), Ty::F64 | Ty::F32 | Ty::I64 | Ty::I32) {
                        known.0.push((off, b.ty(a), a));
                    }
                }
            }
            // An instruction boundary observes nothing: only faults and side effects do.
            Op::Mark { .. } => {}
            op => {
                if matches!(op.full_effect(), Effect::ReadMem | Effect::Side) {
                    pending.clear();
                }
                if op.touches_fp_state() {
                    known.kill(off::FP_EXC, 8);
                }
            }
        }
    }
    // A dropped Set becomes a no-op Mark-free placeholder that DCE removes: rewrite it into a
    // constant (pure, unused) so the value numbering stays intact until DCE renumbers.
    for i in dead_sets {
        b.insts[i].op = Op::Const { imm: 0 };
        b.insts[i].ty = Ty::I64;
    }
}
