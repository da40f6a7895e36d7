//! RISC-V -> IR translation: the [`Translator`] state, the register and immediate helpers
//! shared by every extension, and the block loop. Each extension implements its generated
//! visitor trait in its own file (`rv64i`, `m`, `a`, `f`, `d`, `zicsr`, `zb`, `c`); the C
//! extension expands to the same helpers as the 32-bit instructions it abbreviates.
//!
//! Code is fetched one 16-bit parcel at a time (a 32-bit instruction need only be 2-aligned
//! and may straddle a page boundary), with the fault-free fetch of [`emu_core::mem`].

mod a;
mod c;
mod d;
mod f;
mod fp;
mod m;
mod rv64i;
mod zb;
mod zicsr;

use crate::decoder::{rv32, rvc};
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
    /// Its encoding (a 16-bit parcel is zero-extended).
    pub insn: u32,
    /// Its length in bytes: 2 or 4.
    pub len: u64,
    /// Set once a handler has written the block's terminator.
    pub ended: bool,
}

impl rv32::Decoded for Translator {
    type Out = ();
    fn unallocated(&mut self, insn: u32) {
        self.undefined_insn(insn);
    }
}

impl rvc::Decoded for Translator {
    type Out = ();
    fn unallocated(&mut self, insn: u16) {
        self.undefined_insn(insn as u32);
    }
}

/// Length in bytes of the instruction whose first parcel is `lo`. Encodings longer than 32
/// bits (low bits 0b11111) are reported as 4 so their first word reaches the 32-bit decoder,
/// which has no row for them and raises SIGILL.
pub fn insn_len(lo: u16) -> u64 {
    if lo & 3 == 3 {
        4
    } else {
        2
    }
}

/// Fetch the instruction at `pc`: (encoding, length), or None if not readable.
fn fetch(w: &mut emu_core::mem::CodeWindow, pc: u64) -> Option<(u32, u64)> {
    let lo = w.u16(pc)?;
    if insn_len(lo) == 2 {
        return Some((lo as u32, 2));
    }
    let hi = w.u16(pc.wrapping_add(2))?;
    Some((lo as u32 | (hi as u32) << 16, 4))
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
    let mut t = Translator::new(pc);
    let mut n = 0;
    while !t.ended && n < max {
        let Some((insn, len)) = fetch(w, t.pc) else {
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
        t.b.mark(t.pc);
        t.insn_at(insn, len);
        t.pc += len;
        n += 1;
    }
    if !t.ended {
        t.b.term = Term::Jump { target: t.pc };
    }
    t.b.end = t.pc;
    t.b
}

/// Translate the single instruction `insn` as if it were at `pc` (its length follows from its
/// low bits), ending the block after it. For decoder tests and sweeps that need no guest memory.
pub fn translate_insn(pc: u64, insn: u32) -> Block {
    let len = insn_len(insn as u16);
    let insn = if len == 2 { insn & 0xffff } else { insn };
    let mut t = Translator::new(pc);
    t.b.mark(pc);
    t.insn_at(insn, len);
    t.pc += len;
    if !t.ended {
        t.b.term = Term::Jump { target: t.pc };
    }
    t.b.end = t.pc;
    t.b
}

/// AT_HWCAP: one bit per single-letter extension (bit = letter - 'a', as the kernel's
/// arch/riscv/include/uapi/asm/hwcap.h defines), only for what remu implements. Zba/Zbb/Zbs
/// have no HWCAP bit; they are reported through riscv_hwprobe.
pub fn hwcap() -> u64 {
    b"imafdc".iter().fold(0, |acc, c| acc | 1 << (c - b'a'))
}

impl Translator {
    fn new(pc: u64) -> Translator {
        Translator { b: Block::new(Arch::Riscv64, pc), pc, insn: 0, len: 4, ended: false }
    }

    /// Decode and translate one instruction at `self.pc`.
    fn insn_at(&mut self, insn: u32, len: u64) {
        self.insn = insn;
        self.len = len;
        if len == 2 {
            rvc::decode(self, insn as u16);
        } else {
            rv32::decode(self, insn);
        }
    }

    /// Address of the next instruction.
    pub fn next_pc(&self) -> u64 {
        self.pc.wrapping_add(self.len)
    }

    /// End the block with SIGILL for encoding `insn` (undefined, reserved or unimplemented).
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

    pub fn c64(&mut self, v: u64) -> Val {
        self.b.iconst(Ty::I64, v)
    }

    pub fn c32(&mut self, v: u32) -> Val {
        self.b.iconst(Ty::I32, v as u64)
    }

    /// Push an arbitrary op.
    pub fn op(&mut self, ty: Ty, op: Op) -> Val {
        self.b.push(ty, op)
    }

    /// Read xN as I64; x0 reads as zero.
    pub fn x(&mut self, n: u32) -> Val {
        if n == 0 {
            self.c64(0)
        } else {
            self.b.get(Ty::I64, off::x(n as usize))
        }
    }

    /// Read the low 32 bits of xN as I32 (the operand of the `W` instructions).
    pub fn xw(&mut self, n: u32) -> Val {
        if n == 0 {
            self.c32(0)
        } else {
            self.b.get(Ty::I32, off::x(n as usize))
        }
    }

    /// Write xN (writes to x0 are dropped). An I32 value is sign-extended, as every RV64 `W`
    /// result is; an I1 is zero-extended.
    pub fn set_x(&mut self, n: u32, v: Val) {
        if n == 0 {
            return;
        }
        let v = match self.b.ty(v) {
            Ty::I32 => self.b.sext(Ty::I64, v),
            Ty::I1 => self.b.zext(Ty::I64, v),
            _ => v,
        };
        self.b.set(off::x(n as usize), v);
    }

    /// `xN + imm` as an I64 address (folded to a constant for x0).
    pub fn addr(&mut self, rs1: u32, imm: i64) -> Val {
        if rs1 == 0 {
            return self.c64(imm as u64);
        }
        let base = self.x(rs1);
        if imm == 0 {
            return base;
        }
        let k = self.c64(imm as u64);
        self.b.add(Ty::I64, base, k)
    }
}

/// Sign-extend the low `bits` bits of `v`.
pub fn sext(v: u32, bits: u32) -> i64 {
    let s = 64 - bits;
    ((v as u64) << s) as i64 >> s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sext_widths() {
        assert_eq!(sext(0x800, 12), -2048);
        assert_eq!(sext(0x7ff, 12), 2047);
        assert_eq!(sext(0x3f, 6), -1);
    }

    #[test]
    fn lengths() {
        assert_eq!(insn_len(0x4501), 2); // c.li a0, 0
        assert_eq!(insn_len(0x0513), 4); // low parcel of addi
    }
}
