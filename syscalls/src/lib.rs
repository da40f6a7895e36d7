//! remu's Linux personality: services the system calls a guest program makes.
//!
//! Pipeline position: [`Linux::handle`] services one syscall, called by the run loop when an
//! engine returns `Exit::Syscall`, or by the JIT from inside generated code (its syscall handler,
//! docs/jit.md "Syscalls"); either way the engine is seen only as a [`CodeInvalidator`]. Both guests (aarch64 and riscv64) use the asm-generic syscall numbering, so one
//! table ([`table`]) serves both; its rows name the handler, which lives in a family file (`fs`,
//! `fd`, `mm`, `time`, `process`, `exec`, `signal`, `socket`, `poll`, `ioctl`).
//!
//! Three classes of syscall (DESIGN.md §4):
//! * passthrough: the guest struct layout equals the host's, and since guest memory is identity-mapped
//!   a guest pointer is a host pointer, so the arguments go to the host kernel unchanged (it reports
//!   EFAULT for bad pointers);
//! * marshalled: the layouts differ (`struct stat`, `epoll_event`, `sigaction`, aarch64 open flags), so
//!   the handler converts between `guest::` and `libc` types with fault-free copies ([`uaccess`]);
//! * emulated: remu owns the state (brk, signal dispositions, /proc/self/exe, the sysroot).
//!
//! Handlers return `Result<u64, Errno>`; [`Linux::handle`] turns an error into the kernel's
//! negative-errno return value. No handler panics on guest input.

use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::Arc;

use emu_core::{Arch, CodeInvalidator, CpuState, Guest};

/// Define handlers that hand their six arguments to the host syscall of the given `libc::SYS_*`
/// name unchanged: the layouts involved are identical on the guest and on x86_64.
macro_rules! passthrough {
    ($($name:ident => $host:ident;)*) => {
        $(
            pub(crate) fn $name(_: &mut crate::Ctx<'_>, a: &[u64; 6]) -> crate::SysResult {
                crate::host(libc::$host, a)
            }
        )*
    };
}

mod errno;
mod exec;
mod fd;
mod fs;
pub mod guest;
mod ioctl;
mod mm;
pub mod path;
mod poll;
mod proc;
mod process;
mod riscv;
mod signal;
mod socket;
pub mod strace;
pub mod table;
mod time;
pub mod uaccess;

pub use errno::Errno;

/// How the personality is set up for one guest process (filled in by the loader / CLI).
#[derive(Clone, Debug, Default)]
pub struct Config {
    /// The guest program, as `/proc/self/exe` should report it.
    pub exe_path: PathBuf,
    /// Sysroot (`-L`): absolute paths are looked up here first.
    pub sysroot: Option<PathBuf>,
    /// Print one strace-style line per syscall to stderr.
    pub strace: bool,
    /// Initial program break (end of the loaded image's bss).
    pub brk: u64,
    /// The auxiliary vector given to the guest (for `/proc/self/auxv`), without the AT_NULL end.
    pub auxv: Vec<(u64, u64)>,
}

/// What the run loop should do after a syscall.
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub enum Action {
    /// Resume guest execution at `cpu.pc`.
    Continue,
    /// The guest process exited with this status.
    Exit(i32),
}

/// Result of a syscall handler: the return value, or a positive errno.
pub type SysResult = Result<u64, Errno>;

/// The Linux personality of one guest process.
pub struct Linux {
    pub(crate) guest: Arc<dyn Guest>,
    pub(crate) arch: Arch,
    pub(crate) cfg: Config,
    pub(crate) mm: mm::Brk,
    pub(crate) proc: process::ProcState,
    pub(crate) sig: signal::SigState,
    /// Syscall numbers already reported as unsupported (each is logged once).
    warned: HashSet<u64>,
    /// Row index into [`table::TABLE`] per syscall number (`u16::MAX`: no row).
    index: Vec<u16>,
}

/// Everything a handler may touch during one syscall.
pub(crate) struct Ctx<'a> {
    pub lx: &'a mut Linux,
    pub cpu: &'a mut CpuState,
    /// Where stale translations are reported (munmap, mprotect, icache flushes).
    pub code: &'a mut dyn CodeInvalidator,
    /// Set by exit/exit_group: the run loop stops with this status.
    pub exit: Option<i32>,
}

impl Linux {
    pub fn new(guest: Arc<dyn Guest>, mut cfg: Config) -> Linux {
        // /proc/self/exe must be absolute whatever the working directory becomes later.
        if let Ok(p) = std::fs::canonicalize(&cfg.exe_path) {
            cfg.exe_path = p;
        }
        let arch = guest.arch();
        Linux {
            guest,
            arch,
            mm: mm::Brk::new(cfg.brk),
            cfg,
            proc: process::ProcState::default(),
            sig: signal::SigState::default(),
            warned: HashSet::new(),
            index: table::build_index(),
        }
    }

    /// Service the syscall the engine just stopped at: read number and arguments through the
    /// guest's ABI, run the handler, write the return value. `code` hears of address ranges
    /// whose translations became stale.
    // Inline into the caller (the JIT's handler closure): after a syscall, every return up the
    // host stack mispredicts on hosts whose kernel refills the return-stack buffer (see
    // docs/jit.md, "Syscalls"), so each call level costs.
    #[inline(always)]
    pub fn handle(&mut self, cpu: &mut CpuState, code: &mut dyn CodeInvalidator) -> Action {
        let guest = self.guest.clone();
        let (nr, args) = guest.syscall_args(cpu);
        let row = self.index.get(nr as usize).copied().filter(|&i| i != u16::MAX);
        let Some(row) = row.map(|i| &table::TABLE[i as usize]) else {
            self.warn_unsupported(nr);
            if self.cfg.strace {
                strace::log_unknown(nr, &args);
            }
            guest.set_syscall_ret(cpu, errno::ret(Err(Errno::ENOSYS)));
            return Action::Continue;
        };
        if self.cfg.strace && row.ret == strace::Ret::NoReturn {
            // exit/exit_group never come back: print before running them, like strace.
            strace::log_call(self.arch, row, &args, None);
        }
        let mut ctx = Ctx { lx: self, cpu, code, exit: None };
        let res = (row.handler)(&mut ctx, &args);
        if let Some(status) = ctx.exit {
            return Action::Exit(status);
        }
        if self.cfg.strace {
            strace::log_call(self.arch, row, &args, Some(res));
        }
        guest.set_syscall_ret(cpu, errno::ret(res));
        Action::Continue
    }

    fn warn_unsupported(&mut self, nr: u64) {
        if self.warned.insert(nr) {
            let name = table::generic_name(nr).unwrap_or("?");
            eprintln!("remu: unsupported syscall {nr} ({name})");
        }
    }

    /// Syscall numbers reported as unsupported so far.
    pub fn unsupported_seen(&self) -> impl Iterator<Item = u64> + '_ {
        self.warned.iter().copied()
    }

    /// Current program break.
    pub fn brk(&self) -> u64 {
        self.mm.cur
    }
}

/// Run host syscall `nr` with the guest's arguments unchanged.
pub(crate) fn host(nr: libc::c_long, a: &[u64; 6]) -> SysResult {
    // SAFETY: the arguments are the guest's; guest memory is identity-mapped, and the kernel
    // validates every pointer it is given (EFAULT), so the call cannot corrupt remu beyond what
    // the guest could do to itself. Callers never pass syscalls that affect remu's own state.
    errno::check(unsafe { libc::syscall(nr, a[0], a[1], a[2], a[3], a[4], a[5]) })
}
