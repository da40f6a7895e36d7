//! Process and identity syscalls: ids, credentials, sessions, limits, uname, exit, kill, wait,
//! prctl, scheduling, futex, and clone as far as fork goes.
//!
//! Most pass through: remu *is* the guest's process, so its pid, credentials, limits and children
//! are the guest's. Emulated: exit/exit_group (the run loop ends the process), set_tid_address and
//! set_robust_list (recorded, not handed to the host, whose lists belong to remu's own libc),
//! uname's machine field, rseq (refused so the guest's libc does not register an area the host
//! kernel would write into on preemption), prctl (an allow-list), and clone (fork only).

use crate::errno::Errno;
use crate::uaccess::write_obj;
use crate::{host, Ctx, SysResult};

/// Per-process state the thread-related calls record.
#[derive(Default, Debug)]
pub(crate) struct ProcState {
    /// set_tid_address: cleared (and futex-woken) at thread exit once threads exist.
    pub clear_child_tid: u64,
    /// set_robust_list head and length.
    pub robust_list: (u64, u64),
}

passthrough! {
    getpid => SYS_getpid;
    getppid => SYS_getppid;
    gettid => SYS_gettid;
    getuid => SYS_getuid;
    geteuid => SYS_geteuid;
    getgid => SYS_getgid;
    getegid => SYS_getegid;
    getgroups => SYS_getgroups;
    setgroups => SYS_setgroups;
    setuid => SYS_setuid;
    setgid => SYS_setgid;
    setreuid => SYS_setreuid;
    setregid => SYS_setregid;
    setresuid => SYS_setresuid;
    setresgid => SYS_setresgid;
    getresuid => SYS_getresuid;
    getresgid => SYS_getresgid;
    setsid => SYS_setsid;
    getsid => SYS_getsid;
    setpgid => SYS_setpgid;
    getpgid => SYS_getpgid;
    prlimit64 => SYS_prlimit64;
    getrlimit => SYS_getrlimit;
    setrlimit => SYS_setrlimit;
    getrusage => SYS_getrusage;
    sysinfo => SYS_sysinfo;
    getrandom => SYS_getrandom;
    kill => SYS_kill;
    tkill => SYS_tkill;
    tgkill => SYS_tgkill;
    wait4 => SYS_wait4;
    waitid => SYS_waitid;
    sched_getaffinity => SYS_sched_getaffinity;
    sched_setaffinity => SYS_sched_setaffinity;
    sched_yield => SYS_sched_yield;
    getpriority => SYS_getpriority;
    setpriority => SYS_setpriority;
    getcpu => SYS_getcpu;
    personality => SYS_personality;
    membarrier => SYS_membarrier;
    // Futex words live in identity-mapped guest memory and the timeout is a plain timespec.
    futex => SYS_futex;
    capget => SYS_capget;
    capset => SYS_capset;
    sched_setparam => SYS_sched_setparam;
    sched_getparam => SYS_sched_getparam;
    sched_setscheduler => SYS_sched_setscheduler;
    sched_getscheduler => SYS_sched_getscheduler;
    sched_get_priority_max => SYS_sched_get_priority_max;
    sched_get_priority_min => SYS_sched_get_priority_min;
    sched_rr_get_interval => SYS_sched_rr_get_interval;
    pidfd_open => SYS_pidfd_open;
    pidfd_send_signal => SYS_pidfd_send_signal;
}

pub(crate) fn get_robust_list(cx: &mut Ctx<'_>, a: &[u64; 6]) -> SysResult {
    // Only the calling thread's list is known (threads come later).
    // SAFETY: getpid/gettid have no preconditions.
    let me = unsafe { [libc::getpid(), libc::gettid()] };
    if a[0] as i32 != 0 && !me.contains(&(a[0] as i32)) {
        return Err(Errno::EPERM);
    }
    let (head, len) = cx.lx.proc.robust_list;
    write_obj(a[1], &head)?;
    write_obj(a[2], &len)?;
    Ok(0)
}

pub(crate) fn exit(cx: &mut Ctx<'_>, a: &[u64; 6]) -> SysResult {
    // One guest thread for now, so ending the thread ends the process.
    cx.exit = Some((a[0] & 0xff) as i32);
    Ok(0)
}

pub(crate) fn exit_group(cx: &mut Ctx<'_>, a: &[u64; 6]) -> SysResult {
    cx.exit = Some((a[0] & 0xff) as i32);
    Ok(0)
}

pub(crate) fn set_tid_address(cx: &mut Ctx<'_>, a: &[u64; 6]) -> SysResult {
    cx.lx.proc.clear_child_tid = a[0];
    // SAFETY: gettid has no preconditions.
    Ok(unsafe { libc::gettid() } as u64)
}

pub(crate) fn set_robust_list(cx: &mut Ctx<'_>, a: &[u64; 6]) -> SysResult {
    // The kernel checks the length against sizeof(struct robust_list_head), 24 on 64-bit.
    if a[1] != 24 {
        return Err(Errno::EINVAL);
    }
    cx.lx.proc.robust_list = (a[0], a[1]);
    Ok(0)
}

pub(crate) fn rseq(_: &mut Ctx<'_>, _: &[u64; 6]) -> SysResult {
    // The guest's libc treats ENOSYS as "no rseq" and falls back; not logged, it is by design.
    Err(Errno::ENOSYS)
}

pub(crate) fn uname(cx: &mut Ctx<'_>, a: &[u64; 6]) -> SysResult {
    // SAFETY: all-zero is a valid utsname.
    let mut u: libc::utsname = unsafe { std::mem::zeroed() };
    // SAFETY: u is a valid, writable utsname.
    if unsafe { libc::uname(&mut u) } != 0 {
        return Err(Errno::last());
    }
    u.machine = [0; 65];
    for (d, s) in u.machine.iter_mut().zip(cx.lx.arch.name().bytes()) {
        *d = s as libc::c_char;
    }
    write_obj(a[0], &u)?;
    Ok(0)
}

const PR_SET_PDEATHSIG: u64 = 1;
const PR_GET_PDEATHSIG: u64 = 2;
const PR_GET_DUMPABLE: u64 = 3;
const PR_SET_DUMPABLE: u64 = 4;
const PR_SET_NAME: u64 = 15;
const PR_GET_NAME: u64 = 16;
const PR_SET_CHILD_SUBREAPER: u64 = 36;
const PR_GET_CHILD_SUBREAPER: u64 = 37;
const PR_SET_NO_NEW_PRIVS: u64 = 38;
const PR_GET_NO_NEW_PRIVS: u64 = 39;
const PR_SET_VMA: u64 = 0x5356_4d41;

/// prctl: options that mean the same for remu's host process as for the guest pass through;
/// architecture-specific ones (SVE, pointer auth, tagged addresses, RISC-V vector) and anything
/// unknown are EINVAL, the kernel's answer for an unsupported option.
pub(crate) fn prctl(_: &mut Ctx<'_>, a: &[u64; 6]) -> SysResult {
    match a[0] as u32 as u64 {
        PR_SET_PDEATHSIG
        | PR_GET_PDEATHSIG
        | PR_GET_DUMPABLE
        | PR_SET_DUMPABLE
        | PR_SET_NAME
        | PR_GET_NAME
        | PR_SET_CHILD_SUBREAPER
        | PR_GET_CHILD_SUBREAPER
        | PR_SET_NO_NEW_PRIVS
        | PR_GET_NO_NEW_PRIVS
        | PR_SET_VMA => host(libc::SYS_prctl, a),
        _ => Err(Errno::EINVAL),
    }
}

const CLONE_VM: u64 = 0x100;
const CLONE_FS: u64 = 0x200;
const CLONE_FILES: u64 = 0x400;
const CLONE_SIGHAND: u64 = 0x800;
const CLONE_PIDFD: u64 = 0x1000;
const CLONE_VFORK: u64 = 0x4000;
const CLONE_THREAD: u64 = 0x10000;
const CLONE_SETTLS: u64 = 0x80000;

static THREADS_WARNED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// clone: fork and vfork are emulated as a host fork, threads are not implemented yet.
///
/// A vfork (CLONE_VM|CLONE_VFORK, as posix_spawn uses) becomes a plain fork, since the child
/// runs remu itself and cannot share its stack and state with the parent; the guest child still
/// switches to the new stack it asked for. CLONE_SETTLS is applied to the guest's thread pointer
/// rather than to the host's. The guest order (flags, stack, ptid, tls, ctid: CLONE_BACKWARDS on
/// arm64 and riscv64) differs from x86_64's (flags, stack, ptid, ctid, tls).
pub(crate) fn clone(cx: &mut Ctx<'_>, a: &[u64; 6]) -> SysResult {
    let flags = a[0];
    let vfork = flags & (CLONE_VM | CLONE_VFORK) == CLONE_VM | CLONE_VFORK;
    if !vfork && flags & (CLONE_VM | CLONE_THREAD | CLONE_SIGHAND) != 0 {
        if !THREADS_WARNED.swap(true, std::sync::atomic::Ordering::Relaxed) {
            eprintln!("remu: clone({flags:#x}): guest threads are not supported yet");
        }
        return Err(Errno::ENOSYS);
    }
    if flags & (CLONE_PIDFD | CLONE_FS | CLONE_FILES) != 0 && vfork {
        // Sharing these with a forked child would need a real shared address space.
        return Err(Errno::EINVAL);
    }
    let host_flags = flags & !(CLONE_VM | CLONE_VFORK | CLONE_SETTLS);
    let (newsp, ptid, tls, ctid) = (a[1], a[2], a[3], a[4]);
    let r = host(libc::SYS_clone, &[host_flags, 0, ptid, ctid, 0, 0])?;
    if r == 0 {
        let guest = cx.lx.guest.clone();
        if newsp != 0 {
            guest.set_sp(cx.cpu, newsp);
        }
        if flags & CLONE_SETTLS != 0 {
            guest.set_tls(cx.cpu, tls);
        }
    }
    Ok(r)
}
