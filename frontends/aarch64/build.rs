//! Generates the A64 decoder from the `.dec` tables in `decode/`, in the order listed here
//! (Arm ARM C4.1, "A64 instruction set encoding"). Each file becomes one visitor trait.

const TABLES: &[&str] = &[
    "decode/branch_exception_system.dec",
    "decode/data_processing_imm.dec",
    "decode/data_processing_reg.dec",
    "decode/load_store.dec",
    "decode/simd_load_store.dec",
    "decode/fp_scalar.dec",
    "decode/simd_three_same.dec",
    "decode/simd_two_reg_misc.dec",
    "decode/simd_copy.dec",
    "decode/simd_permute.dec",
];

fn main() {
    remu_decodegen::build(TABLES, "a64_decode.rs");
}
