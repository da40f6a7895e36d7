//! Self-loops keep their loop-carried guest registers in host registers.
//!
//! A block that branches back to its own start is a whole loop (`crc = table[..] ^ crc >> 8`,
//! a SHA round, a string scan). Pinned registers (emit/pin.rs) already cross its back edge in
//! host registers, but every other guest register the loop carries goes through `CpuState` on
//! each iteration, and the store-to-load forwarding latency lands on the loop's dependency
//! chain. Here the block picks up to [`MAX`] unpinned guest registers that the loop reads before
//! writing and also writes (loop-carried), loads them into host registers once on entry, runs
//! every iteration on those registers (the back edge jumps past the loads), and writes them back
//! on the way out. Inside the block they behave exactly like pinned registers.
//!
//! Besides up to [`MAX`] of the allocator's registers, a loop borrows the host register of any
//! pinned guest register it never touches: the pinned value is stored to its state word on
//! entry and reloaded on exit.
//!
//! Only blocks whose ops are all emitted inline without calls qualify (a helper call would
//! clobber the caller-saved registers used here), and only registers every access of which is
//! a plain 32/64-bit read or 64-bit write. A fault inside the loop sees the registers through
//! the block's fault map, which lists them ([`crate::fault::PcMap::set_cached`]).

use emu_core::cpu::off;
use emu_core::ir::{Block, Op, Term, Ty};

/// Most caller-saved host registers given to a loop (the allocator keeps the other four).
pub const MAX: usize = 3;
/// Those registers, in order (caller-saved, which is why calls are excluded).
const HOST: [u8; MAX] = [11, 10, 9];

/// Whether `b` branches back to its own first instruction.
pub fn is_self_loop(b: &Block) -> bool {
    match b.term {
        Term::Jump { target } => target == b.pc,
        Term::Branch { taken, not_taken, .. } => taken == b.pc || not_taken == b.pc,
        _ => false,
    }
}

/// The registers to cache for self-loop `b` as (state offset, host register), most used
/// first; empty when the block does not qualify.
pub fn plan(b: &Block, pins: &[(u32, u8)]) -> Vec<(u32, u8)> {
    let pinned = |o: u32| pins.iter().any(|p| p.0 == o);
    let inline = |op: &Op| {
        (super::int::is_native(op) || super::int_ext::is_native(op)) && !matches!(op, Op::CodeInval { .. })
    };
    if !is_self_loop(b) || !b.insts.iter().all(|i| inline(&i.op)) {
        return Vec::new();
    }
    let xs = off::x(0)..off::x(32);
    // Per guest register: uses, read-before-write, written, and whether every access is plain.
    #[derive(Clone, Copy, Default)]
    struct Use {
        n: u32,
        read_first: bool,
        written: bool,
        bad: bool,
    }
    let mut regs = [Use::default(); 32];
    let flag_other = |o: u32, len: u32, regs: &mut [Use; 32]| {
        // Any access overlapping a register other than exactly at its start disqualifies it.
        for (k, r) in regs.iter_mut().enumerate() {
            let ro = off::x(k);
            if o < ro + 8 && ro < o + len && o != ro {
                r.bad = true;
            }
        }
    };
    for inst in &b.insts {
        match inst.op {
            Op::Get { off: o } if xs.contains(&o) => {
                flag_other(o, inst.ty.bits().max(8) / 8, &mut regs);
                if (o - xs.start) % 8 == 0 {
                    let r = &mut regs[((o - xs.start) / 8) as usize];
                    r.n += 1;
                    r.read_first |= !r.written;
                    r.bad |= !matches!(inst.ty, Ty::I32 | Ty::I64);
                }
            }
            Op::Set { off: o, v } if xs.contains(&o) => {
                flag_other(o, b.ty(v).bits().max(8) / 8, &mut regs);
                if (o - xs.start) % 8 == 0 {
                    let r = &mut regs[((o - xs.start) / 8) as usize];
                    r.n += 1;
                    r.written = true;
                    r.bad |= b.ty(v) != Ty::I64;
                }
            }
            _ => {}
        }
    }
    // Loop-carried registers first (their store-to-load round trip is on the loop's dependency
    // chain), then the others the loop reads or writes (a store or load per iteration saved),
    // most used first. A register the loop only writes is loaded on entry all the same, so the
    // write-back on an exit before its first write stores the value it had.
    let mut pick: Vec<(bool, u32, u32)> = (0..32)
        .filter(|&k| {
            let r = regs[k];
            !r.bad && r.n > 0 && !pinned(off::x(k))
        })
        .map(|k| (regs[k].read_first && regs[k].written, regs[k].n, off::x(k)))
        .collect();
    pick.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.cmp(&a.1)).then(a.2.cmp(&b.2)));
    // First the host registers of pinned guest registers the loop never touches (the pinned
    // value is parked in its state word meanwhile): free for the allocator. Then caller-saved
    // ones, each leaving the allocator one register fewer: only as many as the block's own
    // values leave free (a SHA round keeps all seven busy and would spill instead).
    let idle = |p: &&(u32, u8)| {
        let r = regs[((p.0 - xs.start) / 8) as usize];
        r.n == 0 && !r.bad
    };
    let idle_pins = pins.iter().filter(idle).map(|p| p.1);
    let room = ALLOCATABLE.saturating_sub(max_live(b));
    let hosts: Vec<u8> = idle_pins.chain(HOST.into_iter().take(room)).collect();
    pick.iter().zip(hosts).map(|(&(_, _, o), h)| (o, h)).collect()
}

/// The pinned guest register whose host register `host` a loop borrowed, if it is one.
pub fn parked(pins: &[(u32, u8)], host: u8) -> Option<u32> {
    pins.iter().find(|p| p.1 == host).map(|p| p.0)
}

/// Registers the allocator has when nothing is cached.
const ALLOCATABLE: usize = 7;

/// The most non-constant values live at once in `b` (a value lives from its definition to its
/// last use).
fn max_live(b: &Block) -> usize {
    let n = b.insts.len();
    let mut last = vec![0usize; n];
    for (i, inst) in b.insts.iter().enumerate() {
        inst.op.for_each_arg(|v| last[v.0 as usize] = i);
    }
    if let Term::Branch { cond, .. } = b.term {
        last[cond.0 as usize] = n;
    }
    // +1 at a definition that is used later, -1 after its last use.
    let mut delta = vec![0i32; n + 2];
    for (i, inst) in b.insts.iter().enumerate() {
        let konst = matches!(inst.op, Op::Const { .. } | Op::ConstV128 { .. });
        if last[i] > i && !konst && inst.ty != Ty::Void {
            delta[i] += 1;
            delta[last[i]] -= 1;
        }
    }
    let (mut live, mut most) = (0i32, 0i32);
    for d in delta {
        live += d;
        most = most.max(live);
    }
    most as usize
}
