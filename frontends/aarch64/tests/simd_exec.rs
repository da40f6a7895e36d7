//! Execution tests for the AdvSIMD and scalar FP translation: each case is one instruction run
//! through the IR interpreter (`emu_core::interp::exec_block`) from a fixed input state, checked
//! against V0, V1, X0 and NZCV as produced by qemu-aarch64 on the same inputs (the expected
//! values were generated once with the cross assembler and qemu; cargo tests need neither).
//! Inputs: V0..V3 from one of the sets below, X1 from the set, X0 = 0x77, NZCV = 0x6000_0000.

use emu_core::interp::exec_block;
use emu_core::ir::verify;
use emu_core::tb::BlockCache;
use emu_core::CpuState;
use remu_aarch64::translate::translate_block;

struct Inputs {
    v: [u128; 4],
    x1: u64,
}

fn f32s(v: [f32; 4]) -> u128 {
    v.iter().enumerate().fold(0, |r, (i, x)| r | (x.to_bits() as u128) << (32 * i))
}

fn f64s(v: [f64; 2]) -> u128 {
    (v[1].to_bits() as u128) << 64 | v[0].to_bits() as u128
}

fn bytes(f: impl Fn(u8) -> u8) -> u128 {
    u128::from_le_bytes(core::array::from_fn(|i| f(i as u8)))
}

fn int_inputs() -> Inputs {
    Inputs {
        v: [
            bytes(|i| 0xf0 + i),
            bytes(|i| i.wrapping_mul(37).wrapping_add(5)),
            bytes(|i| if i % 3 != 0 { i.wrapping_mul(11).wrapping_add(0x80) } else { 0 }),
            u128::from_le_bytes([3, 17, 0, 31, 255, 1, 16, 8, 2, 9, 30, 4, 6, 7, 5, 12]),
        ],
        x1: 0x8000_0000_1234_5678,
    }
}

fn fs_inputs() -> Inputs {
    Inputs {
        v: [
            f32s([0.5, -1.0, 7.0, -0.0]),
            f32s([1.5, -2.25, 3.0, 100.0]),
            f32s([2.0, -2.25, -3.0, 0.1]),
            f32s([1.0, 2.0, 3.0, 4.0]),
        ],
        x1: 0xffff_ffff_ffff_fff9,
    }
}

fn fd_inputs() -> Inputs {
    Inputs {
        v: [f64s([0.5, -4.0]), f64s([2.75, -1.5]), f64s([-1.25, 8.0]), f64s([3.0, 0.0])],
        x1: 0xffff_ffff_ffff_fff9,
    }
}

/// Run `code` (followed by `b .`) once from `cpu`.
fn run(code: &[u32], cpu: &mut CpuState) {
    let mut words = code.to_vec();
    words.push(0x1400_0000);
    let pc = words.as_ptr() as u64;
    let b = translate_block(pc);
    verify(&b).unwrap_or_else(|e| panic!("{:#010x}: {e}", code[0]));
    assert!(
        !matches!(b.term, emu_core::ir::Term::Trap { .. }),
        "{:#010x} did not translate: {:?}",
        code[0],
        b.term
    );
    let cache = BlockCache::new();
    let mut vals = Vec::new();
    exec_block(&b, cpu, &mut vals, &cache);
}

fn v(cpu: &CpuState, n: usize) -> u128 {
    (cpu.v[n][1] as u128) << 64 | cpu.v[n][0] as u128
}

fn set_v(cpu: &mut CpuState, n: usize, x: u128) {
    cpu.v[n] = [x as u64, (x >> 64) as u64];
}

#[derive(Clone, Copy)]
enum Set {
    Int,
    Fs,
    Fd,
}
use Set::{Fd as FD, Fs as FS, Int as INT};

/// (encoding, assembly, input set, V0, V1, X0, NZCV) after the instruction.
type Case = (u32, &'static str, Set, u128, u128, u64, u64);

const CASES: &[Case] = &[
    (
        0x4e228420,
        "add v0.16b, v1.16b, v2.16b",
        INT,
        0x3025f5c195655205d5e3754574e5b505,
        0x300be6c19c77522d08e3be99744f2a05,
        0x77,
        0x60000000,
    ),
    (
        0x6ea28420,
        "sub v0.4s, v1.4s, v2.4s",
        INT,
        0x2ff1d7c1a28951553be306ed73b89f05,
        0x300be6c19c77522d08e3be99744f2a05,
        0x77,
        0x60000000,
    ),
    (
        0x6e228c20,
        "cmeq v0.16b, v1.16b, v2.16b",
        INT,
        0x0,
        0x300be6c19c77522d08e3be99744f2a05,
        0x77,
        0x60000000,
    ),
    (
        0x2e223420,
        "cmhi v0.8b, v1.8b, v2.8b",
        INT,
        0xffff00ff0000ff,
        0x300be6c19c77522d08e3be99744f2a05,
        0x77,
        0x60000000,
    ),
    (0x4e209820, "cmeq v0.16b, v1.16b, #0", INT, 0x0, 0x300be6c19c77522d08e3be99744f2a05, 0x77, 0x60000000),
    (
        0x4e221c20,
        "and v0.16b, v1.16b, v2.16b",
        INT,
        0xa0600986600080800b68800060a00,
        0x300be6c19c77522d08e3be99744f2a05,
        0x77,
        0x60000000,
    ),
    (
        0x6e621c20,
        "bsl v0.16b, v1.16b, v2.16b",
        INT,
        0x300ae6c09876502808e2b69870462a00,
        0x300be6c19c77522d08e3be99744f2a05,
        0x77,
        0x60000000,
    ),
    (
        0x6ee21c20,
        "bif v0.16b, v1.16b, v2.16b",
        INT,
        0x301bedc1fdfb52fdc5e3bdb574dba105,
        0x300be6c19c77522d08e3be99744f2a05,
        0x77,
        0x60000000,
    ),
    (
        0x4e22bc20,
        "addp v0.16b, v1.16b, v2.16b",
        INT,
        0x1a0fe7d8cd63968b3ba7137feb57c32f,
        0x300be6c19c77522d08e3be99744f2a05,
        0x77,
        0x60000000,
    ),
    (
        0x0e22bc20,
        "addp v0.8b, v1.8b, v2.8b",
        INT,
        0xcd63968beb57c32f,
        0x300be6c19c77522d08e3be99744f2a05,
        0x77,
        0x60000000,
    ),
    (
        0x6e22a420,
        "umaxp v0.16b, v1.16b, v2.16b",
        INT,
        0x1a0ff9d8cdb7968b30e69c52e3be742a,
        0x300be6c19c77522d08e3be99744f2a05,
        0x77,
        0x60000000,
    ),
    (
        0x6ea2ac20,
        "uminp v0.4s, v1.4s, v2.4s",
        INT,
        0x1a0f0000968b00300be6c108e3be99,
        0x300be6c19c77522d08e3be99744f2a05,
        0x77,
        0x60000000,
    ),
    (
        0x5ef1b820,
        "addp d0, v1.2d",
        INT,
        0x38efa55b10c67c32,
        0x300be6c19c77522d08e3be99744f2a05,
        0x77,
        0x60000000,
    ),
    (0x2e30a820, "umaxv b0, v1.8b", INT, 0xe3, 0x300be6c19c77522d08e3be99744f2a05, 0x77, 0x60000000),
    (0x6e31a820, "uminv b0, v1.16b", INT, 0x5, 0x300be6c19c77522d08e3be99744f2a05, 0x77, 0x60000000),
    (0x4e31b820, "addv b0, v1.16b", INT, 0xa8, 0x300be6c19c77522d08e3be99744f2a05, 0x77, 0x60000000),
    (0x6e303820, "uaddlv h0, v1.16b", INT, 0x6a8, 0x300be6c19c77522d08e3be99744f2a05, 0x77, 0x60000000),
    (
        0x4e010c20,
        "dup v0.16b, w1",
        INT,
        0x78787878787878787878787878787878,
        0x300be6c19c77522d08e3be99744f2a05,
        0x77,
        0x60000000,
    ),
    (
        0x4e140420,
        "dup v0.4s, v1.s[2]",
        INT,
        0x9c77522d9c77522d9c77522d9c77522d,
        0x300be6c19c77522d08e3be99744f2a05,
        0x77,
        0x60000000,
    ),
    (
        0x0e0b3c20,
        "umov w0, v1.b[5]",
        INT,
        0xfffefdfcfbfaf9f8f7f6f5f4f3f2f1f0,
        0x300be6c19c77522d08e3be99744f2a05,
        0xbe,
        0x60000000,
    ),
    (
        0x4e062c20,
        "smov x0, v1.h[1]",
        INT,
        0xfffefdfcfbfaf9f8f7f6f5f4f3f2f1f0,
        0x300be6c19c77522d08e3be99744f2a05,
        0x744f,
        0x60000000,
    ),
    (
        0x4e141c20,
        "mov v0.s[2], w1",
        INT,
        0xfffefdfc12345678f7f6f5f4f3f2f1f0,
        0x300be6c19c77522d08e3be99744f2a05,
        0x77,
        0x60000000,
    ),
    (
        0x6e1f0420,
        "mov v0.b[15], v1.b[0]",
        INT,
        0x5fefdfcfbfaf9f8f7f6f5f4f3f2f1f0,
        0x300be6c19c77522d08e3be99744f2a05,
        0x77,
        0x60000000,
    ),
    (
        0x4f02e400,
        "movi v0.16b, #0x40",
        INT,
        0x40404040404040404040404040404040,
        0x300be6c19c77522d08e3be99744f2a05,
        0x77,
        0x60000000,
    ),
    (
        0x6f05e540,
        "movi v0.2d, #0xff00ff00ff00ff00",
        INT,
        0xff00ff00ff00ff00ff00ff00ff00ff00,
        0x300be6c19c77522d08e3be99744f2a05,
        0x77,
        0x60000000,
    ),
    (
        0x6f002420,
        "mvni v0.4s, #0x1, lsl #8",
        INT,
        0xfffffefffffffefffffffefffffffeff,
        0x300be6c19c77522d08e3be99744f2a05,
        0x77,
        0x60000000,
    ),
    (
        0x2f0797e0,
        "bic v0.4h, #0xff",
        INT,
        0xf700f500f300f100,
        0x300be6c19c77522d08e3be99744f2a05,
        0x77,
        0x60000000,
    ),
    (
        0x0f0c8420,
        "shrn v0.8b, v1.8h, #4",
        INT,
        0x6cc7228ee944a0,
        0x300be6c19c77522d08e3be99744f2a05,
        0x77,
        0x60000000,
    ),
    (
        0x4f0c8420,
        "shrn2 v0.16b, v1.8h, #4",
        INT,
        0x6cc7228ee944a0f7f6f5f4f3f2f1f0,
        0x300be6c19c77522d08e3be99744f2a05,
        0x77,
        0x60000000,
    ),
    (
        0x6f7d0420,
        "ushr v0.2d, v1.2d, #3",
        INT,
        0x6017cd8338eea45011c77d32e89e540,
        0x300be6c19c77522d08e3be99744f2a05,
        0x77,
        0x60000000,
    ),
    (
        0x4f285420,
        "shl v0.4s, v1.4s, #8",
        INT,
        0xbe6c10077522d00e3be99004f2a0500,
        0x300be6c19c77522d08e3be99744f2a05,
        0x77,
        0x60000000,
    ),
    (
        0x4f110420,
        "sshr v0.8h, v1.8h, #15",
        INT,
        0xffffffff00000000ffff00000000,
        0x300be6c19c77522d08e3be99744f2a05,
        0x77,
        0x60000000,
    ),
    (
        0x2f08a420,
        "uxtl v0.8h, v1.8b",
        INT,
        0x800e300be00990074004f002a0005,
        0x300be6c19c77522d08e3be99744f2a05,
        0x77,
        0x60000000,
    ),
    (
        0x6f12a420,
        "ushll2 v0.4s, v1.8h, #2",
        INT,
        0xc02c00039b04000271dc000148b4,
        0x300be6c19c77522d08e3be99744f2a05,
        0x77,
        0x60000000,
    ),
    (
        0x0e212820,
        "xtn v0.8b, v1.8h",
        INT,
        0xbc1772de3994f05,
        0x300be6c19c77522d08e3be99744f2a05,
        0x77,
        0x60000000,
    ),
    (
        0x6e021820,
        "ext v0.16b, v1.16b, v2.16b, #3",
        INT,
        0x968b00300be6c19c77522d08e3be9974,
        0x300be6c19c77522d08e3be99744f2a05,
        0x77,
        0x60000000,
    ),
    (
        0x2e022820,
        "ext v0.8b, v1.8b, v2.8b, #5",
        INT,
        0xac00968b0008e3be,
        0x300be6c19c77522d08e3be99744f2a05,
        0x77,
        0x60000000,
    ),
    (
        0x4e023820,
        "zip1 v0.16b, v1.16b, v2.16b",
        INT,
        0xcd0800e3b7beac990074964f8b2a0005,
        0x300be6c19c77522d08e3be99744f2a05,
        0x77,
        0x60000000,
    ),
    (
        0x0e027820,
        "zip2 v0.8b, v1.8b, v2.8b",
        INT,
        0xcd0800e3b7beac99,
        0x300be6c19c77522d08e3be99744f2a05,
        0x77,
        0x60000000,
    ),
    (
        0x0e021820,
        "uzp1 v0.8b, v1.8b, v2.8b",
        INT,
        0xac9600e3994f05,
        0x300be6c19c77522d08e3be99744f2a05,
        0x77,
        0x60000000,
    ),
    (
        0x4e825820,
        "uzp2 v0.4s, v1.4s, v2.4s",
        INT,
        0x1a0f00cd00b7ac300be6c108e3be99,
        0x300be6c19c77522d08e3be99744f2a05,
        0x77,
        0x60000000,
    ),
    (
        0x4e422820,
        "trn1 v0.8h, v1.8h, v2.8h",
        INT,
        0xf00e6c100d8522db7acbe998b002a05,
        0x300be6c19c77522d08e3be99744f2a05,
        0x77,
        0x60000000,
    ),
    (
        0x4e020020,
        "tbl v0.16b, {v1.16b}, v2.16b",
        INT,
        0x5003005000005000005000005000005,
        0x300be6c19c77522d08e3be99744f2a05,
        0x77,
        0x60000000,
    ),
    (
        0x0e032020,
        "tbl v0.8b, {v1.16b, v2.16b}, v3.8b",
        INT,
        0x2d002a0000058b74,
        0x300be6c19c77522d08e3be99744f2a05,
        0x77,
        0x60000000,
    ),
    (
        0x4e021020,
        "tbx v0.16b, {v1.16b}, v2.16b",
        INT,
        0x5fe3005fbfa05f8f705f5f405f2f105,
        0x300be6c19c77522d08e3be99744f2a05,
        0x77,
        0x60000000,
    ),
    (
        0x4e200820,
        "rev64 v0.16b, v1.16b",
        INT,
        0x2d52779cc1e60b30052a4f7499bee308,
        0x300be6c19c77522d08e3be99744f2a05,
        0x77,
        0x60000000,
    ),
    (
        0x6e600820,
        "rev32 v0.8h, v1.8h",
        INT,
        0xe6c1300b522d9c77be9908e32a05744f,
        0x300be6c19c77522d08e3be99744f2a05,
        0x77,
        0x60000000,
    ),
    (
        0x0e205820,
        "cnt v0.8b, v1.8b",
        INT,
        0x105060404050302,
        0x300be6c19c77522d08e3be99744f2a05,
        0x77,
        0x60000000,
    ),
    (
        0x6ea04820,
        "clz v0.4s, v1.4s",
        INT,
        0x2000000000000000400000001,
        0x300be6c19c77522d08e3be99744f2a05,
        0x77,
        0x60000000,
    ),
    (
        0x6e202820,
        "uaddlp v0.8h, v1.16b",
        INT,
        0x3b01a70113007f00eb015700c3002f,
        0x300be6c19c77522d08e3be99744f2a05,
        0x77,
        0x60000000,
    ),
    (
        0x4e629c20,
        "mul v0.8h, v1.8h, v2.8h",
        INT,
        0xe11e4f0035a255f8c7006dcc264ab700,
        0x300be6c19c77522d08e3be99744f2a05,
        0x77,
        0x60000000,
    ),
    (
        0x4ea29420,
        "mla v0.4s, v1.4s, v2.4s",
        INT,
        0x221e4cfc2b7e4ff0433a63c08eb1a8f0,
        0x300be6c19c77522d08e3be99744f2a05,
        0x77,
        0x60000000,
    ),
    (
        0x2ea2c020,
        "umull v0.2d, v1.2s, v2.2s",
        INT,
        0x71e66014b436dcc004465899abeb700,
        0x300be6c19c77522d08e3be99744f2a05,
        0x77,
        0x60000000,
    ),
    (
        0x6e205820,
        "mvn v0.16b, v1.16b",
        INT,
        0xcff4193e6388add2f71c41668bb0d5fa,
        0x300be6c19c77522d08e3be99744f2a05,
        0x77,
        0x60000000,
    ),
    (0x9e670020, "fmov d0, x1", FS, 0xfffffffffffffff9, 0x42c8000040400000c01000003fc00000, 0x77, 0x60000000),
    (0x9e670020, "fmov d0, x1", FD, 0xfffffffffffffff9, 0xbff80000000000004006000000000000, 0x77, 0x60000000),
    (
        0x9e660020,
        "fmov x0, d1",
        FS,
        0x8000000040e00000bf8000003f000000,
        0x42c8000040400000c01000003fc00000,
        0xc01000003fc00000,
        0x60000000,
    ),
    (
        0x9e660020,
        "fmov x0, d1",
        FD,
        0xc0100000000000003fe0000000000000,
        0xbff80000000000004006000000000000,
        0x4006000000000000,
        0x60000000,
    ),
    (
        0x9eaf0020,
        "fmov v0.d[1], x1",
        FS,
        0xfffffffffffffff9bf8000003f000000,
        0x42c8000040400000c01000003fc00000,
        0x77,
        0x60000000,
    ),
    (
        0x9eaf0020,
        "fmov v0.d[1], x1",
        FD,
        0xfffffffffffffff93fe0000000000000,
        0xbff80000000000004006000000000000,
        0x77,
        0x60000000,
    ),
    (
        0x9eae0020,
        "fmov x0, v1.d[1]",
        FS,
        0x8000000040e00000bf8000003f000000,
        0x42c8000040400000c01000003fc00000,
        0x42c8000040400000,
        0x60000000,
    ),
    (
        0x9eae0020,
        "fmov x0, v1.d[1]",
        FD,
        0xc0100000000000003fe0000000000000,
        0xbff80000000000004006000000000000,
        0xbff8000000000000,
        0x60000000,
    ),
    (
        0x4e22d420,
        "fadd v0.4s, v1.4s, v2.4s",
        FS,
        0x42c8333300000000c090000040600000,
        0x42c8000040400000c01000003fc00000,
        0x77,
        0x60000000,
    ),
    (
        0x4e22d420,
        "fadd v0.4s, v1.4s, v2.4s",
        FD,
        0x3f100000000000003e40000000000000,
        0xbff80000000000004006000000000000,
        0x77,
        0x60000000,
    ),
    (
        0x6e62dc20,
        "fmul v0.2d, v1.2d, v2.2d",
        FS,
        0x40a5999a8a03351c403000007fc000ff,
        0x42c8000040400000c01000003fc00000,
        0x77,
        0x60000000,
    ),
    (
        0x6e62dc20,
        "fmul v0.2d, v1.2d, v2.2d",
        FD,
        0xc028000000000000c00b800000000000,
        0xbff80000000000004006000000000000,
        0x77,
        0x60000000,
    ),
    (
        0x4e22cc20,
        "fmla v0.4s, v1.4s, v2.4s",
        FS,
        0x41200000c00000004082000040600000,
        0x42c8000040400000c01000003fc00000,
        0x77,
        0x60000000,
    ),
    (
        0x4e22cc20,
        "fmla v0.4s, v1.4s, v2.4s",
        FD,
        0xc0e3000000000000c00f700000000000,
        0xbff80000000000004006000000000000,
        0x77,
        0x60000000,
    ),
    (
        0x6ea2e420,
        "fcmgt v0.4s, v1.4s, v2.4s",
        FS,
        0xffffffffffffffff0000000000000000,
        0x42c8000040400000c01000003fc00000,
        0x77,
        0x60000000,
    ),
    (
        0x6ea2e420,
        "fcmgt v0.4s, v1.4s, v2.4s",
        FD,
        0xffffffff00000000,
        0xbff80000000000004006000000000000,
        0x77,
        0x60000000,
    ),
    (
        0x6e22d420,
        "faddp v0.4s, v1.4s, v2.4s",
        FS,
        0xc039999abe80000042ce0000bf400000,
        0x42c8000040400000c01000003fc00000,
        0x77,
        0x60000000,
    ),
    (
        0x6e22d420,
        "faddp v0.4s, v1.4s, v2.4s",
        FD,
        0x40200000bff40000bff8000040060000,
        0xbff80000000000004006000000000000,
        0x77,
        0x60000000,
    ),
    (
        0x1e622820,
        "fadd d0, d1, d2",
        FS,
        0xc02000003fe00000,
        0x42c8000040400000c01000003fc00000,
        0x77,
        0x60000000,
    ),
    (
        0x1e622820,
        "fadd d0, d1, d2",
        FD,
        0x3ff8000000000000,
        0xbff80000000000004006000000000000,
        0x77,
        0x60000000,
    ),
    (0x1e220820, "fmul s0, s1, s2", FS, 0x40400000, 0x42c8000040400000c01000003fc00000, 0x77, 0x60000000),
    (0x1e220820, "fmul s0, s1, s2", FD, 0x0, 0xbff80000000000004006000000000000, 0x77, 0x60000000),
    (
        0x1e61c020,
        "fsqrt d0, d1",
        FS,
        0x7ff8000000000000,
        0x42c8000040400000c01000003fc00000,
        0x77,
        0x60000000,
    ),
    (
        0x1e61c020,
        "fsqrt d0, d1",
        FD,
        0x3ffa887293fd6f34,
        0xbff80000000000004006000000000000,
        0x77,
        0x60000000,
    ),
    (0x1e214020, "fneg s0, s1", FS, 0xbfc00000, 0x42c8000040400000c01000003fc00000, 0x77, 0x60000000),
    (0x1e214020, "fneg s0, s1", FD, 0x80000000, 0xbff80000000000004006000000000000, 0x77, 0x60000000),
    (
        0x1f420c20,
        "fmadd d0, d1, d2, d3",
        FS,
        0x4032000087b000ff,
        0x42c8000040400000c01000003fc00000,
        0x77,
        0x60000000,
    ),
    (
        0x1f420c20,
        "fmadd d0, d1, d2, d3",
        FD,
        0xbfdc000000000000,
        0xbff80000000000004006000000000000,
        0x77,
        0x60000000,
    ),
    (
        0x1f628c20,
        "fnmsub d0, d1, d2, d3",
        FS,
        0x402c0000efa001fe,
        0x42c8000040400000c01000003fc00000,
        0x77,
        0x60000000,
    ),
    (
        0x1f628c20,
        "fnmsub d0, d1, d2, d3",
        FD,
        0xc019c00000000000,
        0xbff80000000000004006000000000000,
        0x77,
        0x60000000,
    ),
    (
        0x1e622020,
        "fcmp d1, d2",
        FS,
        0x8000000040e00000bf8000003f000000,
        0x42c8000040400000c01000003fc00000,
        0x77,
        0x20000000,
    ),
    (
        0x1e622020,
        "fcmp d1, d2",
        FD,
        0xc0100000000000003fe0000000000000,
        0xbff80000000000004006000000000000,
        0x77,
        0x20000000,
    ),
    (
        0x1e202028,
        "fcmp s1, #0.0",
        FS,
        0x8000000040e00000bf8000003f000000,
        0x42c8000040400000c01000003fc00000,
        0x77,
        0x20000000,
    ),
    (
        0x1e202028,
        "fcmp s1, #0.0",
        FD,
        0xc0100000000000003fe0000000000000,
        0xbff80000000000004006000000000000,
        0x77,
        0x60000000,
    ),
    (
        0x1e620422,
        "fccmp d1, d2, #0x2, eq",
        FS,
        0x8000000040e00000bf8000003f000000,
        0x42c8000040400000c01000003fc00000,
        0x77,
        0x20000000,
    ),
    (
        0x1e620422,
        "fccmp d1, d2, #0x2, eq",
        FD,
        0xc0100000000000003fe0000000000000,
        0xbff80000000000004006000000000000,
        0x77,
        0x20000000,
    ),
    (
        0x1e620c20,
        "fcsel d0, d1, d2, eq",
        FS,
        0xc01000003fc00000,
        0x42c8000040400000c01000003fc00000,
        0x77,
        0x60000000,
    ),
    (
        0x1e620c20,
        "fcsel d0, d1, d2, eq",
        FD,
        0x4006000000000000,
        0xbff80000000000004006000000000000,
        0x77,
        0x60000000,
    ),
    (
        0x1e2f1000,
        "fmov s0, #1.500000000000000000e+00",
        FS,
        0x3fc00000,
        0x42c8000040400000c01000003fc00000,
        0x77,
        0x60000000,
    ),
    (
        0x1e2f1000,
        "fmov s0, #1.500000000000000000e+00",
        FD,
        0x3fc00000,
        0xbff80000000000004006000000000000,
        0x77,
        0x60000000,
    ),
    (0x1e604020, "fmov d0, d1", FS, 0xc01000003fc00000, 0x42c8000040400000c01000003fc00000, 0x77, 0x60000000),
    (0x1e604020, "fmov d0, d1", FD, 0x4006000000000000, 0xbff80000000000004006000000000000, 0x77, 0x60000000),
    (0x1e22c020, "fcvt d0, s1", FS, 0x3ff8000000000000, 0x42c8000040400000c01000003fc00000, 0x77, 0x60000000),
    (0x1e22c020, "fcvt d0, s1", FD, 0x0, 0xbff80000000000004006000000000000, 0x77, 0x60000000),
    (0x1e624020, "fcvt s0, d1", FS, 0xc0800002, 0x42c8000040400000c01000003fc00000, 0x77, 0x60000000),
    (0x1e624020, "fcvt s0, d1", FD, 0x40300000, 0xbff80000000000004006000000000000, 0x77, 0x60000000),
    (
        0x1e654020,
        "frintm d0, d1",
        FS,
        0xc014000000000000,
        0x42c8000040400000c01000003fc00000,
        0x77,
        0x60000000,
    ),
    (
        0x1e654020,
        "frintm d0, d1",
        FD,
        0x4000000000000000,
        0xbff80000000000004006000000000000,
        0x77,
        0x60000000,
    ),
    (0x1e264020, "frinta s0, s1", FS, 0x40000000, 0x42c8000040400000c01000003fc00000, 0x77, 0x60000000),
    (0x1e264020, "frinta s0, s1", FD, 0x0, 0xbff80000000000004006000000000000, 0x77, 0x60000000),
    (
        0x9e620020,
        "scvtf d0, x1",
        FS,
        0xc01c000000000000,
        0x42c8000040400000c01000003fc00000,
        0x77,
        0x60000000,
    ),
    (
        0x9e620020,
        "scvtf d0, x1",
        FD,
        0xc01c000000000000,
        0xbff80000000000004006000000000000,
        0x77,
        0x60000000,
    ),
    (0x1e230020, "ucvtf s0, w1", FS, 0x4f800000, 0x42c8000040400000c01000003fc00000, 0x77, 0x60000000),
    (0x1e230020, "ucvtf s0, w1", FD, 0x4f800000, 0xbff80000000000004006000000000000, 0x77, 0x60000000),
    (
        0x1e42f020,
        "scvtf d0, w1, #4",
        FS,
        0xbfdc000000000000,
        0x42c8000040400000c01000003fc00000,
        0x77,
        0x60000000,
    ),
    (
        0x1e42f020,
        "scvtf d0, w1, #4",
        FD,
        0xbfdc000000000000,
        0xbff80000000000004006000000000000,
        0x77,
        0x60000000,
    ),
    (
        0x1e780020,
        "fcvtzs w0, d1",
        FS,
        0x8000000040e00000bf8000003f000000,
        0x42c8000040400000c01000003fc00000,
        0xfffffffc,
        0x60000000,
    ),
    (
        0x1e780020,
        "fcvtzs w0, d1",
        FD,
        0xc0100000000000003fe0000000000000,
        0xbff80000000000004006000000000000,
        0x2,
        0x60000000,
    ),
    (
        0x9e390020,
        "fcvtzu x0, s1",
        FS,
        0x8000000040e00000bf8000003f000000,
        0x42c8000040400000c01000003fc00000,
        0x1,
        0x60000000,
    ),
    (
        0x9e390020,
        "fcvtzu x0, s1",
        FD,
        0xc0100000000000003fe0000000000000,
        0xbff80000000000004006000000000000,
        0x0,
        0x60000000,
    ),
    (
        0x9e700020,
        "fcvtms x0, d1",
        FS,
        0x8000000040e00000bf8000003f000000,
        0x42c8000040400000c01000003fc00000,
        0xfffffffffffffffb,
        0x60000000,
    ),
    (
        0x9e700020,
        "fcvtms x0, d1",
        FD,
        0xc0100000000000003fe0000000000000,
        0xbff80000000000004006000000000000,
        0x2,
        0x60000000,
    ),
    (
        0x9e58e020,
        "fcvtzs x0, d1, #8",
        FS,
        0x8000000040e00000bf8000003f000000,
        0x42c8000040400000c01000003fc00000,
        0xfffffffffffffc00,
        0x60000000,
    ),
    (
        0x9e58e020,
        "fcvtzs x0, d1, #8",
        FD,
        0xc0100000000000003fe0000000000000,
        0xbff80000000000004006000000000000,
        0x2c0,
        0x60000000,
    ),
    (
        0x1e624820,
        "fmax d0, d1, d2",
        FS,
        0xc01000003fc00000,
        0x42c8000040400000c01000003fc00000,
        0x77,
        0x60000000,
    ),
    (
        0x1e624820,
        "fmax d0, d1, d2",
        FD,
        0x4006000000000000,
        0xbff80000000000004006000000000000,
        0x77,
        0x60000000,
    ),
    (0x1e227820, "fminnm s0, s1, s2", FS, 0x3fc00000, 0x42c8000040400000c01000003fc00000, 0x77, 0x60000000),
    (0x1e227820, "fminnm s0, s1, s2", FD, 0x0, 0xbff80000000000004006000000000000, 0x77, 0x60000000),
    (
        0x1e621820,
        "fdiv d0, d1, d2",
        FS,
        0x3fefffffff800002,
        0x42c8000040400000c01000003fc00000,
        0x77,
        0x60000000,
    ),
    (
        0x1e621820,
        "fdiv d0, d1, d2",
        FD,
        0xc00199999999999a,
        0xbff80000000000004006000000000000,
        0x77,
        0x60000000,
    ),
];

#[test]
fn register_cases_match_qemu() {
    let mut failures = Vec::new();
    for &(insn, asm, set, v0, v1, x0, nzcv) in CASES {
        let inp = match set {
            Set::Int => int_inputs(),
            Set::Fs => fs_inputs(),
            Set::Fd => fd_inputs(),
        };
        let mut cpu = CpuState::default();
        for (i, x) in inp.v.iter().enumerate() {
            set_v(&mut cpu, i, *x);
        }
        cpu.x[1] = inp.x1;
        cpu.x[0] = 0x77;
        cpu.nzcv = 0x6000_0000;
        run(&[insn], &mut cpu);
        let got = (v(&cpu, 0), v(&cpu, 1), cpu.x[0], cpu.nzcv);
        if got != (v0, v1, x0, nzcv) {
            failures.push(format!(
                "{insn:#010x} {asm}: got v0={:#x} v1={:#x} x0={:#x} nzcv={:#x}, want v0={v0:#x} v1={v1:#x} \
                 x0={x0:#x} nzcv={nzcv:#x}",
                got.0, got.1, got.2, got.3
            ));
        }
    }
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n"));
}

/// Structure loads and stores against a host buffer (identity-mapped guest memory): X0 holds
/// the buffer address, X2 a register post-increment.
#[test]
fn structure_loads_and_stores() {
    let mut buf: [u8; 64] = core::array::from_fn(|i| i as u8);
    let base = buf.as_mut_ptr() as u64;
    let seq = |from: u8| bytes(|i| from + i);
    let fresh = |cpu: &mut CpuState| {
        *cpu = CpuState::default();
        cpu.x[0] = base;
        cpu.x[2] = 5;
        for n in 0..4 {
            set_v(cpu, n, u128::MAX);
        }
    };
    let mut cpu = CpuState::default();

    fresh(&mut cpu);
    run(&[0x4c407000], &mut cpu); // ld1 {v0.16b}, [x0]
    assert_eq!(v(&cpu, 0), seq(0));

    fresh(&mut cpu);
    run(&[0x4cdfa000], &mut cpu); // ld1 {v0.16b, v1.16b}, [x0], #32
    assert_eq!((v(&cpu, 0), v(&cpu, 1), cpu.x[0]), (seq(0), seq(16), base + 32));

    fresh(&mut cpu);
    run(&[0x4d40c800], &mut cpu); // ld1r {v0.4s}, [x0]
    assert_eq!(v(&cpu, 0), 0x0302_0100_0302_0100_0302_0100_0302_0100);

    fresh(&mut cpu);
    run(&[0x0d405800], &mut cpu); // ld1 {v0.h}[3], [x0]: other lanes kept
    assert_eq!(v(&cpu, 0), !(0xffff << 48) | 0x0100 << 48);

    fresh(&mut cpu);
    run(&[0x0c408000], &mut cpu); // ld2 {v0.8b, v1.8b}, [x0]: de-interleave, top halves zero
    assert_eq!(v(&cpu, 0), u64::from_le_bytes([0, 2, 4, 6, 8, 10, 12, 14]) as u128);
    assert_eq!(v(&cpu, 1), u64::from_le_bytes([1, 3, 5, 7, 9, 11, 13, 15]) as u128);

    fresh(&mut cpu);
    set_v(&mut cpu, 0, 0x1122_3344_5566_7788_99aa_bbcc_ddee_ff00);
    run(&[0x0c827000], &mut cpu); // st1 {v0.8b}, [x0], x2
    assert_eq!(cpu.x[0], base + 5);
    assert_eq!(buf[..9], [0x00, 0xff, 0xee, 0xdd, 0xcc, 0xbb, 0xaa, 0x99, 8]);

    fresh(&mut cpu);
    set_v(&mut cpu, 0, 0xdead_beef_0000_0000);
    run(&[0x0d009000], &mut cpu); // st1 {v0.s}[1], [x0]
    assert_eq!(buf[..5], [0xef, 0xbe, 0xad, 0xde, 0xcc]); // byte 4 is from the ST1 above

    fresh(&mut cpu);
    for n in 0..4 {
        set_v(&mut cpu, n, u128::from_le_bytes([n as u8 + 1; 16]));
    }
    run(&[0x4c000800], &mut cpu); // st4 {v0.4s-v3.4s}, [x0]: interleaved by 32-bit element
    for (i, b) in buf.iter().enumerate() {
        assert_eq!(*b as usize, (i / 4) % 4 + 1, "byte {i}");
    }
}

/// Undefined and unimplemented encodings in the AdvSIMD/FP space end the block with SIGILL.
#[test]
fn reserved_forms_trap() {
    for insn in [
        0x0ee08420u32, // add v0.1d, v1.1d, v2.1d (reserved: 64-bit lanes need Q=1)
        0x1ee22820,    // fadd h0, h1, h2 (half precision, not implemented)
        0x0e605820,    // cnt v0.4h, v1.4h (reserved)
        0x4e402020,    // tbl with op2 != 00 (unallocated)
        0x0c401000,    // ld/st multiple with opcode 0001 (unallocated)
    ]
    .iter()
    {
        let words = [*insn, 0x1400_0000];
        let pc = words.as_ptr() as u64;
        let b = translate_block(pc);
        assert!(
            matches!(b.term, emu_core::ir::Term::Trap { kind: emu_core::ir::TrapKind::Undefined { .. }, .. }),
            "{insn:#010x} should be SIGILL, got {:?}",
            b.term
        );
    }
}
