//! The binfmt_misc filesystem: finding or mounting it, listing and reading entries, registering
//! and removing them. Every kernel error is turned into a message that says what to do.
//!
//! remu never unmounts binfmt_misc: since Linux 6.7 each user namespace has its own instance and
//! unmounting the last mount of one destroys all of its entries, including other tools'.

use std::ffi::CString;
use std::io::Write;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

use crate::entry::EntryState;
use crate::error::{Error, Result};

/// Where binfmt_misc lives on every Linux system.
pub const DEFAULT_DIR: &str = "/proc/sys/fs/binfmt_misc";

/// statfs f_type of binfmt_misc (include/uapi/linux/magic.h).
const BINFMTFS_MAGIC: i64 = 0x4249_4e4d;

/// A binfmt_misc mount point.
#[derive(Debug, Clone)]
pub struct BinfmtFs {
    pub dir: PathBuf,
}

impl Default for BinfmtFs {
    fn default() -> Self {
        BinfmtFs { dir: PathBuf::from(DEFAULT_DIR) }
    }
}

impl BinfmtFs {
    /// True when binfmt_misc is mounted at `dir`. Looking up `register` first also triggers
    /// systemd's automount of /proc/sys/fs/binfmt_misc, where there is one.
    pub fn is_mounted(&self) -> bool {
        if !self.dir.join("register").exists() {
            return false;
        }
        let Ok(c) = CString::new(self.dir.as_os_str().as_bytes()) else { return false };
        // SAFETY: statfs writes only into the zeroed struct we pass; the path is NUL-terminated.
        let mut st: libc::statfs = unsafe { std::mem::zeroed() };
        let rc = unsafe { libc::statfs(c.as_ptr(), &mut st) };
        rc == 0 && st.f_type as i64 == BINFMTFS_MAGIC
    }

    /// Mounts binfmt_misc at `dir` unless it already is, and leaves it mounted.
    /// Returns true when this call mounted it.
    pub fn ensure_mounted(&self) -> Result<bool> {
        if self.is_mounted() {
            return Ok(false);
        }
        let dir = CString::new(self.dir.as_os_str().as_bytes())
            .map_err(|_| Error::new("binfmt_misc directory path contains NUL"))?;
        let fstype = c"binfmt_misc";
        let flags = libc::MS_NOSUID | libc::MS_NODEV | libc::MS_NOEXEC;
        // SAFETY: all pointers are valid NUL-terminated strings; data may be NULL.
        let rc =
            unsafe { libc::mount(fstype.as_ptr(), dir.as_ptr(), fstype.as_ptr(), flags, std::ptr::null()) };
        if rc == 0 {
            return Ok(true);
        }
        let err = std::io::Error::last_os_error();
        let d = self.dir.display();
        Err(Error::new(match err.raw_os_error() {
            Some(libc::EPERM) | Some(libc::EACCES) => format!(
                "binfmt_misc is not mounted at {d} and mounting it was refused ({err}): run as root \
                 (CAP_SYS_ADMIN), e.g. `sudo remu binfmt install`"
            ),
            Some(libc::ENODEV) => format!(
                "binfmt_misc is not available: the kernel has no binfmt_misc filesystem ({err}); \
                 load it with `modprobe binfmt_misc` or enable CONFIG_BINFMT_MISC"
            ),
            Some(libc::ENOENT) => format!("cannot mount binfmt_misc: {d} does not exist (is /proc mounted?)"),
            _ => format!("cannot mount binfmt_misc at {d}: {err}"),
        }))
    }

    /// Reads whether binfmt_misc as a whole is enabled (`status`).
    pub fn globally_enabled(&self) -> Result<bool> {
        let path = self.dir.join("status");
        let text = std::fs::read(&path).map_err(|e| Error::io("reading", &path, &e))?;
        Ok(text.starts_with(b"enabled"))
    }

    /// Names of all entries (every file but `register` and `status`), sorted.
    pub fn entry_names(&self) -> Result<Vec<String>> {
        let rd = std::fs::read_dir(&self.dir).map_err(|e| Error::io("listing", &self.dir, &e))?;
        let mut names = Vec::new();
        for ent in rd {
            let ent = ent.map_err(|e| Error::io("listing", &self.dir, &e))?;
            let name = ent.file_name().to_string_lossy().into_owned();
            if name != "register" && name != "status" {
                names.push(name);
            }
        }
        names.sort();
        Ok(names)
    }

    /// Every entry with its state.
    pub fn entries(&self) -> Result<Vec<EntryState>> {
        let mut out = Vec::new();
        for name in self.entry_names()? {
            // An entry removed between listing and reading is simply gone.
            if let Some(state) = self.entry(&name)? {
                out.push(state);
            }
        }
        Ok(out)
    }

    /// One entry's state, or None when no such entry exists.
    pub fn entry(&self, name: &str) -> Result<Option<EntryState>> {
        let path = self.dir.join(name);
        match std::fs::read(&path) {
            Ok(text) => EntryState::parse(name, &text).map(Some),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(Error::io("reading binfmt_misc entry", &path, &e)),
        }
    }

    /// Writes one register line; the kernel needs it in a single write.
    pub fn register(&self, name: &str, line: &[u8]) -> Result<()> {
        let path = self.dir.join("register");
        let mut f = std::fs::OpenOptions::new().write(true).open(&path).map_err(|e| self.denied(&path, e))?;
        match f.write(line) {
            Ok(n) if n == line.len() => Ok(()),
            Ok(n) => {
                Err(Error::new(format!("registering {name}: short write ({n} of {} bytes)", line.len())))
            }
            Err(e) => Err(Error::new(match e.raw_os_error() {
                Some(libc::EEXIST) => format!("registering {name}: an entry with that name already exists"),
                Some(libc::ENOENT) => {
                    format!("registering {name}: the kernel could not open the interpreter ({e})")
                }
                Some(libc::EINVAL) => format!("registering {name}: the kernel rejected the entry ({e})"),
                Some(libc::EPERM) | Some(libc::EACCES) => {
                    format!("registering {name}: permission denied ({e}); run as root")
                }
                _ => format!("registering {name}: {e}"),
            })),
        }
    }

    /// Removes one entry by writing `-1` to its file.
    pub fn remove(&self, name: &str) -> Result<()> {
        let path = self.dir.join(name);
        let mut f = std::fs::OpenOptions::new().write(true).open(&path).map_err(|e| self.denied(&path, e))?;
        f.write_all(b"-1").map_err(|e| Error::io("removing binfmt_misc entry", &path, &e))
    }

    /// Enables (`true`) or disables one entry by writing `1` or `0` to its file.
    pub fn set_enabled(&self, name: &str, on: bool) -> Result<()> {
        let path = self.dir.join(name);
        let mut f = std::fs::OpenOptions::new().write(true).open(&path).map_err(|e| self.denied(&path, e))?;
        f.write_all(if on { b"1" } else { b"0" })
            .map_err(|e| Error::io("changing binfmt_misc entry", &path, &e))
    }

    fn denied(&self, path: &Path, e: std::io::Error) -> Error {
        match e.raw_os_error() {
            Some(libc::EACCES) | Some(libc::EPERM) | Some(libc::EROFS) => Error::new(format!(
                "cannot write {}: {e}; changing binfmt_misc entries needs root",
                path.display()
            )),
            _ => Error::io("opening", path, &e),
        }
    }
}
