//! Link options for the `remu` binary.
//!
//! `-z pack-relative-relocs` stores the executable's ~90 000 relative relocations (mostly
//! capstone's pointer tables) as DT_RELR bitmaps instead of 24-byte RELA entries, so the dynamic
//! loader reads ~2 MiB less at every start. remu must stay position-independent: guest memory is
//! identity-mapped, and a fixed load address would collide with non-PIE guests.
fn main() {
    println!("cargo:rustc-link-arg-bins=-Wl,-z,pack-relative-relocs");
}
