//! Constant folding: a pure op whose operands are all constants is evaluated once, at
//! translation time, by the interpreter itself (so folding can never disagree with execution),
//! and a conditional branch on a constant becomes a jump. Algebraic identities with one constant
//! operand (x | 0, x + 0, x & -1, x << 0, ...: the register moves and XZR/x0 operands that
//! guest code is full of) turn the op into a use of its other operand.

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

/// The constant value of `v` if it is an integer `Const`.
fn imm_of(b: &Block, v: Val) -> Option<u64> {
    match b.insts[v.0 as usize].op {
        Op::Const { imm } => Some(imm),
        _ => None,
    }
}

/// Whether I64 value `v` is known to equal the sign extension of its low 32 bits (looking at
/// most `depth` ops deep).
fn sext32(b: &Block, v: Val, depth: u32) -> bool {
    let inst = &b.insts[v.0 as usize];
    if inst.ty != Ty::I64 {
        return false;
    }
    match inst.op {
        Op::Sext { a } => b.ty(a) == Ty::I32,
        // Bit 31 clear (see `sext_of_nonnegative`).
        Op::Zext { a } => clears_bit31(b, a),
        Op::Load { size, signed, .. } => size < 4 || (size == 4 && signed),
        Op::Const { imm } => imm as i64 == imm as i32 as i64,
        Op::And { a, b: c } | Op::Or { a, b: c } | Op::Xor { a, b: c } if depth > 0 => {
            sext32(b, a, depth - 1) && sext32(b, c, depth - 1)
        }
        _ => false,
    }
}

/// If `inst` (of integer type) is an identity on one operand given a constant other operand,
/// that operand.
fn identity(b: &Block, inst: &Inst, subst: &super::Subst) -> Option<Val> {
    let ones = match inst.ty {
        Ty::I32 => 0xffff_ffff,
        Ty::I64 => u64::MAX,
        _ => return None,
    };
    let is = |v: Val, k: u64| imm_of(b, v) == Some(k);
    match inst.op {
        // The low half of an extended value is the value.
        Op::Trunc { a } => match b.insts[subst.resolve(a).0 as usize].op {
            Op::Zext { a: x } | Op::Sext { a: x } if b.ty(x) == inst.ty => Some(x),
            _ => None,
        },
        // Sign-extending the low half of a value that is its own sign extension (RISC-V
        // `sext.w` of an `xor` of two `lw` results).
        Op::Sext { a } if inst.ty == Ty::I64 => match b.insts[subst.resolve(a).0 as usize].op {
            Op::Trunc { a: x } if b.ty(x) == Ty::I64 && sext32(b, subst.resolve(x), 4) => Some(x),
            _ => None,
        },
        Op::Add { a, b: c } | Op::Or { a, b: c } | Op::Xor { a, b: c } => {
            if is(c, 0) {
                Some(a)
            } else if is(a, 0) {
                Some(c)
            } else {
                None
            }
        }
        Op::Sub { a, b: c }
        | Op::Shl { a, b: c }
        | Op::Lshr { a, b: c }
        | Op::Ashr { a, b: c }
        | Op::Rotr { a, b: c }
        | Op::Rotl { a, b: c }
        | Op::AndNot { a, b: c } => is(c, 0).then_some(a),
        Op::And { a, b: c } => {
            if is(c, ones) {
                Some(a)
            } else if is(a, ones) {
                Some(c)
            } else {
                None
            }
        }
        Op::Mul { a, b: c } => {
            if is(c, 1) {
                Some(a)
            } else if is(a, 1) {
                Some(c)
            } else {
                None
            }
        }
        _ => None,
    }
}

/// `Shl(Extract(x, 0, w), k)` with `w + k` at least the width is `Shl(x, k)`: the shift drops
/// every bit the extract cleared (AArch64 `LSL #k` is `UBFM`, which the frontend splits so).
fn shl_of_low_extract(b: &Block, inst: &Inst) -> Option<Op> {
    let Op::Shl { a, b: kv } = inst.op else { return None };
    let k = imm_of(b, kv)?;
    match b.insts[a.0 as usize].op {
        Op::Extract { a: x, lsb: 0, width } if width as u64 + k >= inst.ty.bits() as u64 && k < 64 => {
            Some(Op::Shl { a: x, b: kv })
        }
        _ => None,
    }
}

/// `Sext.i64(Lshr.i32(x, k))` with a constant k in 1..=31 is `Zext.i64` of the same value: the
/// shift clears bit 31 (RISC-V `srliw`). x86 32-bit ops zero-extend already, so the zero
/// extension costs a plain move where the sign extension was a `movsxd` on the value's chain.
fn sext_of_nonnegative(b: &Block, inst: &Inst) -> Option<Op> {
    let Op::Sext { a } = inst.op else { return None };
    (inst.ty == Ty::I64 && clears_bit31(b, a)).then_some(Op::Zext { a })
}

/// Whether `v` is an I32 logical right shift by a constant 1..=31, so its bit 31 is clear.
fn clears_bit31(b: &Block, v: Val) -> bool {
    match b.insts[v.0 as usize].op {
        Op::Lshr { b: k, .. } if b.ty(v) == Ty::I32 => imm_of(b, k).is_some_and(|k| (1..32).contains(&k)),
        _ => false,
    }
}

pub(super) fn fold(b: &mut Block) {
    for i in 0..b.insts.len() {
        if let Some(op) = shl_of_low_extract(b, &b.insts[i]).or_else(|| sext_of_nonnegative(b, &b.insts[i])) {
            b.insts[i].op = op;
        }
    }
    let mut subst = super::Subst::new(b.insts.len());
    for i in 0..b.insts.len() {
        if let Some(v) = identity(b, &b.insts[i], &subst) {
            subst.set(Val(i as u32), v);
        }
    }
    subst.apply(b);
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
