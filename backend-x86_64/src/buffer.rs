//! The code buffer: one large executable region with a bump allocator.
//!
//! The region is mapped read-write-execute so chaining can patch code in place; on exhaustion
//! the owner flushes every translation and continues in a fresh region, unmapping the old one
//! once no guest thread can be running in it (DESIGN.md §3, docs/jit.md).

use memmap2::{MmapMut, MmapOptions};

/// Default size of the code region.
pub const DEFAULT_SIZE: usize = 64 << 20;

pub struct CodeBuffer {
    map: MmapMut,
    used: usize,
}

/// Error when the buffer cannot hold a block.
#[derive(Debug)]
pub struct Full;

impl CodeBuffer {
    pub fn new(size: usize) -> std::io::Result<CodeBuffer> {
        let map = MmapOptions::new().len(size).map_anon()?;
        // SAFETY: the mapping is ours; making it executable is the point of a code buffer.
        let r = unsafe {
            libc::mprotect(map.as_ptr() as *mut _, size, libc::PROT_READ | libc::PROT_WRITE | libc::PROT_EXEC)
        };
        if r != 0 {
            return Err(std::io::Error::last_os_error());
        }
        Ok(CodeBuffer { map, used: 0 })
    }

    /// Address where the next allocation will start (16-byte aligned).
    pub fn next_addr(&self) -> usize {
        self.map.as_ptr() as usize + self.used.next_multiple_of(16)
    }

    /// Address of the region's first byte.
    pub fn base(&self) -> usize {
        self.map.as_ptr() as usize
    }

    /// Copy `code` (assembled for address `next_addr()`) into the buffer; returns its address.
    pub fn push(&mut self, code: &[u8]) -> Result<usize, Full> {
        let start = self.used.next_multiple_of(16);
        if start + code.len() > self.map.len() {
            return Err(Full);
        }
        self.map[start..start + code.len()].copy_from_slice(code);
        self.used = start + code.len();
        Ok(self.map.as_ptr() as usize + start)
    }

    /// Forget every allocation after the first `keep` bytes (flush).
    pub fn reset_to(&mut self, keep: usize) {
        self.used = keep;
    }

    pub fn used(&self) -> usize {
        self.used
    }

    /// The whole region's addresses (for fault mapping).
    pub fn region(&self) -> std::ops::Range<usize> {
        let base = self.map.as_ptr() as usize;
        base..base + self.map.len()
    }

    /// Whether `addr` lies inside generated code (for fault mapping).
    pub fn contains(&self, addr: usize) -> bool {
        let base = self.map.as_ptr() as usize;
        addr >= base && addr < base + self.used
    }
}
