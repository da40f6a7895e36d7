//! Shared helpers for the FP tests: run one FP IR op in a one-block program under the
//! interpreter and read back its result bits and the flags it raised.

#![allow(dead_code)]

use emu_core::interp::{exec_block, Flow};
use emu_core::ir::{Block, FpBinOp, FpCmpCc, FpTerOp, FpUnOp, Op, Rm, Term, Ty, Val};
use emu_core::tb::BlockCache;
use emu_core::{cpu::off, Arch, CpuState};

/// Guest FP environment for one op: AArch64 FPCR bits (DN 25, FZ 24) and `fp_rm` for `Rm::Dyn`.
#[derive(Copy, Clone, Debug)]
pub struct Env {
    pub arch: Arch,
    pub fpcr: u64,
    pub fp_rm: u64,
}

pub const RV: Env = Env { arch: Arch::Riscv64, fpcr: 0, fp_rm: 0 };
pub const A64: Env = Env { arch: Arch::Aarch64, fpcr: 0, fp_rm: 0 };

/// Builds the op with the operand values given, runs it, returns (result bits, fp_exc).
pub fn run(env: Env, ty: Ty, build: impl FnOnce(&mut Block) -> Val) -> (u64, u64) {
    let mut b = Block::new(env.arch, 0x1000);
    let r = build(&mut b);
    let set_v = if b.ty(r) == Ty::I1 { b.zext(Ty::I64, r) } else { r };
    let _ = ty;
    b.set(off::x(0), set_v);
    b.term = Term::Jump { target: 0x2000 };
    emu_core::ir::verify(&b).unwrap_or_else(|e| panic!("verify: {e:?}"));
    let mut cpu = CpuState { fpcr: env.fpcr, fp_rm: env.fp_rm, ..CpuState::default() };
    let cache = BlockCache::new();
    let mut vals = Vec::new();
    assert_eq!(exec_block(&b, &mut cpu, &mut vals, &cache), Flow::Next(0x2000));
    (cpu.x[0], cpu.fp_exc)
}

fn k(b: &mut Block, ty: Ty, v: u64) -> Val {
    b.push(ty, Op::Const { imm: v })
}

pub fn unary(env: Env, op: FpUnOp, ty: Ty, aty: Ty, a: u64, rm: Rm) -> (u64, u64) {
    run(env, ty, |b| {
        let a = k(b, aty, a);
        b.push(ty, Op::FUnary { op, a, rm })
    })
}

pub fn binary(env: Env, op: FpBinOp, ty: Ty, a: u64, bv: u64, rm: Rm) -> (u64, u64) {
    run(env, ty, |b| {
        let a = k(b, ty, a);
        let y = k(b, ty, bv);
        b.push(ty, Op::FBinary { op, a, b: y, rm })
    })
}

pub fn ternary(env: Env, op: FpTerOp, ty: Ty, a: u64, bv: u64, c: u64, rm: Rm) -> (u64, u64) {
    run(env, ty, |b| {
        let a = k(b, ty, a);
        let y = k(b, ty, bv);
        let c = k(b, ty, c);
        b.push(ty, Op::FTernary { op, a, b: y, c, rm })
    })
}

pub fn fcmp(env: Env, ty: Ty, a: u64, bv: u64, signaling: bool) -> (u64, u64) {
    run(env, Ty::I32, |b| {
        let a = k(b, ty, a);
        let y = k(b, ty, bv);
        b.push(Ty::I32, Op::FCmp { a, b: y, signaling })
    })
}

pub fn fcmpb(env: Env, cc: FpCmpCc, ty: Ty, a: u64, bv: u64) -> (u64, u64) {
    run(env, Ty::I1, |b| {
        let a = k(b, ty, a);
        let y = k(b, ty, bv);
        b.push(Ty::I1, Op::FCmpBool { cc, a, b: y })
    })
}

pub fn ftoint(env: Env, ity: Ty, fty: Ty, a: u64, signed: bool, fbits: u8, rm: Rm) -> (u64, u64) {
    run(env, ity, |b| {
        let a = k(b, fty, a);
        b.push(ity, Op::FToInt { a, signed, fbits, rm })
    })
}

pub fn inttof(env: Env, fty: Ty, ity: Ty, a: u64, signed: bool, fbits: u8, rm: Rm) -> (u64, u64) {
    run(env, fty, |b| {
        let a = k(b, ity, a);
        b.push(fty, Op::IntToF { a, signed, fbits, rm })
    })
}

/// Flag bits (MXCSR layout) by name, for readable tables.
pub const NV: u64 = 1;
pub const ID: u64 = 2;
pub const DZ: u64 = 4;
pub const OF: u64 = 8;
pub const UF: u64 = 16;
pub const NX: u64 = 32;

/// Parse a rounding-mode name of the IR text form.
pub fn rm(s: &str) -> Rm {
    Rm::from_name(s).unwrap_or_else(|| panic!("bad rm {s}"))
}
