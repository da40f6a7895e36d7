//! Execution tests for loads and stores (Arm ARM C4.1.88): every size and index form, pairs,
//! SIMD&FP register forms, exclusives, compare-and-swap and LSE atomics, from
//! `int_data/mem.txt`, run through the translator and the IR interpreter.

mod int_common;

#[test]
fn memory_cases() {
    int_common::check_all(include_str!("int_data/mem.txt"));
}
