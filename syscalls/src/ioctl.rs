//! ioctl: an allow-list of requests whose argument layout is identical on the guests and x86_64.
//!
//! x86_64 uses the asm-generic ioctl numbering and termbits, so the terminal requests (`struct
//! termios`/`termios2`, `winsize`, pgrp and int arguments) pass straight through; see the layout
//! check on [`crate::guest::Termios`]. Any other request could carry a struct that differs, so it
//! is refused with ENOTTY (what the kernel says for a request the file does not know) and logged
//! once, rather than handed to the host blindly.

use std::collections::HashSet;
use std::sync::Mutex;

use crate::errno::Errno;
use crate::{host, Ctx, SysResult};

/// Requests passed through unchanged, with the reason each is safe in the comment.
const PASS: &[u64] = &[
    0x5401,      // TCGETS: struct termios, 36 bytes on both
    0x5402,      // TCSETS
    0x5403,      // TCSETSW
    0x5404,      // TCSETSF
    0x5409,      // TCSBRK: int
    0x540a,      // TCXONC: int
    0x540b,      // TCFLSH: int
    0x540e,      // TIOCSCTTY: int
    0x540f,      // TIOCGPGRP: pid_t
    0x5410,      // TIOCSPGRP: pid_t
    0x5411,      // TIOCOUTQ: int
    0x5413,      // TIOCGWINSZ: struct winsize, 4 x u16
    0x5414,      // TIOCSWINSZ
    0x541b,      // FIONREAD: int
    0x5421,      // FIONBIO: int
    0x5422,      // TIOCNOTTY
    0x5429,      // TIOCGSID: pid_t
    0x5450,      // FIONCLEX
    0x5451,      // FIOCLEX
    0x5452,      // FIOASYNC: int
    0x802c_542a, // TCGETS2: struct termios2, 44 bytes on both
    0x402c_542b, // TCSETS2
    0x402c_542c, // TCSETSW2
    0x402c_542d, // TCSETSF2
    0x8004_5430, // TIOCGPTN: unsigned int
    0x4004_5431, // TIOCSPTLCK: int
    0x4004_9409, // FICLONE: int
];

static WARNED: Mutex<Option<HashSet<u64>>> = Mutex::new(None);

pub(crate) fn ioctl(_: &mut Ctx<'_>, a: &[u64; 6]) -> SysResult {
    let req = a[1] as u32 as u64;
    if PASS.contains(&req) {
        return host(libc::SYS_ioctl, &[a[0], req, a[2], 0, 0, 0]);
    }
    if let Ok(mut w) = WARNED.lock() {
        if w.get_or_insert_with(HashSet::new).insert(req) {
            eprintln!("remu: unsupported ioctl {req:#x} (fd {})", a[0] as i32);
        }
    }
    Err(Errno::ENOTTY)
}
