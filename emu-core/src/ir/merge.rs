//! Two-block loops made one block with a side exit (`ExitIf`).
//!
//! A loop such as glibc's RISC-V `strcmp` (`lbu; lbu; beqz a5, out` then `beq a5, a4, loop`)
//! or its word-at-a-time `strlen` (`ld; ...; beqz a4, found` then `mv a5, a3; j loop`) is two
//! guest blocks: the first ends in a conditional branch and one side of it is a short block
//! that goes back to the first. As two chained blocks, every guest register the loop carries
//! goes through `CpuState` at each block end, and neither block is a self-loop, so the JIT
//! cannot keep them in host registers (emit/looping.rs). The frontends call [`loop_side`] when a
//! block ends in a conditional branch; if one side closes the loop, the branch becomes an
//! `ExitIf` to the other side and translation goes on with the closing block's instructions,
//! so the whole loop is one self-loop block.
//!
//! The merged block covers `[pc, end)` of both parts (the closing block must lie after the first
//! within [`MAX_GAP`] bytes, so this hull stays small): invalidating any byte of either part
//! drops it. Code that jumps into the closing block from elsewhere gets its own block, as usual.

use super::{Block, Cmp, Op, Term, Ty, Val};

/// Most guest instructions of the closing block.
pub const MAX_SIDE_INSNS: usize = 8;
/// Furthest the closing block may start after the end of the first.
pub const MAX_GAP: u64 = 256;

/// Given the block `b` just translated (its terminator a conditional branch), and `trial`, which
/// translates at most [`MAX_SIDE_INSNS`] instructions at an address and returns their block,
/// the side that closes a loop back to `b.pc`: `(side, exit, exit_when)`, where translation
/// should go on at `side` after an `ExitIf` to `exit` taken when the branch condition is
/// `exit_when`. `None` when neither side is a short block that comes straight back.
pub fn loop_side(b: &Block, mut trial: impl FnMut(u64) -> Block) -> Option<(u64, u64, bool)> {
    let Term::Branch { taken, not_taken, .. } = b.term else { return None };
    if taken == b.pc || not_taken == b.pc {
        return None; // already a self-loop
    }
    // The fall-through side first: a loop's closing block usually follows its head.
    for (side, exit, exit_when) in [(not_taken, taken, true), (taken, not_taken, false)] {
        if side < b.end || side - b.end > MAX_GAP {
            continue;
        }
        let s = trial(side);
        let back = match s.term {
            Term::Jump { target } => target == b.pc,
            Term::Branch { taken, not_taken, .. } => taken == b.pc || not_taken == b.pc,
            _ => false,
        };
        let marks = s.insts.iter().filter(|i| matches!(i.op, Op::Mark { .. })).count();
        if back && marks <= MAX_SIDE_INSNS {
            return Some((side, exit, exit_when));
        }
    }
    None
}

impl Block {
    /// Replace the terminator (a `Branch` on `cond`) by `ExitIf` to `exit`, taken when `cond`
    /// is `exit_when`; the caller then translates on into the block.
    pub fn branch_to_side_exit(&mut self, exit: u64, exit_when: bool) {
        let Term::Branch { cond, .. } = self.term else { return };
        let cond = if exit_when { cond } else { self.negated(cond) };
        self.push(Ty::Void, Op::ExitIf { cond, target: exit });
    }

    /// An I1 value that holds when `v` does not: the comparison with the opposite condition
    /// where `v` is one (so the JIT can still fuse it), else `v == 0`.
    pub fn negated(&mut self, v: Val) -> Val {
        match self.insts[v.0 as usize].op {
            Op::Icmp { cc, a, b } => {
                let cc = match cc {
                    Cmp::Eq => Cmp::Ne,
                    Cmp::Ne => Cmp::Eq,
                    Cmp::Ult => Cmp::Uge,
                    Cmp::Uge => Cmp::Ult,
                    Cmp::Ule => Cmp::Ugt,
                    Cmp::Ugt => Cmp::Ule,
                    Cmp::Slt => Cmp::Sge,
                    Cmp::Sge => Cmp::Slt,
                    Cmp::Sle => Cmp::Sgt,
                    Cmp::Sgt => Cmp::Sle,
                };
                self.push(Ty::I1, Op::Icmp { cc, a, b })
            }
            // AArch64 conditions come in pairs that differ in bit 0 (AL/NV excepted).
            Op::CondHolds { cond, nzcv } if cond < 14 => {
                self.push(Ty::I1, Op::CondHolds { cond: cond ^ 1, nzcv })
            }
            _ => {
                let zero = self.push(Ty::I1, Op::Const { imm: 0 });
                self.push(Ty::I1, Op::Icmp { cc: Cmp::Eq, a: v, b: zero })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cpu::CpuState;
    use crate::interp::{exec_block, Flow};
    use crate::tb::BlockCache;
    use crate::Arch;

    /// Where `b` (a branch on `cond` to 1 / 2) goes.
    fn run(mut b: Block, cond: Val) -> u64 {
        b.term = Term::Branch { cond, taken: 1, not_taken: 2 };
        crate::ir::verify(&b).expect("valid block");
        match exec_block(&b, &mut CpuState::default(), &mut Vec::new(), &BlockCache::new()) {
            Flow::Next(pc) => pc,
            f => panic!("{f:?}"),
        }
    }

    #[test]
    fn negated_conditions_hold_exactly_when_the_original_does_not() {
        let vals = [0u64, 1, 5, u64::MAX, 1 << 63];
        for cc in Cmp::ALL {
            for (&x, &y) in vals.iter().zip(vals.iter().rev()).chain(vals.iter().zip(vals.iter())) {
                let mut b = Block::new(Arch::Riscv64, 0x1000);
                let (a, c) = (b.iconst(Ty::I64, x), b.iconst(Ty::I64, y));
                let v = b.icmp(*cc, a, c);
                let plain = run(b.clone(), v);
                let n = b.negated(v);
                assert!(
                    matches!(b.insts[n.0 as usize].op, Op::Icmp { a: a2, b: c2, .. } if a2 == a && c2 == c)
                );
                assert_ne!(run(b, n), plain, "{cc:?} {x:#x} {y:#x}");
            }
        }
        for cond in 0..16u8 {
            for nzcv in [0u64, 0x4000_0000, 0x9000_0000, 0x6000_0000] {
                let mut b = Block::new(Arch::Aarch64, 0x1000);
                let f = b.iconst(Ty::I32, nzcv);
                let v = b.push(Ty::I1, Op::CondHolds { cond, nzcv: f });
                let plain = run(b.clone(), v);
                let n = b.negated(v);
                // AL and NV always hold: their negation is the generic `v == 0`.
                assert_ne!(run(b, n), plain, "cond {cond} nzcv {nzcv:#x}");
            }
        }
    }

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
        assert_eq!(loop_side(&head, side(0x100, 2)), Some((0x104, 0x200, true)));
        // Too long, or going elsewhere: no merge.
        assert_eq!(loop_side(&head, side(0x100, MAX_SIDE_INSNS + 1)), None);
        assert_eq!(loop_side(&head, side(0x300, 2)), None);
        // The taken side closes the loop when the fall-through does not.
        let back_from_taken = |pc: u64| side(if pc == 0x200 { 0x100 } else { 0x300 }, 1)(pc);
        assert_eq!(loop_side(&head, back_from_taken), Some((0x200, 0x104, false)));
        // A side before the block, or too far after it, is not considered.
        head.term = Term::Branch { cond: t, taken: 0x80, not_taken: 0x104 + MAX_GAP + 4 };
        assert_eq!(loop_side(&head, side(0x100, 1)), None);
    }
}
