//! remu's binfmt_misc support: the entry table (`remu-aarch64`, `remu-riscv64`), and the
//! `remu binfmt install|uninstall|status|export` commands that manage them.
//!
//! The kernel interface is described in Documentation/admin-guide/binfmt-misc.rst: entries are
//! registered by writing `:name:type:offset:magic:mask:interpreter:flags` to `register`, read back
//! from a file per entry, and removed by writing `-1` to that file. Since Linux 6.7 every user
//! namespace may mount its own instance, which is how the tests stay off the host's entries.
//!
//! This crate depends on no other remu crate; the `remu` binary dispatches `remu binfmt ...` to
//! [`cli::run`], and runs guests itself (its `interp_mode` module) when the kernel starts it.

pub mod arch;
pub mod cli;
pub mod elf;
pub mod entry;
pub mod error;
pub mod export;
pub mod fs;
pub mod install;
pub mod probe;
pub mod status;

pub use arch::Arch;
pub use entry::{EntrySpec, EntryState, Flags};
pub use error::Error;
