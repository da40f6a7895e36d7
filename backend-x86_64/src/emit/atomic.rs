//! Native emitters for the atomics: `AtomicRmw` (AArch64 LSE LDADD..SWP, RISC-V AMOs) and `Cas`
//! (CAS/CASP, and the exclusives LDXR/STXR and LR/SC, which frontends lower to a `Cas` against the
//! monitor value). Reference semantics: `emu_core::interp::mem`.
//!
//! Every form is one `lock`ed host instruction or a `lock cmpxchg` loop, so the JIT's atomics
//! are atomic against other guest threads and against the interpreter's (which are host atomics
//! on the same memory):
//!
//! * `Add` is `lock xadd`, `Swap` is `xchg` (implicitly locked);
//! * the other ops load the old value, compute the new one in `rcx` and retry `lock cmpxchg`
//!   until memory still held the old value; `cmp` at the access width gives the signed and
//!   unsigned orders for the min/max ops without extending first;
//! * `Cas` of 1..8 bytes is one `lock cmpxchg`; of 16 bytes `lock cmpxchg16b`, which needs `rbx`
//!   (an allocatable register) and a fifth register for the address, both saved on the stack
//!   around it.
//!
//! The result is the old value, zero-extended (after a failed narrow `cmpxchg` the bits of `rax`
//! above the access width still hold `expected`'s, so they are cleared).
//!
//! Misaligned addresses: the interpreter does a plain load/compare/store there. A misaligned
//! `lock` instruction is still atomic on x86 (a split lock: slow, but the same result), except
//! `cmpxchg16b`, which faults; a misaligned 16-byte CAS takes the interpreter's plain path inline.

use super::regalloc::{Ctx, Scratch::*};
use dynasmrt::{dynasm, DynasmApi, DynasmLabelApi};
use emu_core::ir::{AtomicOp, Inst, Op, Ty};

/// Native at every size; emit still falls back for the odd typings the verifier allows (a
/// V128-typed op narrower than 16 bytes, a scalar-typed 16-byte CAS), which no frontend makes.
pub(super) fn is_native(op: &Op) -> bool {
    matches!(op, Op::AtomicRmw { .. } | Op::Cas { .. })
}

pub(super) fn emit(c: &mut Ctx, inst: &Inst) -> bool {
    let vec = inst.ty == Ty::V128;
    match inst.op {
        Op::AtomicRmw { op, addr, v, size } if !vec => {
            match op {
                AtomicOp::Add | AtomicOp::Swap => {
                    c.ld(Rcx, addr);
                    c.ld(Rax, v);
                    xadd_or_xchg(c, op == AtomicOp::Add, size);
                }
                _ => {
                    // `v` is read from its slot inside the loop: all three scratch registers
                    // are taken (address, old value, new value).
                    let vs = c.slot_of(v);
                    c.ld(Rdx, addr);
                    cmpxchg_loop(c, op, vs, size);
                }
            }
            zero_extend(c, size);
            c.def();
        }
        Op::Cas { addr, expected, new, size } if !vec && size <= 8 => {
            c.ld(Rdx, addr);
            c.ld(Rcx, new);
            c.ld(Rax, expected);
            match size {
                1 => dynasm!(c.a ; .arch x64 ; lock cmpxchg BYTE [rdx], cl),
                2 => dynasm!(c.a ; .arch x64 ; lock cmpxchg WORD [rdx], cx),
                4 => dynasm!(c.a ; .arch x64 ; lock cmpxchg DWORD [rdx], ecx),
                _ => dynasm!(c.a ; .arch x64 ; lock cmpxchg QWORD [rdx], rcx),
            }
            zero_extend(c, size);
            c.def();
        }
        Op::Cas { addr, expected, new, size: 16 } if vec => {
            cas16(c, addr, expected, new);
            c.def_slot();
        }
        _ => return false,
    }
    true
}

/// `lock xadd [rcx], rax` or `xchg [rcx], rax` at `size` bytes: old value in the low bits of rax.
fn xadd_or_xchg(c: &mut Ctx, add: bool, size: u8) {
    match (add, size) {
        (true, 1) => dynasm!(c.a ; .arch x64 ; lock xadd BYTE [rcx], al),
        (true, 2) => dynasm!(c.a ; .arch x64 ; lock xadd WORD [rcx], ax),
        (true, 4) => dynasm!(c.a ; .arch x64 ; lock xadd DWORD [rcx], eax),
        (true, _) => dynasm!(c.a ; .arch x64 ; lock xadd QWORD [rcx], rax),
        (false, 1) => dynasm!(c.a ; .arch x64 ; xchg BYTE [rcx], al),
        (false, 2) => dynasm!(c.a ; .arch x64 ; xchg WORD [rcx], ax),
        (false, 4) => dynasm!(c.a ; .arch x64 ; xchg DWORD [rcx], eax),
        (false, _) => dynasm!(c.a ; .arch x64 ; xchg QWORD [rcx], rax),
    }
}

/// `rax` = old value at `[rdx]`; retry `new = op(old, [rsp + vs])` in `rcx` with `lock cmpxchg`.
fn cmpxchg_loop(c: &mut Ctx, op: AtomicOp, vs: i32, size: u8) {
    match size {
        1 => dynasm!(c.a ; .arch x64 ; movzx eax, BYTE [rdx]),
        2 => dynasm!(c.a ; .arch x64 ; movzx eax, WORD [rdx]),
        4 => dynasm!(c.a ; .arch x64 ; mov eax, DWORD [rdx]),
        _ => dynasm!(c.a ; .arch x64 ; mov rax, QWORD [rdx]),
    }
    let retry = c.a.new_dynamic_label();
    dynasm!(c.a ; .arch x64 ; =>retry);
    // Only the low `size` bytes of rcx are stored, so the ops work on 64 bits.
    match op {
        AtomicOp::And => dynasm!(c.a ; .arch x64 ; mov rcx, rax ; and rcx, [rsp + vs]),
        AtomicOp::Set => dynasm!(c.a ; .arch x64 ; mov rcx, rax ; or rcx, [rsp + vs]),
        AtomicOp::Eor => dynasm!(c.a ; .arch x64 ; mov rcx, rax ; xor rcx, [rsp + vs]),
        AtomicOp::Clr => dynasm!(c.a ; .arch x64 ; mov rcx, [rsp + vs] ; not rcx ; and rcx, rax),
        AtomicOp::Add => dynasm!(c.a ; .arch x64 ; mov rcx, rax ; add rcx, [rsp + vs]),
        AtomicOp::Swap => dynasm!(c.a ; .arch x64 ; mov rcx, [rsp + vs]),
        AtomicOp::Smax | AtomicOp::Smin | AtomicOp::Umax | AtomicOp::Umin => {
            // rcx = v; keep old instead when it wins: flags of `cmp old, v` at the access width.
            dynasm!(c.a ; .arch x64 ; mov rcx, [rsp + vs]);
            match size {
                1 => dynasm!(c.a ; .arch x64 ; cmp al, cl),
                2 => dynasm!(c.a ; .arch x64 ; cmp ax, cx),
                4 => dynasm!(c.a ; .arch x64 ; cmp eax, ecx),
                _ => dynasm!(c.a ; .arch x64 ; cmp rax, rcx),
            }
            match op {
                AtomicOp::Smax => dynasm!(c.a ; .arch x64 ; cmovge rcx, rax),
                AtomicOp::Smin => dynasm!(c.a ; .arch x64 ; cmovle rcx, rax),
                AtomicOp::Umax => dynasm!(c.a ; .arch x64 ; cmovae rcx, rax),
                _ => dynasm!(c.a ; .arch x64 ; cmovbe rcx, rax),
            }
        }
    }
    match size {
        1 => dynasm!(c.a ; .arch x64 ; lock cmpxchg BYTE [rdx], cl),
        2 => dynasm!(c.a ; .arch x64 ; lock cmpxchg WORD [rdx], cx),
        4 => dynasm!(c.a ; .arch x64 ; lock cmpxchg DWORD [rdx], ecx),
        _ => dynasm!(c.a ; .arch x64 ; lock cmpxchg QWORD [rdx], rcx),
    }
    dynasm!(c.a ; .arch x64 ; jne =>retry);
}

/// Clear the bits of rax above `size` bytes.
fn zero_extend(c: &mut Ctx, size: u8) {
    match size {
        1 => dynasm!(c.a ; .arch x64 ; movzx eax, al),
        2 => dynasm!(c.a ; .arch x64 ; movzx eax, ax),
        4 => dynasm!(c.a ; .arch x64 ; mov eax, eax),
        _ => {}
    }
}

/// 16-byte CAS into the current value's slot: `lock cmpxchg16b` (rdx:rax = expected, rcx:rbx =
/// new), with `rbx` and `rsi` pushed around it; a misaligned address, where `cmpxchg16b` would
/// fault, does the interpreter's plain load/compare/store.
fn cas16(c: &mut Ctx, addr: emu_core::ir::Val, expected: emu_core::ir::Val, new: emu_core::ir::Val) {
    let exp_slot = c.slot_of(expected);
    let new_slot = c.slot_of(new);
    let s = 16 * c.cur as i32;
    c.ld(Rax, addr);
    let (plain, done) = (c.a.new_dynamic_label(), c.a.new_dynamic_label());
    // Two pushes: slots are 16 bytes further from rsp until the pops.
    dynasm!(c.a
        ; .arch x64
        ; push rbx
        ; push rsi
        ; mov rsi, rax
        ; mov rax, [rsp + 16 + exp_slot]
        ; mov rdx, [rsp + 16 + exp_slot + 8]
        ; mov rbx, [rsp + 16 + new_slot]
        ; mov rcx, [rsp + 16 + new_slot + 8]
        ; test sil, 15
        ; jnz =>plain
        ; lock cmpxchg16b [rsi]
        ; jmp =>done
        ; =>plain
        ; cmp rax, [rsi]
        ; jne >differ
        ; cmp rdx, [rsi + 8]
        ; jne >differ
        ; mov [rsi], rbx
        ; mov [rsi + 8], rcx
        ; jmp =>done
        ; differ:
        ; mov rax, [rsi]
        ; mov rdx, [rsi + 8]
        ; =>done
        ; pop rsi
        ; pop rbx
        ; mov [rsp + s], rax
        ; mov [rsp + s + 8], rdx
    );
}
