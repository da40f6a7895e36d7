//! `--strace`: one line per syscall on stderr, in strace's style.
//!
//! Each table row carries the argument kinds ([`Arg`]) that say how to print its arguments, so the
//! decoding lives next to the syscall's definition rather than in a second switch. Strings and
//! buffers are read fault-free and truncated like strace's default (32 bytes); flags are shown
//! symbolically; errors as `-1 ENOENT (No such file or directory)`.

use std::fmt::Write;

use emu_core::Arch;

use crate::errno::Errno;
use crate::guest as g;
use crate::table::Row;
use crate::uaccess;

/// How to print one syscall argument.
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub enum Arg {
    /// Signed 32-bit integer (C `int`).
    Int,
    /// Signed 64-bit integer (C `long`, `off_t`, `size_t` printed as unsigned when huge is rare).
    Long,
    /// Unsigned value in hex.
    Hex,
    /// Pointer: `NULL` or hex.
    Ptr,
    /// File descriptor.
    Fd,
    /// Directory fd of the *at family: `AT_FDCWD` or an fd.
    DirFd,
    /// NUL-terminated string (paths and names).
    Str,
    /// Buffer the guest passes in; its length is the argument at this index.
    InBuf(u8),
    /// Buffer the kernel fills; its length is the return value (printed only on success).
    OutBuf,
    /// File mode bits, in octal.
    Mode,
    /// open(2) flags (guest encoding: aarch64 differs from the generic one).
    OpenFlags,
    /// AT_* flags.
    AtFlags,
    /// mmap/mprotect PROT_*.
    Prot,
    /// mmap MAP_*.
    MapFlags,
    /// Signal number.
    Signal,
    /// Clock id.
    Clock,
    /// lseek whence.
    Whence,
    /// fcntl command.
    Fcntl,
    /// ioctl request.
    Ioctl,
}

/// How to print the return value.
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub enum Ret {
    /// Signed decimal.
    Int,
    /// Hex (addresses: brk, mmap).
    Hex,
    /// The call does not return (exit, exit_group): printed before it runs, with `= ?`.
    NoReturn,
}

/// Print a known syscall. `res` is None for calls that do not return.
pub(crate) fn log_call(arch: Arch, row: &Row, args: &[u64; 6], res: Option<Result<u64, Errno>>) {
    eprintln!("{}", format_call(arch, row, args, res));
}

/// Print a syscall without a table row.
pub(crate) fn log_unknown(nr: u64, args: &[u64; 6]) {
    let name = crate::table::generic_name(nr).map(str::to_string).unwrap_or_else(|| format!("syscall_{nr}"));
    eprintln!(
        "{name}({:#x}, {:#x}, {:#x}, {:#x}, {:#x}, {:#x}) = -1 ENOSYS (Function not implemented)",
        args[0], args[1], args[2], args[3], args[4], args[5]
    );
}

/// The strace line for one call (without the newline).
pub fn format_call(arch: Arch, row: &Row, args: &[u64; 6], res: Option<Result<u64, Errno>>) -> String {
    let mut s = String::new();
    s.push_str(row.name);
    s.push('(');
    for (i, kind) in row.args.iter().enumerate() {
        if i > 0 {
            s.push_str(", ");
        }
        format_arg(&mut s, arch, *kind, args[i], args, res);
    }
    s.push_str(") = ");
    match res {
        None => s.push('?'),
        Some(Ok(v)) => match row.ret {
            Ret::Hex => {
                let _ = write!(s, "{v:#x}");
            }
            _ => {
                let _ = write!(s, "{}", v as i64);
            }
        },
        Some(Err(e)) => {
            let _ = write!(
                s,
                "-1 {} ({})",
                e.name().map(str::to_string).unwrap_or(format!("E{}", e.0)),
                e.describe()
            );
        }
    }
    s
}

fn format_arg(
    s: &mut String,
    arch: Arch,
    kind: Arg,
    v: u64,
    args: &[u64; 6],
    res: Option<Result<u64, Errno>>,
) {
    match kind {
        Arg::Int | Arg::Fd => {
            let _ = write!(s, "{}", v as i32);
        }
        Arg::Long => {
            let _ = write!(s, "{}", v as i64);
        }
        Arg::Hex if v == 0 => s.push('0'),
        Arg::Hex => {
            let _ = write!(s, "{v:#x}");
        }
        Arg::Ptr => ptr(s, v),
        Arg::DirFd => {
            if v as i32 == g::AT_FDCWD {
                s.push_str("AT_FDCWD");
            } else {
                let _ = write!(s, "{}", v as i32);
            }
        }
        Arg::Str => match uaccess::read_cstr(v, 4096) {
            Ok(b) => quote(s, &b, false),
            Err(_) => ptr(s, v),
        },
        Arg::InBuf(len_idx) => buffer(s, v, args[len_idx as usize] as usize),
        Arg::OutBuf => match res {
            Some(Ok(n)) => buffer(s, v, n as usize),
            _ => ptr(s, v),
        },
        Arg::Mode if v as u32 == 0 => s.push('0'),
        Arg::Mode => {
            // C-style octal, as strace prints modes.
            let _ = write!(s, "0{:o}", v as u32);
        }
        Arg::OpenFlags => open_flags(s, arch, v as u32),
        Arg::AtFlags => flags(s, v, AT_FLAGS, "0"),
        Arg::Prot => flags(s, v, PROT_FLAGS, "PROT_NONE"),
        Arg::MapFlags => {
            let ty = match v & 0xf {
                0x1 => "MAP_SHARED",
                0x2 => "MAP_PRIVATE",
                0x3 => "MAP_SHARED_VALIDATE",
                _ => "",
            };
            s.push_str(ty);
            if v & !0xf != 0 {
                if !ty.is_empty() {
                    s.push('|');
                }
                flags(s, v & !0xf, MAP_FLAGS, "0");
            }
        }
        Arg::Signal => match signal_name(v as i32) {
            Some(n) => s.push_str(n),
            None => {
                let _ = write!(s, "{}", v as i32);
            }
        },
        Arg::Clock => match CLOCKS.iter().find(|c| c.0 == v) {
            Some(c) => s.push_str(c.1),
            None => {
                let _ = write!(s, "{}", v as i32);
            }
        },
        Arg::Whence => match v {
            0 => s.push_str("SEEK_SET"),
            1 => s.push_str("SEEK_CUR"),
            2 => s.push_str("SEEK_END"),
            3 => s.push_str("SEEK_DATA"),
            4 => s.push_str("SEEK_HOLE"),
            _ => {
                let _ = write!(s, "{v}");
            }
        },
        Arg::Fcntl => match FCNTL_CMDS.iter().find(|c| c.0 == v) {
            Some(c) => s.push_str(c.1),
            None => {
                let _ = write!(s, "{v:#x}");
            }
        },
        Arg::Ioctl => match IOCTLS.iter().find(|c| c.0 == v) {
            Some(c) => s.push_str(c.1),
            None => {
                let _ = write!(s, "{v:#x}");
            }
        },
    }
}

fn ptr(s: &mut String, v: u64) {
    if v == 0 {
        s.push_str("NULL");
    } else {
        let _ = write!(s, "{v:#x}");
    }
}

/// Longest string or buffer prefix shown, like strace's default `-s 32`.
const MAX_SHOWN: usize = 32;

fn buffer(s: &mut String, addr: u64, len: usize) {
    let shown = len.min(MAX_SHOWN);
    let mut b = vec![0u8; shown];
    if uaccess::read_exact(addr, &mut b).is_err() {
        return ptr(s, addr);
    }
    quote(s, &b, len > shown);
}

fn quote(s: &mut String, b: &[u8], truncated: bool) {
    let shown = &b[..b.len().min(MAX_SHOWN)];
    s.push('"');
    for (i, &c) in shown.iter().enumerate() {
        match c {
            b'"' => s.push_str("\\\""),
            b'\\' => s.push_str("\\\\"),
            b'\n' => s.push_str("\\n"),
            b'\t' => s.push_str("\\t"),
            b'\r' => s.push_str("\\r"),
            0x20..=0x7e => s.push(c as char),
            // A following digit would be read as part of a short octal escape: pad to three.
            _ if shown.get(i + 1).is_some_and(|n| n.is_ascii_digit()) => {
                let _ = write!(s, "\\{c:03o}");
            }
            _ => {
                let _ = write!(s, "\\{c:o}");
            }
        }
    }
    s.push('"');
    if truncated || b.len() > MAX_SHOWN {
        s.push_str("...");
    }
}

fn flags(s: &mut String, mut v: u64, names: &[(u64, &str)], zero: &str) {
    if v == 0 {
        s.push_str(zero);
        return;
    }
    let mut first = true;
    for &(bit, name) in names {
        if v & bit == bit && bit != 0 {
            if !first {
                s.push('|');
            }
            s.push_str(name);
            first = false;
            v &= !bit;
        }
    }
    if v != 0 {
        if !first {
            s.push('|');
        }
        let _ = write!(s, "{v:#x}");
    }
}

fn open_flags(s: &mut String, arch: Arch, v: u32) {
    // Show the flags in generic encoding so the names are right for both guests.
    let v = g::open_flags_to_host(arch, v) as u64;
    s.push_str(match v & 3 {
        0 => "O_RDONLY",
        1 => "O_WRONLY",
        2 => "O_RDWR",
        _ => "O_ACCMODE",
    });
    if v & !3 != 0 {
        s.push('|');
        flags(s, v & !3, OPEN_FLAGS, "");
    }
}

/// Name of signal `n` (the numbering is the same on all three architectures).
pub fn signal_name(n: i32) -> Option<&'static str> {
    const NAMES: [&str; 31] = [
        "SIGHUP",
        "SIGINT",
        "SIGQUIT",
        "SIGILL",
        "SIGTRAP",
        "SIGABRT",
        "SIGBUS",
        "SIGFPE",
        "SIGKILL",
        "SIGUSR1",
        "SIGSEGV",
        "SIGUSR2",
        "SIGPIPE",
        "SIGALRM",
        "SIGTERM",
        "SIGSTKFLT",
        "SIGCHLD",
        "SIGCONT",
        "SIGSTOP",
        "SIGTSTP",
        "SIGTTIN",
        "SIGTTOU",
        "SIGURG",
        "SIGXCPU",
        "SIGXFSZ",
        "SIGVTALRM",
        "SIGPROF",
        "SIGWINCH",
        "SIGIO",
        "SIGPWR",
        "SIGSYS",
    ];
    usize::try_from(n).ok().and_then(|n| n.checked_sub(1)).and_then(|i| NAMES.get(i).copied())
}

// Generic (x86_64 == riscv64) encodings; aarch64 flags are converted before lookup.
const OPEN_FLAGS: &[(u64, &str)] = &[
    (0o100, "O_CREAT"),
    (0o200, "O_EXCL"),
    (0o400, "O_NOCTTY"),
    (0o1000, "O_TRUNC"),
    (0o2000, "O_APPEND"),
    (0o4000, "O_NONBLOCK"),
    (0o4010000, "O_SYNC"),
    (0o10000, "O_DSYNC"),
    (0o20000, "O_ASYNC"),
    (0o40000, "O_DIRECT"),
    (0o100000, "O_LARGEFILE"),
    (0o200000, "O_DIRECTORY"),
    (0o400000, "O_NOFOLLOW"),
    (0o1000000, "O_NOATIME"),
    (0o2000000, "O_CLOEXEC"),
    (0o20000000 | 0o200000, "O_TMPFILE"),
    (0o10000000, "O_PATH"),
];

const AT_FLAGS: &[(u64, &str)] = &[
    (0x100, "AT_SYMLINK_NOFOLLOW"),
    (0x200, "AT_REMOVEDIR"),
    (0x400, "AT_SYMLINK_FOLLOW"),
    (0x800, "AT_NO_AUTOMOUNT"),
    (0x1000, "AT_EMPTY_PATH"),
];

const PROT_FLAGS: &[(u64, &str)] =
    &[(1, "PROT_READ"), (2, "PROT_WRITE"), (4, "PROT_EXEC"), (0x10, "PROT_BTI"), (0x20, "PROT_MTE")];

const MAP_FLAGS: &[(u64, &str)] = &[
    (0x10, "MAP_FIXED"),
    (0x20, "MAP_ANONYMOUS"),
    (0x100, "MAP_GROWSDOWN"),
    (0x800, "MAP_DENYWRITE"),
    (0x1000, "MAP_EXECUTABLE"),
    (0x2000, "MAP_LOCKED"),
    (0x4000, "MAP_NORESERVE"),
    (0x8000, "MAP_POPULATE"),
    (0x10000, "MAP_NONBLOCK"),
    (0x20000, "MAP_STACK"),
    (0x40000, "MAP_HUGETLB"),
    (0x100000, "MAP_FIXED_NOREPLACE"),
];

const CLOCKS: &[(u64, &str)] = &[
    (0, "CLOCK_REALTIME"),
    (1, "CLOCK_MONOTONIC"),
    (2, "CLOCK_PROCESS_CPUTIME_ID"),
    (3, "CLOCK_THREAD_CPUTIME_ID"),
    (4, "CLOCK_MONOTONIC_RAW"),
    (5, "CLOCK_REALTIME_COARSE"),
    (6, "CLOCK_MONOTONIC_COARSE"),
    (7, "CLOCK_BOOTTIME"),
];

const FCNTL_CMDS: &[(u64, &str)] = &[
    (0, "F_DUPFD"),
    (1, "F_GETFD"),
    (2, "F_SETFD"),
    (3, "F_GETFL"),
    (4, "F_SETFL"),
    (5, "F_GETLK"),
    (6, "F_SETLK"),
    (7, "F_SETLKW"),
    (8, "F_SETOWN"),
    (9, "F_GETOWN"),
    (1030, "F_DUPFD_CLOEXEC"),
    (1033, "F_ADD_SEALS"),
    (1034, "F_GET_SEALS"),
];

const IOCTLS: &[(u64, &str)] = &[
    (0x5401, "TCGETS"),
    (0x5402, "TCSETS"),
    (0x5403, "TCSETSW"),
    (0x5404, "TCSETSF"),
    (0x540f, "TIOCGPGRP"),
    (0x5410, "TIOCSPGRP"),
    (0x5413, "TIOCGWINSZ"),
    (0x5414, "TIOCSWINSZ"),
    (0x541b, "FIONREAD"),
    (0x5421, "FIONBIO"),
    (0x5451, "FIOCLEX"),
    (0x5450, "FIONCLEX"),
];
