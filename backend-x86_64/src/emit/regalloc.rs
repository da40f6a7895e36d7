//! Per-block register allocation for IR values, and the folds decided before emission.
//!
//! Each IR value lives in a host register, in its frame slot `[rsp + 16*v]`, in its *home* (the
//! guest-register state word it was read from or written to, while that word is unchanged), or
//! several of these. Values are assigned a register when defined (if they have a later use),
//! and their register is freed at their last use. When no register is free the value whose
//! next use is furthest away is evicted: to nothing if it has a home or a slot copy, else to
//! its slot. A fallback call needs its operands in slots and clobbers the caller-saved
//! registers, so [`Ctx::prepare_call`] writes operands back and moves every live value out of
//! caller-saved registers first.
//!
//! Folds (see [`AddrFold`], [`Ctx::folded`], [`Ctx::fused_branch`]): address arithmetic into
//! load/store address modes, a W-register zero-extend or a scalar-to-vector bitcast into the
//! `Set` that stores it, a branch condition into the block's `cmp; jcc`.
//!
//! `rax`, `rcx` and `rdx` are scratch for the emitters; `rbp` holds the guest state and `rsp`
//! the frame. A self-loop may take registers out of the allocatable set for cached guest
//! registers ([`Ctx::set_cached`], emit/looping.rs).
//!
//! V128 values live in `xmm8..xmm15` (the vector and FP emitters use `xmm0..xmm7` as scratch),
//! in their slot, or both, by the same rules: a register from definition to last use, eviction
//! by furthest next use to the slot. [`Ctx::vld`] and [`Ctx::vdef`] move them between the
//! scratch registers the emitters compute in and their allocated registers; [`Ctx::slot_of`]
//! writes one to its slot for emitters that address it in memory. Every xmm register is
//! caller-saved, so a fallback call sends live V128 values to their slots and a slow-path call
//! ([`Ctx::call_preserving`]) saves and restores them.

use super::{slot, Asm};
use dynasmrt::{dynasm, DynasmApi};
use emu_core::ir::{Block, Op, Term, Ty, Val};

/// Registers the allocator hands out (x86 encodings), callee-saved first so values survive
/// fallback calls when possible. r12-r15 hold pinned guest registers (see [`super::pin`]).
const ALLOCATABLE: [u8; 7] = [3, 6, 7, 8, 9, 10, 11];

/// xmm registers the allocator hands out to V128 values.
const XALLOCATABLE: [u8; 8] = [8, 9, 10, 11, 12, 13, 14, 15];

fn callee_saved(r: u8) -> bool {
    r == 3
}

/// Where a value is, for emitters that use it in place.
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub enum Loc {
    Reg(u8),
    Imm(u64),
    /// In memory at `[base + off]`: its frame slot (base `rsp`, 4) or a guest-register state
    /// word holding the same value (base `rbp`, 5; read at the value's own width).
    Mem(u8, i32),
}

/// Scratch registers emitters may name.
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub enum Scratch {
    Rax = 0,
    Rcx = 1,
    Rdx = 2,
}

#[derive(Clone, Copy, Default)]
struct ValState {
    reg: Option<u8>,
    /// The xmm register holding a V128 value.
    xreg: Option<u8>,
    in_slot: bool,
    /// The slot's high 8 bytes are not known to be zero (an eviction wrote only the value).
    hi_dirty: bool,
    /// An integer constant: never holds a register, rematerialised at each use.
    konst: Option<u64>,
    /// State offset of a guest-register word that holds the value (see `Ctx::homes`).
    home: Option<u32>,
}

/// A memory address computed inside the load or store that uses it:
/// `base + index << shift + disp`. Set on the `Add` (and `Shl`) values folded into it, whose own
/// instructions then emit nothing.
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub struct AddrFold {
    pub base: Val,
    pub index: Option<(Val, u8)>,
    pub disp: i32,
}

/// Emission context for one block: the assembler, the block and the allocation state.
pub struct Ctx<'a> {
    pub a: Asm,
    pub b: &'a Block,
    vals: Vec<ValState>,
    last_use: Vec<usize>,
    /// Instruction indices of every use, grouped by value (`use_start[v]..use_start[v + 1]`).
    use_at: Vec<u32>,
    use_start: Vec<u32>,
    /// Values that also sit in a guest register's state word (`[rbp + off]`): read there by a
    /// `Get` or written there by a `Set`, and not overwritten since. Evicting them is free.
    homes: Vec<(u32, u32, u32)>,
    /// Per value: the address mode it was folded into (see [`AddrFold`]), `None` if emitted.
    pub addr_fold: Vec<Option<AddrFold>>,
    /// Per value: whether its instruction emits nothing (folded into its only user).
    pub folded: Vec<bool>,
    /// Per value: an `Add.i64(base, z << s)` computed by one `lea` (see [`scaled_adds`]).
    pub scaled: Vec<Option<(Val, Val, u8)>>,
    /// Per value: a `Sext.i64` of a `Get.i32` of this state offset, read by one `movsxd`.
    pub sext_get: Vec<Option<u32>>,
    /// Per value: the value its uses read instead (see [`low_half_aliases`]).
    alias: Vec<Option<Val>>,
    /// Per value: a 64-bit `Get` (or a 32-bit one read only at 32 bits) whose state word no
    /// `Set` overwrites before the value's last use, so a pinned (or cached) register it reads
    /// can stand in for it.
    unclobbered: Vec<bool>,
    /// The `Icmp` or `CondHolds` the block's `Branch` tests, compared at the branch itself
    /// (`cmp; jcc`) instead of being materialised as a 0/1 value.
    pub fused_branch: Option<Val>,
    /// Value held by each host register (indexed by encoding).
    holder: [Option<u32>; 16],
    /// Value held by each xmm register.
    xholder: [Option<u32>; 16],
    /// Index of the instruction being emitted.
    pub cur: usize,
    /// A pinned register (state offset, host register) written back before a state access
    /// that only partly overlaps it, to be reloaded once that access is emitted.
    pub pending_pin_reload: Option<(u32, u8)>,
    /// Whose pinning the entry trampoline uses (the engine's guest, not the block's `arch`).
    pub pin_arch: emu_core::Arch,
    /// Guest registers this block keeps in host registers for its whole run (a self-loop's
    /// loop-carried registers, see emit/looping.rs): (state offset, host register). They are
    /// taken out of [`Ctx::alloc`] and treated like the pinned registers.
    pub cached: Vec<(u32, u8)>,
    /// Registers the allocator may hand out in this block.
    alloc: Vec<u8>,
    /// Whether any code calls out (a fallback or a slow path), clobbering caller-saved registers.
    pub calls: bool,
    /// The block's side exits (`ExitIf`): the label its `jcc` goes to and the guest target.
    /// Their stubs are emitted after the terminator ([`super::term::side_exits`]).
    pub side_exits: Vec<(dynasmrt::DynamicLabel, u64)>,
}

impl<'a> Ctx<'a> {
    pub fn new(a: Asm, b: &'a Block, pin_arch: emu_core::Arch) -> Ctx<'a> {
        let n = b.insts.len();
        // Every use of every value, as (value, instruction index); the terminator is index n.
        let mut at: Vec<(u32, u32)> = Vec::with_capacity(2 * n);
        for (i, inst) in b.insts.iter().enumerate() {
            inst.op.for_each_arg(|v| at.push((v.0, i as u32)));
            // A `CondHolds` fused with its NZCV producer re-reads the producer's operands.
            if let Op::CondHolds { nzcv, .. } = inst.op {
                b.insts[nzcv.0 as usize].op.for_each_arg(|v| at.push((v.0, i as u32)));
            }
        }
        let mut uses = vec![0u32; n];
        for &(v, _) in &at {
            uses[v as usize] += 1;
        }
        match &b.term {
            Term::Branch { cond: v, .. } | Term::Indirect { target: v, .. } => {
                at.push((v.0, n as u32));
                uses[v.0 as usize] += 1;
            }
            _ => {}
        }
        let (addr_fold, mut folded) = fold_addresses(b, &uses, &mut at);
        // `Set(off, Zext.i64(x.i32))` with no other use of the zext: registers hold I32 values
        // zero-extended already, so the store takes `x` as it is.
        for (i, inst) in b.insts.iter().enumerate() {
            if let Op::Set { off, v } = inst.op {
                let plain = super::pin::overlaps_partially(pin_arch, off, 8).is_none();
                if let Some(x) = zext_of_i32(b, v).filter(|_| uses[v.0 as usize] == 1 && plain) {
                    folded[v.0 as usize] = true;
                    at.push((x.0, i as u32));
                }
                // `Set(off, Bitcast.v128(x))` of a scalar `x` (AArch64 scalar FP results): the
                // Set stores `x` and a zero upper half itself.
                if let Op::Bitcast { a: x } = b.insts[v.0 as usize].op {
                    let scalar = matches!(b.ty(x), Ty::I32 | Ty::I64 | Ty::F32 | Ty::F64);
                    if b.ty(v) == Ty::V128 && scalar && uses[v.0 as usize] == 1 {
                        folded[v.0 as usize] = true;
                        at.push((x.0, i as u32));
                    }
                }
            }
        }
        let scaled = scaled_adds(b, &uses, &mut folded, &mut at);
        let sext_get = sext_gets(b, &uses, &mut folded, pin_arch);
        let low_only = low_only_values(b);
        let alias = low_half_aliases(b, &low_only, &mut folded, &mut at);
        let fused_branch = match &b.term {
            Term::Branch { cond, .. } if uses[cond.0 as usize] == 1 && branch_fusable(b, *cond) => {
                compared_operands_live_until(b, *cond, n, &mut at);
                Some(*cond)
            }
            _ => None,
        };
        // Likewise a side exit's condition, compared at the `ExitIf` itself.
        for (i, inst) in b.insts.iter().enumerate() {
            if let Op::ExitIf { cond, .. } = inst.op {
                let k = cond.0 as usize;
                if uses[k] == 1 && !folded[k] && branch_fusable(b, cond) {
                    folded[k] = true;
                    compared_operands_live_until(b, cond, i, &mut at);
                }
            }
        }
        at.sort_unstable();
        at.dedup();
        let mut last_use = vec![0usize; n];
        let mut use_start = vec![0u32; n + 1];
        for &(v, i) in &at {
            last_use[v as usize] = i as usize;
            use_start[v as usize + 1] += 1;
        }
        for v in 0..n {
            use_start[v + 1] += use_start[v];
        }
        let unclobbered = unclobbered_gets(b, &last_use, &low_only);
        Ctx {
            a,
            b,
            vals: vec![ValState::default(); n],
            last_use,
            use_at: at.into_iter().map(|(_, i)| i).collect(),
            use_start,
            homes: Vec::new(),
            addr_fold,
            folded,
            scaled,
            sext_get,
            alias,
            unclobbered,
            fused_branch,
            holder: [None; 16],
            xholder: [None; 16],
            cur: 0,
            pending_pin_reload: None,
            pin_arch,
            cached: Vec::new(),
            alloc: if rdx_free(b) { [&ALLOCATABLE[..], &[2]].concat() } else { ALLOCATABLE.to_vec() },
            calls: false,
            side_exits: Vec::new(),
        }
    }

    /// Keep guest registers `cached` (state offset, host register) in host registers for the
    /// whole block; must be called before anything is emitted.
    pub fn set_cached(&mut self, cached: Vec<(u32, u8)>) {
        self.alloc.retain(|r| !cached.iter().any(|c| c.1 == *r));
        self.cached = cached;
    }

    /// The host register holding the guest register at state offset `off`: pinned across
    /// blocks, or cached in this one.
    pub fn host_for(&self, off: u32) -> Option<u8> {
        super::pin::host_for(self.pin_arch, off)
            .or_else(|| self.cached.iter().find(|c| c.0 == off).map(|c| c.1))
    }

    /// A pinned or cached register that `[off, off + len)` overlaps without being exactly it.
    pub fn overlaps_partially(&self, off: u32, len: u32) -> Option<(u32, u8)> {
        super::pin::overlaps_partially(self.pin_arch, off, len).or_else(|| {
            self.cached
                .iter()
                .copied()
                .find(|&(o, _)| off < o + 8 && o < off + len && !(off == o && len == 8))
        })
    }

    /// The next instruction after the current one that uses `v` (n: the terminator).
    fn next_use(&self, v: u32) -> usize {
        let (lo, hi) = (self.use_start[v as usize] as usize, self.use_start[v as usize + 1] as usize);
        let list = &self.use_at[lo..hi];
        let k = list.partition_point(|&i| i as usize <= self.cur);
        list.get(k).map_or(usize::MAX, |&i| i as usize)
    }

    fn ty(&self, v: Val) -> Ty {
        self.b.ty(v)
    }

    /// The value whose location `v`'s uses read: `v` itself, or the wide value it is the low
    /// half of.
    fn r(&self, v: Val) -> Val {
        self.alias[v.0 as usize].unwrap_or(v)
    }

    /// Load value `v` into scratch register `s` (all 64 bits; narrow values are zero-extended).
    pub fn ld(&mut self, s: Scratch, v: Val) {
        let v = self.r(v);
        let d = s as u8;
        let st = self.vals[v.0 as usize];
        match (st.konst, st.reg) {
            (Some(k), _) => load_imm(&mut self.a, d, k),
            (None, Some(r)) => dynasm!(self.a ; .arch x64 ; mov Rq(d), Rq(r)),
            (None, None) if st.xreg.is_some() => {
                let x = st.xreg.unwrap();
                dynasm!(self.a ; .arch x64 ; movq Rq(d), Rx(x));
            }
            (None, None) => match self.loc(v) {
                Loc::Mem(5, o) if self.ty(v).bits() <= 32 => {
                    dynasm!(self.a ; .arch x64 ; mov Rd(d), DWORD [rbp + o])
                }
                Loc::Mem(b, o) => dynasm!(self.a ; .arch x64 ; mov Rq(d), QWORD [Rq(b) + o]),
                _ => unreachable!("no register and no constant"),
            },
        }
    }

    /// The current instruction is the integer constant `k` (already masked to its type): no
    /// code now, the value is rematerialised where it is used.
    pub fn def_const(&mut self, k: u64) {
        self.free_dying();
        self.vals[self.cur] = ValState { konst: Some(k), ..ValState::default() };
    }

    /// Whether the current instruction is `v`'s last use.
    pub fn dies_here(&self, v: Val) -> bool {
        let v = self.r(v);
        self.last_use[v.0 as usize] <= self.cur
    }

    /// Whether `v` dies here in an allocated register the result may take over (not a
    /// pinned register a `Get` left it in).
    pub fn reusable(&self, v: Val) -> bool {
        let v = self.r(v);
        self.dies_here(v) && self.vals[v.0 as usize].reg.is_some_and(|r| self.alloc.contains(&r))
    }

    /// Where `v` is now.
    pub fn loc(&self, v: Val) -> Loc {
        let v = self.r(v);
        let st = self.vals[v.0 as usize];
        debug_assert!(st.xreg.is_none() || st.in_slot, "loc of a V128 value only in an xmm register");
        match (st.konst, st.reg) {
            (Some(k), _) => Loc::Imm(k),
            (None, Some(r)) => Loc::Reg(r),
            (None, None) => match st.home {
                Some(o) if !st.in_slot => Loc::Mem(5, o as i32),
                _ => Loc::Mem(4, slot(v)),
            },
        }
    }

    /// Allocate the register the current instruction's value will be computed in, after
    /// freeing the operands that die here; `prefer`'s register is reused when it dies (so
    /// `mov dst, prefer` disappears). A value nobody uses is computed in `rax` and dropped.
    pub fn def_in(&mut self, prefer: Val) -> u8 {
        let i = self.cur;
        let p = self.r(prefer).0 as usize;
        let reuse = self.vals[p].reg.filter(|_| self.last_use[p] <= i);
        self.free_dying();
        if self.last_use[i] <= i {
            self.vals[i] = ValState::default();
            return Scratch::Rax as u8;
        }
        if let Some(p) = self.set_target() {
            self.vals[i] = ValState { reg: Some(p), ..ValState::default() };
            return p;
        }
        let r = match reuse {
            // (Not a pinned register that a `Get` left in place, see [`Ctx::def_pinned`].)
            Some(r) if self.holder[r as usize].is_none() && self.alloc.contains(&r) => r,
            _ => self.take_reg(),
        };
        self.holder[r as usize] = Some(i as u32);
        self.vals[i] = ValState { reg: Some(r), ..ValState::default() };
        r
    }

    /// The pinned (or cached) host register the current instruction's value may be computed in
    /// directly: the value's only use is the very next instruction, a 64-bit `Set` of that
    /// register (RISC-V `sext.w a0, a2`, a load into a pinned register), and no live value is
    /// being read from the register in place. The `Set` then moves nothing.
    fn set_target(&self) -> Option<u8> {
        let i = self.cur;
        let next = self.b.insts.get(i + 1)?;
        let Op::Set { off, v } = next.op else { return None };
        if v.0 as usize != i || self.last_use[i] != i + 1 || self.b.ty(v) != Ty::I64 {
            return None;
        }
        let p = self.host_for(off)?;
        // A value read from `p` in place and still live would be overwritten; none can be,
        // since such a read requires that no `Set` of the register precede its last use.
        debug_assert!(!self.vals[..i]
            .iter()
            .enumerate()
            .any(|(k, st)| st.reg == Some(p) && self.last_use[k] > i));
        Some(p)
    }

    /// If the current instruction is a `Get` (see `unclobbered`) of the guest register pinned (or cached) in
    /// host register `p`, and nothing writes that register before the value's last use, let
    /// `p` itself hold the value: no code, and its users read `p`. Returns whether it did.
    pub fn def_pinned(&mut self, p: u8) -> bool {
        if !self.unclobbered[self.cur] {
            return false;
        }
        self.free_dying();
        self.vals[self.cur] = ValState { reg: Some(p), ..ValState::default() };
        true
    }

    /// The constant value of `v`, if it is one.
    pub fn konst(&self, v: Val) -> Option<u64> {
        let v = self.r(v);
        self.vals[v.0 as usize].konst
    }

    /// Make sure `v` is in its slot (all 16 bytes valid) and return the slot offset.
    pub fn slot_of(&mut self, v: Val) -> i32 {
        let v = self.r(v);
        if self.ty(v) != Ty::V128 {
            self.spill_to_slot(v);
        } else {
            let st = self.vals[v.0 as usize];
            if !st.in_slot {
                let x = st.xreg.expect("a V128 value is in its slot or an xmm register");
                let s = slot(v);
                dynasm!(self.a ; .arch x64 ; movdqu [rsp + s], Rx(x));
                self.vals[v.0 as usize].in_slot = true;
            }
        }
        slot(v)
    }

    /// The xmm register holding V128 value `v`, if it has one.
    pub fn vreg(&self, v: Val) -> Option<u8> {
        self.vals[v.0 as usize].xreg
    }

    /// Copy V128 value `v` into scratch register `xmm{x}` (x < 8).
    pub fn vld(&mut self, x: u8, v: Val) {
        match self.vals[v.0 as usize].xreg {
            Some(r) => dynasm!(self.a ; .arch x64 ; movdqa Rx(x), Rx(r)),
            None => {
                let s = self.slot_of(v);
                dynasm!(self.a ; .arch x64 ; movdqu Rx(x), [rsp + s]);
            }
        }
    }

    /// Write V128 value `v` to its slot without recording it, for an out-of-line path whose
    /// call reads the slot (the main path still has it only in its register).
    pub fn vstore_unrecorded(&mut self, v: Val) {
        let st = self.vals[v.0 as usize];
        if let (false, Some(x)) = (st.in_slot, st.xreg) {
            let s = slot(v);
            dynasm!(self.a ; .arch x64 ; movdqu [rsp + s], Rx(x));
        }
    }

    /// Define the current instruction's V128 value from scratch register `xmm{x}`.
    pub fn vdef(&mut self, x: u8) {
        let r = self.vdef_reg();
        if r != x && self.last_use[self.cur] > self.cur {
            dynasm!(self.a ; .arch x64 ; movdqa Rx(r), Rx(x));
        }
    }

    /// Allocate the xmm register the current instruction's V128 value is computed in, after
    /// freeing the operands that die here. A value nobody uses gets `xmm0` and is dropped.
    pub fn vdef_reg(&mut self) -> u8 {
        let i = self.cur;
        self.free_dying();
        if self.last_use[i] <= i {
            self.vals[i] = ValState::default();
            return 0;
        }
        let r = self.take_xreg();
        self.xholder[r as usize] = Some(i as u32);
        self.vals[i] = ValState { xreg: Some(r), ..ValState::default() };
        r
    }

    fn take_xreg(&mut self) -> u8 {
        if let Some(&r) = XALLOCATABLE.iter().find(|&&r| self.xholder[r as usize].is_none()) {
            return r;
        }
        let r = self.victim(&XALLOCATABLE, &self.xholder);
        let v = self.xholder[r as usize].take().unwrap();
        self.slot_of(Val(v));
        self.vals[v as usize].xreg = None;
        r
    }

    /// Write `v` back to its slot if it is only in a register, with the high half zeroed (the
    /// interpreter reads slots as u128 and keeps narrow values zero-extended).
    fn spill_to_slot(&mut self, v: Val) {
        let st = self.vals[v.0 as usize];
        if st.in_slot && st.hi_dirty {
            dynasm!(self.a ; .arch x64 ; mov QWORD [rsp + slot(v) + 8], 0);
            self.vals[v.0 as usize].hi_dirty = false;
        }
        if !st.in_slot {
            if let Some(k) = st.konst {
                // No scratch register may be free here: go through the stack.
                let o = slot(v);
                if k as i64 == k as i32 as i64 {
                    dynasm!(self.a ; .arch x64 ; mov QWORD [rsp + o], k as i32);
                } else {
                    dynasm!(self.a
                        ; .arch x64
                        ; push rax
                        ; mov rax, QWORD k as i64
                        ; mov [rsp + o + 8], rax
                        ; pop rax
                    );
                }
                dynasm!(self.a ; .arch x64 ; mov QWORD [rsp + o + 8], 0);
            } else if let Some(r) = st.reg {
                dynasm!(self.a
                    ; .arch x64
                    ; mov QWORD [rsp + slot(v)], Rq(r)
                    ; mov QWORD [rsp + slot(v) + 8], 0
                );
            } else if let Some(h) = st.home {
                // Memory to memory without a scratch register (none may be free here); `pop`
                // addresses its operand with the already incremented rsp.
                let o = slot(v);
                if self.ty(v).bits() <= 32 {
                    dynasm!(self.a ; .arch x64 ; push rax ; mov eax, [rbp + h as i32] ; mov [rsp + o + 8], rax ; pop rax);
                } else {
                    dynasm!(self.a ; .arch x64 ; push QWORD [rbp + h as i32] ; pop QWORD [rsp + o]);
                }
                dynasm!(self.a ; .arch x64 ; mov QWORD [rsp + o + 8], 0);
            }
            self.vals[v.0 as usize].in_slot = true;
        }
    }

    fn free_dying(&mut self) {
        for r in self.alloc.clone() {
            if let Some(v) = self.holder[r as usize] {
                if self.last_use[v as usize] <= self.cur {
                    self.holder[r as usize] = None;
                    self.vals[v as usize].reg = None;
                }
            }
        }
        for r in XALLOCATABLE {
            if let Some(v) = self.xholder[r as usize] {
                if self.last_use[v as usize] <= self.cur {
                    self.xholder[r as usize] = None;
                    self.vals[v as usize].xreg = None;
                }
            }
        }
    }

    fn take_reg(&mut self) -> u8 {
        if let Some(&r) = self.alloc.iter().find(|&&r| self.holder[r as usize].is_none()) {
            return r;
        }
        let r = self.victim(&self.alloc, &self.holder);
        let v = self.holder[r as usize].take().unwrap();
        self.evict(Val(v));
        r
    }

    /// Of `regs` (all holding values, per `holder`), the one to evict: the value whose next
    /// use is furthest away, counting values that also have a copy in memory (a state word or
    /// their slot: free to evict) as twice as far.
    fn victim(&self, regs: &[u8], holder: &[Option<u32>; 16]) -> u8 {
        regs.iter()
            .map(|&r| {
                let v = holder[r as usize].expect("every register holds a value");
                let far = self.next_use(v).saturating_sub(self.cur);
                let free = self.vals[v as usize].home.is_some() || self.vals[v as usize].in_slot;
                (r, if free { far.saturating_mul(2) } else { far })
            })
            .max_by_key(|&(_, u)| u)
            .expect("allocatable registers")
            .0
    }

    /// Take `v` out of its register, keeping a copy in memory (its state word or its slot).
    /// Only generated code reads that copy, as 64 bits, so the slot's high half is left for
    /// [`Ctx::spill_to_slot`] to clear if the interpreter ever needs the slot.
    fn evict(&mut self, v: Val) {
        let st = self.vals[v.0 as usize];
        match (st.home, st.reg) {
            (None, Some(r)) if !st.in_slot => {
                dynasm!(self.a ; .arch x64 ; mov QWORD [rsp + slot(v)], Rq(r));
                self.vals[v.0 as usize].in_slot = true;
                self.vals[v.0 as usize].hi_dirty = true;
            }
            (None, _) => self.spill_to_slot(v),
            _ => {}
        }
        self.vals[v.0 as usize].reg = None;
    }

    /// The current instruction writes guest state `[off, off + len)`: values whose state word
    /// it overwrites lose that home (copied to their slot first if they are only there).
    pub fn state_written(&mut self, off: u32, len: u32) {
        let mut k = 0;
        while k < self.homes.len() {
            let (o, n, v) = self.homes[k];
            let live = self.last_use[v as usize] >= self.cur;
            if !live || (o < off + len && off < o + n) {
                let st = self.vals[v as usize];
                if live && st.reg.is_none() && !st.in_slot {
                    self.spill_to_slot(Val(v));
                }
                self.vals[v as usize].home = None;
                self.homes.swap_remove(k);
            } else {
                k += 1;
            }
        }
    }

    /// Value `v` (32 or 64 bits) is now also in the guest-register word at `off` (a `Get`
    /// read it from there or a `Set` wrote it there). Only for unpinned integer registers.
    pub fn set_home(&mut self, v: Val, off: u32) {
        if self.alias[v.0 as usize].is_some() {
            return; // the state word holds only the low half of the wide value
        }
        let bytes = self.ty(v).bits() / 8;
        let xs = emu_core::cpu::off::x(0)..emu_core::cpu::off::x(32);
        let st = self.vals[v.0 as usize];
        if st.konst.is_some() || st.home.is_some() || !(4..=8).contains(&bytes) || !xs.contains(&off) {
            return;
        }
        if self.last_use[v.0 as usize] <= self.cur {
            return;
        }
        self.vals[v.0 as usize].home = Some(off);
        self.homes.push((off, bytes, v.0));
    }

    /// Define the current instruction's value from `rax`.
    pub fn def(&mut self) {
        let i = self.cur;
        self.free_dying();
        if self.last_use[i] <= i {
            return; // never used
        }
        if let Some(p) = self.set_target() {
            dynasm!(self.a ; .arch x64 ; mov Rq(p), rax);
            self.vals[i] = ValState { reg: Some(p), ..ValState::default() };
            return;
        }
        let r = self.take_reg();
        dynasm!(self.a ; .arch x64 ; mov Rq(r), rax);
        self.holder[r as usize] = Some(i as u32);
        self.vals[i] = ValState { reg: Some(r), ..ValState::default() };
    }

    /// The current instruction's value was written to its slot by the emitter.
    pub fn def_slot(&mut self) {
        self.free_dying();
        self.vals[self.cur] = ValState { in_slot: true, ..ValState::default() };
    }

    /// The current instruction defines no value (stores, sets, marks).
    pub fn def_none(&mut self) {
        self.free_dying();
    }

    /// Before a helper call for the current instruction: operands into their slots, and no
    /// live value left in a caller-saved register.
    pub fn prepare_call(&mut self) {
        self.calls = true;
        let mut args = Vec::new();
        self.b.insts[self.cur].op.for_each_arg(|v| args.push(v));
        for v in args {
            self.slot_of(v);
        }
        // Every xmm register is caller-saved.
        for r in XALLOCATABLE {
            if let Some(v) = self.xholder[r as usize].take() {
                if self.last_use[v as usize] > self.cur {
                    self.slot_of(Val(v));
                }
                self.vals[v as usize].xreg = None;
            }
        }
        for r in self.alloc.clone() {
            if callee_saved(r) {
                continue;
            }
            if let Some(v) = self.holder[r as usize] {
                if self.last_use[v as usize] > self.cur {
                    self.evict(Val(v));
                }
                self.holder[r as usize] = None;
                self.vals[v as usize].reg = None;
            }
        }
    }

    /// Call `f(cpu, rax, rcx, rdx)` (sysv64: `rdi` = guest state, then the three scratch
    /// registers' values) from the middle of an op's code, for out-of-line slow paths, without
    /// disturbing allocation: every caller-saved allocatable register holding a value (and every
    /// xmm register holding a V128 value) is saved around the call. The result is in `rax`. Slots must not be addressed between the pushes
    /// and pops, which this function keeps to itself.
    pub fn call_preserving(&mut self, f: usize) {
        self.calls = true;
        let saved: Vec<u8> = self
            .alloc
            .iter()
            .copied()
            .filter(|&r| !callee_saved(r) && self.holder[r as usize].is_some())
            .collect();
        let xsaved: Vec<u8> =
            XALLOCATABLE.iter().copied().filter(|&r| self.xholder[r as usize].is_some()).collect();
        for &r in &saved {
            dynasm!(self.a ; .arch x64 ; push Rq(r));
        }
        let pad = saved.len() % 2 == 1;
        let xbytes = 16 * xsaved.len() as i32 + if pad { 8 } else { 0 };
        if xbytes > 0 {
            dynasm!(self.a ; .arch x64 ; sub rsp, xbytes);
        }
        for (k, &r) in xsaved.iter().enumerate() {
            dynasm!(self.a ; .arch x64 ; movdqu [rsp + 16 * k as i32], Rx(r));
        }
        dynasm!(self.a
            ; .arch x64
            ; mov rsi, rax
            ; xchg rcx, rdx
            ; mov rdi, rbp
            ; mov rax, QWORD f as i64
            ; call rax
        );
        for (k, &r) in xsaved.iter().enumerate() {
            dynasm!(self.a ; .arch x64 ; movdqu Rx(r), [rsp + 16 * k as i32]);
        }
        if xbytes > 0 {
            dynasm!(self.a ; .arch x64 ; add rsp, xbytes);
        }
        for &r in saved.iter().rev() {
            dynasm!(self.a ; .arch x64 ; pop Rq(r));
        }
    }
}

/// Whether no emitter for `b` uses `rdx` as scratch, so the allocator may hand it out too:
/// every op is a plain integer, state or scalar memory op whose emitter uses only `rax` and
/// `rcx` (the terminators read their operands before using `rdx`). Blocks of RISC-V integer
/// code mostly qualify; flag producers, selects, division, atomics, FP and vector ops do not.
fn rdx_free(b: &Block) -> bool {
    b.insts.iter().all(|inst| {
        let v128 = inst.ty == Ty::V128;
        match inst.op {
            Op::Mark { .. } | Op::Const { .. } | Op::Get { .. } => !v128,
            // Tests its condition in `al` or compares it like a fused `Icmp`.
            Op::ExitIf { .. } => true,
            Op::Set { v, .. } => b.ty(v) != Ty::V128,
            ref op if plain_alu(op) => !v128 && inst.ty != Ty::I1,
            Op::Zext { .. } | Op::Sext { .. } | Op::Trunc { .. } => !v128 && inst.ty != Ty::I1,
            Op::Icmp { a, .. } => matches!(b.ty(a), Ty::I32 | Ty::I64),
            Op::Load { .. } | Op::Store { .. } => {
                !v128 && !matches!(inst.op, Op::Store { v, .. } if b.ty(v) == Ty::V128)
            }
            _ => false,
        }
    })
}

/// `x` if `v` is `Zext.i64(x)` of an I32 `x`.
pub fn zext_of_i32(b: &Block, v: Val) -> Option<Val> {
    match b.insts[v.0 as usize].op {
        Op::Zext { a } if b.ty(v) == Ty::I64 && b.ty(a) == Ty::I32 => Some(a),
        _ => None,
    }
}

/// Per value: a 64-bit `Get` (or a 32-bit one whose uses read only the low half) with no `Set`
/// overlapping its state word after it and before its last use (see [`Ctx::def_pinned`]).
fn unclobbered_gets(b: &Block, last_use: &[usize], low_only: &[bool]) -> Vec<bool> {
    let n = b.insts.len();
    let mut ok = vec![false; n];
    for (i, inst) in b.insts.iter().enumerate() {
        let Op::Get { off } = inst.op else { continue };
        // A 32-bit read stands in for the register only where nothing reads above bit 31.
        if !(matches!(inst.ty, Ty::I64 | Ty::F64) || (inst.ty == Ty::I32 && low_only[i])) {
            continue;
        }
        let end = last_use[i].clamp(i + 1, n);
        ok[i] = b.insts[i + 1..end].iter().all(|j| match j.op {
            Op::Set { off: o, v } => {
                let len = b.ty(v).bits().max(8) / 8;
                !(o < off + 8 && off < o + len)
            }
            _ => true,
        });
    }
    ok
}

/// The plain integer ALU ops: arithmetic, logic, shifts and rotates, bit-field extracts. Their
/// emitters use only `rax` and `rcx` as scratch, and at I32 read only their operands' low
/// halves.
fn plain_alu(op: &Op) -> bool {
    matches!(
        op,
        Op::Add { .. }
            | Op::Sub { .. }
            | Op::Mul { .. }
            | Op::And { .. }
            | Op::Or { .. }
            | Op::Xor { .. }
            | Op::AndNot { .. }
            | Op::Not { .. }
            | Op::Neg { .. }
            | Op::Shl { .. }
            | Op::Lshr { .. }
            | Op::Ashr { .. }
            | Op::Rotr { .. }
            | Op::Rotl { .. }
            | Op::Extract { .. }
            | Op::SExtract { .. }
    )
}

/// Whether `inst` reads only the low 32 bits of its operand `t` (and its emitter reads no more
/// of the operand's register or memory than that).
fn reads_low_half(inst: &emu_core::ir::Inst, t: Val) -> bool {
    match inst.op {
        ref op if plain_alu(op) => inst.ty == Ty::I32,
        Op::Sext { .. } => inst.ty == Ty::I64,
        Op::Set { .. } => true,
        Op::Store { addr, .. } => addr != t,
        _ => false,
    }
}

/// Per value: whether every use reads only its low 32 bits (see [`reads_low_half`]).
fn low_only_values(b: &Block) -> Vec<bool> {
    let mut low = vec![true; b.insts.len()];
    for inst in &b.insts {
        inst.op.for_each_arg(|v| {
            if !reads_low_half(inst, v) {
                low[v.0 as usize] = false;
            }
        });
    }
    if let Term::Branch { cond: v, .. } | Term::Indirect { target: v, .. } = &b.term {
        low[v.0 as usize] = false;
    }
    low
}

/// `Trunc.i32` of I64 values whose every use reads only the low 32 bits of its operand (32-bit
/// ALU ops, shifts, extracts, `movsxd`, 32-bit stores to state or memory): the truncation
/// emits nothing and its uses read the wide value, which then lives until the last of them.
/// Saves the `mov r32, r32` on RISC-V `addw` chains and `sext.w` of 64-bit results.
fn low_half_aliases(
    b: &Block,
    low_only: &[bool],
    folded: &mut [bool],
    at: &mut Vec<(u32, u32)>,
) -> Vec<Option<Val>> {
    let n = b.insts.len();
    let mut cand: Vec<Option<Val>> = vec![None; n];
    for (i, inst) in b.insts.iter().enumerate() {
        if let Op::Trunc { a } = inst.op {
            let konst = matches!(b.insts[a.0 as usize].op, Op::Const { .. });
            if inst.ty == Ty::I32 && b.ty(a) == Ty::I64 && !konst && !folded[i] {
                cand[i] = Some(a);
            }
        }
    }
    for (c, &low) in cand.iter_mut().zip(low_only) {
        if !low {
            *c = None;
        }
    }
    // The wide value must live until every use of its alias.
    let extra: Vec<(u32, u32)> = at.iter().filter_map(|&(v, i)| cand[v as usize].map(|a| (a.0, i))).collect();
    at.extend(extra);
    for (v, c) in cand.iter().enumerate() {
        if c.is_some() {
            folded[v] = true;
        }
    }
    cand
}

/// A fused condition `cond` (see [`branch_fusable`]) is compared where it is used, at
/// instruction `i`: the operands its comparison re-reads must live until there.
fn compared_operands_live_until(b: &Block, cond: Val, i: usize, at: &mut Vec<(u32, u32)>) {
    match b.insts[cond.0 as usize].op {
        Op::Icmp { a: x, b: y, .. } => {
            at.push((x.0, i as u32));
            at.push((y.0, i as u32));
        }
        Op::CondHolds { nzcv, .. } => b.insts[nzcv.0 as usize].op.for_each_arg(|v| at.push((v.0, i as u32))),
        _ => {}
    }
}

/// Whether the branch condition `cond` can be compared at the branch: an integer `Icmp`, or a
/// `CondHolds` whose NZCV producer the emitter can redo with one x86 compare.
fn branch_fusable(b: &Block, cond: Val) -> bool {
    match b.insts[cond.0 as usize].op {
        Op::Icmp { a, .. } => matches!(b.ty(a), Ty::I32 | Ty::I64),
        Op::CondHolds { cond, nzcv } => super::cond::cond_fusable(b, cond, nzcv),
        _ => false,
    }
}

/// Find the `Add` (and `Shl`) values used only as the address of one `Load` or `Store` and
/// fold them into its address mode; their operands then live until the memory access.
/// `v` as a scaled index `(z, s)`: an I64 `z << s` with s = 1..3, used only once.
fn scaled_index(b: &Block, uses: &[u32], v: Val) -> Option<(Val, u8)> {
    match b.insts[v.0 as usize].op {
        Op::Shl { a: z, b: k } if uses[v.0 as usize] == 1 && b.ty(v) == Ty::I64 => {
            match b.insts[k.0 as usize].op {
                Op::Const { imm } if (1..=3).contains(&imm) => Some((z, imm as u8)),
                _ => None,
            }
        }
        _ => None,
    }
}

fn fold_addresses(b: &Block, uses: &[u32], at: &mut Vec<(u32, u32)>) -> (Vec<Option<AddrFold>>, Vec<bool>) {
    let n = b.insts.len();
    let mut fold = vec![None; n];
    let mut folded = vec![false; n];
    let konst = |v: Val| match b.insts[v.0 as usize].op {
        Op::Const { imm } if imm as i64 == imm as i32 as i64 => Some(imm as i32),
        _ => None,
    };
    let scaled = |v: Val| scaled_index(b, uses, v);
    for (i, inst) in b.insts.iter().enumerate() {
        let addr = match inst.op {
            Op::Load { addr, .. } | Op::Store { addr, .. } => addr,
            _ => continue,
        };
        let ai = addr.0 as usize;
        if uses[ai] != 1 || b.ty(addr) != Ty::I64 {
            continue;
        }
        let Op::Add { a: x, b: y } = b.insts[ai].op else { continue };
        let f = if let Some(k) = konst(y) {
            AddrFold { base: x, index: None, disp: k }
        } else if let Some(k) = konst(x) {
            AddrFold { base: y, index: None, disp: k }
        } else if let Some((z, s)) = scaled(y) {
            folded[y.0 as usize] = true;
            AddrFold { base: x, index: Some((z, s)), disp: 0 }
        } else if let Some((z, s)) = scaled(x) {
            folded[x.0 as usize] = true;
            AddrFold { base: y, index: Some((z, s)), disp: 0 }
        } else {
            AddrFold { base: x, index: Some((y, 0)), disp: 0 }
        };
        folded[ai] = true;
        fold[ai] = Some(f);
        at.push((f.base.0, i as u32));
        if let Some((z, _)) = f.index {
            at.push((z.0, i as u32));
        }
    }
    (fold, folded)
}

/// `Add.i64(base, Shl(z, s))` (s = 1..3, the shift used only here) not already folded into an
/// address: one `lea`, the shift's own instruction emitting nothing. RISC-V `slli; add` and
/// AArch64 `add x, y, z, lsl #s` index computations.
fn scaled_adds(
    b: &Block,
    uses: &[u32],
    folded: &mut [bool],
    at: &mut Vec<(u32, u32)>,
) -> Vec<Option<(Val, Val, u8)>> {
    let n = b.insts.len();
    let mut out = vec![None; n];
    let shift = |v: Val, folded: &[bool]| scaled_index(b, uses, v).filter(|_| !folded[v.0 as usize]);
    for (i, inst) in b.insts.iter().enumerate() {
        let Op::Add { a: x, b: y } = inst.op else { continue };
        if inst.ty != Ty::I64 || folded[i] {
            continue;
        }
        let (base, sh, (z, s)) = match (shift(y, folded), shift(x, folded)) {
            (Some(zs), _) => (x, y, zs),
            (None, Some(zs)) => (y, x, zs),
            _ => continue,
        };
        if matches!(b.insts[base.0 as usize].op, Op::Const { .. }) {
            continue;
        }
        folded[sh.0 as usize] = true;
        out[i] = Some((base, z, s));
        at.push((z.0, i as u32));
    }
    out
}

/// `Sext.i64(Get.i32 off)` with the `Get` used only there and no `Set` between them (RISC-V
/// `sext.w` and W-op results read back): one `movsxd` from the state word or pinned register.
fn sext_gets(b: &Block, uses: &[u32], folded: &mut [bool], pin_arch: emu_core::Arch) -> Vec<Option<u32>> {
    let mut out = vec![None; b.insts.len()];
    for (i, inst) in b.insts.iter().enumerate() {
        let Op::Sext { a } = inst.op else { continue };
        let g = a.0 as usize;
        let Op::Get { off } = b.insts[g].op else { continue };
        let plain = super::pin::overlaps_partially(pin_arch, off, 4).is_none();
        let quiet = b.insts[g + 1..i].iter().all(|j| !matches!(j.op, Op::Set { .. }));
        if inst.ty == Ty::I64 && b.ty(a) == Ty::I32 && uses[g] == 1 && !folded[g] && plain && quiet {
            folded[g] = true;
            out[i] = Some(off);
        }
    }
    out
}

/// `mov dst, k` in its shortest form.
fn load_imm(a: &mut Asm, d: u8, k: u64) {
    if k <= u32::MAX as u64 {
        dynasm!(a ; .arch x64 ; mov Rd(d), k as u32 as i32);
    } else if k as i64 == k as i32 as i64 {
        dynasm!(a ; .arch x64 ; mov Rq(d), k as i32);
    } else {
        dynasm!(a ; .arch x64 ; mov Rq(d), QWORD k as i64);
    }
}
