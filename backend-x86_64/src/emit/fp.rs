//! Native emitters for the scalar FP family (FUnary, FBinary, FTernary, FCmp, FCmpBool,
//! FToInt, IntToF) on SSE2 (plus SSE4.1 `roundsd` and FMA3 when the host has them), in
//! `fp_ops.rs`, and for the lane-wise AArch64 vector arithmetic (`VBinary` FADD/FSUB/FMUL/FDIV,
//! `VTernary` FMLA/FMLS) in `fp_vec.rs`, which apply the rules below to every lane and keep
//! their V128 result in `xmm0` until it is stored to the op's slot after the region's end.
//!
//! # Exactness
//!
//! The interpreter (`emu_core::interp::fp`) is the contract: results and `fp_exc` bits must be
//! identical. x86 computes the same IEEE results as both guests for finite, non-NaN operands in
//! the four x86 rounding modes, and raises the same flags, with three exceptions that the fast
//! paths detect and hand to a *slow path* (the interpreter, called out of line):
//! * NaN operands (x86 keeps the first operand's payload; AArch64 picks by signalling-ness and
//!   FPCR.DN, RISC-V always returns the canonical NaN): checked before the op with `ucomis`.
//!   A NaN made from non-NaN operands (invalid) is x86's "indefinite", the default NaN with the
//!   sign set, so those only need the sign cleared.
//! * AArch64 FPCR.FZ (flush-to-zero before rounding, IDC): every op that reads FZ goes slow
//!   while FZ is set (one `test` on the guest state per op).
//! * AArch64 detects tininess before rounding, x86 after: they disagree only when the result is
//!   exactly the smallest normal, so `Mul`/`Div`/`MulAdd`/narrowing `Convert` results of that
//!   magnitude go slow on AArch64. (Add/sub results that small are always exact.)
//!
//! Round-to-nearest-away and round-to-odd have no x86 mode: static ones are not native, and a
//! dynamic `fp_rm` holding them sends the op to the slow path.
//!
//! # MXCSR regions
//!
//! Flags and rounding come from MXCSR. Rather than load and store it around every op, a run of
//! FP ops with the same rounding (a *region*, see [`region_at`]) loads the guest's rounding
//! mode with cleared flags once at its first op, lets the flags accumulate, and at its last op
//! ORs them (without x86's denormal-operand bit) into `fp_exc` and restores the host default
//! 0x1f80. A region spans only ops that run no Rust code and cannot fault or touch the FP
//! control state (native integer vector ops included), so Rust code always sees the default
//! MXCSR; a slow path inside a region flushes the flags and restores 0x1f80 before its call
//! and re-enters the region after it.
//! On n-body (aarch64, 200k steps) regions took the FP code from 0.76 s (one region per op,
//! i.e. three MXCSR accesses per op) to 0.57 s.
//! A post-op slow path runs after x86 has already raised the op's flags; that is only done
//! where those flags are a subset of what the interpreter then raises for the same op.
//!
//! Slow paths write the op's operands to their slots and call the block's generic
//! [`super::fallback`] through [`Ctx::call_preserving`], so both engines share one definition.

#[path = "fp_ops.rs"]
mod ops;
#[path = "fp_vec.rs"]
mod vops;

use super::regalloc::{Ctx, Scratch};
use super::slot;
use dynasmrt::{dynasm, DynamicLabel, DynasmApi, DynasmLabelApi};
use emu_core::cpu::off;
use emu_core::guest::Arch;
use emu_core::ir::{Block, Inst, Op, Rm, Ty, Val};

/// The host's default MXCSR: all exceptions masked, round to nearest, no DAZ/FTZ.
const MXCSR_DEFAULT: i32 = 0x1f80;
/// MXCSR status bits the interpreter also raises: everything but denormal-operand (bit 1),
/// which remu uses for AArch64's input-flush flag (IDC).
const MXCSR_FLAGS: i32 = 0x3d;
/// Regions also break at Load/Store. Spanning them would be faster, but a guest fault inside
/// a region would then reach the (future) fault handler with the guest's MXCSR and unflushed
/// flags.
const SPAN_MEMORY: bool = false;
/// Regions are planned over windows of this many instructions (bounds the planning cost).
const WINDOW: usize = 256;

/// What an op needs from MXCSR.
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub(super) enum Mx {
    /// Nothing: no flags on the fast path, no rounding (bit ops, compares, exact conversions).
    None,
    /// The status flags, with any rounding (truncating conversions).
    Flags,
    /// Flags and this rounding mode (Rne, Rtz, Rdn, Rup or Dyn).
    Round(Rm),
}

/// Whether `op` has a native emitter (at some operand types; see [`ops::native`]).
pub(super) fn is_native(op: &Op) -> bool {
    ops::native_kind(op) || vops::native_kind(op)
}

/// The MXCSR need of `inst` when it has a native emitter at its types, else `None`.
fn native(b: &Block, inst: &Inst) -> Option<Mx> {
    ops::native(b, inst).or_else(|| vops::native(b, inst))
}

pub(super) fn emit(c: &mut Ctx, inst: &Inst) -> bool {
    if native(c.b, inst).is_none() {
        return false;
    }
    let r = region_at(c.b, c.cur);
    let mut e = Emit::new(c, r, inst.ty == Ty::V128);
    if r.start {
        e.enter();
    }
    if e.vec {
        vops::emit(&mut e, inst);
    } else {
        ops::emit(&mut e, inst);
    }
    e.finish();
    true
}

/// Where the current op sits in its MXCSR region.
#[derive(Copy, Clone, Debug, Default)]
struct Region {
    /// MXCSR holds the guest rounding mode when the op starts (or the op starts the region).
    inside: bool,
    /// The op loads the region's MXCSR first.
    start: bool,
    /// The op flushes the flags and restores the default MXCSR last.
    end: bool,
    /// The region's rounding mode (Rne when only `Mx::Flags` ops are in it).
    rm: Option<Rm>,
}

/// How instruction `i` takes part in region planning.
fn class(b: &Block, i: usize) -> Option<Option<Mx>> {
    let inst = &b.insts[i];
    if let Some(mx) = native(b, inst) {
        return Some(Some(mx));
    }
    transparent(b, inst).then_some(None)
}

/// Ops a region may span: emitted natively by the integer emitter without calls, faults or
/// FP-control access. `None` from [`class`] for anything else ends the region.
fn transparent(b: &Block, inst: &Inst) -> bool {
    let bytes = |ty: Ty| ty.bits().div_ceil(8).max(1);
    // fpcr, fpsr, fp_rm and fp_exc are adjacent words.
    let fp_ctl = |o: u32, n: u32| o < off::FP_EXC + 8 && o + n > off::FPCR;
    match &inst.op {
        Op::Mark { .. } | Op::Const { .. } | Op::ConstV128 { .. } => true,
        Op::Get { off } => !fp_ctl(*off, bytes(inst.ty)),
        Op::Set { off, v } => !fp_ctl(*off, bytes(b.ty(*v))),
        Op::Add { .. }
        | Op::Sub { .. }
        | Op::Mul { .. }
        | Op::And { .. }
        | Op::Or { .. }
        | Op::Xor { .. }
        | Op::AndNot { .. }
        | Op::Neg { .. }
        | Op::Not { .. }
        | Op::Shl { .. }
        | Op::Lshr { .. }
        | Op::Ashr { .. }
        | Op::Rotr { .. }
        | Op::Rotl { .. }
        | Op::Sext { .. }
        | Op::Trunc { .. }
        | Op::Extract { .. }
        | Op::SExtract { .. }
        | Op::Icmp { .. }
        | Op::NzcvAdd { .. }
        | Op::NzcvSub { .. }
        | Op::NzcvLogic { .. }
        | Op::CondHolds { .. } => inst.ty != Ty::V128,
        Op::Zext { a } => inst.ty != Ty::V128 && b.ty(*a) != Ty::V128,
        // Scalar bitcasts are the integer emitter's; the V128 forms (AArch64 writes every
        // scalar FP result to a whole vector register this way) the vector emitter's, which
        // moves them through the slot without a call when it is enabled.
        Op::Bitcast { a } => match (b.ty(*a), inst.ty) {
            (Ty::V128, Ty::V128) => super::vec::feats().native,
            (Ty::V128, t) => super::vec::feats().native && matches!(t.bits(), 32 | 64),
            (_, Ty::V128) => super::vec::feats().native,
            _ => true,
        },
        Op::Select { .. } => inst.ty != Ty::V128,
        // The native vector emitters are integer SSE (and the sign-bit FABS/FNEG), which
        // neither reads nor raises MXCSR state.
        Op::VUnary { .. }
        | Op::VBinary { .. }
        | Op::VTernary { .. }
        | Op::VImm { .. }
        | Op::VImm2 { .. }
        | Op::VExtract { .. }
        | Op::VInsert { .. }
        | Op::VDup { .. } => super::vec::is_native(&inst.op),
        Op::Load { .. } | Op::Store { .. } => SPAN_MEMORY,
        _ => false,
    }
}

/// The region containing instruction `i` (an FP op with a native emitter). Regions are planned
/// greedily from the start of `i`'s window (bounded by breaking ops and multiples of
/// [`WINDOW`]), so every op of a window sees the same plan.
fn region_at(b: &Block, i: usize) -> Region {
    let mut s = i;
    while s > 0 && !s.is_multiple_of(WINDOW) && class(b, s - 1).is_some() {
        s -= 1;
    }
    // (first, last, rounding) of the open region.
    let mut open: Option<(usize, usize, Option<Rm>)> = None;
    let found = |r: (usize, usize, Option<Rm>)| Region {
        inside: true,
        start: r.0 == i,
        end: r.1 == i,
        rm: Some(r.2.unwrap_or(Rm::Rne)),
    };
    let mut j = s;
    while j < b.insts.len() && (j == s || !j.is_multiple_of(WINDOW)) {
        let Some(cl) = class(b, j) else { break };
        let mx = match cl {
            Some(Mx::Flags) => Some(None),
            Some(Mx::Round(rm)) => Some(Some(rm)),
            _ => None,
        };
        if let Some(rm) = mx {
            match &mut open {
                Some((_, last, key)) if rm.is_none() || key.is_none() || *key == rm => {
                    *last = j;
                    if key.is_none() {
                        *key = rm;
                    }
                }
                _ => {
                    if let Some(r) = open {
                        if r.0 <= i && i <= r.1 {
                            return found(r);
                        }
                    }
                    if j > i {
                        return Region::default();
                    }
                    open = Some((j, j, rm));
                }
            }
        }
        j += 1;
    }
    match open {
        Some(r) if r.0 <= i && i <= r.1 => found(r),
        _ => Region::default(),
    }
}

/// Emission state of one FP op: labels for its out-of-line paths and its region.
pub(super) struct Emit<'c, 'a> {
    pub c: &'c mut Ctx<'a>,
    region: Region,
    /// Operands go to the interpreter.
    pub slow: DynamicLabel,
    /// The result in `rax` (`xmm0` for a vector op) is final.
    pub done: DynamicLabel,
    /// A V128 op: its result is in `xmm0` at `done` and is stored to its slot.
    pub vec: bool,
    /// A slow path was branched to (so it must be emitted).
    slow_used: bool,
    /// Out-of-line fix-ups: (label, code) emitted after the fast path.
    fixups: Vec<(DynamicLabel, Fixup)>,
}

/// Out-of-line result fix-ups, each ending in a jump to `done`.
#[derive(Copy, Clone)]
pub(super) enum Fixup {
    /// Clear the sign bit of the result (x86's indefinite NaN -> the guests' default NaN).
    ClearSign { f64: bool },
}

impl<'c, 'a> Emit<'c, 'a> {
    fn new(c: &'c mut Ctx<'a>, region: Region, vec: bool) -> Self {
        let slow = c.a.new_dynamic_label();
        let done = c.a.new_dynamic_label();
        Emit { c, region, slow, done, vec, slow_used: false, fixups: Vec::new() }
    }

    pub fn arch(&self) -> Arch {
        self.c.b.arch
    }

    /// Offset of a free 4-byte scratch word: the high half of the current op's own slot, which
    /// holds nothing until the op is defined (and the fallback writes it only as a whole). A
    /// vector op's result goes to an xmm register ([`Emit::finish`]), not there.
    fn tmp(&self) -> i32 {
        slot(Val(self.c.cur as u32)) + 8
    }

    /// Load the region's MXCSR (guest rounding, flags clear). Uses `rcx`, `rdx` only.
    fn enter(&mut self) {
        let t = self.tmp();
        let rm = self.region.rm.unwrap_or(Rm::Rne);
        if rm == Rm::Dyn {
            // fp_rm 0..3 (RNE, RTZ, RDN, RUP) -> MXCSR.RC 0, 3, 1, 2: two bits each of 0x9c.
            // Larger values (RMM, RODD) are sent to the slow path by each op's own check.
            dynasm!(self.c.a
                ; .arch x64
                ; mov ecx, DWORD [rbp + off::FP_RM as i32]
                ; and ecx, 3
                ; add ecx, ecx
                ; mov edx, 0x9c
                ; shr edx, cl
                ; and edx, 3
                ; shl edx, 13
                ; or edx, MXCSR_DEFAULT
                ; mov DWORD [rsp + t], edx
                ; ldmxcsr [rsp + t]
            );
        } else {
            let word = MXCSR_DEFAULT | (rc(rm) << 13);
            dynasm!(self.c.a
                ; .arch x64
                ; mov DWORD [rsp + t], word
                ; ldmxcsr [rsp + t]
            );
        }
    }

    /// OR the accumulated flags into `fp_exc` and restore the default MXCSR. Uses `rcx` only.
    fn leave(&mut self) {
        let t = self.tmp();
        dynasm!(self.c.a
            ; .arch x64
            ; stmxcsr [rsp + t]
            ; mov ecx, DWORD [rsp + t]
            ; and ecx, MXCSR_FLAGS
            ; or [rbp + off::FP_EXC as i32], rcx
            ; mov DWORD [rsp + t], MXCSR_DEFAULT
            ; ldmxcsr [rsp + t]
        );
    }

    /// The slow-path label, for a conditional branch the caller emits.
    pub fn slow_label(&mut self) -> DynamicLabel {
        self.slow_used = true;
        self.slow
    }

    /// A label for an out-of-line fix-up.
    pub fn fixup(&mut self, f: Fixup) -> DynamicLabel {
        let l = self.c.a.new_dynamic_label();
        self.fixups.push((l, f));
        l
    }

    /// Slow-path guards every op reading FP control needs: AArch64 FPCR.FZ set, or a dynamic
    /// rounding mode x86 lacks.
    pub fn guard_control(&mut self, fz: bool, rm: Rm) {
        if fz && self.arch() == Arch::Aarch64 {
            let slow = self.slow_label();
            dynasm!(self.c.a ; .arch x64 ; test BYTE [rbp + off::FPCR as i32 + 3], 1 ; jnz =>slow);
        }
        if rm == Rm::Dyn {
            let slow = self.slow_label();
            dynasm!(self.c.a ; .arch x64 ; cmp QWORD [rbp + off::FP_RM as i32], 3 ; ja =>slow);
        }
    }

    /// AArch64 tininess (before rounding) differs from x86's (after) only for a result of
    /// exactly the smallest normal magnitude: send that to the slow path. Uses `rcx`, `rdx`.
    pub fn guard_min_normal(&mut self, f64: bool) {
        if self.arch() != Arch::Aarch64 {
            return;
        }
        let slow = self.slow_label();
        if f64 {
            dynasm!(self.c.a
                ; .arch x64
                ; lea rcx, [rax + rax]
                ; mov rdx, QWORD 0x0020_0000_0000_0000
                ; cmp rcx, rdx
                ; je =>slow
            );
        } else {
            dynasm!(self.c.a
                ; .arch x64
                ; lea ecx, [rax + rax]
                ; cmp ecx, 0x0100_0000
                ; je =>slow
            );
        }
    }

    /// Emit the out-of-line code and the join point, leave the region if this op ends it, and
    /// define the result from `rax` (a vector op's from `xmm0`).
    fn finish(mut self) {
        let done = self.done;
        if self.slow_used || !self.fixups.is_empty() {
            dynasm!(self.c.a ; .arch x64 ; jmp =>done);
        }
        for (l, f) in std::mem::take(&mut self.fixups) {
            dynasm!(self.c.a ; .arch x64 ; =>l);
            match f {
                Fixup::ClearSign { f64: true } => dynasm!(self.c.a ; .arch x64 ; btr rax, 63),
                Fixup::ClearSign { f64: false } => dynasm!(self.c.a ; .arch x64 ; btr eax, 31),
            }
            dynasm!(self.c.a ; .arch x64 ; jmp =>done);
        }
        if self.slow_used {
            self.emit_slow();
        }
        dynasm!(self.c.a ; .arch x64 ; =>done);
        if self.region.end {
            self.leave();
        }
        if self.vec {
            self.c.vdef(0);
        } else {
            self.c.def();
        }
    }

    /// The slow path: operands to their slots (without recording it: the fast path keeps them
    /// where they were), the interpreter for
    /// this one instruction, the result back in `rax` (`xmm0`). Inside a region, MXCSR is
    /// default across the call.
    fn emit_slow(&mut self) {
        let slow = self.slow;
        dynasm!(self.c.a ; .arch x64 ; =>slow);
        if self.region.inside {
            self.leave();
        }
        let mut args = Vec::new();
        self.c.b.insts[self.c.cur].op.for_each_arg(|v| args.push(v));
        for v in args {
            if self.c.b.ty(v) == Ty::V128 {
                self.c.vstore_unrecorded(v);
                continue;
            }
            self.c.ld(Scratch::Rax, v);
            let s = slot(v);
            dynasm!(self.c.a
                ; .arch x64
                ; mov QWORD [rsp + s], rax
                ; mov QWORD [rsp + s + 8], 0
            );
        }
        let block = self.c.b as *const Block as i64;
        let idx = self.c.cur as i32;
        dynasm!(self.c.a
            ; .arch x64
            ; mov rax, rsp
            ; mov rcx, QWORD block
            ; mov edx, idx
        );
        self.c.call_preserving(super::fallback as *const () as usize);
        let s = slot(Val(self.c.cur as u32));
        if self.vec {
            dynasm!(self.c.a ; .arch x64 ; movdqu xmm0, [rsp + s]);
        } else {
            dynasm!(self.c.a ; .arch x64 ; mov rax, QWORD [rsp + s]);
        }
        if self.region.inside {
            self.enter();
        }
    }
}

/// MXCSR.RC for a static x86 rounding mode.
fn rc(rm: Rm) -> i32 {
    match rm {
        Rm::Rdn => 1,
        Rm::Rup => 2,
        Rm::Rtz => 3,
        _ => 0,
    }
}
