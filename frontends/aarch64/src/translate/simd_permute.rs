//! Arm ARM C4.1.96.4/5/6: AdvSIMD table lookup (TBL, TBX with 1-4 table registers), permute
//! (UZP1/2, TRN1/2, ZIP1/2) and extract (EXT). D-form inputs are repacked so every op reads the
//! low halves the architecture specifies, then the top half of the result is cleared.

use super::simd_helpers::es_of;
use super::Translator;
use crate::decoder::SimdPermute;
use emu_core::ir::{VecBinOp as B, VecImm2Op, VecTerOp as T};

impl SimdPermute for Translator {
    fn table_lookup(&mut self, q: u32, rm: u32, len: u32, op: u32, rn: u32, rd: u32) {
        // Chain single-register TBX over the table registers: indices are rebased by 16 per
        // register, so an index that belongs to another register (or none) wraps to >= 16 and
        // leaves its byte alone. TBL starts from zero, TBX from Vd.
        let idx = self.vreg(rm);
        let mut r = if op == 1 { self.vreg(rd) } else { self.vconst(0, 0) };
        let sixteen = self.vconst(0x1010_1010_1010_1010, 0x1010_1010_1010_1010);
        let mut cur = idx;
        for k in 0..=len {
            let t = self.vreg((rn + k) % 32);
            r = self.vter(T::Tbx, 8, r, t, cur);
            if k < len {
                cur = self.vbin(B::Sub, 8, cur, sixteen);
            }
        }
        self.set_vreg_q(q, rd, r);
    }

    fn permute(&mut self, q: u32, size: u32, rm: u32, opcode: u32, rn: u32, rd: u32) {
        if size == 3 && q == 0 {
            return self.undefined();
        }
        let es = es_of(size);
        let (a, b) = (self.vreg(rn), self.vreg(rm));
        let op = match opcode {
            0b001 => B::Uzp1,
            0b010 => B::Trn1,
            0b011 => B::Zip1,
            0b101 => B::Uzp2,
            0b110 => B::Trn2,
            0b111 => B::Zip2,
            _ => return self.undefined(),
        };
        let r = if q == 1 {
            self.vbin(op, es, a, b)
        } else {
            match op {
                B::Uzp1 | B::Uzp2 => {
                    let t = self.vbin(B::Zip1, 64, a, b);
                    self.vbin(op, es, t, t)
                }
                B::Zip2 => {
                    // The D-form ZIP2 interleaves lanes from bits 63:32 of each input: that
                    // is the top half of the full-width ZIP1.
                    let z = self.vbin(B::Zip1, es, a, b);
                    self.vimm2(VecImm2Op::Ext, 8, z, z, 8)
                }
                _ => self.vbin(op, es, a, b),
            }
        };
        self.set_vreg_q(q, rd, r);
    }

    fn extract(&mut self, q: u32, rm: u32, imm4: u32, rn: u32, rd: u32) {
        let (a, b) = (self.vreg(rn), self.vreg(rm));
        let r = if q == 1 {
            self.vimm2(VecImm2Op::Ext, 8, a, b, imm4)
        } else {
            if imm4 >= 8 {
                return self.undefined();
            }
            let t = self.vbin(B::Zip1, 64, a, b);
            self.vimm2(VecImm2Op::Ext, 8, t, t, imm4)
        };
        self.set_vreg_q(q, rd, r);
    }
}
