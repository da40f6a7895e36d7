//! Edge cases of the division, high-multiply, bit-count and carry emitters (emit/int_ext.rs): every op
//! at I32 and I64 over all pairs of boundary operands (0, 1, -1, MIN, MAX, a few others), one
//! block per op and type, run on the interpreter and the JIT; the results must agree.

use emu_core::cpu::{off, CpuState};
use emu_core::guest::Arch;
use emu_core::ir::{Block, Op, Term, Ty, Val};
use emu_core::tb::BlockCache;
use remu_backend_x86_64::Jit;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

mod common;
use common::{run_both, TableGuest};

fn edges(ty: Ty) -> Vec<u64> {
    let m = if ty == Ty::I32 { 0xffff_ffff } else { u64::MAX };
    let min = if ty == Ty::I32 { 0x8000_0000 } else { 1 << 63 };
    [0, 1, 2, 3, 7, m, m - 1, min, min - 1, min + 1, 0x1234_5678_9abc_def1 & m, 0xff00 & m]
        .into_iter()
        .map(|v| v & m)
        .collect()
}

type MakeOp = fn(Val, Val) -> Op;

#[test]
fn division_and_bit_count_edges_agree() {
    let ops: [(&str, MakeOp); 14] = [
        ("divu", |a, b| Op::DivU { a, b }),
        ("divs", |a, b| Op::DivS { a, b }),
        ("remu", |a, b| Op::RemU { a, b }),
        ("rems", |a, b| Op::RemS { a, b }),
        ("mulhu", |a, b| Op::MulHiU { a, b }),
        ("mulhs", |a, b| Op::MulHiS { a, b }),
        ("orn", |a, b| Op::OrNot { a, b }),
        ("xorn", |a, b| Op::XorNot { a, b }),
        ("clz", |a, _| Op::Clz { a }),
        ("ctz", |a, _| Op::Ctz { a }),
        ("popcnt", |a, _| Op::Popcnt { a }),
        ("bswap", |a, _| Op::Bswap { a }),
        ("cls", |a, _| Op::Cls { a }),
        ("rbit", |a, _| Op::Rbit { a }),
    ];
    let guest = Arc::new(TableGuest(Mutex::new(HashMap::new())));
    let mut jit = Jit::new(guest.clone(), Arc::new(BlockCache::new())).expect("jit");
    let mut failures = Vec::new();
    let mut pc = 0x10_0000;
    for ty in [Ty::I32, Ty::I64] {
        let vals = edges(ty);
        for (name, make) in ops {
            // One block: every (a, b) pair from state words, results into x0..x31 rotating.
            for (i, &a) in vals.iter().enumerate() {
                pc += 0x100;
                let mut b = Block::new(Arch::Aarch64, pc);
                let mut start = CpuState::default();
                start.x[30] = a;
                for (j, &y) in vals.iter().enumerate() {
                    start.x[j] = y;
                }
                let x = b.get(ty, off::x(30));
                for j in 0..vals.len() {
                    let y = b.get(ty, off::x(j));
                    let r = b.push(ty, make(x, y));
                    let r = if ty == Ty::I32 { b.push(Ty::I64, Op::Zext { a: r }) } else { r };
                    b.set(off::x(j), r);
                }
                b.term = Term::Jump { target: pc + 0x80 };
                b.end = pc + 4;
                let (c_ref, next, c_jit) = run_both(&mut jit, &guest, &b, &start, || {});
                if c_ref.x != c_jit.x || c_jit.pc != next + 1 {
                    let bad: Vec<String> = (0..vals.len())
                        .filter(|&j| c_ref.x[j] != c_jit.x[j])
                        .map(|j| {
                            format!(
                                "{name}.{ty:?}({a:#x}, {:#x}) = {:#x}, JIT {:#x}",
                                vals[j], c_ref.x[j], c_jit.x[j]
                            )
                        })
                        .collect();
                    failures.push(format!("{i}: {}", bad.join("; ")));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn add_and_subtract_with_carry_edges_agree() {
    // ADC/SBC with the carry clear and set (and the other NZCV bits both ways).
    let guest = Arc::new(TableGuest(Mutex::new(HashMap::new())));
    let mut jit = Jit::new(guest.clone(), Arc::new(BlockCache::new())).expect("jit");
    let mut failures = Vec::new();
    let mut pc = 0x20_0000;
    for ty in [Ty::I32, Ty::I64] {
        let vals = edges(ty);
        for nzcv in [0u64, 0x2000_0000, 0xd000_0000, 0xf000_0000] {
            for sub in [false, true] {
                for &a in &vals {
                    pc += 0x100;
                    let mut b = Block::new(Arch::Aarch64, pc);
                    let mut start = CpuState::default();
                    start.x[30] = a;
                    start.nzcv = nzcv;
                    for (j, &y) in vals.iter().enumerate() {
                        start.x[j] = y;
                    }
                    let x = b.get(ty, off::x(30));
                    let flags = b.get(Ty::I32, off::NZCV);
                    for j in 0..vals.len() {
                        let y = b.get(ty, off::x(j));
                        let op = if sub {
                            Op::Sbc { a: x, b: y, nzcv: flags }
                        } else {
                            Op::Adc { a: x, b: y, nzcv: flags }
                        };
                        let r = b.push(ty, op);
                        let r = if ty == Ty::I32 { b.push(Ty::I64, Op::Zext { a: r }) } else { r };
                        b.set(off::x(j), r);
                    }
                    b.term = Term::Jump { target: pc + 0x80 };
                    b.end = pc + 4;
                    let (c_ref, next, c_jit) = run_both(&mut jit, &guest, &b, &start, || {});
                    if c_ref.x != c_jit.x || c_jit.pc != next + 1 {
                        let name = if sub { "sbc" } else { "adc" };
                        failures.push(format!(
                            "{name}.{ty:?}({a:#x}, nzcv {nzcv:#x}): {:x?} vs JIT {:x?}",
                            c_ref.x, c_jit.x
                        ));
                    }
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
