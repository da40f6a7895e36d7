//! Block terminators: set the guest pc (and trap info) and return to the dispatcher.

use super::{slot, Asm, ExitReason, SCRATCH_TRAP_INSN, SCRATCH_TRAP_KIND};
use dynasmrt::{dynasm, DynasmApi, DynasmLabelApi};
use emu_core::cpu::off;
use emu_core::ir::{Block, Term, TrapKind};

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

pub(super) fn exit_with(a: &mut Asm, r: ExitReason, exit: usize) {
    dynasm!(a
        ; .arch x64
        ; mov eax, r as i32
        ; mov rcx, QWORD exit as i64
        ; jmp rcx
    );
}

pub(super) fn emit(a: &mut Asm, b: &Block, exit: usize) {
    match &b.term {
        Term::Jump { target } | Term::Call { target, .. } => {
            set_pc(a, *target);
            exit_with(a, ExitReason::Next, exit);
        }
        Term::Branch { cond, taken, not_taken } => {
            let nt = a.new_dynamic_label();
            dynasm!(a ; .arch x64 ; test BYTE [rsp + slot(*cond)], 1 ; jz =>nt);
            set_pc(a, *taken);
            exit_with(a, ExitReason::Next, exit);
            dynasm!(a ; .arch x64 ; =>nt);
            set_pc(a, *not_taken);
            exit_with(a, ExitReason::Next, exit);
        }
        Term::Indirect { target, .. } => {
            dynasm!(a ; .arch x64 ; mov rax, [rsp + slot(*target)] ; mov [rbp + off::PC as i32], rax);
            exit_with(a, ExitReason::Next, exit);
        }
        Term::Syscall { next } => {
            set_pc(a, *next);
            exit_with(a, ExitReason::Syscall, exit);
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
            exit_with(a, ExitReason::Trap, exit);
        }
    }
}
