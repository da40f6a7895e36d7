//! Arm ARM C4.1.65: branches, exception generation and system instructions.

use super::Translator;
use crate::decoder::BranchExceptionSystem;
use emu_core::ir::Term;

impl BranchExceptionSystem for Translator {
    fn svc(&mut self, _imm16: u32) {
        self.end(Term::Syscall { next: self.pc + 4 });
    }

    fn nop(&mut self) {}

    fn b_imm(&mut self, op: u32, imm26: u32) {
        let target = self.pc.wrapping_add((((imm26 << 6) as i32 >> 4) as i64) as u64);
        if op == 1 {
            let ret = self.c64(self.pc + 4);
            self.set_xr(30, ret);
            self.end(Term::Call { target, ret: self.pc + 4 });
        } else {
            self.end(Term::Jump { target });
        }
    }
}
