//! Fuzz target: the loader's ELF parsing and validation (`emu_core::loader::parse`) on arbitrary
//! bytes. It must return an error or a validated image, never panic, and a validated image must
//! satisfy the invariants the mapper relies on. Run: `cargo +nightly fuzz run loader_parse`.

#![no_main]

use emu_core::loader::{elf::USER_LIMIT, parse, sniff};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let sniffed = sniff(data);
    if let Ok(img) = parse(data) {
        assert_eq!(sniffed.ok(), Some(img.header.arch));
        assert!(!img.loads.is_empty());
        assert!(img.lo <= img.hi && img.hi <= USER_LIMIT);
        for s in &img.loads {
            assert!(s.filesz <= s.memsz);
            assert!(s.offset + s.filesz <= data.len() as u64);
            assert!(s.vaddr >= img.lo && s.vaddr + s.memsz <= img.hi);
        }
        assert!(img.align.is_power_of_two());
    }
});
