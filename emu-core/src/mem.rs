//! Guest memory helpers shared by the frontends, the loader and the syscall layer.
//!
//! Guest memory is identity-mapped: a guest address is a host address (guest_base 0). These
//! helpers are for the places where an unmapped guest address must become an error value
//! instead of a host fault: instruction fetch at translation time and syscall-argument copies.

/// Copy guest bytes at `addr` into `buf` without faulting. Returns how many bytes were readable
/// (a prefix of `buf`; 0 if `addr` itself is unmapped or unreadable).
pub fn read_bytes(addr: u64, buf: &mut [u8]) -> usize {
    let mut done = 0usize;
    while done < buf.len() {
        // Read page by page so a partially readable range yields its readable prefix.
        let a = addr + done as u64;
        let page_left = 4096 - (a as usize & 4095);
        let n = page_left.min(buf.len() - done);
        let local = libc::iovec { iov_base: buf[done..].as_mut_ptr() as *mut libc::c_void, iov_len: n };
        let remote = libc::iovec { iov_base: a as *mut libc::c_void, iov_len: n };
        // SAFETY: process_vm_readv on our own pid reports EFAULT instead of faulting.
        let r = unsafe { libc::process_vm_readv(libc::getpid(), &local, 1, &remote, 1, 0) };
        if r <= 0 {
            break;
        }
        done += r as usize;
        if (r as usize) < n {
            break;
        }
    }
    done
}

/// Fetch a little-endian 32-bit instruction word (None if not readable).
pub fn fetch_u32(addr: u64) -> Option<u32> {
    let mut b = [0u8; 4];
    (read_bytes(addr, &mut b) == 4).then(|| u32::from_le_bytes(b))
}

/// Fetch a little-endian 16-bit parcel (RISC-V compressed instructions).
pub fn fetch_u16(addr: u64) -> Option<u16> {
    let mut b = [0u8; 2];
    (read_bytes(addr, &mut b) == 2).then(|| u16::from_le_bytes(b))
}

#[cfg(test)]
mod tests {
    #[test]
    fn fetch_reads_mapped_and_rejects_unmapped() {
        let v: u32 = 0xd503_201f;
        assert_eq!(super::fetch_u32(&v as *const u32 as u64), Some(v));
        assert_eq!(super::fetch_u32(0), None);
    }
}
