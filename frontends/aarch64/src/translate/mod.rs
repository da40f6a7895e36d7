//! A64 -> IR translation: the [`Translator`] state, register access helpers shared by every
//! instruction family, and the block loop. Each family lives in its own file named after its
//! Arm ARM encoding group and implements that group's generated visitor trait.

mod alu;
mod branch_exception_system;
mod data_processing_imm;
mod data_processing_reg;
mod fp_convert;
mod fp_scalar;
mod ldst_atomic;
mod ldst_single;
mod load_store;
mod simd_copy;
mod simd_helpers;
mod simd_load_store;
mod simd_permute;
mod simd_three_same;
mod simd_two_reg_misc;
mod system;

use crate::decoder::{self, Decoded};
use emu_core::cpu::off;
use emu_core::ir::{Block, Op, Term, TrapKind, Ty, Val};
use emu_core::Arch;

/// Most guest instructions in one block.
pub const MAX_BLOCK_INSNS: usize = 64;

/// Translation state for one block.
pub struct Translator {
    /// The block being built.
    pub b: Block,
    /// Address of the instruction being translated.
    pub pc: u64,
    /// Its encoding.
    pub insn: u32,
    /// Set once a handler has written the block's terminator.
    pub ended: bool,
}

impl Decoded for Translator {
    type Out = ();
    fn unallocated(&mut self, insn: u32) {
        self.undefined_insn(insn);
    }
}

/// Translate the block starting at `pc`. A block ending in a conditional branch whose
/// fall-through side is a short block going straight back to `pc` takes that block in, behind
/// a side exit to the taken side ([`emu_core::ir::merge`]): the loop becomes one self-loop block.
pub fn translate_block(pc: u64) -> Block {
    let mut w = emu_core::mem::CodeWindow::default();
    emu_core::ir::merge::translate(pc, MAX_BLOCK_INSNS, |at, max| translate_from(&mut w, at, max))
}

/// Translate the block at `pc` until it ends or holds `max` instructions.
fn translate_from(w: &mut emu_core::mem::CodeWindow, pc: u64, max: usize) -> Block {
    let mut t = Translator { b: Block::new(Arch::Aarch64, pc), pc, insn: 0, ended: false };
    let mut n = 0;
    while !t.ended && n < max {
        let Some(insn) = w.u32(t.pc) else {
            // An unreadable first instruction faults now; a later one ends the block so the
            // fault is raised, with the right pc, when the next block is translated.
            t.b.term = if n == 0 {
                Term::Trap { pc: t.pc, kind: TrapKind::FetchFault }
            } else {
                Term::Jump { target: t.pc }
            };
            t.b.end = t.pc;
            return t.b;
        };
        t.insn = insn;
        t.b.mark(t.pc);
        decoder::decode(&mut t, insn);
        t.pc += 4;
        n += 1;
    }
    if !t.ended {
        t.b.term = Term::Jump { target: t.pc };
    }
    t.b.end = t.pc;
    t.b
}

/// AT_HWCAP / AT_HWCAP2: only features remu implements (bits from the kernel's
/// arch/arm64/include/uapi/asm/hwcap.h).
pub fn hwcap() -> (u64, u64) {
    const FP: u64 = 1 << 0;
    const ASIMD: u64 = 1 << 1;
    const CRC32: u64 = 1 << 7;
    const ATOMICS: u64 = 1 << 8;
    const LRCPC: u64 = 1 << 15;
    (FP | ASIMD | CRC32 | ATOMICS | LRCPC, 0)
}

impl Translator {
    /// End the block with SIGILL for the current instruction (undefined or unimplemented).
    pub fn undefined_insn(&mut self, insn: u32) {
        self.end(Term::Trap { pc: self.pc, kind: TrapKind::Undefined { insn } });
    }

    /// End the block with SIGILL for the current instruction.
    pub fn undefined(&mut self) {
        self.undefined_insn(self.insn);
    }

    /// Set the block terminator.
    pub fn end(&mut self, term: Term) {
        self.b.term = term;
        self.ended = true;
    }

    /// Integer type for the `sf` bit: 1 -> I64, 0 -> I32.
    pub fn ity(sf: u32) -> Ty {
        if sf != 0 {
            Ty::I64
        } else {
            Ty::I32
        }
    }

    pub fn c64(&mut self, v: u64) -> Val {
        self.b.iconst(Ty::I64, v)
    }

    pub fn c32(&mut self, v: u32) -> Val {
        self.b.iconst(Ty::I32, v as u64)
    }

    pub fn cty(&mut self, ty: Ty, v: u64) -> Val {
        self.b.iconst(ty, v)
    }

    /// Read Xn/Wn where register 31 is XZR.
    pub fn xr(&mut self, ty: Ty, n: u32) -> Val {
        if n == 31 {
            self.b.iconst(ty, 0)
        } else {
            self.b.get(ty, off::x(n as usize))
        }
    }

    /// Read Xn/Wn where register 31 is SP.
    pub fn xr_sp(&mut self, ty: Ty, n: u32) -> Val {
        self.b.get(ty, off::x(n as usize))
    }

    /// Write Xn/Wn where register 31 is XZR (discarded); 32-bit values are zero-extended.
    pub fn set_xr(&mut self, n: u32, v: Val) {
        if n != 31 {
            let v = self.widen(v);
            self.b.set(off::x(n as usize), v);
        }
    }

    /// Write Xn/Wn where register 31 is SP; 32-bit values are zero-extended.
    pub fn set_xr_sp(&mut self, n: u32, v: Val) {
        let v = self.widen(v);
        self.b.set(off::x(n as usize), v);
    }

    /// Zero-extend an I32 to I64 (other types unchanged).
    pub fn widen(&mut self, v: Val) -> Val {
        if self.b.ty(v) == Ty::I32 {
            self.b.zext(Ty::I64, v)
        } else {
            v
        }
    }

    /// Current NZCV (I32, flags in bits 31:28).
    pub fn nzcv(&mut self) -> Val {
        self.b.get(Ty::I32, off::NZCV)
    }

    pub fn set_nzcv(&mut self, v: Val) {
        let v = self.widen(v);
        self.b.set(off::NZCV, v);
    }

    /// Read the whole 128-bit Vn.
    pub fn vreg(&mut self, n: u32) -> Val {
        self.b.get(Ty::V128, off::v(n as usize))
    }

    /// Write the whole 128-bit Vn.
    pub fn set_vreg(&mut self, n: u32, v: Val) {
        self.b.set(off::v(n as usize), v);
    }

    /// Address `Xn|SP + offset` (I64), the base of every A64 load/store addressing form.
    pub fn addr_reg_imm(&mut self, rn: u32, offset: i64) -> Val {
        let base = self.xr_sp(Ty::I64, rn);
        if offset == 0 {
            base
        } else {
            let o = self.c64(offset as u64);
            self.b.add(Ty::I64, base, o)
        }
    }

    /// Push an arbitrary op.
    pub fn op(&mut self, ty: Ty, op: Op) -> Val {
        self.b.push(ty, op)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn translates_nop_and_branch() {
        // nop; b .-4
        let code: [u32; 2] = [0xd503201f, 0x17ffffff];
        let pc = code.as_ptr() as u64;
        let b = super::translate_block(pc);
        emu_core::ir::verify(&b).unwrap();
        assert_eq!(b.term, emu_core::ir::Term::Jump { target: pc });
        assert_eq!(b.end, pc + 8);
    }
}
