//! Readiness and event descriptors: ppoll, pselect6, epoll, eventfd, timerfd.
//!
//! `struct pollfd`, `fd_set`, the sigset argument blocks, `itimerspec` and the EFD_/TFD_ flags
//! (O_CLOEXEC/O_NONBLOCK values, shared by riscv64 and aarch64 with x86_64) pass through.
//! `struct epoll_event` does not: x86_64 packs it to 12 bytes, asm-generic keeps it naturally
//! aligned at 16, so epoll_ctl and epoll_pwait marshal through [`crate::guest::EpollEvent`].

use crate::errno::Errno;
use crate::guest::EpollEvent;
use crate::uaccess::{bytes_of, read_obj, write_exact};
use crate::{host, Ctx, SysResult};

passthrough! {
    ppoll => SYS_ppoll;
    pselect6 => SYS_pselect6;
    epoll_create1 => SYS_epoll_create1;
    eventfd2 => SYS_eventfd2;
    timerfd_create => SYS_timerfd_create;
    timerfd_settime => SYS_timerfd_settime;
    timerfd_gettime => SYS_timerfd_gettime;
    // signalfd_siginfo is 128 bytes of fixed fields everywhere.
    signalfd4 => SYS_signalfd4;
}

const EPOLL_CTL_DEL: u64 = 2;

pub(crate) fn epoll_ctl(_: &mut Ctx<'_>, a: &[u64; 6]) -> SysResult {
    // EPOLL_CTL_DEL ignores the event (it may be NULL); the others must read it.
    if a[1] as u32 as u64 == EPOLL_CTL_DEL || a[3] == 0 {
        return host(libc::SYS_epoll_ctl, &[a[0], a[1], a[2], a[3], 0, 0]);
    }
    let ge: EpollEvent = read_obj(a[3])?;
    let he = libc::epoll_event { events: ge.events, u64: ge.data };
    host(libc::SYS_epoll_ctl, &[a[0], a[1], a[2], &he as *const _ as u64, 0, 0])
}

/// Largest maxevents the kernel accepts (INT_MAX / sizeof(struct epoll_event) for the guest).
const EP_MAX_EVENTS: i32 = i32::MAX / 16;

pub(crate) fn epoll_pwait(_: &mut Ctx<'_>, a: &[u64; 6]) -> SysResult {
    epoll_wait_common(libc::SYS_epoll_pwait, a)
}

/// epoll_pwait2: the timeout is a `struct timespec *` (same layout), otherwise as epoll_pwait.
pub(crate) fn epoll_pwait2(_: &mut Ctx<'_>, a: &[u64; 6]) -> SysResult {
    epoll_wait_common(libc::SYS_epoll_pwait2, a)
}

fn epoll_wait_common(nr: libc::c_long, a: &[u64; 6]) -> SysResult {
    let max = a[2] as i32;
    if max <= 0 || max > EP_MAX_EVENTS {
        return Err(Errno::EINVAL);
    }
    // Bound the host buffer: events beyond this stay queued for the next call, which the
    // epoll API allows (a short count is always legal).
    let n = (max as usize).min(1024);
    let mut hev = vec![libc::epoll_event { events: 0, u64: 0 }; n];
    let got = host(nr, &[a[0], hev.as_mut_ptr() as u64, n as u64, a[3], a[4], a[5]])? as usize;
    let mut out = Vec::with_capacity(got * 16);
    for h in &hev[..got.min(n)] {
        let ge = EpollEvent { events: h.events, __pad: 0, data: h.u64 };
        out.extend_from_slice(bytes_of(&ge));
    }
    write_exact(a[1], &out)?;
    Ok(got as u64)
}
