//! Generates the RISC-V decoders from the `.dec` tables in `decode/`: the 32-bit encodings (one
//! table per extension, in the unprivileged manual's chapter order) and, separately, the 16-bit
//! C extension, which is decoded one parcel at a time.

const TABLES_32: &[&str] = &[
    "decode/rv64i.dec",
    "decode/zifencei.dec",
    "decode/zicsr.dec",
    "decode/rv64m.dec",
    "decode/rv64a.dec",
    "decode/rv64f.dec",
    "decode/rv64d.dec",
    "decode/zba.dec",
    "decode/zbb.dec",
    "decode/zbs.dec",
];

const TABLES_16: &[&str] = &["decode/rv64c.dec"];

fn main() {
    remu_decodegen::build(TABLES_32, "rv_decode.rs");
    remu_decodegen::build(TABLES_16, "rvc_decode.rs");
}
