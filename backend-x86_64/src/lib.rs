//! IR -> x86_64 JIT (dynasmrt). Not written yet: the foundation runs on the IR interpreter
//! (`emu_core::interp`), and this crate only reserves the seam. The JIT issue fills it with
//! register allocation, per-family emitters, block chaining and the inline indirect-branch cache.

/// Whether this build has a JIT engine. The CLI refuses `--engine jit` while this is false.
pub const AVAILABLE: bool = false;
