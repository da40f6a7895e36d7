//! Return prediction: a per-thread table of return stubs indexed by the guest stack pointer.
//!
//! A guest call (`Term::Call`, `Term::Indirect` of kind `Call`) records the host address of a
//! *return stub* emitted in the calling block, in the slot that the guest stack pointer at the
//! call selects. A return (`Term::Indirect` of kind `Return`) jumps through the slot that the
//! stack pointer at the return selects: no hash of the target, no table probe. The stub checks
//! that the branch target is its return address and continues through an ordinary chainable
//! direct exit (a `jmp rel32` the dispatcher patches the first time it is taken, reset by the
//! unlink lists when the return site is invalidated); any other target goes to the runtime's
//! out-of-line probe of the indirect-branch table. So a wrong prediction (longjmp, exceptions,
//! coroutines, a slot overwritten by a deeper frame) costs only the prediction.
//!
//! Why the stack pointer and not a pushed/popped top index: the ABI makes the stack pointer at a
//! return equal to the one at the matching call (the callee restores it; a tail call returns
//! with the frame of the function it replaced), both guests keep it pinned in a host register,
//! so no top counter is loaded and stored on every call and return (a store-to-load dependency
//! chain through the whole call tree, measured slower than the table probe it replaces). A
//! longjmp resynchronises by itself: the surviving frames' slots were never popped. Nested
//! frames are at least 16 bytes apart, so [`RING_ENTRIES`] slots cover 16 bytes each of the
//! innermost stack; deeper recursion wraps around and only overwrites older predictions.
//!
//! Why a stub rather than the return block's own address: the stub lives in the calling block,
//! which stays in the code buffer until the next flush whatever is invalidated, and it holds its
//! own check and its own unlinkable jump, so a slot never needs to be found and cleared when
//! code goes away. Only a flush (which reuses the buffer) has to clear the table:
//! [`ShadowStack::clear`] points every slot at the runtime's `exit_next` path.
//!
//! The table lives in the engine handle (one per guest thread); the entry trampoline stores its
//! address in the frame word [`SHADOW_PTR`] (`[rsp + FRAME]`, the alignment pad above the value
//! slots), where block terminators find it.

use super::term::{count, direct, ChainSite, Runtime};
use super::{Asm, FRAME};
use dynasmrt::{dynasm, DynamicLabel, DynasmApi, DynasmLabelApi};
use emu_core::cpu::off;

/// Slots in each thread's table (a power of two).
pub const RING_ENTRIES: usize = 128;
/// `[rsp + SHADOW_PTR]` holds the running thread's `*mut ShadowStack` while generated code runs.
pub const SHADOW_PTR: i32 = FRAME;
/// Mask of a slot's byte offset, taken from the guest stack pointer (16-byte granules) shifted
/// right by one.
const MASK: i32 = ((RING_ENTRIES - 1) * 8) as i32;

/// One thread's return-prediction table (see the module docs): the host address of a return
/// stub per 16-byte granule of stack (modulo the table size).
#[repr(C, align(64))]
pub struct ShadowStack {
    slots: [u64; RING_ENTRIES],
}

impl ShadowStack {
    /// A table whose slots all lead to `exit_next` (the dispatcher, at the stored pc).
    pub fn new(exit_next: usize) -> Box<ShadowStack> {
        let mut s = Box::new(ShadowStack { slots: [0; RING_ENTRIES] });
        s.clear(exit_next);
        s
    }

    /// Forget every prediction (the code buffer was flushed).
    pub fn clear(&mut self, exit_next: usize) {
        self.slots.fill(exit_next as u64);
    }
}

/// Byte offsets in [`super::term::StatCounters`] of the return counters.
pub(super) const STAT_RETURNS: usize = 24;
pub(super) const STAT_RETURN_HITS: usize = 32;

/// rcx = the slot offset of the current guest stack pointer; r8 = the table.
fn slot(a: &mut Asm, rt: Runtime) {
    let sp = match rt.arch {
        emu_core::Arch::Aarch64 => off::x(31),
        emu_core::Arch::Riscv64 => off::x(2),
    };
    match super::pin::host_for(rt.arch, sp) {
        Some(r) => dynasm!(a ; .arch x64 ; mov ecx, Rd(r)),
        None => dynasm!(a ; .arch x64 ; mov ecx, [rbp + sp as i32]),
    }
    dynasm!(a
        ; .arch x64
        ; shr ecx, 1
        ; and ecx, MASK
        ; mov r8, [rsp + SHADOW_PTR]
    );
}

/// Record the return stub at `stub` for the current stack pointer (clobbers rcx, rdx, r8).
pub(super) fn push(a: &mut Asm, rt: Runtime, stub: DynamicLabel) {
    slot(a, rt);
    dynasm!(a
        ; .arch x64
        ; lea rdx, [=>stub]
        ; mov [r8 + rcx], rdx
    );
}

/// A return to `rax` (already stored in `CpuState::pc`): jump to the predicted stub.
pub(super) fn predict(a: &mut Asm, rt: Runtime) {
    count(a, rt, STAT_RETURNS);
    slot(a, rt);
    dynasm!(a ; .arch x64 ; jmp QWORD [r8 + rcx]);
}

/// The return stub of a call returning to `ret`: continue there if `rax` is `ret`, else probe
/// the indirect-branch table out of line.
pub(super) fn stub(a: &mut Asm, rt: Runtime, ret: u64, sites: &mut Vec<ChainSite>) {
    let miss = a.new_dynamic_label();
    match i32::try_from(ret as i64) {
        Ok(imm) => dynasm!(a ; .arch x64 ; cmp rax, imm),
        Err(_) => dynasm!(a ; .arch x64 ; mov rdx, QWORD ret as i64 ; cmp rax, rdx),
    }
    dynasm!(a ; .arch x64 ; jne =>miss);
    count(a, rt, STAT_RETURN_HITS);
    direct(a, ret, true, rt, sites);
    dynasm!(a
        ; .arch x64
        ; =>miss
        ; mov rcx, QWORD rt.probe as i64
        ; jmp rcx
    );
}
