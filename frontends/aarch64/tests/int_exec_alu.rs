//! Execution tests for the integer data-processing instructions (Arm ARM C4.1.86, C4.1.87):
//! the cases in `int_data/alu.txt` run through the translator and the IR interpreter.

mod int_common;

#[test]
fn alu_cases() {
    int_common::check_all(include_str!("int_data/alu.txt"));
}
