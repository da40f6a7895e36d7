//! Guest memory helpers shared by the frontends, the loader and the syscall layer.
//!
//! Guest memory is identity-mapped: a guest address is a host address (guest_base 0). These
//! helpers are for the places where an unmapped guest address must become an error value
//! instead of a host fault: instruction fetch at translation time and syscall-argument copies.
//!
//! They copy with one `rep movsb` that is allowed to fault: a SIGSEGV/SIGBUS handler
//! ([`crate::hostsig`]) that finds the faulting instruction to be that `rep movsb` resumes at a
//! fix-up that returns how many bytes were copied (x86 leaves the remaining count in `rcx`,
//! exact to the byte). The kernel's `copy_from_user` works the same way. Before, each copy was a
//! `process_vm_readv`/`process_vm_writev` on our own pid plus a `getpid`: about 1 ms of a short
//! process's start-up went to the ~800 code fetches alone. Page protections are honoured the
//! same way (a read-only page refuses a write, PROT_NONE refuses both).

/// Guest and host page size. Both guests run with 4 KiB pages under Linux on x86_64 hosts;
/// the loader aligns segments to it and AT_PAGESZ reports it.
pub const PAGE_SIZE: u64 = 4096;

/// Round `v` down to a page boundary.
pub const fn page_floor(v: u64) -> u64 {
    v & !(PAGE_SIZE - 1)
}

/// Round `v` up to a page boundary (None on overflow).
pub const fn page_ceil(v: u64) -> Option<u64> {
    match v.checked_add(PAGE_SIZE - 1) {
        Some(x) => Some(x & !(PAGE_SIZE - 1)),
        None => None,
    }
}

/// Copy guest bytes at `addr` into `buf` without faulting. Returns how many bytes were readable
/// (a prefix of `buf`; 0 if `addr` itself is unmapped or unreadable).
pub fn read_bytes(addr: u64, buf: &mut [u8]) -> usize {
    let len = buf.len().min(usize::MAX - addr as usize);
    // SAFETY: `buf` is ours and `len` bytes long at most; the guest side may fault, which
    // `safe_copy` turns into a short count.
    unsafe { safe_copy(buf.as_mut_ptr(), addr as *const u8, len) }
}

/// Copy `buf` into guest memory at `addr` without faulting. Returns how many bytes were written
/// (a prefix of `buf`; 0 if `addr` itself is unmapped or not writable).
///
/// Page protections are honoured, so read-only guest pages are refused (the loader maps
/// segments writable while it fills them for that reason).
pub fn write_bytes(addr: u64, buf: &[u8]) -> usize {
    let len = buf.len().min(usize::MAX - addr as usize);
    // SAFETY: as in `read_bytes`, with the guest as the destination.
    unsafe { safe_copy(addr as *mut u8, buf.as_ptr(), len) }
}

// `remu_safe_copy(dst, src, len) -> copied`: `rep movsb`, or, when it faults, the fix-up that
// returns the bytes done (`len - rcx`). Only the `rep movsb` may fault.
std::arch::global_asm!(
    ".pushsection .text.remu_safe_copy,\"ax\",@progbits",
    ".p2align 4",
    ".globl remu_safe_copy",
    ".hidden remu_safe_copy",
    "remu_safe_copy:",
    "    mov rcx, rdx",
    ".globl remu_safe_copy_insn",
    ".hidden remu_safe_copy_insn",
    "remu_safe_copy_insn:",
    "    rep movsb",
    "    mov rax, rdx",
    "    ret",
    ".globl remu_safe_copy_fixup",
    ".hidden remu_safe_copy_fixup",
    "remu_safe_copy_fixup:",
    "    mov rax, rdx",
    "    sub rax, rcx",
    "    ret",
    ".popsection",
);

extern "C" {
    fn remu_safe_copy(dst: *mut u8, src: *const u8, len: usize) -> usize;
    static remu_safe_copy_insn: u8;
    static remu_safe_copy_fixup: u8;
}

/// Copy `len` bytes from `src` to `dst` where either side may be unmapped or protected; returns
/// how many bytes were copied before the first inaccessible one.
///
/// # Safety
/// The caller's own side of the copy must be valid for `len` bytes.
unsafe fn safe_copy(dst: *mut u8, src: *const u8, len: usize) -> usize {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| crate::hostsig::install(&REPLACED, on_fault));
    // SAFETY: the routine above follows the C ABI; faults inside it are recovered by `on_fault`.
    unsafe { remu_safe_copy(dst, src, len) }
}

static REPLACED: crate::hostsig::Replaced = [std::sync::OnceLock::new(), std::sync::OnceLock::new()];

extern "C" fn on_fault(sig: libc::c_int, info: *mut libc::siginfo_t, uctx: *mut libc::c_void) {
    // SAFETY: the kernel passes a valid siginfo and ucontext to an SA_SIGINFO handler; the
    // addresses of the asm labels are only compared and stored.
    unsafe {
        let gregs = &mut (*(uctx as *mut libc::ucontext_t)).uc_mcontext.gregs;
        let rip = gregs[libc::REG_RIP as usize] as usize;
        if (*info).si_code > 0 && rip == std::ptr::addr_of!(remu_safe_copy_insn) as usize {
            gregs[libc::REG_RIP as usize] = std::ptr::addr_of!(remu_safe_copy_fixup) as i64;
            return;
        }
        crate::hostsig::chain(&REPLACED, sig, info, uctx);
    }
}

/// Read a NUL-terminated string at `addr`, at most `max` bytes not counting the NUL. Returns the
/// bytes without the terminator, or None if memory became unreadable before a NUL was found or
/// no NUL appeared within `max` bytes (callers map these to EFAULT / ENAMETOOLONG as they see fit).
pub fn read_cstr(addr: u64, max: usize) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let mut a = addr;
    // Read up to the end of each page so we never touch a page past the terminator.
    loop {
        let page_left = PAGE_SIZE as usize - (a as usize & (PAGE_SIZE as usize - 1));
        let want = page_left.min(max.saturating_add(1) - out.len());
        let mut chunk = [0u8; PAGE_SIZE as usize];
        let got = read_bytes(a, &mut chunk[..want]);
        if let Some(nul) = chunk[..got].iter().position(|&b| b == 0) {
            out.extend_from_slice(&chunk[..nul]);
            return Some(out);
        }
        out.extend_from_slice(&chunk[..got]);
        if got < want || out.len() > max {
            return None;
        }
        a = a.checked_add(got as u64)?;
    }
}

/// Bytes a [`CodeWindow`] reads ahead.
const CODE_WINDOW: usize = 512;

/// Guest code read ahead with one fault-free copy, for the instruction fetches of one block
/// translation: one copy per block (two when it crosses a page) instead of one per
/// instruction, which made translation syscall-bound when copies were syscalls. Make a new
/// window per block: it does not see writes made after it was filled.
pub struct CodeWindow {
    base: u64,
    len: usize,
    buf: [u8; CODE_WINDOW],
}

impl Default for CodeWindow {
    fn default() -> Self {
        CodeWindow { base: 0, len: 0, buf: [0; CODE_WINDOW] }
    }
}

impl CodeWindow {
    /// The `N` bytes at `addr`, refilling the window from `addr` to the end of its page when
    /// they are not in it (None if they are not all readable).
    fn bytes<const N: usize>(&mut self, addr: u64) -> Option<[u8; N]> {
        let inside = |w: &Self| addr >= w.base && addr - w.base + N as u64 <= w.len as u64;
        if !inside(self) {
            let page_left = (PAGE_SIZE - (addr & (PAGE_SIZE - 1))) as usize;
            let want = page_left.max(N).min(CODE_WINDOW);
            self.base = addr;
            self.len = read_bytes(addr, &mut self.buf[..want]);
        }
        if !inside(self) {
            return None;
        }
        let at = (addr - self.base) as usize;
        self.buf[at..at + N].try_into().ok()
    }

    /// A little-endian 32-bit instruction word.
    pub fn u32(&mut self, addr: u64) -> Option<u32> {
        self.bytes::<4>(addr).map(u32::from_le_bytes)
    }

    /// A little-endian 16-bit parcel (RISC-V compressed instructions).
    pub fn u16(&mut self, addr: u64) -> Option<u16> {
        self.bytes::<2>(addr).map(u16::from_le_bytes)
    }
}

/// Fetch a little-endian 32-bit instruction word (None if not readable).
pub fn fetch_u32(addr: u64) -> Option<u32> {
    let mut b = [0u8; 4];
    (read_bytes(addr, &mut b) == 4).then(|| u32::from_le_bytes(b))
}

/// Fetch a little-endian 16-bit parcel (RISC-V compressed instructions).
pub fn fetch_u16(addr: u64) -> Option<u16> {
    let mut b = [0u8; 2];
    (read_bytes(addr, &mut b) == 2).then(|| u16::from_le_bytes(b))
}

#[cfg(test)]
mod tests {
    /// A fresh private read-write anonymous mapping of `pages` pages (the test unmaps it).
    fn map_rw(pages: usize) -> u64 {
        let len = pages * super::PAGE_SIZE as usize;
        let (prot, flags) = (libc::PROT_READ | libc::PROT_WRITE, libc::MAP_PRIVATE | libc::MAP_ANONYMOUS);
        // SAFETY: a new anonymous mapping; nothing else refers to it.
        let p = unsafe { libc::mmap(std::ptr::null_mut(), len, prot, flags, -1, 0) };
        assert_ne!(p, libc::MAP_FAILED);
        p as u64
    }

    #[test]
    fn code_window_reads_ahead_and_stops_at_unmapped_pages() {
        use super::{CodeWindow, PAGE_SIZE};
        // Two pages, the second made inaccessible: fetches run up to the boundary only.
        let p = map_rw(2);
        // SAFETY: p..p + 2 pages is the mapping made above.
        unsafe {
            for i in 0..PAGE_SIZE {
                *((p + i) as *mut u8) = i as u8;
            }
            assert_eq!(
                libc::mprotect((p + PAGE_SIZE) as *mut libc::c_void, PAGE_SIZE as usize, libc::PROT_NONE),
                0
            );
        }
        let mut w = CodeWindow::default();
        assert_eq!(w.u32(p), Some(u32::from_le_bytes([0, 1, 2, 3])));
        assert_eq!(w.u16(p + 6), Some(u16::from_le_bytes([6, 7])));
        let last = p + PAGE_SIZE - 4;
        assert_eq!(w.u32(last), Some(u32::from_le_bytes([0xfc, 0xfd, 0xfe, 0xff])));
        assert_eq!(w.u16(p + PAGE_SIZE - 2), Some(u16::from_le_bytes([0xfe, 0xff])));
        assert_eq!(w.u32(p + PAGE_SIZE - 2), None, "straddles into the inaccessible page");
        assert_eq!(w.u16(p + PAGE_SIZE), None);
        // SAFETY: the mapping made above, no longer used.
        unsafe { libc::munmap(p as *mut libc::c_void, 2 * PAGE_SIZE as usize) };
    }

    #[test]
    fn fetch_reads_mapped_and_rejects_unmapped() {
        let v: u32 = 0xd503_201f;
        assert_eq!(super::fetch_u32(&v as *const u32 as u64), Some(v));
        assert_eq!(super::fetch_u32(0), None);
    }

    #[test]
    fn read_cstr_stops_at_nul_limit_and_unmapped() {
        let s = b"hello\0world";
        let a = s.as_ptr() as u64;
        assert_eq!(super::read_cstr(a, 100).as_deref(), Some(&b"hello"[..]));
        assert_eq!(super::read_cstr(a, 5).as_deref(), Some(&b"hello"[..]));
        assert_eq!(super::read_cstr(a, 4), None);
        assert_eq!(super::read_cstr(0, 100), None);
        assert_eq!(super::read_cstr(a + 5, 0).as_deref(), Some(&b""[..]));
    }

    #[test]
    fn read_cstr_crosses_pages_and_stops_at_unmapped_page() {
        // Two pages: the first all 'a' up to the boundary, the second PROT_NONE.
        let ps = super::PAGE_SIZE as usize;
        let base = map_rw(2);
        let p = base as *mut libc::c_void;
        assert_eq!(super::write_bytes(base + ps as u64 - 3, b"ab\0cd"), 5);
        assert_eq!(super::read_cstr(base + ps as u64 - 3, 64).as_deref(), Some(&b"ab"[..]));
        assert_eq!(super::write_bytes(base + ps as u64 - 3, b"abc"), 3);
        // SAFETY: second page of our own mapping.
        unsafe { libc::mprotect((base + ps as u64) as *mut libc::c_void, ps, libc::PROT_NONE) };
        assert_eq!(super::read_cstr(base + ps as u64 - 3, 64), None);
        assert_eq!(super::write_bytes(base + ps as u64 - 1, b"xy"), 1);
        // SAFETY: unmapping our own mapping.
        unsafe { libc::munmap(p, 2 * ps) };
    }

    #[test]
    fn copies_honour_protections_and_count_exactly() {
        // Three pages: read-write, read-only, none. A copy runs up to the first byte its
        // direction may not touch and reports exactly how far it got.
        let ps = super::PAGE_SIZE as usize;
        let base = map_rw(3);
        let p = base as *mut libc::c_void;
        let data: Vec<u8> = (0..3 * ps).map(|i| (i * 7) as u8).collect();
        assert_eq!(super::write_bytes(base, &data[..2 * ps]), 2 * ps);
        // SAFETY: pages of our own mapping.
        unsafe {
            libc::mprotect((base + ps as u64) as *mut libc::c_void, ps, libc::PROT_READ);
            libc::mprotect((base + 2 * ps as u64) as *mut libc::c_void, ps, libc::PROT_NONE);
        }
        let at = base + ps as u64 - 100;
        assert_eq!(super::write_bytes(at, &[0xee; 300]), 100, "the read-only page refuses writes");
        let mut back = vec![0u8; 3 * ps];
        assert_eq!(super::read_bytes(base, &mut back), 2 * ps, "reads stop at the PROT_NONE page");
        assert!(back[..ps - 100].iter().zip(&data).all(|(a, b)| a == b));
        assert!(back[ps - 100..ps].iter().all(|&b| b == 0xee));
        assert_eq!(back[ps..2 * ps], data[ps..2 * ps]);
        assert_eq!(super::read_bytes(base + 2 * ps as u64, &mut back[..1]), 0);
        assert_eq!(super::read_bytes(u64::MAX - 2, &mut back[..8]), 0, "wraps no further than the top");
        // SAFETY: unmapping our own mapping.
        unsafe { libc::munmap(p, 3 * ps) };
    }
}
