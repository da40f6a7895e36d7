//! The initial process stack, laid out as Linux's `create_elf_tables` (fs/binfmt_elf.c) does.
//!
//! From the top of the stack down:
//!
//! ```text
//!   8-byte zero end marker
//!   AT_EXECFN string
//!   envp strings, argv strings (argv[0] lowest)
//!   -- 16-byte alignment --
//!   AT_PLATFORM string
//!   16 AT_RANDOM bytes
//!   -- 16-byte alignment --
//!   auxv pairs ending in AT_NULL
//!   NULL, envp pointers
//!   NULL, argv pointers
//!   argc                      <- sp (16-byte aligned)
//! ```
//!
//! [`build`] is pure (it computes the bytes for a given stack top) so the layout is unit-tested
//! without mapping anything; [`map_stack`] reserves the host memory.

use super::LoadError;
use crate::mem::PAGE_SIZE;
use std::ffi::OsString;
use std::os::unix::ffi::OsStrExt;

pub const AT_NULL: u64 = 0;
pub const AT_PHDR: u64 = 3;
pub const AT_PHENT: u64 = 4;
pub const AT_PHNUM: u64 = 5;
pub const AT_PAGESZ: u64 = 6;
pub const AT_BASE: u64 = 7;
pub const AT_FLAGS: u64 = 8;
pub const AT_ENTRY: u64 = 9;
pub const AT_UID: u64 = 11;
pub const AT_EUID: u64 = 12;
pub const AT_GID: u64 = 13;
pub const AT_EGID: u64 = 14;
pub const AT_PLATFORM: u64 = 15;
pub const AT_HWCAP: u64 = 16;
pub const AT_CLKTCK: u64 = 17;
pub const AT_SECURE: u64 = 23;
pub const AT_RANDOM: u64 = 25;
pub const AT_HWCAP2: u64 = 26;
pub const AT_EXECFN: u64 = 31;
pub const AT_MINSIGSTKSZ: u64 = 51;

/// Default guest stack size (the usual RLIMIT_STACK).
pub const STACK_SIZE: u64 = 8 << 20;

/// What goes on the initial stack. Auxv entries whose value is a pointer into the stack
/// (AT_RANDOM, AT_EXECFN, AT_PLATFORM) are filled in by [`build`]; `auxv` holds the others.
pub struct StackSpec<'a> {
    pub argv: &'a [OsString],
    pub envp: &'a [OsString],
    pub execfn: &'a [u8],
    pub platform: &'a str,
    pub random: [u8; 16],
    pub auxv: Vec<(u64, u64)>,
}

/// The initial stack contents for a given top address.
#[derive(Debug, PartialEq, Eq)]
pub struct StackImage {
    /// Initial stack pointer (address of argc).
    pub sp: u64,
    /// Bytes to write at `sp` (they end at the stack top).
    pub bytes: Vec<u8>,
    /// The full auxiliary vector, AT_NULL included (what /proc/self/auxv shows).
    pub auxv: Vec<(u64, u64)>,
}

/// Lay out the stack below `top` (page aligned). Fails with E2BIG-like error when the strings
/// exceed a quarter of `size`, the limit Linux applies to argv+envp.
pub fn build(top: u64, size: u64, spec: &StackSpec) -> Result<StackImage, LoadError> {
    let strings: usize = spec.argv.iter().chain(spec.envp).map(|s| s.len() + 1).sum::<usize>()
        + spec.execfn.len()
        + 1
        + spec.platform.len()
        + 1;
    if strings as u64 > size / 4 {
        return Err(LoadError::TooBig(strings as u64));
    }
    // Addresses are computed top-down, then everything is written into one buffer.
    let mut p = top - 8;
    p -= spec.execfn.len() as u64 + 1;
    let execfn_addr = p;
    let mut str_addrs = Vec::with_capacity(spec.argv.len() + spec.envp.len());
    let total_args: u64 = spec.argv.iter().chain(spec.envp).map(|s| s.len() as u64 + 1).sum();
    p -= total_args;
    let mut q = p;
    for s in spec.argv.iter().chain(spec.envp) {
        str_addrs.push(q);
        q += s.len() as u64 + 1;
    }
    let strings_start = p;
    p &= !15;
    p -= spec.platform.len() as u64 + 1;
    let platform_addr = p;
    p -= 16;
    let random_addr = p;
    p &= !15;

    let mut auxv = spec.auxv.clone();
    auxv.push((AT_RANDOM, random_addr));
    auxv.push((AT_EXECFN, execfn_addr));
    auxv.push((AT_PLATFORM, platform_addr));
    auxv.push((AT_NULL, 0));
    let words = 1 + spec.argv.len() + 1 + spec.envp.len() + 1 + 2 * auxv.len();
    let sp = (p - 8 * words as u64) & !15;

    let mut bytes = vec![0u8; (top - sp) as usize];
    let mut put = |addr: u64, data: &[u8]| {
        let o = (addr - sp) as usize;
        bytes[o..o + data.len()].copy_from_slice(data);
    };
    let mut w = sp;
    let mut word = |put: &mut dyn FnMut(u64, &[u8]), v: u64| {
        put(w, &v.to_le_bytes());
        w += 8;
    };
    word(&mut put, spec.argv.len() as u64);
    for a in &str_addrs[..spec.argv.len()] {
        word(&mut put, *a);
    }
    word(&mut put, 0);
    for a in &str_addrs[spec.argv.len()..] {
        word(&mut put, *a);
    }
    word(&mut put, 0);
    for &(k, v) in &auxv {
        word(&mut put, k);
        word(&mut put, v);
    }
    let mut q = strings_start;
    for s in spec.argv.iter().chain(spec.envp) {
        put(q, s.as_bytes());
        q += s.len() as u64 + 1; // the NUL is already there: the buffer starts zeroed
    }
    put(execfn_addr, spec.execfn);
    put(platform_addr, spec.platform.as_bytes());
    put(random_addr, &spec.random);
    Ok(StackImage { sp, bytes, auxv })
}

/// Map a guest stack of `size` bytes with a PROT_NONE guard page below it; returns
/// `(bottom, top)` of the usable range.
pub fn map_stack(size: u64) -> Result<(u64, u64), LoadError> {
    let total = size + PAGE_SIZE;
    // SAFETY: a fresh anonymous mapping chosen by the host.
    let p = unsafe {
        libc::mmap(
            std::ptr::null_mut(),
            total as usize,
            libc::PROT_READ | libc::PROT_WRITE,
            libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | libc::MAP_NORESERVE | libc::MAP_STACK,
            -1,
            0,
        )
    };
    if p == libc::MAP_FAILED {
        return Err(LoadError::Map {
            what: "cannot map the guest stack".into(),
            addr: 0,
            len: total,
            err: std::io::Error::last_os_error(),
        });
    }
    let base = p as u64;
    // SAFETY: the lowest page of our own mapping becomes the guard.
    unsafe { libc::mprotect(p, PAGE_SIZE as usize, libc::PROT_NONE) };
    Ok((base + PAGE_SIZE, base + total))
}

/// 16 random bytes for AT_RANDOM (glibc seeds the stack protector and pointer guard from them).
pub fn random_bytes() -> [u8; 16] {
    let mut b = [0u8; 16];
    // SAFETY: getrandom fills our buffer.
    let n = unsafe { libc::getrandom(b.as_mut_ptr() as *mut libc::c_void, 16, 0) };
    if n != 16 {
        // No entropy source (very old kernel, seccomp): fall back to time and address bits so
        // the canary is at least not a constant.
        let t = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        let x = t ^ ((&b as *const _ as u128) << 64);
        b = x.to_le_bytes();
    }
    b
}
