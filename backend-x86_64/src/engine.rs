//! The JIT engine: entry trampoline, dispatcher and the map from guest pc to host code.
//!
//! The trampoline saves the host's callee-saved registers, reserves the value-slot frame,
//! points `rbp` at the guest state and jumps to a block; blocks return through its exit path
//! with an [`ExitReason`] in `eax`. The dispatcher looks the next pc up, compiling on a miss,
//! patches the direct jump that brought it there (chaining, with per-target unlink lists), and
//! fills the indirect-branch table that generated code probes inline.
//! Translation (guest -> IR -> optimised IR) goes through the shared [`BlockCache`], so the
//! interpreter and the JIT always run the same IR.

use crate::buffer::{CodeBuffer, DEFAULT_SIZE};
use crate::emit::shadow::{ShadowStack, SHADOW_PTR};
use crate::emit::{
    self, ibtc_index, ExitReason, Runtime, StatCounters, FRAME, IBTC_ENTRIES, SCRATCH_INVAL_ADDR,
    SCRATCH_INVAL_LEN, SCRATCH_PATCH_SITE, SCRATCH_TRAP_INSN, SCRATCH_TRAP_KIND,
};
use dynasmrt::x64::X64Relocation;
use dynasmrt::{dynasm, DynasmApi, DynasmLabelApi, VecAssembler};
use emu_core::cpu::CpuState;
use emu_core::engine::{Engine, Exit};
use emu_core::guest::Guest;
use emu_core::interp::{exec_block, Flow};
use emu_core::ir::Block;
use emu_core::tb::BlockCache;
use std::collections::HashMap;
use std::sync::Arc;

type EnterFn = unsafe extern "sysv64" fn(*mut CpuState, usize, *mut ShadowStack) -> u32;

/// Called with each block right after it is compiled: the optimised IR, where its code lives,
/// and the code bytes (`-d out_asm`).
pub type CompileHook = Box<dyn FnMut(&Block, usize, &[u8])>;

/// A compiled block.
struct Compiled {
    /// Host code address, or `None` for blocks the dispatcher interprets (too large).
    code: Option<usize>,
    block: Arc<Block>,
}

/// The x86_64 JIT engine for one guest thread.
pub struct Jit {
    guest: Arc<dyn Guest>,
    cache: Arc<BlockCache>,
    buf: CodeBuffer,
    enter: EnterFn,
    exit: usize,
    /// Trampoline exit with `ExitReason::Next` already in `eax`.
    exit_next: usize,
    /// The out-of-line indirect-table probe (see [`Runtime::probe`]).
    probe: usize,
    /// This thread's return-prediction table.
    shadow: Box<ShadowStack>,
    /// Whether code compiled from now on predicts returns with it.
    predict_returns: bool,
    /// Bytes of the buffer holding the trampoline (kept across flushes).
    runtime_len: usize,
    map: HashMap<u64, Compiled>,
    /// Patched jump sites per target pc, reset to their slow path when the target goes away.
    incoming: HashMap<u64, Vec<usize>>,
    /// The indirect-branch table: `[guest_pc, host_code]` pairs, `u64::MAX` when empty.
    ibtc: Box<[[u64; 2]]>,
    vals: Vec<u128>,
    /// Blocks compiled since start.
    pub compiled: u64,
    /// Times the code buffer was flushed.
    pub flushes: u64,
    /// Returns to the dispatcher that found the next block already compiled.
    pub dispatches: u64,
    /// Direct jumps patched.
    pub chained: u64,
    /// Returns to the dispatcher through a direct exit's slow path.
    pub slow_exits: u64,
    /// Time spent translating (guest -> optimised IR) and compiling (IR -> x86), in ns.
    pub translate_ns: u64,
    pub compile_ns: u64,
    /// Counters incremented by generated code, when `--stats` instrumented it.
    counters: Option<Box<StatCounters>>,
    hook: Option<CompileHook>,
}

impl Jit {
    pub fn new(guest: Arc<dyn Guest>, cache: Arc<BlockCache>) -> std::io::Result<Jit> {
        Jit::with_buffer_size(guest, cache, DEFAULT_SIZE)
    }

    /// An engine whose code buffer holds `size` bytes (tests force flushes with a small one).
    pub fn with_buffer_size(
        guest: Arc<dyn Guest>,
        cache: Arc<BlockCache>,
        size: usize,
    ) -> std::io::Result<Jit> {
        let mut buf = CodeBuffer::new(size)?;
        let base = buf.next_addr();
        let mut a = VecAssembler::<X64Relocation>::new(base);
        // entry(rdi = cpu, rsi = code, rdx = shadow stack): 6 pushes + 8 keep rsp 16-aligned
        // below the frame; the 8 bytes above the value slots hold the shadow-stack pointer.
        // Guest registers pinned in host registers live there while generated code runs.
        let pins = emit::pin::pins(guest.arch());
        dynasm!(a
            ; .arch x64
            ; push rbp ; push rbx ; push r12 ; push r13 ; push r14 ; push r15
            ; sub rsp, FRAME + 8
            ; mov [rsp + SHADOW_PTR], rdx
            ; mov rbp, rdi
        );
        for (o, r) in pins {
            dynasm!(a ; .arch x64 ; mov Rq(r), [rbp + o as i32]);
        }
        dynasm!(a ; .arch x64 ; jmp rsi);
        // probe: a mispredicted return looks its target (rax, already in CpuState::pc) up in
        // the indirect-branch table; exit_next: "continue at CpuState::pc".
        let mut ibtc = vec![[u64::MAX, 0]; IBTC_ENTRIES].into_boxed_slice();
        let probe_off = a.offset().0;
        let miss = a.new_dynamic_label();
        emit::ibtc_probe(&mut a, ibtc.as_ptr() as usize, miss);
        dynasm!(a ; .arch x64 ; jmp QWORD [rdx + rcx + 8] ; =>miss);
        let exit_next_off = a.offset().0;
        dynasm!(a ; .arch x64 ; xor eax, eax);
        let exit_off = a.offset().0;
        for (o, r) in pins {
            dynasm!(a ; .arch x64 ; mov [rbp + o as i32], Rq(r));
        }
        dynasm!(a
            ; .arch x64
            ; add rsp, FRAME + 8
            ; pop r15 ; pop r14 ; pop r13 ; pop r12 ; pop rbx ; pop rbp
            ; ret
        );
        let code = a.finalize().map_err(|e| std::io::Error::other(format!("{e:?}")))?;
        let addr = buf.push(&code).map_err(|_| std::io::Error::other("code buffer too small"))?;
        // SAFETY: `addr` holds the trampoline just assembled for that address, with the
        // signature of EnterFn.
        let enter: EnterFn = unsafe { std::mem::transmute::<usize, EnterFn>(addr) };
        // An empty entry can match a guest jump to u64::MAX: it must lead somewhere safe.
        ibtc.fill([u64::MAX, (addr + exit_next_off) as u64]);
        Ok(Jit {
            guest,
            cache,
            runtime_len: buf.used(),
            buf,
            enter,
            exit: addr + exit_off,
            exit_next: addr + exit_next_off,
            shadow: ShadowStack::new(addr + exit_next_off),
            predict_returns: std::env::var_os("REMU_JIT_RETURN_STACK").is_some_and(|v| v == "1"),
            map: HashMap::new(),
            incoming: HashMap::new(),
            ibtc,
            probe: addr + probe_off,
            vals: Vec::new(),
            compiled: 0,
            flushes: 0,
            dispatches: 0,
            chained: 0,
            slow_exits: 0,
            translate_ns: 0,
            compile_ns: 0,
            counters: None,
            hook: None,
        })
    }

    /// Instrument code compiled from now on with `--stats` counters (call before running).
    pub fn enable_stats(&mut self) {
        self.counters.get_or_insert_with(Default::default);
    }

    /// Predict returns with the shadow stack in code compiled from now on (default: off unless
    /// `REMU_JIT_RETURN_STACK=1`; docs/jit.md has the measurements behind that default).
    pub fn set_return_prediction(&mut self, on: bool) {
        self.predict_returns = on;
    }

    /// The counters instrumented code increments, when [`Jit::enable_stats`] was called.
    pub fn counters(&self) -> Option<&StatCounters> {
        self.counters.as_deref()
    }

    /// Call `hook` for every block compiled from now on.
    pub fn set_compile_hook(&mut self, hook: CompileHook) {
        self.hook = Some(hook);
    }

    fn compile(&mut self, pc: u64) -> &Compiled {
        let t0 = std::time::Instant::now();
        let block = self.cache.get_or_translate(pc, &*self.guest);
        let t1 = std::time::Instant::now();
        self.translate_ns += (t1 - t0).as_nanos() as u64;
        let bptr = Arc::as_ptr(&block);
        let stats = self.counters.as_deref().map_or(0, |c| c as *const StatCounters as usize);
        let code = loop {
            let rt = Runtime {
                base: self.buf.next_addr(),
                exit: self.exit,
                arch: self.guest.arch(),
                stats,
                ibtc: self.ibtc.as_ptr() as usize,
                probe: self.probe,
                shadow: self.predict_returns,
            };
            let Some(code) = emit::compile(&block, bptr, rt) else {
                break None;
            };
            match self.buf.push(&code.bytes) {
                Ok(addr) => {
                    debug_assert_eq!(addr, rt.base);
                    if let Some(h) = self.hook.as_mut() {
                        h(&block, addr, &code.bytes);
                    }
                    break Some(addr);
                }
                Err(_) => self.flush(),
            }
        };
        self.compiled += 1;
        self.compile_ns += t1.elapsed().as_nanos() as u64;
        self.map.entry(pc).or_insert(Compiled { code, block })
    }

    /// Drop all generated code (code buffer full).
    fn flush(&mut self) {
        self.map.clear();
        self.incoming.clear();
        self.ibtc.fill([u64::MAX, self.exit_next as u64]);
        self.buf.reset_to(self.runtime_len);
        // The ring's stubs lived in the buffer just reset.
        self.shadow.clear(self.exit_next);
        self.flushes += 1;
    }

    /// Point the `jmp rel32` at `site` to `dest` (or back at its slow path when `dest` is None).
    fn patch(site: usize, dest: Option<usize>) {
        let rel = match dest {
            Some(d) => (d as i64 - (site as i64 + 5)) as i32,
            None => 0,
        };
        // SAFETY: `site` is a chain site inside the code buffer, emitted as E9 + rel32 with the
        // rel32 4-byte aligned, so this is one aligned store into our own executable memory.
        unsafe { std::ptr::write_volatile((site + 1) as *mut i32, rel) };
    }

    /// Forget compiled block `pc`: unlink jumps into it and drop its indirect-table entry.
    fn unlink(&mut self, pc: u64) {
        for site in self.incoming.remove(&pc).unwrap_or_default() {
            Self::patch(site, None);
        }
        let e = &mut self.ibtc[ibtc_index(pc)];
        if e[0] == pc {
            *e = [u64::MAX, self.exit_next as u64];
        }
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
            let flushes = self.flushes;
            let (code, block) = match self.map.get(&pc) {
                Some(c) => {
                    self.dispatches += 1;
                    (c.code, c.block.clone())
                }
                None => {
                    let c = self.compile(pc);
                    (c.code, c.block.clone())
                }
            };
            if self.flushes != flushes {
                // The site was in code the flush threw away (its bytes may be reused already).
                site = 0;
            }
            if let Some(addr) = code {
                if site != 0 {
                    Self::patch(site, Some(addr));
                    self.incoming.entry(pc).or_default().push(site);
                    self.chained += 1;
                }
                self.ibtc[ibtc_index(pc)] = [pc, addr as u64];
            }
            let reason = match code {
                // SAFETY: `code` is a block compiled by `emit::compile` for its address, and
                // `block` (which it references) is kept alive by `self.map`.
                Some(addr) => unsafe { (self.enter)(cpu, addr, &mut *self.shadow) },
                None => match exec_block(&block, cpu, &mut self.vals, &self.cache) {
                    Flow::Next(next) => {
                        cpu.pc = next;
                        ExitReason::Next as u32
                    }
                    Flow::Exit(e) => return e,
                },
            };
            if cpu.scratch[SCRATCH_INVAL_LEN] != 0 {
                let (addr, len) = (cpu.scratch[SCRATCH_INVAL_ADDR], cpu.scratch[SCRATCH_INVAL_LEN]);
                cpu.scratch[SCRATCH_INVAL_LEN] = 0;
                if len == u32::MAX as u64 {
                    self.cache.clear();
                    let pcs: Vec<u64> = self.map.keys().copied().collect();
                    pcs.into_iter().for_each(|p| self.unlink(p));
                    self.map.clear();
                } else {
                    self.invalidate(addr, len);
                }
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
        let mut s = format!(
            "engine: jit\nblocks translated: {}\nblocks compiled: {}\ntranslation time: {:.3} ms\n\
             compilation time: {:.3} ms\ncode buffer used: {} KiB, flushes: {}\n\
             dispatcher lookups of compiled blocks: {}\nchain links patched: {}\n",
            self.cache.translated.load(std::sync::atomic::Ordering::Relaxed),
            self.compiled,
            self.translate_ns as f64 / 1e6,
            self.compile_ns as f64 / 1e6,
            self.buf.used() / 1024,
            self.flushes,
            self.dispatches,
            self.chained,
        );
        if let Some(c) = self.counters.as_deref() {
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
        }
        s
    }

    fn invalidate(&mut self, addr: u64, len: u64) {
        let end = addr.saturating_add(len);
        self.cache.invalidate(addr, len);
        let dead: Vec<u64> = self
            .map
            .iter()
            .filter(|(_, c)| c.block.end > addr && c.block.pc < end.max(addr + 1))
            .map(|(&p, _)| p)
            .collect();
        for p in dead {
            self.unlink(p);
            self.map.remove(&p);
        }
    }
}
