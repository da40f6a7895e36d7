//! F extension: single-precision floating point (unprivileged manual, "F Extension for
//! Single-Precision Floating-Point", RV32F and RV64F). Each handler names the shared helper in
//! `fp.rs` for its instruction shape, at type F32. FMIN/FMAX and sign injection do not round,
//! so their rounding mode is irrelevant (`Rne`).

use super::{sext, Translator};
use crate::decoder::rv32::Rv64f;
use emu_core::ir::{FpBinOp, FpCmpCc, Rm, Ty};

impl Rv64f for Translator {
    fn flw(&mut self, imm: u32, rs1: u32, rd: u32) {
        self.fload(Ty::F32, rd, rs1, sext(imm, 12));
    }
    fn fsw(&mut self, imm: u32, rs2: u32, rs1: u32) {
        self.fstore(Ty::F32, rs1, rs2, sext(imm, 12));
    }
    fn fadd_s(&mut self, rs2: u32, rs1: u32, rm: u32, rd: u32) {
        self.fbin(Ty::F32, FpBinOp::Add, rd, rs1, rs2, rm);
    }
    fn fsub_s(&mut self, rs2: u32, rs1: u32, rm: u32, rd: u32) {
        self.fbin(Ty::F32, FpBinOp::Sub, rd, rs1, rs2, rm);
    }
    fn fmul_s(&mut self, rs2: u32, rs1: u32, rm: u32, rd: u32) {
        self.fbin(Ty::F32, FpBinOp::Mul, rd, rs1, rs2, rm);
    }
    fn fdiv_s(&mut self, rs2: u32, rs1: u32, rm: u32, rd: u32) {
        self.fbin(Ty::F32, FpBinOp::Div, rd, rs1, rs2, rm);
    }
    fn fsqrt_s(&mut self, rs1: u32, rm: u32, rd: u32) {
        self.fsqrt(Ty::F32, rd, rs1, rm);
    }
    fn fmin_s(&mut self, rs2: u32, rs1: u32, rd: u32) {
        self.fbin_rm(Ty::F32, FpBinOp::MinNum, rd, rs1, rs2, Rm::Rne);
    }
    fn fmax_s(&mut self, rs2: u32, rs1: u32, rd: u32) {
        self.fbin_rm(Ty::F32, FpBinOp::MaxNum, rd, rs1, rs2, Rm::Rne);
    }
    fn fmadd_s(&mut self, rs3: u32, rs2: u32, rs1: u32, rm: u32, rd: u32) {
        self.fma(Ty::F32, false, false, rd, rs1, rs2, rs3, rm);
    }
    fn fmsub_s(&mut self, rs3: u32, rs2: u32, rs1: u32, rm: u32, rd: u32) {
        self.fma(Ty::F32, false, true, rd, rs1, rs2, rs3, rm);
    }
    fn fnmsub_s(&mut self, rs3: u32, rs2: u32, rs1: u32, rm: u32, rd: u32) {
        self.fma(Ty::F32, true, false, rd, rs1, rs2, rs3, rm);
    }
    fn fnmadd_s(&mut self, rs3: u32, rs2: u32, rs1: u32, rm: u32, rd: u32) {
        self.fma(Ty::F32, true, true, rd, rs1, rs2, rs3, rm);
    }
    fn fcvt_w_s(&mut self, rs1: u32, rm: u32, rd: u32) {
        self.f2i(Ty::F32, Ty::I32, true, rd, rs1, rm);
    }
    fn fcvt_wu_s(&mut self, rs1: u32, rm: u32, rd: u32) {
        self.f2i(Ty::F32, Ty::I32, false, rd, rs1, rm);
    }
    fn fcvt_l_s(&mut self, rs1: u32, rm: u32, rd: u32) {
        self.f2i(Ty::F32, Ty::I64, true, rd, rs1, rm);
    }
    fn fcvt_lu_s(&mut self, rs1: u32, rm: u32, rd: u32) {
        self.f2i(Ty::F32, Ty::I64, false, rd, rs1, rm);
    }
    fn fcvt_s_w(&mut self, rs1: u32, rm: u32, rd: u32) {
        self.i2f(Ty::F32, Ty::I32, true, rd, rs1, rm);
    }
    fn fcvt_s_wu(&mut self, rs1: u32, rm: u32, rd: u32) {
        self.i2f(Ty::F32, Ty::I32, false, rd, rs1, rm);
    }
    fn fcvt_s_l(&mut self, rs1: u32, rm: u32, rd: u32) {
        self.i2f(Ty::F32, Ty::I64, true, rd, rs1, rm);
    }
    fn fcvt_s_lu(&mut self, rs1: u32, rm: u32, rd: u32) {
        self.i2f(Ty::F32, Ty::I64, false, rd, rs1, rm);
    }
    fn fsgnj_s(&mut self, rs2: u32, rs1: u32, rd: u32) {
        self.fbin_rm(Ty::F32, FpBinOp::CopySign, rd, rs1, rs2, Rm::Rne);
    }
    fn fsgnjn_s(&mut self, rs2: u32, rs1: u32, rd: u32) {
        self.fbin_rm(Ty::F32, FpBinOp::CopySignNeg, rd, rs1, rs2, Rm::Rne);
    }
    fn fsgnjx_s(&mut self, rs2: u32, rs1: u32, rd: u32) {
        self.fbin_rm(Ty::F32, FpBinOp::XorSign, rd, rs1, rs2, Rm::Rne);
    }
    fn fmv_x_w(&mut self, rs1: u32, rd: u32) {
        self.fmv_x_f(Ty::I32, rd, rs1);
    }
    fn fmv_w_x(&mut self, rs1: u32, rd: u32) {
        self.fmv_f_x(Ty::I32, rd, rs1);
    }
    fn feq_s(&mut self, rs2: u32, rs1: u32, rd: u32) {
        self.fcmp(Ty::F32, FpCmpCc::Eq, rd, rs1, rs2);
    }
    fn flt_s(&mut self, rs2: u32, rs1: u32, rd: u32) {
        self.fcmp(Ty::F32, FpCmpCc::Lt, rd, rs1, rs2);
    }
    fn fle_s(&mut self, rs2: u32, rs1: u32, rd: u32) {
        self.fcmp(Ty::F32, FpCmpCc::Le, rd, rs1, rs2);
    }
    fn fclass_s(&mut self, rs1: u32, rd: u32) {
        self.fclass(Ty::F32, rd, rs1);
    }
}
