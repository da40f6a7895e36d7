//! IR block -> x86_64 machine code.
//!
//! Frame layout (set up by the entry trampoline): `rbp` points at the guest [`CpuState`];
//! `[rsp + 16*i]` is the slot of IR value `i` (scalars in the low 8 bytes, V128 in all 16);
//! `[rsp + FRAME]` holds the thread's return-prediction ring ([`shadow`]).
//! Values live in host registers where the allocator ([`regalloc`]) can keep them, else in
//! their slot. Ops without a native emitter call [`fallback`], which evaluates the instruction
//! with the interpreter's semantics on the slots. Blocks with more values than the frame holds are not compiled
//! ([`compile`] returns `None`) and the dispatcher interprets them.
//!
//! Where each guest instruction's code starts (its `Mark`) is recorded in [`Code::pcmap`], so a
//! host fault can be mapped back to the guest instruction ([`crate::fault`]).
//!
//! A block ends by setting `CpuState::pc` (and, for traps, the exit info in the scratch words
//! [`off::scratch`]`(4..6)`), putting an [`ExitReason`] in `eax`, and jumping to the trampoline's
//! exit path.

mod alu;
mod atomic;
mod cond;
mod family;
mod fp;
mod int;
mod int_ext;
mod looping;
mod mem;
pub mod pin;
pub mod regalloc;
pub mod shadow;
mod term;
mod vec;

use dynasmrt::x64::X64Relocation;
use dynasmrt::{dynasm, DynasmApi, DynasmLabelApi, VecAssembler};
use emu_core::cpu::CpuState;
use emu_core::ir::{Block, Op, Val};
use family::Family;
use regalloc::Ctx;

pub(crate) type Asm = VecAssembler<X64Relocation>;

/// Bytes of value slots in the frame.
pub const FRAME: i32 = 64 * 1024;
/// Most values a natively compiled block may have.
pub const MAX_VALS: usize = (FRAME / 16) as usize;

/// Why generated code returned to the dispatcher (in `eax`).
#[repr(u32)]
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub enum ExitReason {
    /// Continue at `CpuState::pc`.
    Next = 0,
    /// A system call; `pc` is past it.
    Syscall = 1,
    /// A trap at `pc`; kind and word in scratch 4 and 5.
    Trap = 2,
}

/// Scratch word holding the address of a chainable `jmp rel32` whose slow path was taken
/// (0 when none): the dispatcher patches it to the target's code.
pub const SCRATCH_PATCH_SITE: usize = 1;
/// Scratch word (in `CpuState::scratch`) holding a pending code-invalidation length.
pub const SCRATCH_INVAL_LEN: usize = 2;
/// Scratch word holding the pending code-invalidation address.
pub const SCRATCH_INVAL_ADDR: usize = 3;
/// Scratch word holding the trap kind code of a `Trap` exit.
pub const SCRATCH_TRAP_KIND: usize = 4;
/// Scratch word holding the trap's instruction word.
pub const SCRATCH_TRAP_INSN: usize = 5;

pub(crate) fn slot(v: Val) -> i32 {
    16 * v.0 as i32
}

pub use term::{ibtc_index, ibtc_jump, ChainSite, Runtime, StatCounters, IBTC_ENTRIES};

/// Machine code for one block, assembled for address `rt.base`.
pub struct Code {
    pub bytes: Vec<u8>,
    /// Patchable direct exits.
    pub sites: Vec<ChainSite>,
    /// Where each guest instruction's code starts, for fault mapping ([`crate::fault`]).
    pub pcmap: crate::fault::PcMap,
}

/// Compile `b` for execution at `rt.base`. `block` is the address of `b` itself, which must
/// outlive the code (the fallback reads it). `None`: too large for the frame, interpret it.
pub fn compile(b: &Block, block: *const Block, rt: Runtime) -> Option<Code> {
    if b.insts.len() > MAX_VALS {
        return None;
    }
    // A self-loop keeps its loop-carried registers in caller-saved host registers, which only
    // works when nothing calls out; a block that turned out to call is compiled again without.
    match compile_with(b, block, rt, true)? {
        (code, false) => Some(code),
        (_, true) => compile_with(b, block, rt, false).map(|(code, _)| code),
    }
}

/// [`compile`], caching a self-loop's registers if `cache`; also whether the code has cached
/// registers and calls out (so it must be compiled again without caching).
fn compile_with(b: &Block, block: *const Block, rt: Runtime, cache: bool) -> Option<(Code, bool)> {
    let mut c = Ctx::new(Asm::new(rt.base), b, rt.arch);
    let mut pcmap = crate::fault::PcMap::new(b.pc);
    // A self-loop loads its loop-carried registers once; the back edge jumps to `body`.
    let pins = pin::pins(rt.arch);
    let cached = match cache {
        true => looping::plan(b, &pins),
        false => Vec::new(),
    };
    let body = (!cached.is_empty()).then(|| {
        for &(o, r) in &cached {
            if let Some(p) = looping::parked(&pins, r) {
                dynasm!(c.a ; .arch x64 ; mov [rbp + p as i32], Rq(r));
            }
            dynasm!(c.a ; .arch x64 ; mov Rq(r), [rbp + o as i32]);
        }
        let l = c.a.new_dynamic_label();
        dynasm!(c.a ; .arch x64 ; =>l);
        l
    });
    pcmap.set_cached(&cached);
    c.set_cached(cached);
    for (i, inst) in b.insts.iter().enumerate() {
        c.cur = i;
        if let Op::Mark { pc } = inst.op {
            pcmap.push(c.a.offset().0, pc);
        }
        let native = match family::family(&inst.op) {
            // V128 forms of the width changes, bitcasts and selects are the vector emitters'.
            Family::Int => int::emit(&mut c, inst) || vec::emit(&mut c, inst),
            Family::IntExt => int_ext::emit(&mut c, inst),
            Family::Atomic => atomic::emit(&mut c, inst),
            Family::Fp => fp::emit(&mut c, inst),
            // Vector FP arithmetic joins the scalar FP's MXCSR regions (emit/fp_vec.rs).
            Family::Vec => fp::emit(&mut c, inst) || vec::emit(&mut c, inst),
            Family::Helper => false,
        };
        if !native {
            c.prepare_call();
            call_helper(&mut c.a, fallback as *const () as usize, block, i);
            c.def_slot();
        }
        if let Some((o, r)) = c.pending_pin_reload.take() {
            dynasm!(c.a ; .arch x64 ; mov Rq(r), [rbp + o as i32]);
        }
    }
    c.cur = b.insts.len();
    let mut sites = Vec::new();
    term::emit(&mut c, rt, &mut sites, body);
    term::side_exits(&mut c, rt, &mut sites);
    let redo = body.is_some() && c.calls;
    Some((Code { bytes: c.a.finalize().ok()?, sites, pcmap }, redo))
}

/// Emit a call of `f(rdi = cpu, rsi = value slots, rdx = block, rcx = index)`.
fn call_helper(a: &mut Asm, f: usize, block: *const Block, idx: usize) {
    dynasm!(a
        ; .arch x64
        ; mov rdi, rbp
        ; mov rsi, rsp
        ; mov rdx, QWORD block as i64
        ; mov rcx, QWORD idx as i64
        ; mov rax, QWORD f as i64
        ; call rax
    );
}

/// Evaluate instruction `idx` of `*block` with the interpreter's semantics.
///
/// # Safety
/// Called only from generated code: `cpu` is the guest state, `vals` the frame's value slots
/// (one u128 per value of the block) and `block` a block the engine keeps alive.
pub unsafe extern "sysv64" fn fallback(cpu: *mut CpuState, vals: *mut u128, block: *const Block, idx: usize) {
    // SAFETY: `block` is kept alive by the engine for as long as its code exists; `vals`
    // points at the frame's value slots, which hold one u128 per value of the block.
    unsafe {
        let b = &*block;
        let vals = std::slice::from_raw_parts_mut(vals, b.insts.len());
        vals[idx] = emu_core::interp::eval_inst(b, idx, &mut *cpu, vals);
        if COUNT_FALLBACKS.load(std::sync::atomic::Ordering::Relaxed) {
            let mut m = FALLBACKS.lock().unwrap_or_else(|e| e.into_inner());
            *m.entry(b.insts[idx].op.mnemonic()).or_insert(0) += 1;
        }
    }
    clobber_caller_saved();
}

/// Whether [`fallback`] counts its calls per op (`--stats`; off otherwise: a lock per call).
pub static COUNT_FALLBACKS: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
/// Fallback calls per op mnemonic, while [`COUNT_FALLBACKS`] is set.
pub static FALLBACKS: std::sync::Mutex<std::collections::BTreeMap<&'static str, u64>> =
    std::sync::Mutex::new(std::collections::BTreeMap::new());

/// In debug builds (the tests), overwrite the caller-saved registers the allocator hands out,
/// as any Rust callee may, so generated code that relies on them surviving a call fails the
/// differential tests instead of passing by luck.
#[inline(always)]
fn clobber_caller_saved() {
    #[cfg(debug_assertions)]
    // SAFETY: only writes registers declared as clobbered.
    unsafe {
        std::arch::asm!(
            "mov rsi, -1", "mov rdi, -1", "mov r8, -1", "mov r9, -1", "mov r10, -1", "mov r11, -1",
            "pcmpeqb xmm8, xmm8", "pcmpeqb xmm9, xmm9", "pcmpeqb xmm10, xmm10", "pcmpeqb xmm11, xmm11",
            "pcmpeqb xmm12, xmm12", "pcmpeqb xmm13, xmm13", "pcmpeqb xmm14, xmm14", "pcmpeqb xmm15, xmm15",
            out("rsi") _, out("rdi") _, out("r8") _, out("r9") _, out("r10") _, out("r11") _,
            out("xmm8") _, out("xmm9") _, out("xmm10") _, out("xmm11") _,
            out("xmm12") _, out("xmm13") _, out("xmm14") _, out("xmm15") _,
            options(nomem, nostack, preserves_flags),
        );
    }
}

/// Decode the trap info a `Trap` exit left in the scratch words.
pub fn term_trap_kind(code: u64, insn: u64) -> emu_core::ir::TrapKind {
    term::trap_kind(code, insn)
}

/// Whether `op` has a native emitter (for `--stats` and tests).
pub fn is_native(op: &Op) -> bool {
    match family::family(op) {
        Family::Int => int::is_native(op),
        Family::IntExt => int_ext::is_native(op),
        Family::Atomic => atomic::is_native(op),
        Family::Fp => fp::is_native(op),
        Family::Vec => fp::is_native(op) || vec::is_native(op),
        Family::Helper => false,
    }
}
