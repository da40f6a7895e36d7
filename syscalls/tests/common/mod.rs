//! Test harness: a minimal guest with the aarch64 (or riscv64) syscall ABI and an engine that
//! only records invalidations, so syscalls can be driven through `Linux::handle`.

#![allow(dead_code)]

use std::cell::RefCell;
use std::ffi::CString;
use std::path::PathBuf;
use std::sync::Arc;

use emu_core::ir::Block;
use emu_core::{Arch, CpuState, Engine, Exit, Guest};
use remu_syscalls::{Action, Config, Linux};

pub struct TestGuest(pub Arch);

impl Guest for TestGuest {
    fn arch(&self) -> Arch {
        self.0
    }
    fn translate(&self, pc: u64) -> Block {
        Block::new(self.0, pc)
    }
    fn init_cpu(&self, cpu: &mut CpuState, entry: u64, sp: u64) {
        cpu.pc = entry;
        self.set_sp(cpu, sp);
    }
    fn syscall_args(&self, cpu: &CpuState) -> (u64, [u64; 6]) {
        match self.0 {
            Arch::Aarch64 => (cpu.x[8], [cpu.x[0], cpu.x[1], cpu.x[2], cpu.x[3], cpu.x[4], cpu.x[5]]),
            Arch::Riscv64 => (cpu.x[17], [cpu.x[10], cpu.x[11], cpu.x[12], cpu.x[13], cpu.x[14], cpu.x[15]]),
        }
    }
    fn set_syscall_ret(&self, cpu: &mut CpuState, ret: u64) {
        match self.0 {
            Arch::Aarch64 => cpu.x[0] = ret,
            Arch::Riscv64 => cpu.x[10] = ret,
        }
    }
    fn sp(&self, cpu: &CpuState) -> u64 {
        match self.0 {
            Arch::Aarch64 => cpu.x[31],
            Arch::Riscv64 => cpu.x[2],
        }
    }
    fn set_sp(&self, cpu: &mut CpuState, sp: u64) {
        match self.0 {
            Arch::Aarch64 => cpu.x[31] = sp,
            Arch::Riscv64 => cpu.x[2] = sp,
        }
    }
    fn set_tls(&self, cpu: &mut CpuState, tls: u64) {
        match self.0 {
            Arch::Aarch64 => cpu.tls = tls,
            Arch::Riscv64 => cpu.x[4] = tls,
        }
    }
    fn hwcap(&self) -> (u64, u64) {
        (0, 0)
    }
}

/// Records every invalidated range.
#[derive(Default)]
pub struct NopEngine {
    pub invalidated: RefCell<Vec<(u64, u64)>>,
}

impl Engine for NopEngine {
    fn run(&mut self, _cpu: &mut CpuState) -> Exit {
        Exit::Syscall
    }
    fn invalidate(&mut self, addr: u64, len: u64) {
        self.invalidated.borrow_mut().push((addr, len));
    }
}

/// One guest process under test.
pub struct Rig {
    pub lx: Linux,
    pub cpu: CpuState,
    pub engine: NopEngine,
    pub arch: Arch,
}

impl Rig {
    pub fn new(arch: Arch, cfg: Config) -> Rig {
        Rig {
            lx: Linux::new(Arc::new(TestGuest(arch)), cfg),
            cpu: CpuState::default(),
            engine: NopEngine::default(),
            arch,
        }
    }
    pub fn aarch64() -> Rig {
        Rig::new(Arch::Aarch64, Config::default())
    }

    /// Make syscall `nr`; returns the raw return register.
    pub fn call(&mut self, nr: u64, args: &[u64]) -> u64 {
        match self.call_action(nr, args) {
            Action::Continue => {}
            Action::Exit(s) => panic!("unexpected exit({s}) from syscall {nr}"),
        }
        self.ret()
    }

    pub fn call_action(&mut self, nr: u64, args: &[u64]) -> Action {
        let (nr_reg, first) = match self.arch {
            Arch::Aarch64 => (8, 0),
            Arch::Riscv64 => (17, 10),
        };
        self.cpu.x[nr_reg] = nr;
        for i in 0..6 {
            self.cpu.x[first + i] = args.get(i).copied().unwrap_or(0);
        }
        self.lx.handle(&mut self.cpu, &mut self.engine)
    }

    pub fn ret(&self) -> u64 {
        match self.arch {
            Arch::Aarch64 => self.cpu.x[0],
            Arch::Riscv64 => self.cpu.x[10],
        }
    }
}

/// `-errno` as the raw register value.
pub fn neg(e: i32) -> u64 {
    (-(e as i64)) as u64
}

/// A fresh, empty temporary directory.
pub fn tempdir(tag: &str) -> PathBuf {
    // Unique per call: tests of one binary run in parallel threads of one process, and two
    // with the same tag must not remove each other's directory.
    static N: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let k = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let d = std::env::temp_dir().join(format!("remu-sys-{tag}-{}-{k}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

pub fn cstr(s: &str) -> CString {
    CString::new(s).unwrap()
}

pub const AT_FDCWD: u64 = -100i64 as u64;
