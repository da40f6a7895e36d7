//! IR optimisation passes, one per file, run on every block before it is executed or compiled.
//!
//! Order matters: [`state`] forwards guest-state values (turning re-reads into SSA uses and
//! exposing constants), [`fold`] folds constant expressions and branches, and [`dce`] removes
//! what became unused and renumbers the block. Passes never move an instruction across a memory
//! access or another instruction with side effects, so a fault still sees the guest state that
//! the guest program would have at that instruction.

mod dce;
mod fold;
mod state;

use super::{Block, Val};

/// Run all passes on `b`.
pub fn optimize(b: &mut Block) {
    let mut subst = Subst::new(b.insts.len());
    state::forward(b, &mut subst);
    subst.apply(b);
    fold::fold(b);
    dce::dce(b);
}

/// A pending replacement of values by other (earlier) values.
pub(crate) struct Subst {
    map: Vec<Option<Val>>,
}

impl Subst {
    pub(crate) fn new(n: usize) -> Subst {
        Subst { map: vec![None; n] }
    }

    /// Replace every use of `from` by `to`.
    pub(crate) fn set(&mut self, from: Val, to: Val) {
        let to = self.resolve(to);
        self.map[from.0 as usize] = Some(to);
    }

    pub(crate) fn resolve(&self, mut v: Val) -> Val {
        while let Some(t) = self.map[v.0 as usize] {
            v = t;
        }
        v
    }

    /// Rewrite all operands and terminator values of `b`.
    pub(crate) fn apply(&self, b: &mut Block) {
        for inst in &mut b.insts {
            inst.op.map_args(|v| *v = self.resolve(*v));
        }
        match &mut b.term {
            super::Term::Branch { cond, .. } => *cond = self.resolve(*cond),
            super::Term::Indirect { target, .. } => *target = self.resolve(*target),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests;
