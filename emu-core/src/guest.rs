//! What the engine needs to know about a guest ISA, implemented by each frontend crate.

use crate::cpu::CpuState;
use crate::ir::Block;

/// The guest architectures remu runs.
#[derive(Copy, Clone, PartialEq, Eq, Hash, Debug)]
pub enum Arch {
    Aarch64,
    Riscv64,
}

impl Arch {
    /// Name used in logs, the IR text form and `uname -m`.
    pub fn name(self) -> &'static str {
        match self {
            Arch::Aarch64 => "aarch64",
            Arch::Riscv64 => "riscv64",
        }
    }
    pub fn from_name(s: &str) -> Option<Arch> {
        match s {
            "aarch64" | "arm64" => Some(Arch::Aarch64),
            "riscv64" => Some(Arch::Riscv64),
            _ => None,
        }
    }
    /// ELF e_machine value.
    pub fn e_machine(self) -> u16 {
        match self {
            Arch::Aarch64 => 183,
            Arch::Riscv64 => 243,
        }
    }
}

/// A guest ISA: translation, ABI register conventions and advertised features.
pub trait Guest: Send + Sync {
    fn arch(&self) -> Arch;

    /// Translate the block starting at `pc`. Guest code is read straight from (identity-mapped)
    /// memory; an unreadable `pc` yields a block ending in `Term::Trap { kind: FetchFault }`, an
    /// undefined encoding one ending in `TrapKind::Undefined` (after any instructions before it).
    fn translate(&self, pc: u64) -> Block;

    /// Set up registers at process entry: `sp` is the initial stack pointer, `entry` the first pc.
    fn init_cpu(&self, cpu: &mut CpuState, entry: u64, sp: u64);

    /// Syscall number and six arguments from the registers at a syscall.
    fn syscall_args(&self, cpu: &CpuState) -> (u64, [u64; 6]);
    /// Write a syscall's return value.
    fn set_syscall_ret(&self, cpu: &mut CpuState, ret: u64);

    /// Stack pointer (for signal frames, clone).
    fn sp(&self, cpu: &CpuState) -> u64;
    fn set_sp(&self, cpu: &mut CpuState, sp: u64);
    /// Set the thread pointer (clone with CLONE_SETTLS).
    fn set_tls(&self, cpu: &mut CpuState, tls: u64);

    /// AT_HWCAP and AT_HWCAP2: only what remu implements.
    fn hwcap(&self) -> (u64, u64);
    /// AT_PLATFORM string.
    fn platform(&self) -> &'static str {
        self.arch().name()
    }
}
