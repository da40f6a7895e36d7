//! ADDHN/RADDHN/SUBHN/RSUBHN (AdvSIMD three different, "high narrow"): each instruction run on
//! the IR interpreter from fixed V0/V1/V2 and checked against qemu-aarch64's V2 for the same
//! inputs (recorded once from a static test program; the cargo test needs neither tool).
//! Debian's glibc uses ADDHN in its string routines, so `sort` and `sha256sum` depend on it.

use emu_core::interp::exec_block;
use emu_core::tb::BlockCache;
use emu_core::CpuState;
use remu_aarch64::translate::translate_block;

const A: u128 = 0x00ff8000ffff0001_8123fff07f01ffff;
const B: u128 = 0xffff80007fffffff_80ff00107f7f8001;
const D: u128 = 0x5555666677778888_1111222233334444;

/// (encoding, assembly, V2 after, as printed by qemu: high half, low half).
const CASES: &[(u32, &str, u64, u64)] = &[
    (0x0e214002, "addhn v2.8b, v0.8h, v1.8h", 0, 0x00007f000200fe80),
    (0x0e614002, "addhn v2.4h, v0.4s, v1.4s", 0, 0x00ff7fff0223fe81),
    (0x0ea14002, "addhn v2.2s, v0.2d, v1.2d", 0, 0x00ff000102230000),
    (0x4e214002, "addhn2 v2.16b, v0.8h, v1.8h", 0x00007f000200fe80, 0x1111222233334444),
    (0x2e214002, "raddhn v2.8b, v0.8h, v1.8h", 0, 0x010080000200ff80),
    (0x0e616002, "subhn v2.4h, v0.4s, v1.4s", 0, 0x01007fff0024ff82),
    (0x6ea16002, "rsubhn2 v2.4s, v0.2d, v1.2d", 0x010000000024ffe0, 0x1111222233334444),
];

#[test]
fn high_narrow_matches_qemu() {
    for &(insn, asm, hi, lo) in CASES {
        let code = [insn, 0xd4000001]; // the instruction, then svc #0 to end the block
        let b = translate_block(code.as_ptr() as u64);
        emu_core::ir::verify(&b).unwrap();
        let mut cpu = CpuState::default();
        for (i, v) in [A, B, D].into_iter().enumerate() {
            cpu.v[i] = [v as u64, (v >> 64) as u64];
        }
        exec_block(&b, &mut cpu, &mut Vec::new(), &BlockCache::new());
        assert_eq!(cpu.v[2], [lo, hi], "{asm}: got {:#x?}", cpu.v[2]);
    }
}
