//! Shared helpers for the loader tests: a builder for crafted ELF64 files and a do-nothing guest.

#![allow(dead_code)] // each test binary uses a different subset

use emu_core::cpu::CpuState;
use emu_core::guest::{Arch, Guest};
use emu_core::ir::Block;

pub const PT_LOAD: u32 = 1;
pub const PT_INTERP: u32 = 3;
pub const PT_PHDR: u32 = 6;
pub const PF_X: u32 = 1;
pub const PF_W: u32 = 2;
pub const PF_R: u32 = 4;
pub const ET_EXEC: u16 = 2;
pub const ET_DYN: u16 = 3;
pub const EM_AARCH64: u16 = 183;
pub const EM_RISCV: u16 = 243;

/// One program header.
#[derive(Clone, Copy, Debug)]
pub struct Ph {
    pub p_type: u32,
    pub flags: u32,
    pub offset: u64,
    pub vaddr: u64,
    pub filesz: u64,
    pub memsz: u64,
    pub align: u64,
}

impl Ph {
    pub fn load(flags: u32, offset: u64, vaddr: u64, filesz: u64, memsz: u64) -> Ph {
        Ph { p_type: PT_LOAD, flags, offset, vaddr, filesz, memsz, align: 0x1000 }
    }
}

/// A crafted ELF file: header fields plus program headers at offset 64, then `body` bytes
/// placed at their offsets.
#[derive(Clone, Debug)]
pub struct Elf {
    pub class: u8,
    pub data: u8,
    pub machine: u16,
    pub e_type: u16,
    pub entry: u64,
    pub phoff: u64,
    pub phentsize: u16,
    pub phnum: Option<u16>,
    pub phdrs: Vec<Ph>,
    pub body: Vec<(u64, Vec<u8>)>,
    pub len: usize,
}

impl Elf {
    /// A valid static aarch64 ET_EXEC with one RX segment covering the first page.
    pub fn new(machine: u16, e_type: u16) -> Elf {
        Elf {
            class: 2,
            data: 1,
            machine,
            e_type,
            entry: 0x1000,
            phoff: 64,
            phentsize: 56,
            phnum: None,
            phdrs: vec![Ph::load(PF_R | PF_X, 0, 0, 0x200, 0x200)],
            body: Vec::new(),
            len: 0x200,
        }
    }

    pub fn bytes(&self) -> Vec<u8> {
        let mut b = vec![0u8; self.len.max(64)];
        b[..4].copy_from_slice(b"\x7fELF");
        b[4] = self.class;
        b[5] = self.data;
        b[6] = 1;
        let put16 = |b: &mut Vec<u8>, o: usize, v: u16| b[o..o + 2].copy_from_slice(&v.to_le_bytes());
        let put32 = |b: &mut Vec<u8>, o: usize, v: u32| b[o..o + 4].copy_from_slice(&v.to_le_bytes());
        let put64 = |b: &mut Vec<u8>, o: usize, v: u64| b[o..o + 8].copy_from_slice(&v.to_le_bytes());
        put16(&mut b, 16, self.e_type);
        put16(&mut b, 18, self.machine);
        put32(&mut b, 20, 1);
        put64(&mut b, 24, self.entry);
        put64(&mut b, 32, self.phoff);
        put16(&mut b, 52, 64);
        put16(&mut b, 54, self.phentsize);
        put16(&mut b, 56, self.phnum.unwrap_or(self.phdrs.len() as u16));
        for (i, ph) in self.phdrs.iter().enumerate() {
            let o = self.phoff as usize + 56 * i;
            if o + 56 > b.len() {
                b.resize(o + 56, 0);
            }
            put32(&mut b, o, ph.p_type);
            put32(&mut b, o + 4, ph.flags);
            put64(&mut b, o + 8, ph.offset);
            put64(&mut b, o + 16, ph.vaddr);
            put64(&mut b, o + 24, ph.vaddr);
            put64(&mut b, o + 32, ph.filesz);
            put64(&mut b, o + 40, ph.memsz);
            put64(&mut b, o + 48, ph.align);
        }
        for (off, data) in &self.body {
            let o = *off as usize;
            if o + data.len() > b.len() {
                b.resize(o + data.len(), 0);
            }
            b[o..o + data.len()].copy_from_slice(data);
        }
        b
    }

    /// Write to a fresh temporary file and open it.
    pub fn file(&self, name: &str) -> (std::fs::File, std::path::PathBuf) {
        let dir = std::env::temp_dir().join(format!("remu-loader-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let path = dir.join(name);
        std::fs::write(&path, self.bytes()).expect("write test ELF");
        (std::fs::File::open(&path).expect("open test ELF"), path)
    }
}

/// A guest that only answers the loader's questions (arch, hwcap, platform).
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
        cpu.x[31] = sp;
    }
    fn syscall_args(&self, cpu: &CpuState) -> (u64, [u64; 6]) {
        (cpu.x[8], [0; 6])
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
        (0x11, 0x22)
    }
}
