//! Arm ARM C4.1.86: data processing with immediates (PC-relative addresses, add/subtract,
//! logical with bitmask immediates, move wide, bitfield moves, extract).

use super::Translator;
use crate::decoder::DataProcessingImm;
use emu_core::ir::{Op, Ty, Val};

/// DecodeBitMasks (Arm ARM J1, shared pseudocode): the (wmask, tmask) pair of an N:immr:imms
/// bitmask at `datasize` bits, or `None` for a reserved encoding. `immediate` selects the
/// logical-immediate rule that forbids an all-ones element.
pub fn decode_bit_masks(n: u32, imms: u32, immr: u32, immediate: bool, datasize: u32) -> Option<(u64, u64)> {
    let combined = (n << 6) | (!imms & 0x3f);
    if combined == 0 {
        return None;
    }
    let len = 31 - combined.leading_zeros();
    if len < 1 || (1u32 << len) > datasize {
        return None;
    }
    let levels = (1u32 << len) - 1;
    if immediate && (imms & levels) == levels {
        return None;
    }
    let s = imms & levels;
    let r = immr & levels;
    let d = s.wrapping_sub(r) & levels;
    let esize = 1u32 << len;
    let ones = |k: u32| if k >= 64 { u64::MAX } else { (1u64 << k) - 1 };
    let emask = ones(esize);
    let welem = ones(s + 1);
    let telem = ones(d + 1);
    let welem = if r == 0 { welem } else { ((welem >> r) | (welem << (esize - r))) & emask };
    let replicate = |e: u64| {
        let mut v = 0u64;
        let mut i = 0;
        while i < datasize {
            v |= e << i;
            i += esize;
        }
        v & ones(datasize)
    };
    Some((replicate(welem), replicate(telem)))
}

/// The sign-extended 21-bit ADR offset immhi:immlo.
fn adr_offset(immhi: u32, immlo: u32) -> i64 {
    let v = (immhi << 2 | immlo) as i64;
    (v << 43) >> 43
}

impl DataProcessingImm for Translator {
    fn adr(&mut self, immlo: u32, immhi: u32, rd: u32) {
        let v = self.c64(self.pc.wrapping_add(adr_offset(immhi, immlo) as u64));
        self.set_xr(rd, v);
    }

    fn adrp(&mut self, immlo: u32, immhi: u32, rd: u32) {
        let page = self.pc & !0xfff;
        let v = self.c64(page.wrapping_add((adr_offset(immhi, immlo) << 12) as u64));
        self.set_xr(rd, v);
    }

    fn add_imm(&mut self, sf: u32, sh: u32, imm12: u32, rn: u32, rd: u32) {
        self.addsub_imm(sf, sh, imm12, rn, rd, false, false);
    }

    fn adds_imm(&mut self, sf: u32, sh: u32, imm12: u32, rn: u32, rd: u32) {
        self.addsub_imm(sf, sh, imm12, rn, rd, false, true);
    }

    fn sub_imm(&mut self, sf: u32, sh: u32, imm12: u32, rn: u32, rd: u32) {
        self.addsub_imm(sf, sh, imm12, rn, rd, true, false);
    }

    fn subs_imm(&mut self, sf: u32, sh: u32, imm12: u32, rn: u32, rd: u32) {
        self.addsub_imm(sf, sh, imm12, rn, rd, true, true);
    }

    fn and_imm(&mut self, sf: u32, n: u32, immr: u32, imms: u32, rn: u32, rd: u32) {
        self.logical_imm(sf, n, immr, imms, rn, rd, |t, a, b| t.b.and(t.ty_of(a), a, b), false);
    }

    fn orr_imm(&mut self, sf: u32, n: u32, immr: u32, imms: u32, rn: u32, rd: u32) {
        self.logical_imm(sf, n, immr, imms, rn, rd, |t, a, b| t.b.or(t.ty_of(a), a, b), false);
    }

    fn eor_imm(&mut self, sf: u32, n: u32, immr: u32, imms: u32, rn: u32, rd: u32) {
        self.logical_imm(sf, n, immr, imms, rn, rd, |t, a, b| t.b.xor(t.ty_of(a), a, b), false);
    }

    fn ands_imm(&mut self, sf: u32, n: u32, immr: u32, imms: u32, rn: u32, rd: u32) {
        self.logical_imm(sf, n, immr, imms, rn, rd, |t, a, b| t.b.and(t.ty_of(a), a, b), true);
    }

    fn movn(&mut self, sf: u32, hw: u32, imm16: u32, rd: u32) {
        if sf == 0 && hw >= 2 {
            return self.undefined();
        }
        let v = !((imm16 as u64) << (16 * hw));
        let v = if sf == 0 { v & 0xffff_ffff } else { v };
        let c = self.c64(v);
        self.set_xr(rd, c);
    }

    fn movz(&mut self, sf: u32, hw: u32, imm16: u32, rd: u32) {
        if sf == 0 && hw >= 2 {
            return self.undefined();
        }
        let c = self.c64((imm16 as u64) << (16 * hw));
        self.set_xr(rd, c);
    }

    fn movk(&mut self, sf: u32, hw: u32, imm16: u32, rd: u32) {
        if sf == 0 && hw >= 2 {
            return self.undefined();
        }
        let ty = Self::ity(sf);
        let old = self.xr(ty, rd);
        let k = self.cty(ty, imm16 as u64);
        let v = self.op(ty, Op::Deposit { a: old, b: k, lsb: (16 * hw) as u8, width: 16 });
        self.set_xr(rd, v);
    }

    fn sbfm(&mut self, sf: u32, n: u32, immr: u32, imms: u32, rn: u32, rd: u32) {
        self.bitfield(sf, n, immr, imms, rn, rd, BitfieldKind::Signed);
    }

    fn bfm(&mut self, sf: u32, n: u32, immr: u32, imms: u32, rn: u32, rd: u32) {
        self.bitfield(sf, n, immr, imms, rn, rd, BitfieldKind::Insert);
    }

    fn ubfm(&mut self, sf: u32, n: u32, immr: u32, imms: u32, rn: u32, rd: u32) {
        self.bitfield(sf, n, immr, imms, rn, rd, BitfieldKind::Unsigned);
    }

    fn extr(&mut self, sf: u32, n: u32, rm: u32, imms: u32, rn: u32, rd: u32) {
        if n != sf || (sf == 0 && imms >= 32) {
            return self.undefined();
        }
        let ty = Self::ity(sf);
        let lo = self.xr(ty, rm);
        let v = if imms == 0 {
            lo
        } else if rn == rm {
            let s = self.cty(ty, imms as u64);
            self.op(ty, Op::Rotr { a: lo, b: s })
        } else {
            let hi = self.xr(ty, rn);
            let s = self.cty(ty, imms as u64);
            let l = self.op(ty, Op::Lshr { a: lo, b: s });
            let s2 = self.cty(ty, (ty.bits() - imms) as u64);
            let h = self.op(ty, Op::Shl { a: hi, b: s2 });
            self.b.or(ty, h, l)
        };
        self.set_xr(rd, v);
    }
}

/// Which of SBFM / BFM / UBFM.
#[derive(Copy, Clone, PartialEq, Eq)]
enum BitfieldKind {
    Signed,
    Insert,
    Unsigned,
}

impl Translator {
    /// Type of an SSA value.
    pub fn ty_of(&self, v: Val) -> Ty {
        self.b.ty(v)
    }

    #[allow(clippy::too_many_arguments)]
    fn addsub_imm(&mut self, sf: u32, sh: u32, imm12: u32, rn: u32, rd: u32, sub: bool, flags: bool) {
        let ty = Self::ity(sf);
        let a = self.xr_sp(ty, rn);
        let b = self.cty(ty, (imm12 as u64) << (12 * sh));
        let r = self.add_sub(ty, a, b, sub, flags);
        if flags {
            self.set_xr(rd, r);
        } else {
            self.set_xr_sp(rd, r);
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn logical_imm(
        &mut self,
        sf: u32,
        n: u32,
        immr: u32,
        imms: u32,
        rn: u32,
        rd: u32,
        f: impl FnOnce(&mut Self, Val, Val) -> Val,
        flags: bool,
    ) {
        if sf == 0 && n != 0 {
            return self.undefined();
        }
        let size = if sf != 0 { 64 } else { 32 };
        let Some((imm, _)) = decode_bit_masks(n, imms, immr, true, size) else {
            return self.undefined();
        };
        let ty = Self::ity(sf);
        let a = self.xr(ty, rn);
        let c = self.cty(ty, imm);
        let r = f(self, a, c);
        if flags {
            let z = self.op(Ty::I32, Op::NzcvLogic { a: r });
            self.set_nzcv(z);
            self.set_xr(rd, r);
        } else {
            self.set_xr_sp(rd, r);
        }
    }

    /// SBFM/BFM/UBFM by their semantics, mapped onto field extract/insert ops: when imms >= immr
    /// the source field is bits [immr, imms] moved to bit 0 (SBFX/UBFX/BFXIL and the shifts and
    /// extends); otherwise bits [0, imms] move to bit datasize - immr (SBFIZ/UBFIZ/BFI, LSL).
    #[allow(clippy::too_many_arguments)]
    fn bitfield(&mut self, sf: u32, n: u32, immr: u32, imms: u32, rn: u32, rd: u32, kind: BitfieldKind) {
        if n != sf || (sf == 0 && (immr >= 32 || imms >= 32)) {
            return self.undefined();
        }
        let ty = Self::ity(sf);
        let size = ty.bits();
        let src = self.xr(ty, rn);
        let v = if imms >= immr {
            let (lsb, width) = (immr as u8, (imms - immr + 1) as u8);
            match kind {
                BitfieldKind::Signed => self.op(ty, Op::SExtract { a: src, lsb, width }),
                BitfieldKind::Unsigned => self.op(ty, Op::Extract { a: src, lsb, width }),
                BitfieldKind::Insert => {
                    let dst = self.xr(ty, rd);
                    let f = self.op(ty, Op::Extract { a: src, lsb, width });
                    self.op(ty, Op::Deposit { a: dst, b: f, lsb: 0, width })
                }
            }
        } else {
            let (lsb, width) = ((size - immr) as u8, (imms + 1) as u8);
            match kind {
                BitfieldKind::Signed | BitfieldKind::Unsigned => {
                    let f = if kind == BitfieldKind::Signed {
                        self.op(ty, Op::SExtract { a: src, lsb: 0, width })
                    } else {
                        self.op(ty, Op::Extract { a: src, lsb: 0, width })
                    };
                    let s = self.cty(ty, lsb as u64);
                    self.op(ty, Op::Shl { a: f, b: s })
                }
                BitfieldKind::Insert => {
                    let dst = self.xr(ty, rd);
                    self.op(ty, Op::Deposit { a: dst, b: src, lsb, width })
                }
            }
        };
        self.set_xr(rd, v);
    }
}

#[cfg(test)]
mod tests {
    use super::decode_bit_masks;

    #[test]
    fn bitmask_immediates() {
        // (N, immr, imms, datasize) -> wmask, from the Arm ARM's logical-immediate examples.
        let cases: &[(u32, u32, u32, u32, u64)] = &[
            (1, 0, 0, 64, 1),
            (0, 0, 0b111100, 32, 0x5555_5555),
            (1, 0, 0b111110, 64, 0x7fff_ffff_ffff_ffff),
            (0, 0, 0b000111, 32, 0xff),
            (1, 4, 0b000011, 64, 0xf000_0000_0000_0000),
            (0, 0, 0b110011, 64, 0x0f0f_0f0f_0f0f_0f0f),
            (0, 1, 0b111100, 64, 0xaaaa_aaaa_aaaa_aaaa),
        ];
        for &(n, immr, imms, size, want) in cases {
            assert_eq!(
                decode_bit_masks(n, imms, immr, true, size).map(|m| m.0),
                Some(want),
                "{n} {immr} {imms}"
            );
        }
        // All-ones element, and N=1 at 32 bits, are reserved.
        assert_eq!(decode_bit_masks(1, 0b111111, 0, true, 64), None);
        assert_eq!(decode_bit_masks(0, 0b111101, 0, true, 32), None);
        assert_eq!(decode_bit_masks(1, 0, 0, true, 32), None);
        // ...but the bitfield form takes imms = all ones (e.g. UBFM x, x, #0, #63).
        assert_eq!(decode_bit_masks(1, 0b111111, 0, false, 64), Some((u64::MAX, u64::MAX)));
    }
}
