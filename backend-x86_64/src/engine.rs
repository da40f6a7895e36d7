//! The JIT engine: a code cache shared by all guest threads ([`JitCache`]) and one handle per
//! thread ([`Jit`], the [`Engine`]) with the dispatcher.
//!
//! The trampoline saves the host's callee-saved registers, reserves the value-slot frame,
//! points `rbp` at the guest state and jumps to a block; blocks return through its exit path
//! with an [`ExitReason`] in `eax`. The dispatcher looks the next pc up (lock-free, in the
//! indirect-branch table), else takes the compile lock to find or compile it, patches the
//! direct jump that brought it there (chaining, with per-target unlink lists), and fills the
//! indirect-branch table that generated code probes inline.
//! Translation (guest -> IR -> optimised IR) goes through the shared [`BlockCache`], so the
//! interpreter and the JIT always run the same IR. The protocol that makes the sharing safe is
//! in docs/jit.md ("Shared code cache").
//!
//! Each handle publishes the blocks it compiles, with their host-offset -> guest-pc maps, to
//! the fault handler ([`crate::fault`]), which maps a host fault in them back to the guest pc.
//! Blocks another thread compiled are not in this thread's table yet (guest threads do not
//! exist yet; the threads work must share the registry).

use crate::buffer::{CodeBuffer, DEFAULT_SIZE};
use crate::emit::shadow::{ShadowStack, SHADOW_PTR};
use crate::emit::{
    self, ibtc_index, ExitReason, Runtime, StatCounters, FRAME, IBTC_ENTRIES, SCRATCH_INVAL_ADDR,
    SCRATCH_INVAL_LEN, SCRATCH_PATCH_SITE, SCRATCH_TRAP_INSN, SCRATCH_TRAP_KIND,
};
use crate::syscall::{Outcome, SyscallHandler, SyscallSlot, SYSCALL_PTR};
use dynasmrt::x64::X64Relocation;
use dynasmrt::{dynasm, DynasmApi, VecAssembler};
use emu_core::cpu::{off, CpuState};
use emu_core::engine::{Engine, Exit};
use emu_core::guest::Guest;
use emu_core::interp::{exec_block, Flow};
use emu_core::ir::Block;
use emu_core::tb::BlockCache;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

type EnterFn = unsafe extern "sysv64" fn(*mut CpuState, usize, *mut ShadowStack, *mut SyscallSlot) -> u32;

/// Called with each block right after it is compiled: the optimised IR, where its code lives,
/// and the code bytes (`-d out_asm`). Per handle: the handle that compiles a block calls it.
pub type CompileHook = Box<dyn FnMut(&Block, usize, &[u8])>;

/// Where a compiled block's code is.
#[derive(Copy, Clone)]
struct Entry {
    /// Checks `rax == pc` first (entered from the indirect table and the dispatcher).
    checked: usize,
    /// The block proper (chained jumps go here).
    body: usize,
}

/// A compiled block.
struct Compiled {
    /// `None` for blocks the dispatcher interprets (too large).
    code: Option<Entry>,
    block: Arc<Block>,
}

/// The runtime routines, assembled once in their own region (never flushed).
struct RuntimeCode {
    _region: CodeBuffer,
    enter: EnterFn,
    exit: usize,
    /// Exit with `ExitReason::Next` (continue at `CpuState::pc`).
    exit_next: usize,
    /// Out-of-line jump through the indirect table for a target in `rax` (mispredicted returns).
    probe: usize,
}

/// Everything behind the compile lock.
struct Inner {
    /// Region new blocks go to; it starts with a local `exit_next` (`region_exit`).
    buf: CodeBuffer,
    region_exit: usize,
    region_size: usize,
    /// Regions replaced by a flush, with the epoch they were retired in: unmapped once every
    /// handle has passed through the dispatcher in a later epoch.
    retired: Vec<(u64, CodeBuffer, Vec<Arc<Block>>)>,
    /// Every block compiled into `buf`: its code may call the fallback with the IR's address.
    region_blocks: Vec<Arc<Block>>,
    map: HashMap<u64, Compiled>,
    /// Patched jump sites per target pc, reset to their slow path when the target goes away.
    incoming: HashMap<u64, Vec<usize>>,
    /// The epoch each live handle last saw at its dispatcher entry.
    handles: Vec<Arc<AtomicU64>>,
    counters: Option<Box<StatCounters>>,
    predict_returns: bool,
    compiled: u64,
    flushes: u64,
    chained: u64,
    translate_ns: u64,
    compile_ns: u64,
}

/// The code cache shared by every guest thread: code regions, pc -> code map, unlink lists and
/// the indirect-branch table. Compilation is serialised by one lock; lookups are lock-free.
pub struct JitCache {
    guest: Arc<dyn Guest>,
    cache: Arc<BlockCache>,
    rt: RuntimeCode,
    /// `[guest_pc, checked entry]` pairs; empty entries are `[u64::MAX, exit_next]`. Written
    /// under the lock (pc invalidated first, then host, then pc), read without it.
    ibtc: Box<[[AtomicU64; 2]]>,
    /// Bumped by every flush; handles compare it at each dispatcher entry.
    epoch: AtomicU64,
    inner: Mutex<Inner>,
}

/// The x86_64 JIT engine for one guest thread: a handle on a [`JitCache`].
pub struct Jit {
    shared: Arc<JitCache>,
    /// This thread's return-prediction table.
    shadow: Box<ShadowStack>,
    /// The cache epoch this handle last synchronised with, published in `seen`.
    epoch: u64,
    seen: Arc<AtomicU64>,
    vals: Vec<u128>,
    /// Returns to the dispatcher that found the next block already compiled.
    pub dispatches: u64,
    /// Returns to the dispatcher through a direct exit's slow path.
    pub slow_exits: u64,
    hook: Option<CompileHook>,
    /// The blocks this handle compiled, as the fault handler sees them.
    faults: crate::fault::Table,
    /// The syscall handler generated code calls (crate::syscall), boxed for a stable address.
    sys: Box<SyscallSlot>,
}

fn assemble_runtime(arch: emu_core::Arch, ibtc: usize) -> std::io::Result<RuntimeCode> {
    let mut buf = CodeBuffer::new(4096)?;
    let base = buf.next_addr();
    let mut a = VecAssembler::<X64Relocation>::new(base);
    // entry(rdi = cpu, rsi = code, rdx = shadow stack, rcx = syscall slot): 6 pushes + 24 keep
    // rsp 16-aligned below the frame; the 16 bytes above the value slots hold the shadow-stack
    // and syscall-slot pointers (8 bytes of padding above them).
    // Guest registers pinned in host registers live there while generated code runs; rax
    // carries the pc to the block's checked entry.
    let pins = emit::pin::pins(arch);
    dynasm!(a
        ; .arch x64
        ; push rbp ; push rbx ; push r12 ; push r13 ; push r14 ; push r15
        ; sub rsp, FRAME + 24
        ; mov [rsp + SHADOW_PTR], rdx
        ; mov [rsp + SYSCALL_PTR], rcx
        ; mov rbp, rdi
    );
    for (o, r) in pins {
        dynasm!(a ; .arch x64 ; mov Rq(r), [rbp + o as i32]);
    }
    dynasm!(a ; .arch x64 ; mov rax, [rbp + off::PC as i32] ; jmp rsi);
    // probe: a mispredicted return jumps through the indirect-branch table (its target is in
    // rax and already in CpuState::pc); exit_next: "continue at CpuState::pc".
    let probe_off = a.offset().0;
    emit::ibtc_jump(&mut a, ibtc, 0);
    let exit_next_off = a.offset().0;
    dynasm!(a ; .arch x64 ; xor eax, eax);
    let exit_off = a.offset().0;
    for (o, r) in pins {
        dynasm!(a ; .arch x64 ; mov [rbp + o as i32], Rq(r));
    }
    dynasm!(a
        ; .arch x64
        ; add rsp, FRAME + 24
        ; pop r15 ; pop r14 ; pop r13 ; pop r12 ; pop rbx ; pop rbp
        ; ret
    );
    let code = a.finalize().map_err(|e| std::io::Error::other(format!("{e:?}")))?;
    let addr = buf.push(&code).map_err(|_| std::io::Error::other("runtime does not fit"))?;
    // SAFETY: `addr` holds the trampoline just assembled for that address, with the
    // signature of EnterFn.
    let enter: EnterFn = unsafe { std::mem::transmute::<usize, EnterFn>(addr) };
    Ok(RuntimeCode {
        _region: buf,
        enter,
        exit: addr + exit_off,
        exit_next: addr + exit_next_off,
        probe: addr + probe_off,
    })
}

/// Bytes of a region's local exit.
const REGION_EXIT_LEN: usize = 14;

/// A block region: `size` bytes starting with a local "continue at pc" exit, which checked
/// entries reach with a `jne rel32` (regions may be further than 2 GiB from the runtime).
fn new_region(size: usize, exit: usize) -> std::io::Result<(CodeBuffer, usize)> {
    let mut buf = CodeBuffer::new(size)?;
    let mut a = VecAssembler::<X64Relocation>::new(buf.next_addr());
    dynasm!(a ; .arch x64 ; xor eax, eax ; mov rcx, QWORD exit as i64 ; jmp rcx);
    let code = a.finalize().map_err(|e| std::io::Error::other(format!("{e:?}")))?;
    debug_assert_eq!(code.len(), REGION_EXIT_LEN);
    let addr = buf.push(&code).map_err(|_| std::io::Error::other("code buffer too small"))?;
    Ok((buf, addr))
}

/// The checked entry of the block for `pc` placed at `base`: nop padding, `cmp rax, pc`,
/// `jne region_exit`, ending 16-byte aligned so the block body that follows is aligned.
/// Returns the bytes and the offset of the `cmp`.
fn checked_entry(pc: u64, base: usize, region_exit: usize) -> (Vec<u8>, usize) {
    let mut a = VecAssembler::<X64Relocation>::new(0);
    match i32::try_from(pc as i64) {
        Ok(imm) => dynasm!(a ; .arch x64 ; cmp rax, imm),
        Err(_) => dynasm!(a ; .arch x64 ; mov rcx, QWORD pc as i64 ; cmp rax, rcx),
    }
    let check = a.finalize().unwrap_or_default();
    let len = (check.len() + 6).next_multiple_of(16);
    let start = len - check.len() - 6;
    let mut v = vec![0x90; start];
    v.extend_from_slice(&check);
    let after = base + len;
    v.extend_from_slice(&[0x0F, 0x85]);
    v.extend_from_slice(&((region_exit as i64 - after as i64) as i32).to_le_bytes());
    (v, start)
}

/// Point the `jmp rel32` at `site` to `dest` (or back at its slow path when `dest` is None).
fn patch(site: usize, dest: Option<usize>) {
    let rel = match dest {
        Some(d) => (d as i64 - (site as i64 + 5)) as i32,
        None => 0,
    };
    // SAFETY: `site` is a chain site inside a live code region, emitted as E9 + rel32 with the
    // rel32 4-byte aligned, so this is one aligned store into our own executable memory, which
    // other threads executing the jump see either before or after.
    unsafe { std::ptr::write_volatile((site + 1) as *mut i32, rel) };
}

impl JitCache {
    /// A cache for `guest` whose block regions hold `size` bytes each.
    pub fn new(guest: Arc<dyn Guest>, cache: Arc<BlockCache>, size: usize) -> std::io::Result<Arc<JitCache>> {
        let ibtc: Box<[[AtomicU64; 2]]> =
            (0..IBTC_ENTRIES).map(|_| [AtomicU64::new(u64::MAX), AtomicU64::new(0)]).collect();
        let rt = assemble_runtime(guest.arch(), ibtc.as_ptr() as usize)?;
        // An empty entry can match a guest jump to u64::MAX: it must lead somewhere safe.
        ibtc.iter().for_each(|e| e[1].store(rt.exit_next as u64, Ordering::Relaxed));
        let (buf, region_exit) = new_region(size, rt.exit)?;
        let inner = Inner {
            buf,
            region_exit,
            region_size: size,
            retired: Vec::new(),
            region_blocks: Vec::new(),
            map: HashMap::new(),
            incoming: HashMap::new(),
            handles: Vec::new(),
            counters: None,
            predict_returns: std::env::var_os("REMU_JIT_RETURN_STACK").is_some_and(|v| v == "1"),
            compiled: 0,
            flushes: 0,
            chained: 0,
            translate_ns: 0,
            compile_ns: 0,
        };
        Ok(Arc::new(JitCache { guest, cache, rt, ibtc, epoch: AtomicU64::new(0), inner: Mutex::new(inner) }))
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Lock-free lookup of `pc`'s checked entry. A torn read can pair `pc` with another block:
    /// its checked entry then sends the dispatcher back here, by when the writer has finished.
    fn lookup(&self, pc: u64) -> Option<usize> {
        let e = &self.ibtc[ibtc_index(pc)];
        (e[0].load(Ordering::Acquire) == pc).then(|| e[1].load(Ordering::Acquire) as usize)
    }

    fn set_ibtc(&self, pc: u64, host: usize) {
        let e = &self.ibtc[ibtc_index(pc)];
        e[0].store(u64::MAX, Ordering::Release);
        e[1].store(host as u64, Ordering::Release);
        e[0].store(pc, Ordering::Release);
    }

    fn compile(
        &self,
        inner: &mut Inner,
        pc: u64,
        hook: Option<&mut CompileHook>,
        mut faults: Option<&mut crate::fault::Table>,
    ) -> Option<Entry> {
        let t0 = std::time::Instant::now();
        let block = self.cache.get_or_translate(pc, &*self.guest);
        let t1 = std::time::Instant::now();
        inner.translate_ns += (t1 - t0).as_nanos() as u64;
        let bptr = Arc::as_ptr(&block);
        let stats = inner.counters.as_deref().map_or(0, |c| c as *const StatCounters as usize);
        let mut flushed = false;
        let code = loop {
            let base = inner.buf.next_addr();
            let (mut bytes, check) = checked_entry(pc, base, inner.region_exit);
            let rt = Runtime {
                base: base + bytes.len(),
                exit: self.rt.exit,
                arch: self.guest.arch(),
                stats,
                ibtc: self.ibtc.as_ptr() as usize,
                probe: self.rt.probe,
                shadow: inner.predict_returns,
            };
            let Some(code) = emit::compile(&block, bptr, rt) else {
                break None;
            };
            bytes.extend_from_slice(&code.bytes);
            match inner.buf.push(&bytes) {
                Ok(addr) => {
                    debug_assert_eq!(addr, base);
                    if let Some(h) = hook {
                        h(&block, rt.base, &code.bytes);
                    }
                    if let Some(t) = faults.as_deref_mut() {
                        t.add(rt.base, code.bytes.len(), block.pc, &code.pcmap);
                    }
                    // Generated code (fallback calls) points at the IR: keep it as long as
                    // the region.
                    inner.region_blocks.push(block.clone());
                    break Some(Entry { checked: addr + check, body: rt.base });
                }
                // Larger than a whole region, or no memory for a new one: interpret it.
                Err(_) if flushed => break None,
                Err(_) => {
                    self.flush(inner);
                    if let Some(t) = faults.as_deref_mut() {
                        t.reset(inner.buf.region());
                    }
                    flushed = true;
                }
            }
        };
        inner.compiled += 1;
        inner.compile_ns += t1.elapsed().as_nanos() as u64;
        inner.map.insert(pc, Compiled { code, block });
        code
    }

    /// Drop all generated code (code region full): new blocks go to a fresh region; the old one
    /// stays mapped, with every chained jump in it reset, until all handles have left it.
    fn flush(&self, inner: &mut Inner) {
        for (_, sites) in inner.incoming.drain() {
            sites.into_iter().for_each(|s| patch(s, None));
        }
        inner.map.clear();
        for e in self.ibtc.iter() {
            e[0].store(u64::MAX, Ordering::Release);
            e[1].store(self.rt.exit_next as u64, Ordering::Release);
        }
        match new_region(inner.region_size, self.rt.exit) {
            Ok((buf, exit)) => {
                let epoch = self.epoch.load(Ordering::Relaxed);
                let old = std::mem::replace(&mut inner.buf, buf);
                let blocks = std::mem::take(&mut inner.region_blocks);
                inner.retired.push((epoch, old, blocks));
                inner.region_exit = exit;
            }
            // No memory for a new region: reuse this one when no other handle can be inside
            // it; otherwise it stays full and blocks are interpreted.
            Err(_) if inner.handles.len() <= 1 => {
                let keep = inner.region_exit - inner.buf.base() + REGION_EXIT_LEN;
                inner.buf.reset_to(keep);
                inner.region_blocks.clear();
            }
            Err(_) => {}
        }
        self.epoch.fetch_add(1, Ordering::AcqRel);
        inner.flushes += 1;
        Self::reclaim(inner);
    }

    /// Unmap retired regions that no handle can still be running in.
    fn reclaim(inner: &mut Inner) {
        let min = inner.handles.iter().map(|h| h.load(Ordering::Acquire)).min().unwrap_or(u64::MAX);
        inner.retired.retain(|(epoch, _, _)| *epoch >= min);
    }

    /// Forget compiled block `pc`: unlink jumps into it and drop its indirect-table entry.
    fn unlink(&self, inner: &mut Inner, pc: u64) {
        for site in inner.incoming.remove(&pc).unwrap_or_default() {
            patch(site, None);
        }
        let e = &self.ibtc[ibtc_index(pc)];
        if e[0].load(Ordering::Acquire) == pc {
            e[0].store(u64::MAX, Ordering::Release);
            e[1].store(self.rt.exit_next as u64, Ordering::Release);
        }
    }

    fn invalidate(&self, addr: u64, len: u64) {
        let mut inner = self.lock();
        if len == u32::MAX as u64 {
            self.cache.clear();
            let pcs: Vec<u64> = inner.map.keys().copied().collect();
            pcs.into_iter().for_each(|p| self.unlink(&mut inner, p));
            inner.map.clear();
            return;
        }
        let end = addr.saturating_add(len);
        self.cache.invalidate(addr, len);
        let dead: Vec<u64> = inner
            .map
            .iter()
            .filter(|(_, c)| c.block.end > addr && c.block.pc < end.max(addr + 1))
            .map(|(&p, _)| p)
            .collect();
        for p in dead {
            self.unlink(&mut inner, p);
            inner.map.remove(&p);
        }
    }
}

impl Jit {
    pub fn new(guest: Arc<dyn Guest>, cache: Arc<BlockCache>) -> std::io::Result<Jit> {
        Jit::with_buffer_size(guest, cache, DEFAULT_SIZE)
    }

    /// An engine whose code regions hold `size` bytes (tests force flushes with a small one).
    pub fn with_buffer_size(
        guest: Arc<dyn Guest>,
        cache: Arc<BlockCache>,
        size: usize,
    ) -> std::io::Result<Jit> {
        Ok(Jit::on(JitCache::new(guest, cache, size)?))
    }

    /// A handle for one more guest thread on `shared`.
    pub fn on(shared: Arc<JitCache>) -> Jit {
        let epoch = shared.epoch.load(Ordering::Acquire);
        let seen = Arc::new(AtomicU64::new(epoch));
        crate::fault::install();
        let faults = {
            let mut inner = shared.lock();
            inner.handles.push(seen.clone());
            crate::fault::Table::new(inner.buf.region(), shared.guest.arch())
        };
        Jit {
            faults,
            shadow: ShadowStack::new(shared.rt.exit_next),
            shared,
            epoch,
            seen,
            vals: Vec::new(),
            dispatches: 0,
            slow_exits: 0,
            hook: None,
            sys: Box::default(),
        }
    }

    /// The cache this handle runs on (for [`Jit::on`] in a new thread).
    pub fn shared(&self) -> Arc<JitCache> {
        self.shared.clone()
    }

    /// Instrument code compiled from now on with `--stats` counters (call before running).
    pub fn enable_stats(&mut self) {
        self.shared.lock().counters.get_or_insert_with(Default::default);
        emit::COUNT_FALLBACKS.store(true, Ordering::Relaxed);
    }

    /// Predict returns with the shadow stack in code compiled from now on (default: off unless
    /// `REMU_JIT_RETURN_STACK=1`; docs/jit.md has the measurements behind that default).
    pub fn set_return_prediction(&mut self, on: bool) {
        self.shared.lock().predict_returns = on;
    }

    /// A snapshot of the counters instrumented code increments (all threads together; the
    /// increments are not atomic, so concurrent threads may lose a few).
    pub fn counters(&self) -> Option<StatCounters> {
        let inner = self.shared.lock();
        // SAFETY: the counters live as long as the cache; generated code may be incrementing
        // them concurrently, so read them as plain memory without forming a reference.
        inner.counters.as_deref().map(|c| unsafe { std::ptr::read_volatile(c) })
    }

    /// Blocks compiled, code-buffer flushes and direct jumps chained, by all threads.
    pub fn compiled(&self) -> u64 {
        self.shared.lock().compiled
    }
    pub fn flushes(&self) -> u64 {
        self.shared.lock().flushes
    }
    pub fn chained(&self) -> u64 {
        self.shared.lock().chained
    }

    /// Service syscalls with `handler` from now on, from inside generated code (docs/jit.md,
    /// "Syscalls"): a block ending in a syscall calls it (crate::syscall) and, when it
    /// returns true with `cpu.pc` unchanged and nothing invalidated, goes straight on to the next
    /// block without returning to the dispatcher. Ranges it invalidates are applied before any
    /// more generated code runs. When it returns false, [`Engine::run`] returns `Exit::Syscall`
    /// with the syscall already serviced. Without a handler `run` returns `Exit::Syscall` at
    /// every syscall for the caller to service, as before.
    ///
    /// A panic in the handler is caught before it reaches generated code and resumed by `run`.
    pub fn set_syscall_handler(&mut self, handler: SyscallHandler) {
        self.sys.handler = Some(handler);
    }

    /// Syscalls the handler serviced from inside generated code.
    pub fn syscalls_inline(&self) -> u64 {
        self.sys.inline
    }

    /// Syscalls the handler serviced from the dispatcher (blocks too large to compile).
    pub fn syscalls_dispatched(&self) -> u64 {
        self.sys.dispatched
    }

    /// Call `hook` for every block this handle compiles from now on.
    pub fn set_compile_hook(&mut self, hook: CompileHook) {
        self.hook = Some(hook);
    }

    /// The cache was flushed since this handle last looked: its predictions point into a
    /// retired region. Forget them and let the region go.
    fn sync(&mut self, epoch: u64) {
        self.shadow.clear(self.shared.rt.exit_next);
        self.epoch = epoch;
        self.seen.store(epoch, Ordering::Release);
        let mut inner = self.shared.lock();
        self.faults.reset(inner.buf.region());
        JitCache::reclaim(&mut inner);
    }

    /// Apply the code invalidation pending in `cpu`'s scratch words (`Op::CodeInval`, or ranges
    /// a syscall handler invalidated).
    fn apply_invalidation(&mut self, cpu: &mut CpuState) {
        if cpu.scratch[SCRATCH_INVAL_LEN] != 0 {
            let (addr, len) = (cpu.scratch[SCRATCH_INVAL_ADDR], cpu.scratch[SCRATCH_INVAL_LEN]);
            cpu.scratch[SCRATCH_INVAL_LEN] = 0;
            self.shared.invalidate(addr, len);
        }
    }

    /// Find or compile `pc` under the lock; chain `site` (recorded by a slow exit in this
    /// handle's epoch) to it and publish it in the indirect table.
    fn resolve(&mut self, pc: u64, site: usize) -> (Option<Entry>, Arc<Block>) {
        let shared = self.shared.clone();
        let mut guard = shared.lock();
        let inner = &mut *guard;
        let (code, block) = match inner.map.get(&pc) {
            Some(c) => {
                self.dispatches += 1;
                (c.code, c.block.clone())
            }
            None => {
                let code = shared.compile(inner, pc, self.hook.as_mut(), Some(&mut self.faults));
                (code, inner.map[&pc].block.clone())
            }
        };
        if let Some(e) = code {
            // A site from before a flush is in a retired region (or, without a new region,
            // in reused memory): never patch it.
            if site != 0 && shared.epoch.load(Ordering::Acquire) == self.epoch {
                patch(site, Some(e.body));
                inner.incoming.entry(pc).or_default().push(site);
                inner.chained += 1;
            }
            shared.set_ibtc(pc, e.checked);
        }
        (code, block)
    }
}

impl Drop for Jit {
    fn drop(&mut self) {
        let mut inner = self.shared.lock();
        inner.handles.retain(|h| !Arc::ptr_eq(h, &self.seen));
        JitCache::reclaim(&mut inner);
    }
}

impl Engine for Jit {
    fn run(&mut self, cpu: &mut CpuState) -> Exit {
        loop {
            let pc = cpu.pc;
            let mut site = std::mem::take(&mut cpu.scratch[SCRATCH_PATCH_SITE]) as usize;
            if site != 0 {
                self.slow_exits += 1;
            }
            let epoch = self.shared.epoch.load(Ordering::Acquire);
            if epoch != self.epoch {
                // The site may be in the region this lets go.
                site = 0;
                self.sync(epoch);
            }
            let fast = if site == 0 { self.shared.lookup(pc) } else { None };
            let code = match fast {
                Some(addr) => {
                    self.dispatches += 1;
                    Some(addr)
                }
                None => match self.resolve(pc, site) {
                    (Some(e), _) => Some(e.checked),
                    (None, block) => {
                        match exec_block(&block, cpu, &mut self.vals, &self.shared.cache) {
                            Flow::Next(next) => cpu.pc = next,
                            Flow::Exit(Exit::Syscall) if self.sys.handler.is_some() => {
                                self.sys.dispatched += 1;
                                let stop = matches!(self.sys.call(cpu), Outcome::Stop);
                                self.apply_invalidation(cpu);
                                if let Some(p) = self.sys.panic.take() {
                                    std::panic::resume_unwind(p);
                                }
                                if stop {
                                    return Exit::Syscall;
                                }
                            }
                            Flow::Exit(e) => return e,
                        }
                        None
                    }
                },
            };
            let reason = match code {
                // SAFETY: `addr` is the checked entry of a block compiled by `emit::compile`
                // in a region that stays mapped until this handle passes the dispatcher in a
                // later epoch, and the block's IR is kept alive by the map or the retired
                // region's epoch; the trampoline loads rax = cpu.pc for the check. The shadow
                // stack and syscall slot are boxed in `self`, untouched until it returns.
                Some(addr) => unsafe { (self.shared.rt.enter)(cpu, addr, &mut *self.shadow, &mut *self.sys) },
                None => ExitReason::Next as u32,
            };
            self.apply_invalidation(cpu);
            if let Some(p) = self.sys.panic.take() {
                // The handler panicked inside generated code: unwind from here instead.
                std::panic::resume_unwind(p);
            }
            match reason {
                r if r == ExitReason::Next as u32 => {}
                r if r == ExitReason::Syscall as u32 => return Exit::Syscall,
                _ => {
                    let kind =
                        emit::term_trap_kind(cpu.scratch[SCRATCH_TRAP_KIND], cpu.scratch[SCRATCH_TRAP_INSN]);
                    return Exit::Trap { pc: cpu.pc, kind };
                }
            }
        }
    }

    fn stats(&self) -> String {
        let inner = self.shared.lock();
        let mut s = format!(
            "engine: jit\nblocks translated: {}\nblocks compiled: {}\ntranslation time: {:.3} ms\n\
             compilation time: {:.3} ms\ncode buffer used: {} KiB, flushes: {}\n\
             dispatcher lookups of compiled blocks: {}\nchain links patched: {}\n",
            self.shared.cache.translated.load(Ordering::Relaxed),
            inner.compiled,
            inner.translate_ns as f64 / 1e6,
            inner.compile_ns as f64 / 1e6,
            inner.buf.used() / 1024,
            inner.flushes,
            self.dispatches,
            inner.chained,
        );
        if self.sys.handler.is_some() {
            s += &format!(
                "syscalls serviced in generated code: {}, from the dispatcher: {}\n",
                self.sys.inline, self.sys.dispatched
            );
        }
        // SAFETY: as in `counters`: a plain read of memory generated code may be updating.
        if let Some(c) = inner.counters.as_deref().map(|c| unsafe { std::ptr::read_volatile(c) }) {
            let pct = |part: u64, all: u64| if all == 0 { 100.0 } else { 100.0 * part as f64 / all as f64 };
            let chained = c.direct_exits.saturating_sub(self.slow_exits);
            s += &format!(
                "direct exits: {}, taken through a chained jump: {:.2}%\n\
                 indirect branches: {}, served by the inline table: {:.2}%\n\
                 returns: {}, predicted by the shadow stack: {:.2}%\n",
                c.direct_exits,
                pct(chained, c.direct_exits),
                c.indirect,
                pct(c.indirect_hits, c.indirect),
                c.returns,
                pct(c.return_hits, c.returns),
            );
            // The ops generated code hands to the interpreter most often (a hot one is worth
            // a native emitter: this is how SBC, RBIT and DC ZVA were found).
            let mut fb: Vec<(&str, u64)> = emit::FALLBACKS
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .iter()
                .map(|(k, v)| (*k, *v))
                .collect();
            fb.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
            let top: Vec<String> = fb.iter().take(6).map(|(k, n)| format!("{k} {n}")).collect();
            s += &format!(
                "interpreter fallback calls: {}{}{}\n",
                fb.iter().map(|e| e.1).sum::<u64>(),
                if top.is_empty() { "" } else { "; most: " },
                top.join(", ")
            );
        }
        s
    }

    fn invalidate(&mut self, addr: u64, len: u64) {
        self.shared.invalidate(addr, len);
    }
}
