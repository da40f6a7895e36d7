//! Native SSE emitters for the vector family ([`emu_core::ir::vec`]): `VUnary`, `VBinary`,
//! `VTernary`, `VImm`, `VImm2`, `VExtract`, `VInsert`, `VDup`, plus the V128 forms of `Bitcast`
//! that the integer emitters leave alone.
//!
//! V128 values live in xmm8..xmm15 or their frame slots (see [`super::regalloc`]): an emitter
//! copies its operands into xmm0 (a), xmm1 (b) and xmm2 (c), computes into xmm0 using
//! xmm3..xmm7 as scratch, and defines the result from xmm0 ([`Ctx::vdef`]). The baseline is SSE2;
//! SSSE3 (pshufb, palignr), SSE4.1 (pminud & co., pmulld, pcmpeqq) and SSE4.2 (pcmpgtq) are used
//! when the host has them ([`feats`]), with an SSE2 sequence or the interpreter fallback
//! otherwise. Every op here is bit-exact with `emu_core::interp::vec`; [`is_native`] is the one
//! place that says which op/es/imm combinations are emitted, and [`emit`] consults it first.
//!
//! Left to the fallback: the FP sub-ops (their NaN, rounding and `fp_exc` rules) except the
//! sign-bit FABS/FNEG and the lane-wise FADD/FSUB/FMUL/FDIV/FMLA/FMLS, which the FP emitter
//! (`fp_vec.rs`, see [`super::fp`]) takes first so that they share its MXCSR regions, USHL/SSHL (per-lane variable shifts), TBL/TBX without SSSE3, and forms
//! no AArch64 instruction produces (XTN from bytes, widening from 64-bit lanes, UADDLV of
//! 64-bit lanes).
//!
//! The work is split by shape: lane-wise arithmetic and compares in `vec_lanes.rs`, permutes
//! and lane moves in `vec_perm.rs`, widening/narrowing, across-lane reductions and immediate
//! shifts in `vec_width.rs`. The helpers shared by all three (constants, shifts by an
//! immediate, compare masks, min/max) are below.

// dynasm expands the dynamic register operands `Rx(n)` into `n.into()`, which clippy flags
// when `n` is already a u8.
#![allow(clippy::useless_conversion)]

#[path = "vec_lanes.rs"]
mod lanes;
#[path = "vec_perm.rs"]
mod perm;
#[path = "vec_width.rs"]
mod width;

use super::regalloc::Ctx;
use dynasmrt::{dynasm, DynasmApi};
use emu_core::ir::{Inst, Op, Ty, Val};
use std::sync::OnceLock;

/// Host SIMD extensions beyond SSE2 that the emitters use.
#[derive(Copy, Clone, Debug)]
pub(super) struct Feats {
    /// Emit vector ops natively at all (off: every one takes the fallback).
    pub native: bool,
    pub ssse3: bool,
    pub sse41: bool,
    pub sse42: bool,
}

/// The host's features, detected once. `REMU_JIT_X86_BASELINE=sse2` pretends none are present,
/// so the SSE2 sequences can be tested on any host; `=fallback` sends every vector op to the
/// interpreter fallback (to bisect a miscompile, or to measure what the emitters buy).
pub(super) fn feats() -> Feats {
    static F: OnceLock<Feats> = OnceLock::new();
    *F.get_or_init(|| {
        let baseline = std::env::var("REMU_JIT_X86_BASELINE").unwrap_or_default();
        if baseline == "sse2" || baseline == "fallback" {
            return Feats { native: baseline == "sse2", ssse3: false, sse41: false, sse42: false };
        }
        Feats {
            native: true,
            ssse3: std::arch::is_x86_feature_detected!("ssse3"),
            sse41: std::arch::is_x86_feature_detected!("sse4.1"),
            sse42: std::arch::is_x86_feature_detected!("sse4.2"),
        }
    })
}

/// Whether `op` is emitted natively on this host.
pub(super) fn is_native(op: &Op) -> bool {
    let f = feats();
    if !f.native {
        return false;
    }
    match op {
        Op::VUnary { op, es, .. } => {
            let es = *es as u32;
            lanes::unary_native(*op, es) || perm::unary_native(*op, es) || width::unary_native(*op, es)
        }
        Op::VBinary { op, es, .. } => {
            lanes::binary_native(*op, *es as u32)
                || perm::binary_native(*op, *es as u32, f)
                || width::binary_native(*op, *es as u32)
        }
        Op::VTernary { op, es, .. } => {
            lanes::ternary_native(*op, *es as u32, f) || width::ternary_native(*op, *es as u32)
        }
        Op::VImm { op, es, .. } => width::imm_native(*op, *es as u32),
        Op::VImm2 { .. } | Op::VExtract { .. } | Op::VInsert { .. } | Op::VDup { .. } => true,
        _ => false,
    }
}

pub(super) fn emit(c: &mut Ctx, inst: &Inst) -> bool {
    if let Op::Bitcast { a } = inst.op {
        return feats().native && bitcast(c, inst.ty, a);
    }
    if !is_native(&inst.op) {
        return false;
    }
    let f = feats();
    match inst.op {
        Op::VUnary { op, es, a } => {
            load(c, 0, a);
            let es = es as u32;
            if !lanes::unary(c, op, es) && !perm::unary(c, op, es) {
                width::unary(c, op, es);
            }
            store(c, 0);
        }
        Op::VBinary { op, es, a, b } => {
            load(c, 0, a);
            load(c, 1, b);
            let es = es as u32;
            if !lanes::binary(c, op, es) && !perm::binary(c, op, es, f) {
                width::binary(c, op, es);
            }
            store(c, 0);
        }
        Op::VTernary { op, es, a, b, c: k } => {
            load(c, 0, a);
            load(c, 1, b);
            load(c, 2, k);
            if !lanes::ternary(c, op, es as u32) {
                width::ternary(c, op, es as u32);
            }
            store(c, 0);
        }
        Op::VImm { op, es, a, imm } => width::imm(c, op, es as u32, a, imm),
        Op::VImm2 { op, es, a, b, imm } => {
            load(c, 0, a);
            load(c, 1, b);
            width::imm2(c, op, es as u32, imm, f);
            store(c, 0);
        }
        Op::VExtract { a, es, idx } => perm::extract(c, a, es as u32, idx as u32),
        Op::VInsert { a, b, es, idx } => perm::insert(c, a, b, es as u32, idx as u32),
        Op::VDup { a, es } => perm::dup(c, a, es as u32),
        _ => unreachable!("is_native admitted a non-vector op"),
    }
    true
}

/// `Bitcast` to or from V128 (FMOV between general and vector registers). Scalar -> V128
/// zero-extends; V128 -> scalar keeps the low 32 or 64 bits. Scalar <-> scalar is not ours.
fn bitcast(c: &mut Ctx, ty: Ty, a: Val) -> bool {
    match (c.b.ty(a), ty) {
        (Ty::V128, Ty::V128) => {
            load(c, 0, a);
            store(c, 0);
        }
        (Ty::V128, t) => {
            match (t.bits(), c.vreg(a)) {
                (64, Some(x)) => dynasm!(c.a ; .arch x64 ; movq rax, Rx(x)),
                (32, Some(x)) => dynasm!(c.a ; .arch x64 ; movd eax, Rx(x)),
                (64 | 32, None) => {
                    let sa = c.slot_of(a);
                    if t.bits() == 64 {
                        dynasm!(c.a ; .arch x64 ; mov rax, QWORD [rsp + sa]);
                    } else {
                        dynasm!(c.a ; .arch x64 ; mov eax, DWORD [rsp + sa]);
                    }
                }
                _ => return false,
            }
            c.def();
        }
        (_, Ty::V128) => {
            // Scalars are held zero-extended to 64 bits; `movq` clears the upper lane.
            c.ld(super::regalloc::Scratch::Rax, a);
            let x = c.vdef_reg();
            dynasm!(c.a ; .arch x64 ; movq Rx(x), rax);
        }
        _ => return false,
    }
    true
}

// ---- shared helpers; registers are xmm numbers ----

/// Load V128 value `v` into xmm`x`.
fn load(c: &mut Ctx, x: u8, v: Val) {
    c.vld(x, v);
}

/// Define the current instruction's value from xmm`x`.
fn store(c: &mut Ctx, x: u8) {
    c.vdef(x);
}

fn mov(c: &mut Ctx, d: u8, s: u8) {
    if d != s {
        dynasm!(c.a ; .arch x64 ; movdqa Rx(d), Rx(s));
    }
}

fn zero(c: &mut Ctx, x: u8) {
    dynasm!(c.a ; .arch x64 ; pxor Rx(x), Rx(x));
}

fn ones(c: &mut Ctx, x: u8) {
    dynasm!(c.a ; .arch x64 ; pcmpeqb Rx(x), Rx(x));
}

/// Mask of an `es`-bit lane.
fn lane_mask(es: u32) -> u64 {
    if es >= 64 {
        u64::MAX
    } else {
        (1 << es) - 1
    }
}

/// xmm`x` = every `es`-bit lane holding `v` (clobbers rax).
fn splat(c: &mut Ctx, x: u8, es: u32, v: u64) {
    let v = v & lane_mask(es);
    if v == 0 {
        return zero(c, x);
    }
    if v == lane_mask(es) {
        return ones(c, x);
    }
    let w = match es {
        8 => v * 0x0101_0101_0101_0101,
        16 => v * 0x0001_0001_0001_0001,
        32 => v * 0x0000_0001_0000_0001,
        _ => v,
    };
    if w >> 32 == w & 0xffff_ffff {
        dynasm!(c.a ; .arch x64 ; mov eax, w as i32 ; movd Rx(x), eax ; pshufd Rx(x), Rx(x), 0);
    } else {
        dynasm!(c.a ; .arch x64 ; mov rax, QWORD w as i64 ; movq Rx(x), rax ; punpcklqdq Rx(x), Rx(x));
    }
}

/// Lane-wise op on xmm`x` with xmm`y` for the integer instruction families that have every
/// element size (add, sub, compare-equal, interleave).
macro_rules! by_es {
    ($c:expr, $es:expr, $x:expr, $y:expr, $b:ident, $w:ident, $d:ident, $q:ident) => {
        match $es {
            8 => dynasm!($c.a ; .arch x64 ; $b Rx($x), Rx($y)),
            16 => dynasm!($c.a ; .arch x64 ; $w Rx($x), Rx($y)),
            32 => dynasm!($c.a ; .arch x64 ; $d Rx($x), Rx($y)),
            _ => dynasm!($c.a ; .arch x64 ; $q Rx($x), Rx($y)),
        }
    };
}
use by_es;

fn add(c: &mut Ctx, es: u32, x: u8, y: u8) {
    by_es!(c, es, x, y, paddb, paddw, paddd, paddq);
}

fn sub(c: &mut Ctx, es: u32, x: u8, y: u8) {
    by_es!(c, es, x, y, psubb, psubw, psubd, psubq);
}

/// xmm`x` <<= `s` per lane (zero when `s >= es`); `t` is scratch for byte lanes.
fn shl(c: &mut Ctx, es: u32, x: u8, s: u32, t: u8) {
    if s >= es {
        return zero(c, x);
    }
    if s == 0 {
        return;
    }
    let k = s as i8;
    match es {
        8 => {
            dynasm!(c.a ; .arch x64 ; psllw Rx(x), k);
            splat(c, t, 8, 0xff << s);
            dynasm!(c.a ; .arch x64 ; pand Rx(x), Rx(t));
        }
        16 => dynasm!(c.a ; .arch x64 ; psllw Rx(x), k),
        32 => dynasm!(c.a ; .arch x64 ; pslld Rx(x), k),
        _ => dynasm!(c.a ; .arch x64 ; psllq Rx(x), k),
    }
}

/// xmm`x` >>= `s` per lane, logical (zero when `s >= es`); `t` is scratch for byte lanes.
fn lsr(c: &mut Ctx, es: u32, x: u8, s: u32, t: u8) {
    if s >= es {
        return zero(c, x);
    }
    if s == 0 {
        return;
    }
    let k = s as i8;
    match es {
        8 => {
            dynasm!(c.a ; .arch x64 ; psrlw Rx(x), k);
            splat(c, t, 8, 0xff >> s);
            dynasm!(c.a ; .arch x64 ; pand Rx(x), Rx(t));
        }
        16 => dynasm!(c.a ; .arch x64 ; psrlw Rx(x), k),
        32 => dynasm!(c.a ; .arch x64 ; psrld Rx(x), k),
        _ => dynasm!(c.a ; .arch x64 ; psrlq Rx(x), k),
    }
}

/// xmm`d` = each lane of xmm`x` < 0 ? all ones : 0 (`d != x`).
fn sign_mask(c: &mut Ctx, es: u32, d: u8, x: u8) {
    match es {
        8 => dynasm!(c.a ; .arch x64 ; pxor Rx(d), Rx(d) ; pcmpgtb Rx(d), Rx(x)),
        16 => dynasm!(c.a ; .arch x64 ; movdqa Rx(d), Rx(x) ; psraw Rx(d), 15),
        32 => dynasm!(c.a ; .arch x64 ; movdqa Rx(d), Rx(x) ; psrad Rx(d), 31),
        _ => dynasm!(c.a ; .arch x64 ; pshufd Rx(d), Rx(x), 0xf5u8 as i8 ; psrad Rx(d), 31),
    }
}

/// xmm`x` >>= `s` per lane, arithmetic (the amount saturates at es - 1); `t` is scratch.
fn asr(c: &mut Ctx, es: u32, x: u8, s: u32, t: u8) {
    let s = s.min(es - 1);
    if s == 0 {
        return;
    }
    let k = s as i8;
    match es {
        8 => {
            // Logical shift, then sign-extend from bit 7 - s: (v ^ m) - m.
            lsr(c, 8, x, s, t);
            splat(c, t, 8, 0x80 >> s);
            dynasm!(c.a ; .arch x64 ; pxor Rx(x), Rx(t) ; psubb Rx(x), Rx(t));
        }
        16 => dynasm!(c.a ; .arch x64 ; psraw Rx(x), k),
        32 => dynasm!(c.a ; .arch x64 ; psrad Rx(x), k),
        _ => {
            sign_mask(c, 64, t, x);
            if s == 63 {
                mov(c, x, t);
            } else {
                dynasm!(c.a ; .arch x64 ; psrlq Rx(x), k ; psllq Rx(t), (64 - s) as i8 ; por Rx(x), Rx(t));
            }
        }
    }
}

/// xmm`x` = lanes of xmm`x` == xmm`y` (all ones / zero); `t` is scratch.
fn eq(c: &mut Ctx, es: u32, x: u8, y: u8, t: u8) {
    if es == 64 && !feats().sse41 {
        dynasm!(c.a ; .arch x64
            ; pcmpeqd Rx(x), Rx(y) ; pshufd Rx(t), Rx(x), 0xb1u8 as i8 ; pand Rx(x), Rx(t));
        return;
    }
    by_es!(c, es, x, y, pcmpeqb, pcmpeqw, pcmpeqd, pcmpeqq);
}

/// xmm`x` = lanes of xmm`x` > xmm`y`, signed or unsigned. Clobbers xmm`y` and scratch
/// `t[0..2]`.
fn gt(c: &mut Ctx, es: u32, signed: bool, x: u8, y: u8, t: [u8; 2]) {
    let native = es < 64 || feats().sse42;
    if !signed || !native {
        // Unsigned order is signed order with the sign bits flipped. Without pcmpgtq the
        // 64-bit compare is built from dword compares: hi > || (hi == && lo >u), so the low
        // dword is always biased and the high one only for unsigned compares.
        let bias = match (native, signed) {
            (true, _) => 1u64 << (es - 1),
            (false, true) => 0x8000_0000,
            (false, false) => 0x8000_0000_8000_0000,
        };
        splat(c, t[0], es, bias);
        dynasm!(c.a ; .arch x64 ; pxor Rx(x), Rx(t[0]) ; pxor Rx(y), Rx(t[0]));
    }
    match es {
        8 => dynasm!(c.a ; .arch x64 ; pcmpgtb Rx(x), Rx(y)),
        16 => dynasm!(c.a ; .arch x64 ; pcmpgtw Rx(x), Rx(y)),
        32 => dynasm!(c.a ; .arch x64 ; pcmpgtd Rx(x), Rx(y)),
        _ if native => dynasm!(c.a ; .arch x64 ; pcmpgtq Rx(x), Rx(y)),
        _ => dynasm!(c.a ; .arch x64
            ; movdqa Rx(t[0]), Rx(x) ; pcmpgtd Rx(t[0]), Rx(y)
            ; pcmpeqd Rx(x), Rx(y)
            ; pshufd Rx(t[1]), Rx(t[0]), 0xa0u8 as i8
            ; pand Rx(x), Rx(t[1]) ; por Rx(x), Rx(t[0])
            ; pshufd Rx(x), Rx(x), 0xf5u8 as i8),
    }
}

/// xmm`x` = m ? xmm`x` : xmm`y` lane-wise, with the mask in xmm`m` (clobbered).
fn select(c: &mut Ctx, m: u8, x: u8, y: u8) {
    dynasm!(c.a ; .arch x64 ; pand Rx(x), Rx(m) ; pandn Rx(m), Rx(y) ; por Rx(x), Rx(m));
}

/// xmm`x` = min or max of xmm`x` and xmm`y` (preserved), signed or unsigned; scratch
/// `t[0..4]`.
fn minmax(c: &mut Ctx, es: u32, signed: bool, max: bool, x: u8, y: u8, t: [u8; 4]) {
    let f = feats();
    match (es, signed, max) {
        (8, false, false) => return dynasm!(c.a ; .arch x64 ; pminub Rx(x), Rx(y)),
        (8, false, true) => return dynasm!(c.a ; .arch x64 ; pmaxub Rx(x), Rx(y)),
        (16, true, false) => return dynasm!(c.a ; .arch x64 ; pminsw Rx(x), Rx(y)),
        (16, true, true) => return dynasm!(c.a ; .arch x64 ; pmaxsw Rx(x), Rx(y)),
        (8, true, false) if f.sse41 => return dynasm!(c.a ; .arch x64 ; pminsb Rx(x), Rx(y)),
        (8, true, true) if f.sse41 => return dynasm!(c.a ; .arch x64 ; pmaxsb Rx(x), Rx(y)),
        (16, false, false) if f.sse41 => return dynasm!(c.a ; .arch x64 ; pminuw Rx(x), Rx(y)),
        (16, false, true) if f.sse41 => return dynasm!(c.a ; .arch x64 ; pmaxuw Rx(x), Rx(y)),
        (32, false, false) if f.sse41 => return dynasm!(c.a ; .arch x64 ; pminud Rx(x), Rx(y)),
        (32, false, true) if f.sse41 => return dynasm!(c.a ; .arch x64 ; pmaxud Rx(x), Rx(y)),
        (32, true, false) if f.sse41 => return dynasm!(c.a ; .arch x64 ; pminsd Rx(x), Rx(y)),
        (32, true, true) if f.sse41 => return dynasm!(c.a ; .arch x64 ; pmaxsd Rx(x), Rx(y)),
        _ => {}
    }
    // m = x > y; max = m ? x : y, min = m ? y : x.
    let (m, yy) = (t[0], t[1]);
    mov(c, m, x);
    mov(c, yy, y);
    gt(c, es, signed, m, yy, [t[2], t[3]]);
    if max {
        select(c, m, x, y);
    } else {
        mov(c, yy, y);
        select(c, m, yy, x);
        mov(c, x, yy);
    }
}
