//! Native emitters for the integer, state, memory, comparison and AArch64-flag ops.
//!
//! Conventions: operands are loaded into `rax`/`rcx` through the allocator ([`Ctx::ld`]), the
//! result is computed in `rax` and handed to [`Ctx::def`]. I32 values are kept zero-extended in
//! 64 bits (32-bit x86 ops do that for free), I1 values are 0 or 1. V128 values live in slots.
//! Returning `false` means "not handled, nothing emitted".

use super::alu::{self, Alu};
use super::regalloc::{Ctx, Scratch::*};
use super::{cond, mem};
use super::{SCRATCH_INVAL_ADDR, SCRATCH_INVAL_LEN};
use dynasmrt::{dynasm, DynasmApi, DynasmLabelApi};
use emu_core::cpu::off;
use emu_core::ir::{Inst, Op, Ty, Val};

/// Whether `op` is emitted natively (at every type the verifier allows, unless noted in `emit`).
pub(super) fn is_native(op: &Op) -> bool {
    super::family::family(op) == super::family::Family::Int
}

fn mask_imm(ty: Ty, imm: u64) -> u64 {
    match ty.bits() {
        1 => imm & 1,
        32 => imm & 0xffff_ffff,
        _ => imm,
    }
}

/// Whether a `Get`/`Set` of `ty` at `off` is a plain 32/64-bit access that either is exactly a
/// pinned register or touches none (the fast path in emit/alu.rs).
fn plain_state(c: &Ctx, off: u32, ty: Ty) -> bool {
    let len = ty.bits() / 8;
    matches!(ty, Ty::I32 | Ty::I64 | Ty::F32 | Ty::F64)
        && match c.host_for(off) {
            Some(_) => len == 8 || len == 4,
            None => c.overlaps_partially(off, len).is_none(),
        }
}

/// Whether a state access at `[off, off + len)` is exactly a pinned register (read or written
/// at its low 4 or all 8 bytes). An access that only overlaps one syncs it through memory.
fn pinned_access(c: &mut Ctx, off: u32, len: u32) -> bool {
    if c.host_for(off).is_some() && (len == 8 || len == 4) {
        return true;
    }
    if let Some((o, r)) = c.overlaps_partially(off, len) {
        // Rare (no frontend emits it today): write the pinned register back, let the access go
        // to memory, and reload after it (`sync_after_partial`).
        dynasm!(c.a ; .arch x64 ; mov [rbp + o as i32], Rq(r));
        c.pending_pin_reload = Some((o, r));
    }
    false
}

pub(super) fn emit(c: &mut Ctx, inst: &Inst) -> bool {
    let ty = inst.ty;
    let w64 = ty.bits() == 64;
    let s = 16 * c.cur as i32;
    let b = c.b;
    if c.folded[c.cur] || c.fused_branch == Some(Val(c.cur as u32)) {
        // Computed inside its only user (an address mode, or the block's `cmp; jcc`).
        c.def_none();
        return true;
    }
    if let Op::Set { off, v } = inst.op {
        // Values whose copy in that state word goes stale move out first.
        c.state_written(off, b.ty(v).bits().max(8) / 8);
    }
    match &inst.op {
        Op::Mark { .. } => c.def_none(),
        Op::Const { imm } => c.def_const(mask_imm(ty, *imm)),
        Op::ConstV128 { lo, hi } => {
            dynasm!(c.a
                ; .arch x64
                ; mov rax, QWORD *lo as i64 ; mov [rsp + s], rax
                ; mov rax, QWORD *hi as i64 ; mov [rsp + s + 8], rax
            );
            c.def_slot();
        }
        // The hot forms, straight into the destination register (emit/alu.rs).
        Op::Get { off } if plain_state(c, *off, ty) => alu::get(c, *off, ty),
        Op::Set { off, v } if matches!(b.ty(*v), Ty::I64 | Ty::F64) && plain_state(c, *off, Ty::I64) => {
            alu::set64(c, *off, *v)
        }
        Op::Add { .. } if c.scaled[c.cur].is_some() => {
            let (base, z, s) = c.scaled[c.cur].expect("checked");
            alu::scaled_add(c, base, z, s)
        }
        Op::Add { a: x, b: y } if ty.is_int() && ty != Ty::I1 => alu::binary(c, Alu::Add, *x, *y, w64),
        Op::Sub { a: x, b: y } if ty.is_int() && ty != Ty::I1 => alu::binary(c, Alu::Sub, *x, *y, w64),
        Op::Mul { a: x, b: y } if ty.is_int() && ty != Ty::I1 => alu::binary(c, Alu::Mul, *x, *y, w64),
        Op::And { a: x, b: y } if ty.is_int() && ty != Ty::I1 => alu::binary(c, Alu::And, *x, *y, w64),
        Op::Or { a: x, b: y } if ty.is_int() && ty != Ty::I1 => alu::binary(c, Alu::Or, *x, *y, w64),
        Op::Xor { a: x, b: y } if ty.is_int() && ty != Ty::I1 => alu::binary(c, Alu::Xor, *x, *y, w64),
        Op::Shl { a: x, b: y } if c.konst(*y).is_some() => {
            alu::shift_imm(c, 0, *x, c.konst(*y).unwrap(), w64)
        }
        Op::Lshr { a: x, b: y } if c.konst(*y).is_some() => {
            alu::shift_imm(c, 1, *x, c.konst(*y).unwrap(), w64)
        }
        Op::Ashr { a: x, b: y } if c.konst(*y).is_some() => {
            alu::shift_imm(c, 2, *x, c.konst(*y).unwrap(), w64)
        }
        Op::Rotr { a: x, b: y } if c.konst(*y).is_some() && ty != Ty::I1 => {
            alu::shift_imm(c, 3, *x, c.konst(*y).unwrap(), w64)
        }
        Op::Rotl { a: x, b: y } if c.konst(*y).is_some() && ty != Ty::I1 => {
            alu::shift_imm(c, 4, *x, c.konst(*y).unwrap(), w64)
        }
        Op::AndNot { a: x, b: y } => alu::and_not(c, *x, *y, w64),
        Op::Not { a: x } => alu::not_neg(c, false, *x, ty),
        Op::Neg { a: x } => alu::not_neg(c, true, *x, ty),
        Op::Extract { a: x, lsb, width } => alu::extract(c, false, *x, *lsb, *width, ty),
        Op::SExtract { a: x, lsb, width } => alu::extract(c, true, *x, *lsb, *width, ty),
        Op::Get { off } if pinned_access(c, *off, ty.bits().max(8) / 8) => {
            let r = c.host_for(*off).unwrap_or(0);
            match ty {
                Ty::I64 | Ty::F64 => dynasm!(c.a ; .arch x64 ; mov rax, Rq(r)),
                _ => dynasm!(c.a ; .arch x64 ; mov eax, Rd(r)),
            }
            c.def();
        }
        Op::Set { off, v } if pinned_access(c, *off, b.ty(*v).bits().max(8) / 8) => {
            let r = c.host_for(*off).unwrap_or(0);
            c.ld(Rax, *v);
            if b.ty(*v).bits() == 64 {
                dynasm!(c.a ; .arch x64 ; mov Rq(r), rax);
            } else {
                // A 32-bit write keeps the register's upper half, like the state store would.
                dynasm!(c.a ; .arch x64 ; shr Rq(r), 32 ; shl Rq(r), 32 ; mov eax, eax ; or Rq(r), rax);
            }
            c.def_none();
        }
        Op::Get { off } => {
            let o = *off as i32;
            match ty {
                Ty::V128 => {
                    let x = c.vdef_reg();
                    dynasm!(c.a ; .arch x64 ; movdqu Rx(x), [rbp + o]);
                    return true;
                }
                Ty::I1 => dynasm!(c.a ; .arch x64 ; movzx eax, BYTE [rbp + o] ; and eax, 1),
                Ty::I32 | Ty::F32 => dynasm!(c.a ; .arch x64 ; mov eax, DWORD [rbp + o]),
                _ => dynasm!(c.a ; .arch x64 ; mov rax, QWORD [rbp + o]),
            }
            c.def();
        }
        Op::Set { off, v } => {
            let o = *off as i32;
            match b.ty(*v) {
                Ty::V128 if c.folded[v.0 as usize] => {
                    // A scalar written to a whole vector register: low bits, then zeros (two
                    // plain stores, no trip through the slot and no store-forwarding stall).
                    let Op::Bitcast { a: x } = b.insts[v.0 as usize].op else {
                        unreachable!("only scalar-to-vector bitcasts are folded into a Set")
                    };
                    c.ld(Rax, x);
                    dynasm!(c.a ; .arch x64 ; mov [rbp + o], rax ; mov QWORD [rbp + o + 8], 0);
                }
                Ty::V128 => match c.vreg(*v) {
                    Some(x) => dynasm!(c.a ; .arch x64 ; movdqu [rbp + o], Rx(x)),
                    None => {
                        let vs = c.slot_of(*v);
                        dynasm!(c.a ; .arch x64 ; movdqu xmm0, [rsp + vs] ; movdqu [rbp + o], xmm0);
                    }
                },
                t => {
                    c.ld(Rax, *v);
                    match t {
                        Ty::I1 => dynasm!(c.a ; .arch x64 ; mov BYTE [rbp + o], al),
                        Ty::I32 | Ty::F32 => dynasm!(c.a ; .arch x64 ; mov DWORD [rbp + o], eax),
                        _ => dynasm!(c.a ; .arch x64 ; mov QWORD [rbp + o], rax),
                    }
                    if t != Ty::I1 && c.overlaps_partially(*off, t.bits() / 8).is_none() {
                        c.set_home(*v, *off);
                    }
                }
            }
            c.def_none();
        }
        Op::Add { a: x, b: y } | Op::Sub { a: x, b: y } | Op::Mul { a: x, b: y } => {
            c.ld(Rax, *x);
            c.ld(Rcx, *y);
            match (&inst.op, w64) {
                (Op::Add { .. }, true) => dynasm!(c.a ; .arch x64 ; add rax, rcx),
                (Op::Add { .. }, false) => dynasm!(c.a ; .arch x64 ; add eax, ecx),
                (Op::Sub { .. }, true) => dynasm!(c.a ; .arch x64 ; sub rax, rcx),
                (Op::Sub { .. }, false) => dynasm!(c.a ; .arch x64 ; sub eax, ecx),
                (_, true) => dynasm!(c.a ; .arch x64 ; imul rax, rcx),
                (_, false) => dynasm!(c.a ; .arch x64 ; imul eax, ecx),
            }
            c.def();
        }
        Op::And { a: x, b: y } | Op::Or { a: x, b: y } | Op::Xor { a: x, b: y } => {
            // 64-bit forms are exact for I32 and I1 too: both operands are already narrow.
            c.ld(Rax, *x);
            c.ld(Rcx, *y);
            match &inst.op {
                Op::And { .. } => dynasm!(c.a ; .arch x64 ; and rax, rcx),
                Op::Or { .. } => dynasm!(c.a ; .arch x64 ; or rax, rcx),
                _ => dynasm!(c.a ; .arch x64 ; xor rax, rcx),
            }
            c.def();
        }
        Op::Shl { a: x, b: y }
        | Op::Lshr { a: x, b: y }
        | Op::Ashr { a: x, b: y }
        | Op::Rotr { a: x, b: y }
        | Op::Rotl { a: x, b: y } => {
            // x86 masks the count by 63 (64-bit) or 31 (32-bit): exactly "mod width".
            c.ld(Rax, *x);
            c.ld(Rcx, *y);
            match (&inst.op, w64) {
                (Op::Shl { .. }, true) => dynasm!(c.a ; .arch x64 ; shl rax, cl),
                (Op::Shl { .. }, false) => dynasm!(c.a ; .arch x64 ; shl eax, cl),
                (Op::Lshr { .. }, true) => dynasm!(c.a ; .arch x64 ; shr rax, cl),
                (Op::Lshr { .. }, false) => dynasm!(c.a ; .arch x64 ; shr eax, cl),
                (Op::Ashr { .. }, true) => dynasm!(c.a ; .arch x64 ; sar rax, cl),
                (Op::Ashr { .. }, false) => dynasm!(c.a ; .arch x64 ; sar eax, cl),
                (Op::Rotr { .. }, true) => dynasm!(c.a ; .arch x64 ; ror rax, cl),
                (Op::Rotr { .. }, false) => dynasm!(c.a ; .arch x64 ; ror eax, cl),
                (_, true) => dynasm!(c.a ; .arch x64 ; rol rax, cl),
                (_, false) => dynasm!(c.a ; .arch x64 ; rol eax, cl),
            }
            c.def();
        }
        Op::Zext { a: x } | Op::Bitcast { a: x } | Op::Trunc { a: x }
            if ty != Ty::V128 && b.ty(*x) != Ty::V128 =>
        {
            alu::ext(c, alu::Ext::Zero, *x, b.ty(*x), ty)
        }
        Op::Sext { .. } if c.sext_get[c.cur].is_some() => {
            alu::sext_get(c, c.sext_get[c.cur].expect("checked"))
        }
        Op::Sext { a: x } if ty != Ty::V128 => alu::ext(c, alu::Ext::Sign, *x, b.ty(*x), ty),
        Op::Icmp { a: x, .. } if matches!(b.ty(*x), Ty::I32 | Ty::I64) => cond::value(c),
        Op::Icmp { cc, a: x, b: y } => {
            // I1 operands (already 0/1): compare as 32-bit values.
            c.ld(Rax, *x);
            c.ld(Rcx, *y);
            dynasm!(c.a ; .arch x64 ; cmp eax, ecx);
            cond::setcc_al(c, cond::icmp_cc(*cc));
            dynasm!(c.a ; .arch x64 ; movzx eax, al);
            c.def();
        }
        Op::Select { c: k, a: x, b: y } => {
            if ty == Ty::V128 {
                return false;
            }
            c.ld(Rax, *x);
            c.ld(Rcx, *y);
            c.ld(Rdx, *k);
            dynasm!(c.a ; .arch x64 ; test dl, 1 ; cmovz rax, rcx);
            c.def();
        }
        Op::NzcvAdd { .. } | Op::NzcvSub { .. } | Op::NzcvLogic { .. } => cond::nzcv(c, &inst.op),
        Op::CondHolds { cond, nzcv } if cond::cond_fusable(b, *cond, *nzcv) => cond::value(c),
        Op::CondHolds { cond, nzcv } => {
            let k = *cond;
            c.ld(Rax, *nzcv);
            // Bits: N 31, Z 30, C 29, V 28. Compute the base condition in eax (0/1).
            match k >> 1 {
                0 => dynasm!(c.a ; .arch x64 ; shr eax, 30 ; and eax, 1),
                1 => dynasm!(c.a ; .arch x64 ; shr eax, 29 ; and eax, 1),
                2 => dynasm!(c.a ; .arch x64 ; shr eax, 31),
                3 => dynasm!(c.a ; .arch x64 ; shr eax, 28 ; and eax, 1),
                4 => dynasm!(c.a ; .arch x64 // C && !Z
                    ; mov ecx, eax ; shr ecx, 29 ; shr eax, 30 ; not eax ; and eax, ecx ; and eax, 1),
                5 => dynasm!(c.a ; .arch x64 // N == V
                    ; mov ecx, eax ; shr ecx, 28 ; shr eax, 31 ; xor eax, ecx ; not eax ; and eax, 1),
                6 => dynasm!(c.a ; .arch x64 // N == V && !Z
                    ; mov ecx, eax ; shr ecx, 28 ; mov edx, eax ; shr edx, 31 ; xor ecx, edx
                    ; shr eax, 30 ; or eax, ecx ; not eax ; and eax, 1),
                _ => dynasm!(c.a ; .arch x64 ; mov eax, 1),
            }
            if k & 1 != 0 && k != 15 {
                dynasm!(c.a ; .arch x64 ; xor eax, 1);
            }
            c.def();
        }
        // AArch64 DC ZVA: zero the aligned block holding `addr` with 16-byte stores. The block
        // lies within one page, so a fault hits the first store, before anything is written.
        Op::ZeroBlock { addr, size } if size.is_power_of_two() && (16..=4096).contains(size) => {
            c.ld(Rax, *addr);
            dynasm!(c.a ; .arch x64 ; and rax, -(*size as i32) ; pxor xmm0, xmm0);
            for k in 0..(*size / 16) as i32 {
                dynasm!(c.a ; .arch x64 ; movdqu [rax + 16 * k], xmm0);
            }
            c.def_none();
        }
        Op::Load { addr, size, signed } => mem::load(c, ty, *addr, *size, *signed),
        Op::Store { addr, v, size } => mem::store(c, *addr, *v, *size),
        Op::Fence { kind } => {
            // x86 TSO orders everything except store->load; only a full barrier needs mfence.
            if *kind == emu_core::ir::FenceKind::Full {
                dynasm!(c.a ; .arch x64 ; mfence);
            }
            c.def_none();
        }
        Op::ExitIf { cond, target } => {
            // A fused condition (an `Icmp` or `CondHolds` used only here) is compared here;
            // otherwise its 0/1 value is tested. The exit's stub comes after the terminator.
            let cc = match c.folded[cond.0 as usize] {
                true => super::cond::emit_compare(c, *cond).expect("fusable exit condition"),
                false => {
                    c.ld(Rax, *cond);
                    dynasm!(c.a ; .arch x64 ; test al, 1);
                    super::cond::NE
                }
            };
            let l = c.a.new_dynamic_label();
            match cc {
                super::cond::NEVER => {}
                super::cond::ALWAYS => dynasm!(c.a ; .arch x64 ; jmp =>l),
                cc => super::cond::jcc(&mut c.a, cc, l),
            }
            c.side_exits.push((l, *target));
            c.def_none();
        }
        Op::CodeInval { addr, len } => {
            // Recorded for the dispatcher, which invalidates when the block returns (frontends
            // end the block right after this op).
            c.ld(Rax, *addr);
            dynasm!(c.a
                ; .arch x64
                ; mov [rbp + off::scratch(SCRATCH_INVAL_ADDR) as i32], rax
                ; mov eax, *len as i32
                ; mov [rbp + off::scratch(SCRATCH_INVAL_LEN) as i32], rax
            );
            c.def_none();
        }
        _ => return false,
    }
    true
}
