//! Whole functions compiled by GCC (-O2, rv64gc_zba_zbb_zbs; sources and generator in
//! `data/compiled/`) run on the IR interpreter through the real fetch and block loop, called
//! per the psABI (arguments in a0.., return address in ra, stack in sp). Expected results come
//! from Rust versions of the same functions.

mod common;
use common::*;
use emu_core::CpuState;

fn code(name: &str) -> Vec<u8> {
    let line = include_str!("data/compiled.txt")
        .lines()
        .find(|l| l.split_whitespace().next() == Some(name))
        .unwrap_or_else(|| panic!("no function {name} in compiled.txt"));
    let hex = line.split_whitespace().nth(1).expect("hex bytes");
    (0..hex.len()).step_by(2).map(|i| u8::from_str_radix(&hex[i..i + 2], 16).expect("hex")).collect()
}

/// Call `name` with integer arguments `a` and FP arguments `fa`; returns the final state.
fn call(name: &str, a: &[u64], fa: &[u64]) -> CpuState {
    let p = Program::from_bytes(&code(name));
    let mut stack = vec![0u64; 512];
    let mut cpu = CpuState::default();
    cpu.x[1] = p.end; // return to the sentinel
    cpu.x[2] = stack.as_mut_ptr() as u64 + 8 * 512;
    for (i, v) in a.iter().enumerate() {
        cpu.x[10 + i] = *v;
    }
    for (i, v) in fa.iter().enumerate() {
        cpu.v[10 + i][0] = *v;
    }
    assert_eq!(p.run(&mut cpu), Stop::Done, "{name} did not return");
    cpu
}

#[test]
fn insertion_sort() {
    let mut a: [i64; 9] = [5, -3, 9, 0, 9, -100, 42, 7, i64::MIN];
    let cpu = call("sort", &[a.as_mut_ptr() as u64, a.len() as u64], &[]);
    assert_eq!(a, [i64::MIN, -100, -3, 0, 5, 7, 9, 9, 42]);
    assert_eq!(cpu.x[2] % 16, 0);
}

#[test]
fn crc32_check_value() {
    let data = b"123456789";
    let cpu = call("crc", &[data.as_ptr() as u64, data.len() as u64], &[]);
    // unsigned int is returned sign-extended to 64 bits (RV64 psABI).
    assert_eq!(cpu.x[10], 0xcbf4_3926u32 as i32 as i64 as u64);
}

fn mix_ref(a: i64, b: i64, c: u64) -> u64 {
    let mut r: u64 = 0;
    for i in 0..20i64 {
        r = r.wrapping_add(((a * (i + 1)) / (b | 1)) as u64);
        r ^= ((c >> (i & 63)) as i64 % 97) as u64;
        r = r.rotate_left(3);
        // int + int + unsigned: the sum is taken in 32-bit unsigned arithmetic.
        let small = (c ^ r).count_ones() + (c | 1).leading_zeros();
        r = r.wrapping_add(small.wrapping_add(r.wrapping_mul(3) as u32) as u64);
        r = r.wrapping_add(((r >> 7) as u32 / 3) as u64);
    }
    r
}

#[test]
fn integer_mix_with_bitmanip() {
    for (a, b, c) in [(12345i64, 678i64, 0xdead_beef_cafe_f00du64), (-77, -5, 1), (1 << 40, 3, u64::MAX)] {
        let cpu = call("mix", &[a as u64, b as u64, c], &[]);
        assert_eq!(cpu.x[10], mix_ref(a, b, c), "mix({a}, {b}, {c:#x})");
    }
}

fn dot_ref(x: &[f64], y: &[f32], s: f64) -> f64 {
    let mut acc = 0.0f64;
    for i in 0..x.len() {
        // GCC contracts x*y + s/(i+1) into one fmadd.d.
        acc += x[i].mul_add(y[i] as f64, s / (i + 1) as f64);
    }
    let f = acc as f32;
    acc + ((f * 0.5) as i64) as f64 - acc.abs().sqrt()
}

#[test]
fn double_dot_product_with_conversions() {
    let x = [1.5f64, -2.25, 3.0, 0.1, 1e10];
    let y = [2.0f32, 0.5, -1.25, 10.0, -3.5];
    for n in [0usize, 1, 4, 5] {
        let cpu = call("dot", &[x.as_ptr() as u64, y.as_ptr() as u64, n as u64], &[0.3f64.to_bits()]);
        let want = dot_ref(&x[..n], &y[..n], 0.3);
        assert_eq!(f64::from_bits(cpu.v[10][0]), want, "dot over {n} elements");
    }
}
