//! Two-block loops made one block with a side exit (`ExitIf`).
//!
//! A loop such as glibc's RISC-V `strcmp` (`lbu; lbu; beqz a5, out` then `beq a5, a4, loop`)
//! is two guest blocks: the first ends in a conditional branch and its fall-through side is a
//! short block that goes back to the first. As two chained blocks, every guest register the
//! loop carries goes through `CpuState` at each block end, and neither block is a self-loop, so
//! the JIT cannot keep them in host registers (emit/looping.rs). Both frontends translate
//! through [`translate`], which asks [`loop_side`] about a block that ends in a conditional
//! branch; if its fall-through side closes the loop, the branch becomes an `ExitIf` to the
//! taken side and the closing block's instructions follow, so the whole loop is one self-loop
//! block.
//!
//! The closing block follows the first directly, so the merged block covers one range
//! `[pc, end)` like any other and invalidation needs nothing new. Code that jumps into the
//! closing block from elsewhere gets its own block, as usual.

use super::{Block, Op, Term, Ty, Val};

/// Most guest instructions of the closing block.
pub const MAX_SIDE_INSNS: usize = 8;

/// Given the block `b` just translated (its terminator a conditional branch), and `trial`, which
/// translates at most [`MAX_SIDE_INSNS`]` + 1` instructions at an address and returns their
/// block, the fall-through side's block if it closes a loop back to `b.pc`, with the exit: `b`'s
/// branch becomes an `ExitIf` to `exit` (the branch's taken target), taken when the condition
/// holds, and the side's instructions follow it.
///
/// Only the fall-through side is considered. Compilers lay out the likely successor there, and a
/// merged loop that is left on its first iteration costs more than the two blocks did: a self-loop
/// loads its cached registers on entry and stores them on every exit. Merging taken sides as well
/// made the riscv64 `strlen` loop one block (strings 0.93 -> 0.85 s) but also the bytecode
/// interpreter's out-of-range check with the loop head, which is left at once nearly every time
/// (bytecode 0.43 -> 0.50 s).
pub fn loop_side(b: &Block, trial: impl FnOnce(u64) -> Block) -> Option<(Block, u64)> {
    let Term::Branch { taken, not_taken, .. } = b.term else { return None };
    if taken == b.pc || not_taken != b.end {
        return None; // already a self-loop, or not a fall-through
    }
    let s = trial(not_taken);
    let back = match s.term {
        Term::Jump { target } => target == b.pc,
        Term::Branch { taken, not_taken, .. } => taken == b.pc || not_taken == b.pc,
        _ => false,
    };
    let marks = s.insts.iter().filter(|i| matches!(i.op, Op::Mark { .. })).count();
    (back && marks <= MAX_SIDE_INSNS).then_some((s, taken))
}

/// A frontend's block translation with the merge: `run(at, max)` translates the guest code at
/// `at` into a fresh block until a terminator or `max` instructions (with `end` set). The block
/// at `pc` gets at most `max` instructions of its own; when [`loop_side`] finds a closing block
/// (translated once, as its trial), that block's instructions and terminator are appended behind
/// the `ExitIf`.
pub fn translate(pc: u64, max: usize, mut run: impl FnMut(u64, usize) -> Block) -> Block {
    let mut b = run(pc, max);
    if let Some((side, exit)) = loop_side(&b, |at| run(at, MAX_SIDE_INSNS + 1)) {
        if let Term::Branch { cond, .. } = b.term {
            b.push(Ty::Void, Op::ExitIf { cond, target: exit });
        }
        b.append(side);
    }
    b
}

impl Block {
    /// Append `s`'s instructions (its values renumbered after this block's) and take its
    /// terminator and end.
    fn append(&mut self, s: Block) {
        let base = self.insts.len() as u32;
        let moved = |v: &mut Val| v.0 += base;
        for mut inst in s.insts {
            inst.op.map_args(moved);
            self.insts.push(inst);
        }
        self.term = s.term;
        match &mut self.term {
            Term::Branch { cond: v, .. } | Term::Indirect { target: v, .. } => moved(v),
            _ => {}
        }
        self.end = self.end.max(s.end);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Arch;

    #[test]
    fn a_side_that_comes_straight_back_is_merged() {
        let mut head = Block::new(Arch::Riscv64, 0x100);
        head.mark(0x100);
        let t = head.iconst(Ty::I1, 1);
        head.term = Term::Branch { cond: t, taken: 0x200, not_taken: 0x104 };
        head.end = 0x104;
        let side = |target: u64, insns: usize| {
            move |pc: u64| {
                let mut s = Block::new(Arch::Riscv64, pc);
                for k in 0..insns {
                    s.mark(pc + 4 * k as u64);
                }
                s.term = Term::Jump { target };
                s
            }
        };
        // The fall-through side jumps back: exit when the branch is taken.
        assert_eq!(loop_side(&head, side(0x100, 2)).map(|(s, exit)| (s.pc, exit)), Some((0x104, 0x200)));
        // Too long, or going elsewhere: no merge.
        assert!(loop_side(&head, side(0x100, MAX_SIDE_INSNS + 1)).is_none());
        assert!(loop_side(&head, side(0x300, 2)).is_none());
        // A taken side that closes the loop is not merged (see `loop_side`).
        let back_from_taken = |pc: u64| side(if pc == 0x200 { 0x100 } else { 0x300 }, 1)(pc);
        assert!(loop_side(&head, back_from_taken).is_none());
        // Already a self-loop: nothing to merge.
        head.term = Term::Branch { cond: t, taken: 0x100, not_taken: 0x104 };
        assert!(loop_side(&head, side(0x100, 1)).is_none());
    }
}
