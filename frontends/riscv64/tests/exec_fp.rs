//! F and D extensions on the IR interpreter: arithmetic, fused multiply-add forms, NaN
//! boxing, conversions with RISC-V saturation, moves, compares, classification, sign
//! injection, min/max, the dynamic rounding mode and accumulated flags, FP loads and stores
//! (also compressed). Encodings from the GNU assembler.

mod common;
use common::*;
use emu_core::ir::{FpTerOp, FpUnOp, Op, Term, TrapKind};
use emu_core::CpuState;
use remu_riscv64::translate::translate_insn;

/// A NaN-boxed single.
fn s(x: f32) -> u64 {
    0xffff_ffff_0000_0000 | x.to_bits() as u64
}
fn d(x: f64) -> u64 {
    x.to_bits()
}
const CANONICAL_NAN_S: u64 = 0xffff_ffff_7fc0_0000;
/// MXCSR-layout flags in `CpuState::fp_exc`.
const IE: u64 = 1;
const ZE: u64 = 4;
const PE: u64 = 32;

fn run_fp(code: &[u32], f: &[(usize, u64)], x: &[(usize, u64)], fp_rm: u64) -> CpuState {
    let mut cpu = CpuState { fp_rm, ..Default::default() };
    for &(r, v) in f {
        cpu.v[r][0] = v;
    }
    for &(r, v) in x {
        cpu.x[r] = v;
    }
    assert_eq!(Program::new(code).run(&mut cpu), Stop::Done);
    cpu
}

fn check_f(cpu: &CpuState, want: &[(usize, u64)]) {
    for &(r, v) in want {
        assert_eq!(cpu.v[r][0], v, "f{r}: got {:#x}, want {v:#x}", cpu.v[r][0]);
    }
}

#[test]
fn arithmetic_and_fused_multiply_add_forms() {
    let code = [
        0x003170d3, // fadd.s f1, f2, f3
        0x0a62f253, // fsub.d f4, f5, f6
        0x103173d3, // fmul.s f7, f2, f3
        0x1a62f453, // fdiv.d f8, f5, f6
        0x58317543, // fmadd.s f10, f2, f3, f11
        0x58317647, // fmsub.s f12, f2, f3, f11
        0x583176cb, // fnmsub.s f13, f2, f3, f11
        0x5831774f, // fnmadd.s f14, f2, f3, f11
        0x8262f7c3, // fmadd.d f15, f5, f6, f16
    ];
    let f = [(2, s(1.5)), (3, s(2.25)), (5, d(10.0)), (6, d(4.0)), (11, s(1.0)), (16, d(0.5))];
    let cpu = run_fp(&code, &f, &[], 0);
    check_f(
        &cpu,
        &[
            (1, s(3.75)),
            (4, d(6.0)),
            (7, s(3.375)),
            (8, d(2.5)),
            (10, s(4.375)),
            (12, s(2.375)),
            (13, s(-2.375)),
            (14, s(-4.375)),
            (15, d(40.5)),
        ],
    );
    assert_eq!(cpu.fp_exc, 0, "all exact");
    let cpu = run_fp(&[0x5a02f4d3], &[(5, d(10.0))], &[], 0); // fsqrt.d f9, f5
    check_f(&cpu, &[(9, d(10f64.sqrt()))]);
    assert_eq!(cpu.fp_exc, PE);
}

#[test]
fn improperly_boxed_single_reads_as_canonical_nan() {
    let code = [0x003170d3]; // fadd.s f1, f2, f3
    let cpu = run_fp(&code, &[(2, 1.5f32.to_bits() as u64), (3, s(2.25))], &[], 0);
    check_f(&cpu, &[(1, CANONICAL_NAN_S)]);
    assert_eq!(cpu.fp_exc, 0, "a quiet NaN operand raises nothing");
}

#[test]
fn conversions_saturate_and_sign_extend() {
    let code = [
        0xc0009553, // fcvt.w.s x10, f1, rtz    NaN -> INT32_MAX
        0xc01115d3, // fcvt.wu.s x11, f2, rtz   -1.0 -> 0
        0xc0019653, // fcvt.w.s x12, f3, rtz
        0xc22216d3, // fcvt.l.d x13, f4, rtz    1e30 -> INT64_MAX
        0xc2129753, // fcvt.wu.d x14, f5, rtz   4e9 fits, sign-extended from bit 31
        0xd007f353, // fcvt.s.w f6, x15
        0xd23873d3, // fcvt.d.lu f7, x16       dyn = RDN: 2^64 - 1 rounds down
        0xd028f453, // fcvt.s.l f8, x17
        0xc004f953, // fcvt.w.s x18, f9, dyn    frm = RDN
    ];
    let f = [(1, CANONICAL_NAN_S), (2, s(-1.0)), (3, s(3.7)), (4, d(1e30)), (5, d(4e9)), (9, s(-2.5))];
    let x = [(15, (-5i64) as u64), (16, u64::MAX), (17, 3)];
    let cpu = run_fp(&code, &f, &x, 2);
    check(
        &cpu,
        &[
            (10, 0x7fff_ffff),
            (11, 0),
            (12, 3),
            (13, i64::MAX as u64),
            (14, 0xffff_ffff_ee6b_2800),
            (18, (-3i64) as u64),
        ],
    );
    check_f(&cpu, &[(6, s(-5.0)), (7, 0x43ef_ffff_ffff_ffff), (8, s(3.0))]);
    assert_eq!(cpu.fp_exc & IE, IE);
}

#[test]
fn moves_copy_bits() {
    let code = [
        0xe0008553, // fmv.x.w x10, f1
        0xf0058153, // fmv.w.x f2, x11
        0xe2018653, // fmv.x.d x12, f3
        0xf2068253, // fmv.d.x f4, x13
    ];
    let pi = std::f64::consts::PI.to_bits();
    let cpu = run_fp(&code, &[(1, s(-0.0)), (3, pi)], &[(11, 0x1234_5678_4049_0fdb), (13, d(-1.0))], 0);
    check(&cpu, &[(10, 0xffff_ffff_8000_0000), (12, pi)]);
    check_f(&cpu, &[(2, 0xffff_ffff_4049_0fdb), (4, d(-1.0))]);
}

#[test]
fn compares_classify_sign_injection_min_max() {
    let code = [
        0xa020a553, // feq.s x10, f1, f2
        0xa03095d3, // flt.s x11, f1, f3      NaN: 0 and invalid
        0xa2520653, // fle.d x12, f4, f5
        0xa24226d3, // feq.d x13, f4, f4
        0xe0031753, // fclass.s x14, f6       -0
        0xe00397d3, // fclass.s x15, f7       not boxed: canonical (quiet) NaN
        0xe2021853, // fclass.d x16, f4       -inf
        0x20608453, // fsgnj.s f8, f1, f6
        0x206314d3, // fsgnjn.s f9, f6, f6
        0x22422553, // fsgnjx.d f10, f4, f4
        0x281305d3, // fmin.s f11, f6, f1
        0x2a521653, // fmax.d f12, f4, f5
        0x4012f6d3, // fcvt.s.d f13, f5
        0x42030753, // fcvt.d.s f14, f6
    ];
    let f = [
        (1, s(1.0)),
        (2, s(1.0)),
        (3, CANONICAL_NAN_S),
        (4, d(f64::NEG_INFINITY)),
        (5, d(2.0)),
        (6, s(-0.0)),
    ];
    let cpu = run_fp(&code, &f, &[], 0);
    check(&cpu, &[(10, 1), (11, 0), (12, 1), (13, 1), (14, 1 << 3), (15, 1 << 9), (16, 1 << 0)]);
    check_f(
        &cpu,
        &[
            (8, s(-1.0)),
            (9, s(0.0)),
            (10, d(f64::INFINITY)),
            (11, s(-0.0)),
            (12, d(2.0)),
            (13, s(2.0)),
            (14, d(-0.0)),
        ],
    );
    assert_eq!(cpu.fp_exc, IE, "only FLT on a NaN raises");
    // FMIN with one NaN operand returns the other.
    let cpu = run_fp(&[0x281305d3], &[(6, s(-7.0)), (1, CANONICAL_NAN_S)], &[], 0);
    check_f(&cpu, &[(11, s(-7.0))]);
}

#[test]
fn dynamic_rounding_mode_and_accumulated_flags() {
    let code = [
        0x00215073, // fsrmi 2
        0x183170d3, // fdiv.s f1, f2, f3      1 / 0
        0x00102573, // frflags x10
    ];
    let cpu = run_fp(&code, &[(2, s(1.0)), (3, s(0.0))], &[], 0);
    check_f(&cpu, &[(1, s(f32::INFINITY))]);
    check(&cpu, &[(10, 0x08)]);
    assert_eq!((cpu.fp_rm, cpu.fp_exc), (2, ZE));
}

#[test]
fn fp_loads_and_stores_including_compressed() {
    let code = [
        0x00052087, // flw f1, 0(x10)
        0x00152427, // fsw f1, 8(x10)
        0x01053107, // fld f2, 16(x10)
        0x00253c27, // fsd f2, 24(x10)
        0x2900,     // c.fld f8, 16(x10)
        0xb100,     // c.fsd f8, 32(x10)
        0x24c2,     // c.fldsp f9, 16(x2)
        0xb426,     // c.fsdsp f9, 40(x2)
    ];
    let mut buf = [0u64; 6];
    buf[0] = 0xdead_beef_4049_0fdb;
    buf[2] = d(2.5);
    let p = buf.as_mut_ptr() as u64;
    let cpu = run_fp(&code, &[], &[(10, p), (2, p)], 0);
    check_f(&cpu, &[(1, 0xffff_ffff_4049_0fdb), (2, d(2.5)), (8, d(2.5)), (9, d(2.5))]);
    assert_eq!(buf[1..], [0x4049_0fdb, d(2.5), d(2.5), d(2.5), d(2.5)]);
}

#[test]
fn reserved_rounding_modes_are_sigill() {
    for insn in [0x003150d3u32, 0x003160d3] {
        // fadd.s f1, f2, f3 with rm = 5, 6
        let b = translate_insn(0x1000, insn);
        assert_eq!(b.term, Term::Trap { pc: 0x1000, kind: TrapKind::Undefined { insn } });
    }
}

#[test]
fn fnmadd_negates_product_and_addend() {
    let b = translate_insn(0x1000, 0x5831774f); // fnmadd.s f14, f2, f3, f11
    emu_core::ir::verify(&b).unwrap();
    let negs = b.insts.iter().filter(|i| matches!(i.op, Op::FUnary { op: FpUnOp::Neg, .. })).count();
    assert_eq!(negs, 2);
    assert!(b.insts.iter().any(|i| matches!(i.op, Op::FTernary { op: FpTerOp::MulAdd, .. })));
}
