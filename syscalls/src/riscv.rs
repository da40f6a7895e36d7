//! RISC-V-only syscalls (asm-generic's arch-specific slots 258-259): `riscv_hwprobe`, which
//! reports the ISA remu implements, and `riscv_flush_icache`, which drops translations of the
//! range so self-modifying or JIT-generated guest code runs as written. On an aarch64 guest both
//! numbers are unassigned and give ENOSYS.

use crate::errno::Errno;
use crate::{Ctx, SysResult};
use emu_core::guest::Arch;
use emu_core::mem::{read_bytes, write_bytes};

// Keys and values from the kernel's arch/riscv/include/uapi/asm/hwprobe.h.
const KEY_MVENDORID: i64 = 0;
const KEY_MARCHID: i64 = 1;
const KEY_MIMPID: i64 = 2;
const KEY_BASE_BEHAVIOR: i64 = 3;
const KEY_IMA_EXT_0: i64 = 4;
const KEY_CPUPERF_0: i64 = 5;
const BASE_BEHAVIOR_IMA: u64 = 1 << 0;
const IMA_FD: u64 = 1 << 0;
const IMA_C: u64 = 1 << 1;
const EXT_ZBA: u64 = 1 << 3;
const EXT_ZBB: u64 = 1 << 4;
const EXT_ZBS: u64 = 1 << 5;
/// CPUPERF_0 value "misaligned access speed unknown".
const MISALIGNED_UNKNOWN: u64 = 0;

/// The value remu reports for `key`, or None for keys it does not know (the kernel then sets
/// the pair's key to -1).
fn probe(key: i64) -> Option<u64> {
    Some(match key {
        KEY_MVENDORID | KEY_MARCHID | KEY_MIMPID => 0,
        KEY_BASE_BEHAVIOR => BASE_BEHAVIOR_IMA,
        // Exactly the extensions the riscv64 frontend implements: F, D, C, Zba, Zbb, Zbs.
        KEY_IMA_EXT_0 => IMA_FD | IMA_C | EXT_ZBA | EXT_ZBB | EXT_ZBS,
        KEY_CPUPERF_0 => MISALIGNED_UNKNOWN,
        _ => return None,
    })
}

/// riscv_hwprobe(pairs, pair_count, cpusetsize, cpus, flags).
pub(crate) fn riscv_hwprobe(cx: &mut Ctx<'_>, a: &[u64; 6]) -> SysResult {
    if cx.lx.arch != Arch::Riscv64 {
        return Err(Errno::ENOSYS);
    }
    if a[4] != 0 {
        return Err(Errno::EINVAL);
    }
    for i in 0..a[1] {
        let at = a[0].wrapping_add(16 * i);
        let mut pair = [0u8; 16];
        if read_bytes(at, &mut pair) != 16 {
            return Err(Errno::EFAULT);
        }
        let key = i64::from_le_bytes(pair[..8].try_into().unwrap());
        let (key, value) = match probe(key) {
            Some(v) => (key, v),
            None => (-1, 0),
        };
        pair[..8].copy_from_slice(&key.to_le_bytes());
        pair[8..].copy_from_slice(&value.to_le_bytes());
        if write_bytes(at, &pair) != 16 {
            return Err(Errno::EFAULT);
        }
    }
    Ok(0)
}

/// riscv_flush_icache(start, end, flags): flags may only be SYS_RISCV_FLUSH_ICACHE_LOCAL (1).
pub(crate) fn riscv_flush_icache(cx: &mut Ctx<'_>, a: &[u64; 6]) -> SysResult {
    if cx.lx.arch != Arch::Riscv64 {
        return Err(Errno::ENOSYS);
    }
    if a[2] & !1 != 0 {
        return Err(Errno::EINVAL);
    }
    if a[1] > a[0] {
        cx.code.invalidate(a[0], a[1] - a[0]);
    }
    Ok(0)
}

#[cfg(test)]
mod tests {
    #[test]
    fn known_keys_and_unknown_ones() {
        assert_eq!(super::probe(super::KEY_BASE_BEHAVIOR), Some(1));
        assert_eq!(super::probe(super::KEY_IMA_EXT_0), Some(0b111011));
        assert_eq!(super::probe(99), None);
    }
}
