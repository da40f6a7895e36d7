//! The end-to-end probe behind `status`: a tiny static guest program that exits 0 is executed
//! through the kernel, inside a chroot holding nothing but that program. If it exits 0, the
//! kernel found an entry, started its interpreter although the interpreter is not in the chroot
//! (which only the F flag allows), and the interpreter ran the guest: the architecture is
//! "supported" in the sense of tonistiigi/binfmt's status, proven rather than assumed.

use std::ffi::CString;
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::os::unix::fs::PermissionsExt;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use crate::arch::Arch;
use crate::elf::exit0_program;
use crate::error::{Error, Result};

/// How long a probe may run before it is killed; a working emulator needs milliseconds.
const TIMEOUT: Duration = Duration::from_secs(10);

/// The outcome of running one probe.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The guest program ran and exited 0.
    Ran,
    /// It did not; the text says how it failed.
    Failed(String),
}

/// Runs the probe for `arch` through the kernel in a private chroot.
pub fn probe(arch: Arch) -> Outcome {
    match run(arch) {
        Ok(o) => o,
        Err(e) => Outcome::Failed(e.0),
    }
}

/// A private temporary directory removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new() -> Result<TempDir> {
        let mut template = std::env::temp_dir().join("remu-binfmt-probe-XXXXXX").into_os_string().into_vec();
        template.push(0);
        // SAFETY: template is a writable NUL-terminated buffer ending in XXXXXX, as mkdtemp needs.
        let p = unsafe { libc::mkdtemp(template.as_mut_ptr().cast()) };
        if p.is_null() {
            let e = std::io::Error::last_os_error();
            return Err(Error::new(format!("creating a probe directory: {e}")));
        }
        template.pop();
        Ok(TempDir(PathBuf::from(std::ffi::OsString::from_vec(template))))
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn run(arch: Arch) -> Result<Outcome> {
    let dir = TempDir::new()?;
    // The directory must be searchable by the probe even when it runs in a user namespace.
    std::fs::set_permissions(&dir.0, std::fs::Permissions::from_mode(0o755))
        .map_err(|e| Error::io("setting permissions of", &dir.0, &e))?;
    let prog = dir.0.join("probe");
    std::fs::write(&prog, exit0_program(arch.into())).map_err(|e| Error::io("writing", &prog, &e))?;
    std::fs::set_permissions(&prog, std::fs::Permissions::from_mode(0o755))
        .map_err(|e| Error::io("setting permissions of", &prog, &e))?;

    let root = CString::new(dir.0.as_os_str().as_bytes()).map_err(|_| Error::new("probe path has NUL"))?;
    let path = c"/probe";
    let argv = [path.as_ptr(), std::ptr::null()];
    let envp = [std::ptr::null::<libc::c_char>()];
    let mut fds = [0; 2];
    // SAFETY: fds is a valid two-int array.
    if unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) } != 0 {
        return Err(Error::new(format!("creating a pipe: {}", std::io::Error::last_os_error())));
    }
    let (rd, wr) = (fds[0], fds[1]);
    // SAFETY: the child only makes async-signal-safe calls (chroot, unshare, chdir, execve,
    // write, _exit) on data prepared before the fork.
    let pid = unsafe { libc::fork() };
    if pid < 0 {
        let e = std::io::Error::last_os_error();
        unsafe { libc::close(rd) };
        unsafe { libc::close(wr) };
        return Err(Error::new(format!("fork: {e}")));
    }
    if pid == 0 {
        unsafe {
            libc::close(rd);
            let stage_err = |stage: u8| -> ! {
                let errno = *libc::__errno_location();
                let msg = [stage, errno as u8];
                libc::write(wr, msg.as_ptr().cast(), 2);
                libc::_exit(127)
            };
            if libc::chroot(root.as_ptr()) != 0 {
                // Without CAP_SYS_CHROOT, a fresh user namespace grants it; binfmt_misc lookups
                // still reach the entries of the namespace we came from.
                if libc::unshare(libc::CLONE_NEWUSER) != 0 || libc::chroot(root.as_ptr()) != 0 {
                    stage_err(b'c');
                }
            }
            if libc::chdir(c"/".as_ptr()) != 0 {
                stage_err(b'd');
            }
            libc::execve(path.as_ptr(), argv.as_ptr(), envp.as_ptr());
            stage_err(b'e');
        }
    }
    unsafe { libc::close(wr) };
    let mut msg = [0u8; 2];
    // SAFETY: reading into a local buffer; EOF (0) means execve succeeded.
    let n = unsafe { libc::read(rd, msg.as_mut_ptr().cast(), 2) };
    unsafe { libc::close(rd) };
    let status = wait_with_timeout(pid)?;
    if n == 2 {
        let err = std::io::Error::from_raw_os_error(msg[1] as i32);
        return Ok(Outcome::Failed(match (msg[0], msg[1] as i32) {
            (b'c', _) => format!("cannot chroot for the probe: {err}"),
            (b'e', libc::ENOEXEC) => "the kernel has no binfmt_misc entry for it (ENOEXEC)".into(),
            (b'e', libc::ENOENT) => {
                "its interpreter is missing inside the chroot (entry without the F flag?)".into()
            }
            (_, _) => format!("exec failed: {err}"),
        }));
    }
    Ok(match status {
        Some(s) if libc::WIFEXITED(s) && libc::WEXITSTATUS(s) == 0 => Outcome::Ran,
        Some(s) if libc::WIFEXITED(s) => {
            Outcome::Failed(format!("it exited with status {}", libc::WEXITSTATUS(s)))
        }
        Some(s) if libc::WIFSIGNALED(s) => {
            Outcome::Failed(format!("it was killed by signal {}", libc::WTERMSIG(s)))
        }
        Some(s) => Outcome::Failed(format!("it ended with wait status {s:#x}")),
        None => Outcome::Failed(format!("it did not exit within {} s and was killed", TIMEOUT.as_secs())),
    })
}

/// Waits for `pid`; kills it after [`TIMEOUT`]. Returns None when it had to be killed.
fn wait_with_timeout(pid: libc::pid_t) -> Result<Option<i32>> {
    let start = Instant::now();
    loop {
        let mut status = 0;
        // SAFETY: waitpid on our own child with a valid status pointer.
        let r = unsafe { libc::waitpid(pid, &mut status, libc::WNOHANG) };
        if r == pid {
            return Ok(Some(status));
        }
        if r < 0 {
            let e = std::io::Error::last_os_error();
            if e.kind() == std::io::ErrorKind::Interrupted {
                continue;
            }
            return Err(Error::new(format!("waiting for the probe: {e}")));
        }
        if start.elapsed() > TIMEOUT {
            // SAFETY: pid is our unreaped child, so the number cannot have been reused.
            unsafe { libc::kill(pid, libc::SIGKILL) };
            unsafe { libc::waitpid(pid, &mut status, 0) };
            return Ok(None);
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}
