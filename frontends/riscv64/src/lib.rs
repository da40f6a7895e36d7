//! The RISC-V (RV64GC + Zba/Zbb/Zbs) guest: decode tables (`decode/*.dec`, one per extension
//! of the unprivileged manual, plus a 16-bit table for the C extension), translation of each
//! extension to IR (`translate/`), and the [`Guest`] impl that gives the engine the Linux
//! riscv64 ABI (syscall registers, initial state, HWCAP).

pub mod decoder;
pub mod translate;

use emu_core::cpu::CpuState;
use emu_core::guest::{Arch, Guest};
use emu_core::ir::Block;

/// The riscv64 guest ISA.
#[derive(Default)]
pub struct Riscv64;

/// Integer register numbers of the Linux riscv64 ABI.
mod abi {
    pub const SP: usize = 2;
    pub const TP: usize = 4;
    pub const A0: usize = 10;
    pub const A7: usize = 17;
}

impl Guest for Riscv64 {
    fn arch(&self) -> Arch {
        Arch::Riscv64
    }

    fn translate(&self, pc: u64) -> Block {
        translate::translate_block(pc)
    }

    fn init_cpu(&self, cpu: &mut CpuState, entry: u64, sp: u64) {
        *cpu = CpuState::default();
        cpu.pc = entry;
        cpu.x[abi::SP] = sp;
    }

    fn syscall_args(&self, cpu: &CpuState) -> (u64, [u64; 6]) {
        let a = &cpu.x[abi::A0..abi::A0 + 6];
        (cpu.x[abi::A7], [a[0], a[1], a[2], a[3], a[4], a[5]])
    }

    fn set_syscall_ret(&self, cpu: &mut CpuState, ret: u64) {
        cpu.x[abi::A0] = ret;
    }

    fn sp(&self, cpu: &CpuState) -> u64 {
        cpu.x[abi::SP]
    }

    fn set_sp(&self, cpu: &mut CpuState, sp: u64) {
        cpu.x[abi::SP] = sp;
    }

    fn set_tls(&self, cpu: &mut CpuState, tls: u64) {
        cpu.x[abi::TP] = tls;
    }

    fn hwcap(&self) -> (u64, u64) {
        (translate::hwcap(), 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn abi_registers() {
        let g = Riscv64;
        let mut cpu = CpuState::default();
        cpu.x[5] = 99;
        g.init_cpu(&mut cpu, 0x1000, 0x7fff_0000);
        assert_eq!((cpu.pc, cpu.x[2], cpu.x[5]), (0x1000, 0x7fff_0000, 0));
        for (i, r) in (10..16).enumerate() {
            cpu.x[r] = i as u64 + 1;
        }
        cpu.x[17] = 64;
        assert_eq!(g.syscall_args(&cpu), (64, [1, 2, 3, 4, 5, 6]));
        g.set_syscall_ret(&mut cpu, u64::MAX);
        assert_eq!(cpu.x[10], u64::MAX);
        g.set_tls(&mut cpu, 0x1234);
        assert_eq!(cpu.x[4], 0x1234);
        g.set_sp(&mut cpu, 0x5000);
        assert_eq!(g.sp(&cpu), 0x5000);
    }

    #[test]
    fn hwcap_is_imafdc() {
        let (h1, h2) = Riscv64.hwcap();
        let want = b"imafdc".iter().fold(0u64, |acc, c| acc | 1 << (c - b'a'));
        assert_eq!((h1, h2), (want, 0));
    }
}
