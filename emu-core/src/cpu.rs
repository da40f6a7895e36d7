//! Guest CPU state: one `#[repr(C)]` struct shared by both guests.
//!
//! IR `Get`/`Set` ops address this struct by byte offset, so the interpreter and the JIT need no
//! knowledge of which guest they run. One layout serves both ISAs (rather than one struct per
//! guest) because their architectural state maps onto the same shape: 32 integer registers, a pc,
//! 32 FP/vector registers, an FP control and status word, and a small amount of extra state.
//!
//! * AArch64: `x[0..31]` are X0..X30, `x[31]` is SP (XZR is handled by the frontend, never stored).
//!   `nzcv` holds NZCV in bits 31:28 exactly as the NZCV system register does. `v[n]` is Vn/Qn.
//! * RISC-V: `x[0..32]` are x0..x31; `x[0]` is never written and stays 0. `v[n][0]` holds fN
//!   (NaN-boxed for single precision), `v[n][1]` is unused. `tls` is unused (tp is x4).
//!
//! FP control is kept in a guest-neutral form so FP ops need not know the guest:
//! * `fp_rm`: the dynamic rounding mode, encoded as [`crate::ir::Rm`] (RNE=0, RTZ=1, RDN=2, RUP=3,
//!   RMM=4, the RISC-V `frm` encoding). AArch64 frontends map FPCR.RMode onto it on writes.
//! * `fp_exc`: accumulated FP exception flags in the x86 MXCSR layout (bit 0 invalid, 1 denormal,
//!   2 divide-by-zero, 3 overflow, 4 underflow, 5 inexact). Guest reads of FPSR / fflags convert.
//! * `fpcr`: AArch64 FPCR raw value (DN bit 25, FZ bit 24 are consulted by FP ops); RISC-V: 0.

use core::mem::offset_of;

/// Architectural state of one guest thread.
#[repr(C, align(16))]
#[derive(Clone, Debug)]
pub struct CpuState {
    /// Integer registers (see module docs for the per-guest mapping).
    pub x: [u64; 32],
    /// Guest program counter of the next instruction to execute.
    pub pc: u64,
    /// AArch64 NZCV flags in bits 31:28; unused on RISC-V.
    pub nzcv: u64,
    /// AArch64 TPIDR_EL0.
    pub tls: u64,
    /// AArch64 FPCR raw value.
    pub fpcr: u64,
    /// AArch64 FPSR bits that are not exception flags (QC, bit 27).
    pub fpsr: u64,
    /// Dynamic FP rounding mode, [`crate::ir::Rm`] encoding.
    pub fp_rm: u64,
    /// Accumulated FP exception flags, MXCSR bit layout.
    pub fp_exc: u64,
    /// Exclusive monitor: address of the last load-exclusive / LR, or `u64::MAX` when clear.
    pub excl_addr: u64,
    /// Exclusive monitor: value (low 64 bits) loaded by the last load-exclusive.
    pub excl_val: u64,
    /// Exclusive monitor: high 64 bits for pair exclusives (LDXP/LDAXP).
    pub excl_val_hi: u64,
    /// Scratch slots for frontends that need to carry a value between blocks (none do yet).
    pub scratch: [u64; 6],
    /// FP / vector registers, 128 bits each as two little-endian u64 halves.
    pub v: [[u64; 2]; 32],
}

impl Default for CpuState {
    fn default() -> Self {
        CpuState {
            x: [0; 32],
            pc: 0,
            nzcv: 0,
            tls: 0,
            fpcr: 0,
            fpsr: 0,
            fp_rm: 0,
            fp_exc: 0,
            excl_addr: u64::MAX,
            excl_val: 0,
            excl_val_hi: 0,
            scratch: [0; 6],
            v: [[0; 2]; 32],
        }
    }
}

/// Byte offsets of `CpuState` fields, for IR `Get`/`Set` ops.
pub mod off {
    use super::*;
    /// Offset of integer register `n`.
    pub const fn x(n: usize) -> u32 {
        (offset_of!(CpuState, x) + 8 * n) as u32
    }
    /// Offset of vector register `n` (full 128 bits; the low half for scalar FP).
    pub const fn v(n: usize) -> u32 {
        (offset_of!(CpuState, v) + 16 * n) as u32
    }
    /// Offset of the high 64 bits of vector register `n`.
    pub const fn v_hi(n: usize) -> u32 {
        (offset_of!(CpuState, v) + 16 * n + 8) as u32
    }
    pub const PC: u32 = offset_of!(CpuState, pc) as u32;
    pub const NZCV: u32 = offset_of!(CpuState, nzcv) as u32;
    pub const TLS: u32 = offset_of!(CpuState, tls) as u32;
    pub const FPCR: u32 = offset_of!(CpuState, fpcr) as u32;
    pub const FPSR: u32 = offset_of!(CpuState, fpsr) as u32;
    pub const FP_RM: u32 = offset_of!(CpuState, fp_rm) as u32;
    pub const FP_EXC: u32 = offset_of!(CpuState, fp_exc) as u32;
    pub const EXCL_ADDR: u32 = offset_of!(CpuState, excl_addr) as u32;
    pub const EXCL_VAL: u32 = offset_of!(CpuState, excl_val) as u32;
    pub const EXCL_VAL_HI: u32 = offset_of!(CpuState, excl_val_hi) as u32;
    pub const fn scratch(n: usize) -> u32 {
        (offset_of!(CpuState, scratch) + 8 * n) as u32
    }
}

/// Size in bytes of the state struct; `Get`/`Set` offsets must stay below it.
pub const STATE_SIZE: u32 = core::mem::size_of::<CpuState>() as u32;

const _: () = assert!(offset_of!(CpuState, v) % 16 == 0);
// No padding anywhere: 32 + 10 + 6 u64s, then 32 vector registers.
const _: () = assert!(core::mem::size_of::<CpuState>() == 8 * (32 + 10 + 6) + 16 * 32);

impl CpuState {
    /// Raw byte view, used by the IR interpreter's `Get`/`Set`.
    pub fn as_bytes_mut(&mut self) -> &mut [u8] {
        // SAFETY: CpuState is repr(C), made only of u64 fields, with no padding holes that
        // could hold uninitialised bytes (checked by the size assert above).
        unsafe { core::slice::from_raw_parts_mut(self as *mut Self as *mut u8, STATE_SIZE as usize) }
    }
}
