//! Randomised execution tests against independent models written from the Arm ARM pseudocode:
//! SBFM/BFM/UBFM over every valid (N, immr, imms) with random operands (the translator maps
//! them onto extract/deposit ops, the model is the manual's wmask/tmask formula), and the NZCV
//! results of ADDS/SUBS/ADCS/SBCS at both widths (the model is AddWithCarry).

mod int_common;

use emu_core::CpuState;

fn rng(state: &mut u64) -> u64 {
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    *state
}

/// Interesting operands: random, plus the values around the sign and carry boundaries.
fn operand(state: &mut u64) -> u64 {
    const EDGES: &[u64] = &[0, 1, 0x7fff_ffff, 0x8000_0000, 0xffff_ffff, i64::MAX as u64, 1 << 63, u64::MAX];
    let r = rng(state);
    if r.is_multiple_of(4) {
        EDGES[(r >> 8) as usize % EDGES.len()]
    } else {
        rng(state)
    }
}

fn ones(n: u32) -> u64 {
    if n >= 64 {
        u64::MAX
    } else {
        (1 << n) - 1
    }
}

/// DecodeBitMasks(N, imms, immr, FALSE, M) as written in the manual.
fn decode_bit_masks(n: u32, imms: u32, immr: u32, m: u32) -> Option<(u64, u64)> {
    let combined = n << 6 | (!imms & 63);
    if combined == 0 {
        return None;
    }
    let len = 31 - combined.leading_zeros();
    let esize = 1 << len;
    if esize > m || len < 1 {
        return None;
    }
    let levels = ones(len) as u32;
    let (s, r) = (imms & levels, immr & levels);
    let d = s.wrapping_sub(r) & levels;
    let welem = ones(s + 1);
    let telem = ones(d + 1);
    let ror = |x: u64, r: u32| if r == 0 { x } else { ((x >> r) | (x << (esize - r))) & ones(esize) };
    let rep = |e: u64| (0..m / esize).fold(0u64, |acc, i| acc | e << (i * esize));
    Some((rep(ror(welem, r)), rep(telem)))
}

fn run_one(word: u32, cpu: &mut CpuState) {
    let (exit, base) = int_common::run(&[word], cpu);
    assert_eq!(
        exit,
        emu_core::Exit::Trap { pc: base + 4, kind: emu_core::ir::TrapKind::Breakpoint },
        "{word:#010x}"
    );
}

#[test]
fn bitfield_moves_match_the_pseudocode() {
    let mut st = 0x1234_5678_9abc_def1u64;
    let mut checked = 0;
    for sf in 0..2u32 {
        let m = if sf == 1 { 64 } else { 32 };
        for opc in 0..3u32 {
            for immr in 0..m {
                for imms in 0..m {
                    let n = sf;
                    let Some((wmask, tmask)) = decode_bit_masks(n, imms, immr, m) else { continue };
                    let word =
                        sf << 31 | opc << 29 | 0b100110 << 23 | n << 22 | immr << 16 | imms << 10 | 1 << 5;
                    let (src, dst) = (operand(&mut st), operand(&mut st));
                    let mut cpu = CpuState::default();
                    cpu.x[1] = src;
                    cpu.x[0] = dst;
                    run_one(word, &mut cpu);
                    let (src, dst) = (src & ones(m), dst & ones(m));
                    let rot = if immr == 0 { src } else { ((src >> immr) | (src << (m - immr))) & ones(m) };
                    let want = match opc {
                        0 => {
                            let top = if src >> imms & 1 == 1 { ones(m) } else { 0 };
                            (top & !tmask) | (rot & wmask & tmask)
                        }
                        1 => {
                            let bot = (dst & !wmask) | (rot & wmask);
                            (dst & !tmask) | (bot & tmask)
                        }
                        _ => rot & wmask & tmask,
                    } & ones(m);
                    assert_eq!(cpu.x[0], want, "{word:#010x} src {src:#x} dst {dst:#x}");
                    checked += 1;
                }
            }
        }
    }
    assert_eq!(checked, 3 * (64 * 64 + 32 * 32));
}

/// AddWithCarry(x, y, carry_in) at `bits`: (result, NZCV in bits 31:28).
fn add_with_carry(bits: u32, x: u64, y: u64, carry: u64) -> (u64, u64) {
    let m = ones(bits);
    let (x, y) = (x & m, y & m);
    let unsigned = x as u128 + y as u128 + carry as u128;
    let sx = ((x << (64 - bits)) as i64 >> (64 - bits)) as i128;
    let sy = ((y << (64 - bits)) as i64 >> (64 - bits)) as i128;
    let signed = sx + sy + carry as i128;
    let r = unsigned as u64 & m;
    let sr = ((r << (64 - bits)) as i64 >> (64 - bits)) as i128;
    let n = r >> (bits - 1) & 1;
    let z = (r == 0) as u64;
    let c = (unsigned != r as u128) as u64;
    let v = (signed != sr) as u64;
    (r, n << 31 | z << 30 | c << 29 | v << 28)
}

#[test]
fn flag_setting_arithmetic_matches_add_with_carry() {
    let mut st = 0x0fed_cba9_8765_4321u64;
    for i in 0..20_000u32 {
        let sf = i & 1;
        let sub = i >> 1 & 1;
        let carry_form = i >> 2 & 1 == 1;
        let bits = if sf == 1 { 64 } else { 32 };
        // ADDS/SUBS Rd, Rn, Rm (shifted register, LSL #0) or ADCS/SBCS Rd, Rn, Rm; Rd=0 Rn=1 Rm=2.
        let word = if carry_form {
            sf << 31 | sub << 30 | 1 << 29 | 0b1101_0000 << 21 | 2 << 16 | 1 << 5
        } else {
            sf << 31 | sub << 30 | 1 << 29 | 0b01011 << 24 | 2 << 16 | 1 << 5
        };
        let (a, b) = (operand(&mut st), operand(&mut st));
        let nzcv_in = (rng(&mut st) & 0xf) << 28;
        let mut cpu = CpuState { nzcv: nzcv_in, ..CpuState::default() };
        cpu.x[1] = a;
        cpu.x[2] = b;
        run_one(word, &mut cpu);
        let y = if sub == 1 { !b } else { b };
        let cin = if carry_form { nzcv_in >> 29 & 1 } else { sub as u64 };
        let (r, nzcv) = add_with_carry(bits, a, y, cin);
        assert_eq!((cpu.x[0], cpu.nzcv), (r, nzcv), "{word:#010x} a {a:#x} b {b:#x} nzcv_in {nzcv_in:#x}");
    }
}
