//! The execution-engine seam: the IR interpreter and the x86_64 JIT both implement [`Engine`].

use crate::cpu::CpuState;
use crate::ir::TrapKind;

/// Why an engine returned control to the run loop.
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub enum Exit {
    /// The guest made a system call; `cpu.pc` already points past it.
    Syscall,
    /// A synchronous exception at `pc`; `cpu.pc` is `pc`.
    Trap { pc: u64, kind: TrapKind },
}

/// Runs guest code for one thread until it needs the outside world.
pub trait Engine {
    /// Execute from `cpu.pc` until a syscall or trap.
    fn run(&mut self, cpu: &mut CpuState) -> Exit;
    /// Drop cached translations overlapping `[addr, addr + len)` (munmap, mprotect, SMC).
    fn invalidate(&mut self, addr: u64, len: u64);
    /// Counters for `--stats`, one `name: value` per line.
    fn stats(&self) -> String {
        String::new()
    }
}
