//! Sysroot path lookup (`-L`, qemu's behaviour): an absolute path the guest opens, stats, accesses
//! or reads a link of is tried inside the sysroot first and used as given when it is not there.
//!
//! The lookup resolves symlinks itself, chroot-style: a sysroot's absolute symlink
//! (`/lib/ld-linux-aarch64.so.1 -> /usr/lib/...`) must stay inside the sysroot, which the host
//! kernel would not do. The kernel filesystems (`/proc`, `/dev`, `/sys`) are always the host's,
//! since a sysroot usually carries empty mount points for them.

use std::ffi::{CStr, CString, OsStr};
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::path::{Component, Path, PathBuf};

/// Most symlinks followed in one lookup, like the kernel's MAXSYMLINKS.
const MAX_LINKS: u32 = 40;

/// Prefixes that are never redirected into the sysroot.
const HOST_ONLY: [&str; 3] = ["/proc", "/dev", "/sys"];

/// The host path to use for guest path `p`: the sysroot copy when `p` is absolute and exists
/// there, `p` itself otherwise. `follow_last` says whether a final symlink is followed (false for
/// readlink, lstat, O_NOFOLLOW).
pub fn lookup(sysroot: Option<&Path>, p: &CStr, follow_last: bool) -> CString {
    let Some(root) = sysroot else { return p.to_owned() };
    let bytes = p.to_bytes();
    if bytes.first() != Some(&b'/') || bytes.iter().all(|&b| b == b'/') {
        return p.to_owned();
    }
    let path = Path::new(OsStr::from_bytes(bytes));
    if HOST_ONLY.iter().any(|h| path.starts_with(h)) {
        return p.to_owned();
    }
    match resolve_in_root(root, path, follow_last) {
        Some(found) => CString::new(found.into_os_string().into_vec()).unwrap_or_else(|_| p.to_owned()),
        None => p.to_owned(),
    }
}

/// Walk `path` (absolute, guest view) inside `root`, following symlinks with `root` as `/`.
/// Returns the host path of the final object if it exists.
pub fn resolve_in_root(root: &Path, path: &Path, follow_last: bool) -> Option<PathBuf> {
    let mut links = 0u32;
    // Guest-view components still to walk, in reverse so pop() gives the next one.
    let mut todo: Vec<PathBuf> = comps(path).into_iter().rev().collect();
    let mut cur = PathBuf::from("/");
    while let Some(c) = todo.pop() {
        if c.as_os_str() == ".." {
            cur.pop();
            continue;
        }
        let next = cur.join(&c);
        let host = root.join(next.strip_prefix("/").ok()?);
        let meta = std::fs::symlink_metadata(&host).ok()?;
        let last = todo.is_empty();
        if meta.file_type().is_symlink() && (!last || follow_last) {
            links += 1;
            if links > MAX_LINKS {
                return None;
            }
            let target = std::fs::read_link(&host).ok()?;
            if target.is_absolute() {
                cur = PathBuf::from("/");
            }
            todo.extend(comps(&target).into_iter().rev());
            continue;
        }
        cur = next;
    }
    Some(root.join(cur.strip_prefix("/").ok()?))
}

/// The normal components of `p` (`.` dropped, `..` kept as a component).
fn comps(p: &Path) -> Vec<PathBuf> {
    p.components()
        .filter_map(|c| match c {
            Component::Normal(s) => Some(PathBuf::from(s)),
            Component::ParentDir => Some(PathBuf::from("..")),
            _ => None,
        })
        .collect()
}
