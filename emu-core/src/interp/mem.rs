//! Guest memory access for the interpreter: identity-mapped loads, stores and atomics.
//!
//! SAFETY (whole module): guest addresses are host addresses. A bad guest address faults in the
//! host exactly where the guest's access would have faulted; the fault is reported as the guest's.

use crate::ir::AtomicOp;
use std::sync::atomic::{AtomicU16, AtomicU32, AtomicU64, AtomicU8, Ordering::SeqCst};

pub(super) fn load(addr: u64, size: u8) -> u128 {
    let p = addr as *const u8;
    unsafe {
        match size {
            1 => p.read() as u128,
            2 => (p as *const u16).read_unaligned() as u128,
            4 => (p as *const u32).read_unaligned() as u128,
            8 => (p as *const u64).read_unaligned() as u128,
            _ => (p as *const u128).read_unaligned(),
        }
    }
}

pub(super) fn store(addr: u64, v: u128, size: u8) {
    let p = addr as *mut u8;
    unsafe {
        match size {
            1 => p.write(v as u8),
            2 => (p as *mut u16).write_unaligned(v as u16),
            4 => (p as *mut u32).write_unaligned(v as u32),
            8 => (p as *mut u64).write_unaligned(v as u64),
            _ => (p as *mut u128).write_unaligned(v),
        }
    }
}

fn apply(op: AtomicOp, old: u128, v: u128, bits: u32) -> u128 {
    let s = |x: u128| super::sext(x, bits);
    let m = super::lane_mask(bits as u8);
    (match op {
        AtomicOp::Add => old.wrapping_add(v),
        AtomicOp::Clr => old & !v,
        AtomicOp::And => old & v,
        AtomicOp::Eor => old ^ v,
        AtomicOp::Set => old | v,
        AtomicOp::Smax => {
            if s(old) >= s(v) {
                old
            } else {
                v
            }
        }
        AtomicOp::Smin => {
            if s(old) <= s(v) {
                old
            } else {
                v
            }
        }
        AtomicOp::Umax => old.max(v),
        AtomicOp::Umin => old.min(v),
        AtomicOp::Swap => v,
    }) & m
}

/// Atomic read-modify-write; returns the old value. Implemented as a CAS loop so every op has
/// one code path; aligned accesses are truly atomic, misaligned ones fall back to plain accesses.
pub(super) fn atomic_rmw(op: AtomicOp, addr: u64, v: u128, size: u8) -> u128 {
    let bits = size as u32 * 8;
    let v = v & super::lane_mask(bits as u8);
    loop {
        let old = load(addr, size);
        let new = apply(op, old, v, bits);
        if cas(addr, old, new, size) == old {
            return old;
        }
    }
}

macro_rules! cas_as {
    ($at:ty, $t:ty, $addr:expr, $e:expr, $n:expr) => {{
        let a = unsafe { <$at>::from_ptr($addr as *mut $t) };
        match a.compare_exchange($e as $t, $n as $t, SeqCst, SeqCst) {
            Ok(x) | Err(x) => x as u128,
        }
    }};
}

/// Compare-and-swap; returns the old memory value.
pub(super) fn cas(addr: u64, expected: u128, new: u128, size: u8) -> u128 {
    if !addr.is_multiple_of(size as u64) {
        // Misaligned: the guest would fault on most implementations; do it non-atomically.
        let old = load(addr, size);
        if old == expected & super::lane_mask(size * 8) {
            store(addr, new, size);
        }
        return old;
    }
    match size {
        1 => cas_as!(AtomicU8, u8, addr, expected, new),
        2 => cas_as!(AtomicU16, u16, addr, expected, new),
        4 => cas_as!(AtomicU32, u32, addr, expected, new),
        8 => cas_as!(AtomicU64, u64, addr, expected, new),
        _ => cas16(addr, expected, new),
    }
}

fn cas16(addr: u64, expected: u128, new: u128) -> u128 {
    let (mut lo, mut hi) = (expected as u64, (expected >> 64) as u64);
    // SAFETY: addr is 16-byte aligned (checked by the caller); cmpxchg16b is on every x86_64
    // CPU remu supports.
    unsafe {
        std::arch::asm!(
            "xchg rbx, {nlo}",
            "lock cmpxchg16b [{p}]",
            "xchg rbx, {nlo}",
            p = in(reg) addr,
            nlo = inout(reg) new as u64 => _,
            in("rcx") (new >> 64) as u64,
            inout("rax") lo,
            inout("rdx") hi,
        );
    }
    (hi as u128) << 64 | lo as u128
}
