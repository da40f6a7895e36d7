//! Guest memory access for the interpreter: identity-mapped loads, stores and atomics.
//!
//! SAFETY (whole module): guest addresses are host addresses. A bad guest address faults in the
//! host exactly where the guest's access would have faulted; the fault is reported as the guest's.

use crate::ir::AtomicOp;
use std::sync::atomic::{AtomicU16, AtomicU32, AtomicU64, AtomicU8, Ordering::SeqCst};

// Guest accesses are single x86 `mov`s in inline asm rather than `ptr::read`/`write`: the
// guest may legitimately touch any address (null included), and the access must fault (or not)
// exactly like the guest's instruction, never trip Rust's debug checks for null or alignment.

macro_rules! asm_load {
    ($addr:expr, $ty:ty, $ins:literal) => {{
        let v: u64;
        // SAFETY: see the module docs; the asm reads guest memory and touches nothing else.
        unsafe {
            std::arch::asm!($ins, p = in(reg) $addr, v = out(reg) v, options(nostack, readonly, preserves_flags))
        };
        v as $ty
    }};
}

macro_rules! asm_store {
    ($addr:expr, $v:expr, $ins:literal) => {{
        // SAFETY: see the module docs; the asm writes guest memory and touches nothing else.
        unsafe { std::arch::asm!($ins, p = in(reg) $addr, v = in(reg) $v as u64, options(nostack, preserves_flags)) };
    }};
}

pub(super) fn load(addr: u64, size: u8) -> u128 {
    match size {
        1 => asm_load!(addr, u8, "movzx {v:e}, byte ptr [{p}]") as u128,
        2 => asm_load!(addr, u16, "movzx {v:e}, word ptr [{p}]") as u128,
        4 => asm_load!(addr, u32, "mov {v:e}, dword ptr [{p}]") as u128,
        8 => asm_load!(addr, u64, "mov {v}, qword ptr [{p}]") as u128,
        _ => {
            let lo = asm_load!(addr, u64, "mov {v}, qword ptr [{p}]");
            let hi = asm_load!(addr.wrapping_add(8), u64, "mov {v}, qword ptr [{p}]");
            (hi as u128) << 64 | lo as u128
        }
    }
}

pub(super) fn store(addr: u64, v: u128, size: u8) {
    match size {
        1 => asm_store!(addr, v, "mov byte ptr [{p}], {v:l}"),
        2 => asm_store!(addr, v, "mov word ptr [{p}], {v:x}"),
        4 => asm_store!(addr, v, "mov dword ptr [{p}], {v:e}"),
        8 => asm_store!(addr, v, "mov qword ptr [{p}], {v}"),
        _ => {
            asm_store!(addr, v, "mov qword ptr [{p}], {v}");
            asm_store!(addr.wrapping_add(8), v >> 64, "mov qword ptr [{p}], {v}");
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
