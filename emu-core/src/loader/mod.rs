//! The ELF loader: from a guest executable to a process image ready to run.
//!
//! Pipeline position: first step. [`sniff`] reads e_machine so the caller can pick the guest;
//! [`load`] validates the ELF ([`elf`]), maps the program and its PT_INTERP from the sysroot
//! ([`map`]), builds the initial stack with argv, envp and auxv ([`stack`]), and returns where
//! the guest starts. Static and dynamic, PIE and non-PIE executables are handled; what the
//! kernel would refuse is refused with a [`LoadError`] naming the reason, never a panic.

pub mod elf;
pub mod map;
pub mod stack;

use crate::guest::{Arch, Guest};
use crate::mem::{write_bytes, PAGE_SIZE};
use std::ffi::OsString;
use std::fmt;
use std::fs::File;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};

pub use elf::{parse, parse_header, sniff, ElfImage, Source};
pub use stack::STACK_SIZE;
use stack::*;

/// Why a program could not be loaded. `Display` gives the reason; the caller adds the path.
#[derive(Debug)]
pub enum LoadError {
    /// Reading the file failed.
    Io { what: &'static str, err: std::io::Error },
    /// Not a regular file (a directory, a device, ...).
    NotRegular,
    /// No ELF magic.
    NotElf,
    /// The file ends inside the named structure.
    Truncated(&'static str),
    /// A well-formed ELF that remu does not run (wrong class, endianness, machine, type).
    Unsupported(String),
    /// A malformed ELF.
    Corrupt(String),
    /// A host mmap/mprotect failed.
    Map { what: String, addr: u64, len: u64, err: std::io::Error },
    /// The PT_INTERP file does not exist on the host or in the sysroot.
    InterpNotFound { path: PathBuf, sysroot: Option<PathBuf> },
    /// Loading the interpreter at `path` failed.
    Interp { path: PathBuf, err: Box<LoadError> },
    /// argv and envp strings exceed the stack's limit (E2BIG); the total size in bytes.
    TooBig(u64),
    /// The guest passed to [`load`] is not the architecture of the file.
    WrongGuest { file: Arch, guest: Arch },
}

impl LoadError {
    /// Exit status a shell would give: 127 when a file is missing, 126 when it cannot run.
    pub fn exit_code(&self) -> i32 {
        match self {
            LoadError::InterpNotFound { .. } => 127,
            LoadError::Io { err, .. } if err.kind() == std::io::ErrorKind::NotFound => 127,
            LoadError::Interp { err, .. } => err.exit_code(),
            _ => 126,
        }
    }
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self {
            LoadError::Io { what, err } => write!(f, "cannot read {what}: {err}"),
            LoadError::NotRegular => write!(f, "not a regular file"),
            LoadError::NotElf => write!(f, "not an ELF executable"),
            LoadError::Truncated(what) => write!(f, "truncated ELF: file ends inside {what}"),
            LoadError::Unsupported(why) => write!(f, "unsupported: {why}"),
            LoadError::Corrupt(why) => write!(f, "corrupt ELF: {why}"),
            LoadError::Map { what, addr, len, err } => {
                write!(f, "{what} ({addr:#x}+{len:#x}): {err}")
            }
            LoadError::InterpNotFound { path, sysroot: Some(root) } => write!(
                f,
                "interpreter {} not found in the sysroot {} nor on the host",
                path.display(),
                root.display()
            ),
            LoadError::InterpNotFound { path, sysroot: None } => write!(
                f,
                "interpreter {} not found (a dynamically linked guest needs its sysroot: -L DIR)",
                path.display()
            ),
            LoadError::Interp { path, err } => write!(f, "interpreter {}: {err}", path.display()),
            LoadError::TooBig(n) => write!(f, "argument list too long ({n} bytes of strings)"),
            LoadError::WrongGuest { file, guest } => {
                write!(f, "{} executable given to the {} guest", file.name(), guest.name())
            }
        }
    }
}

impl std::error::Error for LoadError {}

impl Source for File {
    fn len(&self) -> u64 {
        self.metadata().map(|m| m.len()).unwrap_or(0)
    }
    fn read_at(&self, off: u64, buf: &mut [u8]) -> std::io::Result<()> {
        self.read_exact_at(buf, off)
    }
}

/// What to load, besides the file itself.
pub struct LoadOptions<'a> {
    /// The path the guest sees as its executable (/proc/self/exe); absolute.
    pub exe_path: &'a Path,
    /// AT_EXECFN: the filename as given to execve, when it differs from `exe_path` (binfmt_misc
    /// mode passes it through); `None` uses `exe_path`.
    pub execfn: Option<&'a std::ffi::OsStr>,
    pub argv: &'a [OsString],
    pub envp: &'a [OsString],
    /// Where PT_INTERP (and later the guest's libraries) are looked up first.
    pub sysroot: Option<&'a Path>,
    /// AT_SECURE (set when started setuid through binfmt_misc with credentials).
    pub secure: bool,
    /// Stack size in bytes ([`STACK_SIZE`] unless told otherwise).
    pub stack_size: u64,
}

/// A guest mapping made by the loader, for /proc/self/maps and for refusing a guest MAP_FIXED
/// that would destroy it by accident.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Region {
    pub start: u64,
    pub end: u64,
    pub what: String,
}

/// A loaded process image.
#[derive(Clone, Debug)]
pub struct Loaded {
    pub arch: Arch,
    /// First guest pc: the interpreter's entry for a dynamic program, else the program's.
    pub entry: u64,
    /// The program's own entry (AT_ENTRY).
    pub exe_entry: u64,
    /// Initial stack pointer.
    pub sp: u64,
    /// Initial program break: page-aligned end of the program's highest segment.
    pub brk: u64,
    /// The auxiliary vector as placed on the stack, AT_NULL included.
    pub auxv: Vec<(u64, u64)>,
    /// Load bias of the program (0 for ET_EXEC).
    pub load_bias: u64,
    /// Load address of the interpreter (AT_BASE), if any.
    pub interp_base: Option<u64>,
    /// Host path the interpreter was loaded from, if any.
    pub interp_path: Option<PathBuf>,
    /// The guest stack, `[start, end)`.
    pub stack: (u64, u64),
    /// Every region mapped: program, interpreter, stack.
    pub regions: Vec<Region>,
}

/// Host path of a guest absolute path: inside `sysroot` when it exists there, else the host's.
pub fn sysroot_path(sysroot: Option<&Path>, guest_path: &Path) -> PathBuf {
    if let Some(root) = sysroot {
        let rel = guest_path.strip_prefix("/").unwrap_or(guest_path);
        let p = root.join(rel);
        if p.exists() {
            return p;
        }
    }
    guest_path.to_path_buf()
}

/// Check `file` is a regular file and parse it.
fn open_image(file: &File) -> Result<ElfImage, LoadError> {
    let meta = file.metadata().map_err(|err| LoadError::Io { what: "the file's metadata", err })?;
    if !meta.is_file() {
        return Err(LoadError::NotRegular);
    }
    parse(file)
}

/// Kernel-reported signal stack minimum for AArch64 without SVE/SME: the ABI's MINSIGSTKSZ
/// (glibc's arm64 `bits/sigstack.h`), an upper bound on the rt_sigframe with FP/SIMD context.
const AARCH64_MINSIGSTKSZ: u64 = 5120;

/// Load `file` for `guest`: map the program (and its interpreter) and build the initial stack.
pub fn load(file: &File, opts: &LoadOptions, guest: &dyn Guest) -> Result<Loaded, LoadError> {
    let img = open_image(file)?;
    let arch = img.header.arch;
    if arch != guest.arch() {
        return Err(LoadError::WrongGuest { file: arch, guest: guest.arch() });
    }
    // Resolve the interpreter before mapping anything, so "not found" costs no address space.
    let interp = match &img.interp {
        Some(raw) => {
            let guest_path = Path::new(std::ffi::OsStr::from_bytes(raw));
            let path = sysroot_path(opts.sysroot, guest_path);
            let f = match File::open(&path) {
                Ok(f) => f,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                    return Err(LoadError::InterpNotFound {
                        path: guest_path.to_path_buf(),
                        sysroot: opts.sysroot.map(Path::to_path_buf),
                    })
                }
                Err(err) => {
                    let err = Box::new(LoadError::Io { what: "the interpreter", err });
                    return Err(LoadError::Interp { path, err });
                }
            };
            let iimg =
                open_image(&f).map_err(|e| LoadError::Interp { path: path.clone(), err: Box::new(e) })?;
            if iimg.header.arch != arch {
                let err = Box::new(LoadError::Unsupported(format!(
                    "interpreter is {}, the program is {}",
                    iimg.header.arch.name(),
                    arch.name()
                )));
                return Err(LoadError::Interp { path, err });
            }
            Some((path, f, iimg))
        }
        None => None,
    };

    let mut regions = Vec::new();
    let exe_name = opts.exe_path.display().to_string();
    let prog = map::map_image(file, &img, map::PIE_BASE)?;
    regions.push(Region { start: prog.start, end: prog.end, what: exe_name });
    let exe_entry = img.header.entry.wrapping_add(prog.bias);
    let mut entry = exe_entry;
    let mut interp_base = None;
    let mut interp_path = None;
    if let Some((path, f, iimg)) = &interp {
        let m = map::map_image(f, iimg, 0)
            .map_err(|e| LoadError::Interp { path: path.clone(), err: Box::new(e) })?;
        regions.push(Region { start: m.start, end: m.end, what: path.display().to_string() });
        entry = iimg.header.entry.wrapping_add(m.bias);
        // AT_BASE is where the interpreter's first page (its ELF header) is mapped.
        interp_base = Some(m.start);
        interp_path = Some(path.clone());
    }

    let (hwcap, hwcap2) = guest.hwcap();
    // SAFETY: these libc calls take no arguments and cannot fail.
    let (uid, euid, gid, egid) =
        unsafe { (libc::getuid(), libc::geteuid(), libc::getgid(), libc::getegid()) };
    let mut auxv = vec![
        (AT_HWCAP, hwcap),
        (AT_PAGESZ, PAGE_SIZE),
        (AT_CLKTCK, 100),
        (AT_PHDR, img.phdr_vaddr.wrapping_add(prog.bias)),
        (AT_PHENT, goblin::elf64::program_header::SIZEOF_PHDR as u64),
        (AT_PHNUM, img.header.phnum as u64),
        (AT_BASE, interp_base.unwrap_or(0)),
        (AT_FLAGS, 0),
        (AT_ENTRY, exe_entry),
        (AT_UID, uid as u64),
        (AT_EUID, euid as u64),
        (AT_GID, gid as u64),
        (AT_EGID, egid as u64),
        (AT_SECURE, opts.secure as u64),
        (AT_HWCAP2, hwcap2),
    ];
    if arch == Arch::Aarch64 {
        auxv.push((AT_MINSIGSTKSZ, AARCH64_MINSIGSTKSZ));
    }
    let (stack_lo, stack_hi) = map_stack(opts.stack_size)?;
    let spec = StackSpec {
        argv: opts.argv,
        envp: opts.envp,
        execfn: opts.execfn.unwrap_or(opts.exe_path.as_os_str()).as_bytes(),
        platform: guest.platform(),
        random: random_bytes(),
        auxv,
    };
    let image = build(stack_hi, opts.stack_size, &spec)?;
    if write_bytes(image.sp, &image.bytes) != image.bytes.len() {
        return Err(LoadError::Map {
            what: "cannot write the initial stack".into(),
            addr: image.sp,
            len: image.bytes.len() as u64,
            err: std::io::Error::from_raw_os_error(libc::EFAULT),
        });
    }
    regions.push(Region { start: stack_lo, end: stack_hi, what: "[stack]".into() });
    Ok(Loaded {
        arch,
        entry,
        exe_entry,
        sp: image.sp,
        brk: prog.brk,
        auxv: image.auxv,
        load_bias: prog.bias,
        interp_base,
        interp_path,
        stack: (stack_lo, stack_hi),
        regions,
    })
}
