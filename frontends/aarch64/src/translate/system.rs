//! Arm ARM C5 (system instructions and registers), the part a Linux EL0 program can reach:
//! MRS/MSR of TPIDR_EL0, NZCV, FPCR, FPSR, the generic timer counters, CTR_EL0 and DCZID_EL0,
//! and the DC/IC cache-maintenance aliases of SYS. ID registers (MIDR_EL1, ID_AA64*) are
//! deliberately absent: Linux only emulates them when HWCAP_CPUID is advertised, which remu does
//! not, so SIGILL is the faithful answer. Anything else is SIGILL too.

use super::Translator;
use emu_core::cpu::off;
use emu_core::ir::{Op, SysReg, Term, Ty, Val};

/// Cache line size (bytes) remu reports in CTR_EL0 and uses for IC IVAU and DC ZVA.
pub const LINE: u32 = 64;

/// CTR_EL0: RES1 bit 31, CWG = ERG = DminLine = IminLine = log2(64 / 4), L1Ip = PIPT. IDC and
/// DIC stay 0 so guests issue DC CVAU + IC IVAU after writing code, which is how remu learns of
/// self-modifying code.
const CTR_EL0: u64 = 1 << 31 | 4 << 24 | 4 << 20 | 4 << 16 | 3 << 14 | 4;

/// DCZID_EL0: DC ZVA allowed (DZP = 0), block size 2^4 words = 64 bytes.
const DCZID_EL0: u64 = 4;

/// FPCR bits remu implements: AHP, DN, FZ, RMode. Trap-enable bits read as zero, as on cores
/// without FP trapping, which is how glibc's feenableexcept detects that traps are unsupported.
const FPCR_MASK: u64 = 0x07c0_0000;

/// FPSR.QC, the only FPSR bit that is not an exception flag.
const FPSR_QC: u64 = 1 << 27;

/// (MXCSR bit in `CpuState::fp_exc`, FPSR bit): IE->IOC, ZE->DZC, OE->OFC, UE->UFC, PE->IXC, DE->IDC.
const EXC_MAP: [(u8, u8); 6] = [(0, 0), (2, 1), (3, 2), (4, 3), (5, 4), (1, 7)];

/// A system register's (op0, op1, CRn, CRm, op2).
type Enc = (u32, u32, u32, u32, u32);
const NZCV: Enc = (3, 3, 4, 2, 0);
const FPCR: Enc = (3, 3, 4, 4, 0);
const FPSR: Enc = (3, 3, 4, 4, 1);
const TPIDR_EL0: Enc = (3, 3, 13, 0, 2);
const TPIDRRO_EL0: Enc = (3, 3, 13, 0, 3);
const CTR: Enc = (3, 3, 0, 0, 1);
const DCZID: Enc = (3, 3, 0, 0, 7);
const CNTFRQ_EL0: Enc = (3, 3, 14, 0, 0);
const CNTVCT_EL0: Enc = (3, 3, 14, 0, 2);

impl Translator {
    /// MRS Xt, <sysreg>.
    pub(super) fn mrs_reg(&mut self, op0: u32, op1: u32, crn: u32, crm: u32, op2: u32, rt: u32) {
        let v = match (op0, op1, crn, crm, op2) {
            NZCV => self.nzcv(),
            FPCR => self.b.get(Ty::I64, off::FPCR),
            FPSR => self.read_fpsr(),
            TPIDR_EL0 => self.b.get(Ty::I64, off::TLS),
            // Linux keeps TPIDRRO_EL0 zero for native (non-compat) tasks.
            TPIDRRO_EL0 => self.c64(0),
            CTR => self.c64(CTR_EL0),
            DCZID => self.c64(DCZID_EL0),
            CNTFRQ_EL0 => self.op(Ty::I64, Op::SysRead { reg: SysReg::Cntfrq }),
            CNTVCT_EL0 => self.op(Ty::I64, Op::SysRead { reg: SysReg::Cntvct }),
            _ => return self.undefined(),
        };
        self.set_xr(rt, v);
    }

    /// MSR <sysreg>, Xt.
    pub(super) fn msr(&mut self, op0: u32, op1: u32, crn: u32, crm: u32, op2: u32, rt: u32) {
        let v = self.xr(Ty::I64, rt);
        match (op0, op1, crn, crm, op2) {
            NZCV => {
                let m = self.c64(0xf000_0000);
                let f = self.b.and(Ty::I64, v, m);
                self.b.set(off::NZCV, f);
            }
            FPCR => self.write_fpcr(v),
            FPSR => self.write_fpsr(v),
            TPIDR_EL0 => self.b.set(off::TLS, v),
            _ => self.undefined(),
        }
    }

    /// SYS #op1, Cn, Cm, #op2, Xt: only the EL0-accessible DC and IC operations.
    pub(super) fn sys_insn(&mut self, op1: u32, crn: u32, crm: u32, op2: u32, rt: u32) {
        if op1 != 3 || crn != 7 || op2 != 1 {
            return self.undefined();
        }
        let addr = self.xr(Ty::I64, rt);
        match crm {
            // DC ZVA
            4 => {
                self.op(Ty::Void, Op::ZeroBlock { addr, size: LINE });
            }
            // IC IVAU: drop translations of the line and end the block so that the following
            // instructions (which may be in that line) are translated afresh.
            5 => {
                let m = self.c64(!(LINE as u64 - 1));
                let line = self.b.and(Ty::I64, addr, m);
                self.op(Ty::Void, Op::CodeInval { addr: line, len: LINE });
                self.end(Term::Jump { target: self.pc + 4 });
            }
            // DC CVAC, CVAU, CVAP, CVADP, CIVAC: memory is coherent host memory; nothing to do.
            10..=14 => {}
            _ => self.undefined(),
        }
    }

    /// FPSR as the guest sees it: the accumulated exception flags converted from MXCSR layout,
    /// plus QC.
    fn read_fpsr(&mut self) -> Val {
        let exc = self.b.get(Ty::I64, off::FP_EXC);
        let mut acc = self.b.get(Ty::I64, off::FPSR);
        for (mx, fpsr) in EXC_MAP {
            let bit = self.op(Ty::I64, Op::Extract { a: exc, lsb: mx, width: 1 });
            let sh = self.c64(fpsr as u64);
            let moved = self.op(Ty::I64, Op::Shl { a: bit, b: sh });
            acc = self.b.or(Ty::I64, acc, moved);
        }
        acc
    }

    fn write_fpsr(&mut self, v: Val) {
        let qc = self.c64(FPSR_QC);
        let q = self.b.and(Ty::I64, v, qc);
        self.b.set(off::FPSR, q);
        let mut exc = self.c64(0);
        for (mx, fpsr) in EXC_MAP {
            let bit = self.op(Ty::I64, Op::Extract { a: v, lsb: fpsr, width: 1 });
            let sh = self.c64(mx as u64);
            let moved = self.op(Ty::I64, Op::Shl { a: bit, b: sh });
            exc = self.b.or(Ty::I64, exc, moved);
        }
        self.b.set(off::FP_EXC, exc);
    }

    /// FPCR write: keep the implemented bits and map RMode (RN, RP, RM, RZ = 0..3) onto the
    /// guest-neutral `fp_rm` (RNE 0, RUP 3, RDN 2, RTZ 1), which is `(4 - RMode) & 3`.
    fn write_fpcr(&mut self, v: Val) {
        let m = self.c64(FPCR_MASK);
        let f = self.b.and(Ty::I64, v, m);
        self.b.set(off::FPCR, f);
        let rmode = self.op(Ty::I64, Op::Extract { a: v, lsb: 22, width: 2 });
        let four = self.c64(4);
        let d = self.b.sub(Ty::I64, four, rmode);
        let three = self.c64(3);
        let rm = self.b.and(Ty::I64, d, three);
        self.b.set(off::FP_RM, rm);
    }
}
