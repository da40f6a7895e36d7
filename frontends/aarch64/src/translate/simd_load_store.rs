//! Arm ARM C4.1.88 (C7.2 LD1-LD4, ST1-ST4, LD1R-LD4R): AdvSIMD structure loads and stores,
//! multiple and single structure, with and without post-indexing. Guest memory is
//! identity-mapped, so each element is one IR `Load`/`Store`; LD1/ST1 of whole registers use
//! one 8- or 16-byte access per register. Alignment is not checked (Linux user space runs with
//! alignment checking off for normal memory).

use super::simd_helpers::ety;
use super::Translator;
use crate::decoder::SimdLoadStore;
use emu_core::ir::{Op, Ty, Val, VecUnOp};

impl Translator {
    /// The post-index writeback amount: the immediate (bytes transferred) when Rm is 31.
    fn post_index(&mut self, rn: u32, rm: u32, base: Val, bytes: u64) {
        let inc = if rm == 31 { self.c64(bytes) } else { self.xr(Ty::I64, rm) };
        let nb = self.b.add(Ty::I64, base, inc);
        self.set_xr_sp(rn, nb);
    }

    fn addr_plus(&mut self, base: Val, off: u64) -> Val {
        if off == 0 {
            base
        } else {
            let c = self.c64(off);
            self.b.add(Ty::I64, base, c)
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn ld_st_multi_common(
        &mut self,
        q: u32,
        l: u32,
        opcode: u32,
        size: u32,
        rn: u32,
        rt: u32,
        post: Option<u32>,
    ) {
        let (rpt, selem) = match opcode {
            0b0000 => (1, 4),
            0b0010 => (4, 1),
            0b0100 => (1, 3),
            0b0110 => (3, 1),
            0b0111 => (1, 1),
            0b1000 => (1, 2),
            0b1010 => (2, 1),
            _ => return self.undefined(),
        };
        if size == 3 && q == 0 && selem > 1 {
            return self.undefined();
        }
        let regbytes: u64 = if q == 1 { 16 } else { 8 };
        let ebytes = 1u64 << size;
        let es = (ebytes * 8) as u8;
        let base = self.xr_sp(Ty::I64, rn);
        let total = regbytes * rpt * selem;
        if selem == 1 {
            let mut loaded = Vec::new();
            for r in 0..rpt {
                let a = self.addr_plus(base, r * regbytes);
                let reg = (rt + r as u32) % 32;
                if l == 1 {
                    loaded.push((reg, self.b.load(Ty::V128, a, regbytes as u8, false)));
                } else {
                    let v = self.vreg(reg);
                    self.b.store(a, v, regbytes as u8);
                }
            }
            for (reg, v) in loaded {
                self.set_vreg(reg, v);
            }
        } else {
            let elements = regbytes / ebytes;
            let mut regs: Vec<Val> = Vec::new();
            for s in 0..selem {
                let reg = (rt + s as u32) % 32;
                let v = if l == 1 { self.vconst(0, 0) } else { self.vreg(reg) };
                regs.push(v);
            }
            for e in 0..elements {
                for s in 0..selem {
                    let a = self.addr_plus(base, (e * selem + s) * ebytes);
                    let idx = e as u8;
                    if l == 1 {
                        let x = self.b.load(ety(es), a, ebytes as u8, false);
                        let cur = regs[s as usize];
                        regs[s as usize] = self.op(Ty::V128, Op::VInsert { a: cur, b: x, es, idx });
                    } else {
                        let x = self.op(ety(es), Op::VExtract { a: regs[s as usize], es, idx });
                        self.b.store(a, x, ebytes as u8);
                    }
                }
            }
            if l == 1 {
                for (s, v) in regs.into_iter().enumerate() {
                    self.set_vreg((rt + s as u32) % 32, v);
                }
            }
        }
        if let Some(rm) = post {
            self.post_index(rn, rm, base, total);
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn ld_st_single_common(
        &mut self,
        q: u32,
        l: u32,
        r: u32,
        opcode: u32,
        s: u32,
        size: u32,
        rn: u32,
        rt: u32,
        post: Option<u32>,
    ) {
        let selem = ((opcode & 1) << 1 | r) + 1;
        let (es, idx, replicate) = match opcode >> 1 {
            0 => (8u8, q << 3 | s << 2 | size, false),
            1 if size & 1 == 0 => (16, q << 2 | s << 1 | size >> 1, false),
            2 if size == 0 => (32, q << 1 | s, false),
            2 if size == 1 && s == 0 => (64, q, false),
            3 if l == 1 && s == 0 => (8 << size as u8, 0, true),
            _ => return self.undefined(),
        };
        let ebytes = es as u64 / 8;
        let base = self.xr_sp(Ty::I64, rn);
        let mut results = Vec::new();
        for k in 0..selem {
            let reg = (rt + k) % 32;
            let a = self.addr_plus(base, k as u64 * ebytes);
            if replicate {
                let x = self.b.load(ety(es), a, ebytes as u8, false);
                let mut v = self.op(Ty::V128, Op::VDup { a: x, es });
                if q == 0 {
                    v = self.vun(VecUnOp::ZeroHigh, 64, v);
                }
                results.push((reg, v));
            } else if l == 1 {
                let x = self.b.load(ety(es), a, ebytes as u8, false);
                let cur = self.vreg(reg);
                let v = self.op(Ty::V128, Op::VInsert { a: cur, b: x, es, idx: idx as u8 });
                results.push((reg, v));
            } else {
                let cur = self.vreg(reg);
                let x = self.op(ety(es), Op::VExtract { a: cur, es, idx: idx as u8 });
                self.b.store(a, x, ebytes as u8);
            }
        }
        for (reg, v) in results {
            self.set_vreg(reg, v);
        }
        if let Some(rm) = post {
            self.post_index(rn, rm, base, selem as u64 * ebytes);
        }
    }
}

impl SimdLoadStore for Translator {
    fn ld_st_multi(&mut self, q: u32, l: u32, opcode: u32, size: u32, rn: u32, rt: u32) {
        self.ld_st_multi_common(q, l, opcode, size, rn, rt, None);
    }

    #[allow(clippy::too_many_arguments)]
    fn ld_st_multi_post(&mut self, q: u32, l: u32, rm: u32, opcode: u32, size: u32, rn: u32, rt: u32) {
        self.ld_st_multi_common(q, l, opcode, size, rn, rt, Some(rm));
    }

    #[allow(clippy::too_many_arguments)]
    fn ld_st_single(&mut self, q: u32, l: u32, r: u32, opcode: u32, s: u32, size: u32, rn: u32, rt: u32) {
        self.ld_st_single_common(q, l, r, opcode, s, size, rn, rt, None);
    }

    #[allow(clippy::too_many_arguments)]
    fn ld_st_single_post(
        &mut self,
        q: u32,
        l: u32,
        r: u32,
        rm: u32,
        opcode: u32,
        s: u32,
        size: u32,
        rn: u32,
        rt: u32,
    ) {
        self.ld_st_single_common(q, l, r, opcode, s, size, rn, rt, Some(rm));
    }
}
