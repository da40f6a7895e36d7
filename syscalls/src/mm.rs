//! Memory-management syscalls: brk is emulated; mmap, munmap, mprotect, mremap, madvise and the
//! locking calls pass through (guest memory is identity-mapped, so a guest mapping *is* a host
//! mapping at the same address).
//!
//! Calls that can change or remove code bytes (munmap, mprotect, mremap, madvise(DONTNEED)) also
//! drop cached translations of the range via `CodeInvalidator::invalidate`.
//!
//! Not yet tracked: remu's own mappings (code buffer, stacks, heap) are not recorded here, so a
//! guest MAP_FIXED over them is not refused as DESIGN.md §3 requires; that needs the core's map
//! of emulator-owned ranges.

use emu_core::Arch;

use crate::{host, Ctx, SysResult};

const PAGE: u64 = 4096;

fn page_up(v: u64) -> u64 {
    v.saturating_add(PAGE - 1) & !(PAGE - 1)
}

/// The emulated program break.
#[derive(Debug)]
pub(crate) struct Brk {
    /// Initial break: brk never goes below it.
    pub start: u64,
    /// Current break as the guest sees it.
    pub cur: u64,
    /// End of the memory actually mapped for the heap (page aligned). The loader maps the page
    /// holding the initial break, so mapping starts at the page boundary after it.
    pub mapped_end: u64,
}

impl Brk {
    pub fn new(start: u64) -> Brk {
        Brk { start, cur: start, mapped_end: page_up(start) }
    }
}

/// brk(addr): like the kernel, return the new break on success and the unchanged current break
/// on any failure (glibc detects failure by comparing).
pub(crate) fn brk(cx: &mut Ctx<'_>, a: &[u64; 6]) -> SysResult {
    let want = a[0];
    let b = &mut cx.lx.mm;
    if want < b.start {
        return Ok(b.cur);
    }
    let new_end = page_up(want);
    if new_end > b.mapped_end {
        let len = new_end - b.mapped_end;
        // SAFETY: MAP_FIXED_NOREPLACE never replaces an existing mapping; the kernel refuses
        // (EEXIST) if anything (guest or remu) lives in the range.
        let p = unsafe {
            libc::mmap(
                b.mapped_end as *mut libc::c_void,
                len as usize,
                libc::PROT_READ | libc::PROT_WRITE,
                libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | libc::MAP_FIXED_NOREPLACE,
                -1,
                0,
            )
        };
        if p == libc::MAP_FAILED {
            return Ok(b.cur);
        }
        if p as u64 != b.mapped_end {
            // An old kernel that ignores MAP_FIXED_NOREPLACE placed it elsewhere: undo.
            // SAFETY: unmapping the region the kernel just gave us.
            unsafe { libc::munmap(p, len as usize) };
            return Ok(b.cur);
        }
        b.mapped_end = new_end;
    } else if new_end < b.mapped_end {
        let floor = page_up(b.start);
        let keep = new_end.max(floor);
        if keep < b.mapped_end {
            let len = b.mapped_end - keep;
            // SAFETY: the range [keep, mapped_end) is the heap remu mapped for the guest.
            if unsafe { libc::munmap(keep as *mut libc::c_void, len as usize) } != 0 {
                return Ok(b.cur);
            }
            cx.code.invalidate(keep, len);
            b.mapped_end = keep;
        }
    }
    b.cur = want;
    Ok(want)
}

/// PROT_BTI and PROT_MTE (arm64) mean nothing to the host, which would reject them.
fn host_prot(arch: Arch, prot: u64) -> u64 {
    match arch {
        Arch::Aarch64 => prot & !0x30,
        Arch::Riscv64 => prot,
    }
}

pub(crate) fn mmap(cx: &mut Ctx<'_>, a: &[u64; 6]) -> SysResult {
    let prot = host_prot(cx.lx.arch, a[2]);
    let r = host(libc::SYS_mmap, &[a[0], a[1], prot, a[3], a[4], a[5]])?;
    // A MAP_FIXED mapping may replace code that was translated before.
    if a[3] & libc::MAP_FIXED as u64 != 0 {
        cx.code.invalidate(r, a[1]);
    }
    Ok(r)
}

pub(crate) fn munmap(cx: &mut Ctx<'_>, a: &[u64; 6]) -> SysResult {
    let r = host(libc::SYS_munmap, a)?;
    cx.code.invalidate(a[0], a[1]);
    Ok(r)
}

pub(crate) fn mprotect(cx: &mut Ctx<'_>, a: &[u64; 6]) -> SysResult {
    let prot = host_prot(cx.lx.arch, a[2]);
    let r = host(libc::SYS_mprotect, &[a[0], a[1], prot, 0, 0, 0])?;
    cx.code.invalidate(a[0], a[1]);
    Ok(r)
}

pub(crate) fn mremap(cx: &mut Ctx<'_>, a: &[u64; 6]) -> SysResult {
    let r = host(libc::SYS_mremap, a)?;
    cx.code.invalidate(a[0], a[1]);
    if r != a[0] {
        cx.code.invalidate(r, a[2]);
    }
    Ok(r)
}

const MADV_DONTNEED: u64 = 4;
const MADV_FREE: u64 = 8;
const MADV_REMOVE: u64 = 9;

pub(crate) fn madvise(cx: &mut Ctx<'_>, a: &[u64; 6]) -> SysResult {
    let r = host(libc::SYS_madvise, a)?;
    // These can replace the range's contents with zeroes (or the file's bytes).
    if matches!(a[2], MADV_DONTNEED | MADV_FREE | MADV_REMOVE) {
        cx.code.invalidate(a[0], a[1]);
    }
    Ok(r)
}

passthrough! {
    msync => SYS_msync;
    mlock => SYS_mlock;
    munlock => SYS_munlock;
    mincore => SYS_mincore;
    mlock2 => SYS_mlock2;
    mlockall => SYS_mlockall;
    munlockall => SYS_munlockall;
}
