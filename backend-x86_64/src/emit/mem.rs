//! Guest loads and stores: one host `mov` on the identity-mapped address space, with the
//! address computed in the instruction's own address mode where the allocator folded it
//! ([`AddrFold`]: `base + disp`, `base + index`, `base + index << s`) and the loaded value
//! going straight into its destination register.

use super::regalloc::{AddrFold, Ctx, Loc};
use dynasmrt::{dynasm, DynasmApi};
use emu_core::ir::{Ty, Val};

/// `v` in a register: its own, or `scratch` (loaded from its slot or constant).
pub(super) fn in_reg(c: &mut Ctx, v: Val, scratch: u8) -> u8 {
    match c.loc(v) {
        Loc::Reg(r) => r,
        l => {
            let w64 = c.b.ty(v).bits() > 32;
            super::alu::mov_to(c, scratch, l, w64);
            scratch
        }
    }
}

/// The host address operand `[reg + disp]` for guest address `addr`, using only `rax` (and
/// `rcx` for a scaled index) as scratch.
fn operand(c: &mut Ctx, addr: Val) -> (u8, i32) {
    let Some(AddrFold { base, index, disp }) = c.addr_fold[addr.0 as usize] else {
        return (in_reg(c, addr, 0), 0);
    };
    let Some((z, s)) = index else {
        return (in_reg(c, base, 0), disp);
    };
    let zr = in_reg(c, z, 1);
    let b = in_reg(c, base, 0);
    match s {
        0 => dynasm!(c.a ; .arch x64 ; lea rax, [Rq(b) + Rq(zr) + disp]),
        1 => dynasm!(c.a ; .arch x64 ; lea rax, [Rq(b) + Rq(zr) * 2 + disp]),
        2 => dynasm!(c.a ; .arch x64 ; lea rax, [Rq(b) + Rq(zr) * 4 + disp]),
        _ => dynasm!(c.a ; .arch x64 ; lea rax, [Rq(b) + Rq(zr) * 8 + disp]),
    }
    (0, 0)
}

/// `Load { addr, size, signed }` of type `ty`.
pub(super) fn load(c: &mut Ctx, ty: Ty, addr: Val, size: u8, signed: bool) {
    let (r, o) = operand(c, addr);
    if ty == Ty::V128 {
        // A narrower load is zero-extended into the vector.
        match size {
            16 | 8 | 4 => {
                let x = c.vdef_reg();
                match size {
                    16 => dynasm!(c.a ; .arch x64 ; movdqu Rx(x), [Rq(r) + o]),
                    8 => dynasm!(c.a ; .arch x64 ; movq Rx(x), [Rq(r) + o]),
                    _ => dynasm!(c.a ; .arch x64 ; movd Rx(x), [Rq(r) + o]),
                }
            }
            _ => {
                if size == 2 {
                    dynasm!(c.a ; .arch x64 ; movzx eax, WORD [Rq(r) + o]);
                } else {
                    dynasm!(c.a ; .arch x64 ; movzx eax, BYTE [Rq(r) + o]);
                }
                let x = c.vdef_reg();
                dynasm!(c.a ; .arch x64 ; movd Rx(x), eax);
            }
        }
        return;
    }
    let prefer = c.addr_fold[addr.0 as usize].map_or(addr, |f| f.base);
    let d = c.def_in(prefer);
    let w64 = ty.bits() == 64;
    match (size, signed, w64) {
        (1, false, _) => dynasm!(c.a ; .arch x64 ; movzx Rd(d), BYTE [Rq(r) + o]),
        (1, true, true) => dynasm!(c.a ; .arch x64 ; movsx Rq(d), BYTE [Rq(r) + o]),
        (1, true, false) => dynasm!(c.a ; .arch x64 ; movsx Rd(d), BYTE [Rq(r) + o]),
        (2, false, _) => dynasm!(c.a ; .arch x64 ; movzx Rd(d), WORD [Rq(r) + o]),
        (2, true, true) => dynasm!(c.a ; .arch x64 ; movsx Rq(d), WORD [Rq(r) + o]),
        (2, true, false) => dynasm!(c.a ; .arch x64 ; movsx Rd(d), WORD [Rq(r) + o]),
        (4, true, true) => dynasm!(c.a ; .arch x64 ; movsxd Rq(d), DWORD [Rq(r) + o]),
        (4, _, _) => dynasm!(c.a ; .arch x64 ; mov Rd(d), DWORD [Rq(r) + o]),
        _ => dynasm!(c.a ; .arch x64 ; mov Rq(d), QWORD [Rq(r) + o]),
    }
    if ty == Ty::I1 {
        dynasm!(c.a ; .arch x64 ; and Rd(d), 1);
    }
}

/// `Store { addr, v, size }`.
pub(super) fn store(c: &mut Ctx, addr: Val, v: Val, size: u8) {
    let (r, o) = operand(c, addr);
    if size == 16 {
        match c.vreg(v) {
            Some(x) => dynasm!(c.a ; .arch x64 ; movdqu [Rq(r) + o], Rx(x)),
            None => {
                let vs = c.slot_of(v);
                dynasm!(c.a ; .arch x64 ; movdqu xmm0, [rsp + vs] ; movdqu [Rq(r) + o], xmm0);
            }
        }
        c.def_none();
        return;
    }
    if c.b.ty(v) == Ty::V128 {
        // The low bytes of a vector (STR of a D, S, H or B register).
        let x = match c.vreg(v) {
            Some(x) => x,
            None => {
                c.vld(0, v);
                0
            }
        };
        match size {
            8 => dynasm!(c.a ; .arch x64 ; movq [Rq(r) + o], Rx(x)),
            4 => dynasm!(c.a ; .arch x64 ; movd [Rq(r) + o], Rx(x)),
            2 => dynasm!(c.a ; .arch x64 ; movd ecx, Rx(x) ; mov WORD [Rq(r) + o], cx),
            _ => dynasm!(c.a ; .arch x64 ; movd ecx, Rx(x) ; mov BYTE [Rq(r) + o], cl),
        }
        c.def_none();
        return;
    }
    match c.loc(v) {
        Loc::Imm(k) if size < 8 || k as i64 == k as i32 as i64 => match size {
            1 => dynasm!(c.a ; .arch x64 ; mov BYTE [Rq(r) + o], k as i8),
            2 => dynasm!(c.a ; .arch x64 ; mov WORD [Rq(r) + o], k as i16),
            4 => dynasm!(c.a ; .arch x64 ; mov DWORD [Rq(r) + o], k as i32),
            _ => dynasm!(c.a ; .arch x64 ; mov QWORD [Rq(r) + o], k as i32),
        },
        _ => {
            let x = in_reg(c, v, 1);
            match size {
                1 => dynasm!(c.a ; .arch x64 ; mov BYTE [Rq(r) + o], Rb(x)),
                2 => dynasm!(c.a ; .arch x64 ; mov WORD [Rq(r) + o], Rw(x)),
                4 => dynasm!(c.a ; .arch x64 ; mov DWORD [Rq(r) + o], Rd(x)),
                _ => dynasm!(c.a ; .arch x64 ; mov QWORD [Rq(r) + o], Rq(x)),
            }
        }
    }
    c.def_none();
}
