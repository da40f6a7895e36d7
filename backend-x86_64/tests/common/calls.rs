//! Guest programs with calls and returns, built as IR for the [`TableGuest`]: recursion with the
//! link register saved on a guest stack (x31), a non-local exit, and a long chain of distinct
//! functions. Registers: x0 argument, x1 accumulator (order-sensitive, so a return to the wrong
//! place shows), x2 return count, x30 link register, x31 stack pointer.

use super::TableGuest;
use emu_core::cpu::off;
use emu_core::ir::{Block, BranchKind, Cmp, Term, Ty};
use emu_core::Arch;

/// Where the recursive function starts; `main` is at [`MAIN`].
pub const F: u64 = 0x1000;
pub const MAIN: u64 = 0x100;
/// `main` stops here: the TableGuest's empty block, a syscall, leaving pc at `STOP + 1`.
pub const STOP: u64 = 0x104;
/// Where the leaf goes instead of returning when x3 == 1 (an empty block: the run stops).
pub const PAUSE: u64 = 0x5000;
/// Where a non-local exit (x3 == 2) lands: `longjmp` to here, then one more call and return.
pub const LANDING: u64 = 0x6000;

fn block(pc: u64, len: u64) -> Block {
    let mut b = Block::new(Arch::Aarch64, pc);
    b.end = pc + len;
    b
}

/// x1 = x1 * 3 + k
fn mix(b: &mut Block, k: u64) {
    let x1 = b.get(Ty::I64, off::x(1));
    let k = b.iconst(Ty::I64, k);
    let two = b.add(Ty::I64, x1, x1);
    let three = b.add(Ty::I64, two, x1);
    let r = b.add(Ty::I64, three, k);
    b.set(off::x(1), r);
}

fn add_reg(b: &mut Block, reg: usize, k: i64) {
    let v = b.get(Ty::I64, off::x(reg));
    let k = b.iconst(Ty::I64, k as u64);
    let r = b.add(Ty::I64, v, k);
    b.set(off::x(reg), r);
}

/// Blocks of: `main: bl f; <stop>` and
/// `f(x0): if x0 == 0 { leaf } else { push lr; x0 -= 1; bl f; pop lr; x1 = 3*x1 + 5; ret }`,
/// where the leaf is `x1 = 3*x1 + 7; ret` (x3 == 1: jump to PAUSE first; x3 == 2: longjmp to
/// LANDING). Direct calls (`Term::Call`) when `indirect` is false, else `BLR` through x4.
pub fn recursion(indirect: bool) -> Vec<Block> {
    let mut out = Vec::new();
    let call = |b: &mut Block, target: u64, ret: u64| {
        let r = b.iconst(Ty::I64, ret);
        b.set(off::x(30), r);
        if indirect {
            let t = b.iconst(Ty::I64, target);
            b.set(off::x(4), t);
            let t = b.get(Ty::I64, off::x(4));
            b.end = ret;
            b.term = Term::Indirect { target: t, kind: BranchKind::Call };
        } else {
            b.term = Term::Call { target, ret };
        }
    };
    let ret = |b: &mut Block| {
        add_reg(b, 2, 1);
        let lr = b.get(Ty::I64, off::x(30));
        b.term = Term::Indirect { target: lr, kind: BranchKind::Return };
    };

    let mut m = block(MAIN, 4);
    call(&mut m, F, STOP);
    out.push(m);

    let mut f = block(F, 4);
    let x0 = f.get(Ty::I64, off::x(0));
    let zero = f.iconst(Ty::I64, 0);
    let c = f.icmp(Cmp::Eq, x0, zero);
    f.term = Term::Branch { cond: c, taken: F + 0x100, not_taken: F + 4 };
    out.push(f);

    let mut r = block(F + 4, 4);
    let sp = r.get(Ty::I64, off::x(31));
    let sixteen = r.iconst(Ty::I64, 16);
    let sp2 = r.sub(Ty::I64, sp, sixteen);
    let lr = r.get(Ty::I64, off::x(30));
    r.store(sp2, lr, 8);
    r.set(off::x(31), sp2);
    add_reg(&mut r, 0, -1);
    call(&mut r, F, F + 8);
    out.push(r);

    let mut after = block(F + 8, 4);
    let sp = after.get(Ty::I64, off::x(31));
    let lr = after.load(Ty::I64, sp, 8, false);
    after.set(off::x(30), lr);
    let sixteen = after.iconst(Ty::I64, 16);
    let sp2 = after.add(Ty::I64, sp, sixteen);
    after.set(off::x(31), sp2);
    mix(&mut after, 5);
    ret(&mut after);
    out.push(after);

    // leaf: x3 == 1 -> PAUSE, x3 == 2 -> longjmp, else return.
    let mut leaf = block(F + 0x100, 4);
    let x3 = leaf.get(Ty::I64, off::x(3));
    let one = leaf.iconst(Ty::I64, 1);
    let c = leaf.icmp(Cmp::Eq, x3, one);
    leaf.term = Term::Branch { cond: c, taken: PAUSE, not_taken: F + 0x104 };
    out.push(leaf);
    let mut leaf2 = block(F + 0x104, 4);
    let x3 = leaf2.get(Ty::I64, off::x(3));
    let two = leaf2.iconst(Ty::I64, 2);
    let c = leaf2.icmp(Cmp::Eq, x3, two);
    leaf2.term = Term::Branch { cond: c, taken: F + 0x10c, not_taken: F + 0x108 };
    out.push(leaf2);
    let mut leaf3 = block(F + 0x108, 4);
    mix(&mut leaf3, 7);
    ret(&mut leaf3);
    out.push(leaf3);
    // longjmp: restore the stack pointer saved in x5 and "return" to LANDING.
    let mut lj = block(F + 0x10c, 4);
    let saved = lj.get(Ty::I64, off::x(5));
    lj.set(off::x(31), saved);
    let t = lj.iconst(Ty::I64, LANDING);
    lj.term = Term::Indirect { target: t, kind: BranchKind::Return };
    out.push(lj);
    // After PAUSE's syscall the run resumes at PAUSE + 1, which returns from the leaf.
    let mut resume = block(PAUSE + 1, 4);
    mix(&mut resume, 7);
    ret(&mut resume);
    out.push(resume);
    // LANDING: x0 = 3; x3 = 0; bl f; then stop.
    let mut land = block(LANDING, 4);
    let three = land.iconst(Ty::I64, 3);
    land.set(off::x(0), three);
    let z = land.iconst(Ty::I64, 0);
    land.set(off::x(3), z);
    call(&mut land, F, STOP);
    out.push(land);
    out
}

/// `n` distinct functions, `g_i: push lr; x1 = 3*x1 + i; bl g_{i+1}; pop lr; x1 = 3*x1 + 1; ret`,
/// the last one returning at once; `main` calls g_0. Many blocks: fills a small code buffer.
pub fn chain(n: u64) -> Vec<Block> {
    let g = |i: u64| 0x10_0000 + i * 0x100;
    let mut out = Vec::new();
    let mut m = block(MAIN, 4);
    let r = m.iconst(Ty::I64, STOP);
    m.set(off::x(30), r);
    m.term = Term::Call { target: g(0), ret: STOP };
    out.push(m);
    for i in 0..n {
        let mut b = block(g(i), 4);
        if i + 1 == n {
            mix(&mut b, i);
            add_reg(&mut b, 2, 1);
            let lr = b.get(Ty::I64, off::x(30));
            b.term = Term::Indirect { target: lr, kind: BranchKind::Return };
            out.push(b);
            break;
        }
        let sp = b.get(Ty::I64, off::x(31));
        let sixteen = b.iconst(Ty::I64, 16);
        let sp2 = b.sub(Ty::I64, sp, sixteen);
        let lr = b.get(Ty::I64, off::x(30));
        b.store(sp2, lr, 8);
        b.set(off::x(31), sp2);
        mix(&mut b, i);
        let r = b.iconst(Ty::I64, g(i) + 4);
        b.set(off::x(30), r);
        b.term = Term::Call { target: g(i + 1), ret: g(i) + 4 };
        out.push(b);
        let mut a = block(g(i) + 4, 4);
        let sp = a.get(Ty::I64, off::x(31));
        let lr = a.load(Ty::I64, sp, 8, false);
        a.set(off::x(30), lr);
        let sixteen = a.iconst(Ty::I64, 16);
        let sp2 = a.add(Ty::I64, sp, sixteen);
        a.set(off::x(31), sp2);
        mix(&mut a, 1);
        add_reg(&mut a, 2, 1);
        let lr = a.get(Ty::I64, off::x(30));
        a.term = Term::Indirect { target: lr, kind: BranchKind::Return };
        out.push(a);
    }
    out
}

/// Put `blocks` into the guest's table.
pub fn install(g: &TableGuest, blocks: Vec<Block>) {
    let mut t = g.0.lock().unwrap();
    for b in blocks {
        t.insert(b.pc, b);
    }
}

/// A guest stack of `words` u64s; returns it with the initial stack pointer (its end).
pub fn stack(words: usize) -> (Vec<u64>, u64) {
    let v = vec![0u64; words];
    let top = v.as_ptr() as u64 + 8 * words as u64;
    (v, top)
}
