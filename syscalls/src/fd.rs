//! File-descriptor syscalls: I/O, seeking, directories, pipes, dup, fcntl, flock, in-kernel copies.
//!
//! Everything here passes through except where aarch64's open-flag encoding leaks in
//! (fcntl F_GETFL/F_SETFL, pipe2's O_DIRECT, dup3). `struct iovec`, `linux_dirent64` and
//! `struct flock` have the same 64-bit layout on the guests and on x86_64.
//!
//! Not yet tracked: remu's own descriptors (log files, the guest executable) are not hidden from
//! the guest, so a guest `close` of one of them is honoured.

use crate::guest as g;
use crate::{host, Ctx, SysResult};

passthrough! {
    close => SYS_close;
    lseek => SYS_lseek;
    read => SYS_read;
    write => SYS_write;
    readv => SYS_readv;
    writev => SYS_writev;
    pread64 => SYS_pread64;
    pwrite64 => SYS_pwrite64;
    preadv => SYS_preadv;
    pwritev => SYS_pwritev;
    getdents64 => SYS_getdents64;
    dup => SYS_dup;
    flock => SYS_flock;
    sendfile => SYS_sendfile;
    copy_file_range => SYS_copy_file_range;
    memfd_create => SYS_memfd_create;
    close_range => SYS_close_range;
    preadv2 => SYS_preadv2;
    pwritev2 => SYS_pwritev2;
    splice => SYS_splice;
    tee => SYS_tee;
    vmsplice => SYS_vmsplice;
}

pub(crate) fn dup3(cx: &mut Ctx<'_>, a: &[u64; 6]) -> SysResult {
    let flags = g::open_flags_to_host(cx.lx.arch, a[2] as u32);
    host(libc::SYS_dup3, &[a[0], a[1], flags as u64, 0, 0, 0])
}

pub(crate) fn pipe2(cx: &mut Ctx<'_>, a: &[u64; 6]) -> SysResult {
    // pipe2 accepts O_DIRECT (packet mode), whose bit differs on aarch64.
    let flags = g::open_flags_to_host(cx.lx.arch, a[1] as u32);
    host(libc::SYS_pipe2, &[a[0], flags as u64, 0, 0, 0, 0])
}

const F_GETFL: u64 = 3;
const F_SETFL: u64 = 4;

pub(crate) fn fcntl(cx: &mut Ctx<'_>, a: &[u64; 6]) -> SysResult {
    let arch = cx.lx.arch;
    match a[1] as u32 as u64 {
        F_GETFL => {
            let r = host(libc::SYS_fcntl, &[a[0], F_GETFL, 0, 0, 0, 0])?;
            Ok(g::open_flags_to_guest(arch, r as u32) as u64)
        }
        F_SETFL => {
            let flags = g::open_flags_to_host(arch, a[2] as u32);
            host(libc::SYS_fcntl, &[a[0], F_SETFL, flags as u64, 0, 0, 0])
        }
        // The remaining commands take ints, fds or structs (flock, f_owner_ex) with the same
        // layout on both sides, and an unknown command is the host kernel's EINVAL.
        _ => host(libc::SYS_fcntl, a),
    }
}
