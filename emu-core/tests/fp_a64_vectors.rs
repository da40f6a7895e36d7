//! AArch64 FP semantics against reference vectors recorded from `tests/fp_vectors/gen_a64.c`
//! (built with aarch64-linux-gnu-gcc -static, run under qemu-aarch64): every scalar FP op the
//! frontend maps onto the FP family, over edge-case operands (signed zeros, denormals, the largest
//! finite, infinities, quiet and signalling NaNs with payloads) and FPCR settings (rounding modes,
//! DN, FZ). Each result's bits and FPSR flags must match.
//!
//! Data format: `# <op> <type> <fpcr hex>` starts a section; each line holds the operands, the
//! result and FPSR, all hex.

mod fp_common;

use emu_core::ir::{FpBinOp, FpTerOp, FpUnOp, Rm, Ty};
use fp_common::*;

const DATA: &str = include_str!("fp_vectors/a64.txt");

/// FPSR cumulative exception bits -> MXCSR layout.
fn fpsr_to_mxcsr(fpsr: u64) -> u64 {
    let map = [(0, NV), (1, DZ), (2, OF), (3, UF), (4, NX), (7, ID)];
    map.iter().filter(|(b, _)| fpsr >> b & 1 != 0).fold(0, |acc, (_, m)| acc | m)
}

/// FPCR.RMode -> `fp_rm` encoding.
fn fp_rm(fpcr: u64) -> u64 {
    [0, 3, 2, 1][(fpcr >> 22 & 3) as usize]
}

fn fty(c: char) -> Ty {
    if c == 'd' {
        Ty::F64
    } else {
        Ty::F32
    }
}

/// Runs one recorded case; returns (result, flags).
fn eval(op: &str, ty: &str, env: Env, x: &[u64]) -> (u64, u64) {
    let t = fty(ty.chars().next().unwrap_or('d'));
    let bin = |o| binary(env, o, t, x[0], x[1], Rm::Dyn);
    let un = |o, rm| unary(env, o, t, t, x[0], rm);
    match op {
        "fadd" => bin(FpBinOp::Add),
        "fsub" => bin(FpBinOp::Sub),
        "fmul" => bin(FpBinOp::Mul),
        "fdiv" => bin(FpBinOp::Div),
        "fmin" => bin(FpBinOp::Min),
        "fmax" => bin(FpBinOp::Max),
        "fminnm" => bin(FpBinOp::MinNum),
        "fmaxnm" => bin(FpBinOp::MaxNum),
        "fmulx" => bin(FpBinOp::MulX),
        "fabd" => bin(FpBinOp::AbsDiff),
        "frecps" => bin(FpBinOp::RecipStep),
        "frsqrts" => bin(FpBinOp::RsqrtStep),
        "fcmp" => fcmp(env, t, x[0], x[1], false),
        "fcmpe" => fcmp(env, t, x[0], x[1], true),
        "fmadd" => ternary(env, FpTerOp::MulAdd, t, x[0], x[1], x[2], Rm::Dyn),
        "fsqrt" => un(FpUnOp::Sqrt, Rm::Dyn),
        "frintn" => un(FpUnOp::RoundInt, Rm::Rne),
        "frinta" => un(FpUnOp::RoundInt, Rm::Rmm),
        "frintz" => un(FpUnOp::RoundInt, Rm::Rtz),
        "frintp" => un(FpUnOp::RoundInt, Rm::Rup),
        "frintm" => un(FpUnOp::RoundInt, Rm::Rdn),
        "frintx" => un(FpUnOp::RoundIntExact, Rm::Dyn),
        "frinti" => un(FpUnOp::RoundInt, Rm::Dyn),
        "frecpe" => un(FpUnOp::RecipEst, Rm::Dyn),
        "frsqrte" => un(FpUnOp::RsqrtEst, Rm::Dyn),
        "frecpx" => un(FpUnOp::RecipExp, Rm::Dyn),
        "fcvt" if ty == "sd" => unary(env, FpUnOp::Convert, Ty::F32, Ty::F64, x[0], Rm::Dyn),
        "fcvt" => unary(env, FpUnOp::Convert, Ty::F64, Ty::F32, x[0], Rm::Dyn),
        "fcvtxn" => unary(env, FpUnOp::Convert, Ty::F32, Ty::F64, x[0], Rm::Rodd),
        _ if op.starts_with("fcvt") => {
            // fcvt<mode><s|u>_<w|x><d|s>[fbits]
            let b = op.as_bytes();
            let rm = match b[4] {
                b'z' => Rm::Rtz,
                b'a' => Rm::Rmm,
                b'n' => Rm::Rne,
                b'm' => Rm::Rdn,
                _ => Rm::Rup,
            };
            let ity = if b[7] == b'w' { Ty::I32 } else { Ty::I64 };
            let fbits = op[9..].parse().unwrap_or(0);
            ftoint(env, ity, fty(b[8] as char), x[0], b[5] == b's', fbits, rm)
        }
        _ => {
            // <s|u>cvtf_<d|s><x|w>[fbits]
            let b = op.as_bytes();
            let ity = if b[7] == b'w' { Ty::I32 } else { Ty::I64 };
            let fbits = op[8..].parse().unwrap_or(0);
            inttof(env, fty(b[6] as char), ity, x[0], b[0] == b's', fbits, Rm::Dyn)
        }
    }
}

#[test]
fn aarch64_reference_vectors() {
    let mut section: Option<(String, String, u64)> = None;
    let (mut cases, mut fails) = (0, Vec::new());
    for line in DATA.lines() {
        let f: Vec<&str> = line.split_whitespace().collect();
        if f.first() == Some(&"#") {
            section = Some((f[1].to_string(), f[2].to_string(), u64::from_str_radix(f[3], 16).unwrap()));
            continue;
        }
        let (op, ty, fpcr) = section.as_ref().expect("data before the first section");
        let n: Vec<u64> = f.iter().map(|s| u64::from_str_radix(s, 16).unwrap()).collect();
        let (ins, want, flags) = (&n[..n.len() - 2], n[n.len() - 2], fpsr_to_mxcsr(n[n.len() - 1]));
        let env = Env { arch: emu_core::Arch::Aarch64, fpcr: *fpcr, fp_rm: fp_rm(*fpcr) };
        let got = eval(op, ty, env, ins);
        cases += 1;
        if got != (want, flags) {
            fails.push(format!(
                "{op} {ty} fpcr={fpcr:#x} in={ins:x?}: got {:#x} flags {:#x}, want {want:#x} flags {flags:#x}",
                got.0, got.1
            ));
        }
    }
    assert!(cases > 20_000, "vector file truncated: {cases} cases");
    assert!(
        fails.is_empty(),
        "{} of {cases} cases differ:\n{}",
        fails.len(),
        fails[..fails.len().min(40)].join("\n")
    );
}
