//! Mapping a validated ELF image into the (identity-mapped) guest address space.
//!
//! The whole span of an image is reserved first with one PROT_NONE mapping, then each PT_LOAD is
//! mapped MAP_FIXED inside that reservation, so no segment can land on a mapping of remu's own.
//! ET_EXEC images are reserved at their link address with MAP_FIXED_NOREPLACE: if remu (or
//! anything else) already lives there, loading fails with a clear error instead of clobbering it.

use super::elf::{ElfImage, Segment};
use super::LoadError;
use crate::mem::{page_ceil, page_floor, PAGE_SIZE};
use goblin::elf::header::ET_EXEC;
use std::fs::File;
use std::os::fd::AsRawFd;

/// Where a position-independent main program goes when free: far above the link addresses of
/// non-PIE programs (0x10000 / 0x400000) so their brk heaps can grow, and far below the host's
/// top-down mmap area and remu's own PIE image (0x55..-0x56.. and 0x7f..), leaving room for brk.
pub const PIE_BASE: u64 = 0x40_0000_0000;

/// A mapped image.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Mapped {
    /// Added to every p_vaddr (0 for ET_EXEC).
    pub bias: u64,
    /// The reserved span `[start, end)`, page aligned.
    pub start: u64,
    pub end: u64,
    /// Page-aligned end of the highest segment (initial brk for a main program).
    pub brk: u64,
}

/// A host mapping that is unmapped on drop unless [`Reservation::keep`] is called, so a failed
/// load leaves no half-built image behind (matters for tests and the fuzz target).
struct Reservation {
    addr: u64,
    len: u64,
}

impl Reservation {
    fn keep(self) {
        std::mem::forget(self);
    }
}

impl Drop for Reservation {
    fn drop(&mut self) {
        // SAFETY: the range was mapped by us and nothing else refers to it yet.
        unsafe { libc::munmap(self.addr as *mut libc::c_void, self.len as usize) };
    }
}

fn map_err(what: String, addr: u64, len: u64) -> LoadError {
    LoadError::Map { what, addr, len, err: std::io::Error::last_os_error() }
}

/// Reserve `len` bytes: at exactly `addr` for ET_EXEC, else anywhere aligned to `align`
/// (preferring `hint`).
fn reserve(fixed: Option<u64>, hint: u64, len: u64, align: u64) -> Result<Reservation, LoadError> {
    let flags = libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | libc::MAP_NORESERVE;
    if let Some(addr) = fixed {
        // SAFETY: MAP_FIXED_NOREPLACE never replaces an existing mapping.
        let p = unsafe {
            libc::mmap(
                addr as *mut libc::c_void,
                len as usize,
                libc::PROT_NONE,
                flags | libc::MAP_FIXED_NOREPLACE,
                -1,
                0,
            )
        };
        if p == libc::MAP_FAILED {
            return Err(map_err("cannot reserve the program's fixed address range".into(), addr, len));
        }
        if p as u64 != addr {
            // A kernel older than 4.17 treats MAP_FIXED_NOREPLACE as a hint.
            drop(Reservation { addr: p as u64, len });
            return Err(LoadError::Map {
                what: "cannot reserve the program's fixed address range".into(),
                addr,
                len,
                err: std::io::Error::from_raw_os_error(libc::EEXIST),
            });
        }
        return Ok(Reservation { addr, len });
    }
    // Over-allocate by `align` and trim, so the image starts on an `align` boundary.
    let total =
        len.checked_add(align - PAGE_SIZE).ok_or_else(|| LoadError::Corrupt("image too large".into()))?;
    // SAFETY: a fresh PROT_NONE anonymous mapping; `hint` is only a hint.
    let p = unsafe { libc::mmap(hint as *mut libc::c_void, total as usize, libc::PROT_NONE, flags, -1, 0) };
    if p == libc::MAP_FAILED {
        return Err(map_err("cannot reserve address space for the image".into(), hint, total));
    }
    let raw = p as u64;
    let start = (raw + align - 1) & !(align - 1);
    // SAFETY: trimming the unused head and tail of the mapping just made.
    unsafe {
        if start > raw {
            libc::munmap(raw as *mut libc::c_void, (start - raw) as usize);
        }
        let tail = raw + total - (start + len);
        if tail > 0 {
            libc::munmap((start + len) as *mut libc::c_void, tail as usize);
        }
    }
    Ok(Reservation { addr: start, len })
}

/// Map `img` from `file`. `hint` is the preferred base for ET_DYN images (0: let the host pick).
pub fn map_image(file: &File, img: &ElfImage, hint: u64) -> Result<Mapped, LoadError> {
    let span = img.hi - img.lo;
    let res = if img.header.e_type == ET_EXEC {
        reserve(Some(img.lo), 0, span, PAGE_SIZE)?
    } else {
        reserve(None, hint, span, img.align)?
    };
    let bias = res.addr.wrapping_sub(img.lo);
    for seg in &img.loads {
        map_segment(file, seg, bias)?;
    }
    let brk = img.loads.iter().filter_map(|s| page_ceil(s.vaddr + s.memsz)).max().unwrap_or(img.hi);
    let mapped = Mapped { bias, start: res.addr, end: res.addr + span, brk: brk.wrapping_add(bias) };
    res.keep();
    Ok(mapped)
}

/// Map one segment inside the image's reservation: file pages, the zeroed tail of the last file
/// page (bss that shares a page with data), and anonymous zero pages for the rest of p_memsz.
fn map_segment(file: &File, seg: &Segment, bias: u64) -> Result<(), LoadError> {
    let vaddr = seg.vaddr.wrapping_add(bias);
    let start = page_floor(vaddr);
    let file_end = vaddr + seg.filesz;
    let mem_end = vaddr + seg.memsz;
    // Both ends are below USER_LIMIT (checked by the parser), so rounding up cannot overflow.
    let file_page_end = page_ceil(file_end).unwrap_or(u64::MAX);
    let mem_page_end = page_ceil(mem_end).unwrap_or(u64::MAX);
    let need_zero = seg.memsz > seg.filesz && !file_end.is_multiple_of(PAGE_SIZE) && seg.filesz > 0;
    if seg.filesz > 0 {
        let len = file_page_end - start;
        // Writable while the bss tail is cleared; final protection is set below.
        let prot = if need_zero { seg.prot | libc::PROT_WRITE } else { seg.prot };
        // SAFETY: MAP_FIXED inside our own reservation (the parser keeps segments in the span).
        let p = unsafe {
            libc::mmap(
                start as *mut libc::c_void,
                len as usize,
                prot,
                libc::MAP_PRIVATE | libc::MAP_FIXED,
                file.as_raw_fd(),
                page_floor(seg.offset) as libc::off_t,
            )
        };
        if p == libc::MAP_FAILED {
            return Err(map_err("cannot map segment from the file".into(), start, len));
        }
        if need_zero {
            // Like the kernel's padzero: clear to the end of the page, not just to p_memsz.
            // ld.so's startup allocator hands out the rest of that page as zeroed memory.
            let n = (file_page_end - file_end) as usize;
            // SAFETY: [file_end, file_end + n) lies in the writable private mapping just made.
            unsafe { std::ptr::write_bytes(file_end as *mut u8, 0, n) };
            if seg.prot & libc::PROT_WRITE == 0 {
                // SAFETY: our own mapping.
                if unsafe { libc::mprotect(start as *mut libc::c_void, len as usize, seg.prot) } != 0 {
                    return Err(map_err("cannot set segment protection".into(), start, len));
                }
            }
        }
    }
    let anon_start = if seg.filesz > 0 { file_page_end } else { start };
    if mem_page_end > anon_start {
        let len = mem_page_end - anon_start;
        // SAFETY: MAP_FIXED inside our own reservation.
        let p = unsafe {
            libc::mmap(
                anon_start as *mut libc::c_void,
                len as usize,
                seg.prot,
                libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | libc::MAP_FIXED,
                -1,
                0,
            )
        };
        if p == libc::MAP_FAILED {
            return Err(map_err("cannot map zero-filled (bss) pages".into(), anon_start, len));
        }
    }
    Ok(())
}
