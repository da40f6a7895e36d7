//! IR -> x86_64 JIT (dynasmrt).
//!
//! Pipeline position: the last stage. The [`Jit`] engine (one handle per guest thread) asks the
//! shared block cache for a block's optimised IR, compiles it into a [`buffer::CodeBuffer`]
//! region of the [`JitCache`] all threads share, and runs it through an entry trampoline;
//! blocks chain to each other and leave for the dispatcher only on misses and traps; syscalls
//! are serviced from inside generated code by a handler the run loop installs ([`syscall`]).
//! A host fault inside generated code (a bad guest access) is mapped back to the guest by
//! [`fault`].
//!
//! Current stage (see docs/jit.md): values live in a frame slot each; integer, memory, compare
//! and select ops are emitted natively; every other op calls [`emit::fallback`], which evaluates
//! that one instruction with the interpreter's semantics. Native emitters replace the fallback
//! family by family, and the IR-level differential test keeps both engines in agreement.

// dynasm's dynamic-register syntax (`Rq(r)`) expands to `u8::from(r)` on a u8.
#![allow(clippy::useless_conversion)]

pub mod buffer;
pub mod emit;
mod engine;
pub mod fault;
pub mod syscall;

pub use engine::{CompileHook, Jit, JitCache};
pub use syscall::SyscallHandler;

/// Whether the JIT is the default engine: it passes every guest-program and real-software test
/// the interpreter passes (`--engine interp` still selects the interpreter).
pub const AVAILABLE: bool = true;
