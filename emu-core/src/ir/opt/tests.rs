//! Pass tests: IR text in, IR text (or execution results) out.

use super::optimize;
use crate::cpu::CpuState;
use crate::interp::exec_block;
use crate::ir::{parse_block, verify, Block, Op, Term, Val};
use crate::tb::BlockCache;

fn opt(text: &str) -> Block {
    let mut b = parse_block(text).unwrap();
    verify(&b).unwrap();
    optimize(&mut b);
    verify(&b).unwrap_or_else(|e| panic!("{e}\n{b}"));
    b
}

fn count(b: &Block, f: impl Fn(&Op) -> bool) -> usize {
    b.insts.iter().filter(|i| f(&i.op)).count()
}

#[test]
fn get_after_set_is_forwarded_and_overwritten_set_dropped() {
    let b = opt("block aarch64 0x0..0x8
      v0 = get.i64 0x8
      v1 = const.i64 1
      v2 = add.i64 v0, v1
      v3 = set 0x0, v2
      v4 = get.i64 0x0
      v5 = add.i64 v4, v1
      v6 = set 0x0, v5
      jump 0x8");
    assert_eq!(count(&b, |o| matches!(o, Op::Get { .. })), 1, "{b}");
    assert_eq!(count(&b, |o| matches!(o, Op::Set { .. })), 1, "{b}");
}

#[test]
fn overwritten_set_is_dropped_across_instruction_marks() {
    // Two guest instructions writing the same register: a mark observes nothing.
    let b = opt("block riscv64 0x0..0x8
      v0 = mark 0x0
      v1 = get.i64 0x50
      v2 = const.i64 3
      v3 = add.i64 v1, v2
      v4 = set 0x58, v3
      v5 = mark 0x4
      v6 = get.i64 0x58
      v7 = add.i64 v6, v2
      v8 = set 0x58, v7
      jump 0x8");
    assert_eq!(count(&b, |o| matches!(o, Op::Set { .. })), 1, "{b}");
    assert_eq!(count(&b, |o| matches!(o, Op::Mark { .. })), 2, "{b}");
}

#[test]
fn narrow_read_of_a_zero_extended_set_is_forwarded() {
    let b = opt("block aarch64 0x0..0x4
      v0 = get.i64 0x8
      v1 = const.i64 0x41
      v2 = nzcv.sub.i32 v0, v1
      v3 = zext.i64 v2
      v4 = set 0x108, v3
      v5 = get.i32 0x108
      v6 = cond.i1 1, v5
      branch v6, 0x100, 0x4");
    assert_eq!(count(&b, |o| matches!(o, Op::Get { .. })), 1, "{b}");
    assert!(b.insts.iter().any(|i| matches!(i.op, Op::CondHolds { nzcv, .. } if nzcv == Val(2))), "{b}");
}

#[test]
fn set_before_load_is_kept() {
    // The first set must be visible if the load faults.
    let b = opt("block aarch64 0x0..0x8
      v0 = get.i64 0x8
      v1 = set 0x0, v0
      v2 = load.i64 v0, 8, false
      v3 = set 0x0, v2
      jump 0x8");
    assert_eq!(count(&b, |o| matches!(o, Op::Set { .. })), 2, "{b}");
}

#[test]
fn constants_fold_and_branch_becomes_jump() {
    let b = opt("block riscv64 0x0..0x4
      v0 = const.i64 6
      v1 = const.i64 7
      v2 = mul.i64 v0, v1
      v3 = set 0x50, v2
      v4 = icmp.i1 eq, v2, v1
      branch v4, 0x100, 0x200");
    assert_eq!(b.term, Term::Jump { target: 0x200 });
    assert!(b.insts.iter().any(|i| i.op == Op::Const { imm: 42 }), "{b}");
    assert_eq!(b.insts.len(), 2, "{b}");
}

#[test]
fn unused_pure_ops_removed_but_loads_kept() {
    let b = opt("block riscv64 0x0..0x4
      v0 = get.i64 0x8
      v1 = add.i64 v0, v0
      v2 = load.i64 v0, 8, false
      jump 0x4");
    assert_eq!(b.insts.len(), 2, "{b}");
    assert!(matches!(b.insts[1].op, Op::Load { .. }));
}

#[test]
fn optimised_block_computes_the_same_state() {
    let text = "block aarch64 0x0..0x10
      v0 = get.i64 0x8
      v1 = get.i64 0x10
      v2 = const.i64 3
      v3 = shl.i64 v0, v2
      v4 = set 0x0, v3
      v5 = get.i64 0x0
      v6 = sub.i64 v5, v1
      v7 = nzcv.sub.i32 v5, v1
      v8 = set 0x108, v7
      v9 = set 0x8, v6
      v10 = get.i64 0x8
      v11 = cond.i1 0, v7
      v12 = trunc.i32 v10
      v13 = zext.i64 v12
      v14 = set 0x10, v13
      branch v11, 0x100, 0x200";
    let plain = parse_block(text).unwrap();
    let mut fast = plain.clone();
    optimize(&mut fast);
    assert!(fast.insts.len() < plain.insts.len());
    for (x1, x2) in [(1u64, 8u64), (5, 40), (u64::MAX, 0), (0x1234_5678_9abc, 7)] {
        let mut a = CpuState::default();
        a.x[1] = x1;
        a.x[2] = x2;
        let mut c = a.clone();
        let fa = exec_block(&plain, &mut a, &mut Vec::new(), &BlockCache::new());
        let fc = exec_block(&fast, &mut c, &mut Vec::new(), &BlockCache::new());
        assert_eq!(fa, fc);
        assert_eq!(a.x, c.x);
        assert_eq!(a.nzcv, c.nzcv);
    }
}

#[test]
fn fp_ops_are_kept_even_when_unused_because_they_raise_flags() {
    let b = opt("block aarch64 0x0..0x4
      v0 = constv.v128 0x7f800000, 0
      v1 = vbinary.v128 fadd, 32, v0, v0
      v2 = const.f64 0x7ff0000000000000
      v3 = fbinary.f64 sub, v2, v2, rne
      v4 = vbinary.v128 add, 32, v0, v0
      jump 0x4");
    assert_eq!(count(&b, |o| matches!(o, Op::VBinary { .. })), 1, "{b}");
    assert_eq!(count(&b, |o| matches!(o, Op::FBinary { .. })), 1, "{b}");
}

#[test]
fn identities_become_uses_of_the_other_operand() {
    // orr x0, xzr, x1 (mov), add x2, x1, #0, and w3 with all ones: no ALU op survives.
    let b = opt("block aarch64 0x0..0xc
      v0 = get.i64 0x8
      v1 = const.i64 0
      v2 = or.i64 v1, v0
      v3 = set 0x0, v2
      v4 = add.i64 v0, v1
      v5 = set 0x10, v4
      v6 = trunc.i32 v0
      v7 = const.i32 0xffffffff
      v8 = and.i32 v6, v7
      v9 = zext.i64 v8
      v10 = set 0x18, v9
      jump 0xc");
    assert_eq!(count(&b, |o| matches!(o, Op::Or { .. } | Op::Add { .. } | Op::And { .. })), 0, "{b}");
}

#[test]
fn shift_of_a_low_extract_drops_the_extract() {
    // AArch64 `lsl x3, x14, #2` = UBFM: extract the low 62 bits, then shift them up by 2.
    let b = opt("block aarch64 0x0..0x4
      v0 = get.i64 0x70
      v1 = extract.i64 v0, 0, 0x3e
      v2 = const.i64 2
      v3 = shl.i64 v1, v2
      v4 = set 0x18, v3
      jump 0x4");
    assert_eq!(count(&b, |o| matches!(o, Op::Extract { .. })), 0, "{b}");
    // Not when the extract keeps fewer bits than the shift drops.
    let b = opt("block aarch64 0x0..0x4
      v0 = get.i64 0x70
      v1 = extract.i64 v0, 0, 0x20
      v2 = const.i64 2
      v3 = shl.i64 v1, v2
      v4 = set 0x18, v3
      jump 0x4");
    assert_eq!(count(&b, |o| matches!(o, Op::Extract { .. })), 1, "{b}");
}

#[test]
fn scalar_read_of_a_scalar_written_as_a_vector_is_forwarded() {
    // AArch64 `fsub d10, d13, d10; fmul d8, d10, d10`: the second reads d10 back as F64.
    let b = opt("block aarch64 0x0..0x8
      v0 = get.f64 0x250
      v1 = get.f64 0x220
      v2 = fbinary.f64 sub, v0, v1, dyn
      v3 = bitcast.v128 v2
      v4 = set 0x220, v3
      v5 = get.f64 0x220
      v6 = fbinary.f64 mul, v5, v5, dyn
      v7 = bitcast.v128 v6
      v8 = set 0x200, v7
      jump 0x8");
    assert_eq!(count(&b, |o| matches!(o, Op::Get { .. })), 2, "{b}");
}

#[test]
fn narrow_read_of_a_known_wide_value_becomes_a_truncation() {
    // RISC-V `xor a1, a1, a4; sext.w a1, a1`.
    let b = opt("block riscv64 0x0..0x8
      v0 = get.i64 0x58
      v1 = get.i64 0x70
      v2 = xor.i64 v0, v1
      v3 = set 0x58, v2
      v4 = get.i32 0x58
      v5 = sext.i64 v4
      v6 = set 0x58, v5
      jump 0x8");
    assert_eq!(count(&b, |o| matches!(o, Op::Get { .. })), 2, "{b}");
    assert_eq!(count(&b, |o| matches!(o, Op::Trunc { .. })), 1, "{b}");
    assert_eq!(count(&b, |o| matches!(o, Op::Set { .. })), 1, "{b}");
}

#[test]
fn narrow_read_of_a_sign_extended_value_is_the_value() {
    // RISC-V `addw t0, t0, s11; addw t0, t0, a0`: the second reads t0's low half, which is the
    // first sum itself (directly, and through a truncation of a 64-bit read).
    let b = opt("block riscv64 0x0..0x8
      v0 = get.i32 0x28
      v1 = get.i32 0xd8
      v2 = add.i32 v0, v1
      v3 = sext.i64 v2
      v4 = set 0x28, v3
      v5 = get.i32 0x28
      v6 = get.i64 0x50
      v7 = trunc.i32 v6
      v8 = add.i32 v5, v7
      v9 = sext.i64 v8
      v10 = set 0x28, v9
      v11 = trunc.i32 v9
      v12 = zext.i64 v11
      v13 = set 0x30, v12
      jump 0x8");
    assert_eq!(count(&b, |o| matches!(o, Op::Get { .. })), 3, "{b}");
    assert_eq!(count(&b, |o| matches!(o, Op::Trunc { .. })), 1, "{b}");
    let sets = b.insts.iter().filter(|i| matches!(i.op, Op::Set { .. })).count();
    assert_eq!(sets, 2, "{b}");
    // The zero-extend reads the second sum directly.
    let z = b.insts.iter().find(|i| matches!(i.op, Op::Zext { .. })).expect("zext");
    let Op::Zext { a } = z.op else { unreachable!() };
    assert!(matches!(b.insts[a.0 as usize].op, Op::Add { .. }), "{b}");
}

#[test]
fn sign_extension_of_a_sign_extended_value_folds() {
    // RISC-V crc32: `lw a1, 0(a1); xor a1, a1, a4; sext.w a1, a1` with a4 from `srliw`.
    let b = opt("block riscv64 0x0..0x8
      v0 = get.i64 0x58
      v1 = load.i64 v0, 4, true
      v2 = get.i32 0x70
      v3 = const.i32 8
      v4 = lshr.i32 v2, v3
      v5 = sext.i64 v4
      v6 = xor.i64 v1, v5
      v7 = trunc.i32 v6
      v8 = sext.i64 v7
      v9 = set 0x58, v8
      v10 = load.i64 v0, 4, false
      v11 = xor.i64 v10, v5
      v12 = trunc.i32 v11
      v13 = sext.i64 v12
      v14 = set 0x60, v13
      jump 0x8");
    // The first sext.w is dropped (both xor operands are sign-extended), the second is not
    // (an unsigned 4-byte load may have bit 31 set); the `srliw` result's is a zero extension.
    assert_eq!(count(&b, |o| matches!(o, Op::Sext { .. })), 1, "{b}");
    assert_eq!(count(&b, |o| matches!(o, Op::Zext { .. })), 1, "{b}");
    let Op::Set { v, .. } = b.insts.iter().find(|i| matches!(i.op, Op::Set { off: 0x58, .. })).unwrap().op
    else {
        unreachable!()
    };
    assert!(matches!(b.insts[v.0 as usize].op, Op::Xor { .. }), "{b}");
}

#[test]
fn sext_w_after_an_identity_add_folds() {
    // `addiw a1, a1, 0` (sext.w) of an `xor` of two sign-extended values.
    let b = opt("block riscv64 0x0..0x8
      v0 = get.i64 0x58
      v1 = load.i64 v0, 4, true
      v2 = load.i64 v0, 2, false
      v3 = xor.i64 v1, v2
      v4 = set 0x58, v3
      v5 = get.i32 0x58
      v6 = const.i32 0
      v7 = add.i32 v5, v6
      v8 = sext.i64 v7
      v9 = set 0x58, v8
      jump 0x8");
    assert_eq!(count(&b, |o| matches!(o, Op::Sext { .. } | Op::Trunc { .. } | Op::Add { .. })), 0, "{b}");
}

#[test]
fn sign_extension_of_a_logical_right_shift_is_a_zero_extension() {
    // RISC-V `srliw a0, a1, 6`, then `sext.w` of the result (already sign-extended).
    let b = opt("block riscv64 0x0..0x8
      v0 = get.i32 0x58
      v1 = const.i32 6
      v2 = lshr.i32 v0, v1
      v3 = sext.i64 v2
      v4 = set 0x50, v3
      v5 = get.i32 0x50
      v6 = sext.i64 v5
      v7 = set 0x60, v6
      v8 = const.i32 0
      v9 = lshr.i32 v0, v8
      v10 = sext.i64 v9
      v11 = set 0x68, v10
      jump 0x8");
    // The second `sext.w` reads the first's 32-bit value back (state forwarding): also a zext.
    assert_eq!(count(&b, |op| matches!(op, Op::Zext { .. })), 2, "{b}");
    // A shift by 0 keeps bit 31: its sign extension stays.
    assert_eq!(count(&b, |op| matches!(op, Op::Sext { .. })), 1, "{b}");
    let mut cpu = CpuState::default();
    cpu.x[11] = 0xffff_ffff_8000_0040;
    exec_block(&b, &mut cpu, &mut Vec::new(), &BlockCache::new());
    assert_eq!((cpu.x[10], cpu.x[12], cpu.x[13]), (0x0200_0001, 0x0200_0001, 0xffff_ffff_8000_0040));
}
