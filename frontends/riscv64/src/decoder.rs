//! The generated RISC-V decoders (see `build.rs` and `decode/*.dec`): [`rv32`] for 32-bit
//! instructions (one visitor trait per extension) and [`rvc`] for 16-bit compressed parcels.

#![allow(clippy::all, missing_docs)]

/// 32-bit encodings: RV64I, Zifencei, Zicsr, M, A, F, D, Zba, Zbb, Zbs.
pub mod rv32 {
    pub mod decode_table {
        include!(concat!(env!("OUT_DIR"), "/decode_table.rs"));
    }
    include!(concat!(env!("OUT_DIR"), "/rv_decode.rs"));
}

/// 16-bit encodings: the C extension (RV64C).
pub mod rvc {
    pub mod decode_table {
        include!(concat!(env!("OUT_DIR"), "/decode_table.rs"));
    }
    include!(concat!(env!("OUT_DIR"), "/rvc_decode.rs"));
}
