//! Block terminators: chainable direct exits, the inline indirect-branch lookup, syscalls (a
//! call of the syscall handler from the block, then a direct exit; [`crate::syscall`]) and trap
//! exits.
//!
//! A direct exit is a patchable `jmp rel32` (its displacement 4-byte aligned so a patch is one
//! aligned store) that initially falls through to a slow path: set the guest pc, record the
//! patch site in a scratch word and return to the dispatcher, which compiles the target and
//! patches the jump so the next execution goes straight there. An indirect exit jumps through
//! the engine's direct-mapped table of (guest pc, host code) pairs to the block's checked entry,
//! which compares the pc (so torn or colliding entries only miss); returns may be predicted by
//! the shadow stack ([`super::shadow`]).

use super::regalloc::{Ctx, Scratch};
use super::shadow;
use super::{Asm, ExitReason, SCRATCH_PATCH_SITE, SCRATCH_TRAP_INSN, SCRATCH_TRAP_KIND};
use dynasmrt::{dynasm, DynamicLabel, DynasmApi, DynasmLabelApi};

use emu_core::cpu::off;
use emu_core::ir::{BranchKind, Op, Term, TrapKind};

/// Entries in the indirect-branch table (a power of two).
pub const IBTC_ENTRIES: usize = 1 << 14;

/// Where generated code finds the runtime: the trampoline's exit path and the indirect table.
#[derive(Copy, Clone)]
pub struct Runtime {
    /// Address the block being compiled will live at.
    pub base: usize,
    pub exit: usize,
    /// The engine's guest: which registers the trampoline pins.
    pub arch: emu_core::Arch,
    /// Address of the `--stats` counters ([`StatCounters`]), or 0 for uninstrumented code.
    pub stats: usize,
    /// Address of `[(guest_pc, host_code); IBTC_ENTRIES]`.
    pub ibtc: usize,
    /// The runtime's out-of-line probe of that table: jump there with the target in `rax`,
    /// already stored in `CpuState::pc` (a mispredicted return).
    pub probe: usize,
    /// Predict returns with the shadow stack ([`super::shadow`]).
    pub shadow: bool,
}

/// Counters that instrumented code (`--stats`) increments.
#[repr(C)]
#[derive(Default, Debug, Clone, Copy)]
pub struct StatCounters {
    /// Direct exits executed (chained or not).
    pub direct_exits: u64,
    /// Indirect branches executed.
    pub indirect: u64,
    /// Indirect branches that found their target in the inline table.
    pub indirect_hits: u64,
    /// Returns (`Indirect` of kind `Return`) executed; not counted in `indirect`.
    pub returns: u64,
    /// Returns that went where the shadow stack predicted.
    pub return_hits: u64,
}

/// `inc qword [counter]` at byte offset `field` of the stats block (clobbers r8: only used at
/// block exits, where no value is live).
pub(super) fn count(a: &mut Asm, rt: Runtime, field: usize) {
    if rt.stats != 0 {
        dynasm!(a ; .arch x64 ; mov r8, QWORD (rt.stats + field) as i64 ; inc QWORD [r8]);
    }
}

/// Index of `pc` in the indirect-branch table.
pub fn ibtc_index(pc: u64) -> usize {
    ((pc >> 2) as usize ^ (pc >> 16) as usize) & (IBTC_ENTRIES - 1)
}

/// Jump to the indirect-branch table's entry for `rax` (clobbers rcx, rdx, and r8 when
/// counting hits). There is no compare here: every block is entered from the table through
/// its checked entry, which compares `rax` with the block's pc and sends anything else to the
/// dispatcher, so a collision, an empty entry or an entry torn by a concurrent writer can only
/// miss (docs/jit.md, "Shared code cache").
pub fn ibtc_jump(a: &mut Asm, ibtc: usize, stats: usize) {
    let mask = ((IBTC_ENTRIES - 1) as i32) << 4;
    dynasm!(a
        ; .arch x64
        ; mov rcx, rax ; shr rcx, 2
        ; mov rdx, rax ; shr rdx, 16
        ; xor rcx, rdx ; shl rcx, 4 ; and ecx, mask
        ; mov rdx, QWORD ibtc as i64
    );
    if stats != 0 {
        let miss = a.new_dynamic_label();
        dynasm!(a
            ; .arch x64
            ; cmp rax, [rdx + rcx]
            ; jne =>miss
            ; mov r8, QWORD (stats + 16) as i64
            ; inc QWORD [r8]
            ; =>miss
        );
    }
    dynasm!(a ; .arch x64 ; jmp QWORD [rdx + rcx + 8]);
}

/// A patchable jump emitted in a block: byte offset of the `E9` opcode and the guest target.
#[derive(Copy, Clone, Debug)]
pub struct ChainSite {
    pub offset: usize,
    pub target: u64,
}

/// Trap kind codes stored in scratch word 4 for a `Trap` exit.
pub fn trap_code(kind: TrapKind) -> (u64, u64) {
    match kind {
        TrapKind::Undefined { insn } => (0, insn as u64),
        TrapKind::Breakpoint => (1, 0),
        TrapKind::FetchFault => (2, 0),
        TrapKind::Misaligned => (3, 0),
    }
}

/// Inverse of [`trap_code`].
pub fn trap_kind(code: u64, insn: u64) -> TrapKind {
    match code {
        0 => TrapKind::Undefined { insn: insn as u32 },
        1 => TrapKind::Breakpoint,
        2 => TrapKind::FetchFault,
        _ => TrapKind::Misaligned,
    }
}

fn set_pc(a: &mut Asm, pc: u64) {
    dynasm!(a ; .arch x64 ; mov rax, QWORD pc as i64 ; mov [rbp + off::PC as i32], rax);
}

pub(super) fn exit_with(a: &mut Asm, r: ExitReason, rt: Runtime) {
    dynasm!(a
        ; .arch x64
        ; mov eax, r as i32
        ; mov rcx, QWORD rt.exit as i64
        ; jmp rcx
    );
}

/// A direct exit to `target`; chainable unless the block must return to the dispatcher.
pub(super) fn direct(a: &mut Asm, target: u64, chain: bool, rt: Runtime, sites: &mut Vec<ChainSite>) {
    count(a, rt, 0);
    if chain {
        // Pad so the rel32 after the E9 opcode is 4-byte aligned (an atomic patch).
        while !(a.offset().0 + 1).is_multiple_of(4) {
            a.push(0x90);
        }
        let site = a.offset().0;
        a.push(0xE9);
        a.push_i32(0);
        sites.push(ChainSite { offset: site, target });
        set_pc(a, target);
        dynasm!(a
            ; .arch x64
            ; mov rax, QWORD (rt.base + site) as i64
            ; mov [rbp + off::scratch(SCRATCH_PATCH_SITE) as i32], rax
        );
    } else {
        set_pc(a, target);
    }
    exit_with(a, ExitReason::Next, rt);
}

/// Set the x86 flags for the block's branch on `cond` and return the condition code under
/// which it is taken: a fused condition is compared right here (`cmp; jcc`), otherwise the
/// 0/1 value is tested.
fn branch_condition(c: &mut Ctx, cond: emu_core::ir::Val) -> u8 {
    match c.fused_branch {
        Some(v) => super::cond::emit_compare(c, v).expect("fusable branch condition"),
        None => {
            c.ld(Scratch::Rdx, cond);
            dynasm!(c.a ; .arch x64 ; test dl, 1);
            super::cond::NE
        }
    }
}

/// Emit the block's terminator. `body`: the block is a self-loop with cached registers
/// (emit/looping.rs); its back edge jumps to `body` and its other exits write them back.
pub(super) fn emit(c: &mut Ctx, rt: Runtime, sites: &mut Vec<ChainSite>, body: Option<DynamicLabel>) {
    let b = c.b;
    if let Some(body) = body {
        return emit_loop(c, rt, sites, body);
    }
    let chain = chainable(b);
    let branch_cc = match &b.term {
        Term::Branch { cond, .. } => Some(branch_condition(c, *cond)),
        Term::Indirect { target, .. } => {
            c.ld(Scratch::Rax, *target);
            None
        }
        _ => None,
    };
    let a = &mut c.a;
    match &b.term {
        Term::Jump { target } => direct(a, *target, chain, rt, sites),
        Term::Call { target, ret } => {
            let stub = a.new_dynamic_label();
            let predict = chain && rt.shadow;
            if predict {
                shadow::push(a, rt, stub);
            }
            direct(a, *target, chain, rt, sites);
            if predict {
                dynasm!(a ; .arch x64 ; =>stub);
                shadow::stub(a, rt, *ret, sites);
            }
        }
        Term::Branch { taken, not_taken, .. } => match branch_cc.unwrap_or(super::cond::NE) {
            super::cond::ALWAYS => direct(a, *taken, chain, rt, sites),
            super::cond::NEVER => direct(a, *not_taken, chain, rt, sites),
            cc => {
                let nt = a.new_dynamic_label();
                super::cond::jcc(a, super::cond::negate(cc), nt);
                direct(a, *taken, chain, rt, sites);
                dynasm!(a ; .arch x64 ; =>nt);
                direct(a, *not_taken, chain, rt, sites);
            }
        },
        Term::Indirect { kind, .. } => {
            let stub = a.new_dynamic_label();
            // A call returns to the instruction after it, the last of the block.
            let call = chain && rt.shadow && *kind == BranchKind::Call;
            if call {
                shadow::push(a, rt, stub);
            }
            dynasm!(a ; .arch x64 ; mov [rbp + off::PC as i32], rax);
            if chain && rt.shadow && *kind == BranchKind::Return {
                shadow::predict(a, rt);
            } else {
                count(a, rt, 8);
                ibtc_jump(a, rt.ibtc, rt.stats);
            }
            if call {
                dynasm!(a ; .arch x64 ; =>stub);
                shadow::stub(a, rt, b.end, sites);
            }
        }
        Term::Syscall { next } => {
            // Pinned registers to the state, the handler called straight from here (no shared
            // stub: every call level between this code and the host syscall costs a mispredicted
            // return on some hosts, docs/jit.md "Syscalls"), pinned registers back. The block
            // goes on to `next` like any direct exit unless told to leave, with the reason in
            // eax. rsp is 16-aligned here and nothing else is live.
            let leave = a.new_dynamic_label();
            set_pc(a, *next);
            let pins = super::pin::pins(rt.arch);
            for (o, r) in pins {
                dynasm!(a ; .arch x64 ; mov [rbp + o as i32], Rq(r));
            }
            dynasm!(a
                ; .arch x64
                ; mov rdi, [rsp + crate::syscall::SYSCALL_PTR]
                ; mov rsi, rbp
                ; mov rax, QWORD crate::syscall::syscall_entry as *const () as i64
                ; call rax
            );
            for (o, r) in pins {
                dynasm!(a ; .arch x64 ; mov Rq(r), [rbp + o as i32]);
            }
            dynasm!(a
                ; .arch x64
                ; cmp eax, crate::syscall::INLINE as i32
                ; jne =>leave
            );
            direct(a, *next, chain, rt, sites);
            dynasm!(a
                ; .arch x64
                ; =>leave
                ; mov rcx, QWORD rt.exit as i64
                ; jmp rcx
            );
        }
        Term::Trap { pc, kind } => {
            let (code, insn) = trap_code(*kind);
            set_pc(a, *pc);
            dynasm!(a
                ; .arch x64
                ; mov QWORD [rbp + off::scratch(SCRATCH_TRAP_KIND) as i32], code as i32
                ; mov rax, QWORD insn as i64
                ; mov [rbp + off::scratch(SCRATCH_TRAP_INSN) as i32], rax
            );
            exit_with(a, ExitReason::Trap, rt);
        }
    }
}

/// The stubs of the block's side exits (`ExitIf`), after its terminator: a self-loop's cached
/// registers go back to the state (and borrowed pinned registers are reloaded), then a direct
/// exit like the terminator's. Nothing else is live at a side exit: every `Set` before it has
/// been stored, and pinned registers stay in their host registers across chained blocks.
pub(super) fn side_exits(c: &mut Ctx, rt: Runtime, sites: &mut Vec<ChainSite>) {
    let chain = chainable(c.b);
    for (l, target) in std::mem::take(&mut c.side_exits) {
        dynasm!(c.a ; .arch x64 ; =>l);
        write_back_cached(&mut c.a, &c.cached, rt);
        direct(&mut c.a, target, chain, rt, sites);
    }
}

/// Whether the block's direct exits may be chained: after a code invalidation the dispatcher
/// must run before anything else.
fn chainable(b: &emu_core::ir::Block) -> bool {
    !b.insts.iter().any(|i| matches!(i.op, Op::CodeInval { .. }))
}

/// On a way out of a self-loop: its cached guest registers back to the state, and the pinned
/// registers whose host registers it borrowed reloaded.
fn write_back_cached(a: &mut Asm, cached: &[(u32, u8)], rt: Runtime) {
    let pins = super::pin::pins(rt.arch);
    for &(o, r) in cached {
        dynasm!(a ; .arch x64 ; mov [rbp + o as i32], Rq(r));
        if let Some(p) = super::looping::parked(&pins, r) {
            dynasm!(a ; .arch x64 ; mov Rq(r), [rbp + p as i32]);
        }
    }
}

/// The terminator of a self-loop with cached registers: `Jump` or `Branch` with the block's
/// own pc as one target (see [`super::looping::is_self_loop`]).
fn emit_loop(c: &mut Ctx, rt: Runtime, sites: &mut Vec<ChainSite>, body: DynamicLabel) {
    let b = c.b;
    let cc = match &b.term {
        Term::Branch { cond, .. } => branch_condition(c, *cond),
        _ => super::cond::ALWAYS,
    };
    // The condition under which the loop goes round again, and the exit otherwise.
    let (again, exit) = match b.term {
        Term::Branch { taken, not_taken, .. } if taken == b.pc => (cc, not_taken),
        Term::Branch { taken, .. } => (super::cond::negate_pseudo(cc), taken),
        _ => (super::cond::ALWAYS, b.pc),
    };
    let a = &mut c.a;
    match again {
        super::cond::ALWAYS => {
            dynasm!(a ; .arch x64 ; jmp =>body);
            return;
        }
        super::cond::NEVER => {}
        cc => super::cond::jcc(a, cc, body),
    }
    write_back_cached(a, &c.cached, rt);
    direct(a, exit, true, rt, sites);
}
