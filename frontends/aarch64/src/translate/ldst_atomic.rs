//! Exclusive, ordered and atomic accesses (Arm ARM C4.1.88: load/store exclusive, load-acquire
//! / store-release, compare and swap, LSE atomic memory operations).
//!
//! The exclusive monitor is modelled the way the JIT will run it (DESIGN §3): a load-exclusive
//! records the address and the value it read in `CpuState::excl_*`; a store-exclusive succeeds
//! iff its address matches the recorded one and a compare-and-swap from the recorded value to
//! the new one succeeds. An ABA change between the two is invisible, which is the accepted
//! trade-off of every CAS-based LL/SC emulation (the guest can only observe it as a success a
//! real monitor might have failed, never as a wrong value).

use super::Translator;
use emu_core::cpu::off;
use emu_core::ir::{AtomicOp, Cmp, Op, Ty, Val};

impl Translator {
    fn clear_monitor(&mut self) {
        let m = self.c64(u64::MAX);
        self.b.set(off::EXCL_ADDR, m);
    }

    /// Writes the store-exclusive status (0 success, 1 failure) of `ok` (I1) to Ws.
    fn exclusive_status(&mut self, rs: u32, ok: Val) {
        let zero = self.c32(0);
        let one = self.c32(1);
        let st = self.b.select(Ty::I32, ok, zero, one);
        self.set_xr(rs, st);
        self.clear_monitor();
    }

    /// Whether the monitor holds `addr` (I1).
    fn monitor_holds(&mut self, addr: Val) -> Val {
        let ea = self.b.get(Ty::I64, off::EXCL_ADDR);
        self.b.icmp(Cmp::Eq, ea, addr)
    }

    /// LDXR/LDAXR (acquire is free on x86).
    pub(super) fn load_exclusive(&mut self, size: u32, rn: u32, rt: u32) {
        let addr = self.xr_sp(Ty::I64, rn);
        let ty = Self::ity((size == 3) as u32);
        let v = self.b.load(ty, addr, 1 << size, false);
        self.b.set(off::EXCL_ADDR, addr);
        let w = self.widen(v);
        self.b.set(off::EXCL_VAL, w);
        self.set_xr(rt, v);
    }

    /// STXR/STLXR. When the monitor does not hold the address the CAS still runs, but with the
    /// recorded value as the new value, so memory cannot change; the status is then 1 anyway.
    pub(super) fn store_exclusive(&mut self, size: u32, rs: u32, rn: u32, rt: u32) {
        let addr = self.xr_sp(Ty::I64, rn);
        let ty = Self::ity((size == 3) as u32);
        let ok = self.monitor_holds(addr);
        let expected = self.b.get(ty, off::EXCL_VAL);
        let v = self.xr(ty, rt);
        let new = self.b.select(ty, ok, v, expected);
        let old = self.op(ty, Op::Cas { addr, expected, new, size: 1 << size });
        let same = self.b.icmp(Cmp::Eq, old, expected);
        let done = self.b.and(Ty::I1, ok, same);
        self.exclusive_status(rs, done);
    }

    /// LDXP/LDAXP: `sz` 0 is a pair of words (one 8-byte access), 1 a pair of doublewords (one
    /// 16-byte access).
    pub(super) fn load_exclusive_pair(&mut self, sz: u32, rt2: u32, rn: u32, rt: u32) {
        let addr = self.xr_sp(Ty::I64, rn);
        self.b.set(off::EXCL_ADDR, addr);
        if sz == 0 {
            let v = self.b.load(Ty::I64, addr, 8, false);
            self.b.set(off::EXCL_VAL, v);
            let lo = self.b.trunc(Ty::I32, v);
            let hi = self.op(Ty::I64, Op::Extract { a: v, lsb: 32, width: 32 });
            self.set_xr(rt, lo);
            self.set_xr(rt2, hi);
        } else {
            let v = self.b.load(Ty::V128, addr, 16, false);
            let (lo, hi) = self.split_v128(v);
            self.b.set(off::EXCL_VAL, lo);
            self.b.set(off::EXCL_VAL_HI, hi);
            self.set_xr(rt, lo);
            self.set_xr(rt2, hi);
        }
    }

    /// STXP/STLXP.
    pub(super) fn store_exclusive_pair(&mut self, sz: u32, rs: u32, rt2: u32, rn: u32, rt: u32) {
        let addr = self.xr_sp(Ty::I64, rn);
        let ok = self.monitor_holds(addr);
        let done = if sz == 0 {
            let expected = self.b.get(Ty::I64, off::EXCL_VAL);
            let v = self.pair_words(rt, rt2);
            let new = self.b.select(Ty::I64, ok, v, expected);
            let old = self.op(Ty::I64, Op::Cas { addr, expected, new, size: 8 });
            self.b.icmp(Cmp::Eq, old, expected)
        } else {
            let elo = self.b.get(Ty::I64, off::EXCL_VAL);
            let ehi = self.b.get(Ty::I64, off::EXCL_VAL_HI);
            let expected = self.join_v128(elo, ehi);
            let (lo, hi) = (self.xr(Ty::I64, rt), self.xr(Ty::I64, rt2));
            let v = self.join_v128(lo, hi);
            let new = self.b.select(Ty::V128, ok, v, expected);
            let old = self.op(Ty::V128, Op::Cas { addr, expected, new, size: 16 });
            let (olo, ohi) = self.split_v128(old);
            let a = self.b.icmp(Cmp::Eq, olo, elo);
            let b = self.b.icmp(Cmp::Eq, ohi, ehi);
            self.b.and(Ty::I1, a, b)
        };
        let done = self.b.and(Ty::I1, ok, done);
        self.exclusive_status(rs, done);
    }

    /// STLR: an atomic exchange whose result is dropped. On x86 that is `xchg`, which also keeps
    /// a later LDAR from passing it (the RCsc order A64 requires and plain TSO stores lack).
    pub(super) fn store_release(&mut self, size: u32, rn: u32, rt: u32) {
        let addr = self.xr_sp(Ty::I64, rn);
        let ty = Self::ity((size == 3) as u32);
        let v = self.xr(ty, rt);
        self.op(ty, Op::AtomicRmw { op: AtomicOp::Swap, addr, v, size: 1 << size });
    }

    /// CAS/CASA/CASL/CASAL: Rs receives the old memory value.
    pub(super) fn compare_swap(&mut self, size: u32, rs: u32, rn: u32, rt: u32) {
        let addr = self.xr_sp(Ty::I64, rn);
        let ty = Self::ity((size == 3) as u32);
        let expected = self.xr(ty, rs);
        let new = self.xr(ty, rt);
        let old = self.op(ty, Op::Cas { addr, expected, new, size: 1 << size });
        self.set_xr(rs, old);
    }

    /// CASP and its ordering variants: Rs, Rs+1 are compared and receive the old value; Rt, Rt+1
    /// are stored. Odd register numbers are unallocated.
    pub(super) fn compare_swap_pair(&mut self, sz: u32, rs: u32, rn: u32, rt: u32) {
        if rs & 1 != 0 || rt & 1 != 0 {
            return self.undefined();
        }
        let addr = self.xr_sp(Ty::I64, rn);
        if sz == 0 {
            let expected = self.pair_words(rs, rs + 1);
            let new = self.pair_words(rt, rt + 1);
            let old = self.op(Ty::I64, Op::Cas { addr, expected, new, size: 8 });
            let lo = self.b.trunc(Ty::I32, old);
            let hi = self.op(Ty::I64, Op::Extract { a: old, lsb: 32, width: 32 });
            self.set_xr(rs, lo);
            self.set_xr(rs + 1, hi);
        } else {
            let (a, b) = (self.xr(Ty::I64, rs), self.xr(Ty::I64, rs + 1));
            let expected = self.join_v128(a, b);
            let (c, d) = (self.xr(Ty::I64, rt), self.xr(Ty::I64, rt + 1));
            let new = self.join_v128(c, d);
            let old = self.op(Ty::V128, Op::Cas { addr, expected, new, size: 16 });
            let (lo, hi) = self.split_v128(old);
            self.set_xr(rs, lo);
            self.set_xr(rs + 1, hi);
        }
    }

    /// LDADD, LDCLR, LDEOR, LDSET, LD{S,U}{MAX,MIN}, SWP (all ordering variants): Rt receives
    /// the old memory value (the ST* aliases have Rt = XZR).
    pub(super) fn atomic_rmw(&mut self, op: AtomicOp, size: u32, rs: u32, rn: u32, rt: u32) {
        let addr = self.xr_sp(Ty::I64, rn);
        let ty = Self::ity((size == 3) as u32);
        let v = self.xr(ty, rs);
        let old = self.op(ty, Op::AtomicRmw { op, addr, v, size: 1 << size });
        self.set_xr(rt, old);
    }

    /// Wt (low) and Wt2 (high) packed into one I64, the memory image of a word pair.
    fn pair_words(&mut self, rt: u32, rt2: u32) -> Val {
        let lo = self.xr(Ty::I32, rt);
        let lo = self.b.zext(Ty::I64, lo);
        let hi = self.xr(Ty::I64, rt2);
        self.op(Ty::I64, Op::Deposit { a: lo, b: hi, lsb: 32, width: 32 })
    }

    /// A V128 from two I64 halves (lo at the lower address).
    fn join_v128(&mut self, lo: Val, hi: Val) -> Val {
        let v = self.op(Ty::V128, Op::Bitcast { a: lo });
        self.op(Ty::V128, Op::VInsert { a: v, b: hi, es: 64, idx: 1 })
    }

    /// The two I64 halves of a V128.
    fn split_v128(&mut self, v: Val) -> (Val, Val) {
        let lo = self.op(Ty::I64, Op::Bitcast { a: v });
        let hi = self.op(Ty::I64, Op::VExtract { a: v, es: 64, idx: 1 });
        (lo, hi)
    }
}
