//! Two-block loops made one block with a side exit (`ExitIf`).
//!
//! A loop such as glibc's RISC-V `strcmp` (`lbu; lbu; beqz a5, out` then `beq a5, a4, loop`)
//! is two guest blocks: the first ends in a conditional branch and its fall-through side is a
//! short block that goes back to the first. As two chained blocks, every guest register the
//! loop carries goes through `CpuState` at each block end, and neither block is a self-loop, so
//! the JIT cannot keep them in host registers (emit/looping.rs). The frontends call
//! [`loop_side`] when a block ends in a conditional branch; if its fall-through side closes the
//! loop, the branch becomes an `ExitIf` to the taken side and translation goes on with the
//! closing block's instructions, so the whole loop is one self-loop block.
//!
//! The closing block follows the first directly, so the merged block covers one range
//! `[pc, end)` like any other and invalidation needs nothing new. Code that jumps into the
//! closing block from elsewhere gets its own block, as usual.

use super::{Block, Op, Term, Ty};
use crate::Arch;

/// Most guest instructions of the closing block.
pub const MAX_SIDE_INSNS: usize = 8;

/// Given the block `b` just translated (its terminator a conditional branch), and `trial`, which
/// translates at most [`MAX_SIDE_INSNS`] instructions at an address and returns their block,
/// whether its fall-through side closes a loop back to `b.pc`: `Some((side, exit))`, where
/// translation should go on at `side` after an `ExitIf` to `exit` (the branch's taken target),
/// taken when the branch condition holds.
///
/// Only the fall-through side is considered. Compilers lay out the likely successor there, and a
/// merged loop that is left on its first iteration costs more than the two blocks did: a self-loop
/// loads its cached registers on entry and stores them on every exit. Merging taken sides as well
/// made the riscv64 `strlen` loop one block (strings 0.93 -> 0.85 s) but also the bytecode
/// interpreter's out-of-range check with the loop head, which is left at once nearly every time
/// (bytecode 0.43 -> 0.50 s).
pub fn loop_side(b: &Block, mut trial: impl FnMut(u64) -> Block) -> Option<(u64, u64)> {
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
    (back && marks <= MAX_SIDE_INSNS).then_some((not_taken, taken))
}

/// A frontend's block translation with the merge: `run(block, at, max)` translates guest code
/// from `at` into `block` until a terminator or `max` more instructions, and returns it (with
/// `end` set). The block at `pc` gets at most `max` instructions of its own, plus a closing
/// block of at most [`MAX_SIDE_INSNS`] when [`loop_side`] finds one.
pub fn translate(arch: Arch, pc: u64, max: usize, mut run: impl FnMut(Block, u64, usize) -> Block) -> Block {
    let mut b = run(Block::new(arch, pc), pc, max);
    if let Some((side, exit)) = loop_side(&b, |at| run(Block::new(arch, at), at, MAX_SIDE_INSNS + 1)) {
        let end = b.end;
        if let Term::Branch { cond, .. } = b.term {
            b.push(Ty::Void, Op::ExitIf { cond, target: exit });
        }
        b = run(b, side, MAX_SIDE_INSNS);
        b.end = b.end.max(end);
    }
    b
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert_eq!(loop_side(&head, side(0x100, 2)), Some((0x104, 0x200)));
        // Too long, or going elsewhere: no merge.
        assert_eq!(loop_side(&head, side(0x100, MAX_SIDE_INSNS + 1)), None);
        assert_eq!(loop_side(&head, side(0x300, 2)), None);
        // A taken side that closes the loop is not merged (see `loop_side`).
        let back_from_taken = |pc: u64| side(if pc == 0x200 { 0x100 } else { 0x300 }, 1)(pc);
        assert_eq!(loop_side(&head, back_from_taken), None);
        // Already a self-loop: nothing to merge.
        head.term = Term::Branch { cond: t, taken: 0x100, not_taken: 0x104 };
        assert_eq!(loop_side(&head, side(0x100, 1)), None);
    }
}
