//! Dispatch behaviour (unknown syscalls, exit) and a few emulated or marshalled calls: uname,
//! set_tid_address, prctl, epoll_event marshalling, fcntl flag translation.

mod common;

use common::*;
use emu_core::Arch;
use remu_syscalls::guest::EpollEvent;
use remu_syscalls::Action;

#[test]
fn unknown_syscall_is_enosys_and_logged_once() {
    let mut r = Rig::aarch64();
    assert_eq!(r.call(89, &[0, 0, 0]), neg(libc::ENOSYS), "acct is not implemented");
    assert_eq!(r.call(89, &[0, 0, 0]), neg(libc::ENOSYS));
    assert_eq!(r.call(5000, &[]), neg(libc::ENOSYS));
    assert_eq!(r.call(u64::MAX, &[]), neg(libc::ENOSYS));
    let mut seen: Vec<u64> = r.lx.unsupported_seen().collect();
    seen.sort();
    assert_eq!(seen, vec![89, 5000, u64::MAX]);
    // rseq is refused on purpose and not reported as unsupported.
    assert_eq!(r.call(293, &[0, 32, 0, 0]), neg(libc::ENOSYS));
    assert_eq!(r.lx.unsupported_seen().count(), 3);
}

#[test]
fn exit_group_and_exit_stop_the_guest() {
    let mut r = Rig::aarch64();
    assert_eq!(r.call_action(94, &[0x105]), Action::Exit(5));
    let mut r = Rig::new(Arch::Riscv64, Default::default());
    assert_eq!(r.call_action(93, &[3]), Action::Exit(3));
}

#[test]
fn uname_reports_the_guest_machine() {
    for (arch, want) in [(Arch::Aarch64, "aarch64"), (Arch::Riscv64, "riscv64")] {
        let mut r = Rig::new(arch, Default::default());
        // SAFETY: all-zero is a valid utsname.
        let mut u: libc::utsname = unsafe { std::mem::zeroed() };
        assert_eq!(r.call(160, &[&mut u as *mut _ as u64]), 0);
        // SAFETY: the kernel and the handler NUL-terminate the fields.
        let m = unsafe { std::ffi::CStr::from_ptr(u.machine.as_ptr()) };
        assert_eq!(m.to_str().unwrap(), want);
        let s = unsafe { std::ffi::CStr::from_ptr(u.sysname.as_ptr()) };
        assert_eq!(s.to_str().unwrap(), "Linux");
        assert_eq!(r.call(160, &[8]), neg(libc::EFAULT));
    }
}

#[test]
fn ids_and_thread_bookkeeping() {
    let mut r = Rig::aarch64();
    // SAFETY: no preconditions.
    let tid = unsafe { libc::gettid() } as u64;
    assert_eq!(r.call(172, &[]), std::process::id() as u64);
    assert_eq!(r.call(178, &[]), tid);
    assert_eq!(r.call(96, &[0x1234]), tid, "set_tid_address returns the tid");
    assert_eq!(r.call(99, &[0x5678, 24]), 0);
    assert_eq!(r.call(99, &[0x5678, 8]), neg(libc::EINVAL));
    assert_eq!(r.call(167, &[0x4000_0000, 0, 0, 0, 0]), neg(libc::EINVAL), "unknown prctl");
    let mut name = [0u8; 16];
    assert_eq!(r.call(167, &[16, name.as_mut_ptr() as u64, 0, 0, 0]), 0, "PR_GET_NAME");
    assert!(name.contains(&0));
}

#[test]
fn epoll_events_are_marshalled_to_16_bytes() {
    let mut r = Rig::aarch64();
    let ep = r.call(20, &[0o2000000]);
    assert!((ep as i64) >= 0);
    let efd = r.call(19, &[0, 0o2000000]);
    assert!((efd as i64) >= 0);
    let ev = EpollEvent { events: libc::EPOLLIN as u32, __pad: 0, data: 0xdead_beef_cafe_f00d };
    assert_eq!(r.call(21, &[ep, 1, efd, &ev as *const _ as u64]), 0);
    let one = 1u64;
    assert_eq!(r.call(64, &[efd, &one as *const u64 as u64, 8]), 8);
    let mut out = [EpollEvent { events: 0, __pad: 0x5555, data: 0 }; 4];
    assert_eq!(r.call(22, &[ep, out.as_mut_ptr() as u64, 4, 0, 0, 8]), 1);
    assert_eq!(out[0].events, libc::EPOLLIN as u32);
    assert_eq!(out[0].data, 0xdead_beef_cafe_f00d);
    assert_eq!(out[1].__pad, 0x5555, "only returned events are written");
    assert_eq!(r.call(22, &[ep, out.as_mut_ptr() as u64, 0, 0, 0, 8]), neg(libc::EINVAL));
    assert_eq!(r.call(21, &[ep, 1, efd, 8]), neg(libc::EFAULT));
    r.call(57, &[efd]);
    r.call(57, &[ep]);
}

#[test]
fn fcntl_getfl_uses_guest_flag_encoding() {
    let mut r = Rig::aarch64();
    let p = cstr("/");
    // aarch64 O_DIRECTORY|O_NOFOLLOW-free open of a directory with O_LARGEFILE (0o400000 on arm64).
    let fd = r.call(56, &[AT_FDCWD, p.as_ptr() as u64, 0o40000 | 0o400000, 0]);
    assert!((fd as i64) >= 0);
    let fl = r.call(25, &[fd, 3, 0]);
    assert_eq!(fl & 0o400000, 0o400000, "O_LARGEFILE reported in the arm64 encoding");
    assert_eq!(fl & 0o100000, 0, "not as the generic bit (arm64 O_NOFOLLOW)");
    r.call(57, &[fd]);
}

#[test]
fn unknown_ioctl_is_enotty_known_one_passes() {
    let mut r = Rig::aarch64();
    let mut n = 0i32;
    let mut fds = [0i32; 2];
    assert_eq!(r.call(59, &[fds.as_mut_ptr() as u64, 0]), 0);
    let one = 7u8;
    r.call(64, &[fds[1] as u64, &one as *const u8 as u64, 1]);
    assert_eq!(r.call(29, &[fds[0] as u64, 0x541b, &mut n as *mut i32 as u64]), 0, "FIONREAD");
    assert_eq!(n, 1);
    assert_eq!(r.call(29, &[fds[0] as u64, 0xdead_0001, 0]), neg(libc::ENOTTY));
    r.call(57, &[fds[0] as u64]);
    r.call(57, &[fds[1] as u64]);
}
