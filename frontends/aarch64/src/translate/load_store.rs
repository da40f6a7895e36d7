//! Arm ARM C4.1.88: loads and stores, the visitor for `load_store.dec`. Each handler decodes
//! its addressing form and hands off to the shared helpers: single registers in `ldst_single.rs`,
//! pairs in `ldst_pair.rs`, exclusives, ordered accesses and LSE atomics in `ldst_atomic.rs`.

use super::ldst_single::{Index, Offset};
use super::Translator;
use crate::decoder::LoadStore;
use emu_core::ir::{AtomicOp, Ty};

/// Sign-extend the low `bits` of `v`.
pub fn sext(v: u32, bits: u32) -> i64 {
    ((v as i64) << (64 - bits)) >> (64 - bits)
}

impl LoadStore for Translator {
    fn stxr(&mut self, size: u32, rs: u32, _rt2: u32, rn: u32, rt: u32) {
        self.store_exclusive(size, rs, rn, rt);
    }
    fn stlxr(&mut self, size: u32, rs: u32, _rt2: u32, rn: u32, rt: u32) {
        self.store_exclusive(size, rs, rn, rt);
    }
    fn ldxr(&mut self, size: u32, rn: u32, rt: u32) {
        self.load_exclusive(size, rn, rt);
    }
    fn ldaxr(&mut self, size: u32, rn: u32, rt: u32) {
        self.load_exclusive(size, rn, rt);
    }
    fn stxp(&mut self, sz: u32, rs: u32, rt2: u32, rn: u32, rt: u32) {
        self.store_exclusive_pair(sz, rs, rt2, rn, rt);
    }
    fn stlxp(&mut self, sz: u32, rs: u32, rt2: u32, rn: u32, rt: u32) {
        self.store_exclusive_pair(sz, rs, rt2, rn, rt);
    }
    fn ldxp(&mut self, sz: u32, _rs: u32, rt2: u32, rn: u32, rt: u32) {
        self.load_exclusive_pair(sz, rt2, rn, rt);
    }
    fn ldaxp(&mut self, sz: u32, _rs: u32, rt2: u32, rn: u32, rt: u32) {
        self.load_exclusive_pair(sz, rt2, rn, rt);
    }
    fn casp(&mut self, sz: u32, _l: u32, rs: u32, _o0: u32, rn: u32, rt: u32) {
        self.compare_swap_pair(sz, rs, rn, rt);
    }
    fn stllr(&mut self, size: u32, rn: u32, rt: u32) {
        // LORegions are not modelled, so limited-ordering release is an ordinary store on TSO.
        self.ldst(size, 0, rt, rn, Offset::Imm(0), Index::Offset);
    }
    fn stlr(&mut self, size: u32, rn: u32, rt: u32) {
        self.store_release(size, rn, rt);
    }
    fn ldlar(&mut self, size: u32, rn: u32, rt: u32) {
        self.ldst(size, 1, rt, rn, Offset::Imm(0), Index::Offset);
    }
    fn ldar(&mut self, size: u32, rn: u32, rt: u32) {
        // x86 loads already have acquire semantics; STLR (an xchg) orders the RCsc case.
        self.ldst(size, 1, rt, rn, Offset::Imm(0), Index::Offset);
    }
    fn cas(&mut self, size: u32, _l: u32, rs: u32, _o0: u32, rn: u32, rt: u32) {
        self.compare_swap(size, rs, rn, rt);
    }

    fn ldr_lit(&mut self, opc: u32, imm19: u32, rt: u32) {
        let addr = self.pc.wrapping_add((sext(imm19, 19) * 4) as u64);
        let (size, opc) = match opc {
            0 => (2, 1),
            1 => (3, 1),
            2 => (2, 2),
            _ => return, // PRFM (literal): a hint
        };
        let a = self.c64(addr);
        self.ldst_at(size, opc, rt, a);
    }
    fn ldr_lit_fp(&mut self, opc: u32, imm19: u32, rt: u32) {
        if opc == 3 {
            return self.undefined();
        }
        let addr = self.pc.wrapping_add((sext(imm19, 19) * 4) as u64);
        let a = self.c64(addr);
        self.ldst_fp_at(2 + opc, true, rt, a);
    }

    fn stnp(&mut self, opc: u32, imm7: u32, rt2: u32, rn: u32, rt: u32) {
        self.pair_int(opc, 2, false, imm7, rt2, rn, rt, true);
    }
    fn ldnp(&mut self, opc: u32, imm7: u32, rt2: u32, rn: u32, rt: u32) {
        self.pair_int(opc, 2, true, imm7, rt2, rn, rt, true);
    }
    fn stnp_fp(&mut self, opc: u32, imm7: u32, rt2: u32, rn: u32, rt: u32) {
        self.pair_fp(opc, 2, false, imm7, rt2, rn, rt);
    }
    fn ldnp_fp(&mut self, opc: u32, imm7: u32, rt2: u32, rn: u32, rt: u32) {
        self.pair_fp(opc, 2, true, imm7, rt2, rn, rt);
    }
    fn stp(&mut self, opc: u32, idx: u32, imm7: u32, rt2: u32, rn: u32, rt: u32) {
        self.pair_int(opc, idx, false, imm7, rt2, rn, rt, false);
    }
    fn ldp(&mut self, opc: u32, idx: u32, imm7: u32, rt2: u32, rn: u32, rt: u32) {
        self.pair_int(opc, idx, true, imm7, rt2, rn, rt, false);
    }
    fn stp_fp(&mut self, opc: u32, idx: u32, imm7: u32, rt2: u32, rn: u32, rt: u32) {
        self.pair_fp(opc, idx, false, imm7, rt2, rn, rt);
    }
    fn ldp_fp(&mut self, opc: u32, idx: u32, imm7: u32, rt2: u32, rn: u32, rt: u32) {
        self.pair_fp(opc, idx, true, imm7, rt2, rn, rt);
    }

    fn ldur_stur(&mut self, size: u32, opc: u32, imm9: u32, rn: u32, rt: u32) {
        if size == 3 && opc == 2 {
            return; // PRFUM: a hint
        }
        self.ldst(size, opc, rt, rn, Offset::Imm(sext(imm9, 9)), Index::Offset);
    }
    fn ldur_stur_fp(&mut self, size: u32, opc: u32, imm9: u32, rn: u32, rt: u32) {
        self.ldst_fp(size, opc, rt, rn, Offset::Imm(sext(imm9, 9)), Index::Offset);
    }
    fn ldr_str_post(&mut self, size: u32, opc: u32, imm9: u32, rn: u32, rt: u32) {
        self.ldst(size, opc, rt, rn, Offset::Imm(sext(imm9, 9)), Index::Post);
    }
    fn ldr_str_post_fp(&mut self, size: u32, opc: u32, imm9: u32, rn: u32, rt: u32) {
        self.ldst_fp(size, opc, rt, rn, Offset::Imm(sext(imm9, 9)), Index::Post);
    }
    fn ldtr_sttr(&mut self, size: u32, opc: u32, imm9: u32, rn: u32, rt: u32) {
        // Unprivileged accesses from EL0 are ordinary accesses; there is no PRFM form here.
        self.ldst(size, opc, rt, rn, Offset::Imm(sext(imm9, 9)), Index::Offset);
    }
    fn ldr_str_pre(&mut self, size: u32, opc: u32, imm9: u32, rn: u32, rt: u32) {
        self.ldst(size, opc, rt, rn, Offset::Imm(sext(imm9, 9)), Index::Pre);
    }
    fn ldr_str_pre_fp(&mut self, size: u32, opc: u32, imm9: u32, rn: u32, rt: u32) {
        self.ldst_fp(size, opc, rt, rn, Offset::Imm(sext(imm9, 9)), Index::Pre);
    }

    fn ldapr(&mut self, size: u32, rn: u32, rt: u32) {
        self.ldst(size, 1, rt, rn, Offset::Imm(0), Index::Offset);
    }
    fn swp(&mut self, size: u32, _a: u32, _r: u32, rs: u32, rn: u32, rt: u32) {
        self.atomic_rmw(AtomicOp::Swap, size, rs, rn, rt);
    }
    fn ldadd(&mut self, size: u32, _a: u32, _r: u32, rs: u32, rn: u32, rt: u32) {
        self.atomic_rmw(AtomicOp::Add, size, rs, rn, rt);
    }
    fn ldclr(&mut self, size: u32, _a: u32, _r: u32, rs: u32, rn: u32, rt: u32) {
        self.atomic_rmw(AtomicOp::Clr, size, rs, rn, rt);
    }
    fn ldeor(&mut self, size: u32, _a: u32, _r: u32, rs: u32, rn: u32, rt: u32) {
        self.atomic_rmw(AtomicOp::Eor, size, rs, rn, rt);
    }
    fn ldset(&mut self, size: u32, _a: u32, _r: u32, rs: u32, rn: u32, rt: u32) {
        self.atomic_rmw(AtomicOp::Set, size, rs, rn, rt);
    }
    fn ldsmax(&mut self, size: u32, _a: u32, _r: u32, rs: u32, rn: u32, rt: u32) {
        self.atomic_rmw(AtomicOp::Smax, size, rs, rn, rt);
    }
    fn ldsmin(&mut self, size: u32, _a: u32, _r: u32, rs: u32, rn: u32, rt: u32) {
        self.atomic_rmw(AtomicOp::Smin, size, rs, rn, rt);
    }
    fn ldumax(&mut self, size: u32, _a: u32, _r: u32, rs: u32, rn: u32, rt: u32) {
        self.atomic_rmw(AtomicOp::Umax, size, rs, rn, rt);
    }
    fn ldumin(&mut self, size: u32, _a: u32, _r: u32, rs: u32, rn: u32, rt: u32) {
        self.atomic_rmw(AtomicOp::Umin, size, rs, rn, rt);
    }

    fn ldr_str_reg(&mut self, size: u32, opc: u32, rm: u32, option: u32, s: u32, rn: u32, rt: u32) {
        if option & 2 == 0 {
            return self.undefined();
        }
        if size == 3 && opc == 2 {
            return; // PRFM (register): a hint
        }
        let m = self.xr(Ty::I64, rm);
        let off = self.extend_reg(Ty::I64, m, option, if s == 1 { size } else { 0 });
        self.ldst(size, opc, rt, rn, Offset::Reg(off), Index::Offset);
    }
    fn ldr_str_reg_fp(&mut self, size: u32, opc: u32, rm: u32, option: u32, s: u32, rn: u32, rt: u32) {
        if option & 2 == 0 {
            return self.undefined();
        }
        let scale = (opc >> 1) << 2 | size;
        let m = self.xr(Ty::I64, rm);
        let off = self.extend_reg(Ty::I64, m, option, if s == 1 { scale.min(4) } else { 0 });
        self.ldst_fp(size, opc, rt, rn, Offset::Reg(off), Index::Offset);
    }
    fn ldr_str_uimm(&mut self, size: u32, opc: u32, imm12: u32, rn: u32, rt: u32) {
        if size == 3 && opc == 2 {
            return; // PRFM (immediate): a hint
        }
        self.ldst(size, opc, rt, rn, Offset::Imm((imm12 as i64) << size), Index::Offset);
    }
    fn ldr_str_uimm_fp(&mut self, size: u32, opc: u32, imm12: u32, rn: u32, rt: u32) {
        let scale = (opc >> 1) << 2 | size;
        self.ldst_fp(size, opc, rt, rn, Offset::Imm((imm12 as i64) << scale.min(4)), Index::Offset);
    }
}
