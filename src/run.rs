//! Wiring one guest process: open and sniff the program, pick the guest by e_machine, load it,
//! then run the engine / syscall loop until the guest exits or dies.
//!
//! With the JIT, the Linux personality is the JIT's syscall handler: syscalls are serviced from
//! inside generated code (docs/jit.md, "Syscalls") and `Engine::run` returns only when the guest
//! exits (the handler records the status here) or traps. The interpreter returns at every
//! syscall and the loop services it.
//!
//! Exit status mirrors a native run: the guest's exit code, or death by the same signal when
//! the guest traps (so a shell prints "Illegal instruction" and `$?` is 132, as natively).

use crate::cli::DebugLog;
use emu_core::guest::{Arch, Guest};
use emu_core::interp::Interp;
use emu_core::ir::TrapKind;
use emu_core::loader::{self, LoadError, LoadOptions};
use emu_core::tb::BlockCache;
use emu_core::{CpuState, Engine, Exit};
use remu_syscalls::{Action, Config, Linux};
use std::cell::{Cell, RefCell};
use std::ffi::OsString;
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::sync::Arc;

/// Exit status when the program does not exist (like a shell).
pub const EXIT_NOT_FOUND: i32 = 127;
/// Exit status when the program exists but cannot be run (like a shell).
pub const EXIT_CANNOT_RUN: i32 = 126;

/// Which engine runs guest code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EngineKind {
    Interp,
    Jit,
}

/// Everything needed to run one guest program.
pub struct RunSpec {
    /// Open guest executable.
    pub file: File,
    /// Path shown in error messages (as the user typed it).
    pub display_path: PathBuf,
    /// Absolute path the guest sees as its executable.
    pub exe_path: PathBuf,
    /// AT_EXECFN when it is not `exe_path` (binfmt_misc: the filename given to execve).
    pub execfn: Option<OsString>,
    pub argv: Vec<OsString>,
    pub envp: Vec<OsString>,
    pub sysroot: Option<PathBuf>,
    pub secure: bool,
    pub strace: bool,
    /// `--stats`: print the engine's counters at exit.
    pub stats: bool,
    pub debug: DebugLog,
    /// Sink for `-d` logs.
    pub log: Option<Box<dyn std::io::Write + Send>>,
    pub engine: EngineKind,
}

/// `remu: <path>: <reason>` on stderr.
pub fn report(path: &Path, why: &dyn std::fmt::Display) {
    eprintln!("remu: {}: {why}", path.display());
}

/// Open the guest program at `path` (a bare name means `./name`, like qemu-user), with a
/// shell-like exit status on failure.
pub fn open_program(path: &Path) -> Result<(File, PathBuf), i32> {
    let path = if path.components().count() == 1 && !path.is_absolute() {
        Path::new(".").join(path)
    } else {
        path.to_path_buf()
    };
    let file = File::open(&path).map_err(|e| {
        report(&path, &e);
        if e.kind() == std::io::ErrorKind::NotFound {
            EXIT_NOT_FOUND
        } else {
            EXIT_CANNOT_RUN
        }
    })?;
    let abs = std::fs::canonicalize(&path).or_else(|_| std::path::absolute(&path)).unwrap_or(path);
    Ok((file, abs))
}

fn guest_for(arch: Arch) -> Arc<dyn Guest> {
    match arch {
        Arch::Aarch64 => Arc::new(remu_aarch64::Aarch64),
        Arch::Riscv64 => Arc::new(remu_riscv64::Riscv64),
    }
}

/// Load and run; returns the exit status (or does not return when the guest dies by a signal).
pub fn run(spec: RunSpec) -> i32 {
    let fail = |e: &LoadError| {
        report(&spec.display_path, e);
        e.exit_code()
    };
    match spec.file.metadata() {
        Ok(m) if m.is_dir() => {
            report(&spec.display_path, &"Is a directory");
            return EXIT_CANNOT_RUN;
        }
        Ok(_) => {}
        Err(e) => {
            report(&spec.display_path, &e);
            return EXIT_CANNOT_RUN;
        }
    }
    let mut head = Vec::with_capacity(64);
    if let Err(err) = (&spec.file).take(64).read_to_end(&mut head) {
        return fail(&LoadError::Io { what: "the ELF header", err });
    }
    let arch = match loader::sniff(&head) {
        Ok(a) => a,
        Err(e) => return fail(&e),
    };
    let mut guest = guest_for(arch);
    let sink: crate::trace::Sink =
        Arc::new(std::sync::Mutex::new(spec.log.unwrap_or_else(|| Box::new(std::io::stderr()))));
    if spec.debug.in_asm || spec.debug.ir {
        guest = Arc::new(crate::trace::Traced::new(guest, spec.debug, sink.clone()));
    }
    let opts = LoadOptions {
        exe_path: &spec.exe_path,
        execfn: spec.execfn.as_deref(),
        argv: &spec.argv,
        envp: &spec.envp,
        sysroot: spec.sysroot.as_deref(),
        secure: spec.secure,
        stack_size: loader::STACK_SIZE,
    };
    let loaded = match loader::load(&spec.file, &opts, &*guest) {
        Ok(l) => l,
        Err(e) => return fail(&e),
    };
    let mut cpu = CpuState::default();
    guest.init_cpu(&mut cpu, loaded.entry, loaded.sp);
    let auxv: Vec<(u64, u64)> = loaded.auxv.iter().copied().filter(|&(k, _)| k != 0).collect();
    let cfg = Config {
        exe_path: spec.exe_path.clone(),
        sysroot: spec.sysroot.clone(),
        strace: spec.strace,
        brk: loaded.brk,
        auxv,
    };
    let linux = Rc::new(RefCell::new(Linux::new(guest.clone(), cfg)));
    // Set by the JIT's syscall handler when the guest exits.
    let exited = Rc::new(Cell::new(None));
    let cache = Arc::new(BlockCache::new());
    let mut engine: Box<dyn Engine> = match spec.engine {
        EngineKind::Interp => Box::new(Interp::new(guest.clone(), cache)),
        EngineKind::Jit => match remu_backend_x86_64::Jit::new(guest.clone(), cache) {
            Ok(mut j) => {
                if spec.stats {
                    j.enable_stats();
                }
                if spec.debug.out_asm {
                    j.set_compile_hook(crate::trace::out_asm_hook(sink.clone()));
                }
                let (linux, exited) = (linux.clone(), exited.clone());
                j.set_syscall_handler(Box::new(move |cpu, code| {
                    match linux.borrow_mut().handle(cpu, code) {
                        Action::Continue => true,
                        Action::Exit(status) => {
                            exited.set(Some(status));
                            false
                        }
                    }
                }));
                Box::new(j)
            }
            Err(e) => {
                eprintln!("remu: cannot start the JIT: {e}");
                return 1;
            }
        },
    };
    loop {
        match engine.run(&mut cpu) {
            Exit::Syscall => {
                let action = match exited.take() {
                    // The JIT's handler already serviced it: the guest exited.
                    Some(status) => Action::Exit(status),
                    None => linux.borrow_mut().handle(&mut cpu, &mut engine),
                };
                match action {
                    Action::Continue => {}
                    Action::Exit(code) => {
                        if spec.stats {
                            eprint!("{}", engine.stats());
                        }
                        return code;
                    }
                }
            }
            Exit::Trap { pc, kind } => {
                if spec.stats {
                    eprint!("{}", engine.stats());
                }
                die_of_trap(pc, kind)
            }
        }
    }
}

/// Report a guest trap and terminate remu by the matching signal.
fn die_of_trap(pc: u64, kind: TrapKind) -> ! {
    let (sig, name, why) = match kind {
        TrapKind::Undefined { insn } => {
            (libc::SIGILL, "SIGILL", format!("undefined instruction {insn:#010x}"))
        }
        TrapKind::Breakpoint => (libc::SIGTRAP, "SIGTRAP", "breakpoint".to_string()),
        TrapKind::FetchFault => {
            (libc::SIGSEGV, "SIGSEGV", "instruction fetch from unmapped memory".to_string())
        }
        TrapKind::Misaligned => (libc::SIGBUS, "SIGBUS", "misaligned pc or stack pointer".to_string()),
    };
    eprintln!("remu: guest {name} at pc {pc:#x}: {why}");
    die_by_signal(sig)
}

/// Terminate this process by `sig` so the parent sees the same wait status as for a native
/// program. No core file: it would be remu's, not the guest's, and could be huge.
pub fn die_by_signal(sig: i32) -> ! {
    use std::io::Write;
    let _ = std::io::stdout().flush();
    let _ = std::io::stderr().flush();
    // SAFETY: plain libc calls on our own process; every argument is valid.
    unsafe {
        let rl = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
        libc::setrlimit(libc::RLIMIT_CORE, &rl);
        libc::signal(sig, libc::SIG_DFL);
        let mut set: libc::sigset_t = std::mem::zeroed();
        libc::sigemptyset(&mut set);
        libc::sigaddset(&mut set, sig);
        libc::pthread_sigmask(libc::SIG_UNBLOCK, &set, std::ptr::null_mut());
        libc::raise(sig);
    }
    // Only reached if the signal could not kill us; mimic the shell's status for it.
    std::process::exit(128 + sig)
}
