//! Link options for the `remu` binary.
//!
//! `-z pack-relative-relocs` stores the executable's relative relocations as DT_RELR bitmaps
//! instead of 24-byte RELA entries, so the dynamic loader reads less at every start. (Most of
//! them were capstone's pointer tables for all its architectures; the workspace now builds
//! capstone for x86, AArch64 and RISC-V only, which took `.data.rel.ro`, every page of which
//! is copied on write at start-up, from 1.4 MB to 130 KB.) remu must stay
//! position-independent: guest memory is identity-mapped, and a fixed load address would
//! collide with non-PIE guests.
fn main() {
    println!("cargo:rustc-link-arg-bins=-Wl,-z,pack-relative-relocs");
}
