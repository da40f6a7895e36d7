//! x86 condition codes (the low nibble of `Jcc`/`SETcc`) and the compare emitters behind fused
//! conditions: an `Icmp` or an AArch64 `CondHolds` whose NZCV producer is an `NzcvSub`,
//! `NzcvAdd` or `NzcvLogic` in the same block becomes one x86 compare and a condition code,
//! used by `setcc` (a 0/1 value) or directly by the block's branch (`cmp; jcc`).

use super::alu::mov_to;
use super::regalloc::{Ctx, Loc};
use dynasmrt::{dynasm, DynamicLabel, DynasmApi, DynasmLabelApi};
use emu_core::ir::{Block, Cmp, Op, Val};

pub(super) const O: u8 = 0x0;
pub(super) const NO: u8 = 0x1;
pub(super) const B: u8 = 0x2;
pub(super) const AE: u8 = 0x3;
pub(super) const E: u8 = 0x4;
pub(super) const NE: u8 = 0x5;
pub(super) const BE: u8 = 0x6;
pub(super) const A: u8 = 0x7;
pub(super) const S: u8 = 0x8;
pub(super) const NS: u8 = 0x9;
pub(super) const L: u8 = 0xC;
pub(super) const GE: u8 = 0xD;
pub(super) const LE: u8 = 0xE;
pub(super) const G: u8 = 0xF;
/// Pseudo-codes for conditions known without looking at the flags.
pub(super) const ALWAYS: u8 = 0x10;
pub(super) const NEVER: u8 = 0x11;

/// The condition with the opposite outcome.
pub(super) fn negate(cc: u8) -> u8 {
    cc ^ 1
}

/// [`negate`], also for the pseudo-codes [`ALWAYS`] and [`NEVER`].
pub(super) fn negate_pseudo(cc: u8) -> u8 {
    match cc {
        ALWAYS => NEVER,
        NEVER => ALWAYS,
        cc => negate(cc),
    }
}

pub(super) fn icmp_cc(cc: Cmp) -> u8 {
    match cc {
        Cmp::Eq => E,
        Cmp::Ne => NE,
        Cmp::Ult => B,
        Cmp::Ule => BE,
        Cmp::Ugt => A,
        Cmp::Uge => AE,
        Cmp::Slt => L,
        Cmp::Sle => LE,
        Cmp::Sgt => G,
        Cmp::Sge => GE,
    }
}

/// The NZCV producer kinds a condition can be fused with.
#[derive(Copy, Clone, PartialEq, Eq)]
enum Producer {
    Sub,
    Add,
    Logic,
}

fn producer(b: &Block, nzcv: Val) -> Option<(Producer, Val, Option<Val>)> {
    match b.insts[nzcv.0 as usize].op {
        Op::NzcvSub { a, b } => Some((Producer::Sub, a, Some(b))),
        Op::NzcvAdd { a, b } => Some((Producer::Add, a, Some(b))),
        Op::NzcvLogic { a } => Some((Producer::Logic, a, None)),
        _ => None,
    }
}

/// The x86 condition for AArch64 condition `cond` after the x86 form of `kind` (`cmp`, `add`
/// or `test`), or `None` where the flags do not line up. After `add`, ARM's C is x86's CF;
/// after `cmp` it is !CF (so CS/CC/HI/LS are AE/B/A/BE); after `test`, C = V = 0.
fn nzcv_cc(kind: Producer, cond: u8) -> Option<u8> {
    if kind == Producer::Add && matches!(cond >> 1, 1 | 4) {
        return None;
    }
    let sub = kind == Producer::Sub;
    Some(match cond {
        0 => E,
        1 => NE,
        2 if sub => AE,
        2 => B,
        3 if sub => B,
        3 => AE,
        4 => S,
        5 => NS,
        6 => O,
        7 => NO,
        8 if sub => A,
        9 if sub => BE,
        8 => NEVER,
        9 => ALWAYS,
        10 => GE,
        11 => L,
        12 => G,
        13 => LE,
        _ => ALWAYS,
    })
}

/// Whether `CondHolds(cond, nzcv)` can be emitted as a fused compare.
pub(super) fn cond_fusable(b: &Block, cond: u8, nzcv: Val) -> bool {
    producer(b, nzcv).is_some_and(|(k, _, _)| nzcv_cc(k, cond).is_some())
}

/// `cmp x, y` (or `add`/`test`) on the values where they are, at 64 or 32 bits; `rax` and
/// `rcx` are scratch.
fn compare(c: &mut Ctx, kind: Producer, x: Val, y: Option<Val>, w64: bool) {
    let mut lx = c.loc(x);
    if kind == Producer::Add || !matches!(lx, Loc::Reg(_)) {
        mov_to(c, 0, lx, w64);
        lx = Loc::Reg(0);
    }
    let Loc::Reg(r) = lx else { unreachable!("moved into rax above") };
    let Some(y) = y else {
        match w64 {
            true => dynasm!(c.a ; .arch x64 ; test Rq(r), Rq(r)),
            false => dynasm!(c.a ; .arch x64 ; test Rd(r), Rd(r)),
        }
        return;
    };
    let mut ly = c.loc(y);
    if let Loc::Imm(k) = ly {
        if w64 && k as i64 != k as i32 as i64 {
            mov_to(c, 1, ly, true);
            ly = Loc::Reg(1);
        }
    }
    let add = kind == Producer::Add;
    match (ly, w64, add) {
        (Loc::Reg(s), true, false) => dynasm!(c.a ; .arch x64 ; cmp Rq(r), Rq(s)),
        (Loc::Reg(s), false, false) => dynasm!(c.a ; .arch x64 ; cmp Rd(r), Rd(s)),
        (Loc::Imm(k), true, false) => dynasm!(c.a ; .arch x64 ; cmp Rq(r), k as i32),
        (Loc::Imm(k), false, false) => dynasm!(c.a ; .arch x64 ; cmp Rd(r), k as u32 as i32),
        (Loc::Mem(b, o), true, false) => dynasm!(c.a ; .arch x64 ; cmp Rq(r), QWORD [Rq(b) + o]),
        (Loc::Mem(b, o), false, false) => dynasm!(c.a ; .arch x64 ; cmp Rd(r), DWORD [Rq(b) + o]),
        (Loc::Reg(s), true, true) => dynasm!(c.a ; .arch x64 ; add Rq(r), Rq(s)),
        (Loc::Reg(s), false, true) => dynasm!(c.a ; .arch x64 ; add Rd(r), Rd(s)),
        (Loc::Imm(k), true, true) => dynasm!(c.a ; .arch x64 ; add Rq(r), k as i32),
        (Loc::Imm(k), false, true) => dynasm!(c.a ; .arch x64 ; add Rd(r), k as u32 as i32),
        (Loc::Mem(b, o), true, true) => dynasm!(c.a ; .arch x64 ; add Rq(r), QWORD [Rq(b) + o]),
        (Loc::Mem(b, o), false, true) => dynasm!(c.a ; .arch x64 ; add Rd(r), DWORD [Rq(b) + o]),
    }
}

/// Emit the compare behind condition value `v` (an integer `Icmp`, or a fusable `CondHolds`)
/// and return the x86 condition under which `v` is true. `None`: `v` is of another kind and
/// nothing was emitted.
pub(super) fn emit_compare(c: &mut Ctx, v: Val) -> Option<u8> {
    let b = c.b;
    match b.insts[v.0 as usize].op {
        Op::Icmp { cc, a: x, b: y } => {
            let w64 = match b.ty(x) {
                emu_core::ir::Ty::I64 => true,
                emu_core::ir::Ty::I32 => false,
                _ => return None,
            };
            compare(c, Producer::Sub, x, Some(y), w64);
            Some(icmp_cc(cc))
        }
        Op::CondHolds { cond, nzcv } => {
            let (kind, x, y) = producer(b, nzcv)?;
            let cc = nzcv_cc(kind, cond)?;
            if cc < ALWAYS {
                compare(c, kind, x, y, b.ty(x).bits() == 64);
            }
            Some(cc)
        }
        _ => None,
    }
}

/// The current instruction (an integer `Icmp` or a fusable `CondHolds`) as a 0/1 value: one
/// compare and a `setcc` into its register.
pub(super) fn value(c: &mut Ctx) {
    let v = Val(c.cur as u32);
    let cc = emit_compare(c, v).expect("integer icmp or fusable condition");
    setcc_al(c, cc);
    let d = c.def_in(v);
    dynasm!(c.a ; .arch x64 ; movzx Rd(d), al);
}

/// `al = cc holds` (0/1), for the condition codes and pseudo-codes above.
pub(super) fn setcc_al(c: &mut Ctx, cc: u8) {
    let a = &mut c.a;
    match cc {
        O => dynasm!(a ; .arch x64 ; seto al),
        NO => dynasm!(a ; .arch x64 ; setno al),
        B => dynasm!(a ; .arch x64 ; setb al),
        AE => dynasm!(a ; .arch x64 ; setae al),
        E => dynasm!(a ; .arch x64 ; sete al),
        NE => dynasm!(a ; .arch x64 ; setne al),
        BE => dynasm!(a ; .arch x64 ; setbe al),
        A => dynasm!(a ; .arch x64 ; seta al),
        S => dynasm!(a ; .arch x64 ; sets al),
        NS => dynasm!(a ; .arch x64 ; setns al),
        0xA => dynasm!(a ; .arch x64 ; setp al),
        0xB => dynasm!(a ; .arch x64 ; setnp al),
        L => dynasm!(a ; .arch x64 ; setl al),
        GE => dynasm!(a ; .arch x64 ; setge al),
        LE => dynasm!(a ; .arch x64 ; setle al),
        G => dynasm!(a ; .arch x64 ; setg al),
        ALWAYS => dynasm!(a ; .arch x64 ; mov al, 1),
        _ => dynasm!(a ; .arch x64 ; mov al, 0),
    }
}

/// `jcc label` for a real condition code (not a pseudo-code).
pub(super) fn jcc(a: &mut super::Asm, cc: u8, l: DynamicLabel) {
    match cc {
        O => dynasm!(a ; .arch x64 ; jo =>l),
        NO => dynasm!(a ; .arch x64 ; jno =>l),
        B => dynasm!(a ; .arch x64 ; jb =>l),
        AE => dynasm!(a ; .arch x64 ; jae =>l),
        E => dynasm!(a ; .arch x64 ; je =>l),
        NE => dynasm!(a ; .arch x64 ; jne =>l),
        BE => dynasm!(a ; .arch x64 ; jbe =>l),
        A => dynasm!(a ; .arch x64 ; ja =>l),
        S => dynasm!(a ; .arch x64 ; js =>l),
        NS => dynasm!(a ; .arch x64 ; jns =>l),
        0xA => dynasm!(a ; .arch x64 ; jp =>l),
        0xB => dynasm!(a ; .arch x64 ; jnp =>l),
        L => dynasm!(a ; .arch x64 ; jl =>l),
        GE => dynasm!(a ; .arch x64 ; jge =>l),
        LE => dynasm!(a ; .arch x64 ; jle =>l),
        _ => dynasm!(a ; .arch x64 ; jg =>l),
    }
}

/// `NzcvSub`/`NzcvAdd`/`NzcvLogic`: the AArch64 NZCV word (N 31, Z 30, C 29, V 28) of `x - y`,
/// `x + y` or logic result `x`, from one x86 compare on the operands where they are.
pub(super) fn nzcv(c: &mut Ctx, op: &Op) {
    let (kind, x, y) = match *op {
        Op::NzcvSub { a, b } => (Producer::Sub, a, Some(b)),
        Op::NzcvAdd { a, b } => (Producer::Add, a, Some(b)),
        Op::NzcvLogic { a } => (Producer::Logic, a, None),
        _ => unreachable!("not an NZCV producer"),
    };
    compare(c, kind, x, y, c.b.ty(x).bits() == 64);
    // `lahf` puts SF, ZF and CF in AH; a table indexed by AH gives N, Z and C (ARM's C after a
    // subtraction is "no borrow", hence two tables), and OF becomes V. After `test` (logic),
    // CF = OF = 0, which is ARM's C = V = 0.
    let table = match kind {
        Producer::Sub => NZC_AFTER_SUB.as_ptr(),
        _ => NZC_AFTER_ADD.as_ptr(),
    } as i64;
    dynasm!(c.a
        ; .arch x64
        ; lahf
        ; seto dl
        ; movzx ecx, ah
        ; mov rax, QWORD table
        ; mov eax, [rax + rcx * 4]
        ; movzx edx, dl
        ; shl edx, 28
        ; or eax, edx
    );
    c.def();
}

/// NZCV bits N, Z, C (31, 30, 29) for each value of x86's AH after `lahf` (SF bit 7, ZF bit 6,
/// CF bit 0), with C = CF (after `add`/`test`) or C = !CF (after `cmp`).
const fn nzc_table(c_is_not_cf: bool) -> [u32; 256] {
    let mut t = [0u32; 256];
    let mut ah = 0;
    while ah < 256 {
        let cf = ah & 1 != 0;
        let c = if c_is_not_cf { !cf } else { cf };
        t[ah] = ((ah as u32 >> 7) & 1) << 31 | ((ah as u32 >> 6) & 1) << 30 | (c as u32) << 29;
        ah += 1;
    }
    t
}

static NZC_AFTER_SUB: [u32; 256] = nzc_table(true);
static NZC_AFTER_ADD: [u32; 256] = nzc_table(false);
