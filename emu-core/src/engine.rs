//! The execution-engine seam: the IR interpreter and the x86_64 JIT both implement [`Engine`];
//! the syscall layer sees an engine only as a [`CodeInvalidator`].

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

impl<E: Engine + ?Sized> Engine for Box<E> {
    fn run(&mut self, cpu: &mut CpuState) -> Exit {
        (**self).run(cpu)
    }
    fn invalidate(&mut self, addr: u64, len: u64) {
        (**self).invalidate(addr, len)
    }
    fn stats(&self) -> String {
        (**self).stats()
    }
}

/// "Translated code for `[addr, addr + len)` is stale": what the syscall layer needs from an
/// engine (munmap, mprotect, `riscv_flush_icache`). Every [`Engine`] is one, invalidating at
/// once; the JIT's inline syscall path (backend-x86_64, docs/jit.md "Syscalls") passes one that
/// records the range and applies it before any more generated code runs.
pub trait CodeInvalidator {
    /// Drop (or arrange to drop before the guest runs on) translations overlapping the range.
    fn invalidate(&mut self, addr: u64, len: u64);
}

impl<E: Engine + ?Sized> CodeInvalidator for E {
    fn invalidate(&mut self, addr: u64, len: u64) {
        Engine::invalidate(self, addr, len);
    }
}
