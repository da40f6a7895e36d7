//! The generated A64 decoder (see `build.rs` and `decode/*.dec`).

#![allow(clippy::all, missing_docs)]

pub mod decode_table {
    include!(concat!(env!("OUT_DIR"), "/decode_table.rs"));
}
include!(concat!(env!("OUT_DIR"), "/a64_decode.rs"));
