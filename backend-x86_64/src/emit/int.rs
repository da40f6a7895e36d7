//! Native emitters for the integer, state, memory, comparison and AArch64-flag ops.
//!
//! Conventions: operands are loaded into `rax`/`rcx`, the result is computed in `rax` and stored
//! to the instruction's slot. I32 values are kept zero-extended in 64 bits (32-bit x86 ops do
//! that for free), I1 values are 0 or 1. Returning `false` means "not handled, nothing emitted".

use super::{slot, Asm, SCRATCH_INVAL_ADDR, SCRATCH_INVAL_LEN};
use dynasmrt::{dynasm, DynasmApi};
use emu_core::cpu::off;
use emu_core::ir::{Block, Cmp, Inst, Op, Ty, Val};

/// Whether `op` is emitted natively (at every type the verifier allows, unless noted in `emit`).
pub(super) fn is_native(op: &Op) -> bool {
    matches!(
        op,
        Op::Mark { .. }
            | Op::Const { .. }
            | Op::ConstV128 { .. }
            | Op::Get { .. }
            | Op::Set { .. }
            | Op::Add { .. }
            | Op::Sub { .. }
            | Op::Mul { .. }
            | Op::And { .. }
            | Op::Or { .. }
            | Op::Xor { .. }
            | Op::AndNot { .. }
            | Op::Neg { .. }
            | Op::Not { .. }
            | Op::Shl { .. }
            | Op::Lshr { .. }
            | Op::Ashr { .. }
            | Op::Rotr { .. }
            | Op::Rotl { .. }
            | Op::Zext { .. }
            | Op::Sext { .. }
            | Op::Trunc { .. }
            | Op::Bitcast { .. }
            | Op::Extract { .. }
            | Op::SExtract { .. }
            | Op::Icmp { .. }
            | Op::Select { .. }
            | Op::NzcvAdd { .. }
            | Op::NzcvSub { .. }
            | Op::NzcvLogic { .. }
            | Op::CondHolds { .. }
            | Op::Load { .. }
            | Op::Store { .. }
            | Op::Fence { .. }
            | Op::CodeInval { .. }
    )
}

fn ld(a: &mut Asm, v: Val) {
    dynasm!(a ; .arch x64 ; mov rax, QWORD [rsp + slot(v)]);
}

fn ld_rcx(a: &mut Asm, v: Val) {
    dynasm!(a ; .arch x64 ; mov rcx, QWORD [rsp + slot(v)]);
}

fn st(a: &mut Asm, i: usize) {
    dynasm!(a ; .arch x64 ; mov QWORD [rsp + 16 * i as i32], rax);
}

/// Mask `rax` to an I32/I1 result after a 64-bit computation.
fn fix_width(a: &mut Asm, ty: Ty) {
    match ty {
        Ty::I32 | Ty::F32 => dynasm!(a ; .arch x64 ; mov eax, eax),
        Ty::I1 => dynasm!(a ; .arch x64 ; and eax, 1),
        _ => {}
    }
}

fn mask_imm(ty: Ty, imm: u64) -> u64 {
    match ty.bits() {
        1 => imm & 1,
        32 => imm & 0xffff_ffff,
        _ => imm,
    }
}

pub(super) fn emit(a: &mut Asm, b: &Block, i: usize, inst: &Inst) -> bool {
    let ty = inst.ty;
    let w64 = ty.bits() == 64;
    let s = 16 * i as i32;
    match &inst.op {
        Op::Mark { .. } => {}
        Op::Const { imm } => {
            dynasm!(a ; .arch x64 ; mov rax, QWORD mask_imm(ty, *imm) as i64);
            st(a, i);
        }
        Op::ConstV128 { lo, hi } => {
            dynasm!(a
                ; .arch x64
                ; mov rax, QWORD *lo as i64 ; mov [rsp + s], rax
                ; mov rax, QWORD *hi as i64 ; mov [rsp + s + 8], rax
            );
        }
        Op::Get { off } => {
            let o = *off as i32;
            match ty {
                Ty::V128 => dynasm!(a ; .arch x64 ; movdqu xmm0, [rbp + o] ; movdqu [rsp + s], xmm0),
                Ty::I1 => {
                    dynasm!(a ; .arch x64 ; movzx eax, BYTE [rbp + o] ; and eax, 1 ; mov [rsp + s], rax)
                }
                Ty::I32 | Ty::F32 => dynasm!(a ; .arch x64 ; mov eax, DWORD [rbp + o] ; mov [rsp + s], rax),
                _ => dynasm!(a ; .arch x64 ; mov rax, QWORD [rbp + o] ; mov [rsp + s], rax),
            }
        }
        Op::Set { off, v } => {
            let o = *off as i32;
            let vs = slot(*v);
            match b.ty(*v) {
                Ty::V128 => dynasm!(a ; .arch x64 ; movdqu xmm0, [rsp + vs] ; movdqu [rbp + o], xmm0),
                Ty::I1 => dynasm!(a ; .arch x64 ; mov al, BYTE [rsp + vs] ; mov BYTE [rbp + o], al),
                Ty::I32 | Ty::F32 => {
                    dynasm!(a ; .arch x64 ; mov eax, DWORD [rsp + vs] ; mov DWORD [rbp + o], eax)
                }
                _ => dynasm!(a ; .arch x64 ; mov rax, QWORD [rsp + vs] ; mov QWORD [rbp + o], rax),
            }
        }
        Op::Add { a: x, b: y } | Op::Sub { a: x, b: y } | Op::Mul { a: x, b: y } => {
            ld(a, *x);
            ld_rcx(a, *y);
            match (&inst.op, w64) {
                (Op::Add { .. }, true) => dynasm!(a ; .arch x64 ; add rax, rcx),
                (Op::Add { .. }, false) => dynasm!(a ; .arch x64 ; add eax, ecx),
                (Op::Sub { .. }, true) => dynasm!(a ; .arch x64 ; sub rax, rcx),
                (Op::Sub { .. }, false) => dynasm!(a ; .arch x64 ; sub eax, ecx),
                (_, true) => dynasm!(a ; .arch x64 ; imul rax, rcx),
                (_, false) => dynasm!(a ; .arch x64 ; imul eax, ecx),
            }
            st(a, i);
        }
        Op::And { a: x, b: y } | Op::Or { a: x, b: y } | Op::Xor { a: x, b: y } => {
            // 64-bit forms are exact for I32 and I1 too: both operands are already narrow.
            ld(a, *x);
            ld_rcx(a, *y);
            match &inst.op {
                Op::And { .. } => dynasm!(a ; .arch x64 ; and rax, rcx),
                Op::Or { .. } => dynasm!(a ; .arch x64 ; or rax, rcx),
                _ => dynasm!(a ; .arch x64 ; xor rax, rcx),
            }
            st(a, i);
        }
        Op::AndNot { a: x, b: y } => {
            ld(a, *x);
            ld_rcx(a, *y);
            dynasm!(a ; .arch x64 ; not rcx ; and rax, rcx);
            fix_width(a, ty);
            st(a, i);
        }
        Op::Neg { a: x } | Op::Not { a: x } => {
            ld(a, *x);
            if matches!(inst.op, Op::Neg { .. }) {
                dynasm!(a ; .arch x64 ; neg rax);
            } else {
                dynasm!(a ; .arch x64 ; not rax);
            }
            fix_width(a, ty);
            st(a, i);
        }
        Op::Shl { a: x, b: y }
        | Op::Lshr { a: x, b: y }
        | Op::Ashr { a: x, b: y }
        | Op::Rotr { a: x, b: y }
        | Op::Rotl { a: x, b: y } => {
            // x86 masks the count by 63 (64-bit) or 31 (32-bit): exactly "mod width".
            ld(a, *x);
            ld_rcx(a, *y);
            match (&inst.op, w64) {
                (Op::Shl { .. }, true) => dynasm!(a ; .arch x64 ; shl rax, cl),
                (Op::Shl { .. }, false) => dynasm!(a ; .arch x64 ; shl eax, cl),
                (Op::Lshr { .. }, true) => dynasm!(a ; .arch x64 ; shr rax, cl),
                (Op::Lshr { .. }, false) => dynasm!(a ; .arch x64 ; shr eax, cl),
                (Op::Ashr { .. }, true) => dynasm!(a ; .arch x64 ; sar rax, cl),
                (Op::Ashr { .. }, false) => dynasm!(a ; .arch x64 ; sar eax, cl),
                (Op::Rotr { .. }, true) => dynasm!(a ; .arch x64 ; ror rax, cl),
                (Op::Rotr { .. }, false) => dynasm!(a ; .arch x64 ; ror eax, cl),
                (_, true) => dynasm!(a ; .arch x64 ; rol rax, cl),
                (_, false) => dynasm!(a ; .arch x64 ; rol eax, cl),
            }
            st(a, i);
        }
        Op::Zext { a: x } | Op::Bitcast { a: x } if ty != Ty::V128 && b.ty(*x) != Ty::V128 => {
            // Narrow values are stored zero-extended already.
            ld(a, *x);
            fix_width(a, ty);
            st(a, i);
        }
        Op::Sext { a: x } => {
            match (b.ty(*x), ty) {
                (Ty::I32, _) => dynasm!(a ; .arch x64 ; movsxd rax, DWORD [rsp + slot(*x)]),
                _ => dynasm!(a ; .arch x64 ; mov rax, [rsp + slot(*x)] ; neg rax),
            }
            fix_width(a, ty);
            st(a, i);
        }
        Op::Trunc { a: x } => {
            ld(a, *x);
            fix_width(a, ty);
            st(a, i);
        }
        Op::Extract { a: x, lsb, width } | Op::SExtract { a: x, lsb, width } => {
            let bits = ty.bits() as i8;
            let left = bits - *lsb as i8 - *width as i8;
            let right = bits - *width as i8;
            ld(a, *x);
            match (matches!(inst.op, Op::SExtract { .. }), w64) {
                (false, true) => dynasm!(a ; .arch x64 ; shl rax, left ; shr rax, right),
                (false, false) => dynasm!(a ; .arch x64 ; shl eax, left ; shr eax, right),
                (true, true) => dynasm!(a ; .arch x64 ; shl rax, left ; sar rax, right),
                (true, false) => dynasm!(a ; .arch x64 ; shl eax, left ; sar eax, right),
            }
            st(a, i);
        }
        Op::Icmp { cc, a: x, b: y } => {
            ld(a, *x);
            ld_rcx(a, *y);
            if b.ty(*x) == Ty::I32 {
                dynasm!(a ; .arch x64 ; cmp eax, ecx);
            } else {
                dynasm!(a ; .arch x64 ; cmp rax, rcx);
            }
            match cc {
                Cmp::Eq => dynasm!(a ; .arch x64 ; sete al),
                Cmp::Ne => dynasm!(a ; .arch x64 ; setne al),
                Cmp::Ult => dynasm!(a ; .arch x64 ; setb al),
                Cmp::Ule => dynasm!(a ; .arch x64 ; setbe al),
                Cmp::Ugt => dynasm!(a ; .arch x64 ; seta al),
                Cmp::Uge => dynasm!(a ; .arch x64 ; setae al),
                Cmp::Slt => dynasm!(a ; .arch x64 ; setl al),
                Cmp::Sle => dynasm!(a ; .arch x64 ; setle al),
                Cmp::Sgt => dynasm!(a ; .arch x64 ; setg al),
                Cmp::Sge => dynasm!(a ; .arch x64 ; setge al),
            }
            dynasm!(a ; .arch x64 ; movzx eax, al);
            st(a, i);
        }
        Op::Select { c, a: x, b: y } => {
            if ty == Ty::V128 {
                return false;
            }
            ld(a, *x);
            ld_rcx(a, *y);
            dynasm!(a ; .arch x64 ; test BYTE [rsp + slot(*c)], 1 ; cmovz rax, rcx);
            st(a, i);
        }
        Op::NzcvAdd { a: x, .. } | Op::NzcvSub { a: x, .. } | Op::NzcvLogic { a: x } => {
            let w = b.ty(*x).bits() == 64;
            ld(a, *x);
            match (&inst.op, w) {
                (Op::NzcvAdd { b: y, .. }, true) => dynasm!(a ; .arch x64 ; add rax, [rsp + slot(*y)]),
                (Op::NzcvAdd { b: y, .. }, false) => dynasm!(a ; .arch x64 ; add eax, [rsp + slot(*y)]),
                (Op::NzcvSub { b: y, .. }, true) => dynasm!(a ; .arch x64 ; cmp rax, [rsp + slot(*y)] ; cmc),
                (Op::NzcvSub { b: y, .. }, false) => dynasm!(a ; .arch x64 ; cmp eax, [rsp + slot(*y)] ; cmc),
                (_, true) => dynasm!(a ; .arch x64 ; test rax, rax),
                (_, false) => dynasm!(a ; .arch x64 ; test eax, eax),
            }
            // N=SF, Z=ZF, C=CF (inverted borrow for subtraction: cmc above), V=OF.
            dynasm!(a
                ; .arch x64
                ; sets cl ; setz dl ; setc r8b ; seto r9b
                ; movzx eax, cl ; shl eax, 31
                ; movzx ecx, dl ; shl ecx, 30 ; or eax, ecx
                ; movzx ecx, r8b ; shl ecx, 29 ; or eax, ecx
                ; movzx ecx, r9b ; shl ecx, 28 ; or eax, ecx
            );
            if matches!(inst.op, Op::NzcvLogic { .. }) {
                dynasm!(a ; .arch x64 ; and eax, 0xc000_0000u32 as i32);
            }
            st(a, i);
        }
        Op::CondHolds { cond, nzcv } => {
            let c = *cond;
            dynasm!(a ; .arch x64 ; mov eax, DWORD [rsp + slot(*nzcv)]);
            // Bits: N 31, Z 30, C 29, V 28. Compute the base condition in eax (0/1).
            match c >> 1 {
                0 => dynasm!(a ; .arch x64 ; shr eax, 30 ; and eax, 1),
                1 => dynasm!(a ; .arch x64 ; shr eax, 29 ; and eax, 1),
                2 => dynasm!(a ; .arch x64 ; shr eax, 31),
                3 => dynasm!(a ; .arch x64 ; shr eax, 28 ; and eax, 1),
                4 => dynasm!(a ; .arch x64 // C && !Z
                    ; mov ecx, eax ; shr ecx, 29 ; shr eax, 30 ; not eax ; and eax, ecx ; and eax, 1),
                5 => dynasm!(a ; .arch x64 // N == V
                    ; mov ecx, eax ; shr ecx, 28 ; shr eax, 31 ; xor eax, ecx ; not eax ; and eax, 1),
                6 => dynasm!(a ; .arch x64 // N == V && !Z
                    ; mov ecx, eax ; shr ecx, 28 ; mov edx, eax ; shr edx, 31 ; xor ecx, edx
                    ; shr eax, 30 ; or eax, ecx ; not eax ; and eax, 1),
                _ => dynasm!(a ; .arch x64 ; mov eax, 1),
            }
            if c & 1 != 0 && c != 15 {
                dynasm!(a ; .arch x64 ; xor eax, 1);
            }
            st(a, i);
        }
        Op::Load { addr, size, signed } => {
            ld(a, *addr);
            match (*size, *signed, w64) {
                (16, _, _) => {
                    dynasm!(a ; .arch x64 ; movdqu xmm0, [rax] ; movdqu [rsp + s], xmm0);
                    return true;
                }
                (1, false, _) => dynasm!(a ; .arch x64 ; movzx eax, BYTE [rax]),
                (1, true, true) => dynasm!(a ; .arch x64 ; movsx rax, BYTE [rax]),
                (1, true, false) => dynasm!(a ; .arch x64 ; movsx eax, BYTE [rax]),
                (2, false, _) => dynasm!(a ; .arch x64 ; movzx eax, WORD [rax]),
                (2, true, true) => dynasm!(a ; .arch x64 ; movsx rax, WORD [rax]),
                (2, true, false) => dynasm!(a ; .arch x64 ; movsx eax, WORD [rax]),
                (4, true, true) => dynasm!(a ; .arch x64 ; movsxd rax, DWORD [rax]),
                (4, _, _) => dynasm!(a ; .arch x64 ; mov eax, DWORD [rax]),
                _ => dynasm!(a ; .arch x64 ; mov rax, QWORD [rax]),
            }
            st(a, i);
        }
        Op::Store { addr, v, size } => {
            ld(a, *addr);
            let vs = slot(*v);
            match size {
                1 => dynasm!(a ; .arch x64 ; mov cl, BYTE [rsp + vs] ; mov BYTE [rax], cl),
                2 => dynasm!(a ; .arch x64 ; mov cx, WORD [rsp + vs] ; mov WORD [rax], cx),
                4 => dynasm!(a ; .arch x64 ; mov ecx, DWORD [rsp + vs] ; mov DWORD [rax], ecx),
                8 => dynasm!(a ; .arch x64 ; mov rcx, QWORD [rsp + vs] ; mov QWORD [rax], rcx),
                _ => dynasm!(a ; .arch x64 ; movdqu xmm0, [rsp + vs] ; movdqu [rax], xmm0),
            }
        }
        Op::Fence { kind } => {
            // x86 TSO orders everything except store->load; only a full barrier needs mfence.
            if *kind == emu_core::ir::FenceKind::Full {
                dynasm!(a ; .arch x64 ; mfence);
            }
        }
        Op::CodeInval { addr, len } => {
            // Recorded for the dispatcher, which invalidates when the block returns (frontends
            // end the block right after this op).
            ld(a, *addr);
            dynasm!(a
                ; .arch x64
                ; mov [rbp + off::scratch(SCRATCH_INVAL_ADDR) as i32], rax
                ; mov eax, *len as i32
                ; mov [rbp + off::scratch(SCRATCH_INVAL_LEN) as i32], rax
            );
        }
        _ => return false,
    }
    true
}
