//! Two-address integer codegen straight into the destination register: the hot path for
//! guest-register reads and writes and the plain ALU ops. The result is computed in the
//! register the allocator assigns (reusing a dying operand's register), and the second operand
//! is used where it is: a register, an immediate or its frame slot.

use super::regalloc::{Ctx, Loc};
use dynasmrt::{dynasm, DynasmApi};
use emu_core::ir::{Ty, Val};

/// The two-address ALU operations.
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub(super) enum Alu {
    Add,
    Sub,
    And,
    Or,
    Xor,
    Mul,
}

impl Alu {
    fn commutative(self) -> bool {
        self != Alu::Sub
    }
}

/// `d = x op y` at width 64 (`w64`) or 32.
pub(super) fn binary(c: &mut Ctx, op: Alu, x: Val, y: Val, w64: bool) {
    let (mut x, mut y) = (x, y);
    // Overwrite whichever operand dies here, if the op allows the swap.
    if op.commutative() && !c.reusable(x) && c.reusable(y) {
        std::mem::swap(&mut x, &mut y);
    }
    // A constant goes second, as the instruction's immediate.
    if op.commutative() && c.konst(x).is_some() && c.konst(y).is_none() {
        std::mem::swap(&mut x, &mut y);
    }
    let (lx, mut ly) = (c.loc(x), c.loc(y));
    let d = c.def_in(x);
    if ly == Loc::Reg(d) && lx != Loc::Reg(d) {
        // y's register was handed to the result: keep y in rcx before overwriting d.
        dynasm!(c.a ; .arch x64 ; mov rcx, Rq(d));
        ly = Loc::Reg(1);
    }
    if let Loc::Imm(k) = ly {
        let fits = !w64 || k as i64 == k as i32 as i64;
        if !fits {
            dynasm!(c.a ; .arch x64 ; mov rcx, QWORD k as i64);
            ly = Loc::Reg(1);
        }
    }
    mov_to(c, d, lx, w64);
    let ones = if w64 { u64::MAX } else { u32::MAX as u64 };
    match (op, ly) {
        (Alu::Xor, Loc::Imm(k)) if k & ones == ones && w64 => dynasm!(c.a ; .arch x64 ; not Rq(d)),
        (Alu::Xor, Loc::Imm(k)) if k & ones == ones => dynasm!(c.a ; .arch x64 ; not Rd(d)),
        _ => emit_op(c, op, d, ly, w64),
    }
}

/// `d = sext(Get.i32 off)` in one `movsxd` (see `regalloc::sext_gets`).
pub(super) fn sext_get(c: &mut Ctx, off: u32) {
    let pinned = c.host_for(off);
    let d = c.def_in(Val(c.cur as u32));
    match pinned {
        Some(p) => dynasm!(c.a ; .arch x64 ; movsxd Rq(d), Rd(p)),
        None => dynasm!(c.a ; .arch x64 ; movsxd Rq(d), DWORD [rbp + off as i32]),
    }
}

/// `d = base + (z << s)` in one `lea` (see `regalloc::scaled_adds`).
pub(super) fn scaled_add(c: &mut Ctx, base: Val, z: Val, s: u8) {
    let zr = super::mem::in_reg(c, z, 1);
    let br = super::mem::in_reg(c, base, 0);
    let d = c.def_in(base);
    match s {
        1 => dynasm!(c.a ; .arch x64 ; lea Rq(d), [Rq(br) + Rq(zr) * 2]),
        2 => dynasm!(c.a ; .arch x64 ; lea Rq(d), [Rq(br) + Rq(zr) * 4]),
        _ => dynasm!(c.a ; .arch x64 ; lea Rq(d), [Rq(br) + Rq(zr) * 8]),
    }
}

/// `mov d, <loc>` at the given width (skipped when already there).
pub(super) fn mov_to(c: &mut Ctx, d: u8, l: Loc, w64: bool) {
    match l {
        Loc::Reg(r) if r == d => {}
        Loc::Reg(r) if w64 => dynasm!(c.a ; .arch x64 ; mov Rq(d), Rq(r)),
        Loc::Reg(r) => dynasm!(c.a ; .arch x64 ; mov Rd(d), Rd(r)),
        Loc::Imm(k) if k <= u32::MAX as u64 || !w64 => dynasm!(c.a ; .arch x64 ; mov Rd(d), k as u32 as i32),
        Loc::Imm(k) if k as i64 == k as i32 as i64 => dynasm!(c.a ; .arch x64 ; mov Rq(d), k as i32),
        Loc::Imm(k) => dynasm!(c.a ; .arch x64 ; mov Rq(d), QWORD k as i64),
        Loc::Mem(b, o) if w64 => dynasm!(c.a ; .arch x64 ; mov Rq(d), QWORD [Rq(b) + o]),
        Loc::Mem(b, o) => dynasm!(c.a ; .arch x64 ; mov Rd(d), DWORD [Rq(b) + o]),
    }
}

macro_rules! alu_forms {
    ($c:expr, $d:expr, $l:expr, $w64:expr, $ins:ident) => {
        match ($l, $w64) {
            (Loc::Reg(r), true) => dynasm!($c.a ; .arch x64 ; $ins Rq($d), Rq(r)),
            (Loc::Reg(r), false) => dynasm!($c.a ; .arch x64 ; $ins Rd($d), Rd(r)),
            (Loc::Imm(k), true) => dynasm!($c.a ; .arch x64 ; $ins Rq($d), k as i32),
            (Loc::Imm(k), false) => dynasm!($c.a ; .arch x64 ; $ins Rd($d), k as u32 as i32),
            (Loc::Mem(b, o), true) => dynasm!($c.a ; .arch x64 ; $ins Rq($d), QWORD [Rq(b) + o]),
            (Loc::Mem(b, o), false) => dynasm!($c.a ; .arch x64 ; $ins Rd($d), DWORD [Rq(b) + o]),
        }
    };
}

fn emit_op(c: &mut Ctx, op: Alu, d: u8, l: Loc, w64: bool) {
    match op {
        Alu::Add => alu_forms!(c, d, l, w64, add),
        Alu::Sub => alu_forms!(c, d, l, w64, sub),
        Alu::And => alu_forms!(c, d, l, w64, and),
        Alu::Or => alu_forms!(c, d, l, w64, or),
        Alu::Xor => alu_forms!(c, d, l, w64, xor),
        Alu::Mul => match (l, w64) {
            (Loc::Reg(r), true) => dynasm!(c.a ; .arch x64 ; imul Rq(d), Rq(r)),
            (Loc::Reg(r), false) => dynasm!(c.a ; .arch x64 ; imul Rd(d), Rd(r)),
            (Loc::Imm(k), true) => dynasm!(c.a ; .arch x64 ; imul Rq(d), Rq(d), k as i32),
            (Loc::Imm(k), false) => dynasm!(c.a ; .arch x64 ; imul Rd(d), Rd(d), k as u32 as i32),
            (Loc::Mem(b, o), true) => dynasm!(c.a ; .arch x64 ; imul Rq(d), QWORD [Rq(b) + o]),
            (Loc::Mem(b, o), false) => dynasm!(c.a ; .arch x64 ; imul Rd(d), DWORD [Rq(b) + o]),
        },
    }
}

/// Shift `x` by the constant `k` (taken mod the width, as the IR specifies).
pub(super) fn shift_imm(c: &mut Ctx, kind: u8, x: Val, k: u64, w64: bool) {
    let n = (k % if w64 { 64 } else { 32 }) as i8;
    let lx = c.loc(x);
    let d = c.def_in(x);
    mov_to(c, d, lx, w64);
    match (kind, w64) {
        (0, true) => dynasm!(c.a ; .arch x64 ; shl Rq(d), n),
        (0, false) => dynasm!(c.a ; .arch x64 ; shl Rd(d), n),
        (1, true) => dynasm!(c.a ; .arch x64 ; shr Rq(d), n),
        (1, false) => dynasm!(c.a ; .arch x64 ; shr Rd(d), n),
        (2, true) => dynasm!(c.a ; .arch x64 ; sar Rq(d), n),
        (2, false) => dynasm!(c.a ; .arch x64 ; sar Rd(d), n),
        (3, true) => dynasm!(c.a ; .arch x64 ; ror Rq(d), n),
        (3, false) => dynasm!(c.a ; .arch x64 ; ror Rd(d), n),
        (_, true) => dynasm!(c.a ; .arch x64 ; rol Rq(d), n),
        (_, false) => dynasm!(c.a ; .arch x64 ; rol Rd(d), n),
    }
}

/// `d = x & !y` (AArch64 BIC, RISC-V ANDN) for I1, I32 and I64.
pub(super) fn and_not(c: &mut Ctx, x: Val, y: Val, w64: bool) {
    let (lx, ly) = (c.loc(x), c.loc(y));
    mov_to(c, 1, ly, w64);
    let d = c.def_in(x);
    mov_to(c, d, lx, w64);
    if w64 {
        dynasm!(c.a ; .arch x64 ; not rcx ; and Rq(d), rcx);
    } else {
        dynasm!(c.a ; .arch x64 ; not ecx ; and Rd(d), ecx);
    }
}

/// `d = !x` or `d = -x` at the type's width (I1: `!x` is `x ^ 1`, `-x` is `x`).
pub(super) fn not_neg(c: &mut Ctx, neg: bool, x: Val, ty: Ty) {
    let lx = c.loc(x);
    let d = c.def_in(x);
    let w64 = ty.bits() == 64;
    mov_to(c, d, lx, w64);
    match (ty, neg, w64) {
        (Ty::I1, false, _) => dynasm!(c.a ; .arch x64 ; xor Rd(d), 1),
        (Ty::I1, true, _) => {}
        (_, false, true) => dynasm!(c.a ; .arch x64 ; not Rq(d)),
        (_, false, false) => dynasm!(c.a ; .arch x64 ; not Rd(d)),
        (_, true, true) => dynasm!(c.a ; .arch x64 ; neg Rq(d)),
        (_, true, false) => dynasm!(c.a ; .arch x64 ; neg Rd(d)),
    }
}

/// `Extract`/`SExtract`: bits `[lsb, lsb + width)` of `x`, zero- or sign-extended, by a left
/// shift that drops the bits above and a right shift that drops those below.
pub(super) fn extract(c: &mut Ctx, signed: bool, x: Val, lsb: u8, width: u8, ty: Ty) {
    let bits = ty.bits() as i8;
    let left = bits - lsb as i8 - width as i8;
    let right = bits - width as i8;
    let w64 = bits == 64;
    let lx = c.loc(x);
    let d = c.def_in(x);
    mov_to(c, d, lx, w64);
    match (signed, w64) {
        (false, true) => dynasm!(c.a ; .arch x64 ; shl Rq(d), left ; shr Rq(d), right),
        (false, false) => dynasm!(c.a ; .arch x64 ; shl Rd(d), left ; shr Rd(d), right),
        (true, true) => dynasm!(c.a ; .arch x64 ; shl Rq(d), left ; sar Rq(d), right),
        (true, false) => dynasm!(c.a ; .arch x64 ; shl Rd(d), left ; sar Rd(d), right),
    }
}

/// `Get` of a 32- or 64-bit integer (or FP bits) from guest state into a register.
pub(super) fn get(c: &mut Ctx, off: u32, ty: Ty) {
    let w64 = ty.bits() == 64;
    let pinned = c.host_for(off);
    if let Some(p) = pinned {
        if c.def_pinned(p) {
            return;
        }
    }
    let d = c.def_in(Val(c.cur as u32));
    let o = off as i32;
    match (pinned, w64) {
        (Some(p), true) => dynasm!(c.a ; .arch x64 ; mov Rq(d), Rq(p)),
        (Some(p), false) => dynasm!(c.a ; .arch x64 ; mov Rd(d), Rd(p)),
        (None, true) => dynasm!(c.a ; .arch x64 ; mov Rq(d), QWORD [rbp + o]),
        (None, false) => dynasm!(c.a ; .arch x64 ; mov Rd(d), DWORD [rbp + o]),
    }
    if pinned.is_none() {
        c.set_home(Val(c.cur as u32), off);
    }
}

/// 64-bit `Set` of guest state from wherever the value is.
pub(super) fn set64(c: &mut Ctx, off: u32, v: Val) {
    let o = off as i32;
    // A folded `Zext.i64(x)`: store I32 `x`, zero-extended by a 32-bit move where needed.
    let (l, w64) = match c.folded[v.0 as usize].then(|| super::regalloc::zext_of_i32(c.b, v)).flatten() {
        Some(x) => match c.loc(x) {
            Loc::Reg(r) => (Loc::Reg(r), true),
            l => (l, false),
        },
        None => (c.loc(v), true),
    };
    match c.host_for(off) {
        Some(p) => mov_to(c, p, l, w64),
        None => match l {
            Loc::Reg(r) => dynasm!(c.a ; .arch x64 ; mov QWORD [rbp + o], Rq(r)),
            Loc::Imm(k) if k as i64 == k as i32 as i64 => {
                dynasm!(c.a ; .arch x64 ; mov QWORD [rbp + o], k as i32)
            }
            _ => {
                mov_to(c, 0, l, w64);
                dynasm!(c.a ; .arch x64 ; mov QWORD [rbp + o], rax);
            }
        },
    }
    if c.host_for(off).is_none() {
        // The word now holds `v` (or, for a folded zext, its 32-bit operand in the low half).
        let held = match c.folded[v.0 as usize] {
            true => super::regalloc::zext_of_i32(c.b, v).unwrap_or(v),
            false => v,
        };
        c.set_home(held, off);
    }
    c.def_none();
}

/// How a width change treats the source bits.
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub(super) enum Ext {
    /// Zero-extend, truncate or reinterpret (narrow values are held zero-extended already, so
    /// only a narrowing result needs masking).
    Zero,
    Sign,
}

/// `d = ext(x)` for integer/FP-bit types (not V128), straight into the destination register.
pub(super) fn ext(c: &mut Ctx, kind: Ext, x: Val, from: Ty, to: Ty) {
    let lx = c.loc(x);
    let d = c.def_in(x);
    match (kind, from) {
        (Ext::Sign, Ty::I32) => match lx {
            Loc::Reg(r) => dynasm!(c.a ; .arch x64 ; movsxd Rq(d), Rd(r)),
            Loc::Mem(b, o) => dynasm!(c.a ; .arch x64 ; movsxd Rq(d), DWORD [Rq(b) + o]),
            Loc::Imm(k) => mov_to(c, d, Loc::Imm(k as u32 as i32 as i64 as u64), true),
        },
        (Ext::Sign, Ty::I1) => {
            mov_to(c, d, lx, false);
            dynasm!(c.a ; .arch x64 ; neg Rq(d));
        }
        // Narrowing a value in place still needs the 32-bit move that clears the top.
        (_, _) => match lx {
            Loc::Reg(r) if r == d && to.bits() < from.bits() => {
                dynasm!(c.a ; .arch x64 ; mov Rd(d), Rd(d))
            }
            _ => mov_to(c, d, lx, from.bits() == 64 && to.bits() == 64),
        },
    }
    match to {
        Ty::I32 | Ty::F32 if kind == Ext::Sign => {
            dynasm!(c.a ; .arch x64 ; mov Rd(d), Rd(d))
        }
        Ty::I1 => dynasm!(c.a ; .arch x64 ; and Rd(d), 1),
        _ => {}
    }
}
