//! The AArch64 guest: A64 decode tables (`decode/*.dec`, one per Arm ARM encoding group),
//! translation of each instruction family to IR (`translate/`), and the [`Guest`] impl that
//! gives the engine the Linux AArch64 ABI (syscall registers, initial state, HWCAP).

pub mod decoder;
pub mod translate;

use emu_core::cpu::CpuState;
use emu_core::guest::{Arch, Guest};
use emu_core::ir::Block;

/// The AArch64 guest ISA.
#[derive(Default)]
pub struct Aarch64;

impl Guest for Aarch64 {
    fn arch(&self) -> Arch {
        Arch::Aarch64
    }

    fn translate(&self, pc: u64) -> Block {
        translate::translate_block(pc)
    }

    fn init_cpu(&self, cpu: &mut CpuState, entry: u64, sp: u64) {
        *cpu = CpuState::default();
        cpu.pc = entry;
        cpu.x[31] = sp;
    }

    fn syscall_args(&self, cpu: &CpuState) -> (u64, [u64; 6]) {
        (cpu.x[8], [cpu.x[0], cpu.x[1], cpu.x[2], cpu.x[3], cpu.x[4], cpu.x[5]])
    }

    fn set_syscall_ret(&self, cpu: &mut CpuState, ret: u64) {
        cpu.x[0] = ret;
    }

    fn sp(&self, cpu: &CpuState) -> u64 {
        cpu.x[31]
    }

    fn set_sp(&self, cpu: &mut CpuState, sp: u64) {
        cpu.x[31] = sp;
    }

    fn set_tls(&self, cpu: &mut CpuState, tls: u64) {
        cpu.tls = tls;
    }

    fn hwcap(&self) -> (u64, u64) {
        translate::hwcap()
    }
}
