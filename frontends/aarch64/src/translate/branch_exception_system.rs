//! Arm ARM C4.1.65: branches, exception generation, hints and barriers. The system-register
//! and SYS (DC/IC) handlers are in `system.rs`; this file only forwards them.

use super::Translator;
use crate::decoder::BranchExceptionSystem;
use emu_core::ir::{BranchKind, Cmp, FenceKind, Op, Term, TrapKind, Ty};

/// Sign-extend the low `bits` of `v` and scale by 4: a branch offset in bytes.
fn branch_offset(v: u32, bits: u32) -> u64 {
    (((v as i64) << (64 - bits)) >> (64 - bits - 2)) as u64
}

/// The fence a DMB/DSB option asks for: CRm<1:0> = 01 orders loads, 10 orders stores, and
/// every other value (including the reserved ones, which behave as SY) orders everything.
fn fence_for(crm: u32) -> FenceKind {
    match crm & 3 {
        1 => FenceKind::Load,
        2 => FenceKind::Store,
        _ => FenceKind::Full,
    }
}

impl BranchExceptionSystem for Translator {
    fn b_cond(&mut self, imm19: u32, cond: u32) {
        let taken = self.pc.wrapping_add(branch_offset(imm19, 19));
        if cond >= 14 {
            // AL and NV both mean "always" in A64.
            self.end(Term::Jump { target: taken });
            return;
        }
        let c = self.cond(cond);
        self.end(Term::Branch { cond: c, taken, not_taken: self.pc + 4 });
    }

    fn svc(&mut self, _imm16: u32) {
        self.end(Term::Syscall { next: self.pc + 4 });
    }

    fn brk(&mut self, _imm16: u32) {
        self.end(Term::Trap { pc: self.pc, kind: TrapKind::Breakpoint });
    }

    fn nop(&mut self) {}

    fn hint(&mut self, _crm: u32, _op2: u32) {
        // The whole hint space executes as NOP when the feature behind a hint is absent or not
        // enabled (YIELD, WFE/WFI at EL0 with no event model, BTI, PACIASP/AUTIASP, CSDB, ...).
    }

    fn clrex(&mut self, _crm: u32) {
        let m = self.c64(u64::MAX);
        self.b.set(emu_core::cpu::off::EXCL_ADDR, m);
    }

    fn dsb(&mut self, crm: u32) {
        self.op(Ty::Void, Op::Fence { kind: fence_for(crm) });
    }

    fn dmb(&mut self, crm: u32) {
        self.op(Ty::Void, Op::Fence { kind: fence_for(crm) });
    }

    fn isb(&mut self, _crm: u32) {
        // Instruction fetch after ISB must see earlier IC IVAU; IC IVAU already ends its block,
        // so nothing stale can follow here.
    }

    fn sys(&mut self, op1: u32, crn: u32, crm: u32, op2: u32, rt: u32) {
        self.sys_insn(op1, crn, crm, op2, rt);
    }

    fn msr_reg(&mut self, o0: u32, op1: u32, crn: u32, crm: u32, op2: u32, rt: u32) {
        self.msr(2 + o0, op1, crn, crm, op2, rt);
    }

    fn mrs(&mut self, o0: u32, op1: u32, crn: u32, crm: u32, op2: u32, rt: u32) {
        self.mrs_reg(2 + o0, op1, crn, crm, op2, rt);
    }

    fn br(&mut self, rn: u32) {
        let target = self.xr(Ty::I64, rn);
        self.end(Term::Indirect { target, kind: BranchKind::Plain });
    }

    fn blr(&mut self, rn: u32) {
        // Read the target before writing LR: BLR X30 jumps to the old X30.
        let target = self.xr(Ty::I64, rn);
        let ret = self.c64(self.pc + 4);
        self.set_xr(30, ret);
        self.end(Term::Indirect { target, kind: BranchKind::Call });
    }

    fn ret(&mut self, rn: u32) {
        let target = self.xr(Ty::I64, rn);
        self.end(Term::Indirect { target, kind: BranchKind::Return });
    }

    fn b_imm(&mut self, op: u32, imm26: u32) {
        let target = self.pc.wrapping_add(branch_offset(imm26, 26));
        if op == 1 {
            let ret = self.c64(self.pc + 4);
            self.set_xr(30, ret);
            self.end(Term::Call { target, ret: self.pc + 4 });
        } else {
            self.end(Term::Jump { target });
        }
    }

    fn cbz(&mut self, sf: u32, imm19: u32, rt: u32) {
        self.compare_branch(sf, imm19, rt, Cmp::Eq);
    }

    fn cbnz(&mut self, sf: u32, imm19: u32, rt: u32) {
        self.compare_branch(sf, imm19, rt, Cmp::Ne);
    }

    fn tbz(&mut self, b5: u32, b40: u32, imm14: u32, rt: u32) {
        self.test_branch(b5 << 5 | b40, imm14, rt, Cmp::Eq);
    }

    fn tbnz(&mut self, b5: u32, b40: u32, imm14: u32, rt: u32) {
        self.test_branch(b5 << 5 | b40, imm14, rt, Cmp::Ne);
    }
}

impl Translator {
    /// CBZ/CBNZ: branch if Rt compares `cc` against zero.
    fn compare_branch(&mut self, sf: u32, imm19: u32, rt: u32, cc: Cmp) {
        let ty = Self::ity(sf);
        let v = self.xr(ty, rt);
        let zero = self.cty(ty, 0);
        let c = self.b.icmp(cc, v, zero);
        let taken = self.pc.wrapping_add(branch_offset(imm19, 19));
        self.end(Term::Branch { cond: c, taken, not_taken: self.pc + 4 });
    }

    /// TBZ/TBNZ: branch if bit `bit` of Rt compares `cc` against zero.
    fn test_branch(&mut self, bit: u32, imm14: u32, rt: u32, cc: Cmp) {
        let v = self.xr(Ty::I64, rt);
        let x = self.op(Ty::I64, Op::Extract { a: v, lsb: bit as u8, width: 1 });
        let zero = self.c64(0);
        let c = self.b.icmp(cc, x, zero);
        let taken = self.pc.wrapping_add(branch_offset(imm14, 14));
        self.end(Term::Branch { cond: c, taken, not_taken: self.pc + 4 });
    }
}
