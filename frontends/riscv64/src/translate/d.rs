//! D extension: double-precision floating point (unprivileged manual, "D Extension for
//! Double-Precision Floating-Point", RV32D and RV64D), including the conversions between
//! single and double. Same helpers as the F extension, at type F64.

use super::{sext, Translator};
use crate::decoder::rv32::Rv64d;
use emu_core::ir::{FpBinOp, FpCmpCc, Rm, Ty};

impl Rv64d for Translator {
    fn fld(&mut self, imm: u32, rs1: u32, rd: u32) {
        self.fload(Ty::F64, rd, rs1, sext(imm, 12));
    }
    fn fsd(&mut self, imm: u32, rs2: u32, rs1: u32) {
        self.fstore(Ty::F64, rs1, rs2, sext(imm, 12));
    }
    fn fadd_d(&mut self, rs2: u32, rs1: u32, rm: u32, rd: u32) {
        self.fbin(Ty::F64, FpBinOp::Add, rd, rs1, rs2, rm);
    }
    fn fsub_d(&mut self, rs2: u32, rs1: u32, rm: u32, rd: u32) {
        self.fbin(Ty::F64, FpBinOp::Sub, rd, rs1, rs2, rm);
    }
    fn fmul_d(&mut self, rs2: u32, rs1: u32, rm: u32, rd: u32) {
        self.fbin(Ty::F64, FpBinOp::Mul, rd, rs1, rs2, rm);
    }
    fn fdiv_d(&mut self, rs2: u32, rs1: u32, rm: u32, rd: u32) {
        self.fbin(Ty::F64, FpBinOp::Div, rd, rs1, rs2, rm);
    }
    fn fsqrt_d(&mut self, rs1: u32, rm: u32, rd: u32) {
        self.fsqrt(Ty::F64, rd, rs1, rm);
    }
    fn fmin_d(&mut self, rs2: u32, rs1: u32, rd: u32) {
        self.fbin_rm(Ty::F64, FpBinOp::MinNum, rd, rs1, rs2, Rm::Rne);
    }
    fn fmax_d(&mut self, rs2: u32, rs1: u32, rd: u32) {
        self.fbin_rm(Ty::F64, FpBinOp::MaxNum, rd, rs1, rs2, Rm::Rne);
    }
    fn fmadd_d(&mut self, rs3: u32, rs2: u32, rs1: u32, rm: u32, rd: u32) {
        self.fma(Ty::F64, false, false, rd, rs1, rs2, rs3, rm);
    }
    fn fmsub_d(&mut self, rs3: u32, rs2: u32, rs1: u32, rm: u32, rd: u32) {
        self.fma(Ty::F64, false, true, rd, rs1, rs2, rs3, rm);
    }
    fn fnmsub_d(&mut self, rs3: u32, rs2: u32, rs1: u32, rm: u32, rd: u32) {
        self.fma(Ty::F64, true, false, rd, rs1, rs2, rs3, rm);
    }
    fn fnmadd_d(&mut self, rs3: u32, rs2: u32, rs1: u32, rm: u32, rd: u32) {
        self.fma(Ty::F64, true, true, rd, rs1, rs2, rs3, rm);
    }
    fn fcvt_w_d(&mut self, rs1: u32, rm: u32, rd: u32) {
        self.f2i(Ty::F64, Ty::I32, true, rd, rs1, rm);
    }
    fn fcvt_wu_d(&mut self, rs1: u32, rm: u32, rd: u32) {
        self.f2i(Ty::F64, Ty::I32, false, rd, rs1, rm);
    }
    fn fcvt_l_d(&mut self, rs1: u32, rm: u32, rd: u32) {
        self.f2i(Ty::F64, Ty::I64, true, rd, rs1, rm);
    }
    fn fcvt_lu_d(&mut self, rs1: u32, rm: u32, rd: u32) {
        self.f2i(Ty::F64, Ty::I64, false, rd, rs1, rm);
    }
    fn fcvt_d_w(&mut self, rs1: u32, rm: u32, rd: u32) {
        self.i2f(Ty::F64, Ty::I32, true, rd, rs1, rm);
    }
    fn fcvt_d_wu(&mut self, rs1: u32, rm: u32, rd: u32) {
        self.i2f(Ty::F64, Ty::I32, false, rd, rs1, rm);
    }
    fn fcvt_d_l(&mut self, rs1: u32, rm: u32, rd: u32) {
        self.i2f(Ty::F64, Ty::I64, true, rd, rs1, rm);
    }
    fn fcvt_d_lu(&mut self, rs1: u32, rm: u32, rd: u32) {
        self.i2f(Ty::F64, Ty::I64, false, rd, rs1, rm);
    }
    fn fcvt_s_d(&mut self, rs1: u32, rm: u32, rd: u32) {
        self.fcvt_ff(Ty::F32, Ty::F64, rd, rs1, rm);
    }
    fn fcvt_d_s(&mut self, rs1: u32, rm: u32, rd: u32) {
        self.fcvt_ff(Ty::F64, Ty::F32, rd, rs1, rm);
    }
    fn fsgnj_d(&mut self, rs2: u32, rs1: u32, rd: u32) {
        self.fbin_rm(Ty::F64, FpBinOp::CopySign, rd, rs1, rs2, Rm::Rne);
    }
    fn fsgnjn_d(&mut self, rs2: u32, rs1: u32, rd: u32) {
        self.fbin_rm(Ty::F64, FpBinOp::CopySignNeg, rd, rs1, rs2, Rm::Rne);
    }
    fn fsgnjx_d(&mut self, rs2: u32, rs1: u32, rd: u32) {
        self.fbin_rm(Ty::F64, FpBinOp::XorSign, rd, rs1, rs2, Rm::Rne);
    }
    fn fmv_x_d(&mut self, rs1: u32, rd: u32) {
        self.fmv_x_f(Ty::I64, rd, rs1);
    }
    fn fmv_d_x(&mut self, rs1: u32, rd: u32) {
        self.fmv_f_x(Ty::I64, rd, rs1);
    }
    fn feq_d(&mut self, rs2: u32, rs1: u32, rd: u32) {
        self.fcmp(Ty::F64, FpCmpCc::Eq, rd, rs1, rs2);
    }
    fn flt_d(&mut self, rs2: u32, rs1: u32, rd: u32) {
        self.fcmp(Ty::F64, FpCmpCc::Lt, rd, rs1, rs2);
    }
    fn fle_d(&mut self, rs2: u32, rs1: u32, rd: u32) {
        self.fcmp(Ty::F64, FpCmpCc::Le, rd, rs1, rs2);
    }
    fn fclass_d(&mut self, rs1: u32, rd: u32) {
        self.fclass(Ty::F64, rd, rs1);
    }
}
