//! Guest registers pinned in host registers across blocks.
//!
//! The four most used guest registers of each guest live in r12-r15 for as long as generated
//! code runs: chained blocks pass them along with no memory traffic, and the store-to-load
//! forwarding latency of "set at the end of one block, get at the start of the next" disappears
//! from loop-carried dependencies. The entry trampoline loads them from `CpuState`, its exit
//! path stores them back, so everything outside generated code (syscalls, the dispatcher, the
//! interpreter, signal frames) sees ordinary state.
//!
//! Chosen from measured use: static counts of `Get`/`Set` per register over the translated
//! blocks of the nine benchmark workloads (benches/workloads), with the interpreter:
//! * aarch64: x0 13086, x1 7967, SP 7205, x2 5445, x19 4763, x30 3314, x20 3164, x3 3142 -> x0, x1,
//!   SP, x2;
//! * riscv64: a5 14416, sp 9457, a4 7689, a0 5823, s0 4912, a3 4008 -> a5, sp, a4, a0.

use emu_core::cpu::off;
use emu_core::guest::Arch;

/// Host registers (x86 encodings) used for pinning, in order.
pub const HOST: [u8; 4] = [12, 13, 14, 15];

/// Guest registers pinned for `arch`: (state offset of the 64-bit register, host register).
pub fn pins(arch: Arch) -> [(u32, u8); 4] {
    let regs: [usize; 4] = match arch {
        Arch::Aarch64 => [0, 1, 31, 2],
        Arch::Riscv64 => [15, 2, 14, 10],
    };
    [
        (off::x(regs[0]), HOST[0]),
        (off::x(regs[1]), HOST[1]),
        (off::x(regs[2]), HOST[2]),
        (off::x(regs[3]), HOST[3]),
    ]
}

/// The host register holding the guest register at state offset `off`, if pinned.
pub fn host_for(arch: Arch, off: u32) -> Option<u8> {
    pins(arch).iter().find(|p| p.0 == off).map(|p| p.1)
}

/// Whether the state range `[off, off + len)` touches a pinned register without being exactly
/// one of them.
pub fn overlaps_partially(arch: Arch, off: u32, len: u32) -> Option<(u32, u8)> {
    pins(arch).into_iter().find(|&(o, _)| off < o + 8 && o < off + len && !(off == o && len == 8))
}
