//! File syscalls through `Linux::handle`: openat/write/fstat, struct stat marshalling, aarch64 open
//! flags, readlink and open of /proc/self/exe and /proc/self/auxv, sysroot lookup.

mod common;

use std::os::unix::fs::symlink;

use common::*;
use emu_core::Arch;
use remu_syscalls::guest::Stat;
use remu_syscalls::path;
use remu_syscalls::Config;

const OPENAT: u64 = 56;
const CLOSE: u64 = 57;
const READ: u64 = 63;
const WRITE: u64 = 64;
const READLINKAT: u64 = 78;
const NEWFSTATAT: u64 = 79;
const FSTAT: u64 = 80;

const O_WRONLY: u64 = 1;
const O_CREAT: u64 = 0o100;
const O_TRUNC: u64 = 0o1000;
const A64_O_DIRECTORY: u64 = 0o40000;

#[test]
fn openat_write_fstat_marshals_generic_stat() {
    let dir = tempdir("owf");
    let p = cstr(dir.join("f").to_str().unwrap());
    let mut r = Rig::aarch64();
    let fd = r.call(OPENAT, &[AT_FDCWD, p.as_ptr() as u64, O_WRONLY | O_CREAT | O_TRUNC, 0o640]);
    assert!((fd as i64) >= 0, "openat failed: {}", fd as i64);
    let data = b"hello, remu\n";
    assert_eq!(r.call(WRITE, &[fd, data.as_ptr() as u64, data.len() as u64]), data.len() as u64);

    // Fill with a pattern so fields the marshalling leaves alone would show up.
    let mut buf = [0xa5u8; 128];
    assert_eq!(r.call(FSTAT, &[fd, buf.as_mut_ptr() as u64]), 0);
    let u32_at = |o: usize| u32::from_le_bytes(buf[o..o + 4].try_into().unwrap());
    let i64_at = |o: usize| i64::from_le_bytes(buf[o..o + 8].try_into().unwrap());
    let host = std::fs::metadata(dir.join("f")).unwrap();
    use std::os::unix::fs::MetadataExt;
    assert_eq!(i64_at(8) as u64, host.ino(), "st_ino at 8");
    assert_eq!(u32_at(16), host.mode(), "st_mode at 16");
    assert_eq!(u32_at(16) & 0o777, 0o640 & !current_umask());
    assert_eq!(u32_at(20), 1, "st_nlink at 20");
    assert_eq!(u32_at(24), host.uid(), "st_uid at 24");
    assert_eq!(i64_at(48), data.len() as i64, "st_size at 48");
    assert_eq!(u32_at(56) as u64, host.blksize(), "st_blksize at 56");
    assert_eq!(i64_at(72), host.atime(), "st_atime at 72");
    assert_eq!(i64_at(88), host.mtime(), "st_mtime at 88");
    assert_eq!(&buf[120..128], &[0u8; 8], "unused tail is zeroed");

    // newfstatat agrees with fstat.
    let mut st = Stat::default();
    assert_eq!(r.call(NEWFSTATAT, &[AT_FDCWD, p.as_ptr() as u64, &mut st as *mut Stat as u64, 0]), 0);
    assert_eq!(st.st_size, data.len() as i64);
    assert_eq!(st.st_ino, host.ino());
    assert_eq!(r.call(CLOSE, &[fd]), 0);
    assert_eq!(r.call(CLOSE, &[fd]), neg(libc::EBADF));
}

fn current_umask() -> u32 {
    // SAFETY: umask is process-global but setting it back immediately restores it.
    unsafe {
        let m = libc::umask(0o022);
        libc::umask(m);
        m
    }
}

#[test]
fn bad_pointers_are_efault() {
    let mut r = Rig::aarch64();
    assert_eq!(r.call(OPENAT, &[AT_FDCWD, 0, 0, 0]), neg(libc::EFAULT));
    assert_eq!(r.call(OPENAT, &[AT_FDCWD, 16, 0, 0]), neg(libc::EFAULT));
    assert_eq!(r.call(FSTAT, &[0, 16]), neg(libc::EFAULT));
    let missing = cstr("/nonexistent/remu/file");
    assert_eq!(r.call(OPENAT, &[AT_FDCWD, missing.as_ptr() as u64, 0, 0]), neg(libc::ENOENT));
}

#[test]
fn aarch64_o_directory_is_translated() {
    let dir = tempdir("odir");
    std::fs::write(dir.join("file"), b"x").unwrap();
    let d = cstr(dir.to_str().unwrap());
    let f = cstr(dir.join("file").to_str().unwrap());
    let mut r = Rig::aarch64();
    let fd = r.call(OPENAT, &[AT_FDCWD, d.as_ptr() as u64, A64_O_DIRECTORY, 0]);
    assert!((fd as i64) >= 0);
    r.call(CLOSE, &[fd]);
    // On the host 0o40000 is O_DIRECT, which would open a file; as O_DIRECTORY it must not.
    assert_eq!(r.call(OPENAT, &[AT_FDCWD, f.as_ptr() as u64, A64_O_DIRECTORY, 0]), neg(libc::ENOTDIR));
}

#[test]
fn proc_self_exe_readlink_and_open() {
    let dir = tempdir("exe");
    let exe = dir.join("guest-prog");
    std::fs::write(&exe, b"\x7fELF-ish guest").unwrap();
    let cfg = Config { exe_path: exe.clone(), ..Config::default() };
    let mut r = Rig::new(Arch::Aarch64, cfg);
    let mut buf = [0u8; 256];
    for p in ["/proc/self/exe".to_string(), format!("/proc/{}/exe", std::process::id())] {
        let cp = cstr(&p);
        let n =
            r.call(READLINKAT, &[AT_FDCWD, cp.as_ptr() as u64, buf.as_mut_ptr() as u64, buf.len() as u64]);
        assert_eq!(&buf[..n as usize], exe.to_str().unwrap().as_bytes(), "readlink {p}");
    }
    // Truncation without a NUL, like the kernel.
    let cp = cstr("/proc/self/exe");
    assert_eq!(r.call(READLINKAT, &[AT_FDCWD, cp.as_ptr() as u64, buf.as_mut_ptr() as u64, 3]), 3);
    let fd = r.call(OPENAT, &[AT_FDCWD, cp.as_ptr() as u64, 0, 0]);
    assert!((fd as i64) >= 0);
    let n = r.call(READ, &[fd, buf.as_mut_ptr() as u64, buf.len() as u64]);
    assert_eq!(&buf[..n as usize], b"\x7fELF-ish guest");
    r.call(CLOSE, &[fd]);
}

#[test]
fn proc_self_auxv_serves_guest_auxv() {
    let cfg = Config { auxv: vec![(6, 4096), (25, 0x1234)], ..Config::default() };
    let mut r = Rig::new(Arch::Riscv64, cfg);
    let p = cstr("/proc/self/auxv");
    let fd = r.call(OPENAT, &[AT_FDCWD, p.as_ptr() as u64, 0, 0]);
    assert!((fd as i64) >= 0);
    let mut buf = [0xffu8; 128];
    let n = r.call(READ, &[fd, buf.as_mut_ptr() as u64, buf.len() as u64]);
    assert_eq!(n, 48);
    let w = |i: usize| u64::from_le_bytes(buf[i * 8..i * 8 + 8].try_into().unwrap());
    assert_eq!([w(0), w(1), w(2), w(3), w(4), w(5)], [6, 4096, 25, 0x1234, 0, 0]);
    r.call(CLOSE, &[fd]);
}

/// A miniature Debian-like sysroot with merged /usr and an absolute symlink.
fn make_sysroot() -> std::path::PathBuf {
    let root = tempdir("sysroot");
    let libdir = root.join("usr/lib/aarch64-linux-gnu");
    std::fs::create_dir_all(&libdir).unwrap();
    std::fs::create_dir_all(root.join("etc")).unwrap();
    std::fs::write(libdir.join("ld-linux-aarch64.so.1"), b"LDSO").unwrap();
    std::fs::write(libdir.join("libc.so.6"), b"LIBC").unwrap();
    std::fs::write(root.join("etc/ld.so.cache"), b"CACHE").unwrap();
    symlink("usr/lib", root.join("lib")).unwrap();
    // Absolute target: must resolve inside the sysroot, not on the host.
    std::fs::create_dir_all(root.join("usr/lib64")).unwrap();
    symlink("/lib/aarch64-linux-gnu/ld-linux-aarch64.so.1", root.join("usr/lib/ld-linux-aarch64.so.1"))
        .unwrap();
    std::fs::create_dir_all(root.join("proc")).unwrap();
    root
}

#[test]
fn sysroot_lookup_prefers_sysroot_then_host() {
    let root = make_sysroot();
    let look = |p: &str, follow: bool| path::lookup(Some(&root), &cstr(p), follow).into_string().unwrap();
    let rs = root.to_str().unwrap();
    assert_eq!(
        look("/lib/ld-linux-aarch64.so.1", true),
        format!("{rs}/usr/lib/aarch64-linux-gnu/ld-linux-aarch64.so.1")
    );
    assert_eq!(look("/etc/ld.so.cache", true), format!("{rs}/etc/ld.so.cache"));
    assert_eq!(
        look("/usr/lib/aarch64-linux-gnu/libc.so.6", true),
        format!("{rs}/usr/lib/aarch64-linux-gnu/libc.so.6")
    );
    // Not following the last link (readlink, lstat) keeps the link itself.
    assert_eq!(look("/lib/ld-linux-aarch64.so.1", false), format!("{rs}/usr/lib/ld-linux-aarch64.so.1"));
    // Missing in the sysroot, relative, /proc and "/" stay as given.
    assert_eq!(look("/etc/hostname-not-in-sysroot", true), "/etc/hostname-not-in-sysroot");
    assert_eq!(look("relative/path", true), "relative/path");
    assert_eq!(look("/proc", true), "/proc");
    assert_eq!(look("/", true), "/");
    assert_eq!(path::lookup(None, &cstr("/etc/ld.so.cache"), true).to_str().unwrap(), "/etc/ld.so.cache");
}

#[test]
fn openat_goes_through_the_sysroot() {
    let root = make_sysroot();
    let cfg = Config { sysroot: Some(root.clone()), ..Config::default() };
    let mut r = Rig::new(Arch::Aarch64, cfg);
    let p = cstr("/lib/ld-linux-aarch64.so.1");
    let fd = r.call(OPENAT, &[AT_FDCWD, p.as_ptr() as u64, 0o2000000, 0]);
    assert!((fd as i64) >= 0);
    let mut buf = [0u8; 16];
    assert_eq!(r.call(READ, &[fd, buf.as_mut_ptr() as u64, 16]), 4);
    assert_eq!(&buf[..4], b"LDSO");
    r.call(CLOSE, &[fd]);
    // readlink sees the sysroot's link text.
    let n = r.call(READLINKAT, &[AT_FDCWD, p.as_ptr() as u64, buf.as_mut_ptr() as u64, 0]);
    assert_eq!(n, neg(libc::EINVAL), "bufsiz 0 is EINVAL");
    let mut lb = [0u8; 128];
    let n = r.call(READLINKAT, &[AT_FDCWD, p.as_ptr() as u64, lb.as_mut_ptr() as u64, 128]);
    assert_eq!(&lb[..n as usize], b"/lib/aarch64-linux-gnu/ld-linux-aarch64.so.1");
}
