//! Guest-side UAPI layouts and constants (asm-generic, as used by arm64 and riscv64), kept apart
//! from the host's `libc` types so the two never mix.
//!
//! Where a layout is identical to x86_64's (statx, statfs, rlimit, timespec, utsname, sysinfo,
//! termios, dirent64, msghdr) the syscall passes through and the compile-time asserts below pin
//! that assumption; where it differs (`stat`, `epoll_event`, `sigaction`, aarch64's open flags)
//! the family handler marshals through the types here.

use core::mem::{offset_of, size_of};

use emu_core::Arch;

use crate::uaccess::Plain;

/// `AT_FDCWD`: the same value everywhere.
pub const AT_FDCWD: i32 = -100;

/// asm-generic `struct stat` (include/uapi/asm-generic/stat.h), 128 bytes.
#[repr(C)]
#[derive(Copy, Clone, Default, Debug, PartialEq, Eq)]
pub struct Stat {
    pub st_dev: u64,
    pub st_ino: u64,
    pub st_mode: u32,
    pub st_nlink: u32,
    pub st_uid: u32,
    pub st_gid: u32,
    pub st_rdev: u64,
    pub __pad1: u64,
    pub st_size: i64,
    pub st_blksize: i32,
    pub __pad2: i32,
    pub st_blocks: i64,
    pub st_atime: i64,
    pub st_atime_nsec: u64,
    pub st_mtime: i64,
    pub st_mtime_nsec: u64,
    pub st_ctime: i64,
    pub st_ctime_nsec: u64,
    pub __unused4: u32,
    pub __unused5: u32,
}
const _: () = assert!(size_of::<Stat>() == 128);
const _: () = assert!(offset_of!(Stat, st_size) == 48 && offset_of!(Stat, st_blksize) == 56);
const _: () = assert!(offset_of!(Stat, st_atime) == 72 && offset_of!(Stat, st_ctime_nsec) == 112);
unsafe impl Plain for Stat {}

impl Stat {
    /// Convert the host's (x86_64) `struct stat`.
    pub fn from_host(h: &libc::stat) -> Stat {
        Stat {
            st_dev: h.st_dev,
            st_ino: h.st_ino,
            st_mode: h.st_mode,
            st_nlink: h.st_nlink as u32,
            st_uid: h.st_uid,
            st_gid: h.st_gid,
            st_rdev: h.st_rdev,
            __pad1: 0,
            st_size: h.st_size,
            st_blksize: h.st_blksize as i32,
            __pad2: 0,
            st_blocks: h.st_blocks,
            st_atime: h.st_atime,
            st_atime_nsec: h.st_atime_nsec as u64,
            st_mtime: h.st_mtime,
            st_mtime_nsec: h.st_mtime_nsec as u64,
            st_ctime: h.st_ctime,
            st_ctime_nsec: h.st_ctime_nsec as u64,
            __unused4: 0,
            __unused5: 0,
        }
    }
}

/// asm-generic `struct epoll_event`: naturally aligned (16 bytes), unlike x86_64's packed 12.
#[repr(C)]
#[derive(Copy, Clone, Default, Debug, PartialEq, Eq)]
pub struct EpollEvent {
    pub events: u32,
    pub __pad: u32,
    pub data: u64,
}
const _: () = assert!(size_of::<EpollEvent>() == 16);
const _: () = assert!(size_of::<libc::epoll_event>() == 12);
unsafe impl Plain for EpollEvent {}

/// Kernel `struct sigaction` as arm64 sees it: SA_RESTORER exists, so `sa_restorer` is present.
#[repr(C)]
#[derive(Copy, Clone, Default, Debug, PartialEq, Eq)]
pub struct SigactionA64 {
    pub sa_handler: u64,
    pub sa_flags: u64,
    pub sa_restorer: u64,
    pub sa_mask: u64,
}
const _: () = assert!(size_of::<SigactionA64>() == 32);
unsafe impl Plain for SigactionA64 {}

/// Kernel `struct sigaction` on riscv64: no SA_RESTORER, so no `sa_restorer` field.
#[repr(C)]
#[derive(Copy, Clone, Default, Debug, PartialEq, Eq)]
pub struct SigactionRv {
    pub sa_handler: u64,
    pub sa_flags: u64,
    pub sa_mask: u64,
}
const _: () = assert!(size_of::<SigactionRv>() == 24);
unsafe impl Plain for SigactionRv {}

/// Guest-independent record of one signal disposition.
#[derive(Copy, Clone, Default, Debug, PartialEq, Eq)]
pub struct Sigaction {
    pub handler: u64,
    pub flags: u64,
    pub restorer: u64,
    pub mask: u64,
}

/// `SA_RESTORER`: only meaningful on aarch64.
pub const SA_RESTORER: u64 = 0x0400_0000;
pub const SIG_DFL: u64 = 0;
pub const SIG_IGN: u64 = 1;

/// `struct stack_t` (sigaltstack): the same on all 64-bit asm-generic arches and x86_64.
#[repr(C)]
#[derive(Copy, Clone, Default, Debug, PartialEq, Eq)]
pub struct StackT {
    pub ss_sp: u64,
    pub ss_flags: i32,
    pub __pad: i32,
    pub ss_size: u64,
}
const _: () = assert!(size_of::<StackT>() == size_of::<libc::stack_t>());
unsafe impl Plain for StackT {}

/// `struct timespec`: identical on both sides (64-bit time_t, long nsec).
pub type Timespec = libc::timespec;
const _: () = assert!(size_of::<Timespec>() == 16);

/// `struct rlimit`: two u64 everywhere.
pub type Rlimit = libc::rlimit;
const _: () = assert!(size_of::<Rlimit>() == 16);

/// `struct new_utsname`: six 65-byte strings everywhere.
pub type Utsname = libc::utsname;
const _: () = assert!(size_of::<Utsname>() == 6 * 65);
unsafe impl Plain for libc::utsname {}

/// `struct sysinfo`: longs and a 4-byte tail pad on all 64-bit arches.
const _: () = assert!(size_of::<libc::sysinfo>() == 112);

/// `struct statfs`: asm-generic's 64-bit layout matches x86_64's (all words are long).
const _: () = assert!(size_of::<libc::statfs>() == 120);

/// `struct statx`: one layout for every architecture.
const _: () = assert!(size_of::<libc::statx>() == 256);

/// Kernel `struct termios` (TCGETS/TCSETS): x86_64 uses asm-generic's termbits, 36 bytes, and
/// the c_cflag/c_lflag bit values are the same, so the ioctls pass through.
#[repr(C)]
#[derive(Copy, Clone, Default, Debug)]
pub struct Termios {
    pub c_iflag: u32,
    pub c_oflag: u32,
    pub c_cflag: u32,
    pub c_lflag: u32,
    pub c_line: u8,
    pub c_cc: [u8; 19],
}
const _: () = assert!(size_of::<Termios>() == 36);

/// `struct linux_dirent64` header: d_ino u64, d_off i64, d_reclen u16, d_type u8, then the name.
pub const DIRENT64_NAME_OFFSET: usize = 19;

// open(2) flags that arm64 encodes differently from the generic (and x86_64) values.
const A64_O_DIRECTORY: u32 = 0o40000;
const A64_O_NOFOLLOW: u32 = 0o100000;
const A64_O_DIRECT: u32 = 0o200000;
const A64_O_LARGEFILE: u32 = 0o400000;
const GEN_O_DIRECT: u32 = 0o40000;
const GEN_O_LARGEFILE: u32 = 0o100000;
const GEN_O_DIRECTORY: u32 = 0o200000;
const GEN_O_NOFOLLOW: u32 = 0o400000;

/// The four bits that move between the encodings: (aarch64 bit, generic bit).
const A64_SWAPPED: [(u32, u32); 4] = [
    (A64_O_DIRECTORY, GEN_O_DIRECTORY),
    (A64_O_NOFOLLOW, GEN_O_NOFOLLOW),
    (A64_O_DIRECT, GEN_O_DIRECT),
    (A64_O_LARGEFILE, GEN_O_LARGEFILE),
];

fn remap(v: u32, from_to: impl Fn((u32, u32)) -> (u32, u32)) -> u32 {
    let mask = A64_SWAPPED.iter().fold(0, |m, &(a, g)| m | a | g);
    let mut out = v & !mask;
    for pair in A64_SWAPPED {
        let (from, to) = from_to(pair);
        if v & from != 0 {
            out |= to;
        }
    }
    out
}

/// Guest open/fcntl flags -> host (x86_64 uses the generic encoding, as riscv64 does).
pub fn open_flags_to_host(arch: Arch, v: u32) -> u32 {
    match arch {
        Arch::Aarch64 => remap(v, |p| p),
        Arch::Riscv64 => v,
    }
}

/// Host open/fcntl flags -> guest encoding (F_GETFL).
pub fn open_flags_to_guest(arch: Arch, v: u32) -> u32 {
    match arch {
        Arch::Aarch64 => remap(v, |(a, g)| (g, a)),
        Arch::Riscv64 => v,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aarch64_open_flags_swap_both_ways() {
        let guest = A64_O_DIRECTORY | A64_O_NOFOLLOW | 0o2000000 | 0o100;
        let host = open_flags_to_host(Arch::Aarch64, guest);
        assert_eq!(host, libc::O_DIRECTORY as u32 | libc::O_NOFOLLOW as u32 | libc::O_CLOEXEC as u32 | 0o100);
        assert_eq!(open_flags_to_guest(Arch::Aarch64, host), guest);
        assert_eq!(open_flags_to_host(Arch::Riscv64, 0o200000), 0o200000);
        assert_eq!(open_flags_to_host(Arch::Aarch64, A64_O_DIRECT), libc::O_DIRECT as u32);
    }
}
