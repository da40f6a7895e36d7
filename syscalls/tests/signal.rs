//! Signal bookkeeping: rt_sigaction in both guest layouts, rt_sigprocmask, sigaltstack.

mod common;

use common::*;
use emu_core::Arch;
use remu_syscalls::guest::{SigactionA64, SigactionRv, StackT};

const SIGALTSTACK: u64 = 132;
const RT_SIGACTION: u64 = 134;
const RT_SIGPROCMASK: u64 = 135;
const RT_SIGRETURN: u64 = 139;
const SIGUSR1: u64 = 10;

#[test]
fn sigaction_aarch64_layout_round_trips() {
    let mut r = Rig::aarch64();
    let new = SigactionA64 {
        sa_handler: 0x40_1000,
        sa_flags: 0x0400_0004,
        sa_restorer: 0x40_2000,
        sa_mask: 1 << 1,
    };
    let mut old = SigactionA64 { sa_handler: 99, sa_flags: 99, sa_restorer: 99, sa_mask: 99 };
    let p = |s: &SigactionA64| s as *const SigactionA64 as u64;
    assert_eq!(r.call(RT_SIGACTION, &[SIGUSR1, p(&new), p(&old), 8]), 0);
    assert_eq!(old, SigactionA64::default(), "initial disposition is SIG_DFL");
    assert_eq!(r.call(RT_SIGACTION, &[SIGUSR1, 0, &mut old as *mut _ as u64, 8]), 0);
    assert_eq!(old, new);
    assert_eq!(r.call(RT_SIGACTION, &[SIGUSR1, p(&new), 0, 16]), neg(libc::EINVAL), "sigsetsize");
    assert_eq!(r.call(RT_SIGACTION, &[9, p(&new), 0, 8]), neg(libc::EINVAL), "SIGKILL");
    assert_eq!(r.call(RT_SIGACTION, &[65, 0, 0, 8]), neg(libc::EINVAL));
    assert_eq!(r.call(RT_SIGACTION, &[SIGUSR1, 8, 0, 8]), neg(libc::EFAULT));
}

#[test]
fn sigaction_riscv_has_no_restorer() {
    let mut r = Rig::new(Arch::Riscv64, Default::default());
    let new = SigactionRv { sa_handler: 0x1_0000, sa_flags: 4, sa_mask: 0xff };
    // A 32-byte buffer: riscv writes only 24 bytes, the rest stays untouched.
    let mut out = [0xeeu8; 32];
    assert_eq!(r.call(RT_SIGACTION, &[12, &new as *const _ as u64, 0, 8]), 0);
    assert_eq!(r.call(RT_SIGACTION, &[12, 0, out.as_mut_ptr() as u64, 8]), 0);
    let w = |i: usize| u64::from_le_bytes(out[i * 8..i * 8 + 8].try_into().unwrap());
    assert_eq!([w(0), w(1), w(2)], [0x1_0000, 4, 0xff]);
    assert_eq!(&out[24..], &[0xee; 8]);
}

#[test]
fn sigprocmask_records_and_returns_old() {
    let mut r = Rig::aarch64();
    let mut old = u64::MAX;
    let set: u64 = 1 << (SIGUSR1 - 1) | 1 << 8; // SIGUSR1 and SIGKILL
    let p = |v: &u64| v as *const u64 as u64;
    assert_eq!(r.call(RT_SIGPROCMASK, &[0, p(&set), &mut old as *mut u64 as u64, 8]), 0);
    assert_eq!(old, 0);
    assert_eq!(r.call(RT_SIGPROCMASK, &[0, 0, &mut old as *mut u64 as u64, 8]), 0);
    assert_eq!(old, 1 << (SIGUSR1 - 1), "SIGKILL cannot be blocked");
    let unblock: u64 = 1 << (SIGUSR1 - 1);
    assert_eq!(r.call(RT_SIGPROCMASK, &[1, p(&unblock), 0, 8]), 0);
    assert_eq!(r.call(RT_SIGPROCMASK, &[2, 0, &mut old as *mut u64 as u64, 8]), 0);
    assert_eq!(old, 0);
    assert_eq!(r.call(RT_SIGPROCMASK, &[7, p(&set), 0, 8]), neg(libc::EINVAL));
    assert_eq!(r.call(RT_SIGPROCMASK, &[0, p(&set), 0, 4]), neg(libc::EINVAL));
}

#[test]
fn sigaltstack_records_and_rejects_small_stacks() {
    let mut r = Rig::aarch64();
    let mut old = StackT::default();
    assert_eq!(r.call(SIGALTSTACK, &[0, &mut old as *mut _ as u64]), 0);
    assert_eq!(old.ss_flags, 2, "SS_DISABLE initially");
    let small = StackT { ss_sp: 0x1000, ss_flags: 0, __pad: 0, ss_size: 1024 };
    assert_eq!(r.call(SIGALTSTACK, &[&small as *const _ as u64, 0]), neg(libc::ENOMEM));
    let ok = StackT { ss_sp: 0x10_0000, ss_flags: 0, __pad: 0, ss_size: 0x8000 };
    assert_eq!(r.call(SIGALTSTACK, &[&ok as *const _ as u64, 0]), 0);
    assert_eq!(r.call(SIGALTSTACK, &[0, &mut old as *mut _ as u64]), 0);
    assert_eq!(old, ok);
    // While running on it: reported as SS_ONSTACK, and changing it is EPERM.
    r.cpu.x[31] = 0x10_4000;
    assert_eq!(r.call(SIGALTSTACK, &[0, &mut old as *mut _ as u64]), 0);
    assert_eq!(old.ss_flags, 1);
    assert_eq!(r.call(SIGALTSTACK, &[&ok as *const _ as u64, 0]), neg(libc::EPERM));
    assert_eq!(r.call(RT_SIGRETURN, &[]), neg(libc::ENOSYS));
}
