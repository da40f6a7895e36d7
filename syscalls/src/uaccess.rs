//! Fault-free copies between guest memory and remu: syscall arguments that remu itself reads or
//! writes (paths, marshalled structs) must turn a bad guest pointer into EFAULT, never a host fault.
//!
//! Reads and writes go through `emu_core::mem::read_bytes`/`write_bytes`, a `rep movsb` whose
//! faults are recovered into a short count; writes honour page protections like a kernel
//! copy_to_user.

use std::ffi::CString;

use crate::errno::Errno;

/// Longest path the kernel accepts (PATH_MAX, including the NUL).
pub const PATH_MAX: usize = 4096;

/// Types that are plain bytes: any bit pattern is valid and they hold no pointers remu follows.
///
/// # Safety
/// Implementors must be `#[repr(C)]` (or primitive) with every bit pattern valid.
pub unsafe trait Plain: Copy {}

unsafe impl Plain for u32 {}
unsafe impl Plain for u64 {}
unsafe impl Plain for i32 {}
unsafe impl Plain for i64 {}
unsafe impl Plain for libc::timespec {}
unsafe impl Plain for libc::timeval {}
unsafe impl Plain for libc::rlimit {}
unsafe impl Plain for libc::epoll_event {}

/// Copy exactly `buf.len()` bytes from guest `addr`, or EFAULT.
pub fn read_exact(addr: u64, buf: &mut [u8]) -> Result<(), Errno> {
    if buf.is_empty() {
        return Ok(());
    }
    if emu_core::mem::read_bytes(addr, buf) == buf.len() {
        Ok(())
    } else {
        Err(Errno::EFAULT)
    }
}

/// Copy `data` to guest `addr`, or EFAULT (nothing is guaranteed about a partial write).
pub fn write_exact(addr: u64, data: &[u8]) -> Result<(), Errno> {
    if emu_core::mem::write_bytes(addr, data) == data.len() {
        Ok(())
    } else {
        Err(Errno::EFAULT)
    }
}

/// Read a `T` from the guest.
pub fn read_obj<T: Plain>(addr: u64) -> Result<T, Errno> {
    let mut v = std::mem::MaybeUninit::<T>::zeroed();
    // SAFETY: the zeroed storage is a valid T (Plain) and is exactly size_of::<T>() bytes.
    let buf = unsafe { std::slice::from_raw_parts_mut(v.as_mut_ptr() as *mut u8, std::mem::size_of::<T>()) };
    read_exact(addr, buf)?;
    // SAFETY: every bit pattern is a valid T (Plain).
    Ok(unsafe { v.assume_init() })
}

/// Write a `T` to the guest.
pub fn write_obj<T: Plain>(addr: u64, v: &T) -> Result<(), Errno> {
    write_exact(addr, bytes_of(v))
}

/// The bytes of a plain value.
pub fn bytes_of<T: Plain>(v: &T) -> &[u8] {
    // SAFETY: T is Plain; the guest-layout types have explicit padding fields, so no
    // uninitialised padding is exposed for them.
    unsafe { std::slice::from_raw_parts(v as *const T as *const u8, std::mem::size_of::<T>()) }
}

/// Read a NUL-terminated string of at most `max` bytes (NUL excluded). Unlike
/// `emu_core::mem::read_cstr` this tells the two failures apart, as the kernel does. A string that does not end
/// within `max` bytes is ENAMETOOLONG, an unreadable one EFAULT.
pub fn read_cstr(addr: u64, max: usize) -> Result<Vec<u8>, Errno> {
    let mut out = Vec::new();
    let mut chunk = [0u8; 256];
    loop {
        let a = addr + out.len() as u64;
        // Never read across a page boundary in one go, so a string ending just before an
        // unmapped page is still read completely.
        let page_left = 4096 - (a as usize & 4095);
        let want = chunk.len().min(page_left);
        let got = emu_core::mem::read_bytes(a, &mut chunk[..want]);
        if got == 0 {
            return Err(Errno::EFAULT);
        }
        if let Some(nul) = chunk[..got].iter().position(|&b| b == 0) {
            out.extend_from_slice(&chunk[..nul]);
            return if out.len() > max { Err(Errno::ENAMETOOLONG) } else { Ok(out) };
        }
        out.extend_from_slice(&chunk[..got]);
        if out.len() > max {
            return Err(Errno::ENAMETOOLONG);
        }
    }
}

/// Read a guest path argument (NULL is EFAULT, like the kernel).
pub fn read_path(addr: u64) -> Result<CString, Errno> {
    if addr == 0 {
        return Err(Errno::EFAULT);
    }
    let v = read_cstr(addr, PATH_MAX - 1)?;
    // read_cstr stops at the first NUL, so there is none inside.
    CString::new(v).map_err(|_| Errno::EINVAL)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cstr_reads_and_faults() {
        let s = b"hello\0world";
        assert_eq!(read_cstr(s.as_ptr() as u64, 100).unwrap(), b"hello");
        assert_eq!(read_cstr(0, 100), Err(Errno::EFAULT));
        assert_eq!(read_cstr(s.as_ptr() as u64, 3), Err(Errno::ENAMETOOLONG));
        assert_eq!(read_path(0), Err(Errno::EFAULT));
    }

    #[test]
    fn obj_round_trip_and_fault() {
        let mut slot = 0u64;
        write_obj(&mut slot as *mut u64 as u64, &0x1122_3344_5566_7788u64).unwrap();
        assert_eq!(slot, 0x1122_3344_5566_7788);
        assert_eq!(read_obj::<u64>(&slot as *const u64 as u64).unwrap(), slot);
        assert_eq!(read_obj::<u64>(8), Err(Errno::EFAULT));
        assert_eq!(write_obj(8, &1u64), Err(Errno::EFAULT));
    }
}
