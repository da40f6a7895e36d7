//! Constant folding: a pure op whose operands are all constants is evaluated once, at
//! translation time, by the interpreter itself (so folding can never disagree with execution),
//! and a conditional branch on a constant becomes a jump.

use crate::cpu::CpuState;
use crate::interp::{exec_block, Flow};
use crate::ir::{Block, Effect, Inst, Op, Term, Ty, Val};
use crate::tb::BlockCache;

fn const_of(b: &Block, v: Val) -> Option<Inst> {
    let inst = &b.insts[v.0 as usize];
    match inst.op {
        Op::Const { .. } | Op::ConstV128 { .. } => Some(inst.clone()),
        _ => None,
    }
}

/// Evaluate `inst` (whose operands are the constants `args`, in operand order) in a scratch block.
fn evaluate(b: &Block, inst: &Inst, args: &[Val]) -> u128 {
    let mut scratch = Block::new(b.arch, 0);
    let mut remap = Vec::new();
    for &a in args {
        let c = const_of(b, a).expect("operand is constant");
        remap.push((a, scratch.push(c.ty, c.op)));
    }
    let mut op = inst.op.clone();
    op.map_args(|v| *v = remap.iter().find(|(from, _)| from == v).map(|&(_, to)| to).unwrap_or(*v));
    let r = scratch.push(inst.ty, op);
    scratch.term = Term::Jump { target: 0 };
    let mut vals = Vec::new();
    let flow = exec_block(&scratch, &mut CpuState::default(), &mut vals, &BlockCache::new());
    debug_assert_eq!(flow, Flow::Next(0));
    vals[r.0 as usize]
}

pub(super) fn fold(b: &mut Block) {
    for i in 0..b.insts.len() {
        let inst = &b.insts[i];
        if inst.op.full_effect() != Effect::Pure || matches!(inst.op, Op::Const { .. } | Op::ConstV128 { .. })
        {
            continue;
        }
        let mut args = Vec::new();
        let mut all_const = true;
        inst.op.for_each_arg(|v| {
            all_const &= const_of(b, v).is_some();
            args.push(v);
        });
        if !all_const || args.is_empty() {
            continue;
        }
        let r = evaluate(b, inst, &args);
        let ty = inst.ty;
        b.insts[i].op = if ty == Ty::V128 {
            Op::ConstV128 { lo: r as u64, hi: (r >> 64) as u64 }
        } else {
            Op::Const { imm: r as u64 }
        };
    }
    if let Term::Branch { cond, taken, not_taken } = b.term {
        if let Some(Inst { op: Op::Const { imm }, .. }) = const_of(b, cond) {
            b.term = Term::Jump { target: if imm & 1 != 0 { taken } else { not_taken } };
        }
    }
}
