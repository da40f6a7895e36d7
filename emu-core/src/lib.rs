//! remu's guest-independent engine.
//!
//! Pipeline position: everything between "bytes of a guest program" and "a guest instruction ran".
//! The frontends (`remu-aarch64`, `remu-riscv64`) translate guest code into the IR defined in
//! [`ir`]; an [`engine::Engine`] (the IR interpreter in [`interp`], later the x86_64 JIT) executes
//! it against a [`cpu::CpuState`]; the Linux personality (`remu-syscalls`) services the syscalls
//! the engine reports. Guest memory is identity-mapped: a guest address *is* a host address.

pub mod cpu;
pub mod engine;
pub mod guest;
pub mod hostsig;
pub mod interp;
pub mod ir;
pub mod loader;
pub mod mem;
pub mod tb;

pub use cpu::CpuState;
pub use engine::{CodeInvalidator, Engine, Exit};
pub use guest::{Arch, Guest};
