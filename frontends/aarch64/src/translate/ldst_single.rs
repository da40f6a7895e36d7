//! Single-register loads and stores (Arm ARM C4.1.88: unscaled, pre/post-indexed, unsigned
//! offset, register offset and literal forms) for general-purpose and SIMD&FP registers, and
//! the pair forms (LDP/STP/LDPSW/LDNP/STNP). Addressing is decoded by `load_store.rs`.

use super::load_store::sext;
use super::Translator;
use emu_core::ir::{Ty, Val};

/// Where the offset of a single-register access comes from.
pub enum Offset {
    Imm(i64),
    /// An already extended and scaled register offset (I64).
    Reg(Val),
}

/// Addressing mode: base + offset without writeback, or with writeback before/after the access.
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub enum Index {
    Offset,
    Pre,
    Post,
}

impl Index {
    /// The pair forms' `idx` field: 00 (no-allocate) and 10 are plain offsets, 01 post, 11 pre.
    fn from_pair(idx: u32) -> Index {
        match idx {
            1 => Index::Post,
            3 => Index::Pre,
            _ => Index::Offset,
        }
    }
}

impl Translator {
    /// Compute the access address for `idx` and return it with the writeback value, if any.
    fn ea(&mut self, rn: u32, offset: Offset, idx: Index) -> (Val, Option<Val>) {
        let base = self.xr_sp(Ty::I64, rn);
        let moved = match offset {
            Offset::Imm(0) => base,
            Offset::Imm(i) => {
                let c = self.c64(i as u64);
                self.b.add(Ty::I64, base, c)
            }
            Offset::Reg(r) => self.b.add(Ty::I64, base, r),
        };
        match idx {
            Index::Offset => (moved, None),
            Index::Pre => (moved, Some(moved)),
            Index::Post => (base, Some(moved)),
        }
    }

    /// A general-purpose register load/store: `size` is log2 of the access, `opc` is 00 store,
    /// 01 load, 10 signed load to 64 bits, 11 signed load to 32 bits. Prefetches are filtered
    /// out by the caller, so (size 3, opc 10) here is unallocated.
    pub(super) fn ldst(&mut self, size: u32, opc: u32, rt: u32, rn: u32, offset: Offset, idx: Index) {
        if !matches!((size, opc), (_, 0) | (_, 1) | (0..=2, 2) | (0..=1, 3)) {
            return self.undefined();
        }
        let (addr, wb) = self.ea(rn, offset, idx);
        self.ldst_at(size, opc, rt, addr);
        if let Some(w) = wb {
            self.set_xr_sp(rn, w);
        }
    }

    /// The access of [`Self::ldst`] at a computed address.
    pub(super) fn ldst_at(&mut self, size: u32, opc: u32, rt: u32, addr: Val) {
        let bytes = 1u8 << size;
        match opc {
            0 => {
                let v = self.xr(Self::ity((size == 3) as u32), rt);
                self.b.store(addr, v, bytes);
            }
            1 => {
                let v = self.b.load(Self::ity((size == 3) as u32), addr, bytes, false);
                self.set_xr(rt, v);
            }
            2 => {
                let v = self.b.load(Ty::I64, addr, bytes, true);
                self.set_xr(rt, v);
            }
            _ => {
                // Sign-extended to 32 bits, then zero-extended into Xt by set_xr.
                let v = self.b.load(Ty::I32, addr, bytes, true);
                self.set_xr(rt, v);
            }
        }
    }

    /// A SIMD&FP register load/store: the access size is 2^(opc<1>:size) bytes (B..Q); opc<0>
    /// is load. Loads zero the rest of the 128-bit register.
    pub(super) fn ldst_fp(&mut self, size: u32, opc: u32, rt: u32, rn: u32, offset: Offset, idx: Index) {
        if opc & 2 != 0 && size != 0 {
            return self.undefined();
        }
        let scale = (opc >> 1) << 2 | size;
        let (addr, wb) = self.ea(rn, offset, idx);
        self.ldst_fp_at(scale, opc & 1 == 1, rt, addr);
        if let Some(w) = wb {
            self.set_xr_sp(rn, w);
        }
    }

    /// The access of [`Self::ldst_fp`] at a computed address; `scale` is log2 of the size.
    pub(super) fn ldst_fp_at(&mut self, scale: u32, load: bool, rt: u32, addr: Val) {
        let bytes = 1u8 << scale;
        if load {
            let v = self.b.load(Ty::V128, addr, bytes, false);
            self.set_vreg(rt, v);
        } else {
            let v = self.vreg(rt);
            self.b.store(addr, v, bytes);
        }
    }

    /// LDP/STP/LDPSW/LDNP/STNP of general-purpose registers. `opc`: 00 W, 01 LDPSW (loads only,
    /// not no-allocate), 10 X.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn pair_int(
        &mut self,
        opc: u32,
        idx: u32,
        load: bool,
        imm7: u32,
        rt2: u32,
        rn: u32,
        rt: u32,
        no_allocate: bool,
    ) {
        let (scale, signed) = match opc {
            0 => (2, false),
            1 if load && !no_allocate => (2, true),
            2 => (3, false),
            _ => return self.undefined(),
        };
        let offset = Offset::Imm(sext(imm7, 7) << scale);
        let (addr, wb) = self.ea(rn, offset, Index::from_pair(idx));
        let bytes = 1u8 << scale;
        let ty = if signed || scale == 3 { Ty::I64 } else { Ty::I32 };
        let c = self.c64(bytes as u64);
        let addr2 = self.b.add(Ty::I64, addr, c);
        if load {
            let v1 = self.b.load(ty, addr, bytes, signed);
            let v2 = self.b.load(ty, addr2, bytes, signed);
            self.set_xr(rt, v1);
            self.set_xr(rt2, v2);
        } else {
            let v1 = self.xr(ty, rt);
            let v2 = self.xr(ty, rt2);
            self.b.store(addr, v1, bytes);
            self.b.store(addr2, v2, bytes);
        }
        if let Some(w) = wb {
            self.set_xr_sp(rn, w);
        }
    }

    /// LDP/STP/LDNP/STNP of SIMD&FP registers. `opc`: 00 S, 01 D, 10 Q.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn pair_fp(&mut self, opc: u32, idx: u32, load: bool, imm7: u32, rt2: u32, rn: u32, rt: u32) {
        if opc == 3 {
            return self.undefined();
        }
        let scale = 2 + opc;
        let offset = Offset::Imm(sext(imm7, 7) << scale);
        let (addr, wb) = self.ea(rn, offset, Index::from_pair(idx));
        let bytes = 1u8 << scale;
        let c = self.c64(bytes as u64);
        let addr2 = self.b.add(Ty::I64, addr, c);
        if load {
            let v1 = self.b.load(Ty::V128, addr, bytes, false);
            let v2 = self.b.load(Ty::V128, addr2, bytes, false);
            self.set_vreg(rt, v1);
            self.set_vreg(rt2, v2);
        } else {
            let v1 = self.vreg(rt);
            let v2 = self.vreg(rt2);
            self.b.store(addr, v1, bytes);
            self.b.store(addr2, v2, bytes);
        }
        if let Some(w) = wb {
            self.set_xr_sp(rn, w);
        }
    }
}
