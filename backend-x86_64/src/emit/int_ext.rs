//! Native emitters for the integer ops beyond the two-address ALU: division and remainder
//! (with the IR's results for a zero divisor and for MIN / -1), high halves of products, bit
//! counts (`lzcnt`, `tzcnt`, `popcnt` when the host has them), byte swap, OR-NOT and XOR-NOT,
//! add and subtract with carry (AArch64 ADC/SBC), bit reverse.
//!
//! Operands go to `rax`/`rcx` through the allocator, `rdx` is the third scratch register, and
//! the result leaves through `rax` ([`Ctx::def`]). I32 results are left zero-extended: 32-bit
//! x86 forms do that. The contract is `emu_core::interp` (`eval`), checked by tests/ir_diff.rs.

use super::regalloc::{Ctx, Scratch::*};
use dynasmrt::{dynasm, DynasmApi, DynasmLabelApi};
use emu_core::ir::{Inst, Op, Ty};

fn has(feature: &str) -> bool {
    if !super::vec::feats().native {
        return false;
    }
    match feature {
        "lzcnt" => std::arch::is_x86_feature_detected!("lzcnt"),
        "bmi1" => std::arch::is_x86_feature_detected!("bmi1"),
        _ => std::arch::is_x86_feature_detected!("popcnt"),
    }
}

/// Whether `op` is emitted here (at I32 and I64; the host feature permitting).
pub(super) fn is_native(op: &Op) -> bool {
    match op {
        Op::Clz { .. } => has("lzcnt"),
        Op::Ctz { .. } => has("bmi1"),
        Op::Popcnt { .. } => has("popcnt"),
        _ => super::family::family(op) == super::family::Family::IntExt,
    }
}

pub(super) fn emit(c: &mut Ctx, inst: &Inst) -> bool {
    if !matches!(inst.ty, Ty::I32 | Ty::I64) || !is_native(&inst.op) {
        return false;
    }
    let w64 = inst.ty == Ty::I64;
    match inst.op {
        // Bit reverse (AArch64 RBIT; the RISC-V frontend's fflags reordering): byte swap, then
        // swap nibbles, bit pairs and bits within each byte.
        Op::Rbit { a } => {
            c.ld(Rax, a);
            let steps: [(i8, u64); 3] =
                [(4, 0x0f0f_0f0f_0f0f_0f0f), (2, 0x3333_3333_3333_3333), (1, 0x5555_5555_5555_5555)];
            if w64 {
                dynasm!(c.a ; .arch x64 ; bswap rax);
                for (k, m) in steps {
                    dynasm!(c.a
                        ; .arch x64
                        ; mov rdx, QWORD m as i64
                        ; mov rcx, rax ; shr rax, k ; and rax, rdx ; and rcx, rdx ; shl rcx, k ; or rax, rcx
                    );
                }
            } else {
                dynasm!(c.a ; .arch x64 ; bswap eax);
                for (k, m) in steps {
                    dynasm!(c.a
                        ; .arch x64
                        ; mov ecx, eax ; shr eax, k ; and eax, m as u32 as i32 ; and ecx, m as u32 as i32
                        ; shl ecx, k ; or eax, ecx
                    );
                }
            }
        }
        // AArch64 ADC/SBC: C is NZCV bit 29; x86 `sbb` subtracts a borrow, which is !C.
        Op::Adc { a, b, nzcv } | Op::Sbc { a, b, nzcv } => {
            let sub = matches!(inst.op, Op::Sbc { .. });
            c.ld(Rax, a);
            c.ld(Rcx, b);
            c.ld(Rdx, nzcv);
            dynasm!(c.a ; .arch x64 ; bt edx, 29);
            match (sub, w64) {
                (false, true) => dynasm!(c.a ; .arch x64 ; adc rax, rcx),
                (false, false) => dynasm!(c.a ; .arch x64 ; adc eax, ecx),
                (true, true) => dynasm!(c.a ; .arch x64 ; cmc ; sbb rax, rcx),
                (true, false) => dynasm!(c.a ; .arch x64 ; cmc ; sbb eax, ecx),
            }
        }
        Op::DivU { a, b } | Op::RemU { a, b } => {
            let rem = matches!(inst.op, Op::RemU { .. });
            c.ld(Rax, a);
            c.ld(Rcx, b);
            let done = c.a.new_dynamic_label();
            // x / 0 = 0 and x % 0 = x.
            if rem {
                dynasm!(c.a ; .arch x64 ; test rcx, rcx ; jz =>done);
            } else {
                dynasm!(c.a ; .arch x64 ; mov edx, 0 ; test rcx, rcx ; cmovz rax, rdx ; jz =>done);
            }
            match w64 {
                true => dynasm!(c.a ; .arch x64 ; xor edx, edx ; div rcx),
                false => dynasm!(c.a ; .arch x64 ; xor edx, edx ; div ecx),
            }
            if rem {
                dynasm!(c.a ; .arch x64 ; mov rax, rdx);
            }
            dynasm!(c.a ; .arch x64 ; =>done);
        }
        Op::DivS { a, b } | Op::RemS { a, b } => {
            let rem = matches!(inst.op, Op::RemS { .. });
            c.ld(Rax, a);
            c.ld(Rcx, b);
            let (done, minus_one) = (c.a.new_dynamic_label(), c.a.new_dynamic_label());
            // x / 0 = 0, x % 0 = x; x / -1 = -x (MIN stays MIN), x % -1 = 0: no #DE either way.
            if rem {
                dynasm!(c.a ; .arch x64 ; test rcx, rcx ; jz =>done);
            } else {
                dynasm!(c.a ; .arch x64 ; mov edx, 0 ; test rcx, rcx ; cmovz rax, rdx ; jz =>done);
            }
            match w64 {
                true => dynasm!(c.a ; .arch x64 ; cmp rcx, -1 ; je =>minus_one ; cqo ; idiv rcx),
                false => dynasm!(c.a ; .arch x64 ; cmp ecx, -1 ; je =>minus_one ; cdq ; idiv ecx),
            }
            if rem {
                dynasm!(c.a ; .arch x64 ; mov rax, rdx);
            }
            dynasm!(c.a ; .arch x64 ; jmp =>done ; =>minus_one);
            match (rem, w64) {
                (true, _) => dynasm!(c.a ; .arch x64 ; xor eax, eax),
                (false, true) => dynasm!(c.a ; .arch x64 ; neg rax),
                (false, false) => dynasm!(c.a ; .arch x64 ; neg eax),
            }
            dynasm!(c.a ; .arch x64 ; =>done);
            if !w64 {
                dynasm!(c.a ; .arch x64 ; mov eax, eax);
            }
        }
        Op::MulHiU { a, b } => {
            c.ld(Rax, a);
            c.ld(Rcx, b);
            match w64 {
                true => dynasm!(c.a ; .arch x64 ; mul rcx ; mov rax, rdx),
                false => dynasm!(c.a ; .arch x64 ; imul rax, rcx ; shr rax, 32),
            }
        }
        Op::MulHiS { a, b } => {
            c.ld(Rax, a);
            c.ld(Rcx, b);
            match w64 {
                true => dynasm!(c.a ; .arch x64 ; imul rcx ; mov rax, rdx),
                false => dynasm!(c.a ; .arch x64
                    ; movsxd rax, eax ; movsxd rcx, ecx ; imul rax, rcx ; shr rax, 32),
            }
        }
        Op::OrNot { a, b } | Op::XorNot { a, b } => {
            c.ld(Rax, a);
            c.ld(Rcx, b);
            match (matches!(inst.op, Op::OrNot { .. }), w64) {
                (true, true) => dynasm!(c.a ; .arch x64 ; not rcx ; or rax, rcx),
                (true, false) => dynasm!(c.a ; .arch x64 ; not ecx ; or eax, ecx),
                (false, true) => dynasm!(c.a ; .arch x64 ; not rcx ; xor rax, rcx),
                (false, false) => dynasm!(c.a ; .arch x64 ; not ecx ; xor eax, ecx),
            }
        }
        Op::Clz { a } | Op::Ctz { a } | Op::Popcnt { a } | Op::Bswap { a } => {
            c.ld(Rcx, a);
            // lzcnt/tzcnt give the width for 0, as the IR does.
            match (&inst.op, w64) {
                (Op::Clz { .. }, true) => dynasm!(c.a ; .arch x64 ; lzcnt rax, rcx),
                (Op::Clz { .. }, false) => dynasm!(c.a ; .arch x64 ; lzcnt eax, ecx),
                (Op::Ctz { .. }, true) => dynasm!(c.a ; .arch x64 ; tzcnt rax, rcx),
                (Op::Ctz { .. }, false) => dynasm!(c.a ; .arch x64 ; tzcnt eax, ecx),
                (Op::Popcnt { .. }, true) => dynasm!(c.a ; .arch x64 ; popcnt rax, rcx),
                (Op::Popcnt { .. }, false) => dynasm!(c.a ; .arch x64 ; popcnt eax, ecx),
                (_, true) => dynasm!(c.a ; .arch x64 ; mov rax, rcx ; bswap rax),
                (_, false) => dynasm!(c.a ; .arch x64 ; mov eax, ecx ; bswap eax),
            }
        }
        _ => return false,
    }
    c.def();
    true
}
