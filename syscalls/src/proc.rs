//! Emulated /proc files: the guest must see itself, not remu.
//!
//! * `/proc/self/exe` (and `/proc/<own pid>/exe`, `/proc/thread-self/exe`): readlink gives
//!   `Config.exe_path`; open and stat use the guest program.
//! * `/proc/self/auxv`: the guest's auxiliary vector, served from a memfd.
//!
//! Later work: `/proc/self/maps` (hide remu's own mappings) and `/proc/cpuinfo` (the advertised
//! guest CPU, matching HWCAP) need the memory-map tracking and feature lists from the core.

use std::ffi::CString;
use std::os::unix::ffi::OsStrExt;

use crate::errno::Errno;
use crate::{Linux, SysResult};

/// A /proc path remu answers itself.
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub enum ProcFile {
    Exe,
    Auxv,
}

/// Classify `path` (exact guest bytes).
pub fn classify(path: &[u8]) -> Option<ProcFile> {
    let rest = path.strip_prefix(b"/proc/")?;
    let slash = rest.iter().position(|&b| b == b'/')?;
    let (who, file) = (&rest[..slash], &rest[slash + 1..]);
    let me = who == b"self" || who == b"thread-self" || {
        // SAFETY: getpid has no preconditions.
        let pid = unsafe { libc::getpid() };
        who == pid.to_string().as_bytes()
    };
    if !me {
        return None;
    }
    match file {
        b"exe" => Some(ProcFile::Exe),
        b"auxv" => Some(ProcFile::Auxv),
        _ => None,
    }
}

/// The guest program's path as a C string.
pub fn exe_cpath(lx: &Linux) -> Result<CString, Errno> {
    CString::new(lx.cfg.exe_path.as_os_str().as_bytes()).map_err(|_| Errno::ENOENT)
}

/// Bytes of /proc/self/auxv: (key, value) pairs of u64, ending with AT_NULL.
pub fn auxv_bytes(auxv: &[(u64, u64)]) -> Vec<u8> {
    let mut out = Vec::with_capacity((auxv.len() + 1) * 16);
    for &(k, v) in auxv.iter().chain(std::iter::once(&(0, 0))) {
        out.extend_from_slice(&k.to_le_bytes());
        out.extend_from_slice(&v.to_le_bytes());
    }
    out
}

/// Open an emulated file with (host-encoded) open flags.
pub fn open(lx: &Linux, f: ProcFile, host_flags: i32) -> SysResult {
    match f {
        ProcFile::Exe => {
            let p = exe_cpath(lx)?;
            // SAFETY: p is a valid C string.
            crate::errno::check(unsafe { libc::open(p.as_ptr(), host_flags, 0) } as libc::c_long)
        }
        ProcFile::Auxv => {
            if host_flags & libc::O_ACCMODE != libc::O_RDONLY {
                return Err(Errno::EACCES);
            }
            let mfd_flags = if host_flags & libc::O_CLOEXEC != 0 { libc::MFD_CLOEXEC } else { 0 };
            // SAFETY: the name is a valid C string.
            let fd = unsafe { libc::memfd_create(c"auxv".as_ptr(), mfd_flags) };
            if fd < 0 {
                return Err(Errno::last());
            }
            let data = auxv_bytes(&lx.cfg.auxv);
            // SAFETY: data is a live buffer of data.len() bytes; fd is ours.
            let w = unsafe { libc::pwrite(fd, data.as_ptr() as *const libc::c_void, data.len(), 0) };
            if w != data.len() as isize {
                let e = Errno::last();
                // SAFETY: closing the fd we just created.
                unsafe { libc::close(fd) };
                return Err(e);
            }
            Ok(fd as u64)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classify_self_and_own_pid() {
        assert_eq!(classify(b"/proc/self/exe"), Some(ProcFile::Exe));
        let own = format!("/proc/{}/auxv", std::process::id());
        assert_eq!(classify(own.as_bytes()), Some(ProcFile::Auxv));
        assert_eq!(classify(b"/proc/1/exe").filter(|_| std::process::id() != 1), None);
        assert_eq!(classify(b"/proc/self/maps"), None);
        assert_eq!(classify(b"/etc/passwd"), None);
    }

    #[test]
    fn auxv_ends_with_null() {
        let b = auxv_bytes(&[(6, 4096)]);
        assert_eq!(b.len(), 32);
        assert_eq!(&b[0..8], &6u64.to_le_bytes());
        assert_eq!(&b[16..32], &[0u8; 16]);
    }
}
