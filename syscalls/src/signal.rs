//! Signal syscalls: rt_sigaction, rt_sigprocmask, sigaltstack, rt_sigpending, rt_sigreturn.
//!
//! Delivery to guest handlers is not implemented yet, so this file only keeps the guest's view
//! consistent: dispositions, the mask and the alternate stack are recorded and reported back as
//! the kernel would. The one host effect: a guest SIG_IGN (and a later SIG_DFL) of an asynchronous
//! signal is applied to remu's process too, so `signal(SIGPIPE, SIG_IGN)` gives EPIPE and SIGCHLD
//! auto-reaping works. Synchronous signals (SEGV, BUS, ILL, FPE, TRAP) keep remu's own handlers.
//! The mask is recorded only: with no guest handlers installed on the host, blocking on the host
//! would change nothing the guest can observe except deferring death, and the later delivery work
//! owns the host mask.
//!
//! The kernel `struct sigaction` differs between the guests: arm64 defines SA_RESTORER and has an
//! `sa_restorer` field, riscv64 does not ([`crate::guest`]).

use emu_core::Arch;

use crate::errno::Errno;
use crate::guest::{self as g, Sigaction, SigactionA64, SigactionRv, StackT};
use crate::uaccess::{read_obj, write_obj};
use crate::{host, Ctx, SysResult};

const NSIG: usize = 64;
const SIGKILL: u64 = 9;
const SIGSTOP: u64 = 19;
const SYNC_SIGNALS: [u64; 5] = [4, 5, 7, 8, 11];
const SS_ONSTACK: i32 = 1;
const SS_DISABLE: i32 = 2;
const SS_AUTODISARM: i32 = 1 << 31;

/// Guest signal state.
#[derive(Debug)]
pub(crate) struct SigState {
    pub actions: [Sigaction; NSIG],
    pub mask: u64,
    pub altstack: StackT,
}

impl Default for SigState {
    fn default() -> Self {
        SigState {
            actions: [Sigaction::default(); NSIG],
            mask: 0,
            altstack: StackT { ss_sp: 0, ss_flags: SS_DISABLE, __pad: 0, ss_size: 0 },
        }
    }
}

fn read_action(arch: Arch, addr: u64) -> Result<Sigaction, Errno> {
    Ok(match arch {
        Arch::Aarch64 => {
            let s: SigactionA64 = read_obj(addr)?;
            Sigaction { handler: s.sa_handler, flags: s.sa_flags, restorer: s.sa_restorer, mask: s.sa_mask }
        }
        Arch::Riscv64 => {
            let s: SigactionRv = read_obj(addr)?;
            Sigaction { handler: s.sa_handler, flags: s.sa_flags, restorer: 0, mask: s.sa_mask }
        }
    })
}

fn write_action(arch: Arch, addr: u64, a: &Sigaction) -> Result<(), Errno> {
    match arch {
        Arch::Aarch64 => write_obj(
            addr,
            &SigactionA64 {
                sa_handler: a.handler,
                sa_flags: a.flags,
                sa_restorer: a.restorer,
                sa_mask: a.mask,
            },
        ),
        Arch::Riscv64 => {
            write_obj(addr, &SigactionRv { sa_handler: a.handler, sa_flags: a.flags, sa_mask: a.mask })
        }
    }
}

/// Can never be blocked or caught.
const UNBLOCKABLE: u64 = 1 << (SIGKILL - 1) | 1 << (SIGSTOP - 1);

pub(crate) fn rt_sigaction(cx: &mut Ctx<'_>, a: &[u64; 6]) -> SysResult {
    let (sig, act, oact) = (a[0] as u32 as u64, a[1], a[2]);
    if a[3] != 8 || sig == 0 || sig as usize > NSIG {
        return Err(Errno::EINVAL);
    }
    if act != 0 && (sig == SIGKILL || sig == SIGSTOP) {
        return Err(Errno::EINVAL);
    }
    let arch = cx.lx.arch;
    // Read the new action first: a bad pointer must leave the old one in place.
    let new = if act != 0 { Some(read_action(arch, act)?) } else { None };
    let slot = &mut cx.lx.sig.actions[sig as usize - 1];
    if oact != 0 {
        write_action(arch, oact, slot)?;
    }
    if let Some(mut n) = new {
        if arch == Arch::Riscv64 {
            n.flags &= !g::SA_RESTORER;
        }
        n.mask &= !UNBLOCKABLE;
        let was_ign = slot.handler == g::SIG_IGN;
        *slot = n;
        let is_ign = n.handler == g::SIG_IGN;
        if was_ign != is_ign && !SYNC_SIGNALS.contains(&sig) {
            set_host_ignored(sig as i32, is_ign);
        }
    }
    Ok(0)
}

fn set_host_ignored(sig: i32, ignore: bool) {
    // SAFETY: installing SIG_IGN / SIG_DFL with an empty mask; no handler code is involved.
    unsafe {
        let mut sa: libc::sigaction = std::mem::zeroed();
        sa.sa_sigaction = if ignore { libc::SIG_IGN } else { libc::SIG_DFL };
        libc::sigemptyset(&mut sa.sa_mask);
        libc::sigaction(sig, &sa, std::ptr::null_mut());
    }
}

const SIG_BLOCK: u64 = 0;
const SIG_UNBLOCK: u64 = 1;
const SIG_SETMASK: u64 = 2;

pub(crate) fn rt_sigprocmask(cx: &mut Ctx<'_>, a: &[u64; 6]) -> SysResult {
    if a[3] != 8 {
        return Err(Errno::EINVAL);
    }
    let (how, set, oset) = (a[0] as u32 as u64, a[1], a[2]);
    let new = if set != 0 {
        let s: u64 = read_obj(set)?;
        Some(match how {
            SIG_BLOCK => cx.lx.sig.mask | s,
            SIG_UNBLOCK => cx.lx.sig.mask & !s,
            SIG_SETMASK => s,
            _ => return Err(Errno::EINVAL),
        })
    } else {
        None
    };
    if oset != 0 {
        write_obj(oset, &cx.lx.sig.mask)?;
    }
    if let Some(m) = new {
        cx.lx.sig.mask = m & !UNBLOCKABLE;
    }
    Ok(0)
}

/// MINSIGSTKSZ per guest (arm64 reserves room for its larger frame).
fn min_sigstksz(arch: Arch) -> u64 {
    match arch {
        Arch::Aarch64 => 5120,
        Arch::Riscv64 => 2048,
    }
}

pub(crate) fn sigaltstack(cx: &mut Ctx<'_>, a: &[u64; 6]) -> SysResult {
    let sp = cx.lx.guest.sp(cx.cpu);
    let cur = cx.lx.sig.altstack;
    let on_stack = cur.ss_flags & SS_DISABLE == 0 && sp.wrapping_sub(cur.ss_sp) < cur.ss_size;
    let new = if a[0] != 0 { Some(read_obj::<StackT>(a[0])?) } else { None };
    if a[1] != 0 {
        let mut old = cur;
        old.ss_flags = if on_stack { SS_ONSTACK } else { cur.ss_flags };
        write_obj(a[1], &old)?;
    }
    if let Some(mut n) = new {
        if on_stack {
            return Err(Errno::EPERM);
        }
        let mode = n.ss_flags & !SS_AUTODISARM;
        if mode != 0 && mode != SS_DISABLE && mode != SS_ONSTACK {
            return Err(Errno::EINVAL);
        }
        if mode == SS_DISABLE {
            n = StackT { ss_sp: 0, ss_flags: SS_DISABLE, __pad: 0, ss_size: 0 };
        } else if n.ss_size < min_sigstksz(cx.lx.arch) {
            return Err(Errno::ENOMEM);
        } else {
            n.ss_flags &= SS_AUTODISARM;
        }
        cx.lx.sig.altstack = n;
    }
    Ok(0)
}

pub(crate) fn rt_sigpending(_: &mut Ctx<'_>, a: &[u64; 6]) -> SysResult {
    // Signals pending for remu's process are pending for the guest.
    host(libc::SYS_rt_sigpending, a)
}

pub(crate) fn rt_sigreturn(_: &mut Ctx<'_>, _: &[u64; 6]) -> SysResult {
    // Nothing builds guest signal frames yet, so there is no frame to return from.
    eprintln!("remu: rt_sigreturn without signal delivery support");
    Err(Errno::ENOSYS)
}
