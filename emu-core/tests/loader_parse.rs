//! Loader parsing: crafted ELF headers that must be rejected with a specific, clear error, and
//! sweeps (every truncation, byte corruptions) that must never panic.

mod loader_common;

use emu_core::guest::Arch;
use emu_core::loader::{parse, sniff, LoadError};
use loader_common::*;

fn err(elf: &Elf) -> String {
    match parse(&elf.bytes()[..]) {
        Ok(img) => panic!("expected an error, parsed {img:?}"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn sniff_picks_the_guest() {
    assert_eq!(sniff(&Elf::new(EM_AARCH64, ET_EXEC).bytes()).ok(), Some(Arch::Aarch64));
    assert_eq!(sniff(&Elf::new(EM_RISCV, ET_DYN).bytes()).ok(), Some(Arch::Riscv64));
}

#[test]
fn not_elf_and_short_files() {
    assert!(matches!(sniff(b"#!/bin/sh\n"), Err(LoadError::NotElf)));
    assert!(matches!(sniff(b""), Err(LoadError::NotElf)));
    assert!(matches!(sniff(b"\x7fEL"), Err(LoadError::NotElf)));
    let full = Elf::new(EM_AARCH64, ET_EXEC).bytes();
    let e = sniff(&full[..40]).unwrap_err();
    assert!(matches!(e, LoadError::Truncated(_)), "{e}");
    assert!(e.to_string().contains("truncated"), "{e}");
}

#[test]
fn wrong_class_endian_machine() {
    let mut e = Elf::new(EM_RISCV, ET_EXEC);
    e.class = 1; // riscv32
    assert!(err(&e).contains("32-bit"), "{}", err(&e));
    let mut e = Elf::new(EM_AARCH64, ET_EXEC);
    e.data = 2;
    assert!(err(&e).contains("big-endian"), "{}", err(&e));
    let e = Elf::new(62, ET_EXEC);
    assert!(err(&e).contains("x86_64"), "{}", err(&e));
    let e = Elf::new(40, ET_EXEC);
    assert!(err(&e).contains("32-bit ARM"), "{}", err(&e));
    let mut e = Elf::new(EM_AARCH64, ET_EXEC);
    e.class = 7;
    assert!(err(&e).contains("invalid ELF class"), "{}", err(&e));
}

#[test]
fn wrong_type() {
    assert!(err(&Elf::new(EM_AARCH64, 1)).contains("ET_REL"));
    assert!(err(&Elf::new(EM_AARCH64, 4)).contains("ET_CORE"));
    assert!(err(&Elf::new(EM_AARCH64, 0)).contains("not an executable"));
}

#[test]
fn bad_program_header_table() {
    let mut e = Elf::new(EM_AARCH64, ET_EXEC);
    e.phentsize = 32;
    assert!(err(&e).contains("entry size"), "{}", err(&e));
    let mut e = Elf::new(EM_AARCH64, ET_EXEC);
    e.phnum = Some(0);
    assert!(err(&e).contains("no program headers"));
    let mut e = Elf::new(EM_AARCH64, ET_EXEC);
    e.phnum = Some(0xffff);
    assert!(err(&e).contains("too many"), "{}", err(&e));
    let mut e = Elf::new(EM_AARCH64, ET_EXEC);
    e.phoff = 0x180; // table runs past the 0x200-byte file
    e.phnum = Some(4);
    e.phdrs.clear();
    assert!(err(&e).contains("program header table"), "{}", err(&e));
    let mut e = Elf::new(EM_AARCH64, ET_EXEC);
    e.phoff = u64::MAX - 8;
    e.phdrs.clear();
    e.phnum = Some(1);
    assert!(err(&e).contains("overflow"), "{}", err(&e));
}

#[test]
fn bad_segments() {
    let with = |ph: Ph| {
        let mut e = Elf::new(EM_AARCH64, ET_EXEC);
        e.phdrs = vec![ph];
        err(&e)
    };
    assert!(with(Ph::load(PF_R, 0, 0x10000, 0x300, 0x200)).contains("exceeds p_memsz"));
    assert!(with(Ph::load(PF_R, 0, 0x10000, 0x1000, 0x1000)).contains("past the end of the file"));
    assert!(with(Ph::load(PF_R, u64::MAX, 0x10000, 2, 2)).contains("past the end of the file"));
    assert!(with(Ph::load(PF_R, 0, u64::MAX - 0x10, 0x100, 0x100)).contains("outside the user address space"));
    assert!(with(Ph::load(PF_R, 0, 1 << 47, 0x100, 0x100)).contains("outside the user address space"));
    assert!(with(Ph::load(PF_R, 0, 0x10000, 0x100, u64::MAX)).contains("outside the user address space"));
    assert!(with(Ph::load(PF_R, 0, 0x10010, 0x100, 0x100)).contains("modulo the page size"));
    let mut e = Elf::new(EM_AARCH64, ET_EXEC);
    e.phdrs = vec![Ph { p_type: 4, ..Ph::load(PF_R, 0, 0, 0x10, 0x10) }];
    assert!(err(&e).contains("no loadable"));
    // An empty PT_LOAD maps nothing: alone it means "no loadable segments".
    let mut e = Elf::new(EM_AARCH64, ET_EXEC);
    e.phdrs = vec![Ph::load(PF_R, 0, 0x10000, 0, 0)];
    assert!(err(&e).contains("no loadable"));
}

#[test]
fn bad_interp() {
    let interp = |offset: u64, filesz: u64, body: &[u8]| {
        let mut e = Elf::new(EM_AARCH64, ET_DYN);
        e.phdrs.push(Ph { p_type: PT_INTERP, ..Ph::load(PF_R, offset, 0, filesz, filesz) });
        e.body.push((offset, body.to_vec()));
        err(&e)
    };
    assert!(interp(0x100, 8, b"/lib/ld!").contains("NUL-terminated"));
    assert!(interp(0x100, 8, b"/li\0/ld\0").contains("NUL-terminated"));
    assert!(interp(0x100, 1, b"\0").contains("length"));
    assert!(interp(0x100, 5000, b"").contains("length"));
    assert!(interp(0x1f0, 0x20, b"").contains("PT_INTERP"));
    let mut e = Elf::new(EM_AARCH64, ET_DYN);
    for _ in 0..2 {
        e.phdrs.push(Ph { p_type: PT_INTERP, ..Ph::load(PF_R, 0x100, 0, 4, 4) });
    }
    e.body.push((0x100, b"/ld\0".to_vec()));
    assert!(err(&e).contains("more than one"));
}

#[test]
fn valid_image_fields() {
    let mut e = Elf::new(EM_AARCH64, ET_DYN);
    e.len = 0x3000;
    e.phdrs = vec![
        Ph { p_type: PT_PHDR, ..Ph::load(PF_R, 64, 64, 56 * 4, 56 * 4) },
        Ph::load(PF_R | PF_X, 0, 0, 0x1800, 0x1800),
        Ph { align: 0x10000, ..Ph::load(PF_R | PF_W, 0x2000, 0x12000, 0x100, 0x5000) },
        Ph { p_type: PT_INTERP, ..Ph::load(PF_R, 0x300, 0, 8, 8) },
    ];
    e.body.push((0x300, b"/lib/ld\0".to_vec()));
    let img = parse(&e.bytes()[..]).expect("valid");
    assert_eq!(img.loads.len(), 2);
    assert_eq!((img.lo, img.hi), (0, 0x17000));
    assert_eq!(img.align, 0x10000);
    assert_eq!(img.phdr_vaddr, 64);
    assert_eq!(img.interp.as_deref(), Some(&b"/lib/ld"[..]));
    assert_eq!(img.loads[0].prot, libc::PROT_READ);
    assert_eq!(img.loads[1].prot, libc::PROT_READ | libc::PROT_WRITE);
}

#[test]
fn every_truncation_is_an_error_not_a_panic() {
    let mut e = Elf::new(EM_AARCH64, ET_DYN);
    e.phdrs.push(Ph { p_type: PT_INTERP, ..Ph::load(PF_R, 0x100, 0, 8, 8) });
    e.body.push((0x100, b"/lib/ld\0".to_vec()));
    let full = e.bytes();
    assert!(parse(&full[..]).is_ok());
    for n in 0..full.len() {
        assert!(parse(&full[..n]).is_err(), "prefix of {n} bytes parsed");
    }
}

#[test]
fn corrupted_headers_never_panic() {
    let mut e = Elf::new(EM_RISCV, ET_DYN);
    e.phdrs.push(Ph { p_type: PT_INTERP, ..Ph::load(PF_R, 0x100, 0, 8, 8) });
    e.body.push((0x100, b"/lib/ld\0".to_vec()));
    let base = e.bytes();
    // Deterministic xorshift so failures reproduce.
    let mut s = 0x2545_f491_4f6c_dd1du64;
    let mut rnd = || {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        s
    };
    let mut rejected = 0;
    for _ in 0..20_000 {
        let mut b = base.clone();
        for _ in 0..1 + rnd() % 4 {
            let at = (rnd() % 0x110) as usize; // header, phdrs and the interp string
            b[at] = rnd() as u8;
        }
        rejected += parse(&b[..]).is_err() as u32;
    }
    // Most single-byte changes in these few bytes hit a checked field.
    assert!(rejected > 1000, "only {rejected} corruptions rejected");
}
