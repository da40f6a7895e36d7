//! Path-based filesystem syscalls (openat, the stat family, readlinkat, access, directory and
//! link operations, attributes, statfs, sync).
//!
//! Calls that *look up* an existing object (open, stat, access, readlink) go through the sysroot
//! ([`crate::path`]) and the /proc emulation ([`crate::proc`]); calls that create, remove or modify
//! names pass the guest's path straight to the host, as qemu's `-L` does. `struct stat` is the one
//! marshalled layout here (asm-generic vs x86_64); statx and statfs are identical and pass through.

use std::ffi::CString;

use crate::errno::{check, Errno};
use crate::guest as g;
use crate::proc::{self, ProcFile};
use crate::uaccess::{read_path, write_exact, write_obj};
use crate::{host, path, Ctx, Linux, SysResult};

const AT_SYMLINK_NOFOLLOW: u64 = 0x100;

/// A guest path argument resolved for a lookup: /proc emulation first, then the sysroot.
enum Looked {
    Proc(ProcFile),
    Host(CString),
}

fn look_up(lx: &Linux, addr: u64, follow_last: bool) -> Result<Looked, Errno> {
    let p = read_path(addr)?;
    if let Some(f) = proc::classify(p.to_bytes()) {
        return Ok(Looked::Proc(f));
    }
    Ok(Looked::Host(path::lookup(lx.cfg.sysroot.as_deref(), &p, follow_last)))
}

/// The host path for lookups that treat /proc/self/exe as the guest program (stat, access).
fn look_up_file(lx: &Linux, addr: u64, follow_last: bool) -> Result<CString, Errno> {
    match look_up(lx, addr, follow_last)? {
        Looked::Host(p) => Ok(p),
        Looked::Proc(ProcFile::Exe) => proc::exe_cpath(lx),
        // Served from a memfd only on open; other lookups see the host's file.
        Looked::Proc(ProcFile::Auxv) => read_path(addr),
    }
}

fn sys(nr: libc::c_long, a: [u64; 6]) -> SysResult {
    host(nr, &a)
}

pub(crate) fn openat(cx: &mut Ctx<'_>, a: &[u64; 6]) -> SysResult {
    let flags = g::open_flags_to_host(cx.lx.arch, a[2] as u32) as i32;
    let follow = flags & libc::O_NOFOLLOW == 0;
    match look_up(cx.lx, a[1], follow)? {
        Looked::Proc(f) => proc::open(cx.lx, f, flags),
        Looked::Host(p) => sys(libc::SYS_openat, [a[0], p.as_ptr() as u64, flags as u64, a[3], 0, 0]),
    }
}

fn put_stat(addr: u64, h: &libc::stat) -> SysResult {
    write_obj(addr, &g::Stat::from_host(h))?;
    Ok(0)
}

pub(crate) fn newfstatat(cx: &mut Ctx<'_>, a: &[u64; 6]) -> SysResult {
    let p = look_up_file(cx.lx, a[1], a[3] & AT_SYMLINK_NOFOLLOW == 0)?;
    // SAFETY: all-zero is a valid libc::stat.
    let mut st: libc::stat = unsafe { std::mem::zeroed() };
    sys(libc::SYS_newfstatat, [a[0], p.as_ptr() as u64, &mut st as *mut _ as u64, a[3], 0, 0])?;
    put_stat(a[2], &st)
}

pub(crate) fn fstat(_: &mut Ctx<'_>, a: &[u64; 6]) -> SysResult {
    // SAFETY: all-zero is a valid libc::stat.
    let mut st: libc::stat = unsafe { std::mem::zeroed() };
    sys(libc::SYS_fstat, [a[0], &mut st as *mut _ as u64, 0, 0, 0, 0])?;
    put_stat(a[1], &st)
}

pub(crate) fn statx(cx: &mut Ctx<'_>, a: &[u64; 6]) -> SysResult {
    let p = look_up_file(cx.lx, a[1], a[2] & AT_SYMLINK_NOFOLLOW == 0)?;
    sys(libc::SYS_statx, [a[0], p.as_ptr() as u64, a[2], a[3], a[4], 0])
}

pub(crate) fn readlinkat(cx: &mut Ctx<'_>, a: &[u64; 6]) -> SysResult {
    let bufsiz = a[3] as i32;
    if bufsiz <= 0 {
        return Err(Errno::EINVAL);
    }
    match look_up(cx.lx, a[1], false)? {
        Looked::Proc(ProcFile::Exe) => {
            let exe = proc::exe_cpath(cx.lx)?;
            // readlink truncates silently and writes no NUL.
            let b = exe.to_bytes();
            let n = b.len().min(bufsiz as usize);
            write_exact(a[2], &b[..n])?;
            Ok(n as u64)
        }
        Looked::Proc(ProcFile::Auxv) => Err(Errno::EINVAL),
        Looked::Host(p) => sys(libc::SYS_readlinkat, [a[0], p.as_ptr() as u64, a[2], a[3], 0, 0]),
    }
}

pub(crate) fn faccessat(cx: &mut Ctx<'_>, a: &[u64; 6]) -> SysResult {
    let p = look_up_file(cx.lx, a[1], true)?;
    sys(libc::SYS_faccessat, [a[0], p.as_ptr() as u64, a[2], 0, 0, 0])
}

pub(crate) fn faccessat2(cx: &mut Ctx<'_>, a: &[u64; 6]) -> SysResult {
    let p = look_up_file(cx.lx, a[1], a[3] & AT_SYMLINK_NOFOLLOW == 0)?;
    sys(libc::SYS_faccessat2, [a[0], p.as_ptr() as u64, a[2], a[3], 0, 0])
}

pub(crate) fn umask(_: &mut Ctx<'_>, a: &[u64; 6]) -> SysResult {
    // SAFETY: umask has no preconditions.
    Ok(unsafe { libc::umask((a[0] & 0o777) as libc::mode_t) } as u64)
}

pub(crate) fn sync(_: &mut Ctx<'_>, _: &[u64; 6]) -> SysResult {
    // SAFETY: sync has no preconditions.
    unsafe { libc::sync() };
    Ok(0)
}

pub(crate) fn chdir(_: &mut Ctx<'_>, a: &[u64; 6]) -> SysResult {
    let p = read_path(a[0])?;
    // SAFETY: p is a valid C string.
    check(unsafe { libc::chdir(p.as_ptr()) } as libc::c_long)
}

// Name-changing calls: the guest's path as given (the kernel reads the strings; bad pointers
// are its EFAULT). Descriptor calls: same structures on both sides.
passthrough! {
    getcwd => SYS_getcwd;
    fchdir => SYS_fchdir;
    mknodat => SYS_mknodat;
    mkdirat => SYS_mkdirat;
    unlinkat => SYS_unlinkat;
    symlinkat => SYS_symlinkat;
    linkat => SYS_linkat;
    renameat2 => SYS_renameat2;
    fchmod => SYS_fchmod;
    fchmodat => SYS_fchmodat;
    fchownat => SYS_fchownat;
    fchown => SYS_fchown;
    utimensat => SYS_utimensat;
    truncate => SYS_truncate;
    ftruncate => SYS_ftruncate;
    fallocate => SYS_fallocate;
    statfs => SYS_statfs;
    fstatfs => SYS_fstatfs;
    fsync => SYS_fsync;
    fdatasync => SYS_fdatasync;
    syncfs => SYS_syncfs;
    sync_file_range => SYS_sync_file_range;
    fadvise64 => SYS_fadvise64;
    readahead => SYS_readahead;
    fchmodat2 => SYS_fchmodat2;
    inotify_init1 => SYS_inotify_init1;
    inotify_add_watch => SYS_inotify_add_watch;
    inotify_rm_watch => SYS_inotify_rm_watch;
    // Extended attributes: names are strings and values opaque bytes on every architecture.
    setxattr => SYS_setxattr;
    lsetxattr => SYS_lsetxattr;
    fsetxattr => SYS_fsetxattr;
    getxattr => SYS_getxattr;
    lgetxattr => SYS_lgetxattr;
    fgetxattr => SYS_fgetxattr;
    listxattr => SYS_listxattr;
    llistxattr => SYS_llistxattr;
    flistxattr => SYS_flistxattr;
    removexattr => SYS_removexattr;
    lremovexattr => SYS_lremovexattr;
    fremovexattr => SYS_fremovexattr;
}

pub(crate) fn renameat(_: &mut Ctx<'_>, a: &[u64; 6]) -> SysResult {
    // x86_64 has renameat too, but renameat2 with flags 0 is the same call and always present.
    sys(libc::SYS_renameat2, [a[0], a[1], a[2], a[3], 0, 0])
}
