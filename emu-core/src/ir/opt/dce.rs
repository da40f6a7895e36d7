//! Dead-code elimination and renumbering: instructions whose results are unused and that have
//! no effect beyond their result (pure ops and state reads) are removed; memory reads stay, since
//! removing one could hide a fault the guest would take.

use crate::ir::{Block, Effect, Term, Val};

pub(super) fn dce(b: &mut Block) {
    let n = b.insts.len();
    let mut live = vec![false; n];
    match &b.term {
        Term::Branch { cond, .. } => live[cond.0 as usize] = true,
        Term::Indirect { target, .. } => live[target.0 as usize] = true,
        _ => {}
    }
    for i in (0..n).rev() {
        let eff = b.insts[i].op.full_effect();
        if !matches!(eff, Effect::Pure | Effect::ReadState) {
            live[i] = true;
        }
        if live[i] {
            b.insts[i].op.for_each_arg(|v| live[v.0 as usize] = true);
        }
    }
    let mut new_index = vec![u32::MAX; n];
    let mut next = 0u32;
    for i in 0..n {
        if live[i] {
            new_index[i] = next;
            next += 1;
        }
    }
    let old = std::mem::take(&mut b.insts);
    for (i, mut inst) in old.into_iter().enumerate() {
        if live[i] {
            inst.op.map_args(|v| *v = Val(new_index[v.0 as usize]));
            b.insts.push(inst);
        }
    }
    match &mut b.term {
        Term::Branch { cond, .. } => *cond = Val(new_index[cond.0 as usize]),
        Term::Indirect { target, .. } => *target = Val(new_index[target.0 as usize]),
        _ => {}
    }
}
