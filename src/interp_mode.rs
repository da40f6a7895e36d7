//! binfmt_misc interpreter mode: detecting that the kernel started remu for a foreign binary,
//! and recovering the guest's program file and argv from what the kernel passed.
//! (Owned by the binfmt work; the CLI calls [`detect`] before parsing any options, because in
//! this mode every argument belongs to the guest.)
//!
//! What the kernel does (fs/binfmt_misc.c, fs/exec.c, fs/binfmt_elf.c):
//! - argv is `[interpreter, filename, argv0, args...]` with the P flag and
//!   `[interpreter, filename, args...]` without it (the original argv[0] is dropped);
//!   `filename` is the path given to execve (or `/dev/fd/N[/path]` for execveat).
//! - AT_EXECFN points at that same filename string, so `argv[1] == AT_EXECFN` identifies this
//!   mode. A direct `remu ./prog` has AT_EXECFN naming remu itself.
//! - With P, AT_FLAGS has bit 0 (AT_FLAGS_PRESERVE_ARGV0) set, which is how remu knows whether
//!   argv[2] is the original argv[0] or the guest's first argument.
//! - With O (or C), the kernel opens the binary itself and passes the descriptor as AT_EXECFD;
//!   it is the lowest free descriptor, so 0 when stdin was closed. This lets remu run binaries
//!   the user may execute but not read (mode 0711).
//! - AT_SECURE is set when the exec changed credentials (setuid binary with C, or LSM).

use std::ffi::{CStr, OsStr, OsString};
use std::fs::File;
use std::os::fd::{FromRawFd, RawFd};
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

/// Where the guest program comes from and what argv it sees, when started by binfmt_misc.
#[derive(Debug)]
pub struct Invocation {
    /// Open file of the guest program (from AT_EXECFD, or opened from the path). Close-on-exec,
    /// and never on descriptors 0-2: the guest's descriptor numbering is as if remu weren't there.
    pub file: std::fs::File,
    /// Absolute path the guest sees as its executable (/proc/self/exe).
    pub exe_path: std::path::PathBuf,
    /// The guest's argv.
    pub argv: Vec<OsString>,
    /// AT_SECURE was set: ignore remu's own environment knobs.
    pub secure: bool,
    /// The filename exactly as given to execve, for the guest's AT_EXECFN.
    pub execfn: OsString,
}

/// The auxv values detection needs, read once.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Aux {
    execfn: Option<OsString>,
    execfd: Option<RawFd>,
    preserve_argv0: bool,
    secure: bool,
}

/// AT_FLAGS bit set by binfmt_misc's P flag (include/uapi/linux/binfmts.h).
const AT_FLAGS_PRESERVE_ARGV0: u64 = 1;

/// Returns `Some` when this process was started by binfmt_misc (argv[1] equals AT_EXECFN).
///
/// When it was, but the guest program cannot be opened (no AT_EXECFD and no read permission,
/// or it vanished), this prints the reason and exits 126 like a shell would: falling back to
/// option parsing would misread the guest's arguments as remu's.
pub fn detect(args: &[OsString]) -> Option<Invocation> {
    let aux = read_aux();
    let plan = plan(args, &aux)?;
    if is_self(&plan.execfn) {
        return None; // `remu remu`: run directly, AT_EXECFN names remu
    }
    let file = match aux.execfd {
        Some(fd) => adopt_execfd(fd),
        None => File::open(Path::new(&plan.execfn)),
    };
    let file = match file {
        Ok(f) => f,
        Err(e) => {
            eprintln!("remu: cannot open {}: {e}", Path::new(&plan.execfn).display());
            std::process::exit(if e.kind() == std::io::ErrorKind::NotFound { 127 } else { 126 });
        }
    };
    let exe_path = exe_path(&file, &plan.execfn);
    Some(Invocation { file, exe_path, argv: plan.argv, secure: aux.secure, execfn: plan.execfn })
}

/// The pure part of detection: given argv and auxv, the guest's filename and argv.
#[derive(Debug, PartialEq, Eq)]
struct Plan {
    execfn: OsString,
    argv: Vec<OsString>,
}

fn plan(args: &[OsString], aux: &Aux) -> Option<Plan> {
    let execfn = aux.execfn.as_ref()?;
    let filename = args.get(1)?;
    if filename != execfn {
        return None;
    }
    let argv = if aux.preserve_argv0 {
        // [interp, filename, argv0, args...]; the kernel guarantees argc >= 1 before adding its
        // two words, so argv0 exists, but an empty argv still gets the filename.
        if args.len() > 2 {
            args[2..].to_vec()
        } else {
            vec![filename.clone()]
        }
    } else {
        std::iter::once(filename.clone()).chain(args[2..].iter().cloned()).collect()
    };
    Some(Plan { execfn: execfn.clone(), argv })
}

fn read_aux() -> Aux {
    // SAFETY: getauxval only reads the auxiliary vector; AT_EXECFN, when present, points at a
    // NUL-terminated string on the initial stack that lives for the whole process.
    unsafe {
        let p = libc::getauxval(libc::AT_EXECFN) as *const libc::c_char;
        let execfn = (!p.is_null()).then(|| OsStr::from_bytes(CStr::from_ptr(p).to_bytes()).to_os_string());
        // getauxval returns 0 both for a missing key and for fd 0; errno ENOENT tells them
        // apart without needing /proc (absent in the chroots binfmt's F flag is for).
        *libc::__errno_location() = 0;
        let fd = libc::getauxval(libc::AT_EXECFD);
        let execfd =
            if fd == 0 && *libc::__errno_location() == libc::ENOENT { None } else { Some(fd as RawFd) };
        Aux {
            execfn,
            execfd,
            preserve_argv0: libc::getauxval(libc::AT_FLAGS) & AT_FLAGS_PRESERVE_ARGV0 != 0,
            secure: libc::getauxval(libc::AT_SECURE) != 0,
        }
    }
}

/// True when `path` is the running remu: `remu remu` also has argv[1] == AT_EXECFN. Without
/// /proc (a bare chroot) the check cannot run, and there only binfmt_misc could have started us.
fn is_self(path: &OsStr) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (std::fs::metadata("/proc/self/exe"), std::fs::metadata(path)) {
        (Ok(me), Ok(it)) => me.dev() == it.dev() && me.ino() == it.ino(),
        _ => false,
    }
}

/// Takes ownership of the kernel's AT_EXECFD. The kernel installs it without close-on-exec at
/// the lowest free number (0 when stdin was closed); move it above the standard descriptors so
/// a guest that opens a file while stdin is closed gets 0 as it would natively.
fn adopt_execfd(fd: RawFd) -> std::io::Result<File> {
    // SAFETY: fd came from the kernel for this process and nothing else owns it yet.
    let high = unsafe { libc::fcntl(fd, libc::F_DUPFD_CLOEXEC, 3) };
    if high < 0 {
        return Err(std::io::Error::last_os_error());
    }
    // SAFETY: closing the original descriptor, which only we knew about.
    unsafe { libc::close(fd) };
    // SAFETY: `high` is a fresh descriptor owned by nobody else.
    Ok(unsafe { File::from_raw_fd(high) })
}

/// The guest's /proc/self/exe: what the open file resolves to, else the filename made
/// absolute (no /proc in a bare chroot).
fn exe_path(file: &File, execfn: &OsStr) -> PathBuf {
    use std::os::fd::AsRawFd;
    if let Ok(p) = std::fs::read_link(format!("/proc/self/fd/{}", file.as_raw_fd())) {
        if p.is_absolute() {
            return p;
        }
    }
    let path = Path::new(execfn);
    if let Ok(p) = std::fs::canonicalize(path) {
        return p;
    }
    match std::env::current_dir() {
        Ok(cwd) if path.is_relative() => cwd.join(path),
        _ => path.to_path_buf(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn os(v: &[&str]) -> Vec<OsString> {
        v.iter().map(OsString::from).collect()
    }

    fn aux(execfn: &str, preserve: bool) -> Aux {
        Aux { execfn: Some(execfn.into()), execfd: None, preserve_argv0: preserve, secure: false }
    }

    #[test]
    fn preserved_argv0_is_the_guests() {
        let args = os(&["/usr/bin/remu", "./prog", "myname", "a1", "a2"]);
        let p = plan(&args, &aux("./prog", true)).unwrap();
        assert_eq!(p.argv, os(&["myname", "a1", "a2"]));
        assert_eq!(p.execfn, OsString::from("./prog"));
    }

    #[test]
    fn without_p_argv0_is_the_path() {
        let args = os(&["/usr/bin/remu", "./prog", "a1", "a2"]);
        assert_eq!(plan(&args, &aux("./prog", false)).unwrap().argv, os(&["./prog", "a1", "a2"]));
        let args = os(&["/usr/bin/remu", "./prog"]);
        assert_eq!(plan(&args, &aux("./prog", false)).unwrap().argv, os(&["./prog"]));
        assert_eq!(plan(&args, &aux("./prog", true)).unwrap().argv, os(&["./prog"]));
    }

    #[test]
    fn direct_runs_are_not_interpreter_mode() {
        let args = os(&["remu", "./prog", "x"]);
        assert_eq!(plan(&args, &aux("/usr/bin/remu", true)), None);
        assert_eq!(plan(&os(&["remu"]), &aux("remu", false)), None);
        assert_eq!(plan(&args, &Aux::default()), None);
    }

    #[test]
    fn this_process_is_detected_as_direct() {
        // The test harness was not started by binfmt_misc.
        assert!(detect(&std::env::args_os().collect::<Vec<_>>()).is_none());
        assert!(is_self(std::env::current_exe().unwrap().as_os_str()));
    }
}
