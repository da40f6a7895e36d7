//! brk emulation and the invalidation hooks of munmap/mprotect.

mod common;

use std::sync::atomic::{AtomicU64, Ordering};

use common::*;
use emu_core::Arch;
use remu_syscalls::Config;

const BRK: u64 = 214;
const MUNMAP: u64 = 215;
const MMAP: u64 = 222;
const MPROTECT: u64 = 226;
const PAGE: u64 = 4096;

/// Reserve `pages` of address space and give back all but the first page, so the break can grow
/// into known-free space. The region sits far below where the kernel places `mmap(NULL)`
/// (top-down from just under the stack), so other test threads' allocations never land in the
/// freed hole.
fn free_region(pages: u64) -> u64 {
    static NEXT: AtomicU64 = AtomicU64::new(0x2000_0000_0000);
    let want = NEXT.fetch_add(0x1000_0000, Ordering::Relaxed);
    // SAFETY: an anonymous reservation the test owns; NOREPLACE never clobbers anything.
    let base = unsafe {
        libc::mmap(
            want as *mut libc::c_void,
            (pages * PAGE) as usize,
            libc::PROT_READ | libc::PROT_WRITE,
            libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | libc::MAP_FIXED_NOREPLACE,
            -1,
            0,
        )
    };
    assert_eq!(base as u64, want, "could not reserve the test region");
    // SAFETY: unmapping part of our own reservation.
    unsafe { libc::munmap((want + PAGE) as *mut libc::c_void, ((pages - 1) * PAGE) as usize) };
    want
}

fn readable(addr: u64) -> bool {
    let mut b = [0u8; 1];
    emu_core::mem::read_bytes(addr, &mut b) == 1
}

#[test]
fn brk_grows_shrinks_and_never_goes_below_start() {
    let base = free_region(64);
    let start = base + 100;
    let mut r = Rig::new(Arch::Aarch64, Config { brk: start, ..Config::default() });
    assert_eq!(r.call(BRK, &[0]), start, "brk(0) reports the initial break");
    assert_eq!(r.call(BRK, &[start - 1]), start, "below the start: unchanged");

    let grown = base + 3 * PAGE + 5;
    assert_eq!(r.call(BRK, &[grown]), grown);
    assert!(readable(base + 3 * PAGE), "new heap page mapped");
    // SAFETY: the page was just mapped read-write by brk.
    unsafe { *((base + 3 * PAGE) as *mut u8) = 7 };
    assert!(!readable(base + 4 * PAGE), "nothing mapped past the break's page");

    let shrunk = base + PAGE + 1;
    assert_eq!(r.call(BRK, &[shrunk]), shrunk);
    assert!(readable(base + PAGE));
    assert!(!readable(base + 2 * PAGE), "pages above the new break are unmapped");
    assert!(r.engine.invalidated.borrow().contains(&(base + 2 * PAGE, 2 * PAGE)));

    // Shrinking to the start keeps the loader's page.
    assert_eq!(r.call(BRK, &[start]), start);
    assert!(readable(base));
    assert_eq!(r.lx.brk(), start);
    // SAFETY: releasing the test's reservation.
    unsafe { libc::munmap(base as *mut libc::c_void, PAGE as usize) };
}

#[test]
fn brk_into_an_existing_mapping_fails_with_current_break() {
    let base = free_region(8);
    // Occupy the page two pages above the break.
    // SAFETY: fixed-noreplace mapping inside the freed reservation.
    let blocker = unsafe {
        libc::mmap(
            (base + 2 * PAGE) as *mut libc::c_void,
            PAGE as usize,
            libc::PROT_READ,
            libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | libc::MAP_FIXED_NOREPLACE,
            -1,
            0,
        )
    };
    assert_eq!(blocker as u64, base + 2 * PAGE);
    let mut r = Rig::new(Arch::Aarch64, Config { brk: base + 16, ..Config::default() });
    assert_eq!(r.call(BRK, &[base + 4 * PAGE]), base + 16, "refused: returns the old break");
    assert_eq!(r.call(BRK, &[base + PAGE + 8]), base + PAGE + 8, "growth below the blocker works");
    // SAFETY: releasing the test's mappings.
    unsafe { libc::munmap(base as *mut libc::c_void, (3 * PAGE) as usize) };
}

#[test]
fn mmap_munmap_mprotect_pass_through_and_invalidate() {
    let mut r = Rig::aarch64();
    // PROT_READ|PROT_WRITE|PROT_BTI: the BTI bit must not reach the host.
    let a = r.call(MMAP, &[0, 2 * PAGE, 0x13, 0x22, -1i64 as u64, 0]);
    assert!((a as i64) > 0, "mmap failed: {}", a as i64);
    assert!(readable(a));
    assert_eq!(r.call(MPROTECT, &[a, PAGE, 0x11]), 0);
    assert_eq!(r.call(MUNMAP, &[a, 2 * PAGE]), 0);
    assert!(!readable(a));
    let inv = r.engine.invalidated.borrow();
    assert!(inv.contains(&(a, PAGE)) && inv.contains(&(a, 2 * PAGE)));
    drop(inv);
    assert_eq!(r.call(MUNMAP, &[a + 1, PAGE]), neg(libc::EINVAL));
}
