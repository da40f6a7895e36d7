//! `-d in_asm,ir`: a [`Guest`] wrapper that logs each block as it is translated; `-d out_asm`:
//! a JIT compile hook that disassembles the host code of each compiled block.
//!
//! Wrapping the guest (rather than hooking the engines) means every engine gets the logs for
//! free and emu-core needs no logging seam: translation always goes through `Guest::translate`.
//! in_asm disassembles the guest bytes of the block with capstone (AArch64, or RV64GC with the
//! compressed extension); ir prints the block's IR text form.

use crate::cli::DebugLog;
use capstone::prelude::*;
use emu_core::cpu::CpuState;
use emu_core::guest::{Arch, Guest};
use emu_core::ir::Block;
use std::io::Write;
use std::sync::{Arc, Mutex};

/// Where `-d` logs go (stderr or `-D FILE`), shared by the guest wrapper and the JIT hook.
pub type Sink = Arc<Mutex<Box<dyn Write + Send>>>;

/// A guest that logs what it translates.
pub struct Traced {
    inner: Arc<dyn Guest>,
    what: DebugLog,
    out: Sink,
}

impl Traced {
    pub fn new(inner: Arc<dyn Guest>, what: DebugLog, out: Sink) -> Traced {
        Traced { inner, what, out }
    }

    fn log(&self, b: &Block) {
        let mut text = String::new();
        if self.what.in_asm {
            text.push_str(&disasm(self.inner.arch(), b.pc, b.end));
        }
        if self.what.ir {
            text.push_str(&format!("{b}\n"));
        }
        let mut out = self.out.lock().unwrap_or_else(|e| e.into_inner());
        // A failing log sink must not kill the guest; the logs are best effort.
        let _ = out.write_all(text.as_bytes()).and_then(|_| out.flush());
    }
}

/// `-d out_asm`: disassemble each compiled block's x86_64 code, qemu-style.
pub fn out_asm_hook(out: Sink) -> remu_backend_x86_64::CompileHook {
    let cs = Capstone::new().x86().mode(arch::x86::ArchMode::Mode64).build().ok();
    Box::new(move |b: &Block, addr: usize, code: &[u8]| {
        let mut text = format!("OUT: guest {:#x}..{:#x}, {} bytes at {addr:#x}\n", b.pc, b.end, code.len());
        match cs.as_ref().and_then(|cs| cs.disasm_all(code, addr as u64).ok()) {
            Some(insns) => {
                for i in insns.iter() {
                    let m = i.mnemonic().unwrap_or("?");
                    let ops = i.op_str().unwrap_or("");
                    text.push_str(&format!("  {:#x}:  {m} {ops}\n", i.address()));
                }
            }
            None => text.push_str("  (capstone cannot disassemble x86_64 here)\n"),
        }
        text.push('\n');
        let mut o = out.lock().unwrap_or_else(|e| e.into_inner());
        let _ = o.write_all(text.as_bytes()).and_then(|_| o.flush());
    })
}

/// Capstone for `arch`, or None if this capstone build lacks it.
fn capstone_for(arch: Arch) -> Option<Capstone> {
    let cs = match arch {
        Arch::Aarch64 => Capstone::new().arm64().mode(arch::arm64::ArchMode::Arm).build(),
        Arch::Riscv64 => Capstone::new()
            .riscv()
            .mode(arch::riscv::ArchMode::RiscV64)
            .extra_mode([arch::riscv::ArchExtraMode::RiscVC].into_iter())
            .build(),
    };
    cs.ok()
}

/// Disassembly of guest code in `[pc, end)`, one line per instruction, in qemu's -d in_asm
/// style: a header line, then `0x<addr>:  <bytes>  <mnemonic> <operands>`.
pub fn disasm(arch: Arch, pc: u64, end: u64) -> String {
    let mut s = format!("IN: {} 0x{pc:x}\n", arch.name());
    // The block may end at a trapping instruction that is not counted in `end`; show it too.
    let len = (end.saturating_sub(pc) as usize).clamp(4, 1 << 16);
    let mut bytes = vec![0u8; len];
    let got = emu_core::mem::read_bytes(pc, &mut bytes);
    bytes.truncate(got);
    if bytes.is_empty() {
        s.push_str(&format!("0x{pc:016x}:  <unreadable>\n\n"));
        return s;
    }
    let Some(cs) = capstone_for(arch) else {
        s.push_str("  <capstone lacks this architecture>\n\n");
        return s;
    };
    let mut at = 0usize;
    // capstone stops at the first undecodable word; log it raw and continue after it.
    while at < bytes.len() {
        let insns = match cs.disasm_all(&bytes[at..], pc + at as u64) {
            Ok(i) => i,
            Err(_) => break,
        };
        let mut consumed = 0usize;
        for i in insns.iter() {
            let hex: String = i.bytes().iter().rev().map(|b| format!("{b:02x}")).collect();
            s.push_str(&format!(
                "0x{:016x}:  {hex:<8}  {}\n",
                i.address(),
                format!("{} {}", i.mnemonic().unwrap_or("?"), i.op_str().unwrap_or("")).trim_end()
            ));
            consumed += i.bytes().len();
        }
        at += consumed;
        if at < bytes.len() {
            let step = if arch == Arch::Riscv64 && bytes[at] & 3 != 3 { 2 } else { 4 };
            let raw = &bytes[at..(at + step).min(bytes.len())];
            let hex: String = raw.iter().rev().map(|b| format!("{b:02x}")).collect();
            s.push_str(&format!("0x{:016x}:  {hex:<8}  .inst 0x{hex} (undecodable)\n", pc + at as u64));
            at += step;
        }
    }
    s.push('\n');
    s
}

impl Guest for Traced {
    fn arch(&self) -> Arch {
        self.inner.arch()
    }
    fn translate(&self, pc: u64) -> Block {
        let b = self.inner.translate(pc);
        self.log(&b);
        b
    }
    fn init_cpu(&self, cpu: &mut CpuState, entry: u64, sp: u64) {
        self.inner.init_cpu(cpu, entry, sp)
    }
    fn syscall_args(&self, cpu: &CpuState) -> (u64, [u64; 6]) {
        self.inner.syscall_args(cpu)
    }
    fn set_syscall_ret(&self, cpu: &mut CpuState, ret: u64) {
        self.inner.set_syscall_ret(cpu, ret)
    }
    fn sp(&self, cpu: &CpuState) -> u64 {
        self.inner.sp(cpu)
    }
    fn set_sp(&self, cpu: &mut CpuState, sp: u64) {
        self.inner.set_sp(cpu, sp)
    }
    fn set_tls(&self, cpu: &mut CpuState, tls: u64) {
        self.inner.set_tls(cpu, tls)
    }
    fn hwcap(&self) -> (u64, u64) {
        self.inner.hwcap()
    }
    fn platform(&self) -> &'static str {
        self.inner.platform()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn disasm_aarch64_and_riscv_compressed() {
        // nop; ret
        let a64: [u8; 8] = [0x1f, 0x20, 0x03, 0xd5, 0xc0, 0x03, 0x5f, 0xd6];
        let p = a64.as_ptr() as u64;
        let s = disasm(Arch::Aarch64, p, p + 8);
        assert!(s.contains("nop") && s.contains("ret"), "{s}");
        // c.li a0, 1 ; ecall
        let rv: [u8; 6] = [0x05, 0x45, 0x73, 0x00, 0x00, 0x00];
        let p = rv.as_ptr() as u64;
        let s = disasm(Arch::Riscv64, p, p + 6);
        assert!(s.contains("ecall"), "{s}");
        assert_eq!(s.lines().filter(|l| !l.is_empty()).count(), 3, "{s}");
    }

    #[test]
    fn disasm_unreadable_and_undecodable() {
        assert!(disasm(Arch::Aarch64, 0, 4).contains("<unreadable>"));
        // An unallocated A64 encoding, then nop: both lines appear.
        let bad: [u8; 8] = [0xff, 0xff, 0xff, 0xff, 0x1f, 0x20, 0x03, 0xd5];
        let p = bad.as_ptr() as u64;
        let s = disasm(Arch::Aarch64, p, p + 8);
        assert!(s.contains("undecodable") && s.contains("nop"), "{s}");
    }
}
