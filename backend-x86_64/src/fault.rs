//! Host faults inside generated code, mapped back to the guest (DESIGN.md §3).
//!
//! Guest loads and stores are single host instructions on the identity-mapped address space, so
//! a bad guest access faults in the host, inside a compiled block. This module turns that fault
//! into the guest's: every block carries a compact [`PcMap`] (host offset -> guest pc of each
//! guest instruction), each engine publishes its blocks in a process-wide lock-free registry
//! ([`Table`]), and a SIGSEGV/SIGBUS handler ([`install`]) that finds the faulting host pc there
//! writes the pinned guest registers back into the `CpuState`, sets its pc to the faulting
//! instruction (so the state is exactly the interpreter's at that instruction), prints one line
//! (`remu: guest SIGSEGV at pc 0x...: access to 0x... (SEGV_MAPERR)`) and ends the process by
//! the same signal, as the guest would have ended natively. Delivering the signal to a guest
//! handler comes with the Linux personality's signal work; the state it needs is already exact.
//!
//! Faults anywhere else (remu's own code, the interpreter's guest accesses in
//! `emu_core::interp::mem`, the host frame of generated code) go to the handler installed before
//! this one (Rust's stack-overflow reporter) or to the default action, exactly as before.
//!
//! Async-signal safety: the handler takes no lock and allocates nothing. It reads the registry
//! through atomics and formats its message into a stack buffer for one `write(2)`.

use crate::emit::pin;
use emu_core::cpu::CpuState;
use emu_core::guest::Arch;
use libc::{c_int, c_void, siginfo_t};
use std::ops::Range;
use std::sync::atomic::{AtomicBool, AtomicPtr, AtomicU8, AtomicUsize, Ordering::*};
use std::sync::{Once, OnceLock};

// ---- per-block map ----

/// Host offset -> guest pc of one block: for each guest instruction (IR `Mark`), in order, the
/// offset of the first host byte of its code and its pc, stored as two unsigned LEB128 deltas
/// from the previous entry (host bytes, then guest bytes, wrapping; the first entry is relative
/// to offset 0 and the block's pc). Typically two bytes per guest instruction.
///
/// The map starts with the block's cached guest registers (emit/looping.rs): a count byte,
/// then per register its host register number and its state offset / 8, which the handler
/// writes back like the pinned ones.
#[derive(Clone, Debug)]
pub struct PcMap {
    bytes: Vec<u8>,
    host: usize,
    pc: u64,
}

impl PcMap {
    pub fn new(block_pc: u64) -> PcMap {
        PcMap { bytes: vec![0], host: 0, pc: block_pc }
    }

    /// The block keeps guest registers `cached` (state offset, host register) in host registers
    /// (call before any [`PcMap::push`]).
    pub fn set_cached(&mut self, cached: &[(u32, u8)]) {
        debug_assert!(self.bytes.len() == 1, "set_cached before push");
        self.bytes = vec![cached.len() as u8];
        for &(o, r) in cached {
            self.bytes.push(r);
            self.bytes.push((o / 8) as u8);
        }
    }

    /// The cached registers of `map` as (state offset, host register).
    pub fn cached(map: &[u8]) -> impl Iterator<Item = (u32, u8)> + '_ {
        let n = map.first().copied().unwrap_or(0) as usize;
        map.get(1..1 + 2 * n).unwrap_or(&[]).chunks_exact(2).map(|p| (p[1] as u32 * 8, p[0]))
    }

    fn header_len(map: &[u8]) -> usize {
        1 + 2 * map.first().copied().unwrap_or(0) as usize
    }

    /// The guest instruction at `pc` starts at host offset `host` (not below the previous one).
    pub fn push(&mut self, host: usize, pc: u64) {
        debug_assert!(host >= self.host);
        leb_put(&mut self.bytes, (host - self.host) as u64);
        leb_put(&mut self.bytes, pc.wrapping_sub(self.pc));
        (self.host, self.pc) = (host, pc);
    }

    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// The pc of the guest instruction whose code holds host offset `off`: the last entry at or
    /// before `off` (several guest instructions may start at one offset when the earlier ones
    /// emitted no code; the code there is the last one's). `None` before the first entry or on
    /// a malformed map. Allocation- and panic-free, for the signal handler.
    pub fn lookup(map: &[u8], block_pc: u64, off: usize) -> Option<u64> {
        let (mut i, mut host, mut pc, mut found) = (Self::header_len(map), 0u64, block_pc, None);
        while i < map.len() {
            let dh = leb_get(map, &mut i)?;
            let dp = leb_get(map, &mut i)?;
            host = host.wrapping_add(dh);
            if host > off as u64 {
                break;
            }
            pc = pc.wrapping_add(dp);
            found = Some(pc);
        }
        found
    }
}

fn leb_put(out: &mut Vec<u8>, mut v: u64) {
    loop {
        let b = (v & 0x7f) as u8;
        v >>= 7;
        if v == 0 {
            out.push(b);
            return;
        }
        out.push(b | 0x80);
    }
}

fn leb_get(map: &[u8], i: &mut usize) -> Option<u64> {
    let mut v = 0u64;
    for shift in (0..64).step_by(7) {
        let b = *map.get(*i)?;
        *i += 1;
        v |= u64::from(b & 0x7f) << shift;
        if b & 0x80 == 0 {
            return Some(v);
        }
    }
    None
}

// ---- registry ----

/// Engines (guest threads) whose faults can be mapped at the same time; the blocks of engines
/// beyond this are not registered and their faults take the default path.
pub const MAX_ENGINES: usize = 1024;

/// One compiled block of an engine.
#[derive(Copy, Clone, Debug)]
struct BlockRec {
    start: usize,
    len: u32,
    /// Its `PcMap` bytes in the engine's map arena.
    map_off: u32,
    map_len: u32,
    pc: u64,
}

/// What the handler may read of one engine. `owner` identifies the thread that claimed the
/// slot (0: free); every other field is written only by that thread while it owns the slot.
/// `lo..hi` is the engine's whole code region; the arrays are its `Table` vectors as last
/// published.
struct Slot {
    owner: AtomicUsize,
    lo: AtomicUsize,
    hi: AtomicUsize,
    arch: AtomicU8,
    blocks: AtomicPtr<BlockRec>,
    nblocks: AtomicUsize,
    maps: AtomicPtr<u8>,
    nmaps: AtomicUsize,
}

impl Slot {
    const fn new() -> Slot {
        Slot {
            owner: AtomicUsize::new(0),
            lo: AtomicUsize::new(0),
            hi: AtomicUsize::new(0),
            arch: AtomicU8::new(0),
            blocks: AtomicPtr::new(std::ptr::null_mut()),
            nblocks: AtomicUsize::new(0),
            maps: AtomicPtr::new(std::ptr::null_mut()),
            nmaps: AtomicUsize::new(0),
        }
    }
}

static SLOTS: [Slot; MAX_ENGINES] = [const { Slot::new() }; MAX_ENGINES];
/// Slots ever claimed: the handler scans `SLOTS[..USED]`.
static USED: AtomicUsize = AtomicUsize::new(0);

thread_local! {
    /// Its address identifies the thread: readable in a signal handler (constant-initialised,
    /// no destructor, so no lazy registration), distinct among live threads, and kept by the
    /// thread that calls fork(2) in the child, unlike its tid.
    static THREAD_MARK: u8 = const { 0 };
}

fn this_thread() -> usize {
    THREAD_MARK.with(|m| m as *const u8 as usize)
}

fn arch_code(a: Arch) -> u8 {
    match a {
        Arch::Aarch64 => 0,
        Arch::Riscv64 => 1,
    }
}

fn arch_of(code: u8) -> Arch {
    if code == 0 {
        Arch::Aarch64
    } else {
        Arch::Riscv64
    }
}

/// An engine's compiled blocks, as the fault handler sees them.
///
/// Blocks are added in increasing host address order (the code buffer is a bump allocator) and
/// all dropped at once on a flush, so the records stay sorted. A table belongs to the thread
/// that created it (it is not `Send`, nor is the engine), and the handler only reads the slots
/// its own thread owns: it interrupted that thread, so when the faulting pc is in the table's
/// code region the thread was running generated code and not changing the vectors (which may
/// reallocate in `add`). No other thread ever reads them.
pub struct Table {
    slot: Option<usize>,
    blocks: Vec<BlockRec>,
    maps: Vec<u8>,
    _not_send: std::marker::PhantomData<*const ()>,
}

impl Table {
    /// Claim a registry slot for the engine whose generated code lives in `code`, run with the
    /// pinning of `arch` on this thread (without a free slot its faults are not mapped).
    pub fn new(code: Range<usize>, arch: Arch) -> Table {
        let me = this_thread();
        let slot = SLOTS.iter().position(|s| s.owner.compare_exchange(0, me, AcqRel, Relaxed).is_ok());
        if let Some(i) = slot {
            let s = &SLOTS[i];
            s.arch.store(arch_code(arch), Release);
            s.nblocks.store(0, Release);
            s.nmaps.store(0, Release);
            s.lo.store(code.start, Release);
            s.hi.store(code.end, Release);
            USED.fetch_max(i + 1, AcqRel);
        }
        Table { slot, blocks: Vec::new(), maps: Vec::new(), _not_send: std::marker::PhantomData }
    }

    /// Register the block compiled at `addr` (`len` bytes) for guest `pc`, with its map.
    pub fn add(&mut self, addr: usize, len: usize, pc: u64, map: &PcMap) {
        let (Ok(len), Ok(map_off), Ok(map_len)) =
            (u32::try_from(len), u32::try_from(self.maps.len()), u32::try_from(map.as_bytes().len()))
        else {
            return;
        };
        self.blocks.push(BlockRec { start: addr, len, map_off, map_len, pc });
        self.maps.extend_from_slice(map.as_bytes());
        self.publish();
    }

    /// Forget every block; new ones go to the code region `code` (a flush moved to it).
    pub fn reset(&mut self, code: Range<usize>) {
        self.clear();
        if let Some(i) = self.slot {
            let s = &SLOTS[i];
            // Emptied first (above), so the handler never pairs the new range with old blocks.
            s.lo.store(code.start, Release);
            s.hi.store(code.end, Release);
        }
    }

    /// Forget every block (the code buffer was flushed).
    pub fn clear(&mut self) {
        self.blocks.clear();
        self.maps.clear();
        self.publish();
    }

    fn publish(&mut self) {
        let Some(i) = self.slot else { return };
        let s = &SLOTS[i];
        s.blocks.store(self.blocks.as_mut_ptr(), Release);
        s.maps.store(self.maps.as_mut_ptr(), Release);
        s.nmaps.store(self.maps.len(), Release);
        s.nblocks.store(self.blocks.len(), Release);
    }
}

impl Drop for Table {
    fn drop(&mut self) {
        if let Some(i) = self.slot {
            let s = &SLOTS[i];
            s.nblocks.store(0, Release);
            s.hi.store(0, Release);
            s.owner.store(0, Release);
        }
    }
}

/// A fault located in generated code.
struct Hit {
    arch: Arch,
    guest_pc: u64,
    /// The block's cached guest registers (state offset, host register); `ncached` are used.
    cached: [(u32, u8); 8],
    ncached: usize,
}

/// Find the block holding host pc `rip` among this thread's engines, and the guest instruction
/// it belongs to.
fn lookup(rip: usize) -> Option<Hit> {
    let me = this_thread();
    let used = USED.load(Acquire).min(MAX_ENGINES);
    for s in SLOTS[..used].iter().filter(|s| s.owner.load(Acquire) == me) {
        if !(s.lo.load(Acquire) <= rip && rip < s.hi.load(Acquire)) {
            continue;
        }
        let n = s.nblocks.load(Acquire);
        let p = s.blocks.load(Acquire);
        let nm = s.nmaps.load(Acquire);
        let mp = s.maps.load(Acquire);
        if p.is_null() || n == 0 {
            return None;
        }
        // SAFETY: the slot is this thread's and `rip` is in its code region, so the engine was
        // running generated code, not changing its vectors (see `Table`): `p`/`n` and `mp`/`nm`
        // describe its live, initialised vectors.
        let (blocks, maps) = unsafe {
            (
                std::slice::from_raw_parts(p, n),
                if mp.is_null() { &[][..] } else { std::slice::from_raw_parts(mp, nm) },
            )
        };
        let k = blocks.partition_point(|b| b.start <= rip);
        let b = blocks.get(k.checked_sub(1)?)?;
        if rip - b.start >= b.len as usize {
            return None; // the trampoline, or between blocks
        }
        let map = maps.get(b.map_off as usize..(b.map_off as usize).checked_add(b.map_len as usize)?)?;
        let guest_pc = PcMap::lookup(map, b.pc, rip - b.start).unwrap_or(b.pc);
        let mut hit = Hit { arch: arch_of(s.arch.load(Acquire)), guest_pc, cached: [(0, 0); 8], ncached: 0 };
        for (k, c) in PcMap::cached(map).take(8).enumerate() {
            hit.cached[k] = c;
            hit.ncached = k + 1;
        }
        return Some(hit);
    }
    None
}

// ---- the handler ----

/// The actions for SIGSEGV and SIGBUS before [`install`].
static OLD: emu_core::hostsig::Replaced = [OnceLock::new(), OnceLock::new()];
/// `REMU_FAULT_DUMP` was set: also print the reconstructed guest registers.
static DUMP: AtomicBool = AtomicBool::new(false);

/// Install the SIGSEGV/SIGBUS handler (once per process) and make sure the calling thread has
/// an alternate signal stack, so a fault with an exhausted stack still reaches a handler.
/// Called by every engine on creation.
pub fn install() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        DUMP.store(std::env::var_os("REMU_FAULT_DUMP").is_some_and(|v| !v.is_empty() && v != "0"), Relaxed);
        emu_core::hostsig::install(&OLD, on_fault);
    });
    let _ = ALT_STACK.try_with(|_| {});
}

/// This thread's alternate signal stack, if this module had to provide one (Rust's runtime
/// already gives one to the threads it starts while its own handler is installed).
struct AltStack(Option<(*mut c_void, usize)>);

thread_local! {
    static ALT_STACK: AltStack = AltStack::new();
}

impl AltStack {
    fn new() -> AltStack {
        // SAFETY: sigaltstack/mmap on this thread with valid arguments; the mapping stays until
        // the thread ends (Drop), when it is first unregistered.
        unsafe {
            let mut cur: libc::stack_t = std::mem::zeroed();
            if libc::sigaltstack(std::ptr::null(), &mut cur) != 0 || cur.ss_flags & libc::SS_DISABLE == 0 {
                return AltStack(None);
            }
            let min = libc::getauxval(libc::AT_MINSIGSTKSZ) as usize;
            let size = (64 << 10).max(4 * min).next_multiple_of(4096);
            let prot = libc::PROT_READ | libc::PROT_WRITE;
            let flags = libc::MAP_PRIVATE | libc::MAP_ANONYMOUS;
            let p = libc::mmap(std::ptr::null_mut(), size, prot, flags, -1, 0);
            if p == libc::MAP_FAILED {
                return AltStack(None);
            }
            let st = libc::stack_t { ss_sp: p, ss_flags: 0, ss_size: size };
            if libc::sigaltstack(&st, std::ptr::null_mut()) != 0 {
                libc::munmap(p, size);
                return AltStack(None);
            }
            AltStack(Some((p, size)))
        }
    }
}

impl Drop for AltStack {
    fn drop(&mut self) {
        if let Some((p, size)) = self.0 {
            // SAFETY: ours (see `new`); disabled before it is unmapped.
            unsafe {
                let st =
                    libc::stack_t { ss_sp: std::ptr::null_mut(), ss_flags: libc::SS_DISABLE, ss_size: 0 };
                libc::sigaltstack(&st, std::ptr::null_mut());
                libc::munmap(p, size);
            }
        }
    }
}

/// The gregs index of host register `r` (x86 encoding) where pinned guest registers live.
fn greg_of(r: u8) -> Option<usize> {
    Some(match r {
        3 => libc::REG_RBX,
        6 => libc::REG_RSI,
        7 => libc::REG_RDI,
        8 => libc::REG_R8,
        9 => libc::REG_R9,
        10 => libc::REG_R10,
        11 => libc::REG_R11,
        12 => libc::REG_R12,
        13 => libc::REG_R13,
        14 => libc::REG_R14,
        15 => libc::REG_R15,
        _ => return None,
    } as usize)
}

extern "C" fn on_fault(sig: c_int, info: *mut siginfo_t, uctx: *mut c_void) {
    // SAFETY: the kernel passes a valid siginfo and ucontext to an SA_SIGINFO handler.
    unsafe {
        let gregs = &(*(uctx as *const libc::ucontext_t)).uc_mcontext.gregs;
        let rip = gregs[libc::REG_RIP as usize] as usize;
        let rsp = gregs[libc::REG_RSP as usize] as usize;
        let code = (*info).si_code;
        let addr = (*info).si_addr() as usize;
        // Kernel-raised faults only (si_code > 0), and not on generated code's own host frame
        // (its value slots, or a helper call's return address): that is a host stack overflow.
        let host_frame = rsp.saturating_sub(4096)..rsp.saturating_add(crate::emit::FRAME as usize + 4096);
        if code > 0 && !host_frame.contains(&addr) {
            if let Some(hit) = lookup(rip) {
                guest_fault(sig, code, addr, gregs, hit);
                return;
            }
        }
        emu_core::hostsig::chain(&OLD, sig, info, uctx);
    }
}

/// Rebuild the guest state at the faulting instruction, report, and die by `sig`.
///
/// # Safety
/// Only from the handler, for a fault inside generated code (`rbp` holds its `CpuState`).
unsafe fn guest_fault(sig: c_int, code: c_int, addr: usize, gregs: &[libc::greg_t; 23], hit: Hit) {
    let cpu = gregs[libc::REG_RBP as usize] as *mut CpuState;
    if !cpu.is_null() {
        // A self-loop may have borrowed a pinned register's host register: its pinned value
        // is then already in memory, and the host register holds the cached one.
        let cached = &hit.cached[..hit.ncached.min(8)];
        let pinned = pin::pins(hit.arch).into_iter().filter(|p| !cached.iter().any(|c| c.1 == p.1));
        for (off, r) in pinned.chain(cached.iter().copied()) {
            if let Some(g) = greg_of(r) {
                // SAFETY: `off` is a field offset of `CpuState` (an aligned u64 register).
                unsafe { cpu.cast::<u8>().add(off as usize).cast::<u64>().write(gregs[g] as u64) };
            }
        }
        // SAFETY: `cpu` is the guest state generated code was running on.
        unsafe { std::ptr::addr_of_mut!((*cpu).pc).write(hit.guest_pc) };
    }
    let (name, why) = match (sig, code) {
        (libc::SIGSEGV, 1) => ("SIGSEGV", "SEGV_MAPERR"),
        (libc::SIGSEGV, 2) => ("SIGSEGV", "SEGV_ACCERR"),
        (libc::SIGSEGV, _) => ("SIGSEGV", "other"),
        (_, 1) => ("SIGBUS", "BUS_ADRALN"),
        (_, 2) => ("SIGBUS", "BUS_ADRERR"),
        (_, 3) => ("SIGBUS", "BUS_OBJERR"),
        _ => ("SIGBUS", "other"),
    };
    let mut l = Line::new();
    l.s("remu: guest ").s(name).s(" at pc ").hex(hit.guest_pc);
    if code == libc::SI_KERNEL {
        // A general-protection fault (non-canonical address): x86 does not report the address.
        l.s(": access to a non-canonical address (SI_KERNEL)\n");
    } else {
        l.s(": access to ").hex(addr as u64).s(" (").s(why).s(")\n");
    }
    l.flush();
    if DUMP.load(Relaxed) && !cpu.is_null() {
        // SAFETY: as above; read-only from here on.
        let c = unsafe { &*cpu };
        l.s("remu: fault state: pc=").hex(c.pc).s(" nzcv=").hex(c.nzcv).s("\n");
        for (i, v) in c.x.iter().enumerate() {
            l.s(if i % 4 == 0 { "remu: fault state:" } else { "" }).s(" x").dec(i as u64).s("=").hex(*v);
            if i % 4 == 3 {
                l.s("\n");
                l.flush();
            }
        }
    }
    // SAFETY: async-signal-safe calls on our own process.
    unsafe {
        // No core file: it would be remu's, not the guest's (as for other guest deaths).
        let rl = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
        libc::setrlimit(libc::RLIMIT_CORE, &rl);
        emu_core::hostsig::die_by(sig);
    }
}

/// A line formatted without allocation, written with one `write(2)` per flush.
struct Line {
    buf: [u8; 256],
    len: usize,
}

impl Line {
    fn new() -> Line {
        Line { buf: [0; 256], len: 0 }
    }
    fn s(&mut self, s: &str) -> &mut Line {
        for &b in s.as_bytes() {
            if self.len < self.buf.len() {
                self.buf[self.len] = b;
                self.len += 1;
            }
        }
        self
    }
    fn hex(&mut self, v: u64) -> &mut Line {
        let mut d = [0u8; 18];
        d[0] = b'0';
        d[1] = b'x';
        let digits = (64 - v.leading_zeros()).div_ceil(4).max(1) as usize;
        for k in 0..digits {
            d[2 + k] = b"0123456789abcdef"[(v >> (4 * (digits - 1 - k)) & 0xf) as usize];
        }
        self.s(std::str::from_utf8(&d[..2 + digits]).unwrap_or("0x?"))
    }
    fn dec(&mut self, v: u64) -> &mut Line {
        let mut d = [0u8; 20];
        let (mut v, mut n) = (v, 0);
        loop {
            d[19 - n] = b'0' + (v % 10) as u8;
            n += 1;
            v /= 10;
            if v == 0 {
                break;
            }
        }
        self.s(std::str::from_utf8(&d[20 - n..]).unwrap_or("?"))
    }
    fn flush(&mut self) {
        let mut done = 0;
        while done < self.len {
            // SAFETY: writing our own initialised buffer to fd 2.
            let r = unsafe { libc::write(2, self.buf[done..].as_ptr().cast(), self.len - done) };
            if r <= 0 {
                if r < 0 && std::io::Error::last_os_error().raw_os_error() == Some(libc::EINTR) {
                    continue;
                }
                break;
            }
            done += r as usize;
        }
        self.len = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pcmap_round_trips_and_picks_the_last_instruction_at_an_offset() {
        let mut m = PcMap::new(0x40_0000);
        // Two instructions emitted no code (offset 0 twice), one needs a long delta.
        for (host, pc) in
            [(0, 0x40_0000), (0, 0x40_0004), (7, 0x40_0008), (300, 0x40_000c), (100_000, 0x50_0000)]
        {
            m.push(host, pc);
        }
        let b = m.as_bytes();
        let at = |off| PcMap::lookup(b, 0x40_0000, off);
        assert_eq!(at(0), Some(0x40_0004));
        assert_eq!(at(6), Some(0x40_0004));
        assert_eq!(at(7), Some(0x40_0008));
        assert_eq!(at(299), Some(0x40_0008));
        assert_eq!(at(300), Some(0x40_000c));
        assert_eq!(at(1 << 30), Some(0x50_0000));
        // A count byte, then one byte per small delta: 1 + 2 + 2 + 2 + (2 + 1) + (3 + 3).
        assert_eq!(b.len(), 16, "not compact");
        assert_eq!(PcMap::cached(b).count(), 0);
        assert_eq!(PcMap::lookup(&[], 0x1000, 5), None);
        assert_eq!(PcMap::lookup(&[0, 0x80], 0x1000, 5), None, "truncated varint");
        // A self-loop's cached registers come first and do not disturb the lookup.
        let mut m = PcMap::new(0x1000);
        m.set_cached(&[(0x58, 11), (0xf8, 10)]);
        m.push(4, 0x1000);
        assert_eq!(PcMap::cached(m.as_bytes()).collect::<Vec<_>>(), [(0x58, 11), (0xf8, 10)]);
        assert_eq!(PcMap::lookup(m.as_bytes(), 0x1000, 9), Some(0x1000));
        assert_eq!(PcMap::lookup(m.as_bytes(), 0x1000, 3), None);
    }

    #[test]
    fn line_formats_numbers_by_hand() {
        let mut l = Line::new();
        l.hex(0).s(" ").hex(0x10).s(" ").hex(u64::MAX).s(" ").dec(0).s(" ").dec(31);
        assert_eq!(&l.buf[..l.len], b"0x0 0x10 0xffffffffffffffff 0 31");
    }
}
