//! The little ELF knowledge binfmt needs: whether an interpreter is statically linked (the F flag
//! is pointless, and in a chroot fatal, for a remu that needs a dynamic loader), and the bytes
//! of tiny static programs that just exit(0), used by the status probe and by tests.
//!
//! Layouts are from the System V gABI (ELF64 header 64 bytes, program header 56 bytes).

use std::io::Read;
use std::path::Path;

use crate::error::{Error, Result};

const PT_INTERP: u32 = 3;
const EM_X86_64: u16 = 62;

/// Returns the PT_INTERP path of the ELF at `path`, or None for a static executable.
pub fn program_interpreter(path: &Path) -> Result<Option<String>> {
    let mut data = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(1 << 20).read_to_end(&mut data))
        .map_err(|e| Error::io("reading interpreter", path, &e))?;
    let not_elf = || Error::new(format!("{} is not a 64-bit little-endian ELF executable", path.display()));
    if data.len() < 64 || &data[..4] != b"\x7fELF" || data[4] != 2 || data[5] != 1 {
        return Err(not_elf());
    }
    let u16_at = |o: usize| data.get(o..o + 2).map(|b| u16::from_le_bytes([b[0], b[1]]));
    let u32_at = |o: usize| data.get(o..o + 4).map(|b| u32::from_le_bytes(b.try_into().unwrap_or([0; 4])));
    let u64_at = |o: usize| data.get(o..o + 8).map(|b| u64::from_le_bytes(b.try_into().unwrap_or([0; 8])));
    let phoff = u64_at(32).ok_or_else(not_elf)? as usize;
    let phentsize = u16_at(54).ok_or_else(not_elf)? as usize;
    let phnum = u16_at(56).ok_or_else(not_elf)? as usize;
    if phentsize < 56 {
        return Err(not_elf());
    }
    for i in 0..phnum {
        let ph = phoff.saturating_add(i.saturating_mul(phentsize));
        let p_type = u32_at(ph).ok_or_else(not_elf)?;
        if p_type == PT_INTERP {
            let off = u64_at(ph + 8).ok_or_else(not_elf)? as usize;
            let size = u64_at(ph + 32).ok_or_else(not_elf)? as usize;
            let raw = data.get(off..off.saturating_add(size)).ok_or_else(not_elf)?;
            let raw = raw.split(|&b| b == 0).next().unwrap_or(raw);
            return Ok(Some(String::from_utf8_lossy(raw).into_owned()));
        }
    }
    Ok(None)
}

/// A machine for which [`exit0_program`] can build a program.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProbeMachine {
    Aarch64,
    Riscv64,
    X86_64,
}

impl From<crate::Arch> for ProbeMachine {
    fn from(a: crate::Arch) -> Self {
        match a {
            crate::Arch::Aarch64 => ProbeMachine::Aarch64,
            crate::Arch::Riscv64 => ProbeMachine::Riscv64,
        }
    }
}

/// Load address of the probe programs: above mmap_min_addr on every kernel configuration.
const BASE: u64 = 0x40_0000;

/// A complete static ELF executable (ET_EXEC, one PT_LOAD) that calls exit(0).
pub fn exit0_program(machine: ProbeMachine) -> Vec<u8> {
    exit_program(machine, 0)
}

/// Like [`exit0_program`], exiting with `status`; tests use distinct statuses to tell which
/// interpreter the kernel picked.
pub fn exit_program(machine: ProbeMachine, status: u8) -> Vec<u8> {
    let st = u32::from(status);
    let (e_machine, code): (u16, Vec<u8>) = match machine {
        ProbeMachine::Aarch64 => {
            // movz x8, #93 (exit); movz x0, #status; svc #0
            let words: [u32; 3] = [0xd280_0ba8, 0xd280_0000 | st << 5, 0xd400_0001];
            (183, words.iter().flat_map(|w| w.to_le_bytes()).collect())
        }
        ProbeMachine::Riscv64 => {
            // addi a7, zero, 93 (exit); addi a0, zero, status; ecall
            let words: [u32; 3] = [0x05d0_0893, 0x0000_0513 | st << 20, 0x0000_0073];
            (243, words.iter().flat_map(|w| w.to_le_bytes()).collect())
        }
        // mov eax, 60 (exit); mov edi, status; syscall
        ProbeMachine::X86_64 => (EM_X86_64, vec![0xb8, 60, 0, 0, 0, 0xbf, status, 0, 0, 0, 0x0f, 0x05]),
    };
    let header_len = 64 + 56;
    let total = (header_len + code.len()) as u64;
    let mut out = Vec::with_capacity(total as usize);
    // e_ident: magic, ELFCLASS64, ELFDATA2LSB, EV_CURRENT, OSABI SYSV, padding.
    out.extend_from_slice(b"\x7fELF\x02\x01\x01\x00");
    out.extend_from_slice(&[0; 8]);
    out.extend_from_slice(&2u16.to_le_bytes()); // e_type ET_EXEC
    out.extend_from_slice(&e_machine.to_le_bytes());
    out.extend_from_slice(&1u32.to_le_bytes()); // e_version
    out.extend_from_slice(&(BASE + header_len as u64).to_le_bytes()); // e_entry
    out.extend_from_slice(&64u64.to_le_bytes()); // e_phoff
    out.extend_from_slice(&0u64.to_le_bytes()); // e_shoff
    out.extend_from_slice(&0u32.to_le_bytes()); // e_flags
    out.extend_from_slice(&64u16.to_le_bytes()); // e_ehsize
    out.extend_from_slice(&56u16.to_le_bytes()); // e_phentsize
    out.extend_from_slice(&1u16.to_le_bytes()); // e_phnum
    out.extend_from_slice(&64u16.to_le_bytes()); // e_shentsize
    out.extend_from_slice(&0u16.to_le_bytes()); // e_shnum
    out.extend_from_slice(&0u16.to_le_bytes()); // e_shstrndx
                                                // PT_LOAD covering the whole file, read + execute.
    out.extend_from_slice(&1u32.to_le_bytes()); // p_type PT_LOAD
    out.extend_from_slice(&5u32.to_le_bytes()); // p_flags R|X
    out.extend_from_slice(&0u64.to_le_bytes()); // p_offset
    out.extend_from_slice(&BASE.to_le_bytes()); // p_vaddr
    out.extend_from_slice(&BASE.to_le_bytes()); // p_paddr
    out.extend_from_slice(&total.to_le_bytes()); // p_filesz
    out.extend_from_slice(&total.to_le_bytes()); // p_memsz
    out.extend_from_slice(&0x1000u64.to_le_bytes()); // p_align
    out.extend_from_slice(&code);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn probe_programs_match_their_entries() {
        for arch in crate::Arch::ALL {
            let prog = exit0_program(arch.into());
            let rule = crate::EntrySpec::remu(arch, "/x".into(), crate::Flags::default()).rule();
            assert!(rule.matches(&prog), "{arch:?}");
        }
        let host = exit0_program(ProbeMachine::X86_64);
        assert!(!crate::EntrySpec::remu(crate::Arch::Aarch64, "/x".into(), crate::Flags::default())
            .rule()
            .matches(&host));
    }

    #[test]
    fn static_and_dynamic_executables_are_told_apart() {
        let dir = std::env::temp_dir().join(format!("remu-binfmt-elf-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("exit0");
        std::fs::write(&path, exit0_program(ProbeMachine::X86_64)).unwrap();
        assert_eq!(program_interpreter(&path).unwrap(), None);
        std::fs::write(&path, b"#!/bin/sh\n").unwrap();
        assert!(program_interpreter(&path).unwrap_err().0.contains("not a 64-bit"));
        std::fs::remove_dir_all(&dir).unwrap();
        // /bin/sh on any glibc or musl distribution is dynamically linked.
        if let Ok(Some(interp)) = program_interpreter(Path::new("/bin/sh")) {
            assert!(interp.contains("ld"), "{interp}");
        }
    }
}
