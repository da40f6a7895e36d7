//! execve/execveat: a guest program that executes another program.
//!
//! The target is resolved like any lookup (sysroot first). If it is an ELF for one of remu's
//! guests, remu re-executes itself on it (`remu [-L sysroot] [--strace] -0 argv0 path args...`),
//! so foreign programs run under remu without binfmt_misc being registered. Anything else (a host
//! binary, a `#!` script, a missing file) goes to the host's execve, whose answer the guest gets.

use std::ffi::CString;
use std::os::unix::ffi::OsStrExt;

use crate::errno::Errno;
use crate::uaccess::{read_cstr, read_obj, read_path};
use crate::{path, proc, Ctx, SysResult};

/// Most argv/envp entries accepted (the kernel's limit is by bytes; this bounds remu's copy).
const MAX_ARGS: usize = 1 << 16;
/// Longest single argument or environment string (MAX_ARG_STRLEN).
const MAX_ARG_STRLEN: usize = 32 * 4096;

/// Read a NULL-terminated guest array of string pointers.
fn read_strv(addr: u64) -> Result<Vec<CString>, Errno> {
    let mut out = Vec::new();
    if addr == 0 {
        return Ok(out);
    }
    for i in 0..MAX_ARGS {
        let p: u64 = read_obj(addr + 8 * i as u64)?;
        if p == 0 {
            return Ok(out);
        }
        let s =
            read_cstr(p, MAX_ARG_STRLEN)
                .map_err(|e| if e == Errno::ENAMETOOLONG { Errno::E2BIG } else { e })?;
        out.push(CString::new(s).map_err(|_| Errno::EINVAL)?);
    }
    Err(Errno::E2BIG)
}

/// Is the file at `p` an ELF executable for a guest remu runs?
fn is_guest_elf(p: &CString) -> bool {
    let Ok(mut f) = std::fs::File::open(std::ffi::OsStr::from_bytes(p.to_bytes())) else { return false };
    let mut h = [0u8; 20];
    if std::io::Read::read_exact(&mut f, &mut h).is_err() || &h[..4] != b"\x7fELF" {
        return false;
    }
    let machine = u16::from_le_bytes([h[18], h[19]]);
    h[4] == 2
        && h[5] == 1
        && (machine == emu_core::Arch::Aarch64.e_machine() || machine == emu_core::Arch::Riscv64.e_machine())
}

fn to_ptrs(v: &[CString]) -> Vec<*const libc::c_char> {
    v.iter().map(|s| s.as_ptr()).chain(std::iter::once(std::ptr::null())).collect()
}

pub(crate) fn execve(cx: &mut Ctx<'_>, a: &[u64; 6]) -> SysResult {
    let given = read_path(a[0])?;
    let argv = read_strv(a[1])?;
    let envp = read_strv(a[2])?;
    let self_exe = matches!(proc::classify(given.to_bytes()), Some(proc::ProcFile::Exe));
    let target = match self_exe {
        true => proc::exe_cpath(cx.lx)?,
        false => path::lookup(cx.lx.cfg.sysroot.as_deref(), &given, true),
    };
    let (prog, args) = if is_guest_elf(&target) {
        let me = std::env::current_exe().map_err(|_| Errno::ENOEXEC)?;
        let me = CString::new(me.as_os_str().as_bytes()).map_err(|_| Errno::ENOEXEC)?;
        let mut args = vec![me.clone()];
        if let Some(root) = &cx.lx.cfg.sysroot {
            args.push(c"-L".to_owned());
            args.push(CString::new(root.as_os_str().as_bytes()).map_err(|_| Errno::EINVAL)?);
        }
        if cx.lx.cfg.strace {
            args.push(c"--strace".to_owned());
        }
        if let Some(a0) = argv.first() {
            args.push(c"-0".to_owned());
            args.push(a0.clone());
        }
        // The path the guest gave, so its /proc/self/exe is what it executed; but a re-exec of
        // /proc/self/exe (busybox applets in a pipeline do that) names the guest program, since
        // the new remu's own /proc/self/exe is remu.
        args.push(if self_exe { target.clone() } else { given.clone() });
        args.extend(argv.iter().skip(1).cloned());
        (me, args)
    } else {
        (target, argv)
    };
    let (pa, pe) = (to_ptrs(&args), to_ptrs(&envp));
    // SAFETY: every pointer refers to a live CString and both arrays end with NULL.
    unsafe { libc::execve(prog.as_ptr(), pa.as_ptr(), pe.as_ptr()) };
    Err(Errno::last())
}
