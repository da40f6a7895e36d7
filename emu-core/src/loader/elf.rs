//! ELF parsing and validation for the loader: the ELF header and program header table only
//! (like the kernel's `binfmt_elf`, section headers are never looked at), with every field the
//! mapper relies on checked here so that the mapping code can trust what it gets.
//!
//! Pure: no mapping, no host state. Reads go through [`Source`] so the same code serves a file
//! (the loader) and a byte slice (tests and the fuzz target).

use super::LoadError;
use crate::guest::Arch;
use crate::mem::{page_ceil, page_floor, PAGE_SIZE};
use goblin::container::Endian;
use goblin::elf::header::{ELFCLASS32, ELFCLASS64, ELFDATA2LSB, ELFDATA2MSB, ELFMAG, ET_DYN, ET_EXEC};
use goblin::elf::program_header::{PF_R, PF_W, PF_X, PT_INTERP, PT_LOAD, PT_PHDR};
use goblin::elf64::header::{Header, SIZEOF_EHDR};
use goblin::elf64::program_header::{ProgramHeader, SIZEOF_PHDR};

/// Largest program header table accepted, in bytes (the kernel's limit in `elf_read_phdrs`).
pub const MAX_PHDR_BYTES: u64 = 65536;
/// Highest user address on an x86_64 host with 4-level paging: guest segments must fit below it
/// because guest addresses are host addresses.
pub const USER_LIMIT: u64 = 1 << 47;
/// Longest PT_INTERP path accepted (PATH_MAX, as the kernel).
pub const MAX_INTERP_LEN: u64 = 4096;

/// Random-access bytes of an ELF file.
pub trait Source {
    /// Total length in bytes.
    fn len(&self) -> u64;
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// Fill `buf` from `off`; the caller has checked `off + buf.len() <= len()`.
    fn read_at(&self, off: u64, buf: &mut [u8]) -> std::io::Result<()>;
}

impl Source for [u8] {
    fn len(&self) -> u64 {
        <[u8]>::len(self) as u64
    }
    fn read_at(&self, off: u64, buf: &mut [u8]) -> std::io::Result<()> {
        let start = usize::try_from(off).map_err(|_| std::io::ErrorKind::UnexpectedEof)?;
        let src = start
            .checked_add(buf.len())
            .and_then(|end| self.get(start..end))
            .ok_or(std::io::ErrorKind::UnexpectedEof)?;
        buf.copy_from_slice(src);
        Ok(())
    }
}

/// The ELF header fields the loader uses, after validation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ElfHeader {
    pub arch: Arch,
    /// `ET_EXEC` or `ET_DYN`.
    pub e_type: u16,
    pub entry: u64,
    pub phoff: u64,
    pub phnum: u16,
}

/// One PT_LOAD segment, validated: `filesz <= memsz`, file range inside the file, address range
/// without overflow and below [`USER_LIMIT`], `vaddr` and `offset` congruent modulo the page size.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Segment {
    pub vaddr: u64,
    pub memsz: u64,
    pub offset: u64,
    pub filesz: u64,
    /// Host protection (`PROT_*`). Executable implies readable: guest code is read by the
    /// translator, never executed by the host, so PROT_EXEC is never requested.
    pub prot: i32,
    /// The guest's view of the segment (`PF_*`), for /proc/self/maps.
    pub flags: u32,
}

/// A parsed and validated ELF image, ready to be mapped.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ElfImage {
    pub header: ElfHeader,
    pub loads: Vec<Segment>,
    /// PT_INTERP path without its NUL terminator.
    pub interp: Option<Vec<u8>>,
    /// Unbiased address of the program header table in memory (for AT_PHDR).
    pub phdr_vaddr: u64,
    /// Page-aligned unbiased span covering every PT_LOAD: `[lo, hi)`.
    pub lo: u64,
    pub hi: u64,
    /// Largest power-of-two p_align among the PT_LOADs (at least the page size, at most 1 GiB):
    /// an ET_DYN image is placed at a multiple of it, as Linux does, so huge-page-aligned and
    /// 64 KiB-aligned layouts keep their alignment.
    pub align: u64,
}

/// Name of an e_machine value, for "this is not a guest remu runs" messages.
fn machine_name(m: u16) -> String {
    let name = match m {
        0 => "no machine",
        2 => "SPARC",
        3 => "i386",
        8 => "MIPS",
        20 => "PowerPC",
        21 => "PowerPC64",
        22 => "s390",
        40 => "32-bit ARM",
        43 => "SPARC64",
        50 => "IA-64",
        62 => "x86_64",
        258 => "LoongArch",
        _ => return format!("e_machine {m}"),
    };
    name.to_string()
}

/// Check the ELF identification and header in `bytes` (at least the first 64 bytes of the file).
pub fn parse_header(bytes: &[u8]) -> Result<ElfHeader, LoadError> {
    if bytes.len() < 4 || bytes[..4] != ELFMAG[..] {
        return Err(LoadError::NotElf);
    }
    if bytes.len() < 6 {
        return Err(LoadError::Truncated("the ELF identification"));
    }
    match bytes[4] {
        ELFCLASS64 => {}
        ELFCLASS32 => {
            return Err(LoadError::Unsupported(
                "32-bit ELF (ELFCLASS32); remu runs 64-bit aarch64 and riscv64".into(),
            ))
        }
        c => return Err(LoadError::Corrupt(format!("invalid ELF class {c}"))),
    }
    match bytes[5] {
        ELFDATA2LSB => {}
        ELFDATA2MSB => {
            return Err(LoadError::Unsupported(
                "big-endian ELF; remu runs little-endian aarch64 and riscv64".into(),
            ))
        }
        d => return Err(LoadError::Corrupt(format!("invalid ELF data encoding {d}"))),
    }
    if bytes.len() < SIZEOF_EHDR {
        return Err(LoadError::Truncated("the ELF header"));
    }
    let h =
        Header::parse(&bytes[..SIZEOF_EHDR]).map_err(|e| LoadError::Corrupt(format!("ELF header: {e}")))?;
    let arch = match h.e_machine {
        183 => Arch::Aarch64,
        243 => Arch::Riscv64,
        m => {
            return Err(LoadError::Unsupported(format!(
                "{} executable; remu runs aarch64 and riscv64",
                machine_name(m)
            )))
        }
    };
    match h.e_type {
        ET_EXEC | ET_DYN => {}
        1 => return Err(LoadError::Unsupported("relocatable object (ET_REL), not an executable".into())),
        4 => return Err(LoadError::Unsupported("core dump (ET_CORE), not an executable".into())),
        t => return Err(LoadError::Unsupported(format!("ELF type {t} is not an executable"))),
    }
    if h.e_phentsize as usize != SIZEOF_PHDR {
        return Err(LoadError::Corrupt(format!(
            "program header entry size {} (expected {SIZEOF_PHDR})",
            h.e_phentsize
        )));
    }
    if h.e_phnum == 0 {
        return Err(LoadError::Corrupt("no program headers".into()));
    }
    Ok(ElfHeader { arch, e_type: h.e_type, entry: h.e_entry, phoff: h.e_phoff, phnum: h.e_phnum })
}

/// Cheap architecture check from the start of a file, used to pick the guest before loading.
pub fn sniff(bytes: &[u8]) -> Result<Arch, LoadError> {
    Ok(parse_header(bytes)?.arch)
}

/// Read `len` bytes at `off`, or a `Truncated`/`Corrupt` error naming `what`.
fn read_range<S: Source + ?Sized>(
    src: &S,
    off: u64,
    len: u64,
    what: &'static str,
) -> Result<Vec<u8>, LoadError> {
    let end = off.checked_add(len).ok_or_else(|| LoadError::Corrupt(format!("{what}: offset overflows")))?;
    if end > src.len() {
        return Err(LoadError::Truncated(what));
    }
    let mut buf = vec![0u8; len as usize];
    src.read_at(off, &mut buf).map_err(|e| LoadError::Io { what, err: e })?;
    Ok(buf)
}

/// Parse and validate a whole image: header, program headers, PT_LOAD segments and PT_INTERP.
pub fn parse<S: Source + ?Sized>(src: &S) -> Result<ElfImage, LoadError> {
    let head_len = src.len().min(SIZEOF_EHDR as u64);
    let head = read_range(src, 0, head_len, "the ELF header")?;
    let header = parse_header(&head)?;
    let table_len = header.phnum as u64 * SIZEOF_PHDR as u64;
    if table_len > MAX_PHDR_BYTES {
        return Err(LoadError::Corrupt(format!("{} program headers is too many", header.phnum)));
    }
    let table = read_range(src, header.phoff, table_len, "the program header table")?;
    let phdrs = ProgramHeader::parse(&table, 0, header.phnum as usize, Endian::Little)
        .map_err(|e| LoadError::Corrupt(format!("program headers: {e}")))?;

    let mut loads = Vec::new();
    let mut interp = None;
    let mut phdr_vaddr = None;
    let mut align = PAGE_SIZE;
    for (i, ph) in phdrs.iter().enumerate() {
        match ph.p_type {
            PT_LOAD => {
                if let Some(seg) = check_load(i, ph, src.len())? {
                    if ph.p_align.is_power_of_two() && ph.p_align <= 1 << 30 {
                        align = align.max(ph.p_align);
                    }
                    loads.push(seg);
                }
            }
            PT_INTERP => {
                if interp.is_some() {
                    return Err(LoadError::Corrupt("more than one PT_INTERP".into()));
                }
                interp = Some(read_interp(src, ph)?);
            }
            PT_PHDR => phdr_vaddr = Some(ph.p_vaddr),
            _ => {}
        }
    }
    if loads.is_empty() {
        return Err(LoadError::Corrupt("no loadable (PT_LOAD) segments".into()));
    }
    // Segment ends are checked to be below USER_LIMIT, so none of this overflows.
    let lo = loads.iter().map(|s| page_floor(s.vaddr)).min().unwrap_or(0);
    let hi = loads.iter().filter_map(|s| page_ceil(s.vaddr + s.memsz)).max().unwrap_or(lo);
    // Without PT_PHDR, the table is where the segment holding its file bytes puts it (the
    // kernel's fallback); failing that, at the first segment's load address plus e_phoff.
    let phdr_vaddr = phdr_vaddr.unwrap_or_else(|| {
        loads
            .iter()
            .find(|s| header.phoff >= s.offset && header.phoff + table_len <= s.offset + s.filesz)
            .map(|s| s.vaddr + (header.phoff - s.offset))
            .unwrap_or_else(|| (loads[0].vaddr - loads[0].offset).wrapping_add(header.phoff))
    });
    Ok(ElfImage { header, loads, interp, phdr_vaddr, lo, hi, align })
}

/// Validate PT_LOAD number `i`; `None` for an empty segment (p_memsz 0), which maps nothing.
fn check_load(i: usize, ph: &ProgramHeader, file_len: u64) -> Result<Option<Segment>, LoadError> {
    let bad = |why: String| LoadError::Corrupt(format!("program header {i} (PT_LOAD): {why}"));
    if ph.p_memsz == 0 {
        return Ok(None);
    }
    if ph.p_filesz > ph.p_memsz {
        return Err(bad(format!("p_filesz {:#x} exceeds p_memsz {:#x}", ph.p_filesz, ph.p_memsz)));
    }
    match ph.p_offset.checked_add(ph.p_filesz) {
        Some(end) if end <= file_len => {}
        _ => {
            return Err(bad(format!(
                "file data {:#x}+{:#x} extends past the end of the file ({file_len:#x} bytes)",
                ph.p_offset, ph.p_filesz
            )))
        }
    }
    let end = ph.p_vaddr.checked_add(ph.p_memsz).filter(|&e| e <= USER_LIMIT).ok_or_else(|| {
        bad(format!("address range {:#x}+{:#x} is outside the user address space", ph.p_vaddr, ph.p_memsz))
    })?;
    debug_assert!(end > ph.p_vaddr);
    if ph.p_vaddr % PAGE_SIZE != ph.p_offset % PAGE_SIZE {
        return Err(bad(format!(
            "p_vaddr {:#x} and p_offset {:#x} differ modulo the page size",
            ph.p_vaddr, ph.p_offset
        )));
    }
    let mut prot = 0;
    if ph.p_flags & (PF_R | PF_X) != 0 {
        prot |= libc::PROT_READ;
    }
    if ph.p_flags & PF_W != 0 {
        prot |= libc::PROT_WRITE;
    }
    Ok(Some(Segment {
        vaddr: ph.p_vaddr,
        memsz: ph.p_memsz,
        offset: ph.p_offset,
        filesz: ph.p_filesz,
        prot,
        flags: ph.p_flags,
    }))
}

/// The PT_INTERP path: NUL-terminated, no interior NUL, at most [`MAX_INTERP_LEN`] bytes.
fn read_interp<S: Source + ?Sized>(src: &S, ph: &ProgramHeader) -> Result<Vec<u8>, LoadError> {
    if ph.p_filesz < 2 || ph.p_filesz > MAX_INTERP_LEN {
        return Err(LoadError::Corrupt(format!("PT_INTERP path length {} is invalid", ph.p_filesz)));
    }
    let mut path = read_range(src, ph.p_offset, ph.p_filesz, "the PT_INTERP path")?;
    if path.pop() != Some(0) || path.contains(&0) {
        return Err(LoadError::Corrupt("PT_INTERP path is not a NUL-terminated string".into()));
    }
    Ok(path)
}
