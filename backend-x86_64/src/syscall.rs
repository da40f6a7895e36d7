//! Syscalls serviced from inside generated code: the per-handle handler, the Rust function
//! generated code calls, and the invalidator that defers code invalidation to the dispatcher.
//!
//! A block ending in `Term::Syscall { next }` (emit/term.rs) stores `pc = next` and the pinned
//! guest registers to `CpuState`, calls [`syscall_entry`] with the handle's [`SyscallSlot`] (found
//! in the frame word [`SYSCALL_PTR`], stored by the entry trampoline) and the state, reloads the
//! pinned registers and gets [`INLINE`] or the [`ExitReason`] to leave with. On [`INLINE`] the
//! block continues through an ordinary chainable direct exit to `next`, so once patched a
//! syscall costs a call and a jump, never a trip through the trampoline and the dispatcher.
//! The call is emitted in each syscall block rather than through a shared stub: after a host
//! syscall every return up the host stack may mispredict (kernels that refill the return-stack
//! buffer), so each call level between generated code and the host syscall costs.
//!
//! The handler sees exactly the state the dispatcher path gives the run loop (every guest
//! register in `CpuState`, `pc = next`) and generated code sees every write it makes. It gets a
//! [`Deferred`] invalidator: ranges are recorded in the scratch words `SCRATCH_INVAL_ADDR/LEN`
//! (two ranges merge into one covering range, or "everything") and the block leaves for the
//! dispatcher, which applies them before any more generated code runs, exactly as for
//! `Op::CodeInval`. The block also leaves (with `Next`) when the handler moved `pc` (a signal
//! return, later), and the run returns (`Exit::Syscall`) when the handler says stop (exit,
//! exit_group) or when the handle has no handler (the pre-handler protocol: the caller services
//! the syscall).
//!
//! Panics never unwind through generated code: [`syscall_entry`] catches them, the block leaves
//! as for "stop", and `Jit::run` resumes the panic once it is back in Rust
//! (`std::panic::resume_unwind`), so a panicking handler behaves as it would in the run loop.

use crate::emit::{ExitReason, FRAME, SCRATCH_INVAL_ADDR, SCRATCH_INVAL_LEN};
use emu_core::cpu::CpuState;
use emu_core::engine::CodeInvalidator;
use std::any::Any;
use std::panic::{catch_unwind, AssertUnwindSafe};

/// Services one syscall: `cpu.pc` is past the syscall instruction; returns whether the guest
/// goes on (false: the run returns, e.g. the guest exited).
pub type SyscallHandler = Box<dyn FnMut(&mut CpuState, &mut dyn CodeInvalidator) -> bool>;

/// `[rsp + SYSCALL_PTR]` holds the running handle's `*mut SyscallSlot` while generated code
/// runs (the word above the shadow-stack pointer, [`crate::emit::shadow::SHADOW_PTR`]).
pub const SYSCALL_PTR: i32 = FRAME + 8;

/// What [`syscall_entry`] returns for "continue in generated code at `next`".
pub const INLINE: u32 = u32::MAX;

/// A handle's syscall handler and what the inline path needs beside it. Boxed in the handle, so
/// its address is stable while generated code runs.
#[derive(Default)]
pub struct SyscallSlot {
    pub handler: Option<SyscallHandler>,
    /// Syscalls serviced by the handler from generated code.
    pub inline: u64,
    /// Syscalls serviced by the handler from the dispatcher (interpreted blocks).
    pub dispatched: u64,
    /// A panic caught in the handler, resumed by `Jit::run` outside generated code.
    pub panic: Option<Box<dyn Any + Send>>,
}

/// An invalidator that only records: one range covering everything asked for.
#[derive(Default, Debug, Clone, Copy, PartialEq, Eq)]
pub struct Deferred {
    pub addr: u64,
    /// 0: nothing pending; `u32::MAX`: everything (as the dispatcher reads the scratch words).
    pub len: u64,
}

/// The length that means "invalidate everything" (`JitCache::invalidate`).
const EVERYTHING: u64 = u32::MAX as u64;

impl Deferred {
    /// Merge `[addr, addr + len)` into the pending range.
    fn add(&mut self, addr: u64, len: u64) {
        // An empty range invalidates the block containing `addr`, as `JitCache::invalidate`
        // treats it: keep that meaning (len 0 is "nothing pending" here).
        let len = len.max(1);
        if self.len == 0 {
            (self.addr, self.len) = (addr, len);
            return;
        }
        if self.len == EVERYTHING || len == EVERYTHING {
            (self.addr, self.len) = (0, EVERYTHING);
            return;
        }
        let start = self.addr.min(addr);
        let end = self.addr.saturating_add(self.len).max(addr.saturating_add(len));
        let span = end - start;
        // A covering range that happens to have the "everything" length is everything anyway.
        (self.addr, self.len) = if span == EVERYTHING { (0, EVERYTHING) } else { (start, span) };
    }

    /// Merge with what `cpu`'s scratch words hold and store the result there.
    pub fn store(self, cpu: &mut CpuState) {
        if self.len == 0 {
            return;
        }
        let mut all = Deferred { addr: cpu.scratch[SCRATCH_INVAL_ADDR], len: cpu.scratch[SCRATCH_INVAL_LEN] };
        all.add(self.addr, self.len);
        cpu.scratch[SCRATCH_INVAL_ADDR] = all.addr;
        cpu.scratch[SCRATCH_INVAL_LEN] = all.len;
    }
}

impl CodeInvalidator for Deferred {
    fn invalidate(&mut self, addr: u64, len: u64) {
        self.add(addr, len);
    }
}

/// How a handler call went, for the generated code or the dispatcher.
pub enum Outcome {
    /// Go on at `next` (no invalidation pending, pc unchanged).
    Inline,
    /// Go on at `cpu.pc` through the dispatcher (pending invalidation or changed pc).
    Dispatch,
    /// Return from `Jit::run` with `Exit::Syscall` (no handler, stop, or a caught panic).
    Stop,
}

impl SyscallSlot {
    /// Run the handler for the syscall `cpu` stopped at (`cpu.pc` past it); the ranges it
    /// invalidates are left in `cpu`'s scratch words for the dispatcher.
    pub fn call(&mut self, cpu: &mut CpuState) -> Outcome {
        let Some(handler) = self.handler.as_mut() else {
            return Outcome::Stop;
        };
        let next = cpu.pc;
        let mut inval = Deferred::default();
        let go_on = match catch_unwind(AssertUnwindSafe(|| handler(cpu, &mut inval))) {
            Ok(go_on) => go_on,
            Err(payload) => {
                self.panic = Some(payload);
                false
            }
        };
        inval.store(cpu);
        match () {
            _ if !go_on => Outcome::Stop,
            _ if inval.len != 0 || cpu.pc != next => Outcome::Dispatch,
            _ => Outcome::Inline,
        }
    }
}

/// Called by a block ending in a syscall, with the pinned registers stored in `cpu`: service the
/// syscall and say how the block goes on ([`INLINE`], or an [`ExitReason`] for the exit path).
///
/// # Safety
/// Only from generated code: `slot` is the running handle's [`SyscallSlot`] (from the frame word
/// [`SYSCALL_PTR`]) and `cpu` its guest state, both live and not otherwise borrowed while
/// generated code runs (`Jit::run` holds `&mut` to both and touches neither meanwhile).
pub unsafe extern "sysv64" fn syscall_entry(slot: *mut SyscallSlot, cpu: *mut CpuState) -> u32 {
    // SAFETY: see the function's contract.
    let (slot, cpu) = unsafe { (&mut *slot, &mut *cpu) };
    match slot.call(cpu) {
        Outcome::Inline => {
            slot.inline += 1;
            INLINE
        }
        Outcome::Dispatch => {
            slot.inline += 1;
            ExitReason::Next as u32
        }
        Outcome::Stop => ExitReason::Syscall as u32,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn merged(ranges: &[(u64, u64)]) -> (u64, u64) {
        let mut d = Deferred::default();
        ranges.iter().for_each(|&(a, l)| d.invalidate(a, l));
        (d.addr, d.len)
    }

    #[test]
    fn ranges_merge_into_one_cover() {
        assert_eq!(merged(&[]), (0, 0));
        assert_eq!(merged(&[(0x1000, 0)]), (0x1000, 1));
        assert_eq!(merged(&[(0x1000, 0x100), (0x3000, 0x10)]), (0x1000, 0x2010));
        assert_eq!(merged(&[(0x3000, 0x10), (0x1000, 0x100)]), (0x1000, 0x2010));
        assert_eq!(merged(&[(0x1000, 0x100), (0x1010, 0x10)]), (0x1000, 0x100));
        assert_eq!(merged(&[(0x1000, 0x100), (0, EVERYTHING)]), (0, EVERYTHING));
        assert_eq!(merged(&[(0, 1), (EVERYTHING - 1, 1)]), (0, EVERYTHING));
        assert_eq!(merged(&[(u64::MAX - 4, 100), (0, 1)]), (0, u64::MAX));
    }

    #[test]
    fn store_merges_with_pending_scratch() {
        let mut cpu = CpuState::default();
        Deferred { addr: 0x2000, len: 0x10 }.store(&mut cpu);
        Deferred { addr: 0x1000, len: 0x10 }.store(&mut cpu);
        Deferred::default().store(&mut cpu);
        assert_eq!((cpu.scratch[SCRATCH_INVAL_ADDR], cpu.scratch[SCRATCH_INVAL_LEN]), (0x1000, 0x1010));
    }
}
